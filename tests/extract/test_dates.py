"""The date grammars: absolute ones, and relative ones resolved against an anchor."""

from __future__ import annotations

from datetime import date

import pytest

from recruitwatch.extract.dates import document_date, find_dates, parse_date

ANCHOR = date(2024, 5, 15)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 марта 2017 года", date(2017, 3, 6)),
        ("«14» августа 2019 г.", date(2019, 8, 14)),
        ("21.05.2020", date(2020, 5, 21)),
        ("03/04/2022", date(2022, 4, 3)),
        ("2023-11-28", date(2023, 11, 28)),
        ("November 29, 2023", date(2023, 11, 29)),
        ("4 July 2021", date(2021, 7, 4)),
        ("12 Sept 2022", date(2022, 9, 12)),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def _one(text: str, anchor: date | None = ANCHOR) -> tuple[date, date, str]:
    found = find_dates(text, anchor)
    assert len(found) == 1, found
    d = found[0]
    assert text[d.start : d.end] == d.text
    return d.date_start, d.date_end, d.precision


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        # absolute
        ("it happened on 3 May 2024", date(2024, 5, 3), date(2024, 5, 3), "day"),
        ("в ноябре 2022 года", date(2022, 11, 1), date(2022, 11, 30), "month"),
        ("in 2021 alone", date(2021, 1, 1), date(2021, 12, 31), "year"),
        ("в 2020 году", date(2020, 1, 1), date(2020, 12, 31), "year"),
        ("в первом квартале 2025 года", date(2025, 1, 1), date(2025, 3, 31), "quarter"),
        ("in the third quarter of 2022", date(2022, 7, 1), date(2022, 9, 30), "quarter"),
        ("во втором полугодии 2021 года", date(2021, 7, 1), date(2021, 12, 31), "range"),
        ("in the last three months of 2022", date(2022, 10, 1), date(2022, 12, 31), "quarter"),
        ("за девять месяцев 2023 года", date(2023, 1, 1), date(2023, 9, 30), "range"),
        ("с 4 по 10 марта", date(2024, 3, 4), date(2024, 3, 10), "range"),
        ("в 2022-2023 годах", date(2022, 1, 1), date(2023, 12, 31), "range"),
        # relative to the anchor
        ("over the past two weeks", date(2024, 5, 1), ANCHOR, "range"),
        ("за последние три месяца", date(2024, 2, 15), ANCHOR, "range"),
        ("in early April", date(2024, 4, 1), date(2024, 4, 10), "range"),
        ("in mid-March", date(2024, 3, 10), date(2024, 3, 20), "range"),
        ("в конце апреля", date(2024, 4, 21), date(2024, 4, 30), "range"),
        ("в прошлом месяце", date(2024, 4, 1), date(2024, 4, 30), "month"),
        ("на прошлой неделе", date(2024, 5, 6), date(2024, 5, 12), "week"),
        ("last year", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("в этом году", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("в марте", date(2024, 3, 1), date(2024, 3, 31), "month"),
        ("in October", date(2023, 10, 1), date(2023, 10, 31), "month"),
        ("вчера", date(2024, 5, 14), date(2024, 5, 14), "day"),
        ("on Monday", date(2024, 5, 13), date(2024, 5, 13), "day"),
        ("в пятницу", date(2024, 5, 10), date(2024, 5, 10), "day"),
        ("two weeks ago", date(2024, 4, 29), date(2024, 5, 5), "week"),
        ("since the beginning of the year", date(2024, 1, 1), ANCHOR, "range"),
        ("с начала апреля", date(2024, 4, 1), ANCHOR, "range"),
        ("in recent weeks", date(2024, 4, 17), ANCHOR, "range"),
        ("on April 30", date(2024, 4, 30), date(2024, 4, 30), "day"),
    ],
)
def test_find_dates(text: str, start: date, end: date, precision: str) -> None:
    assert _one(text) == (start, end, precision)


def test_relative_dates_need_an_anchor() -> None:
    assert find_dates("на прошлой неделе", None) == []
    assert find_dates("in mid-March", None) == []


def test_day_without_year_takes_the_anchor_year_or_the_one_before() -> None:
    assert _one("on December 20", date(2024, 1, 5))[0] == date(2023, 12, 20)


def test_document_date_is_a_date_line_near_the_top() -> None:
    text = "Headline about migrants\nSome Site\n14/02/2024 10:15\n\nIn 2019 something else happened."
    assert document_date(text) == date(2024, 2, 14)
    assert document_date("No date at all in this text.") is None
