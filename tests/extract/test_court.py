"""Court decision extraction: golden files, the generator's truth, and the development set."""

from __future__ import annotations

import importlib.util
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from recruitwatch.extract import court
from recruitwatch.extract.court import extract_court_events, is_court_decision, sentences
from recruitwatch.models import Document, validate_event
from recruitwatch.samples.generate import generate_court_pages
from recruitwatch.sources.files import documents_from_bytes
from tests.conftest import shared_or_skip
from tests.sources.court_golden import case_dict, extracted, golden, pages

CASE_SLOTS = ("case_number", "region", "decision_date", "article", "article_part", "instance", "citizenship",
              "birth_year", "fine_rub", "expulsion", "released")
EVENT_SLOTS = ("date_start", "regions", "count", "nationalities", "actors", "fine_rub")


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_events_match_golden(page: Path) -> None:
    want = golden(page)
    got = extracted(page)
    assert got["case"] == want["case"]
    assert got["events"] == want["events"]
    for event in got["events"]:
        validate_event(event)


def _slots(doc: Document, truth: dict[str, Any], errors: Counter[str]) -> tuple[int, int]:
    """(right, total) slots of one page: case fields, one slot per expected event type and one per
    event field; an event the truth lacks is a wrong slot."""
    got_events = {e.event_type: e.to_contract() for e in extract_court_events(doc)}
    case = case_dict(doc.case) or {}
    right = total = 0
    for key in CASE_SLOTS:
        total += 1
        ok = case.get(key) == truth["case"][key]
        right += ok
        errors[f"case.{key}"] += not ok
    want_events = {e["event_type"]: e for e in truth["events"]}
    for kind, want in want_events.items():
        total += 1 + len(EVENT_SLOTS)
        got = got_events.get(kind)
        if got is None:
            errors[f"missing.{kind}"] += 1
            continue
        right += 1
        for key in EVENT_SLOTS:
            a, b = got.get(key), want.get(key)
            ok = sorted(a) == sorted(b) if isinstance(a, list) and isinstance(b, list) else a == b
            right += ok
            errors[f"{kind}.{key}"] += not ok
    for kind in set(got_events) - set(want_events):
        total += 1
        errors[f"extra.{kind}"] += 1
    return right, total


def test_generated_pages_slot_accuracy() -> None:
    right = total = 0
    errors: Counter[str] = Counter()
    for name, raw, truth in generate_court_pages(300, 2024):
        doc = documents_from_bytes(raw, name)[0]
        assert is_court_decision(doc), name
        r, t = _slots(doc, truth, errors)
        right += r
        total += t
    accuracy = right / total
    print(f"generated pages: slot accuracy {accuracy:.4f} over {total} slots; errors {errors.most_common(8)}")
    assert accuracy >= 0.95


def _doc(text: str) -> Document:
    return Document(origin="t.txt", text=text)


FIRST = (
    "Дело № 5-10/2024\nПОСТАНОВЛЕНИЕ\n12 марта 2024 года г. Кандалакша\n"
    "Судья Кандалакшского районного суда Мурманской области Иванова А.А., рассмотрев дело об административном "
    "правонарушении, предусмотренном ч. 1.1 ст. 18.8 КоАП РФ, в отношении гражданина Республики Узбекистан ФИО1,\n"
    "УСТАНОВИЛ:\n{facts}\nПОСТАНОВИЛ:\n{order}\n"
)


def test_law_text_gives_no_fine_and_without_expulsion_gives_none() -> None:
    facts = ("Санкция ч. 1.1 ст. 18.8 КоАП РФ влечет наложение административного штрафа в размере от двух тысяч "
             "до пяти тысяч рублей с административным выдворением за пределы Российской Федерации.")
    order = ("Признать ФИО1 виновным и назначить ему наказание в виде административного штрафа в размере двух "
             "тысяч рублей без административного выдворения за пределы Российской Федерации.")
    events = extract_court_events(_doc(FIRST.format(facts=facts, order=order)))
    assert [(e.event_type, e.fine_rub, e.nationalities, e.regions) for e in events] == [
        ("fine", 2000, ["UZ"], ["RU-MUR"])]
    assert str(events[0].date_start) == "2024-03-12"


