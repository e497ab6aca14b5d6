"""extract_files asks the store about a window of files at once, and counts them as before."""

from recruitwatch import pipeline
from recruitwatch.pipeline import RunContext, extract_files, ingest

TEXT = "Суд в Петрозаводске 20 ноября 2023 года оштрафовал гражданина Сомали на {} рублей.\n"


def _corpus(tmp_path, n):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(TEXT.format(1000 + i), "utf-8")
    (folder / "zz-empty.txt").write_bytes(b"")
    return folder


def test_one_question_per_window_and_stored_files_skipped(store, tmp_path, monkeypatch):
    folder = _corpus(tmp_path, 7)
    ingest([str(folder / "00.txt"), str(folder / "01.txt")], store, RunContext())
    monkeypatch.setattr(pipeline, "READ_AHEAD_FILES", 3)
    asked: list[list[str]] = []

    def stored_among(shas):
        asked.append(shas)
        return store.stored_blobs(shas)

    ctx = RunContext()
    items = list(extract_files([str(folder)], ctx, stored_among=stored_among))
    assert [len(shas) for shas in asked] == [3, 3, 1]  # 8 files: the empty one has no bytes to ask about
    assert ctx.files == 8 and ctx.unchanged == 2 and len(items) == 5
    assert [f.origin.rsplit("/", 1)[1] for f in ctx.failures] == ["zz-empty.txt"]
    assert [item.source.origin.rsplit("/", 1)[1] for item in items] == [f"{i:02d}.txt" for i in range(2, 7)]
