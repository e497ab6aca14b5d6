"""Statistics (every figure opens onto its events) and full-text search, on both backends."""

from urllib.parse import urlencode


def test_every_figure_links_to_exactly_its_events(server, clients):
    api = clients["viewer"]
    for by in (["region"], ["nationality"], ["event_type"], ["week", "event_type"], ["month"], ["article"]):
        stats = api.get("/api/stats?" + urlencode({"by": by}, doseq=True)).json()
        assert stats["figures"], by
        for figure in stats["figures"]:
            listed = api.get(figure["events_url"]).json()
            assert listed["total"] == figure["events"], (by, figure)


def test_explain_lists_the_events_behind_each_figure(server, clients):
    stats = clients["viewer"].get("/api/stats?by=region&explain=true").json()
    by_region = {f["group"]["region"]: f for f in stats["figures"]}
    assert by_region["RU-KR"]["events"] == 3 and by_region["RU-KR"]["people"] == 3
    assert len(by_region["RU-KR"]["explain"]) == 3
    assert by_region["RU-MUR"]["people"] == 12
    assert {e["id"] for e in by_region["RU-MUR"]["explain"]} == {server.event_ids["news:detention"],
                                                                 server.event_ids["news:recruitment_approach"]}


def test_stats_refuses_unknown_grouping(clients):
    assert clients["viewer"].get("/api/stats?by=colour").status_code == 422


def test_search_finds_russian_word_forms_and_english(server, clients):
    api = clients["viewer"]
    ru = api.get("/api/search", params={"q": "задержанного штрафа"}).json()  # forms not in the text
    assert [d["id"] for d in ru["items"]] == [server.seeded.court_doc]
    en = api.get("/api/search", params={"q": "migrants market"}).json()
    assert [d["id"] for d in en["items"]] == [server.seeded.news_doc]
    assert "\x02" in en["items"][0]["snippet"]
    assert api.get("/api/search", params={"q": "Мурманск"}).json()["total"] == 0
    # FTS syntax in the query is taken as words, not as operators
    assert api.get("/api/search", params={"q": 'NEAR("x" OR) * "'}).status_code == 200


def test_search_page_highlights_escaped(server, clients):
    page = clients["viewer"].get("/search", params={"q": "Pechenga"}).text
    assert "<mark>Pechenga</mark>" in page and "<script>alert" not in page


def test_confirmed_only_figures_link_to_confirmed_events(server, clients):
    with server.client() as api:
        api.post(f"/api/events/{server.event_ids['court:fine']}/confirm", headers=server.bearer("analyst"))
    stats = clients["viewer"].get("/api/stats?by=region&confirmed=true").json()
    (figure,) = stats["figures"]
    assert figure["events"] == 1 and "confirmed=true" in figure["events_url"]
    assert clients["viewer"].get(figure["events_url"]).json()["total"] == 1
