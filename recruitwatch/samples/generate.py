"""Seeded generator of synthetic Russian court decision pages on migration offences.

The real decisions of the evaluation set cannot be bundled, so the sample corpus, the tests and
the benchmarks run on pages made here: sudrf-like case cards with the decision text in a tab,
magistrates' pages and bare decision texts, in the wording and with the blemishes real pages
have (double spaces, stray tags, truncated tails, "руб." for "рублей", Windows-1251 declared
wrongly or not at all). Persons are anonymised the way courts do it ("ФИО1", initials).

Every page says it is synthetic twice: an HTML comment and
<meta name="recruitwatch-synthetic" content="true">. The generator knows what each page states,
so with each page it yields the case and the events an extractor should find (the "truth").

    python -m recruitwatch.samples.generate OUTDIR --n 100 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

SYNTHETIC_COMMENT = "<!-- recruitwatch synthetic sample: generated text, not a real court decision -->"
SYNTHETIC_META = '<meta name="recruitwatch-synthetic" content="true">'


@dataclass(frozen=True)
class Court:
    name: str  # nominative, as a site header prints it
    gen: str  # genitive, as a decision writes "Судья ... суда"
    region: str  # ISO 3166-2
    city: str
    uid: str  # region code in the case's УИД


COURTS: tuple[Court, ...] = (
    Court("Петрозаводский городской суд Республики Карелия", "Петрозаводского городского суда Республики Карелия",
          "RU-KR", "г. Петрозаводск", "10"),
    Court("Сортавальский городской суд Республики Карелия", "Сортавальского городского суда Республики Карелия",
          "RU-KR", "г. Сортавала", "10"),
    Court("Костомукшский городской суд Республики Карелия", "Костомукшского городского суда Республики Карелия",
          "RU-KR", "г. Костомукша", "10"),
    Court("Лахденпохский районный суд Республики Карелия", "Лахденпохского районного суда Республики Карелия",
          "RU-KR", "г. Лахденпохья", "10"),
    Court("Выборгский городской суд Ленинградской области", "Выборгского городского суда Ленинградской области",
          "RU-LEN", "г. Выборг", "47"),
    Court("Гатчинский городской суд Ленинградской области", "Гатчинского городского суда Ленинградской области",
          "RU-LEN", "г. Гатчина", "47"),
    Court("Всеволожский городской суд Ленинградской области", "Всеволожского городского суда Ленинградской области",
          "RU-LEN", "г. Всеволожск", "47"),
    Court("Кандалакшский районный суд Мурманской области", "Кандалакшского районного суда Мурманской области",
          "RU-MUR", "г. Кандалакша", "51"),
    Court("Печенгский районный суд Мурманской области", "Печенгского районного суда Мурманской области",
          "RU-MUR", "пгт. Никель", "51"),
    Court("Октябрьский районный суд города Мурманска", "Октябрьского районного суда города Мурманска",
          "RU-MUR", "г. Мурманск", "51"),
    Court("Дзержинский районный суд Санкт-Петербурга", "Дзержинского районного суда Санкт-Петербурга",
          "RU-SPE", "Санкт-Петербург", "78"),
    Court("Невский районный суд Санкт-Петербурга", "Невского районного суда Санкт-Петербурга",
          "RU-SPE", "Санкт-Петербург", "78"),
    Court("Псковский городской суд Псковской области", "Псковского городского суда Псковской области",
          "RU-PSK", "г. Псков", "60"),
    Court("Печорский районный суд Псковской области", "Печорского районного суда Псковской области",
          "RU-PSK", "г. Печоры", "60"),
    Court("Октябрьский районный суд города Архангельска", "Октябрьского районного суда города Архангельска",
          "RU-ARK", "г. Архангельск", "29"),
    Court("Северодвинский городской суд Архангельской области",
          "Северодвинского городского суда Архангельской области", "RU-ARK", "г. Северодвинск", "29"),
    Court("Тверской районный суд города Москвы", "Тверского районного суда города Москвы",
          "RU-MOW", "г. Москва", "77"),
    Court("Басманный районный суд города Москвы", "Басманного районного суда города Москвы",
          "RU-MOW", "г. Москва", "77"),
    Court("Красногорский городской суд Московской области", "Красногорского городского суда Московской области",
          "RU-MOS", "г. Красногорск", "50"),
)
APPEAL_COURTS: dict[str, Court] = {
    "RU-KR": Court("Верховный Суд Республики Карелия", "Верховного Суда Республики Карелия", "RU-KR",
                   "г. Петрозаводск", "10"),
    "RU-LEN": Court("Ленинградский областной суд", "Ленинградского областного суда", "RU-LEN",
                    "Санкт-Петербург", "47"),
    "RU-MUR": Court("Мурманский областной суд", "Мурманского областного суда", "RU-MUR", "г. Мурманск", "51"),
    "RU-SPE": Court("Санкт-Петербургский городской суд", "Санкт-Петербургского городского суда", "RU-SPE",
                    "Санкт-Петербург", "78"),
    "RU-PSK": Court("Псковский областной суд", "Псковского областного суда", "RU-PSK", "г. Псков", "60"),
    "RU-ARK": Court("Архангельский областной суд", "Архангельского областного суда", "RU-ARK",
                    "г. Архангельск", "29"),
    "RU-MOW": Court("Московский городской суд", "Московского городского суда", "RU-MOW", "г. Москва", "77"),
    "RU-MOS": Court("Московский областной суд", "Московского областного суда", "RU-MOS", "г. Красногорск", "50"),
}
MAGISTRATES: tuple[Court, ...] = (
    Court("Судебный участок № 2 Кандалакшского судебного района Мурманской области",
          "судебного участка № 2 Кандалакшского судебного района Мурманской области", "RU-MUR",
          "г. Кандалакша", "51"),
    Court("Судебный участок № 5 г. Петрозаводска Республики Карелия",
          "судебного участка № 5 г. Петрозаводска Республики Карелия", "RU-KR", "г. Петрозаводск", "10"),
    Court("Судебный участок № 36 Выборгского района Ленинградской области",
          "судебного участка № 36 Выборгского района Ленинградской области", "RU-LEN", "г. Выборг", "47"),
    Court("Судебный участок № 1 Псковского района Псковской области",
          "судебного участка № 1 Псковского района Псковской области", "RU-PSK", "г. Псков", "60"),
)
FACILITIES: dict[str, str] = {
    "RU-KR": "Центр временного содержания иностранных граждан МВД по Республике Карелия",
    "RU-LEN": "ЦВСИГ ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
    "RU-SPE": "Центр временного содержания иностранных граждан ГУ МВД России по г. Санкт-Петербургу и "
              "Ленинградской области",
    "RU-MUR": "ЦВСИГ УМВД России по Мурманской области",
    "RU-PSK": "специальное учреждение временного содержания иностранных граждан УМВД России по Псковской "
              "области",
    "RU-ARK": "ЦВСИГ УМВД России по Архангельской области",
    "RU-MOW": "ЦВСИГ ГУ МВД России по г. Москве",
    "RU-MOS": "Центр временного содержания иностранных граждан ГУ МВД России по Московской области",
}
# ISO code -> ways a decision names the country after "гражданина" (genitive).
CITIZENSHIPS: dict[str, tuple[str, ...]] = {
    "UZ": ("Республики Узбекистан", "Узбекистана"),
    "TJ": ("Республики Таджикистан", "Таджикистана"),
    "KG": ("Республики Кыргызстан", "Киргизии"),
    "CN": ("КНР", "Китайской Народной Республики", "Китая"),
    "VN": ("Социалистической Республики Вьетнам", "Вьетнама"),
    "CU": ("Республики Куба", "Кубы"),
    "SO": ("Сомали", "Республики Сомали"),
    "IQ": ("Ирака", "Республики Ирак"),
    "SY": ("Сирийской Арабской Республики", "Сирии"),
    "IN": ("Республики Индия", "Индии"),
    "AZ": ("Азербайджана",),
    "AM": ("Республики Армения", "Армении"),
    "MD": ("Республики Молдова", "Молдовы"),
    "KZ": ("Республики Казахстан", "Казахстана"),
    "EG": ("Арабской Республики Египет", "Египта"),
    "NG": ("Федеративной Республики Нигерия", "Нигерии"),
    "AF": ("Исламской Республики Афганистан", "Афганистана"),
    "YE": ("Йеменской Республики", "Йемена"),
    "UA": ("Украины",),
    "TM": ("Туркменистана",),
}
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")
FINE_WORDS = {2000: "двух тысяч", 2500: "двух тысяч пятисот", 3000: "трех тысяч", 4000: "четырех тысяч",
              5000: "пяти тысяч", 6000: "шести тысяч", 7000: "семи тысяч", 250000: "двухсот пятидесяти тысяч",
              400000: "четырехсот тысяч"}
# (article, part, fine range, expulsion: "always" | "maybe" | "never", Moscow/SPb only)
OFFENCES: tuple[tuple[str, str | None, tuple[int, ...], str], ...] = (
    ("18.8", "1", (2000, 3000, 4000, 5000), "maybe"),
    ("18.8", "1.1", (2000, 2500, 3000, 4000, 5000), "always"),
    ("18.8", "3", (5000, 6000, 7000), "always"),
    ("18.8", "3.1", (5000, 6000, 7000), "always"),
    ("18.10", "1", (2000, 3000, 5000), "maybe"),
    ("18.10", "2", (5000, 7000), "always"),
    ("18.11", "1", (3000, 5000), "maybe"),
    ("18.20", None, (2000, 5000), "maybe"),
)
ARTICLE_TEXT = {
    "18.8": "Нарушение иностранным гражданином или лицом без гражданства режима пребывания (проживания) в "
            "Российской Федерации",
    "18.10": "Незаконное осуществление иностранным гражданином трудовой деятельности в Российской Федерации",
    "18.11": "Нарушение иммиграционных правил",
    "18.15": "Незаконное привлечение к трудовой деятельности в Российской Федерации иностранного гражданина",
    "18.20": "Нарушение иностранным гражданином срока обращения за выдачей патента",
}


@dataclass
class Scenario:
    """What one generated decision states: the truth the page is written from."""

    kind: str  # "first" | "appeal" | "magistrate" | "employer"
    court: Court
    article: str
    part: str | None
    citizenship: str  # ISO code or "stateless"
    person: str
    birth_year: int | None
    decided: date
    received: date
    number: str
    uid: str
    fine: int | None
    fine_hidden: bool
    expulsion: str | None  # "forced" | "controlled_self_departure"
    placed: bool
    detained: date | None
    released: bool
    first_court: Court | None = None
    first_decided: date | None = None
    official: tuple[str, str] | None = None  # (who imposed the fine a court reviews, their actor)
    style: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------ public API


DEFAULT_PERIOD = (date(2017, 1, 9), 8 * 365)


def generate_court_pages(n: int, seed: int, period: tuple[date, int] = DEFAULT_PERIOD,
                         ) -> Iterator[tuple[str, bytes, dict[str, Any]]]:
    """(file name, page bytes, truth) for `n` synthetic pages; the same seed gives the same pages.
    Decisions fall in `period`: (first day, number of days)."""
    rng = random.Random(seed)
    for i in range(n):
        sc = _scenario(rng, i, period)
        html, encoding = _page(rng, sc)
        name = f"synthetic_{seed}_{i:06d}_{sc.kind}_{sc.article.replace('.', '_')}.html"
        yield name, html.encode(encoding, "replace"), truth(sc)


def truth(sc: Scenario) -> dict[str, Any]:
    """The case and events the page states, as the extractor should find them."""
    case = {
        "case_number": sc.number, "court": sc.court.name, "region": sc.court.region,
        "decision_date": sc.decided.isoformat(), "article": sc.article, "article_part": sc.part,
        "instance": "appeal" if sc.kind in ("appeal", "review") else "first",
        "citizenship": [] if sc.kind == "employer" else ["stateless"] if sc.citizenship == "stateless"
        else [sc.citizenship],
        "birth_year": sc.birth_year if sc.kind in ("first", "magistrate") else None,
        "fine_rub": sc.fine if not sc.fine_hidden else None,
        "expulsion": sc.expulsion, "released": sc.released, "synthetic": True,
    }
    return {"case": case, "events": _truth_events(sc)}


def _truth_events(sc: Scenario) -> list[dict[str, Any]]:
    if sc.kind == "employer":
        return []
    nats = [] if sc.citizenship == "stateless" else [sc.citizenship]
    first = sc.first_court or sc.court
    when = (sc.first_decided or sc.decided).isoformat()

    def ev(kind: str, day: str, actor: str = "court", **extra: Any) -> dict[str, Any]:
        return {"event_type": kind, "date_start": day, "date_end": day, "date_precision": "day",
                "country": "RU", "regions": [first.region], "count": 1, "nationalities": nats,
                "actors": [actor], **extra}

    actor = sc.official[1] if sc.official else "court"
    out = [ev("fine", when, actor, fine_rub=None if sc.fine_hidden else sc.fine)]
    if sc.expulsion:
        out.append(ev("expulsion_order", when))
    if sc.placed:
        out.append(ev("detention", when))
    elif sc.detained:
        out.append(ev("detention", sc.detained.isoformat(), actor="police"))
    if sc.released:
        out.append(ev("release", sc.decided.isoformat()))
    return out


# ------------------------------------------------------------------------------ scenarios


def _scenario(rng: random.Random, i: int, period: tuple[date, int] = DEFAULT_PERIOD) -> Scenario:
    kind = rng.choices(("first", "appeal", "magistrate", "employer", "review"), weights=(58, 16, 11, 7, 8))[0]
    court = rng.choice(MAGISTRATES if kind == "magistrate" else COURTS)
    article, part, fines, expel = rng.choice(OFFENCES)
    if kind in ("magistrate", "review"):
        article, part, fines, expel = "18.8", "1", (2000, 3000, 4000, 5000), "never"
    decided = period[0] + timedelta(days=rng.randrange(0, max(1, period[1])))
    expulsion = None
    if expel == "always" or (expel == "maybe" and rng.random() < 0.5):
        expulsion = rng.choice(("forced", "forced", "controlled_self_departure"))
    sc = Scenario(
        kind=kind, court=court, article=article, part=part,
        citizenship=rng.choice(list(CITIZENSHIPS)) if rng.random() > 0.06 else "stateless",
        person=_person(rng), birth_year=None if rng.random() < 0.35 else rng.randrange(1960, 2005),
        decided=decided, received=decided - timedelta(days=rng.randrange(0, 12)),
        number="", uid="", fine=rng.choice(fines), fine_hidden=rng.random() < 0.05, expulsion=expulsion,
        placed=expulsion == "forced" and rng.random() < 0.7, detained=None, released=False,
    )
    if not sc.placed and rng.random() < 0.2:
        sc.detained = decided - timedelta(days=rng.randrange(0, 3))
    _numbers(rng, sc, i)
    if kind == "appeal":
        _make_appeal(rng, sc)
    elif kind == "review":
        _make_review(rng, sc)
    elif kind == "employer":
        sc.article, sc.part, sc.fine, sc.expulsion, sc.placed, sc.detained = "18.15", "1", 250000, None, False, None
        sc.fine_hidden = False
    return sc


def _numbers(rng: random.Random, sc: Scenario, i: int) -> None:
    year = sc.decided.year
    prefix = "12" if sc.kind == "appeal" else "5"
    sc.number = f"{prefix}-{rng.randrange(1, 2400)}/{year}"
    kind = "MS" if sc.kind == "magistrate" else "RS"
    serial = f"{rng.randrange(1, 9999):06d}-{rng.randrange(10, 99)}"
    sc.uid = f"{sc.court.uid}{kind}{rng.randrange(1, 40):04d}-01-{year}-{serial}"


def _make_appeal(rng: random.Random, sc: Scenario) -> None:
    """The scenario's court becomes the first court; the appeal court sits in its region."""
    sc.first_court = sc.court
    sc.first_decided = sc.decided
    sc.court = APPEAL_COURTS[sc.first_court.region]
    sc.decided = sc.first_decided + timedelta(days=rng.randrange(8, 40))
    sc.received = sc.first_decided + timedelta(days=rng.randrange(3, 8))
    sc.number = f"12-{rng.randrange(1, 900)}/{sc.decided.year}"
    sc.released = sc.placed and rng.random() < 0.4
    sc.detained = None


