"""Pages render from the same core as the API, with or without the chart libraries."""

import json
import re

from tests.api.conftest import Server


def test_overview_without_node_modules_still_has_every_table(store, tmp_path):
    server = Server(store, node_modules=tmp_path / "absent")
    page = server.client().get("/").text
    assert "/vendor/" not in page and "vegaEmbed" not in page
    for table in ('id="types"', 'id="regions"', 'id="nationalities"'):
        assert table in page
    assert '<a href="/events?region=RU-KR">3</a>' in page
    assert server.client().get("/vendor/vega/vega.min.js").status_code == 404


def test_overview_with_node_modules_loads_the_charts(store, tmp_path):
    for name in ("vega", "vega-lite", "vega-embed"):
        (tmp_path / "nm" / name / "build").mkdir(parents=True)
    (tmp_path / "nm" / "vega" / "build" / "vega.min.js").write_text("// stub")
    server = Server(store, node_modules=tmp_path / "nm")
    client = server.client()
    page = client.get("/").text
    assert '<script src="/vendor/vega-embed/vega-embed.min.js"></script>' in page
    assert client.get("/vendor/vega/vega.min.js").text == "// stub"
    assert client.get("/vendor/vega/../../secret").status_code == 404
    assert client.get("/static/overview.js").status_code == 200


def weekly_bars(page: str) -> list[dict]:
    """The weekly chart's bars as overview.js reads them from the page's compact data."""
    data = json.loads(re.search(r'id="weekly-data">(.*?)</script>', page).group(1))
    return [{"week": data["weeks"][w], "type": data["types"][t], "events": events,
             "url": data["link"] + "week=" + data["weeks"][w] + "&" + data["type_params"][t]}
            for w, t, events in data["bars"]]


def weekly_table(page: str) -> list[dict]:
    """The rows of the weekly figures table (the chart's figures without JavaScript)."""
    rows = re.findall(r'<tr><td>([^<]+)</td><td>([^<]+)</td><td><a href="(/events\?[^"]*week=[^"]+)">(\d+)</a>', page)
    return [{"week": week, "type": kind, "events": int(events), "url": url.replace("&amp;", "&")}
            for week, kind, url, events in rows]


def test_weekly_chart_data_links_each_bar_to_its_events(server, clients):
    page = clients["viewer"].get("/").text
    data = weekly_bars(page)
    assert {(d["week"], d["type"]) for d in data} >= {("2023-11-20", "detention"), ("2023-11-27", "detention")}
    for bar in data:
        listed = clients["viewer"].get("/api" + bar["url"]).json()
        assert listed["total"] == bar["events"]
    places = json.loads(re.search(r'id="places-data">(.*?)</script>', page).group(1))
    assert {p["place"] for p in places} == {"Petrozavodsk", "Pechenga"}


def test_weekly_chart_and_table_show_the_same_figures_and_links(server, clients):
    for query in ("", "?region=RU-KR&region=RU-MUR", "?confirmed=true", "?type=detention&from=2023-11-01"):
        page = clients["viewer"].get("/" + query).text
        assert weekly_bars(page) == [r for r in weekly_table(page) if r["week"] != "no date"], query
        for bar in weekly_bars(page):
            assert clients["viewer"].get("/api" + bar["url"]).json()["total"] == bar["events"], bar["url"]


def test_map_places_open_onto_their_events_under_the_pages_filters(server, clients):
    for query in ("", "?region=RU-KR", "?type=detention&nationality=SO", "?place=Pechenga"):
        places = json.loads(re.search(r'id="places-data">(.*?)</script>',
                                      clients["viewer"].get("/" + query).text).group(1))
        assert places, query
        for place in places:
            assert f"place={place['place']}" in place["url"]
            assert clients["viewer"].get("/api" + place["url"]).json()["total"] == place["events"], place["url"]


