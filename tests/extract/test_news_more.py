"""Languages, Russian NER, the synthetic news generator, the folded patterns, and the region and
nationality rules added for issue 3, each on sentences written for these tests."""

from __future__ import annotations

import re
from datetime import date

import pytest

from recruitwatch.extract import extract_document
from recruitwatch.extract import ner as ner_mod
from recruitwatch.extract import triggers as T
from recruitwatch.extract.language import detect_language, is_supported
from recruitwatch.extract.news import extract_news_events, find_triggers
from recruitwatch.models import Document, Event, validate_event
from recruitwatch.samples.news import generate_news_texts


def extract(text: str, ner: bool = False) -> list[Event]:
    events = extract_news_events(Document(origin="t.txt", text=text, published=date(2024, 5, 15)), ner=ner)
    for e in events:
        assert text[e.span[0] : e.span[1]] == e.quote
        validate_event(e.to_contract())
    return events


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize(("text", "code"), [
    ("Поліція затримала мігрантів на ринку в Києві минулого тижня.", "uk"),
    ("Міліцыя затрымала мігрантаў у Мінску ў панядзелак.", "be"),
    ("Полиция базарда мигранттарды ұстады және қамауға алды.", "kk"),
    ("Милиция мигранттарды базардан кармап, өлкөдөн чыгарды.", "ky"),
    ("Полиция бозорда муҳожирларни ушлади ва қамоққа олди.", "uz"),
    ("Милитсия муҳоҷиронро дар бозор боздошт кард ва ӯро.", "tg"),
    ("الشرطة اعتقلت المهاجرين في السوق", "ar"),
    ("Poliisi pidätti siirtolaiset torilla ja päätös tehtiin.", "und"),
    ("Полиция задержала мигрантов на рынке.", "ru"),
    ("Police detained the migrants at the market.", "en"),
])
def test_languages_are_named(text: str, code: str) -> None:
    assert detect_language(text) == code
    assert is_supported(code) == (code in ("ru", "en"))


def test_unsupported_documents_are_marked_not_dropped() -> None:
    doc = Document("uk.txt", "Поліція затримала двадцять мігрантів на ринку в Харкові. Їх оштрафували.")
    assert extract_document(doc) == []
    assert doc.language == "uk" and doc.meta["unsupported_language"] == "uk"
    ru = Document("ru.txt", "Полиция задержала двадцать мигрантов на рынке в Петрозаводске.")
    assert [e.event_type for e in extract_document(ru)] == ["detention"]
    assert ru.language == "ru" and "unsupported_language" not in ru.meta


def test_a_language_given_by_the_source_is_kept() -> None:
    doc = Document("x.html", "Police detained 12 migrants in Moscow.", language="en-GB")
    assert extract_document(doc) and doc.language == "en-GB"
    assert is_supported(None) and not is_supported("fi")


# ---------------------------------------------------------------- folded patterns


def test_folded_english_rules_find_what_the_case_insensitive_ones_find() -> None:
    sentences = [
        "POLICE DETAINED 40 MIGRANTS AND DEPORTED THEM.",
        "Recruiters Approached the men and offered them Army contracts.",
        "The border crossing at Salla was Closed on Friday.",
    ]
    for s in sentences:
        for rule in T.EN_RULES:
            pattern, _, _ = rule.folded
            assert [m.span() for m in rule.pattern.finditer(s)] == [m.span() for m in pattern.finditer(s.lower())]


def test_a_letter_whose_lower_case_is_longer_falls_back_to_the_text() -> None:
    # "İ" lower-cases to two characters: offsets from the folded text would be wrong
    s = "İstanbul-born migrants were detained in Moscow."
    trig = [t for t in find_triggers(s, None) if t.rule.event_type == "detention"]
    assert trig and s[trig[0].start : trig[0].end] == "detained"


# ---------------------------------------------------------------- regions and nationalities


def test_southeast_finland_is_the_border_of_two_regions() -> None:
    ev = extract("Southeast Finland border guard: 48 asylum seekers arrived at the border on Sunday.")
    assert ev and ev[0].event_type == "border_event" and ev[0].country == "FI"
    assert sorted(ev[0].regions) == ["FI-02", "FI-09"]
    ru = extract("На границе Юго-Восточной Финляндии в воскресенье прибыло 30 просителей убежища.")
    assert ru and sorted(ru[0].regions) == ["FI-02", "FI-09"]


def test_a_sentence_about_the_district_without_a_place_takes_the_districts_regions() -> None:
    text = (
        "Asylum seekers keep coming to the border crossing points in Southeast Finland, at Vaalimaa and Nuijamaa.\n\n"
        "On Saturday night, more asylum seekers arrived at the border."
    )
    events = extract(text)
    assert events and all(sorted(e.regions) == ["FI-02", "FI-09"] for e in events)


def test_bare_citizens_are_those_named_just_before() -> None:
    text = (
        "В Твери суд рассмотрел дела мигрантов из Таджикистана и Киргизии. "
        "Полиция задержала на стройке восемь граждан, их оштрафовали."
    )
    found = {e.event_type: e for e in extract(text)}
    assert found["detention"].count == 8
    assert sorted(found["detention"].nationalities) == ["KG", "TJ"]
    en = extract("Most of the workers came from Nepal. Police detained 14 foreign nationals at the site in Kazan.")
    assert en[0].nationalities == ["NP"] and en[0].count == 14


def test_citizens_of_a_named_country_or_a_new_paragraph_take_nothing_from_before() -> None:
    text = "Мигранты приехали из Таджикистана.\n\nВ Казани полиция задержала восемь граждан."
    assert extract(text)[0].nationalities == []
    en = extract("The men came from Nepal. Police detained 14 citizens of India in Kazan.")
    assert en[0].nationalities == ["IN"]


# ---------------------------------------------------------------- NER


def test_ner_is_switched_by_argument_setting_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECRUITWATCH_NER", raising=False)
    assert not ner_mod.enabled()
    monkeypatch.setenv("RECRUITWATCH_NER", "1")
    assert ner_mod.enabled()
    ner_mod.set_enabled(False)
    try:
        assert not ner_mod.enabled()
    finally:
        ner_mod.set_enabled(None)


def test_ner_names_the_organisation_that_reports_and_keeps_the_rules_places() -> None:
    text = "Как сообщает агентство Интерфакс, в Петрозаводске полиция задержала 12 мигрантов."
    plain, with_ner = extract(text), extract(text, ner=True)
    assert [e.regions for e in with_ner] == [e.regions for e in plain] == [["RU-KR"]]
    ents = ner_mod.russian_entities(text)
    assert any(e.type == "LOC" and e.text == "Петрозаводске" for e in ents)


def test_a_ner_place_must_be_named_whole() -> None:
    # "Ближнего Востока" is no place the gazetteer has: geocode would take "Ближнее" from it
    text = "В Мурманскую область приехали 400 иностранцев из стран Ближнего Востока, их задержали."
    assert all(not any(r.startswith("UA") for r in e.regions) for e in extract(text, ner=True))


# ---------------------------------------------------------------- the generator


def test_the_news_generator_is_seeded_marked_and_gives_events() -> None:
    a, b = list(generate_news_texts(20, seed=3)), list(generate_news_texts(20, seed=3))
    assert a == b and a != list(generate_news_texts(20, seed=4))
    assert all(re.search(r"synthetic|синтетический", text) for _, text in a)
    assert {detect_language(text) for _, text in a} == {"ru", "en"}
    events = [e for name, text in a for e in extract_document(Document(name, text))]
    assert len(events) >= 40 and {"detention", "fine", "raid"} <= {e.event_type for e in events}