OFFICIALS: tuple[tuple[str, str], ...] = (
    ("начальника ОВМ ОМВД России по Кандалакшскому району", "migration_service"),
    ("инспектора отдела по вопросам миграции УМВД России по г. Пскову", "migration_service"),
    ("старшего инспектора ОИК УВМ ГУ МВД России по г. Санкт-Петербургу и Ленинградской области",
     "migration_service"),
    ("старшего участкового уполномоченного полиции ОМВД России по Печенгскому району", "police"),
)


def _make_review(rng: random.Random, sc: Scenario) -> None:
    """A district court reviews a fine that a police or migration officer imposed."""
    sc.official = rng.choice(OFFICIALS)
    sc.first_decided = sc.decided - timedelta(days=rng.randrange(10, 40))
    sc.number = f"12-{rng.randrange(1, 900)}/{sc.decided.year}"
    sc.expulsion, sc.placed, sc.detained, sc.fine_hidden = None, False, None, False


def _person(rng: random.Random) -> str:
    letters = "АБВГДЕЖЗИКЛМНОПРСТУФХШЭЮЯ"
    style = rng.random()
    if style < 0.45:
        return "ФИО1"
    if style < 0.6:
        return "Ф.И.О."
    if style < 0.85:
        return ".".join(rng.choice(letters) for _ in range(3)) + "."
    return f"{rng.choice(letters)}. {rng.choice(letters)}."


