"""Exports: the contract as JSON Lines and CSV, the ACLED-style CSV; names pseudonymised by default."""

import csv
import io
import json

import pytest

from recruitwatch.api.exports import ACLED_FIELDS
from recruitwatch.models import CONTRACT_FIELDS, validate_event


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_jsonl_is_the_contract_and_pseudonymised(server, clients):
    response = clients["viewer"].get("/api/export/events.jsonl")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in response.headers["content-disposition"]
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == 5
    for rec in records:
        validate_event(rec)
        assert list(rec)[:len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    court = [r for r in records if r["doc"] == "court/5-1.html"]
    assert court and all("Абдуллахи" not in r["quote"] and "[лицо-" in r["quote"] for r in court)
    assert court[0]["span"][1] > court[0]["span"][0]


def test_filters_apply_to_exports(clients):
    records = clients["viewer"].get("/api/export/events.jsonl?type=fine").text.splitlines()
    assert [json.loads(r)["event_type"] for r in records] == ["fine"]


@pytest.mark.parametrize("role,status", [(None, 403), ("viewer", 403), ("analyst", 200), ("admin", 200)])
def test_only_analysts_export_names(clients, role, status):
    response = clients[role].get("/api/export/events.jsonl?names=true")
    assert response.status_code == status
    if status == 200:
        assert "Абдуллахи М.А." in response.text


def test_contract_csv(clients):
    rows = _csv(clients["viewer"].get("/api/export/events.csv").text)
    assert len(rows) == 5 and list(rows[0])[:len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    fine = next(r for r in rows if r["event_type"] == "fine")
    assert fine["fine_rub"] == "2000" and fine["regions"] == "RU-KR" and fine["nationalities"] == "SO"
    assert "-" in fine["span"] and "Абдуллахи" not in fine["quote"]


def test_acled_csv_mapping(clients):
    rows = _csv(clients["viewer"].get("/api/export/acled.csv").text)
    assert list(rows[0]) == list(ACLED_FIELDS) and len(rows) == 5
    det = next(r for r in rows if "Pechenga" == r["location"] and "detention" in r["notes"])
    assert det["event_type"] == "Strategic developments" and det["sub_event_type"] == "Arrests"
    assert det["event_date"] == "2023-11-27" and det["year"] == "2023" and det["time_precision"] == "1"
    assert det["country"] == "Russia" and det["actor1"] == "Police Forces of Russia"
    assert det["latitude"] == "69.55" and det["source_scale"] == "Other" and "count: 12" in det["notes"]
    court = next(r for r in rows if "fine" in r["notes"])
    assert court["admin1"] and court["source_scale"] == "Subnational" and court["actor1"] == "Government of Russia"
    assert "Абдуллахи" not in "".join(r["notes"] + r["source"] for r in rows)
    approach = next(r for r in rows if "recruitment_approach" in r["notes"])
    assert approach["sub_event_type"] == "Change to group/activity"
    assert approach["actor1"] == "Military Forces of Russia"


def test_rejected_events_are_not_exported_by_default(server):
    with server.client() as api:
        api.post(f"/api/events/{server.event_ids['court:fine']}/reject", headers=server.bearer("analyst"),
                 json={"reason": "no fine stated"})
        assert len(api.get("/api/export/events.jsonl").text.splitlines()) == 4
        assert len(api.get("/api/export/events.jsonl?status=rejected").text.splitlines()) == 1


def test_export_unknown_format_is_404_or_422(clients):
    assert clients["viewer"].get("/api/export/events.xml").status_code in (404, 422)


def test_followthemoney_stream_loads_as_entities(server, clients):
    from followthemoney import model

    lines = clients["viewer"].get("/api/export/ftm.jsonl").text.splitlines()
    entities = [model.get_proxy(json.loads(line)) for line in lines]
    documents = {e.id: e for e in entities if e.schema.name == "Document"}
    events = [e for e in entities if e.schema.name == "Event"]
    assert len(documents) == 2 and len(events) == 5
    assert all(e.first("proof") in documents for e in events)
    fine = next(e for e in events if "fine" in e.get("keywords"))
    assert fine.first("startDate") == "2023-11-20" and fine.first("country") == "ru"
    assert "Абдуллахи" not in " ".join(lines) and "[лицо-" in fine.first("summary")
