"""Exactly once: an ingest killed after storing its documents but before corroboration, then run
again, ends with the same sources, lineages and incidents as one that was never interrupted."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from recruitwatch.pipeline import RunContext, extract_files, ingest, store_batch
from recruitwatch.store import Store, schema
from tests.analysis.corroboration_texts import ORIGINAL_PARAGRAPHS, ORIGINAL_TITLE, syndicated_copies

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "original.txt").write_text("15 ноября 2023\n\n" + ORIGINAL_TITLE + "\n\n"
                                         + "\n\n".join(ORIGINAL_PARAGRAPHS), "utf-8")
    for i, (_, text) in enumerate(syndicated_copies()[:4]):
        (folder / f"copy_{i}.txt").write_text("16 ноября 2023\n\n" + text, "utf-8")
    for court in sorted((SAMPLES / "court").iterdir())[:8]:
        (folder / court.name).write_bytes(court.read_bytes())
    return folder


def _state(store: Store) -> tuple:
    D, DL, S, DS = schema.documents, schema.document_lineages, schema.sources, schema.document_sources
    with store.engine.connect() as conn:
        lineages = sorted(conn.execute(select(D.c.origin, DL.c.lineage_id, DL.c.original)
                                       .join(DL, DL.c.document_id == D.c.id)).all())
        sources = sorted(conn.execute(select(D.c.origin, S.c.key, S.c.kind).join(DS, DS.c.document_id == D.c.id)
                                      .join(S, S.c.id == DS.c.source_id)).all())
        incidents = sorted(tuple(r) for r in conn.execute(select(schema.incidents)))
        members = sorted(conn.execute(select(schema.incident_events)).all())
        aggregates = sorted(tuple(r) for r in conn.execute(select(schema.agg_incident_regions)))
    return lineages, sources, incidents, members, aggregates


def test_a_crashed_ingest_run_again_gives_the_same_corroboration(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    with Store(tmp_path / "clean") as clean:
        ingest([str(corpus)], clean, RunContext())
        expected = _state(clean)
    assert expected[0] and expected[2]
    with Store(tmp_path / "crashed") as crashed:
        # The crashed run stored every document, then died before its corroboration step.
        store_batch(crashed, list(extract_files([str(corpus)], RunContext())), RunContext())
        assert _state(crashed)[0] == []
        again = ingest([str(corpus)], crashed, RunContext())
        assert again.new_documents == 0
        assert _state(crashed) == expected
        ingest([str(corpus)], crashed, RunContext())  # and once more: nothing changes
        assert _state(crashed) == expected
    # The syndicated copies: one lineage of five, its original marked.
    copies = [row for row in expected[0] if row[0].endswith(".txt")]
    assert len({lineage for _, lineage, _ in copies}) == 1
    assert [origin for origin, _, original in copies if original] == [str(corpus / "original.txt")]