# ------------------------------------------------------------------------------ wording


def _date_words(d: date, rng: random.Random) -> str:
    form = rng.random()
    if form < 0.5:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year} года"
    if form < 0.7:
        return f"«{d.day:02d}» {MONTHS[d.month - 1]} {d.year} г."
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _part_phrase(sc: Scenario, rng: random.Random) -> str:
    full = rng.random() < 0.5
    law = "Кодекса Российской Федерации об административных правонарушениях" if full else "КоАП РФ"
    if sc.part is None:
        return f"{'статьей' if full else 'ст.'} {sc.article} {law}"
    return f"{'частью' if full else 'ч.'} {sc.part} {'статьи' if full else 'ст.'} {sc.article} {law}"


def _citizen(sc: Scenario, rng: random.Random, case: str) -> str:
    """"гражданина Республики Узбекистан ФИО1" in the grammatical case asked for."""
    if sc.citizenship == "stateless":
        return {"gen": "лица без гражданства", "nom": "лицо без гражданства", "dat": "лицу без гражданства"}[case] \
            + f" {sc.person}"
    country = rng.choice(CITIZENSHIPS[sc.citizenship])
    word = {"gen": ("гражданина", "гражданина", "гражданки"), "nom": ("гражданин", "гражданин", "гражданка"),
            "dat": ("гражданину", "гражданину", "гражданке")}[case][rng.randrange(3)]
    if case == "gen" and rng.random() < 0.1:
        word = "уроженца и гражданина"
    return f"{word} {country} {sc.person}"


