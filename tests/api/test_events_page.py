"""The events page read through narrow indexes (migration 0008) lists and counts exactly what a
plain query over the events gives, for every filter and date order, on every page, through
inserts, review changes and deletions, on both backends."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from unittest.mock import patch

from sqlalchemy import and_, delete, func, select, update

from recruitwatch.api import core
from recruitwatch.api.core import NONE, Filters
from recruitwatch.models import Document, Event
from recruitwatch.store import Store
from recruitwatch.store import schema as s

E, R, N = s.events, s.event_regions, s.event_nationalities
FILTERS = [Filters(), Filters(regions=["RU-KR"]), Filters(regions=["RU-KR", "RU-MOW"]), Filters(regions=[NONE]),
           Filters(regions=["RU-KR", NONE]), Filters(nationalities=["UZ"]), Filters(nationalities=["UZ", "TJ"]),
           Filters(event_types=["detention"], date_from=date(2023, 3, 1), date_to=date(2023, 9, 30)),
           Filters(regions=["RU-MOW"], event_types=["fine"], date_from=date(2023, 5, 1)),
           Filters(regions=["RU-KR"], nationalities=["UZ"]), Filters(nationalities=["TJ"], confirmed_only=True),
           Filters(statuses=["rejected"]), Filters(regions=["RU-MOW"], statuses=["confirmed", "rejected"]),
           Filters(regions=["RU-KR"], place="Petrozavodsk"), Filters(nationalities=["UZ"], month="2023-04"),
           Filters(regions=["RU-MOW"], week=NONE), Filters(week="2023-05-01"), Filters(week="2023-05-03"),
           Filters(event_types=["fine"], month="2023-02"), Filters(regions=["RU-KR"], year="2023"),
           Filters(month="2023-13"), Filters(year="0000")]
SORTS = ["-date", "date", "-id", "count"]


def _fill(store: Store, n_docs: int = 40) -> None:
    rng = random.Random(8)
    with store.engine.begin() as conn:
        for i in range(n_docs):
            text = f"Документ {i}: " + "задержан " * 30
            events = []
            for j in range(rng.randrange(1, 6)):
                day = date(2023, 1, 1) + timedelta(days=rng.randrange(365))
                undated = rng.random() < 0.15
                events.append(Event(rng.choice(["detention", "fine", "raid"]), text[:10 + j], (0, 10 + j),
                                    date_start=None if undated else day, date_end=None if undated else day,
                                    regions=rng.choice([[], ["RU-KR"], ["RU-MOW", "RU-KR"], ["RU-MOW"]]),
                                    nationalities=rng.choice([[], ["UZ"], ["TJ", "UZ"], ["TJ"]]),
                                    count=rng.choice([None, 1, 4]),
                                    place=rng.choice([None, "Petrozavodsk"]), lat=61.78, lon=34.35))
            store.save(conn, Document(origin=f"page{i}.txt", text=text), text.encode(), events)


def _plain(conn: Any, filters: Filters, sort: str, page: int, per_page: int) -> tuple[list[int], int]:
    """The page's ids and the total by the plain query: every matching event, sorted in full,
    without the date range that week, month and year filters add for the index's sake."""
    with patch.object(core, "_date_range", lambda *_: []):
        where = and_(True, *filters.clauses())
    query = core._event_rows(select(E.c.id)).where(where).order_by(*core._order(sort))
    ids = conn.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    total = conn.execute(select(func.count()).select_from(E).where(where)).scalar_one()
    return list(ids), total


def _same_as_plain(conn: Any) -> None:
    for filters in FILTERS:
        for sort in SORTS:
            for page in (1, 2, 4, 40):
                found = core.list_events(conn, filters, sort, page, per_page=7)
                ids, total = _plain(conn, filters, sort, page, 7)
                assert ([row["id"] for row in found.items], found.total) == (ids, total), (filters, sort, page)


def _copies_follow_the_events(conn: Any) -> None:
    for table in (R, N):
        rows = conn.execute(select(table.c.event_id, *(table.c[c] for c in core.COPIED))).all()
        events = {r.id: tuple(r[1:]) for r in conn.execute(select(E.c.id, *(E.c[c] for c in core.COPIED)))}
        assert rows and all(tuple(row[1:]) == events[row.event_id] for row in rows)


def test_pages_and_totals_equal_a_plain_query(store: Store) -> None:
    _fill(store)
    with store.engine.begin() as conn:
        _copies_follow_the_events(conn)
        _same_as_plain(conn)
        # What review does: a status, a type and a date change; regions rewritten.
        first, second, third = conn.execute(select(E.c.id).order_by(E.c.id).limit(3)).scalars().all()
        conn.execute(update(E).where(E.c.id == first).values(review_status="rejected"))
        conn.execute(update(E).where(E.c.id == second).values(event_type="fine", date_start=date(2023, 5, 2),
                                                               date_end=date(2023, 5, 3), review_status="corrected"))
        conn.execute(delete(R).where(R.c.event_id == third))
        conn.execute(R.insert().values(event_id=third, region="RU-MOW"))
        conn.execute(update(E).where(E.c.id == third).values(review_status="confirmed", date_start=None))
        # A purge: a document's events go.
        doc_id = conn.execute(select(func.max(s.documents.c.id))).scalar()
        for table in (R, N):
            conn.execute(delete(table).where(table.c.event_id.in_(select(E.c.id).where(E.c.document_id == doc_id))))
        conn.execute(delete(E).where(E.c.document_id == doc_id))
        _copies_follow_the_events(conn)
        _same_as_plain(conn)


def test_a_region_filtered_page_reads_the_region_rows(store: Store) -> None:
    _fill(store, 3)
    source = core._id_source(Filters(regions=["RU-KR"], event_types=["fine"], nationalities=["UZ"]))
    assert source.table is R and not source.distinct
    # Type and status are read from the copies; the nationality through the event's id.
    sql = str(source.count().compile(store.engine))
    assert "event_regions.event_type" in sql and "event_regions.review_status" in sql
    assert "events." not in sql
    assert core._id_source(Filters(regions=[NONE])).table is E
    assert core._id_source(Filters(nationalities=["UZ", "TJ"])).distinct


def test_upgrade_copies_the_events_stored_before_it(store: Store) -> None:
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("recruitwatch.store") / "migrations"))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")
    _fill(store, 12)  # written without the copies: the columns are not there yet
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with store.engine.begin() as conn:
        _copies_follow_the_events(conn)
        _same_as_plain(conn)
