"""Merging mentions of one event within a document, by the contract's rule.

Two events are one when they have the same type, their dates overlap, their regions overlap,
and their counts and nationalities do not differ (equal, or given by only one of them). A date
or region that one of them does not give does not keep them apart: a headline and the sentence
that tells the same happening in full are one event. The merged event keeps the most precise
date, place and count, and the first quote.
"""

from __future__ import annotations

from datetime import date

from recruitwatch.models import Event

_GEO_RANK = {"point": 0, "settlement": 1, "region": 2, "country": 3, None: 4}


def merge_events(events: list[Event]) -> list[Event]:
    """Events of one document with the mentions of one event merged, in order of first mention."""
    out: list[Event] = []
    for ev in sorted(events, key=lambda e: e.span[0]):
        for kept in out:
            if same_event(kept, ev):
                _absorb(kept, ev)
                break
        else:
            out.append(ev)
    return out


def same_event(a: Event, b: Event) -> bool:
    """The contract's rule: one type, overlapping dates and regions, no differing figures."""
    if a.event_type != b.event_type or a.doc != b.doc:
        return False
    # "a crossing closed" and "migrants arrived" are both border events, never one happening
    sa, sb = a.rules.get("subtype"), b.rules.get("subtype")
    if sa and sb and sa != sb:
        return False
    if not _dates_overlap(a, b) or _whole_and_part(a, b):
        return False
    # a region one mention gives and the other leaves out keeps them apart, unless one is the
    # headline, which tells the story in brief
    # headline, which tells the story in brief, or both give the same figure
    same_figure = a.count is not None and a.count == b.count
    if bool(a.regions) != bool(b.regions) and not (_headline(a) or _headline(b) or same_figure):
        return False
    # "similar raids across Russia" is a wider set than the raids in one town
    if (_scoped(a) and b.regions) or (_scoped(b) and a.regions):
        return False
    if a.regions and b.regions and not set(a.regions) & set(b.regions):
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.count is not None and b.count is not None and a.count != b.count:
        return False
    if a.nationalities and b.nationalities and set(a.nationalities) != set(b.nationalities):
        return False
    return not (a.fine_rub and b.fine_rub and a.fine_rub != b.fine_rub)


def _headline(e: Event) -> bool:
    return e.rules.get("title") == "headline"


def _scoped(e: Event) -> bool:
    return e.rules.get("scope") == "elsewhere"


def _dates_overlap(a: Event, b: Event) -> bool:
    if a.date_start is None or b.date_start is None:
        return True
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a.date_start <= b_end and b.date_start <= a_end


def _whole_and_part(a: Event, b: Event) -> bool:
    """A figure for months and a happening of one day inside it are two events, unless they give
    the same figure."""
    if a.date_start is None or b.date_start is None or (a.count is not None and a.count == b.count):
        return False
    if a.count is None and b.count is None and not (a.count_text or b.count_text):
        return False  # no figure at all: nothing to be a whole of
    short, long_ = sorted((_span_days(a), _span_days(b)))
    return short <= 7 and long_ >= 27


def _span_days(e: Event) -> int:
    assert e.date_start is not None
    end: date = e.date_end or e.date_start
    return (end - e.date_start).days


def _absorb(kept: Event, other: Event) -> None:
    """Fold `other` into `kept`: the more precise date, place and count win; lists unite."""
    if other.date_start and (kept.date_start is None or _span_days(other) < _span_days(kept)):
        kept.date_start, kept.date_end, kept.date_precision = other.date_start, other.date_end, other.date_precision
        _copy_rule(kept, other, "date")
    if _GEO_RANK.get(other.geo_precision, 4) < _GEO_RANK.get(kept.geo_precision, 4) or (
        other.regions and not kept.regions
    ) or _names_place_within(other, kept):
        kept.country, kept.regions, kept.place = other.country or kept.country, other.regions, other.place
        kept.lat, kept.lon, kept.geo_precision = other.lat, other.lon, other.geo_precision
        _copy_rule(kept, other, "place")
    if kept.count is None and other.count is not None:
        kept.count, kept.count_text = other.count, other.count_text
        _copy_rule(kept, other, "count")
    kept.count_text = kept.count_text or other.count_text
    kept.nationalities = kept.nationalities or other.nationalities
    kept.actors = kept.actors + [a for a in other.actors if a not in kept.actors]
    kept.fine_rub = kept.fine_rub or other.fine_rub
    kept.facility = kept.facility or other.facility
    kept.claimed_by = kept.claimed_by or other.claimed_by
    kept.country = kept.country or other.country
    if _scoped(other):
        kept.rules["scope"] = "elsewhere"
    if not _headline(other) and other.regions:  # located now: a story of that place, no longer a headline
        kept.rules.pop("title", None)

    kept.confidence = round(min(0.99, max(kept.confidence, other.confidence) + 0.05), 2)


def _names_place_within(other: Event, kept: Event) -> bool:
    """"Detained in Karelia" told again as "detained in the Lakhdenpokhsky District": a district
    has its region's precision, yet names where in the region it happened."""
    return bool(other.place and not kept.place and other.regions and set(other.regions) <= set(kept.regions)
                and _GEO_RANK.get(other.geo_precision, 4) <= _GEO_RANK.get(kept.geo_precision, 4))


def _copy_rule(kept: Event, other: Event, key: str) -> None:
    if key in other.rules:
        kept.rules[key] = other.rules[key]
