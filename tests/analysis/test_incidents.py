"""Incidents: one happening reported by several documents is one incident, with the number of
independent lineages reporting it and differing counts side by side."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from recruitwatch.analysis import incidents
from recruitwatch.analysis.corroboration import recompute_corroboration, update_corroboration
from recruitwatch.analysis.incidents import (
    IncidentFigure,
    cluster,
    compatible,
    incident_figures,
    incident_row,
    list_incidents,
)
from recruitwatch.analysis.sources import set_source
from recruitwatch.analysis.stats import Filters, figures
from recruitwatch.models import CourtCase, Document, Event
from recruitwatch.store import Store, schema
from recruitwatch.store import corroboration as rows
from tests.analysis.corroboration_helpers import event, save_document
from tests.analysis.corroboration_texts import ORIGINAL_PARAGRAPHS, ORIGINAL_TITLE, syndicated_copies

COURT_TEXT = ("Петрозаводский городской суд Республики Карелия рассмотрел дело об административном "
              "правонарушении в отношении гражданина Сомали, задержанного 14 ноября 2023 года.")
COURT = "Петрозаводский городской суд"


def _court_record(store: Store, count: int | None = 1) -> int:
    return save_document(store, "court/petrozavodsk_5-1234_2023.html", COURT_TEXT, published=date(2023, 11, 20),
                         case=CourtCase(case_number="5-1234/2023", court=COURT, region="RU-KR"),
                         events=[event(count=count, quote=COURT_TEXT[:60])])


def _news(store: Store, url: str, text: str, count: int | None, **kw: object) -> int:
    return save_document(store, url, text, published=date(2023, 11, 15), events=[event(count=count, **kw)])


def _incidents(store: Store, **filters: object) -> list:
    return list_incidents(store, Filters(**filters))  # type: ignore[arg-type]


def test_a_court_record_and_a_news_report_of_one_detention_are_one_incident(store: Store) -> None:
    court = _court_record(store)
    news = _news(store, "https://northern-courier.example/somali", "A Somali man was detained in Petrozavodsk "
                 "on 14 November, his lawyer said.", 1)
    # A detention elsewhere the same day, and one far later in the same town: other incidents.
    _news(store, "https://other.example/murmansk", "Two Somalis were detained in Murmansk.", 2,
          regions=("RU-MUR",), place="Murmansk")
    _news(store, "https://other.example/later", "A Somali was detained in Petrozavodsk in March.", 1,
          start=date(2024, 3, 2))
    update_corroboration(store)
    found = {tuple(sorted(i.event_ids)): i for i in _incidents(store)}
    assert len(found) == 3
    shared = next(i for i in found.values() if i.events == 2)
    assert (shared.lineages, shared.documents, shared.counts, shared.count_label()) == (2, 2, [1], "1")
    assert shared.sources == sorted([COURT, "northern-courier.example"])
    with store.engine.connect() as conn:
        documents = {d for (d,) in conn.execute(select(schema.events.c.document_id)
                                                 .where(schema.events.c.id.in_(shared.event_ids)))}
    assert documents == {court, news}


def test_different_counts_are_one_incident_with_both_counts_shown(store: Store) -> None:
    _news(store, "https://a.example/1", "Police detained 40 Somalis in Petrozavodsk.", 40)
    _news(store, "https://b.example/2", "Up to 52 Somali migrants were held in Petrozavodsk.", 52)
    update_corroboration(store)
    [incident] = _incidents(store)
    assert incident.counts == [40, 52] and incident.conflicts == {"count": [40, 52]}
    assert (incident.count_low, incident.count_high, incident.count_label()) == (40, 52, "40–52")
    with store.engine.connect() as conn:
        [figure] = incident_figures(conn, [], Filters())
    assert (figure.incidents, figure.people_low, figure.people_high) == (1, 40, 52)  # never averaged to 46


def test_syndicated_copies_count_as_one_lineage(store: Store) -> None:
    text = ORIGINAL_TITLE + "\n\n" + "\n\n".join(ORIGINAL_PARAGRAPHS)
    _news(store, "https://northern-courier.example/raid", text, 40)
    for i, (_, copy) in enumerate(syndicated_copies()):
        _news(store, f"https://outlet{i}.example/raid", copy, 40)
    _court_record(store, count=None)
    update_corroboration(store)
    [incident] = _incidents(store)
    assert (incident.events, incident.documents, incident.lineages) == (12, 12, 2)
    with store.engine.connect() as conn:
        assert figures(conn, [], Filters())[0].events == 12  # the per-event figures stay reachable
        assert incident_figures(conn, [], Filters())[0].incidents == 1


def test_undated_events_join_only_their_own_lineage(store: Store) -> None:
    text = ORIGINAL_TITLE + "\n\n" + "\n\n".join(ORIGINAL_PARAGRAPHS)
    _news(store, "https://northern-courier.example/raid", text, 40, start=None)
    _news(store, "https://outlet.example/raid", syndicated_copies()[0][1], 40, start=None)
    _news(store, "https://elsewhere.example/other", "Forty Somalis were detained in Petrozavodsk.", 40, start=None)
    update_corroboration(store)
    assert sorted((i.documents, i.lineages) for i in _incidents(store)) == [(1, 1), (2, 1)]


def test_statistics_limited_by_grade(store: Store) -> None:
    _court_record(store, count=1)
    _news(store, "https://rumours.example/1", "Somalis detained in Petrozavodsk.", 1)
    _news(store, "https://rumours.example/2", "Raids in Murmansk.", 30, event_type="raid", regions=("RU-MUR",),
          place="Murmansk")
    update_corroboration(store)
    with store.engine.begin() as conn:
        set_source(conn, f"court:{COURT}", grade="A1")
        set_source(conn, "web:rumours.example", grade="E5")
    assert update_corroboration(store).incidents_written == 0  # a grade changes no membership
    with store.engine.connect() as conn:
        assert figures(conn, [], Filters())[0].events == 3
        assert figures(conn, [], Filters(min_grade="B"))[0].events == 1
        assert figures(conn, [], Filters(min_grade="E5"))[0].events == 3
        assert figures(conn, [], Filters(min_grade="A"))[0].events == 1
    # Incidents carry their best source's grade (set_source carries a new grade to them), so
    # one graded A1 keeps the shared detention.
    assert [i.event_type for i in _incidents(store, min_grade="B2")] == ["detention"]
    assert {i.best_grade for i in _incidents(store)} == {"A1", "E5"}
    with store.engine.connect() as conn:
        by_type = {f.group: f.incidents for f in incident_figures(conn, ["event_type"], Filters(min_grade="C"))}
        assert by_type == {("detention",): 1}
    with pytest.raises(ValueError):
        Filters(min_grade="G").clauses()


def test_rerun_is_idempotent_and_matches_a_full_recomputation(store: Store) -> None:
    _court_record(store)
    _news(store, "https://a.example/1", "Police detained 40 Somalis in Petrozavodsk.", 40)
    _news(store, "https://b.example/2", "Up to 52 Somali migrants were held in Petrozavodsk.", 52)
    update_corroboration(store)
    # A crashed ingest: documents stored, their corroboration never run.
    _news(store, "https://c.example/3", "Forty-five Somalis detained in Petrozavodsk.", 45)
    _news(store, "https://d.example/4", "Eight Cubans held in Murmansk.", 8, regions=("RU-MUR",), place="Murmansk",
          nationalities=("CU",))
    first = update_corroboration(store)
    assert first.incidents_written > 0
    snapshot = _state(store)
    again = update_corroboration(store)
    assert (again.documents_linked, again.documents_relineaged, again.incidents_written) == (0, 0, 0)
    assert _state(store) == snapshot
    recompute_corroboration(store)
    assert _state(store) == snapshot
    with store.engine.connect() as conn:
        fast = incident_figures(conn, ["event_type"], Filters())
        scanned = incident_figures(conn, ["event_type"], Filters(date_from=date(1900, 1, 1)))
        assert fast == scanned  # 40–52 (three reports), 1 (the court), 8 (Murmansk)
        for by in (["region"], ["week", "event_type"], ["region", "week"]):
            assert incident_figures(conn, by, Filters()) == incident_figures(conn, by, Filters(
                date_from=date(1900, 1, 1)))
        assert incident_figures(conn, ["region"], Filters(regions=["RU-MUR"])) == [
            IncidentFigure(("RU-MUR",), 1, 8, 8)]
        assert {f.group: (f.incidents, f.people_low, f.people_high) for f in fast} == {("detention",): (3, 49, 61)}


def test_a_corrected_event_leaves_its_incident_rebuilt(store: Store) -> None:
    _news(store, "https://a.example/1", "Police detained 40 Somalis in Petrozavodsk.", 40)
    _news(store, "https://b.example/2", "Up to 52 Somali migrants were held in Petrozavodsk.", 52)
    update_corroboration(store)
    [before] = _incidents(store)
    with store.engine.begin() as conn:  # an analyst corrects the second report's count
        conn.execute(schema.events.update().where(schema.events.c.id == max(before.event_ids))
                     .values(count=45, review_status="corrected"))
    assert update_corroboration(store).incidents_written == 1
    [after] = _incidents(store)
    assert (after.counts, after.count_label()) == ([40, 45], "40–45")
    assert update_corroboration(store).incidents_written == 0  # rebuilt once, then in step again
    with store.engine.begin() as conn:  # a correction that moves it elsewhere splits the incident
        conn.execute(schema.events.update().where(schema.events.c.id == max(before.event_ids))
                     .values(regions=["RU-MUR"], place="Murmansk", review_status="corrected"))
    update_corroboration(store)
    assert sorted(i.counts for i in _incidents(store)) == [[40], [45]]


def test_a_purged_document_leaves_its_incident_rebuilt(store: Store) -> None:
    _news(store, "https://a.example/1", "Police detained 40 Somalis in Petrozavodsk.", 40)
    gone = _news(store, "https://b.example/2", "Up to 52 Somali migrants were held in Petrozavodsk.", 52)
    update_corroboration(store)
    with store.engine.begin() as conn:
        conn.execute(schema.documents.delete().where(schema.documents.c.id == gone))
    update_corroboration(store)
    [incident] = _incidents(store)
    assert (incident.counts, incident.events) == ([40], 1)


def _state(store: Store) -> tuple:
    with store.engine.connect() as conn:
        incidents = sorted(tuple(r) for r in conn.execute(select(schema.incidents)))
        members = sorted(tuple(r) for r in conn.execute(select(schema.incident_events)))
        weeks = sorted(tuple(r) for r in conn.execute(select(schema.agg_incident_weeks)))
        regions = sorted(tuple(r) for r in conn.execute(select(schema.agg_incident_regions)))
        lineages = sorted(tuple(r) for r in conn.execute(select(schema.document_lineages.c.document_id,
                                                                 schema.document_lineages.c.lineage_id,
                                                                 schema.document_lineages.c.original)))
    return incidents, members, weeks, regions, lineages


def _row(**kw: object) -> dict:
    base = {"event_type": "detention", "document_id": 1, "date_start": date(2023, 11, 14),
            "date_end": date(2023, 11, 14), "country": "RU", "regions": ["RU-KR"], "place": "Petrozavodsk",
            "geo_precision": "settlement", "count": 40, "nationalities": ["SO"], "lineage_id": 1}
    return {**base, **kw}


def test_two_first_instance_cases_are_two_people_an_appeal_is_the_same_case() -> None:
    first = _row(count=1, case_number="5-1/2023", instance="first")
    assert not compatible(first, _row(document_id=2, count=1, case_number="5-2/2023", instance="first"))
    assert compatible(first, _row(document_id=2, count=1, case_number="12-40/2024", instance="appeal"))


@pytest.mark.parametrize(("other", "expected"), [
    (_row(document_id=2, count=52), True),  # counts differ within a factor of two
    (_row(document_id=2, count=1), False),  # one man is not the forty
    (_row(document_id=1), False),  # the same document: the extractor merged what was one
    (_row(document_id=2, date_start=date(2023, 11, 16), date_end=date(2023, 11, 16)), True),  # two days later
    (_row(document_id=2, date_start=date(2023, 11, 25), date_end=date(2023, 11, 25)), False),
    (_row(document_id=2, date_start=date(2023, 1, 1), date_end=date(2023, 12, 31)), False),  # a year's total
    (_row(document_id=2, regions=["RU-MUR"], place="Murmansk"), False),
    (_row(document_id=2, place="Kem"), False),  # another town in the same region
    (_row(document_id=2, regions=[], place=None, geo_precision=None), True),  # nested: no region named
    (_row(document_id=2, nationalities=["CU"]), False),
    (_row(document_id=2, nationalities=[]), True),
    (_row(document_id=2, event_type="fine"), False),
    (_row(document_id=2, date_start=None, date_end=None), False),  # undated, another lineage
    (_row(document_id=2, case_number="5-2/2023", instance="first"), True),  # a court record and a news report
])
def test_compatibility_rules(other: dict, expected: bool) -> None:
    assert compatible(_row(), other) is expected


# --- The streamed rebuild against clustering all in memory ------------------------------------

def _generated_documents(seed: int, documents: int, first_day: date) -> list[tuple[str, str, CourtCase | None,
                                                                                  list[Event]]]:
    """(origin, text, case, events) of documents about 120 days: stories repeated by several
    documents (lineages), a few court decisions, undated events, long spans reaching across
    many pages, dense days, counts two sources disagree on."""
    rng = random.Random(seed)
    stories = [" ".join(f"w{rng.randrange(5000)}" for _ in range(40)) for _ in range(documents // 10)]
    out = []
    for i in range(documents):
        case = (CourtCase(case_number=f"5-{rng.randrange(30)}/2023", court="Court", region="RU-KR",
                          instance=rng.choice(("first", "first", "appeal"))) if rng.random() < 0.15 else None)
        events = []
        for _ in range(rng.randint(1, 6)):
            roll = rng.random()
            start = None if roll < 0.12 else first_day + timedelta(days=rng.choice((rng.randrange(120), 30, 31)))
            span = 0 if roll < 0.8 else rng.randrange(1, 10) if roll < 0.93 else rng.randrange(35, 400)
            regions = tuple(rng.sample(("RU-KR", "RU-MUR", "RU-MOW", "RU-SPE"), rng.choice((0, 1, 1, 1, 2))))
            place = rng.choice((None, "Petrozavodsk", "Kem", "Murmansk")) if regions else None
            events.append(event(event_type=rng.choice(("detention", "detention", "fine", "raid")), start=start,
                                end=start + timedelta(days=span) if start else None, regions=regions, place=place,
                                count=rng.choice((None, 1, 1, 2, 40, 52, 100)),
                                nationalities=tuple(rng.sample(("UZ", "TJ", "SO"), rng.choice((0, 1, 1, 2)))),
                                quote=f"quote {i}"))
        out.append((f"https://outlet{i % 7}.example/{seed}/{i}", rng.choice(stories), case, events))
    return out


def _save_generated(store: Store, seed: int, documents: int, first_day: date = date(2023, 3, 1)) -> None:
    with store.engine.begin() as conn:
        store.save_many(conn, [(Document(origin=origin, text=text, case=case), f"{origin}\n{text}".encode(), events)
                               for origin, text, case, events in _generated_documents(seed, documents, first_day)])


def _incident_tables(store: Store) -> dict[str, list[tuple]]:
    tables = (schema.incidents, schema.incident_events, schema.incident_regions, schema.agg_incident_weeks,
              schema.agg_incident_regions)
    with store.engine.connect() as conn:
        return {t.name: sorted(conn.execute(select(t)).all(), key=repr) for t in tables}


def _in_small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of a few events and aggregates written every few groups: many boundaries to cross."""
    monkeypatch.setattr(incidents, "PAGE_EVENTS", 3)
    monkeypatch.setattr(incidents, "AGGREGATE_DELTAS", 5)


