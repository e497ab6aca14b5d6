"""Golden files for court decision pages, the way juriscraper tests its scrapers.

Each saved page `tests/sources/court_pages/<name>.html` has `<name>.json` beside it: the case
card, title and text the page parser gives, and the case and events the extractor gives. The
tests compare against it; `RECRUITWATCH_REGENERATE_GOLDEN=1 pytest tests/sources tests/extract`
rewrites the golden files, on purpose only (review the diff before committing it).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from recruitwatch.extract.court import extract_court_events
from recruitwatch.models import CourtCase
from recruitwatch.sources.court_page import parse_court_page
from recruitwatch.sources.encoding import decode_bytes
from recruitwatch.sources.files import documents_from_bytes

PAGES = Path(__file__).resolve().parent / "court_pages"
REGENERATE = os.environ.get("RECRUITWATCH_REGENERATE_GOLDEN") == "1"


def pages() -> list[Path]:
    return sorted(PAGES.glob("*.html"))


def case_dict(case: CourtCase | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(case).items()}


def parsed(page: Path) -> dict[str, Any]:
    """What the page parser gives: card, text, title."""
    card, text, title = parse_court_page(decode_bytes(page.read_bytes()).text)
    return {"card": case_dict(card), "title": title, "text": text}


def extracted(page: Path) -> dict[str, Any]:
    """What the whole path (bytes -> Document -> extractor) gives: the filled case and the events."""
    doc = documents_from_bytes(page.read_bytes(), page.name)[0]
    events = [e.to_contract() for e in extract_court_events(doc)]
    return {"case": case_dict(doc.case), "events": events}


def golden(page: Path) -> dict[str, Any]:
    path = page.with_suffix(".json")
    if REGENERATE or not path.exists():
        data = {**parsed(page), **extracted(page)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
