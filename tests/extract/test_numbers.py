"""The count grammar: each rule with the examples it is written for (natasha/yargy style)."""

from __future__ import annotations

import pytest

from recruitwatch.extract.numbers import find_counts, find_rubles, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2 000", 2000),
        ("2,000", 2000),
        ("2\u00a0000", 2000),
        ("15", 15),
        ("двух тысяч", 2000),
        ("двадцать шесть", 26),
        ("двадцати шести", 26),
        ("шести", 6),
        ("трёх", 3),
        ("двести тридцать шесть", 236),
        ("one hundred and twelve", 112),
        ("forty-two", 42),
        ("a thousand", 1000),
        ("a dozen", 12),
        ("80 тыс.", 80000),
        ("80 тысяч", 80000),
        ("1,5 тысячи", 1500),
        ("полторы тысячи", 1500),
        ("3 million", 3_000_000),
        ("пятеро", 5),
        ("четверых", 4),
        ("около 300", 300),
    ],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


def test_parse_number_rejects_words() -> None:
    assert parse_number("migrants") is None
    assert parse_number("") is None


@pytest.mark.parametrize(
    ("text", "count_text", "value"),
    [
        ("police held more than 300 people", "more than 300", 300),
        ("nearly 7,500 were checked", "nearly 7,500", 7500),
        ("almost 250,000 men", "almost 250,000", 250000),
        ("задержали около 120 человек", "около 120", 120),
        ("свыше 90 тысяч решений", "свыше 90 тысяч", 90000),
        ("более чем 40 мигрантов", "более чем 40", 40),
        ("at least 60 workers", "at least 60", 60),
    ],
)
def test_qualified_counts_keep_their_words(text: str, count_text: str, value: int) -> None:
    found = find_counts(text)
    assert [(c.text, c.value) for c in found] == [(count_text, value)]


@pytest.mark.parametrize(
    ("text", "count_text"),
    [
        ("several hundred refugees", "several hundred"),
        ("dozens of workers", "dozens"),
        ("tens of thousands of people", "tens of thousands"),
        ("несколько сотен иностранцев", "несколько сотен"),
        ("нескольких тысяч человек", "нескольких тысяч"),
        ("десятки мигрантов", "десятки"),
        ("сотни рабочих", "сотни"),
        ("тысячи приезжих", "тысячи"),
    ],
)
def test_vague_counts_have_no_value(text: str, count_text: str) -> None:
    found = find_counts(text)
    assert [(c.text, c.value) for c in found] == [(count_text, None)]


def test_singular_thousand_is_a_number() -> None:
    assert [c.value for c in find_counts("тысяча человек")] == [1000]


def test_dates_and_foreign_money_are_not_counts() -> None:
    assert find_counts("21.05.2020") == []
    assert find_counts("в 2019 году") == []
    assert find_counts("(£30; €35)") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("штраф в размере 3000 (трёх тысяч) рублей", 3000),
        ("оштрафован на 5 тыс. руб.", 5000),
        ("a fine of 4,500 roubles", 4500),
        ("fined 7,000 rubles", 7000),
        ("штраф пять тысяч рублей", 5000),
        ("штраф 1500 ₽", 1500),
    ],
)
def test_rubles(text: str, value: int) -> None:
    assert [m.value for m in find_rubles(text)] == [value]


def test_rubles_span_covers_the_currency() -> None:
    text = "назначен штраф 2500 (две тысячи пятьсот) рублей"
    (m,) = find_rubles(text)
    assert text[m.start : m.end] == m.text == "2500 (две тысячи пятьсот) рублей"


def test_counts_without_currency_are_not_rubles() -> None:
    assert find_rubles("задержали 40 человек") == []