def _fine_phrase(sc: Scenario, rng: random.Random) -> str:
    if sc.fine_hidden:
        return "... рублей"
    n = sc.fine or 0
    digits = f"{n:,}".replace(",", rng.choice((" ", "", "\u00a0")))
    form = rng.random()
    if form < 0.45 and n in FINE_WORDS:
        return f"{digits} ({FINE_WORDS[n]}) рублей"
    if form < 0.75:
        return f"{digits} руб."
    return f"{digits} рублей"


def _expulsion_phrase(sc: Scenario, rng: random.Random) -> str:
    if sc.expulsion is None:
        return rng.choice(("", " без административного выдворения за пределы Российской Федерации",
                           " без административного выдворения"))
    where = rng.choice(("за пределы Российской Федерации", "за пределы РФ"))
    if sc.expulsion == "forced":
        return rng.choice((f" с административным выдворением {where} в форме принудительного выдворения",
                           f" с принудительным административным выдворением {where}",
                           f" с административным выдворением {where} в форме принудительного"
                           " выдворения за пределы Российской Федерации"))
    return rng.choice((f" с административным выдворением {where} в форме контролируемого самостоятельного выезда",
                       f" с административным выдворением {where} в виде самостоятельного контролируемого выезда"
                       " из Российской Федерации"))


