"""The contract's merge rule, within one document."""

from __future__ import annotations

from datetime import date

from recruitwatch.extract.merge import merge_events, same_event
from recruitwatch.models import Event


def ev(event_type: str = "detention", at: int = 0, **kw: object) -> Event:
    return Event(event_type=event_type, quote=f"q{at}", span=(at, at + 1), doc="d", **kw)  # type: ignore[arg-type]


def test_mentions_of_one_event_merge_keeping_the_first_quote_and_most_precise_fields() -> None:
    a = ev(at=0, regions=["RU-KR"], count=40, date_start=date(2024, 3, 1), date_end=date(2024, 3, 31),
           date_precision="month")
    b = ev(at=10, regions=["RU-KR"], place="Petrozavodsk", geo_precision="settlement", count=40,
           date_start=date(2024, 3, 12), date_end=date(2024, 3, 12), date_precision="day", nationalities=["SO"])
    (m,) = merge_events([b, a])
    assert m.quote == "q0" and m.span == (0, 1)
    assert (m.date_start, m.date_precision) == (date(2024, 3, 12), "day")
    assert m.place == "Petrozavodsk" and m.nationalities == ["SO"] and m.count == 40


def test_different_types_counts_nationalities_or_regions_stay_apart() -> None:
    assert not same_event(ev("detention"), ev("fine"))
    assert not same_event(ev(count=5), ev(count=6))
    assert not same_event(ev(nationalities=["SO"]), ev(nationalities=["IQ"]))
    assert not same_event(ev(regions=["RU-KR"]), ev(regions=["RU-MUR"]))
    assert not same_event(ev(regions=["RU-KR"]), ev())  # one names a region, the other does not


def test_a_figure_given_by_one_mention_only_does_not_keep_them_apart() -> None:
    assert same_event(ev(count=12), ev())
    assert same_event(ev(nationalities=["CU"]), ev(count=3))


def test_dates_must_overlap() -> None:
    march = {"date_start": date(2024, 3, 1), "date_end": date(2024, 3, 31)}
    may = {"date_start": date(2024, 5, 2), "date_end": date(2024, 5, 2)}
    assert not same_event(ev(**march), ev(**may))
    assert same_event(ev(**march), ev())


def test_a_whole_and_a_case_inside_it_are_two_events() -> None:
    whole = ev(count=236, date_start=date(2023, 11, 1), date_end=date(2023, 11, 30))
    case = ev(count=None, date_start=date(2023, 11, 15), date_end=date(2023, 11, 15))
    assert not same_event(whole, case)


def test_a_headline_merges_with_the_regional_story() -> None:
    head = ev(rules={"title": "headline"})
    body = ev(at=50, regions=["RU-PER"], count=10)
    (m,) = merge_events([head, body])
    assert m.regions == ["RU-PER"] and m.count == 10


def test_border_closures_and_arrivals_are_never_one_event() -> None:
    closed = ev("border_event", rules={"subtype": "crossing"})
    arrived = ev("border_event", rules={"subtype": "arrival"}, count=30)
    assert len(merge_events([closed, arrived])) == 2


def test_a_sentence_about_elsewhere_does_not_merge_into_a_regional_event() -> None:
    local = ev("raid", regions=["RU-CHE"])
    national = ev("raid", at=5, rules={"scope": "elsewhere"})
    assert len(merge_events([national, local])) == 2


def test_a_district_named_later_places_the_headlines_event() -> None:
    """A district has its region's precision, yet says where in the region it happened."""
    headline = ev(at=0, regions=["RU-KR"], count=14, geo_precision="region")
    told = ev(at=10, regions=["RU-KR"], count=14, place="Lakhdenpokhsky District", geo_precision="region")
    (m,) = merge_events([headline, told])
    assert m.place == "Lakhdenpokhsky District" and m.quote == "q0"
    placed = ev(at=0, regions=["RU-KR"], place="Petrozavodsk", geo_precision="settlement")
    (m,) = merge_events([placed, told])
    assert m.place == "Petrozavodsk"  # a town is more precise than a district: it stays
