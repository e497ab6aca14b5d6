"""The source registry: sources keyed from origins with default kinds, registered on ingest with
the grade F6 and a monitoring period from the first capture; analysts set grades and periods."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from recruitwatch.analysis.sources import (
    list_sources,
    monitoring_changes,
    parse_grade,
    register_sources,
    set_monitoring,
    set_source,
    source_key,
)
from recruitwatch.models import CourtCase
from recruitwatch.store import Store
from tests.analysis.corroboration_helpers import save_document


@pytest.mark.parametrize(("origin", "meta", "court", "expected"), [
    ("court/x.html", {}, "Кандалакшский районный суд",
     ("court:Кандалакшский районный суд", "Кандалакшский районный суд", "court_record", "RU")),
    ("https://kandalakshsky--mrm.sudrf.ru/modules.php?id=1", {}, None,
     ("web:kandalakshsky--mrm.sudrf.ru", "kandalakshsky--mrm.sudrf.ru", "court_record", "RU")),
    ("https://www.meduza.io/news/2023/11/14/x", {}, None, ("web:meduza.io", "meduza.io", "independent_media", None)),
    ("https://mil.ru/news/1", {}, None, ("web:mil.ru", "mil.ru", "military_outlet", "RU")),
    ("https://murmansk.gov.ru/press/1", {}, None, ("web:murmansk.gov.ru", "murmansk.gov.ru", "state_body", "RU")),
    ("https://unknown-paper.fi/a", {"site": "Unknown Paper"}, None,
     ("web:unknown-paper.fi", "Unknown Paper", "unclassified", "FI")),
    ("exports/result.json#message-12", {"channel": "Astra", "url": "https://t.me/astrapress/12"}, None,
     ("telegram:astrapress", "Astra", "social_account", None)),
    ("exports/result.json#message-3", {"channel": "Без ссылок"}, None,
     ("telegram:без ссылок", "Без ссылок", "social_account", None)),
    ("vk/wall.json#post-5", {"url": "https://vk.com/wall-123_5"}, None,
     ("vk:-123", "vk.com/wall-123", "social_account", None)),
    ("/data/notes/interview.txt", {}, None, ("file:/data/notes", "/data/notes", "unclassified", None)),
])
def test_source_key(origin: str, meta: dict, court: str | None, expected: tuple) -> None:
    assert source_key(origin, meta, court) == expected


def test_a_deep_folder_gets_a_key_that_fits() -> None:
    deep = "/" + "/".join(["folder"] * 80)
    key, name, _, _ = source_key(deep + "/a.txt", {}, None)
    other, _, _, _ = source_key(deep + "x/a.txt", {}, None)
    assert len(key) == 300 and name == deep and key != other


def test_parse_grade() -> None:
    assert parse_grade("b2") == ("B", 2)
    assert parse_grade("F") == ("F", None)
    for bad in ("G", "A7", "A0", "", "AB"):
        with pytest.raises(ValueError):
            parse_grade(bad)


def test_sources_are_registered_with_default_grade_and_monitoring(store: Store) -> None:
    save_document(store, "court/a.html", "Решение суда.", case=CourtCase(court="Кемский городской суд"))
    save_document(store, "https://meduza.io/a", "First report.")
    save_document(store, "https://meduza.io/b", "Second report.")
    assert register_sources(store) == 3
    assert register_sources(store) == 0  # idempotent
    found = {s["key"]: s for s in list_sources(store)}
    assert set(found) == {"court:Кемский городской суд", "web:meduza.io"}
    assert found["web:meduza.io"]["documents"] == 2
    assert found["court:Кемский городской суд"]["kind"] == "court_record"
    assert {s["grade"] for s in found.values()} == {"F6"}
    today = datetime.now(UTC).date()
    assert found["web:meduza.io"]["monitoring"] == [{"start": today, "end": None, "automatic": True}]


def test_analyst_sets_grade_kind_and_monitoring_periods(store: Store) -> None:
    save_document(store, "https://meduza.io/a", "First report.")
    save_document(store, "exports/result.json#message-1", "Post.", meta={"channel": "Astra",
                                                                         "url": "https://t.me/astrapress/1"})
    register_sources(store)
    with store.engine.begin() as conn:
        changed = set_source(conn, "web:meduza.io", grade="b2", kind="independent_media", country="lv")
        assert (changed["reliability"], changed["credibility"], changed["country"]) == ("B", 2, "LV")
        set_monitoring(conn, "web:meduza.io", [(date(2023, 1, 1), date(2023, 6, 30)), (date(2023, 10, 1), None)])
        set_monitoring(conn, "telegram:astrapress", [(date(2023, 3, 1), None)])
        with pytest.raises(LookupError):
            set_source(conn, "web:nowhere.example", grade="A1")
        with pytest.raises(ValueError):
            set_source(conn, "web:meduza.io", kind="tabloid")
        with pytest.raises(ValueError):
            set_monitoring(conn, "web:meduza.io", [(date(2023, 6, 1), date(2023, 1, 1))])
    assert monitoring_changes(store) == [(date(2023, 1, 1), "meduza.io", "start"),
                                         (date(2023, 3, 1), "Astra", "start"),
                                         (date(2023, 6, 30), "meduza.io", "end"),
                                         (date(2023, 10, 1), "meduza.io", "start")]
    # A later capture moves no analyst's period.
    save_document(store, "https://meduza.io/c", "Third report.")
    register_sources(store)
    meduza = next(s for s in list_sources(store) if s["key"] == "web:meduza.io")
    assert meduza["grade"] == "B2" and [p["automatic"] for p in meduza["monitoring"]] == [False, False]