# ------------------------------------------------------------------------------ decision texts


def _decision(rng: random.Random, sc: Scenario) -> list[str]:
    if sc.kind == "appeal":
        return _appeal_text(rng, sc)
    if sc.kind == "review":
        return _review_text(rng, sc)
    if sc.kind == "employer":
        return _employer_text(rng, sc)
    return _first_text(rng, sc)


def _header(rng: random.Random, sc: Scenario, title: str) -> list[str]:
    lines = [sc.court.name.upper()] if rng.random() < 0.15 else []
    lines.append(f"Дело № {sc.number}")
    if rng.random() < 0.7:
        lines.append(f"УИД {sc.uid}")
    lines.append(title)
    when = _date_words(sc.decided, rng)
    city = sc.court.city
    if city.startswith("г. ") and rng.random() < 0.2:
        lines.append(f"Город {city[3:]}, {when}")
    else:
        lines.append(f"{when} {city}" if rng.random() < 0.7 else f"{city}  {when}")
    return lines


def _first_text(rng: random.Random, sc: Scenario) -> list[str]:
    judge = rng.choice(("Мировой судья", "Мировой судья")) if sc.kind == "magistrate" else "Судья"
    title = rng.choice(("ПОСТАНОВЛЕНИЕ", "П О С Т А Н О В Л Е Н И Е", "ПОСТАНОВЛЕНИЕ\nпо делу об административном"
                                                                     " правонарушении"))
    out = _header(rng, sc, title)
    born = f", {sc.birth_year} года рождения" if sc.birth_year else rng.choice((", ДД.ММ.ГГГГ года рождения", ""))
    out.append(
        f"{judge} {sc.court.gen} {_initials(rng)}, рассмотрев{rng.choice(('', ' в открытом судебном заседании'))} "
        f"дело об административном правонарушении, предусмотренном {_part_phrase(sc, rng)}, в отношении "
        f"{_citizen(sc, rng, 'gen')}{born}, {rng.choice(_ABOUT)},"
    )
    out.append(rng.choice(("УСТАНОВИЛ:", "установил:", "У С Т А Н О В И Л:")))
    out.extend(_facts(rng, sc))
    if rng.random() < 0.2:  # "..., судья постановил:" at the end of the findings' last line
        out[-1] += " постановил:"
    else:
        out.append(rng.choice(("ПОСТАНОВИЛ:", "постановил:", "П О С Т А Н О В И Л:")))
    out.extend(_operative(rng, sc))
    return out


_ABOUT = ("не работающего", "зарегистрированного по адресу: <адрес>", "холостого")


