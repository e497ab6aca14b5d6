"""Ingest killed with SIGKILL at random moments, then restarted, ends exactly as an
uninterrupted ingest: every document once, every event once, `verify` clean."""

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from recruitwatch.pipeline import RunContext, ingest
from recruitwatch.samples.generate import generate_court_pages
from recruitwatch.store import Store, schema
from recruitwatch.store.verify import verify_store

N_PAGES = 600


def _corpus(folder):
    folder.mkdir()
    for name, raw, _truth in generate_court_pages(N_PAGES, seed=99):
        (folder / name).write_bytes(raw)


def _contents(home):
    with Store(home) as store, store.engine.connect() as conn:
        docs = sorted(conn.execute(select(schema.documents.c.blob_sha256, schema.documents.c.part)).all())
        events = conn.execute(select(func.count()).select_from(schema.events)).scalar()
        report = verify_store(store)
        captures = [e for e in store.custody.entries() if e["action"] == "capture"]
    return docs, events, report, captures


def _log_lines(home):
    log = home / "custody.log"
    return log.read_bytes().count(b"\n") if log.exists() else 0


def _ingest_command(home, folder):
    return [sys.executable, "-m", "recruitwatch.cli", "--home", str(home), "ingest", str(folder)]


def test_sigkill_during_ingest_then_restart_ends_exactly_once(tmp_path):
    folder = tmp_path / "corpus"
    _corpus(folder)
    with Store(tmp_path / "reference") as store:
        ingest([str(folder)], store, RunContext(), batch_size=50)
    expected_docs, expected_events, _, _ = _contents(tmp_path / "reference")

    rng = random.Random(2024)
    home = tmp_path / "crashed"
    env = {**os.environ, "RECRUITWATCH_BATCH_SIZE": "50"}
    kills = 0
    for _ in range(4):
        proc = subprocess.Popen(_ingest_command(home, folder), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        # Kill at a random point of the run's progress, read from the custody log it writes,
        # so that the kill lands mid-ingest however fast this machine is.
        target = _log_lines(home) + rng.randrange(1, 2 * N_PAGES // 3)
        while proc.poll() is None and _log_lines(home) < target:
            time.sleep(0.01)
        if proc.poll() is None:
            time.sleep(rng.uniform(0, 0.3))  # between a commit and its log entries, at times
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    finished = subprocess.run(_ingest_command(home, folder), env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr

    docs, events, report, captures = _contents(home)
    assert kills >= 1
    assert docs == expected_docs and len(docs) == N_PAGES
    assert events == expected_events
    assert report.clean, [p.line() for p in report.problems]
    assert sorted(e["details"]["document_id"] for e in captures) == list(range(1, N_PAGES + 1))


def test_two_ingests_at_once_neither_corrupt_nor_duplicate(tmp_path):
    folder = tmp_path / "corpus"
    _corpus(folder)
    home = tmp_path / "shared-home"
    Store(home).close()  # migrate once, before the race
    env = {**os.environ, "RECRUITWATCH_BATCH_SIZE": "40"}
    procs = [subprocess.Popen(_ingest_command(home, folder), env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    docs, events, report, captures = _contents(home)
    assert len(docs) == len(set(docs)) == N_PAGES
    assert report.clean, [p.line() for p in report.problems]
    assert len(captures) == N_PAGES