def test_hidden_amount_and_stated_detention() -> None:
    facts = "11.03.2024 ФИО1 был задержан сотрудниками полиции."
    order = ("Признать ФИО1 виновным и назначить ему наказание в виде административного штрафа в размере ... "
             "рублей с административным выдворением за пределы РФ в форме контролируемого самостоятельного выезда.")
    doc = _doc(FIRST.format(facts=facts, order=order))
    events = {e.event_type: e for e in extract_court_events(doc)}
    assert set(events) == {"fine", "expulsion_order", "detention"}
    assert events["fine"].fine_rub is None
    assert events["detention"].actors == ["police"] and str(events["detention"].date_start) == "2024-03-11"
    assert doc.case is not None and doc.case.expulsion == "controlled_self_departure"
    for e in events.values():
        assert doc.text[e.span[0]:e.span[1]] == e.quote


def test_employer_gives_no_events() -> None:
    text = FIRST.replace("гражданина Республики Узбекистан ФИО1", "индивидуального предпринимателя ФИО1").format(
        facts="ФИО1 привлек к труду гражданина Таджикистана.",
        order="Назначить наказание в виде административного штрафа в размере 250 000 рублей.")
    assert extract_court_events(_doc(text)) == []


def test_news_is_not_a_decision() -> None:
    text = "Суд в Карелии оштрафовал 14 иностранцев по ч. 1.1 ст. 18.8 КоАП РФ. Их выдворят из России."
    assert not is_court_decision(_doc(text))


def test_sentences_keep_abbreviations_and_initials() -> None:
    text = "Судья Иванов И.И. рассмотрел дело в г. Выборге. Штраф 2000 руб. Решением суда ч. 1 ст. 18.8 КоАП РФ."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Судья Иванов И.И. рассмотрел дело в г. Выборге.", "Штраф 2000 руб.",
        "Решением суда ч. 1 ст. 18.8 КоАП РФ."]


def _score_module() -> Any:
    spec = importlib.util.spec_from_file_location("score", shared_or_skip() / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_court_documents(tmp_path: Path) -> None:
    """The real court decisions and digests of the development set (read from ../shared, never copied)."""
    score = _score_module()
    dev = shared_or_skip() / "eval" / "dev"
    subset = tmp_path / "court"
    (subset / "docs").mkdir(parents=True)
    (subset / "gold").mkdir()
    lines = []
    for path in sorted((dev / "docs").glob("*")):
        if not path.name.startswith(("court_", "dataset_")):
            continue
        (subset / "docs" / path.name).symlink_to(path)
        (subset / "gold" / f"{path.name}.events.json").symlink_to(dev / "gold" / f"{path.name}.events.json")
        doc = Document(origin=str(path), text=path.read_text(encoding="utf-8"))
        assert is_court_decision(doc), path.name
        lines += [json.dumps(e.to_contract(), ensure_ascii=False) for e in extract_court_events(doc)]
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = score.score(str(subset), str(out))
    print(f"dev court documents: event F1 {result['f1']}, slot F1 {result['slot_f1']}")
    assert result["f1"] >= 0.9
    assert result["slot_f1"] >= 0.9


def test_digest_gives_aggregate_events_and_skips_law() -> None:
    text = ("Обзор судебной практики Мурманского областного суда\n"
            "В 2022 году из Мурманской области выдворено 350 иностранных граждан. За первое полугодие 2023 года "
            "в ЦВСИГ помещены 41 иностранный гражданин.\n"
            "Часть 1.1 статьи 18.8 КоАП РФ влечет наложение административного штрафа в размере от двух тысяч до "
            "пяти тысяч рублей с административным выдворением за пределы Российской Федерации.")
    doc = _doc(text)
    assert is_court_decision(doc)
    got = [(e.event_type, e.count, str(e.date_start), str(e.date_end), e.regions) for e in extract_court_events(doc)]
    assert got == [("expulsion_order", 350, "2022-01-01", "2022-12-31", ["RU-MUR"]),
                   ("detention", 41, "2023-01-01", "2023-06-30", ["RU-MUR"])]


# ------------------------------------------------- the quick searches find what the plain patterns found
# Each quick search replaced one plain pattern that `re` tried at every position; the plain pattern
# stays here as the specification, and both run on edge cases, random token strings and pages.


def _token_strings(tokens: list[str], n: int, seed: int, longest: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(tokens) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def _page_texts(n: int = 60) -> list[str]:
    return [documents_from_bytes(raw, name)[0].text for name, raw, _ in generate_court_pages(n, 11)]


_PLAIN_BOUNDARY = re.compile(
    r"\n|[.!?](?=\s+[«\"(]?[А-ЯЁA-Z])(?<!\b[А-ЯЁA-Z]\.)"
    + "".join(rf"(?<!\b{a}\.)(?<!\b{a.capitalize()}\.)" for a in court._ABBREVIATIONS)
)


def _plain_sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in [m.end() for m in _PLAIN_BOUNDARY.finditer(text)] + [len(text)]:
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(piece.strip())))
        start = end
    return spans


