"""Exports: the contract's records as JSON Lines and CSV, and an ACLED-style CSV.

The mapping to ACLED's columns is documented in docs/EXPORTS.md. Quotes are pseudonymised
(names.py) unless an analyst asks for names; rejected events are left out unless asked for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pycountry

from recruitwatch.api.names import pseudonymise
from recruitwatch.models import CONTRACT_FIELDS

EXTRA_FIELDS: tuple[str, ...] = ("id", "review_status", "document_id")  # the contract allows more properties
ACLED_FIELDS: tuple[str, ...] = ("event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                                 "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                                 "source_scale", "notes")
# recruitwatch type -> (ACLED event_type, sub_event_type). All are "Strategic developments":
# none of them is an armed clash, and ACLED files arrests and recruitment drives there.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "detention": ("Strategic developments", "Arrests"),
    "raid": ("Strategic developments", "Arrests"),
    "recruitment_approach": ("Strategic developments", "Change to group/activity"),
    "contract_signed": ("Strategic developments", "Change to group/activity"),
    "deployment": ("Strategic developments", "Change to group/activity"),
    "draft_notice": ("Strategic developments", "Change to group/activity"),
}
ACLED_DEFAULT = ("Strategic developments", "Other")
ACTOR_FORCES = {"police": "Police Forces", "border_guard": "Police Forces", "migration_service": "Police Forces",
                "military_recruiters": "Military Forces", "military_investigators": "Military Forces",
                "military_unit": "Military Forces", "court": "Government", "government": "Government"}
TIME_PRECISION = {"day": 1, "week": 2}  # everything vaguer is 3
GEO_PRECISION = {"point": 1, "settlement": 1, "region": 2}  # country or unknown: 3


def contract_record(row: dict[str, Any], names: bool, key: str) -> dict[str, Any]:
    """One stored event as the contract's record (plus id, review status and document id)."""
    out = {f: row.get(f) for f in CONTRACT_FIELDS if f not in ("doc", "quote", "span")}
    out.update(doc=row["origin"], quote=row["quote"] if names else pseudonymise(row["quote"], key),
               span=[row["start"], row["end"]])
    out = {f: _plain(out.get(f)) for f in CONTRACT_FIELDS}
    return out | {f: row[f] for f in EXTRA_FIELDS}


def jsonl(rows: Iterator[dict[str, Any]], names: bool, key: str) -> Iterator[str]:
    for row in rows:
        yield json.dumps(contract_record(row, names, key), ensure_ascii=False) + "\n"


def contract_csv(rows: Iterator[dict[str, Any]], names: bool, key: str) -> Iterator[str]:
    """The contract's fields as CSV columns; lists joined with ";", the span as "start-end"."""
    fields = (*CONTRACT_FIELDS, *EXTRA_FIELDS)
    yield _csv_line(fields)
    for row in rows:
        rec = contract_record(row, names, key)
        rec["span"] = f"{rec['span'][0]}-{rec['span'][1]}"
        yield _csv_line([";".join(v) if isinstance(v, list) else v for v in (rec[f] for f in fields)])


def acled_csv(rows: Iterator[dict[str, Any]], names: bool, key: str) -> Iterator[str]:
    yield _csv_line(ACLED_FIELDS)
    for row in rows:
        rec = acled_record(row, names, key)
        yield _csv_line([rec[f] for f in ACLED_FIELDS])


def acled_record(row: dict[str, Any], names: bool, key: str) -> dict[str, Any]:
    kind, sub = ACLED_TYPES.get(row["event_type"], ACLED_DEFAULT)
    country = _country_name(row["country"])
    admin1 = _region_name(row["regions"][0]) if row["regions"] else None
    quote = _named(row["quote"], names, key)
    start: date | None = row["date_start"]
    return {"event_date": _plain(start), "year": start.year if start else None,
            "time_precision": TIME_PRECISION.get(row["date_precision"] or "", 3),
            "event_type": kind, "sub_event_type": sub, "actor1": _actor(row["actors"], country),
            "country": country, "admin1": admin1, "location": row["place"] or admin1 or country,
            "latitude": row["lat"], "longitude": row["lon"],
            "geo_precision": GEO_PRECISION.get(row["geo_precision"] or "", 3),
            "source": _named(row["claimed_by"] or row["title"] or row["origin"], names, key),
            "source_scale": "Subnational" if row.get("case_number") else "Other",
            "notes": _notes(row, quote)}


