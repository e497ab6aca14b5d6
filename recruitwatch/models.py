"""The records every stage shares: a Document read from a source, a CourtCase found in a
court decision, and an Event by the contract in ../shared/contract/EVENTS.md.

The contract's vocabulary is declared once here, as data; `event.schema.json` beside this file
is a copy of the contract's schema and `Event.to_contract()` must always validate against it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

EVENT_TYPES: tuple[str, ...] = (
    "detention", "fine", "expulsion_order", "recruitment_approach", "contract_signed",
    "deployment", "raid", "draft_notice", "citizenship_action", "border_event", "casualty",
    "release",
)
ACTORS: tuple[str, ...] = (
    "court", "police", "migration_service", "military_recruiters", "military_investigators",
    "military_unit", "border_guard", "government",
)
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "range")
GEO_PRECISIONS: tuple[str, ...] = ("point", "settlement", "region", "country")

# Fields printed by `extract`, in the contract's order.
CONTRACT_FIELDS: tuple[str, ...] = (
    "doc", "event_type", "date_start", "date_end", "date_precision", "country", "regions",
    "place", "lat", "lon", "geo_precision", "count", "count_text", "nationalities", "actors",
    "fine_rub", "facility", "claimed_by", "quote", "span", "confidence",
)


@dataclass
class Document:
    """One source read into text. `origin` is the path or URL it came from, as given."""

    origin: str
    text: str
    media_type: str = "text/plain"
    title: str | None = None
    published: date | None = None
    language: str | None = None
    encoding: str | None = None
    sha256: str | None = None  # of the raw bytes: the evidence
    text_hash: str | None = None  # of the normalised text: finds copies of one page
    meta: dict[str, Any] = field(default_factory=dict)
    case: CourtCase | None = None


@dataclass
class CourtCase:
    """The case card of a court decision, as far as the page states it."""

    case_number: str | None = None
    court: str | None = None
    region: str | None = None  # ISO 3166-2 of the court
    judge: str | None = None
    decision_date: date | None = None
    received_date: date | None = None
    article: str | None = None  # "18.8"
    article_part: str | None = None  # "1.1"
    result: str | None = None
    instance: str | None = None  # "first", "appeal", "cassation"
    citizenship: list[str] = field(default_factory=list)  # ISO alpha-2 codes, or "stateless"
    birth_year: int | None = None
    fine_rub: int | None = None
    # "forced" | "controlled_self_departure" | "deportation" | "unspecified"
    expulsion: str | None = None
    facility: str | None = None
    released: bool = False


@dataclass
class Event:
    """One thing that happened to people at a place and time, backed by a quote."""

    event_type: str
    quote: str
    span: tuple[int, int]
    doc: str = ""
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    country: str | None = None
    regions: list[str] = field(default_factory=list)
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    count: int | None = None
    count_text: str | None = None
    nationalities: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    fine_rub: int | None = None
    facility: str | None = None
    claimed_by: str | None = None
    confidence: float = 0.5
    # Which rule or model produced each field: shown to analysts, never part of the contract.
    rules: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.event_type not in EVENT_TYPES:
            raise ValueError(f"unknown event_type {self.event_type!r}")
        bad = [a for a in self.actors if a not in ACTORS]
        if bad:
            raise ValueError(f"unknown actors {bad}")

    def to_contract(self) -> dict[str, Any]:
        """The event as the contract's JSON object (dates as ISO strings)."""
        raw = asdict(self)
        out = {k: raw[k] for k in CONTRACT_FIELDS}
        for key in ("date_start", "date_end"):
            out[key] = out[key].isoformat() if out[key] else None
        out["span"] = list(self.span)
        return out

    @classmethod
    def from_contract(cls, data: dict[str, Any]) -> Event:
        kwargs = {k: data[k] for k in CONTRACT_FIELDS if k in data}
        for key in ("date_start", "date_end"):
            if kwargs.get(key):
                kwargs[key] = date.fromisoformat(kwargs[key])
        kwargs["span"] = tuple(kwargs.get("span") or (0, 0))
        kwargs["rules"] = dict(data.get("rules") or {})
        return cls(**kwargs)


@cache
def event_schema() -> dict[str, Any]:
    return json.loads(resources.files("recruitwatch").joinpath("event.schema.json").read_text("utf-8"))


def validate_event(data: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `data` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, event_schema())