def _facts(rng: random.Random, sc: Scenario) -> list[str]:
    seen = sc.decided - timedelta(days=rng.randrange(1, 5))
    lines = [
        f"{_date_words(seen, rng)} в {rng.randrange(8, 22)} час. {rng.randrange(0, 60):02d} мин. по адресу: <адрес>"
        f" {rng.choice(('выявлен', 'был выявлен', 'установлен'))} {_citizen(sc, rng, 'nom')}, который "
        + rng.choice(("уклонился от выезда из Российской Федерации по истечении установленного срока пребывания",
                      "осуществлял трудовую деятельность без патента",
                      "нарушил правила миграционного учета")) + ".",
    ]
    if sc.detained:
        lines.append(f"{_date_words(sc.detained, rng)} {sc.person} был задержан сотрудниками полиции и доставлен"
                     " в отдел полиции.")
    lines.append(f"В судебном заседании {sc.person} вину {rng.choice(('признал', 'признал полностью', 'не оспаривал'))}"
                 + rng.choice((", в содеянном раскаялся.", ".", ", пояснил, что  денег на билет не имеет.")))
    lines.append("Вина подтверждается протоколом об административном правонарушении, рапортом сотрудника полиции,"
                 " копией паспорта, сведениями АС ЦБДУИГ.")
    if rng.random() < 0.5:
        lines.append(f"Санкция {_part_phrase(sc, rng)} влечет наложение административного штрафа в размере от "
                     f"двух тысяч до пяти тысяч рублей с административным выдворением за пределы Российской "
                     f"Федерации или без такового.")
    lines.append("Руководствуясь ст. ст. 29.9, 29.10 КоАП РФ, судья")
    return lines


def _operative(rng: random.Random, sc: Scenario) -> list[str]:
    verb = rng.choice(("назначить ему наказание", "назначить ему административное наказание",
                       "подвергнуть административному наказанию"))
    revenue = rng.choice(("", "", " в доход государства"))
    if sc.expulsion and rng.random() < 0.25:  # the expulsion in a sentence of its own
        lines = [f"Признать {sc.person} виновным в совершении административного правонарушения, предусмотренного "
                 f"{_part_phrase(sc, rng)}, и {verb} в виде административного штрафа{revenue} в размере "
                 f"{_fine_phrase(sc, rng)}.",
                 f"Назначить {sc.person} дополнительное наказание в виде административного выдворения"
                 f"{_expulsion_phrase(sc, rng).replace(' с административным выдворением', '')}."]
    else:
        lines = [f"Признать {sc.person} виновным в совершении административного правонарушения, предусмотренного "
                 f"{_part_phrase(sc, rng)}, и {verb} в виде административного штрафа{revenue} в размере "
                 f"{_fine_phrase(sc, rng)}{_expulsion_phrase(sc, rng)}."]
    if sc.placed:
        facility = FACILITIES[sc.court.region]
        lines.append(rng.choice((
            f"До исполнения постановления в части административного выдворения поместить {sc.person} в {facility}.",
            f"До административного выдворения за пределы Российской Федерации содержать {sc.person} в {facility}.",
            f"Поместить {sc.person} в {facility} до исполнения постановления, но не более 90 суток.",
        )))
    lines.append("Штраф подлежит уплате по следующим реквизитам: УФК по субъекту (МВД), ИНН 0000000000, КПП"
                 " 000000000, БИК 000000000, ОКТМО 00000000, КБК 18811601181019000140, УИН 188000000000000000.")
    lines.append(f"Постановление может быть обжаловано в {APPEAL_COURTS.get(sc.court.region, sc.court).name} "
                 f"в течение 10 суток со дня вручения или получения копии постановления.")
    lines.append(f"Судья {_initials(rng)}")
    return lines


def _appeal_text(rng: random.Random, sc: Scenario) -> list[str]:
    first = sc.first_court or sc.court
    when1 = _date_words(sc.first_decided or sc.decided, rng)
    out = _header(rng, sc, rng.choice(("РЕШЕНИЕ", "Р Е Ш Е Н И Е")))
    who = rng.choice((f"{sc.person}", f"защитника {_initials(rng)}", "защитника - адвоката ФИО2"))
    out.append(f"Судья {sc.court.gen} {_initials(rng)}, рассмотрев жалобу {who} на постановление судьи "
               f"{first.gen} от {when1} по делу об административном правонарушении, предусмотренном "
               f"{_part_phrase(sc, rng)}, в отношении {_citizen(sc, rng, 'gen')},")
    out.append(rng.choice(("УСТАНОВИЛ:", "установил:")))
    out.append(f"Постановлением судьи {first.gen} от {when1} {_citizen(sc, rng, 'nom')} признан виновным в "
               f"совершении административного правонарушения, предусмотренного {_part_phrase(sc, rng)}, и "
               f"подвергнут административному наказанию в виде административного штрафа в размере "
               f"{_fine_phrase(sc, rng)}{_expulsion_phrase(sc, rng)}.")
    if sc.placed:
        out.append(f"Этим же постановлением {sc.person} помещен в {FACILITIES[first.region]}.")
    out.append(f"В жалобе {who} просит постановление изменить, исключить назначение наказания в виде "
               "административного выдворения, ссылаясь на наличие у него родственников - граждан Российской "
               "Федерации.")
    out.append("Проверив материалы дела, изучив доводы жалобы, прихожу к следующему.")
    out.append("Частью 1.1 статьи 18.8 КоАП РФ предусмотрена административная ответственность, которая влечет "
               "наложение административного штрафа в размере от двух тысяч до пяти тысяч рублей с "
               "административным выдворением за пределы Российской Федерации.")
    out.append(rng.choice(("РЕШИЛ:", "решил:", "Р Е Ш И Л:")))
    if sc.released:
        out.append(f"Постановление судьи {first.gen} от {when1} изменить, исключить из него указание на назначение "
                   "административного наказания в виде административного выдворения за пределы Российской "
                   "Федерации.")
        out.append(f"{sc.person} из {FACILITIES[first.region]} освободить.")
    else:
        out.append(f"Постановление судьи {first.gen} от {when1} оставить без изменения, жалобу - без "
                   "удовлетворения.")
    out.append(f"Судья {_initials(rng)}")
    return out


