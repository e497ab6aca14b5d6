"""Every reading route, for every role: open instances let everyone read; with require_login,
only accounts do."""

import pytest

from tests.api.conftest import ROLES

API_ROUTES = ["/api/events", "/api/events/{ev}", "/api/documents", "/api/documents/{doc}", "/api/stats",
              "/api/stats?by=region&by=week&explain=true", "/api/search?q=задержан", "/api/export/events.csv",
              "/api/export/events.jsonl", "/api/export/acled.csv", "/api/export/ftm.jsonl", "/api/me",
              "/api/openapi.json"]
PAGES = ["/", "/events", "/events/{ev}", "/documents", "/documents/{doc}", "/search?q=detained", "/login"]


def _path(server, template):
    return template.format(ev=server.event_ids["court:detention"], doc=server.seeded.court_doc)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_role_reads_every_route(server, clients, role):
    for template in API_ROUTES + PAGES:
        response = clients[role].get(_path(server, template))
        assert response.status_code == 200, (template, role, response.text[:200])


@pytest.mark.parametrize("role", ROLES)
def test_tokens_read_the_api(server, role):
    with server.client() as client:
        for template in API_ROUTES:
            assert client.get(_path(server, template), headers=server.bearer(role)).status_code == 200


def test_require_login_refuses_anonymous_readers(make_server):
    server = make_server(require_login=True)
    anonymous, viewer = server.client(), server.client("viewer")
    for template in API_ROUTES:
        if template in ("/api/openapi.json", "/api/me"):
            continue
        assert anonymous.get(_path(server, template)).status_code == 401, template
        assert viewer.get(_path(server, template)).status_code == 200, template
    for template in PAGES[:-1]:
        response = anonymous.get(_path(server, template))
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), template
        assert viewer.get(_path(server, template)).status_code == 200, template


def test_a_wrong_token_is_refused_not_ignored(server):
    with server.client() as client:
        assert client.get("/api/events", headers={"Authorization": "Bearer rw_nope"}).status_code == 401


def test_missing_things_are_404(server, clients):
    for path in ("/api/events/999999", "/api/documents/999999", "/events/999999", "/documents/999999"):
        assert clients["viewer"].get(path).status_code == 404, path


def test_event_record_has_every_field_quote_hashes_and_capture(server, clients):
    ev_id = server.event_ids["court:detention"]
    record = clients["analyst"].get(f"/api/events/{ev_id}").json()
    ev, doc = record["event"], record["document"]
    assert ev["event_type"] == "detention" and ev["regions"] == ["RU-KR"] and ev["review_status"] == "machine"
    assert record["text"]["quote"] == ev["quote"] and ev["quote"].startswith("Абдуллахи М.А. задержан")
    assert len(doc["blob_sha256"]) == 64 and len(doc["text_hash"]) == 64 and doc["captured_at"] and doc["size"] > 0
    assert record["case"]["case_number"] == "5-1/2023" and record["audit"] == []


def test_events_filters_sort_and_pages(server, clients):
    api = clients["viewer"]
    assert api.get("/api/events").json()["total"] == 5
    assert api.get("/api/events?type=detention").json()["total"] == 2
    assert api.get("/api/events?region=RU-MUR").json()["total"] == 2
    assert api.get("/api/events?nationality=SO").json()["total"] == 3
    assert api.get("/api/events?nationality=none").json()["total"] == 2
    assert api.get("/api/events?from=2023-11-25&to=2023-11-30").json()["total"] == 2
    assert api.get(f"/api/events?document={server.seeded.news_doc}").json()["total"] == 2
    assert api.get("/api/events?status=confirmed").json()["total"] == 0
    first = api.get("/api/events?per_page=2&sort=count").json()
    assert first["pages"] == 3 and first["next_url"].endswith("page=2") and len(first["items"]) == 2
    assert [e["count"] for e in first["items"]] == [1, 1]
    desc = api.get("/api/events?sort=-count").json()["items"]
    assert desc[0]["count"] == 12
    assert api.get("/api/events?per_page=0").status_code == 422


def test_documents_list_and_page(server, clients):
    docs = clients["viewer"].get("/api/documents").json()
    assert docs["total"] == 2 and {d["events"] for d in docs["items"]} == {2, 3}
    doc = clients["viewer"].get(f"/api/documents/{server.seeded.news_doc}").json()
    assert len(doc["events"]) == 2 and doc["text"].startswith("Migrants detained")


def test_related_reports_are_listed(server, clients, store):
    from datetime import date

    from recruitwatch.models import Document, Event

    text = "Another report: a Somali man was detained in Petrozavodsk on 21 November 2023."
    with store.engine.begin() as conn:
        store.save(conn, Document(origin="other.txt", text=text), text.encode(),
                   [Event("detention", text, (0, len(text)), regions=["RU-KR"], date_start=date(2023, 11, 21),
                          date_end=date(2023, 11, 21))])
    record = clients["viewer"].get(f"/api/events/{server.event_ids['court:detention']}").json()
    assert [r["origin"] for r in record["related"]] == ["other.txt"]


def test_events_and_stats_limited_by_source_grade(server, clients, store):
    from recruitwatch.analysis.sources import list_sources, register_sources, set_source

    register_sources(store)
    news_source = next(s["key"] for s in list_sources(store) if not s["key"].startswith("court:"))
    with store.engine.begin() as conn:
        set_source(conn, news_source, grade="B2")  # the court keeps the default F6
    anon = clients[None]
    assert anon.get("/api/events", params={"per_page": 100}).json()["total"] == 5
    graded = anon.get("/api/events", params={"per_page": 100, "grade": "b"}).json()
    assert graded["total"] == 2 and {e["document_id"] for e in graded["items"]} == {server.seeded.news_doc}
    figures = anon.get("/api/stats", params={"by": "event_type", "grade": "B2"}).json()
    assert sum(f["events"] for f in figures["figures"]) == 2
    assert anon.get("/api/events", params={"grade": "G"}).status_code == 422
