"""A hand-written court site in the markup of sudrf.ru's classic "sud_delo" module, served in
Windows-1251: three result pages for a KoAP search, five case cards (texts linked, shown inline,
and not out yet) and the decision texts. Synthetic: no real case, person or decision."""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlsplit

from tests.sources.collect.fixture_server import Reply

COURT = "Выборгский городской суд Ленинградской области"
CASES = {  # case id -> (number, citizenship, how its text is published)
    401: ("5-401/2026", "Республики Узбекистан", "linked"),
    402: ("5-402/2026", "Республики Таджикистан", "linked"),
    403: ("5-403/2026", "Кыргызской Республики", "inline"),
    404: ("5-404/2026", "Республики Узбекистан", "pending"),
    405: ("5-405/2026", "Республики Таджикистан", "linked"),
}
PAGES = [[401, 402], [403, 404], [405]]
EXPECTED_ARTICLES = ["18.8", "18.10"]


def _page(title: str, body: str) -> bytes:
    html = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n'
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">\n'
        f"<title>{escape(title)}</title></head>\n<body>\n"
        '<!-- recruitwatch synthetic fixture: hand-written for the tests, not a real court page -->\n'
        f'<div id="header"><div class="title">{escape(COURT)}</div></div>\n'
        f'<div id="content">{body}</div>\n</body></html>\n')
    return html.encode("cp1251")


def _card_link(case_id: int) -> str:
    return (f"/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=case&amp;case_id={case_id}"
            f"&amp;case_uid=0f3a-{case_id}&amp;delo_id=1500001")


def _doc_link(case_id: int) -> str:
    return (f"/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=doc&amp;number={case_id}&amp;delo_id=1500001"
            "&amp;new=0&amp;text_number=1")


def decision_text(case_id: int) -> str:
    number, citizenship, _ = CASES[case_id]
    day = case_id - 390
    return (
        f"<p>Дело № {number}</p>\n<p>П О С Т А Н О В Л Е Н И Е</p>\n"
        f"<p>{day} ноября 2026 года г. Выборг</p>\n"
        "<p>Судья Выборгского городского суда Ленинградской области Смирнова Е.В., рассмотрев дело об "
        "административном правонарушении, предусмотренном ч. 1.1 ст. 18.8 КоАП РФ, в отношении "
        f"гражданина {citizenship} Х., {1990 + case_id % 10} года рождения,</p>\n"
        "<p>У С Т А Н О В И Л:</p>\n"
        f"<p>{day - 1} ноября 2026 года в 10 час. 00 мин. в г. Выборге Ленинградской области выявлен "
        f"гражданин {citizenship} Х., который нарушил режим пребывания в Российской Федерации, уклонившись "
        "от выезда по истечении срока пребывания.</p>\n"
        "<p>Руководствуясь ст. 29.9, 29.10 КоАП РФ, судья</p>\n<p>П О С Т А Н О В И Л:</p>\n"
        f"<p>Признать гражданина {citizenship} Х. виновным в совершении административного правонарушения, "
        "предусмотренного ч. 1.1 ст. 18.8 КоАП РФ, и назначить ему наказание в виде административного "
        "штрафа в размере 2000 (двух тысяч) рублей с административным выдворением за пределы Российской "
        "Федерации в форме контролируемого самостоятельного выезда.</p>\n<p>Судья Е.В. Смирнова</p>\n")