def _review_text(rng: random.Random, sc: Scenario) -> list[str]:
    official, _ = sc.official or OFFICIALS[0]
    when1 = _date_words(sc.first_decided or sc.decided, rng)
    out = _header(rng, sc, rng.choice(("РЕШЕНИЕ", "Р Е Ш Е Н И Е\nпо жалобе на постановление по делу об "
                                                 "административном правонарушении")))
    out.append(f"Судья {sc.court.gen} {_initials(rng)}, рассмотрев жалобу {sc.person} на постановление {official} "
               f"от {when1} по делу об административном правонарушении, предусмотренном {_part_phrase(sc, rng)}, "
               f"в отношении {_citizen(sc, rng, 'gen')},")
    out.append(rng.choice(("УСТАНОВИЛ:", "установил:")))
    out.append(f"Постановлением {official} от {when1} {_citizen(sc, rng, 'nom')} признан виновным в совершении "
               f"административного правонарушения, предусмотренного {_part_phrase(sc, rng)}, и подвергнут "
               f"административному наказанию в виде административного штрафа в размере {_fine_phrase(sc, rng)}.")
    out.append(f"В жалобе {sc.person} просит постановление отменить, указывая, что уведомление о прибытии было "
               "подано принимающей стороной своевременно.")
    out.append("Изучив материалы дела, проверив доводы жалобы, судья приходит к следующему.")
    out.append(rng.choice(("РЕШИЛ:", "решил:")))
    out.append(f"Постановление {official} от {when1} оставить без изменения, жалобу {sc.person} - без "
               "удовлетворения.")
    out.append(f"Судья {_initials(rng)}")
    return out


def _employer_text(rng: random.Random, sc: Scenario) -> list[str]:
    out = _header(rng, sc, "ПОСТАНОВЛЕНИЕ")
    who = rng.choice(("индивидуального предпринимателя ФИО1", "юридического лица ООО «<данные изъяты>»"))
    out.append(f"Судья {sc.court.gen} {_initials(rng)}, рассмотрев дело об административном правонарушении, "
               f"предусмотренном ч. 1 ст. 18.15 КоАП РФ, в отношении {who},")
    out.append("УСТАНОВИЛ:")
    out.append(f"{who[0].upper() + who[1:]} привлек к трудовой деятельности {_citizen(sc, rng, 'gen')}, не имеющего"
               " патента.")
    out.append("ПОСТАНОВИЛ:")
    out.append(f"Признать {who} виновным в совершении административного правонарушения, предусмотренного ч. 1 "
               f"ст. 18.15 КоАП РФ, и назначить наказание в виде административного штрафа в размере "
               f"{_fine_phrase(sc, rng)}.")
    out.append(f"Судья {_initials(rng)}")
    return out


def _initials(rng: random.Random) -> str:
    surnames = ("Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Васильев", "Соколова", "Михайлов",
                "Новикова", "Федоров", "Морозова", "Волков")
    letters = "АВГДЕИКЛМНОПРСТЮЯ"
    return f"{rng.choice(surnames)} {rng.choice(letters)}.{rng.choice(letters)}."


# ------------------------------------------------------------------------------ pages


def _page(rng: random.Random, sc: Scenario) -> tuple[str, str]:
    paragraphs = _blemish(rng, _decision(rng, sc))
    layout = "mirsud" if sc.kind == "magistrate" else rng.choices(("sudrf", "plain"), weights=(80, 20))[0]
    encoding, declared = _encoding(rng)
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    body = {"sudrf": _sudrf, "mirsud": _mirsud, "plain": _plain}[layout](rng, sc, paragraphs)
    html = (f"<!DOCTYPE html>\n<html>\n<head>\n{head}\n{SYNTHETIC_META}\n<title>{escape(sc.court.name)}</title>\n"
            f"</head>\n{SYNTHETIC_COMMENT}\n<body>\n{body}\n</body>\n</html>\n")
    if rng.random() < 0.05:  # a page cut off in transfer: the tail after the operative part is lost
        html = html[: html.rfind("Судья") if "Судья" in html[-3000:] else len(html)]
    return html, encoding


