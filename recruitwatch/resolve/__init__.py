"""Resolve: one event per happening within a document, places to coordinates (stage 4)."""

from __future__ import annotations

from recruitwatch.extract.merge import merge_events
from recruitwatch.models import Document, Event


def resolve_events(doc: Document, events: list[Event]) -> list[Event]:
    """Merge mentions of one event (the contract's rule), then give every event the coordinates
    of its place, or of its region's centre when only one region is known."""
    merged = merge_events(events)
    for ev in merged:
        name_federal_city(ev)
        fill_coordinates(ev)
    return merged


# Federal cities are regions and settlements at once: an event in the region is in the city.
FEDERAL_CITIES = {"RU-MOW": "Moscow", "RU-SPE": "Saint Petersburg", "UA-40": "Sevastopol"}


def name_federal_city(ev: Event) -> None:
    if ev.place is None and len(ev.regions) == 1 and ev.regions[0] in FEDERAL_CITIES:
        ev.place = FEDERAL_CITIES[ev.regions[0]]
        ev.rules.setdefault("place", "resolve.federal_city")


def fill_coordinates(ev: Event) -> None:
    if ev.lat is not None:  # before the import: most court events come with their seat's coordinates
        return
    from recruitwatch.reference.gazetteer import geocode, region

    found = geocode(ev.place, ev.regions) if ev.place else None
    if found is None and len(ev.regions) == 1:
        found = region(ev.regions[0])
    if found is not None and found.lat is not None:
        ev.lat, ev.lon, ev.geo_precision = found.lat, found.lon, found.geo_precision
        ev.rules.setdefault("lat", "gazetteer")
    elif ev.country and not ev.regions and ev.geo_precision is None:
        ev.geo_precision = "country"