def test_sentences_as_the_plain_boundary_split() -> None:
    tokens = ["Суд", "г.", "Г.", "ст.", "Ст.", "просп.", "А.", "Z.", "ч. ", "1.", "!", "?", ". ", ".", " ", "  ", "\n",
              "\n\n", "\t", "\u00a0", "\u2028", "«", "\"", "(", "Иванов", "решил", "x"]
    for text in _token_strings(tokens, 20000, 1) + _page_texts():
        assert sentences(text) == _plain_sentences(text), repr(text)


_HEADINGS = court._spaced("ПОСТАНОВИЛ", "РЕШИЛ", "ОПРЕДЕЛИЛ")
_PLAIN_OPERATIVE = re.compile(
    rf"^\s*(?:{_HEADINGS})\s{{0,2}}(?:А|И)?\s*:?|(?<=суд)(?:ья)?,?\s+(?:постановил|решил|определил)[аи]?\s*:",
    re.I | re.M)
_PLAIN_FINDINGS = re.compile(
    rf"^\s*(?:{court._spaced('УСТАНОВИЛ')})|(?<=суд)(?:ья)?,?\s+установил[аи]?\s*:", re.I | re.M)


def test_part_starts_as_the_plain_patterns() -> None:
    tokens = ["постановил", "П О С Т А Н О В И Л", "Решила", "ОПРЕДЕЛИЛ", "у с т а н о в и л", "суд", "Судья", "СУД",
              "судья,", ",", ":", " ", "\n", " \n", "а", "x", "\u1c83уд", "\u0130", "\u017f"]
    for text in _token_strings(tokens, 20000, 2, longest=10) + _page_texts():
        folded = court._faithful_lower(text, text.lower())
        for plain, quick in ((_PLAIN_OPERATIVE, court._OPERATIVE_START), (_PLAIN_FINDINGS, court._FINDINGS_START)):
            m = plain.search(text)
            assert quick.find(text, folded) == (m.start() if m else None), repr(text)


_PLAIN_BIRTH_YEAR = re.compile(
    r"\b((?:19|20)\d{2})\s*(?:года|г\.?)?\s*(?:рождения|г\.\s*р\.|г\.р\.)"
    r"|(?:родивш\w+|[Дд]ата\s+рождения\s*:?|рожд\.)\s*(?:\d{1,2}\.\d{1,2}\.|\d{1,2}\s+(?:" + court._MONTHS + r")\s+)"
    r"((?:19|20)\d{2})")


def test_birth_year_as_the_plain_pattern() -> None:
    tokens = ["1990", "2001", "19", "a1990", " ", "\n", "года", "г.", "г", "р.", "рождения", "г. р.", "г.р.",
              "родившегося", "рожд.", "Дата", "дата", " рождения", ":", "12.03.", "5 мая ", "1985", "ДД.ММ.ГГГГ"]
    for text in _token_strings(tokens, 20000, 3, longest=10) + _page_texts():
        m = _PLAIN_BIRTH_YEAR.search(text)
        assert court._birth_year(text) == (int(m.group(1) or m.group(2)) if m else None), repr(text)


def _plain_hits(low: str, spans: list[tuple[int, int]], trigger: Any, lo: int, hi: int) -> list[int]:
    alternation = re.compile("|".join(p if isinstance(p, str) else p.pattern for p in trigger))
    found: list[int] = []
    for m in alternation.finditer(low):
        i = next((k for k, (a, b) in enumerate(spans) if a <= m.start() < b), None)
        if i is not None and lo <= i < hi and i not in found:
            found.append(i)
    return found


