"""Readers and extractors on generated and mutated input: a document is read or refused with
a SourceError; nothing else escapes, and extraction never raises on whatever text it gets.
A bounded number of examples runs here; `FUZZ_EXAMPLES=20000 pytest tests/fuzz` runs longer."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruitwatch.extract import extract_document
from recruitwatch.models import Document, validate_event
from recruitwatch.resolve import resolve_events
from recruitwatch.samples.generate import generate_court_pages
from recruitwatch.sources import SourceError, documents_from_bytes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SEEDS = [raw for _, raw, _ in generate_court_pages(5, seed=5)] + [
    "<html><head><title>t</title></head><body><p>Суд оштрафовал 12 граждан Узбекистана на 2000 рублей.</p>"
    "</body></html>".encode("cp1251"),
    b'{"name": "c", "messages": [{"id": 1, "type": "message", "date": "2023-11-20T10:00:00", "text": "x"}]}',
    b'<?xml version="1.0"?><rss><channel><item><title>t</title><description>d</description></item></channel></rss>',
]
NAMES = st.sampled_from(["a.html", "b.txt", "result.json", "feed.xml", "c.htm", "noext"])
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 12))):
        op, pos = draw(st.integers(0, 3)), draw(st.integers(0, max(0, len(raw) - 1)))
        if op == 0 and raw:
            raw[pos] = draw(st.integers(0, 255))
        elif op == 1:
            raw[pos:pos] = draw(st.binary(max_size=40))
        elif op == 2:
            del raw[pos:pos + draw(st.integers(1, 200))]
        else:
            raw = raw[:pos]  # truncated file
    return bytes(raw)


def _read(raw: bytes, name: str) -> None:
    try:
        docs = documents_from_bytes(raw, name)
    except SourceError as exc:
        assert str(exc)
        return
    for doc in docs:
        for ev in resolve_events(doc, extract_document(doc)):
            data = ev.to_contract()
            validate_event(data)
            assert doc.text[ev.span[0]:ev.span[1]] == ev.quote


@fuzz
@given(mutated(), NAMES)
def test_mutated_files_are_read_or_refused(raw: bytes, name: str) -> None:
    _read(raw, name)


@fuzz
@given(st.binary(max_size=3000), NAMES)
def test_random_bytes_are_read_or_refused(raw: bytes, name: str) -> None:
    _read(raw, name)


@fuzz
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_extraction_never_raises_on_any_text(text: str) -> None:
    doc = Document(origin="fuzz.txt", text=text)
    for ev in resolve_events(doc, extract_document(doc)):
        validate_event(ev.to_contract())


# Found by scripts/fuzz_long.py (a mutated generated decision, shrunk): the block taken for the
# decision was the case card itself, and dropping the card from its own copy failed an assertion.
CARD_AS_DECISION = """<div id="cont1"><table id="tablcont"><tr><th colspan="2">ДЕЛО № 5-1461/2024</th></tr>
<tr><td><b>Дата рассмотрения</b></td><td>23.04.2024</td></tr>
<tr><td><b>Результат рассмотрения</b></td><td>Вынесено постановление о назначении административного \
наказания</td></tr/table></div>
<div id="cont2"><table><tr><th>Наименование события</th><th>Дата</th><th>Результат</th></tr>
<tr><td>Регистрация дела</td><td>13.04.2024</td><td></td></tr></table></div>div id="cont_doc1">
<p style="text-indent:1.5em; text-align:justify">установил:</p>
<p style="text-indent:1.5em; text-align:justify">Руководствуясь ст. ст. 29.9, 29.10 КоАП РФ, судья постановил:</p>"""


def test_a_page_whose_decision_block_is_its_case_card() -> None:
    for encoding in ("cp1251", "utf-8"):
        _read(CARD_AS_DECISION.encode(encoding), "a.html")