def results_page(query: str, number: int) -> bytes:
    base = "/modules.php?" + escape(query.split("&page=")[0])
    rows = []
    for case_id in PAGES[number - 1]:
        case_number, citizenship, how = CASES[case_id]
        acts = f'<a href="{_doc_link(case_id)}">Постановление</a>' if case_id == 405 else ""
        rows.append(
            f'<tr><td title="Для получения справки по делу, нажмите на номер дела"><a href="{_card_link(case_id)}">'
            f"{case_number}</a></td><td>0{case_id - 400}.11.2026</td>"
            f"<td>ПРАВОНАРУШЕНИЕ: Х. - ст. 18.8 ч.1.1 КоАП РФ</td><td>Смирнова Е.В.</td>"
            f"<td>{case_id - 390}.11.2026</td><td>Вынесено постановление о назначении административного "
            f"наказания</td><td>{acts}</td></tr>")
    links = " ".join(f'<a href="{base}&amp;page={n}">{n}</a>' for n in range(1, len(PAGES) + 1) if n != number)
    links += f' <a title="На последнюю страницу списка" href="{base}&amp;page={len(PAGES)}">&gt;&gt;</a>'
    body = (f"<p>Всего по запросу найдено — {sum(map(len, PAGES))}. Страница {number} из {len(PAGES)}.</p>\n"
            '<table id="tablcont" width="100%"><tr><th>№ дела</th><th>Дата поступления</th>'
            "<th>Информация по делу</th><th>Судья</th><th>Дата решения</th><th>Решение</th>"
            f"<th>Судебные акты</th></tr>\n{''.join(rows)}\n</table>\n<div>{links}</div>")
    return _page(COURT, body)


def card_page(case_id: int) -> bytes:
    number, _, how = CASES[case_id]
    if how == "linked":
        acts = (f'<table><tr><th><a href="{_doc_link(case_id)}">Постановление о назначении наказания</a></th>'
                "</tr></table>")
    elif how == "inline":
        acts = f"<div>{decision_text(case_id)}</div>"
    else:
        acts = "<p>Судебные акты не опубликованы.</p>"
    body = (f'<div class="casenumber">ДЕЛО № {number}</div>\n'
            '<ul class="tabs"><li id="tab1">ДЕЛО</li><li id="tab2">ДВИЖЕНИЕ ДЕЛА</li><li id="tab3">СТОРОНЫ ПО ДЕЛУ'
            '</li><li id="tab4">СУДЕБНЫЕ АКТЫ</li></ul>\n<div class="contentt">\n'
            '<div id="cont1"><table>'
            f"<tr><td>Уникальный идентификатор дела</td><td>47RS0005-01-2026-00{case_id}-11</td></tr>"
            f"<tr><td>Дата поступления</td><td>0{case_id - 400}.11.2026</td></tr>"
            "<tr><td>Категория дела</td><td>Статья 18.8 Часть 1.1</td></tr>"
            "<tr><td>Судья</td><td>Смирнова Е.В.</td></tr>"
            f"<tr><td>Дата рассмотрения</td><td>{case_id - 390}.11.2026</td></tr>"
            "<tr><td>Результат рассмотрения</td><td>Вынесено постановление о назначении административного "
            "наказания</td></tr></table></div>\n"
            f'<div id="cont4">{acts}</div>\n</div>')
    return _page(f"{COURT} - Информация по делу", body)


def text_page(case_id: int) -> bytes:
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
            f"<body><span>{decision_text(case_id)}</span></body></html>").encode("cp1251")


def route(target: str) -> Reply | None:
    """The site: /modules.php answered by its query, as sud_delo does; anything else is a 404."""
    parts = urlsplit(target)
    if parts.path == "/robots.txt":
        return Reply(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    if parts.path != "/modules.php":
        return None
    query = parse_qs(parts.query, encoding="cp1251")
    op = query.get("name_op", [""])[0]
    if op == "r":
        # The search must come as the site's form sends it: Windows-1251, every article asked for.
        if query.get("Submit") != ["Найти"] or query.get("lawbookarticles[]") != EXPECTED_ARTICLES:
            return Reply(_page(COURT, '<div id="error">Неверный запрос</div>'), status=400)
        number = int(query.get("page", ["1"])[0])
        if not 1 <= number <= len(PAGES):
            return Reply(_page(COURT, '<div id="error">Данных по запросу не обнаружено</div>'))
        return Reply(results_page(parts.query, number))
    if op == "case":
        return Reply(card_page(int(query["case_id"][0])))
    if op == "doc":
        return Reply(text_page(int(query["number"][0])))
    return None
