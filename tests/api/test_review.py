"""Review actions for every role, through the API (token and cookie) and the HTML forms; every
change leaves its audit row."""

import pytest

from tests.api.conftest import csrf_of

WRITES = [("confirm", None), ("correct", {"fields": {"count": 2}, "reason": "two people"}),
          ("reject", {"reason": "not a detention"})]


def _post(client, path, body=None, csrf=None):
    """A POST as the browser's scripts make it: with the CSRF cookie's value in a header."""
    if csrf is None:
        client.get("/")  # a first visit sets the CSRF cookie
        csrf = client.cookies.get("rw_csrf")
    headers = {"X-CSRF-Token": csrf}
    return client.post(path, json=body, headers=headers)


@pytest.mark.parametrize("action,body", WRITES)
def test_review_refused_without_account_and_for_viewers(server, clients, action, body):
    path = f"/api/events/{server.event_ids['court:fine']}/{action}"
    anonymous, viewer = clients[None], clients["viewer"]
    assert _post(anonymous, path, body, anonymous.cookies.get("rw_csrf")).status_code == 401
    assert _post(viewer, path, body, viewer.cookies.get("rw_csrf")).status_code == 403
    assert viewer.post(path, json=body, headers=server.bearer("viewer")).status_code == 403


@pytest.mark.parametrize("role", ["analyst", "admin"])
@pytest.mark.parametrize("action,body", WRITES)
def test_review_allowed_for_analysts_and_admins(server, clients, role, action, body):
    path = f"/api/events/{server.event_ids['court:fine']}/{action}"
    response = _post(clients[role], path, body, clients[role].cookies.get("rw_csrf"))
    assert response.status_code == 200, response.text
    expected = {"confirm": "confirmed", "correct": "corrected", "reject": "rejected"}[action]
    assert response.json()["review_status"] == expected
    audit = clients["viewer"].get(f"/api/events/{server.event_ids['court:fine']}").json()["audit"]
    assert [(a["username"], a["action"]) for a in audit] == [(role, action)]
    assert audit[0]["before"]["review_status"] == "machine" and audit[0]["after"]["review_status"] == expected


def test_correction_changes_fields_statistics_and_keeps_before_and_after(server):
    ev = server.event_ids["news:detention"]
    with server.client() as api:
        done = api.post(f"/api/events/{ev}/correct", headers=server.bearer("analyst"),
                        json={"fields": {"regions": ["RU-KR"], "count": 15, "date_start": "2023-11-26"},
                              "reason": "source says 15, in Karelia"})
        assert done.status_code == 200, done.text
        record = api.get(f"/api/events/{ev}").json()
        assert record["event"]["regions"] == ["RU-KR"] and record["event"]["count"] == 15
        assert str(record["event"]["week"]) == "2023-11-20"
        (entry,) = record["audit"]
        assert entry["before"]["count"] == 12 and entry["after"]["count"] == 15
        assert entry["before"]["regions"] == ["RU-MUR"] and entry["reason"] == "source says 15, in Karelia"
        regions = {f["group"]["region"]: f["people"] for f in api.get("/api/stats?by=region").json()["figures"]}
        assert regions["RU-KR"] == 3 + 15


def test_bad_corrections_are_refused_and_change_nothing(server):
    ev = server.event_ids["news:detention"]
    with server.client() as api:
        for fields in ({"event_type": "picnic"}, {"count": "many"}, {"quote": "x"}, {"actors": ["aliens"]},
                       {"date_start": "20.11.2023"}, {"regions": ["Karelia"]}, {"country": "Russia"},
                       {"nationalities": ["Somali"]}, {}):
            response = api.post(f"/api/events/{ev}/correct", headers=server.bearer("analyst"), json={"fields": fields})
            assert response.status_code == 422, fields
        assert api.post(f"/api/events/{ev}/reject", headers=server.bearer("analyst"),
                        json={"reason": " "}).status_code == 422
        assert api.post("/api/events/99999/confirm", headers=server.bearer("analyst")).status_code == 404
        assert api.get(f"/api/events/{ev}").json()["audit"] == []


def test_rejected_events_leave_lists_and_stats_unless_asked_for(server):
    ev = server.event_ids["news:detention"]
    with server.client() as api:
        api.post(f"/api/events/{ev}/reject", headers=server.bearer("analyst"), json={"reason": "duplicate"})
        assert api.get("/api/events").json()["total"] == 4
        assert api.get("/api/events?status=rejected").json()["total"] == 1
        people = api.get("/api/stats?by=event_type").json()["figures"]
        assert {f["group"]["event_type"]: f["people"] for f in people}["detention"] == 1