def test_weekly_figures_follow_every_change_to_the_events(server, clients):
    def figures() -> dict[tuple[str, str], int]:
        page = clients["viewer"].get("/").text
        return {(r["week"], r["type"]): r["events"] for r in weekly_table(page)}

    before = figures()
    assert before[("2023-11-27", "detention")] == 1
    ev = server.event_ids["news:detention"]
    with server.client() as api:
        # Moved to another week: the same number of figures and events, in other groups.
        moved = {"date_start": "2023-11-13", "date_end": "2023-11-13"}
        assert api.post(f"/api/events/{ev}/correct", headers=server.bearer("analyst"),
                        json={"fields": moved}).status_code == 200
        after = figures()
        assert ("2023-11-27", "detention") not in after and after[("2023-11-13", "detention")] == 1
        assert sum(after.values()) == sum(before.values())
        assert api.post(f"/api/events/{ev}/reject", headers=server.bearer("analyst"),
                        json={"reason": "duplicate"}).status_code == 200
    assert figures() == {k: v for k, v in before.items() if k != ("2023-11-27", "detention")}


def test_every_figure_on_the_overview_opens_onto_its_events(server, clients):
    page = clients["viewer"].get("/").text
    links = re.findall(r'<td><a href="(/events\?[^"]+)">(\d+)</a></td>', page)
    assert len(links) >= 6
    for href, shown in links:
        listed = clients["viewer"].get("/api" + href.replace("&amp;", "&")).json()
        assert listed["total"] == int(shown), href


def test_region_shading_gives_every_region_its_count_and_link(server, clients):
    from recruitwatch.web.regions import ISO_BY_NAME

    page = clients["viewer"].get("/").text
    rows = json.loads(re.search(r'id="regions-data">(.*?)</script>', page).group(1))
    assert len(rows) == len(ISO_BY_NAME) == len({r["region"] for r in rows}) == 83
    by_code = {r["region"]: r for r in rows}
    assert by_code["RU-KR"]["events"] == 3 and by_code["RU-MUR"]["events"] == 2
    assert by_code["RU-CHU"] == {"name": "Chukchi Autonomous Okrug", "region": "RU-CHU", "events": 0, "people": 0,
                                 "url": "/events?region=RU-CHU"}
    for code in ("RU-KR", "RU-MUR", "RU-MOW"):
        assert by_code[code]["url"] == f"/events?region={code}"
        listed = clients["viewer"].get("/api" + by_code[code]["url"]).json()
        assert listed["total"] == by_code[code]["events"]


def test_region_shapes_are_served_only_when_installed(store, tmp_path):
    from fastapi.testclient import TestClient

    from recruitwatch.api import Settings, create_app
    from recruitwatch.web import regions

    for name in ("vega", "vega-lite", "vega-embed"):
        (tmp_path / "nm" / name / "build").mkdir(parents=True)
    client = Server(store, node_modules=tmp_path / "nm").client()
    assert 'data-regions=""' in client.get("/").text
    assert client.get("/vendor/regions/rus.topo.json").status_code == 404
    shapes = tmp_path / "nm" / regions.PACKAGE / regions.FILE
    shapes.parent.mkdir(parents=True)
    shapes.write_text('{"type": "Topology", "objects": {"RUS": {}}}')
    with TestClient(create_app(store, Settings(secret_key="t", node_modules=tmp_path / "nm"))) as client:
        assert 'data-regions="/vendor/regions/rus.topo.json"' in client.get("/").text
        assert client.get("/vendor/regions/rus.topo.json").json()["type"] == "Topology"
        assert client.get("/vendor/regions/usa.topo.json").status_code == 404


def test_events_page_filters_sorts_and_pages(server, clients, store):
    server.app.state.settings.page_size = 2
    client = clients["viewer"]
    page = client.get("/events?type=detention&sort=-count").text
    rows = re.findall(r'<tr class="status-[a-z]+">', page)
    assert len(rows) == 2 and page.index("Pechenga") < page.index("Petrozavodsk")
    first = client.get("/events").text
    assert 'rel="next"' in first and "page 1 of 3" in first
    assert "page 3 of 3" in client.get("/events?page=3").text
    assert client.get("/events?week=yesterday").status_code == 422


def test_document_page_lists_its_events_and_text(server, clients):
    page = clients["viewer"].get(f"/documents/{server.seeded.news_doc}").text
    assert page.count('<tr class="status-machine">') == 2 and "Police detained 12 migrants" in page
