"""Corroboration throughput in a SQLite store: lineages (MinHash signing and LSH matching) on
generated news, and incidents (clustering) on generated events.

    bench/run corroboration                 # 10,000 texts + 1,000 copies; 100,000 events
    .venv/bin/python bench/corroboration.py --n 2000 --new 200 --events 20000 --new-events 1000

The corpus is `recruitwatch.samples.news.generate_news_texts` (templated sentences, so unrelated
texts share many phrases: a hard case for false joins) plus a syndicated copy of every tenth
text (a line of boilerplate added, the last paragraph trimmed). Figures:
- `lineage_sign_docs_per_s`: signatures alone, CPU time of one process;
- `lineage_docs_per_s`, `lineage_docs_per_cpu_s`: `update_lineages` over the whole stored corpus
  (signing, buckets, LSH look-ups, verification, union-find, writes), wall clock and CPU time;
- `lineage_incremental_s`: `update_lineages` for `--new` documents arriving in a store that
  already holds the corpus (what an ingest's end pays);
- `lineage_copies_found` (share of syndicated copies in their original's lineage) and
  `lineage_false_joins` (documents joined to a lineage that is not theirs).
- `incidents_recompute_events_per_s`: `recompute_incidents` over `--events` generated events
  (bench/queries.py's generator: seven years, 10 events a document), wall clock;
- `incidents_update_s`: `update_incidents` after `--new-events` events dated in the last month
  arrive (an ingest of recent news: the incidents of that month are dissolved and rebuilt).

    .venv/bin/python bench/corroboration.py --memory-sizes 100000,300000,1000000 [--cache DIR]

runs only the memory figures: for each size a store of that many generated events is built in
one process (in steps of 100,000, kept in DIR when given), then `update_corroboration` (sources,
lineages, the first clustering of every event) runs on a copy of it in a fresh process, so that
the high-water mark of resident memory is that step's alone:
- `corroboration_peak_rss_<size>` (MB), `corroboration_base_rss_<size>` (MB, the same process
  before the step: interpreter, libraries, the open store), `corroboration_cpu_s_<size>` and
  `corroboration_cpu_us_per_event_<size>` (CPU time of the step, SQLite's included).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import arg, metric, peak_rss_mb  # noqa: E402

BOILERPLATE = "Подписывайтесь на наш канал, чтобы первыми узнавать новости региона."


def corpus(n: int, seed: int, prefix: str) -> list[tuple[str, str, str | None]]:
    """(origin, text, origin of the text it copies or None)."""
    from recruitwatch.samples.news import generate_news_texts

    out: list[tuple[str, str, str | None]] = []
    for i, (name, text) in enumerate(generate_news_texts(n, seed=seed)):
        origin = f"{prefix}/{name}"
        out.append((origin, text, None))
        if i % 10 == 0:
            paragraphs = text.split("\n\n")
            trimmed = "\n\n".join(paragraphs[:-1]) if len(paragraphs) > 3 else text
            out.append((f"{prefix}/copy_of_{name}", f"{BOILERPLATE}\n\n{trimmed}", origin))
    return out


def store_corpus(store, docs: list[tuple[str, str, str | None]]) -> dict[str, int]:
    from recruitwatch.models import Document

    ids: dict[str, int] = {}
    for start in range(0, len(docs), 500):
        chunk = docs[start:start + 500]
        with store.engine.begin() as conn:
            saved = store.save_many(conn, [(Document(origin, text), f"{origin}\n{text}".encode(), [])
                                           for origin, text, _ in chunk], durable=False)
            store.blobs.flush()
        ids.update((origin, s.id) for (origin, _, _), s in zip(chunk, saved, strict=True))
    return ids


def quality(store, docs: list[tuple[str, str, str | None]], ids: dict[str, int]) -> tuple[float, int]:
    from sqlalchemy import select

    from recruitwatch.store import schema

    DL = schema.document_lineages
    with store.engine.connect() as conn:
        lineage = dict(conn.execute(select(DL.c.document_id, DL.c.lineage_id)).all())
    copies = [(ids[origin], ids[source]) for origin, _, source in docs if source]
    found = sum(1 for copy, source in copies if lineage[copy] == lineage[source])
    # Each true group is an original and its copy; any other document in its lineage is a false join.
    true_group = {ids[origin]: ids[source or origin] for origin, _, source in docs}
    members: dict[int, set[int]] = {}
    for doc_id, lineage_id in lineage.items():
        members.setdefault(lineage_id, set()).add(true_group.get(doc_id, doc_id))
    false_joins = sum(len(groups) - 1 for groups in members.values())
    return found / max(len(copies), 1), false_joins


def incidents_phase(n: int, new: int) -> None:
    import queries

    from recruitwatch.analysis.incidents import recompute_incidents, update_incidents
    from recruitwatch.analysis.sources import register_sources
    from recruitwatch.store import Store

    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home))
        queries.insert_events(store, 0, n, seed=1)
        register_sources(store)
        started = time.perf_counter()
        incidents = recompute_incidents(store)
        metric("incidents_recompute_events_per_s", n / (time.perf_counter() - started), "events/s")
        print(f"# {n} events: {incidents} incidents", file=sys.stderr)
        # The new events fall in the generator's last month, as a day's news would.
        queries.FIRST_DAY, queries.DAYS = queries.FIRST_DAY + timedelta(days=queries.DAYS - 30), 30
        queries.insert_events(store, n, new, seed=2)
        register_sources(store)
        started = time.perf_counter()
        update_incidents(store)
        metric("incidents_update_s", time.perf_counter() - started, f"s_for_{new}_events")
        store.close()


BUILD_STEP = 100_000


def build_event_store(home: Path, n: int) -> None:
    """A store of `n` generated events (bench/queries.py's generator), inserted in steps so that
    building a million does not hold a million rows in memory."""
    import queries

    from recruitwatch.store import Store

    with Store(home) as store:
        for first in range(0, n, BUILD_STEP):
            queries.insert_events(store, first, min(BUILD_STEP, n - first), seed=first + 1)


def corroborate_store(home: Path, n: int) -> None:
    """`update_corroboration` on the store at `home`: its CPU time and this process's peak memory."""
    from recruitwatch.analysis.corroboration import update_corroboration
    from recruitwatch.store import Store

    label = _size_label(n)
    with Store(home) as store:
        metric(f"corroboration_base_rss_{label}", peak_rss_mb(), "MB")
        cpu = time.process_time()
        result = update_corroboration(store)
        cpu = time.process_time() - cpu
    metric(f"corroboration_peak_rss_{label}", peak_rss_mb(), "MB")
    metric(f"corroboration_cpu_s_{label}", cpu, "cpu_s")
    metric(f"corroboration_cpu_us_per_event_{label}", cpu / n * 1e6, "us")
    print(f"# {n} events: {result}", file=sys.stderr)


def memory_phase(sizes: list[int], cache: Path | None) -> None:
    """Each size's store built in one process, corroborated on a copy in another (see the module)."""
    script = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory() as scratch:
        for n in sizes:
            built = (cache or Path(scratch)) / f"events_{n}"
            if not built.exists():
                subprocess.run([sys.executable, script, "--build-events", str(n), "--home", str(built)], check=True)
            work = Path(scratch) / "work"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(built, work)
            subprocess.run([sys.executable, script, "--corroborate-events", str(n), "--home", str(work)], check=True)
            shutil.rmtree(work)


def _size_label(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _option(name: str) -> str | None:
    flag = f"--{name}"
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else None


def main() -> None:
    from recruitwatch.analysis.lineage import signature, update_lineages
    from recruitwatch.store import Store

    home = _option("home")
    if _option("build-events") and home:
        build_event_store(Path(home), arg("build-events", 0))
        return
    if _option("corroborate-events") and home:
        corroborate_store(Path(home), arg("corroborate-events", 0))
        return
    sizes = _option("memory-sizes")
    if sizes:
        cache = _option("cache")
        memory_phase([int(s) for s in sizes.split(",")], Path(cache) if cache else None)
        return
    n, new = arg("n", 10_000), arg("new", 200)
    docs = corpus(n, seed=11, prefix="bench")
    print(f"# {len(docs)} documents ({n} generated texts, {len(docs) - n} syndicated copies)", file=sys.stderr)
    started = time.process_time()
    for _, text, _ in docs[:2000]:
        signature(text)
    metric("lineage_sign_docs_per_s", min(len(docs), 2000) / (time.process_time() - started), "docs/s")
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home))
        ids = store_corpus(store, docs)
        started, cpu = time.perf_counter(), time.process_time()
        update_lineages(store)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        metric("lineage_docs_per_s", len(docs) / elapsed, "docs/s")
        # SQLite works in this process: its CPU time counts, and a busy shared machine moves it less.
        metric("lineage_docs_per_cpu_s", len(docs) / cpu, "docs/cpu_s")
        found, false_joins = quality(store, docs, ids)
        metric("lineage_copies_found", found, "share")
        metric("lineage_false_joins", false_joins, "docs")
        later = corpus(new, seed=12, prefix="later")
        ids.update(store_corpus(store, later))
        started = time.perf_counter()
        update_lineages(store)
        metric("lineage_incremental_s", time.perf_counter() - started, f"s_for_{len(later)}_docs")
        metric("lineage_peak_rss", peak_rss_mb(), "MB")
        store.close()
    incidents_phase(arg("events", 100_000), arg("new-events", 1000))


if __name__ == "__main__":
    main()