def test_stats_can_count_confirmed_events_only(server):
    with server.client() as api:
        api.post(f"/api/events/{server.event_ids['court:fine']}/confirm", headers=server.bearer("analyst"))
        figures = api.get("/api/stats?by=event_type&confirmed=true").json()["figures"]
        assert [(f["group"]["event_type"], f["events"]) for f in figures] == [("fine", 1)]


@pytest.mark.parametrize("role,status", [(None, 401), ("viewer", 403), ("analyst", 201), ("admin", 201)])
def test_add_event_by_hand(server, clients, role, status):
    text_start = "Police detained 12 migrants"
    body = {"document_id": server.seeded.news_doc, "start": 61, "end": 61 + len(text_start),
            "fields": {"event_type": "raid", "regions": ["RU-MUR"], "count": 12, "date_start": "2023-11-27"},
            "reason": "the raid itself"}
    client = clients[role]
    response = _post(client, "/api/events", body, client.cookies.get("rw_csrf"))
    assert response.status_code == status, response.text
    if status != 201:
        return
    record = client.get(response.json()["url"]).json()
    assert record["event"]["event_type"] == "raid" and record["event"]["review_status"] == "confirmed"
    assert record["event"]["quote"] == record["text"]["quote"] == "Police detained 12 migrants"
    assert record["event"]["rules"] == {"*": f"manual:{role}"}
    assert [a["action"] for a in record["audit"]] == ["add"]


def test_add_event_checks_span_and_document(server):
    with server.client() as api:
        news, raid = server.seeded.news_doc, {"event_type": "raid"}
        for body in ({"document_id": 999, "start": 0, "end": 5, "fields": raid},
                     {"document_id": news, "start": 0, "end": 99999, "fields": raid},
                     {"document_id": news, "start": 0, "end": 5, "fields": {}}):
            assert api.post("/api/events", json=body, headers=server.bearer("analyst")).status_code in (404, 422)


def test_analyst_corrects_through_the_html_form_and_sees_the_audit(server):
    ev = server.event_ids["court:detention"]
    analyst = server.client("analyst")
    page = analyst.get(f"/events/{ev}").text
    assert 'id="correct-form"' in page
    form = {"csrf_token": csrf_of(page), "action": "correct", "event_type": "detention", "count": "3",
            "regions": "RU-KR", "nationalities": "SO", "actors": "police", "date_start": "2023-11-20",
            "date_end": "2023-11-20", "date_precision": "day", "country": "RU", "place": "Petrozavodsk",
            "lat": "61.78", "lon": "34.35", "geo_precision": "settlement", "count_text": "", "fine_rub": "",
            "facility": "", "claimed_by": "", "reason": "three named in the decision"}
    response = analyst.post(f"/events/{ev}/review", data=form)
    assert response.status_code == 303, response.text
    page = analyst.get(f"/events/{ev}").text
    assert "corrected" in page and "three named in the decision" in page
    audit = analyst.get(f"/api/events/{ev}").json()["audit"]
    assert audit[0]["after"]["count"] == 3 and set(audit[0]["after"]) >= {"count", "regions"}
    changed = {k for k in audit[0]["after"] if audit[0]["after"][k] != audit[0]["before"][k]}
    assert changed == {"count", "review_status"}  # unchanged form fields are not changes


def test_viewer_gets_no_review_form_and_cannot_post_one(server):
    ev = server.event_ids["court:detention"]
    viewer = server.client("viewer")
    page = viewer.get(f"/events/{ev}").text
    assert 'id="review"' not in page
    response = viewer.post(f"/events/{ev}/review", data={"csrf_token": csrf_of(page), "action": "confirm"})
    assert response.status_code == 403


def test_analyst_adds_an_event_through_the_document_page(server):
    analyst = server.client("analyst")
    page = analyst.get(f"/documents/{server.seeded.news_doc}").text
    response = analyst.post(f"/documents/{server.seeded.news_doc}/events",
                            data={"csrf_token": csrf_of(page), "event_type": "raid", "start": "61", "end": "88",
                                  "regions": "RU-MUR", "count": "12"})
    assert response.status_code == 303
    assert "Police detained 12 migrants" in analyst.get(response.headers["location"]).text