FTM_NAMESPACE = "recruitwatch"


def ftm(rows: Iterator[dict[str, Any]], names: bool, key: str) -> Iterator[str]:
    """A FollowTheMoney entity stream (JSON Lines) that OCCRP Aleph loads: each source document
    once, as a Document, and each event as an Event whose `proof` is its document."""
    from followthemoney import model

    documents: dict[int, str] = {}  # document id -> its entity id
    for row in rows:
        if row["document_id"] not in documents:
            doc = _ftm_document(model, row, names, key)
            documents[row["document_id"]] = doc.id
            yield json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"
        event = _ftm_event(model, row, names, key, documents[row["document_id"]])
        yield json.dumps(event.to_dict(), ensure_ascii=False) + "\n"


def _ftm_document(model: Any, row: dict[str, Any], names: bool, key: str) -> Any:
    doc = model.make_entity("Document")
    doc.make_id(FTM_NAMESPACE, "document", row["blob_sha256"], row["document_id"])
    doc.add("title", _named(row["title"] or row["origin"], names, key))
    doc.add("fileName", row["origin"])
    doc.add("publishedAt", _plain(row["published"]))
    doc.add("language", row["language"], quiet=True)
    doc.add("description", f"SHA-256 of the original bytes: {row['blob_sha256']}")
    if str(row["origin"]).startswith(("http://", "https://")):
        doc.add("sourceUrl", row["origin"])
    return doc


def _ftm_event(model: Any, row: dict[str, Any], names: bool, key: str, document_id: str) -> Any:
    ev = model.make_entity("Event")
    ev.make_id(FTM_NAMESPACE, "event", row["id"])
    where = row["place"] or ", ".join(row["regions"]) or row["country"] or "place not stated"
    ev.add("name", f"{row['event_type']}: {where}, {_plain(row['date_start']) or 'date not stated'}")
    ev.add("startDate", _plain(row["date_start"]))
    ev.add("endDate", _plain(row["date_end"]))
    ev.add("country", row["country"], quiet=True)
    ev.add("location", row["place"])
    ev.add("summary", _named(row["quote"], names, key))
    ev.add("description", _notes(row, "").strip())
    ev.add("keywords", [row["event_type"], row["review_status"], *row["regions"]])
    ev.add("proof", document_id)
    return ev


def _named(text: str, names: bool, key: str) -> str:
    return text if names else pseudonymise(text, key) or text


def _notes(row: dict[str, Any], quote: str) -> str:
    count = f"; count: {row['count_text'] or row['count']}" if row["count"] or row["count_text"] else ""
    nats = f"; nationalities: {', '.join(row['nationalities'])}" if row["nationalities"] else ""
    return f"[recruitwatch {row['event_type']} #{row['id']}{count}{nats}] {quote}"


def _actor(actors: list[str], country: str | None) -> str | None:
    if not actors or not country:
        return None
    forces = ACTOR_FORCES.get(actors[0], "Government")
    return f"{forces} of {country}" if forces != "Government" else f"Government of {country}"


COUNTRY_NAMES = {"RU": "Russia"}  # ACLED's spelling where it differs from ISO's


def _country_name(code: str | None) -> str | None:
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    found = pycountry.countries.get(alpha_2=code) if code else None
    return getattr(found, "common_name", None) or getattr(found, "name", None) or code


def _region_name(code: str) -> str:
    try:  # the gazetteer's usual English name ("Republic of Karelia"), else ISO's ("Kareliya, Respublika")
        from recruitwatch.reference.gazetteer import region

        place = region(code)
        if place is not None:
            return place.name
    except ImportError:
        pass
    found = pycountry.subdivisions.get(code=code)
    return found.name if found else code


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _csv_line(values: Any) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return buf.getvalue()
