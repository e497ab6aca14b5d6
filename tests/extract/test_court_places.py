"""A court decision's events take the place of the local court that heard the case.

Decisions written for these tests in the form such decisions take (never the development texts).
"""

from __future__ import annotations

from recruitwatch.extract.court import extract_court_events
from recruitwatch.models import Document, Event, validate_event

ORDER = ("Признать ФИО1 виновным и назначить ему наказание в виде административного штрафа в размере двух "
         "тысяч рублей с административным выдворением за пределы Российской Федерации.")


def events_of(text: str) -> dict[str, Event]:
    events = extract_court_events(Document(origin="t.txt", text=text))
    for e in events:
        validate_event(e.to_contract())
    return {e.event_type: e for e in events}


def first_instance(court: str) -> str:
    return (
        "Дело № 5-10/2024\nПОСТАНОВЛЕНИЕ\n12 марта 2024 года\n"
        f"Судья {court} Иванова А.А., рассмотрев дело об административном правонарушении, предусмотренном "
        "ч. 1.1 ст. 18.8 КоАП РФ, в отношении гражданина Республики Узбекистан ФИО1,\n"
        f"УСТАНОВИЛ:\nФИО1 нарушил режим пребывания в Российской Федерации.\nПОСТАНОВИЛ:\n{ORDER}\n"
    )


def test_a_court_named_after_its_town_places_its_case_there() -> None:
    found = events_of(first_instance("Кандалакшского районного суда Мурманской области"))
    assert set(found) == {"fine", "expulsion_order"}
    for e in found.values():
        assert (e.regions, e.place, e.geo_precision) == (["RU-MUR"], "Kandalaksha", "settlement")
        assert e.lat is not None and e.rules["place"] == "court.seat"


def test_a_city_district_court_places_its_case_in_the_city() -> None:
    fine = events_of(first_instance("Ленинского районного суда г. Мурманска"))["fine"]
    assert (fine.regions, fine.place) == (["RU-MUR"], "Murmansk")


def test_a_district_court_named_after_its_district_places_its_case_there() -> None:
    fine = events_of(first_instance("Тункинского районного суда Республики Бурятия"))["fine"]
    assert (fine.regions, fine.place, fine.geo_precision) == (["RU-BU"], "Tunkinsky District", "region")


def test_an_appeal_takes_the_place_of_the_court_below() -> None:
    text = (
        "Дело № 7-21/2024\nРЕШЕНИЕ\n20 апреля 2024 года г. Петрозаводск\n"
        "Судья Верховного Суда Республики Карелия Петров П.П., рассмотрев жалобу ФИО1 на постановление судьи "
        "Сортавальского городского суда Республики Карелия от 12 марта 2024 года по делу об административном "
        "правонарушении, предусмотренном ч. 1.1 ст. 18.8 КоАП РФ, в отношении гражданина Республики Сомали ФИО1,\n"
        "УСТАНОВИЛ:\nпостановлением судьи Сортавальского городского суда Республики Карелия от 12 марта 2024 года "
        "гражданин Республики Сомали ФИО1 признан виновным и подвергнут административному наказанию в виде "
        "административного штрафа в размере 2000 рублей с административным выдворением за пределы Российской "
        "Федерации.\nРЕШИЛ:\nпостановление судьи Сортавальского городского суда Республики Карелия оставить без "
        "изменения, жалобу — без удовлетворения.\n"
    )
    fine = events_of(text)["fine"]
    assert (fine.regions, fine.place, str(fine.date_start)) == (["RU-KR"], "Sortavala", "2024-03-12")


def test_a_regional_court_alone_gives_the_region_only() -> None:
    fine = events_of(first_instance("Мурманского областного суда"))["fine"]
    assert fine.regions == ["RU-MUR"] and fine.place is None and fine.geo_precision == "region"


def test_an_inter_district_court_gives_the_region_only() -> None:
    fine = events_of(first_instance("Щекинского межрайонного суда Тульской области"))["fine"]
    assert fine.regions == ["RU-TUL"] and fine.place is None