def _encoding(rng: random.Random) -> tuple[str, str | None]:
    """(encoding of the bytes, charset the page declares): mostly Windows-1251, some declared wrongly."""
    roll = rng.random()
    if roll < 0.6:
        return "cp1251", "windows-1251"
    if roll < 0.72:
        return "cp1251", None
    if roll < 0.8:
        return "cp1251", "utf-8"
    return "utf-8", "utf-8"


def _blemish(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """The mistakes real pages have: double spaces and stray inline tags."""
    out = []
    for p in paragraphs:
        text = escape(p, quote=False)
        if rng.random() < 0.15:
            text = text.replace(" ", "  ", 1)
        if rng.random() < 0.1 and " " in text:
            cut = text.index(" ")
            text = f'{text[:cut]}<span style="font-size:12pt"> </span>{text[cut + 1:]}'
        out.append(text)
    return out


def _sudrf(rng: random.Random, sc: Scenario, paragraphs: list[str]) -> str:
    part = f" ч.{sc.part}" if sc.part else ""
    rows = [("Уникальный идентификатор дела", sc.uid), ("Дата поступления", sc.received.strftime("%d.%m.%Y")),
            ("Категория дела", f"Ст.{sc.article}{part} КоАП РФ - {ARTICLE_TEXT.get(sc.article, '')}"),
            ("Судья", _initials(rng)), ("Дата рассмотрения", sc.decided.strftime("%d.%m.%Y")),
            ("Результат рассмотрения", "Вынесено решение по делу" if sc.kind in ("appeal", "review")
             else "Вынесено постановление о назначении административного наказания")]
    card = "".join(f"<tr><td><b>{k}</b></td><td>{escape(v)}</td></tr>\n" for k, v in rows)
    text = "\n".join(f'<p style="text-indent:1.5em; text-align:justify">{p}</p>' for p in paragraphs)
    return (
        f'<div id="header"><div class="title">{escape(sc.court.name).replace(" суд ", " суд<br>", 1)}</div></div>\n'
        '<div id="content"><div class="contentt">\n'
        '<ul id="case_tabs"><li>ДЕЛО</li><li>ДВИЖЕНИЕ ДЕЛА</li><li>СТОРОНЫ</li><li>СУДЕБНЫЕ АКТЫ</li></ul>\n'
        f'<div id="cont1"><table id="tablcont"><tr><th colspan="2">ДЕЛО № {sc.number}</th></tr>\n'
        f'<tr><td><b>Номер дела</b></td><td>{sc.number}</td></tr>\n{card}</table></div>\n'
        '<div id="cont2"><table><tr><th>Наименование события</th><th>Дата</th><th>Результат</th></tr>\n'
        f'<tr><td>Регистрация дела</td><td>{sc.received.strftime("%d.%m.%Y")}</td><td></td></tr></table></div>\n'
        f'<div id="cont4" style="display:none"><div id="cont_doc1">\n{text}\n</div></div>\n</div></div>'
    )


def _mirsud(rng: random.Random, sc: Scenario, paragraphs: list[str]) -> str:
    pairs = [("Номер дела", sc.number), ("Судебный участок", sc.court.name),
             ("Дата поступления", sc.received.strftime("%d.%m.%Y")),
             ("Статья КоАП РФ", f"ч. {sc.part} ст. {sc.article}" if sc.part else f"ст. {sc.article}"),
             ("Мировой судья", _initials(rng)), ("Дата решения", sc.decided.strftime("%d.%m.%Y"))]
    card = "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in pairs)
    text = "<br>\n".join(paragraphs)
    return (f'<div class="site-name">Мировые судьи {escape(sc.court.name.split(" ", 3)[-1])}</div>\n'
            f'<div class="case-info"><h2>Информация по делу № {sc.number}</h2><dl>{card}</dl></div>\n'
            f'<div class="act-text">{text}</div>')


def _plain(rng: random.Random, sc: Scenario, paragraphs: list[str]) -> str:
    if rng.random() < 0.5:
        return "<pre>\n" + "\n".join(paragraphs) + "\n</pre>"
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


# ------------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic court decision pages (and their truth).")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--truth", action="store_true", help="also write <name>.truth.json beside each page")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default=DEFAULT_PERIOD[0],
                        help="first decision date (YYYY-MM-DD)")
    parser.add_argument("--days", type=int, default=DEFAULT_PERIOD[1], help="decision dates span this many days")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for name, raw, expected in generate_court_pages(args.n, args.seed, (args.start, args.days)):
        (args.outdir / name).write_bytes(raw)
        if args.truth:
            (args.outdir / f"{name}.truth.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1),
                                                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