def test_the_streamed_first_clustering_writes_what_clustering_all_in_memory_gives(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _save_generated(store, seed=1, documents=400)
    with store.engine.begin() as conn:  # rejected events are in no incident
        conn.execute(schema.events.update().where(schema.events.c.id % 50 == 0).values(review_status="rejected"))
    _in_small_pages(monkeypatch)
    update_corroboration(store)
    streamed = _incident_tables(store)
    with store.engine.connect() as conn:
        events = rows.clustering_inputs(conn, conn.scalars(select(schema.events.c.id)).all())
    expected = [incident_row(members) for members in cluster(events)]
    assert len(expected) == len(streamed["incidents"]) > 300
    assert {row["id"]: row for row in expected} == {row.id: dict(row._mapping) for row in streamed["incidents"]}
    members = {e["id"]: row["id"] for row, group in zip(expected, cluster(events), strict=True) for e in group}
    assert dict(streamed["incident_events"]) == members
    assert any(row["events"] > 2 for row in expected) and any(row["date_start"] is None and row["events"] > 1
                                                              for row in expected)
    monkeypatch.setattr(incidents, "PAGE_EVENTS", 10**6)  # one page: the aggregates, written once
    monkeypatch.setattr(incidents, "AGGREGATE_DELTAS", 10**6)
    recompute_corroboration(store)
    assert _incident_tables(store) == streamed


def test_an_incremental_update_in_small_pages_is_the_one_in_one_page(tmp_path, monkeypatch: pytest.MonkeyPatch
                                                                       ) -> None:
    """New documents (some copies of stored stories, so lineages change), corrections and a
    rejection arrive after a first clustering; small pages change nothing of the result."""
    results = []
    for page_events in (3, 10**6):
        monkeypatch.setattr(incidents, "PAGE_EVENTS", page_events)
        monkeypatch.setattr(incidents, "AGGREGATE_DELTAS", min(page_events, 10**6))
        with Store(tmp_path / f"pages_{page_events}") as store:
            _save_generated(store, seed=2, documents=300)
            update_corroboration(store)
            _save_generated(store, seed=2, documents=40, first_day=date(2023, 6, 1))  # the same stories again
            E = schema.events
            with store.engine.begin() as conn:
                conn.execute(E.update().where(E.c.id % 37 == 0).values(review_status="corrected", count=7))
                conn.execute(E.update().where(E.c.id % 41 == 1).values(review_status="rejected"))
            update_corroboration(store)
            results.append(_incident_tables(store))
    assert results[0] == results[1]
    assert len(results[0]["incidents"]) > 200


def _naive_cluster(events: list[dict]) -> list[list[dict]]:
    """The clustering rule as the module states it, without indexes or a sweep: each event, in
    order, joins the first earlier cluster of its type it is compatible with in every member."""
    def order(e: dict) -> tuple:
        start = e["date_start"]
        return (start is None, e["event_type"], start or date.min, (e["date_end"] - start).days if start else 0,
                e["lineage_id"] if start is None else 0, e["id"])

    clusters: list[list[dict]] = []
    for e in sorted(events, key=order):
        home = next((c for c in clusters if all(compatible(e, m) for m in c)), None)
        if home is None:
            clusters.append([e])
        else:
            home.append(e)
    return clusters


def test_clustering_is_the_rule_applied_naively() -> None:
    events = []
    for doc_id, (_, _, case, evs) in enumerate(_generated_documents(3, 500, date(2023, 3, 1)), start=1):
        for ev in evs:
            events.append({"id": len(events) + 1, "document_id": doc_id, "event_type": ev.event_type,
                           "date_start": ev.date_start, "date_end": ev.date_end, "country": ev.country,
                           "regions": ev.regions, "place": ev.place, "geo_precision": ev.geo_precision,
                           "count": ev.count, "nationalities": ev.nationalities, "lineage_id": doc_id % 40,
                           "case_number": case and case.case_number, "instance": case and case.instance})
    def as_ids(clusters: list[list[dict]]) -> list[list[int]]:
        return sorted(sorted(e["id"] for e in c) for c in clusters)

    assert as_ids(cluster(events)) == as_ids(_naive_cluster(events))
