"""Extract: events by the contract from each Document (stage 3).

Court decisions go to the court extractor (case card and decision text, fixed legal phrasing);
everything else to the news extractor (Russian and English reporting and posts).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from recruitwatch.models import Document, Event


@cache
def _rules() -> tuple[Callable[..., Any], ...]:
    """The extractors and the date and language helpers, imported on first use (the court and
    news rules compile many patterns) and then kept: importing them per document cost ~2.5 µs."""
    from recruitwatch.extract.court import extract_court_events, is_court_decision
    from recruitwatch.extract.dates import document_date
    from recruitwatch.extract.language import detect_language, is_supported
    from recruitwatch.extract.news import extract_news_events

    return extract_court_events, is_court_decision, document_date, detect_language, is_supported, extract_news_events


def extract_document(doc: Document) -> list[Event]:
    """The document's events, each with `doc` set to the file it came from.

    Sets `doc.language` ("ru", "en", or the other language detected, "und" when unknown). A
    document in a language the rules cannot read gives no events and is marked
    `doc.meta["unsupported_language"] = <code>`, so it is stored and reported, not dropped.
    """
    extract_court_events, is_court_decision, document_date, detect_language, is_supported, extract_news_events = (
        _rules()
    )
    if doc.published is None:
        doc.published = document_date(doc.text)
    if doc.language is None:
        # a decision page from a Russian court's site (its case card read) is in Russian
        doc.language = "ru" if doc.case is not None else detect_language(doc.text)
    if not is_supported(doc.language):
        doc.meta["unsupported_language"] = doc.language
        return []
    doc.meta.pop("unsupported_language", None)  # a document extracted again after a fix
    events = extract_court_events(doc) if is_court_decision(doc) else extract_news_events(doc)
    source_file = doc.origin.split("#", 1)[0]
    for ev in events:
        ev.doc = source_file
    return events
