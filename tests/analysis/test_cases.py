"""Case timelines and the funnel over documents written for the test: linked by document, by
court case, by detention centre within the window — and not linked where the rule says not."""

from __future__ import annotations

from datetime import date

from recruitwatch.analysis.cases import cases_in, facility_key, funnel
from recruitwatch.analysis.stats import Filters
from recruitwatch.models import CourtCase, Document, Event
from recruitwatch.store import Store


def _doc(store: Store, origin: str, text: str, events: list[tuple[str, str, dict]],
         case: CourtCase | None = None, published: date | None = None) -> None:
    """Save a document whose events quote sentences of `text` (type, quote, fields)."""
    evs = []
    for event_type, quote, fields in events:
        start = text.index(quote)
        evs.append(Event(event_type, quote, (start, start + len(quote)), **fields))
    with store.engine.begin() as conn:
        store.save(conn, Document(origin=origin, text=text, case=case, published=published), text.encode(), evs)


def _day(month: int, day: int, year: int = 2023) -> dict:
    d = date(year, month, day)
    return {"date_start": d, "date_end": d, "date_precision": "day"}


def _write_corpus(store: Store) -> None:
    centre = "Центр временного содержания иностранных граждан МВД по Республике Карелия"
    _doc(store, "court-kr-1.html", f"Поместить ФИО1 в {centre}.",
         [("detention", f"Поместить ФИО1 в {centre}.", {**_day(11, 10), "regions": ["RU-KR"], "count": 1,
                                                         "facility": centre})])
    _doc(store, "court-kr-2.html", f"Поместить ФИО2 в {centre}.",
         [("detention", f"Поместить ФИО2 в {centre}.", {**_day(11, 14), "regions": ["RU-KR"], "count": 1,
                                                         "facility": centre})])
    text = "Recruiters visited the detention centre in Petrozavodsk and pressed 15 detainees to sign contracts."
    _doc(store, "channel-post-1", text, [("recruitment_approach", text, {"regions": ["RU-KR"], "count": 15})],
         published=date(2023, 11, 23))
    text = ("Четверо задержанных из ЦВСИГ в Мурманске подписали контракт. "
            "Их отправили в учебный лагерь в Ростовской области.")
    first, second = text.split(". ", 1)
    _doc(store, "news-mur.html", text, [
        ("detention", first + ".", {**_day(12, 1), "regions": ["RU-MUR"], "count": 4, "facility": "ЦВСИГ"}),
        ("contract_signed", first + ".", {**_day(12, 1), "regions": ["RU-MUR"], "count": 4}),
        ("deployment", second, {**_day(12, 5), "regions": ["RU-ROS"], "count": 4})])
    # A round-up: detentions in two regions and an approach said of neither.
    text = ("In Karelia two men were detained. In Murmansk nine were detained. "
            "Detainees were approached by recruiters.")
    a, b, c = (s.strip() + ("" if s.strip().endswith(".") else ".") for s in text.split(". "))
    _doc(store, "roundup.html", text, [
        ("detention", a, {**_day(11, 20), "regions": ["RU-KR"], "count": 2}),
        ("detention", b, {**_day(11, 20), "regions": ["RU-MUR"], "count": 9}),
        ("recruitment_approach", c, {**_day(11, 21), "count": None})])
    # One court case in two decisions: the first instance detains, the appeal releases.
    text = "ФИО3 задержан сотрудниками полиции."
    _doc(store, "court-len-first.html", text, [("detention", text, {**_day(11, 3), "regions": ["RU-LEN"], "count": 1})],
         case=CourtCase(case_number="5-77/2023"))
    text = "ФИО3 из специального учреждения освободить."
    _doc(store, "court-len-appeal.html", text, [("release", text, {**_day(12, 12), "regions": ["RU-LEN"], "count": 1})],
         case=CourtCase(case_number="5-77/2023", instance="appeal"))
    # The Karelian centre again, half a year later: another period's inmates, another case.
    _doc(store, "court-kr-3.html", f"Поместить ФИО4 в {centre}.",
         [("detention", f"Поместить ФИО4 в {centre}.", {**_day(6, 1, 2024), "regions": ["RU-KR"], "count": 1,
                                                         "facility": centre})])


def test_cases_follow_the_linking_rule(store: Store) -> None:
    _write_corpus(store)
    with store.engine.connect() as conn:
        cases = cases_in(conn)
    shapes = sorted((c.stages, c.regions, sorted(e.origin for e in c.events)) for c in cases)
    assert shapes == sorted([
        # the Karelian centre's inmates in November: two court decisions, the channel's post
        # (dated by its publication) and the round-up's Karelian detention (it names no centre:
        # it stays apart)
        (["detention", "recruitment_approach"], ["RU-KR"],
         ["channel-post-1", "court-kr-1.html", "court-kr-2.html"]),
        (["detention", "contract_signed", "deployment"], ["RU-MUR", "RU-ROS"], ["news-mur.html"] * 3),
        (["detention"], ["RU-KR"], ["roundup.html"]),
        (["detention"], ["RU-MUR"], ["roundup.html"]),
        (["recruitment_approach"], [], ["roundup.html"]),
        (["detention", "release"], ["RU-LEN"], ["court-len-appeal.html", "court-len-first.html"]),
        (["detention"], ["RU-KR"], ["court-kr-3.html"]),
    ])
    karelia = next(c for c in cases if "recruitment_approach" in c.stages and c.regions == ["RU-KR"])
    assert any("detention centre in RU-KR" in why for why in karelia.links)
    court = next(c for c in cases if "release" in c.stages)
    assert "one court case: 5-77/2023" in court.links


def test_funnel_counts_cases_and_stated_people(store: Store) -> None:
    _write_corpus(store)
    with store.engine.connect() as conn:
        stages = {s.stage: s for s in funnel(cases_in(conn))}
    # Six cases with a detention; people: 1+1 (centre), 4, 2, 9, 1 (court case), 1 (2024).
    assert (stages["detention"].cases, stages["detention"].people) == (6, 19)
    assert (stages["recruitment_approach"].cases, stages["recruitment_approach"].people) == (1, 15)
    assert (stages["contract_signed"].cases, stages["contract_signed"].people) == (1, 4)
    assert (stages["deployment"].cases, stages["deployment"].people) == (1, 4)
    assert (stages["release"].cases, stages["release"].people) == (1, 1)


def test_cases_in_a_period_and_region_keep_their_whole_timeline(store: Store) -> None:
    _write_corpus(store)
    with store.engine.connect() as conn:
        cases = cases_in(conn, Filters(date(2023, 12, 1), date(2023, 12, 31), regions=["RU-LEN"]))
    # The release falls in December; the detention before it (November) comes with it.
    assert [[e.event_type for e in c.events] for c in cases] == [["detention", "release"]]


def test_facility_keys() -> None:
    assert facility_key("detention", "ЦВСИГ УМВД России по Мурманской области", "", ["RU-MUR"]) == \
        "detention centre in RU-MUR"
    assert facility_key("recruitment_approach", None, "visited the detention centre in Petrozavodsk", ["RU-KR"]) == \
        "detention centre in RU-KR"
    assert facility_key("detention", "ЦВСИГ", "", []) is None  # which centre cannot be told
    assert facility_key("deployment", "Training Camp  No. 5", "", []) == "facility training camp no. 5"
    assert facility_key("detention", None, "ФИО1 задержан.", ["RU-KR"]) is None
