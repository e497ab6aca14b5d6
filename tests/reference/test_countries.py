"""Nationalities: demonyms and country names in context, Russian and English, any case."""

from __future__ import annotations

import pytest

from recruitwatch.reference.countries import country_code, find_nationalities


def codes(text: str) -> list[str]:
    return [m.code for m in find_nationalities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # demonym nouns stand alone, in any case and number
        ("в отделение доставили сомалийца", ["SO"]),
        ("двое узбеков и таджичка", ["UZ", "TJ"]),
        ("the camp held several Somalis and two Afghans", ["SO", "AF"]),
        # demonym adjectives need a word for people after them
        ("an Eritrean man was detained", ["ER"]),
        ("Syrian, Egyptian and Yemeni migrants", ["SY", "EG", "YE"]),
        ("кубинские граждане", ["CU"]),
        ("a Nepali, aged 30, said", ["NP"]),
        # country names need a citizen word before them, or "<people> from"
        ("в отношении гражданина Республики Йемен", ["YE"]),
        ("уроженца Афганистана", ["AF"]),
        ("двух граждан КНР", ["CN"]),
        ("имеющих гражданство Таджикистана", ["TJ"]),
        ("workers from Nepal, India and Sri Lanka", ["NP", "IN", "LK"]),
        ("refugees, mostly from Eritrea, the Horn of Africa and Sudan", ["ER", "SD"]),
        ("nationals of Kenya", ["KE"]),
        ("Uzbekistan citizens", ["UZ"]),
        ("мигрантов из Египта, Ирака и Сирии", ["EG", "IQ", "SY"]),
        # statelessness has a code of its own
        ("лицо без гражданства", ["XX"]),
    ],
)
def test_find_nationalities(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the Ukrainian border was quiet",  # a place, not people
        "Finnish authorities closed the road",
        "they were deported from Russia",  # where from, not whose citizens
        "выходцы из Средней Азии",  # a vague group is not coded
        "migrants from Arab countries",
        "Того же числа суд вынес решение",  # "Togo" is also a pronoun
    ],
)
def test_no_nationality(text: str) -> None:
    assert codes(text) == []


def test_mentions_point_into_the_text() -> None:
    text = "задержан гражданин Кыргызстана"
    (m,) = find_nationalities(text)
    assert text[m.start : m.end] == m.text == "Кыргызстана"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Somalia", "SO"),
        ("Сомали", "SO"),
        ("Ирака", "IQ"),
        ("Республика Узбекистан", "UZ"),
        ("КНР", "CN"),
        ("somali", "SO"),
        ("узбек", "UZ"),
        ("Syria", "SY"),
        ("Киргизии", "KG"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_code(name: str, code: str | None) -> None:
    assert country_code(name) == code


def test_pycountry_names_answer_as_pycountry_lookup_does() -> None:
    import random

    import pycountry

    from recruitwatch.reference.countries import _PYCOUNTRY_FIELDS, _pycountry_codes

    def looked_up(name: str) -> str | None:
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            return None

    names = [getattr(c, f, None) for c in pycountry.countries for f in _PYCOUNTRY_FIELDS]
    names = [n for n in names if isinstance(n, str)]
    rng = random.Random(3)
    names += [n.upper() for n in names[::7]] + ["".join(rng.sample("abcdeиванов", 5)) for _ in range(200)]
    for name in names:
        assert _pycountry_codes().get(name.lower()) == looked_up(name), name