def test_trigger_hits_as_the_plain_alternations() -> None:
    triggers = (court._PENALTY_TRIGGER, court._PLACEMENT_TRIGGER, court._ARREST_TRIGGER, court._DETAINED_TRIGGER,
                court._RELEASE_TRIGGER, court._DEPORTATION_TRIGGER)
    assert all(isinstance(p, str) and p.isalpha() for t in triggers for p in t if not isinstance(p, re.Pattern))
    tokens = ["штраф", "выдвор", "выезд", "депортац", "выездепортац", "арест", "задержан", "освобосвобо",
              "ц в с и г", "временного", " содержания", "специальное", "специальнарест", " учреждение", "приемник",
              " ", "\n", ". ", "Суд", "X"]
    for text in _token_strings(tokens, 3000, 4, longest=12) + _page_texts(20):
        low = text.lower()
        reading = court._read_decision(text, low, None)
        n = len(reading.sents)
        for trigger in triggers:
            for lo, hi in ((0, n), (n // 2, n), (0, n // 2), (1, n - 1)):
                assert reading.hit(trigger, lo, hi) == _plain_hits(low, reading.sents, trigger, lo, hi), repr(text)


def test_word_checks_as_the_patterns() -> None:
    tokens = ["выдворени", "выдворить", "выдворен", "выдворена", "выдворенный", "выдвор", "выезд", "депортац",
              "депортации", "самостоятельного", "контролируемого", "подверг", "назнач", "наложи", "наложен",
              "применить", "применен", "примен", "привлечь", "к", "административной", "признан", "признать",
              "виновн", "принудительного", "штраф", " ", "\n", "x", "ц"]
    for text in _token_strings(tokens, 20000, 5, longest=8) + [s.lower() for s in _page_texts(20)]:
        assert court._expels(text) == (court._EXPULSION.search(text) is not None), repr(text)
        assert court._imposes(text) == (court._IMPOSE.search(text) is not None), repr(text)
        assert court._lowered_expulsion_form(text) == _plain_expulsion_form(text), repr(text)


def _plain_expulsion_form(low: str) -> str | None:
    s = court._NO_EXPULSION.sub(" ", low)
    if not court._EXPULSION.search(s):
        return None
    if court._SELF_EXIT.search(s):
        return "controlled_self_departure"
    if court._FORCED.search(s):
        return "forced"
    return "deportation" if court._DEPORTATION.search(s) and "выдвор" not in s else "unspecified"


def test_citizenship_as_the_plain_scan() -> None:
    tokens = ["гражданина", "гражданки", "подданного", "уроженца", "уроженки", "граждан", "Гражданство", "гражданство",
              ":", " - ", "Узбекистан", "Республики", "Киргизии", "и", "Китая", "ФИО1", " ", "\n", "x", "аг"]
    for text in _token_strings(tokens, 5000, 6, longest=10) + _page_texts(20):
        assert court._citizenship(text) == _plain_citizenship(text), repr(text)


def _plain_citizenship(text: str) -> list[str]:
    for m in court._CITIZEN.finditer(text):
        code = court._phrase_country(m.group(1))
        if code:
            return [code]
    m = court._CITIZENSHIP_FIELD.search(text)
    code = court._phrase_country(m.group(1)) if m else None
    return [code] if code else []


def test_magistrates_as_the_pattern_finds_them() -> None:
    tokens = ["Мировой", "мирового", "Миров", "судья", "суда", "судебного", " ", "\n", "участка", "№", " 3", ",",
              "Кандалакшского", "района", "x"]
    for text in _token_strings(tokens, 20000, 7, longest=12) + _page_texts(20):
        expected = [m.span() for m in court._MAGISTRATE.finditer(text)]
        assert [m.span() for m in court._magistrates(text)] == expected, repr(text)


def test_folds_otherwise_lists_what_lower_does_not_give() -> None:
    """Every character that re.IGNORECASE takes for a Cyrillic or Latin letter lowers to it, or is
    one that _faithful_lower refuses."""
    every = "".join(map(chr, range(0x10000)))
    for letter in "абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz":
        for ch in re.findall(letter, every, re.I):
            assert ch.lower() == letter or ch in court._FOLDS_OTHERWISE, hex(ord(ch))
