"""Inputs built to make patterns backtrack: each must be read within a generous bound (the
pipeline's per-document limit), which only catastrophic backtracking could exceed."""

import pytest

from recruitwatch.extract import extract_document
from recruitwatch.models import Document
from recruitwatch.pipeline import time_limit
from recruitwatch.resolve import resolve_events
from recruitwatch.sources import SourceError, documents_from_bytes

BOUND_SECONDS = 20

ADVERSARIAL = {
    "digits": "1" * 50_000,
    "spaced digits": "1 " * 30_000,
    "grouped numbers": "2 000 " * 20_000 + "рублей",
    "repeated article refs": "ч. 1 ст. " * 10_000 + "18.8 КоАП РФ",
    "one long word": "ж" * 200_000,
    "nested parentheses": "(" * 20_000 + "двух тысяч" + ")" * 20_000,
    "dots": "." * 100_000,
    "dates without end": "от 6 " * 20_000,
    "capitalised words": "Судья Суда Республики " * 10_000,
    "many numbers and words": "более 100 человек, около 200 граждан, " * 5_000,
    "ten megabytes on one line": "x" * 10_000_000,
    "whitespace after a line break": "\n" + " \t" * 100_000,
    "many line breaks": "\n \n" * 50_000,
    "quotes after dots": ".»" * 50_000,
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_text_is_extracted_within_the_bound(name: str) -> None:
    doc = Document(origin=f"{name}.txt", text=ADVERSARIAL[name])
    with time_limit(BOUND_SECONDS):
        resolve_events(doc, extract_document(doc))


def test_hostile_page_is_read_within_the_bound() -> None:
    page = ("<html><head><script>" + "var a=1;" * 100_000 + "</script></head><body>"
            + "<div><span>" * 3_000 + "Задержаны 5 человек." + "</span></div>" * 3_000
            + "<p>" + "data:image/png;base64," + "A" * 2_000_000 + "</p></body></html>").encode()
    with time_limit(BOUND_SECONDS):
        try:
            docs = documents_from_bytes(page, "hostile.html")
        except SourceError as exc:  # refused with a reason is as good as read
            assert str(exc)
            return
        for doc in docs:
            assert "var a" not in doc.text
            resolve_events(doc, extract_document(doc))
