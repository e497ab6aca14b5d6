"""Which place is an event's: sentences written for these tests (never the development texts)."""

from __future__ import annotations

from datetime import date

from recruitwatch.extract.news import extract_news_events
from recruitwatch.models import Document, Event, validate_event


def extract(text: str) -> list[Event]:
    events = extract_news_events(Document(origin="t.txt", text=text, published=date(2024, 5, 15)))
    for e in events:
        validate_event(e.to_contract())
    return events


def of_type(events: list[Event], event_type: str) -> list[Event]:
    return [e for e in events if e.event_type == event_type]


def test_the_one_town_of_the_sentence_before_is_the_place() -> None:
    text = (
        "Сотрудники полиции провели рейд на рынке в Кандалакше. "
        "Задержаны 12 граждан Узбекистана, у которых истек срок пребывания."
    )
    (detention,) = of_type(extract(text), "detention")
    assert detention.place == "Kandalaksha" and detention.regions == ["RU-MUR"]
    assert detention.geo_precision == "settlement" and detention.lat is not None


def test_two_towns_before_give_the_region_only() -> None:
    text = (
        "Рейды прошли в Кандалакше и Мончегорске. "
        "Задержаны 12 граждан Узбекистана, у которых истек срок пребывания."
    )
    (detention,) = of_type(extract(text), "detention")
    assert detention.place is None and detention.regions == ["RU-MUR"]


def test_a_penalty_of_the_people_tried_takes_the_courts_town() -> None:
    """"Им назначены штрафы" in a paragraph of its own: the people the court before tried."""
    text = (
        "Петрозаводский городской суд рассмотрел дела пяти граждан Ирака.\n\n"
        "Суд признал их виновными.\n\n"
        "Им назначены штрафы по 2 тыс. рублей."
    )
    (fine,) = of_type(extract(text), "fine")
    assert fine.place == "Petrozavodsk" and fine.regions == ["RU-KR"] and fine.fine_rub == 2000


def test_most_of_them_in_a_district_places_the_group() -> None:
    text = (
        "В ноябре в Мурманскую область приехали более 300 иностранцев, направлявшихся в Финляндию. "
        "Основной поток пришелся на Печенгский район."
    )
    (arrival,) = of_type(extract(text), "border_event")
    assert arrival.count == 300 and arrival.regions == ["RU-MUR"]
    assert arrival.place == "Pechenga District" and arrival.geo_precision == "region"


def test_most_of_them_in_english() -> None:
    text = (
        "About 300 people are waiting to cross the Finnish border in the Murmansk region, the governor said. "
        "Most of them have gathered in the Pechenga district, where the Storskog checkpoint is located."
    )
    events = of_type(extract(text), "border_event")
    assert [e.count for e in events] == [300]
    (arrival,) = events
    # Storskog lies in a clause that only says where a checkpoint is: not another place
    assert arrival.regions == ["RU-MUR"] and arrival.place == "Pechenga District"


def test_a_place_the_sentence_excepts_is_not_its_place() -> None:
    text = "Finland closed all its border crossings with Russia except one, that of Vartius, on Friday."
    (closure,) = of_type(extract(text), "border_event")
    assert closure.country == "FI" and closure.regions == [] and closure.place is None


def test_krome_togo_is_no_exception() -> None:
    text = "Кроме того, в Мурманске задержали пятерых граждан Сирии."
    (detention,) = of_type(extract(text), "detention")
    assert detention.place == "Murmansk"


def test_a_quoted_continuation_goes_on_from_the_last_place() -> None:
    text = (
        "Courts in Murmansk received 60 cases of migration offences last week.\n\n"
        "Of this number, 40 foreigners were ordered to be detained pending expulsion.\n\n"
        '"Another 15 people must pay a fine and leave Russia on their own," the court said.'
    )
    fines = of_type(extract(text), "fine")
    assert [(f.count, f.regions, f.place) for f in fines] == [(15, ["RU-MUR"], "Murmansk")]


def test_a_district_told_after_the_headline_places_the_merged_event() -> None:
    text = (
        "Полицейские задержали в Карелии 14 иностранцев\n\n"
        "15 мая в Лахденпохском районе задержали 14 иностранных граждан, нарушивших режим пребывания."
    )
    (detention,) = of_type(extract(text), "detention")
    assert detention.count == 14 and detention.regions == ["RU-KR"]
    assert detention.place == "Lakhdenpokhsky District"
