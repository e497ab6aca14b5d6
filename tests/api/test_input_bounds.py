"""Inputs that schemathesis found to cause server errors, pinned on each backend: numbers past
the database's INTEGER, impossible dates in a valid-looking format, and 422s in the one shape the
OpenAPI description declares."""

import pytest

HUGE = 2**63  # past SQLite's INTEGER and PostgreSQL's BIGINT alike


@pytest.mark.parametrize("path", [
    f"/api/events/{HUGE}", f"/api/documents/{HUGE}", f"/events/{HUGE}", f"/documents/{HUGE}",
    f"/api/events?document={HUGE}", f"/api/events?page={HUGE}", f"/api/search?q=x&page={HUGE}",
    f"/api/documents?page={HUGE}", f"/api/events/{2**31}",
    "/api/events?week=0000-01-01", "/api/events?week=2023-02-30", "/api/stats?by=week&week=2023-13-01",
    "/events?week=2023-02-30",
])
def test_out_of_range_input_is_refused_not_a_server_error(clients, path):
    assert clients["viewer"].get(path).status_code == 422


def test_every_api_422_has_the_declared_shape(server):
    with server.client() as api:
        for response in (api.get("/api/stats?by=colour"), api.get("/api/events?week=2023-02-30"),
                         api.post(f"/api/events/{server.event_ids['court:fine']}/correct",
                                  headers=server.bearer("analyst"), json={"fields": {"no_such_field": 1}}),
                         api.get("/api/events?per_page=0")):
            assert response.status_code == 422
            detail = response.json()["detail"]
            assert isinstance(detail, list) and all({"type", "loc", "msg"} <= set(d) for d in detail), detail


def test_huge_numbers_in_a_new_event_are_refused(server):
    body = {"document_id": server.seeded.court_doc, "start": 0, "end": HUGE, "fields": {"event_type": "fine"}}
    with server.client() as api:
        assert api.post("/api/events", json=body, headers=server.bearer("analyst")).status_code == 422
