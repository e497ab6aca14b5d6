"""The aggregates kept on write give the figures a scan of the events gives, through inserts,
review changes and deletions, before and after compaction, on both backends."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from recruitwatch.analysis import rollups, stats
from recruitwatch.analysis.stats import Filters, figures
from recruitwatch.api import core
from recruitwatch.api.core import Filters as CoreFilters
from recruitwatch.models import Document, Event
from recruitwatch.store import Store, aggregates
from recruitwatch.store import schema as s

GROUPINGS = [["event_type"], ["week", "event_type"], ["month"], ["year", "event_type"], ["region"],
             ["region", "event_type"], ["nationality"], ["nationality", "event_type"], ["week"], []]
FILTERS = [Filters(), Filters(event_types=["detention", "fine"]), Filters(confirmed_only=True),
           Filters(date_from=date(2023, 3, 1), date_to=date(2023, 9, 30)), Filters(regions=["RU-KR"]),
           Filters(nationalities=["UZ"])]
PLACES = [("Petrozavodsk", 61.78, 34.35), ("Pechenga", 69.55, 31.2), ("Moscow", 55.75, 37.62),
          ("Nowhere", None, None), (None, None, None)]


def _fill(store: Store, n_docs: int = 12) -> None:
    rng = random.Random(5)
    with store.engine.begin() as conn:
        for i in range(n_docs):
            text = f"Документ {i}: " + "задержан " * 20
            events = []
            for j in range(rng.randrange(0, 5)):
                day = date(2023, 1, 1) + timedelta(days=rng.randrange(365))
                regions = rng.choice([[], ["RU-KR"], ["RU-MOW", "RU-KR"], ["RU-MUR"]])
                place, lat, lon = rng.choice(PLACES)
                events.append(Event(rng.choice(["detention", "fine", "raid"]), text[:10 + j], (0, 10 + j),
                                    date_start=day if rng.random() < 0.9 else None, date_end=day,
                                    regions=regions, count=rng.choice([None, 1, 3, 40]),
                                    nationalities=rng.choice([[], ["UZ"], ["TJ", "UZ"], ["KG"]]),
                                    place=place, lat=lat, lon=lon))
            store.save(conn, Document(origin=f"d{i}.txt", text=text), text.encode(), events)


def _both_ways(conn: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for by in GROUPINGS:
        for filters in FILTERS:
            fast = figures(conn, by, filters)
            with monkeypatch.context() as m:
                m.setattr(stats, "figures_from_aggregates", lambda *args: None)
                slow = figures(conn, by, filters)
            assert fast == slow, (by, filters)
    for place_filters in (CoreFilters(), CoreFilters(event_types=["fine"]), CoreFilters(statuses=["confirmed"]),
                          CoreFilters(confirmed_only=True), CoreFilters(regions=["RU-KR"])):
        fast_places = core.places(conn, place_filters)
        with monkeypatch.context() as m:
            m.setattr(rollups, "places_from_aggregates", lambda *args: None)
            slow_places = core.places(conn, place_filters)
        assert _rounded(fast_places) == _rounded(slow_places), place_filters


def _rounded(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p | {"lat": round(p["lat"], 6), "lon": round(p["lon"], 6)} for p in places]


def test_aggregates_follow_inserts_changes_and_deletions(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store)
    E = s.events
    with store.engine.begin() as conn:
        _both_ways(conn, monkeypatch)
        aggregates.compact(conn)
        _both_ways(conn, monkeypatch)
        first, second = conn.execute(select(E.c.id).order_by(E.c.id).limit(2)).scalars().all()
        # What review does: a status, a type and a count change; regions rewritten in both places.
        conn.execute(update(E).where(E.c.id == first).values(review_status="confirmed", event_type="fine", count=9))
        conn.execute(update(E).where(E.c.id == second).values(regions=["RU-LEN"], nationalities=["AZ"],
                                                               place="Murmansk", lat=68.97, lon=33.07))
        conn.execute(delete(s.event_regions).where(s.event_regions.c.event_id == second))
        conn.execute(s.event_regions.insert().values(event_id=second, region="RU-LEN"))
        conn.execute(delete(s.event_nationalities).where(s.event_nationalities.c.event_id == second))
        conn.execute(s.event_nationalities.insert().values(event_id=second, nationality="AZ"))
        # A place removed by review: it leaves the map.
        third = conn.execute(select(E.c.id).where(E.c.place == "Pechenga").limit(1)).scalar()
        if third is not None:
            conn.execute(update(E).where(E.c.id == third).values(place=None, lat=None, lon=None))
        _both_ways(conn, monkeypatch)
        # A purge: the document's events go (with their deltas).
        doc_id = conn.execute(select(func.min(s.documents.c.id))).scalar()
        for table in (s.event_regions, s.event_nationalities):
            conn.execute(delete(table).where(table.c.event_id.in_(select(E.c.id).where(E.c.document_id == doc_id))))
        conn.execute(delete(E).where(E.c.document_id == doc_id))
        _both_ways(conn, monkeypatch)
        aggregates.compact(conn)
        _both_ways(conn, monkeypatch)
        aggregates.rebuild(conn)
        _both_ways(conn, monkeypatch)
        for deltas in (s.agg_event_day_deltas, s.agg_event_nationality_deltas, s.agg_event_week_deltas,
                       s.agg_event_place_deltas):
            assert conn.execute(select(func.count()).select_from(deltas)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(s.agg_event_nationalities)).scalar() > 0
        assert conn.execute(select(func.count()).select_from(s.agg_event_places)).scalar() > 0


def test_figures_that_aggregates_cannot_answer_scan_the_events(store: Store) -> None:
    _fill(store, 3)
    with store.engine.connect() as conn:
        assert rollups.figures_from_aggregates(conn, ["region"], Filters(date_from=date(2023, 1, 1)).clauses(),
                                               stats._group_column) is None
        assert rollups.figures_from_aggregates(conn, ["nationality"], Filters(date_to=date(2023, 6, 1)).clauses(),
                                               stats._group_column) is None
        assert rollups.figures_from_aggregates(conn, ["nationality", "region"], [], stats._group_column) is None
        assert rollups.places_from_aggregates(conn, Filters(regions=["RU-KR"]).clauses(), 10) is None
        assert rollups.figures_from_aggregates(conn, ["week"], Filters(regions=["RU-KR"]).clauses(),
                                               stats._group_column) is None


def test_upgrade_counts_the_events_stored_before_it(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    _fill(store)
    config = Config()
    config.set_main_option("script_location", str(resources.files("recruitwatch.store") / "migrations"))
    for target, step in (("0002", command.downgrade), ("head", command.upgrade), ("0003", command.downgrade),
                         ("head", command.upgrade)):
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            step(config, target)
    with store.engine.begin() as conn:
        _both_ways(conn, monkeypatch)


def test_explain_lists_the_events_behind_a_figure_on_each_backend(store):
    from recruitwatch.analysis.stats import Filters, explain, figures
    from tests.store.test_store import sample_document

    doc, raw, events = sample_document()
    with store.engine.begin() as conn:
        store.save(conn, doc, raw, events)
    with store.engine.connect() as conn:
        for figure in figures(conn, ["region", "event_type"], Filters()):
            behind = explain(conn, ["region", "event_type"], figure.group, Filters())
            assert len(behind) == figure.events and all(row["quote"] for row in behind)
