from recruitwatch.models import Document, Event
from recruitwatch.resolve import resolve_events


def _event(regions, place=None):
    return Event("detention", "q", (0, 1), regions=regions, place=place, country="RU")


def test_an_event_in_a_federal_city_is_placed_in_the_city():
    [ev] = resolve_events(Document("a.txt", "q"), [_event(["RU-SPE"])])
    assert ev.place == "Saint Petersburg" and ev.geo_precision == "settlement" and ev.lat
    assert ev.rules["place"] == "resolve.federal_city"


def test_other_regions_keep_no_place_but_get_their_centre():
    [ev] = resolve_events(Document("a.txt", "q"), [_event(["RU-KR"])])
    assert ev.place is None and ev.geo_precision == "region" and ev.lat


def test_several_regions_or_a_named_place_are_left_as_they_are():
    a, b = resolve_events(Document("a.txt", "q"), [_event(["RU-SPE", "RU-LEN"]), _event(["RU-MOW"], "Zelenograd")])
    assert a.place is None and b.place == "Zelenograd"
