"""Surge alerts and findings reports, timed on a SQLite store.

    bench/run findings                       # 20,000 generated events; the bundled samples
    .venv/bin/python bench/findings.py --events 100000 --repeat 5

Figures:
- `alerts_find_ms`: `analysis.alerts.find_alerts` over every week, region and type (the weekly
  counts from the incident aggregates, the test, the events of every alert), after incidents
  are computed for `--events` events of bench/queries.py's generator (seven years, 10 events a
  document; its counts are not Poisson, so it alerts far more than real data would);
- `alerts_panel_cold_ms`, `alerts_panel_warm_ms`: the overview's panel (the 5 newest alerts,
  api.surges.surge_alerts) the first time after the data changed, and then (kept per data
  version: the cost of reading the version);
- `report_gather_ms`, `report_html_ms`, `report_pdf_s`, `report_pdf_pages`: the findings
  report over the bundled samples for Nov–Dec 2023 in Karelia, Leningrad and Murmansk oblasts.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import arg, metric  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def alerts_phase(n: int, repeat: int) -> None:
    import queries

    from recruitwatch.analysis.alerts import find_alerts
    from recruitwatch.analysis.incidents import recompute_incidents
    from recruitwatch.api import surges
    from recruitwatch.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        queries.insert_events(store, 0, n, seed=1)
        recompute_incidents(store)
        with store.engine.connect() as conn:
            times, found = [], []
            for _ in range(repeat):
                started = time.perf_counter()
                found = find_alerts(conn)
                times.append(time.perf_counter() - started)
            metric("alerts_find_ms", statistics.median(times) * 1000, "ms")
            print(f"# {n} events: {len(found)} alerts", file=sys.stderr)
            started = time.perf_counter()
            surges.surge_alerts(conn, limit=5)
            metric("alerts_panel_cold_ms", (time.perf_counter() - started) * 1000, "ms")
            warm = []
            for _ in range(repeat):
                started = time.perf_counter()
                surges.surge_alerts(conn, limit=5)
                warm.append(time.perf_counter() - started)
            metric("alerts_panel_warm_ms", statistics.median(warm) * 1000, "ms")


def report_phase(repeat: int) -> None:
    import pypdfium2

    from recruitwatch.analysis.report import gather
    from recruitwatch.pipeline import RunContext, ingest
    from recruitwatch.store import Store
    from recruitwatch.web.report import render_html, write_report

    with tempfile.TemporaryDirectory() as home, Store(Path(home) / "home") as store:
        ingest([str(p) for p in sorted(SAMPLES.iterdir()) if p.is_dir()], store, RunContext())
        with store.engine.connect() as conn:
            times, findings = [], None
            for _ in range(repeat):
                started = time.perf_counter()
                findings = gather(conn, date(2023, 11, 1), date(2023, 12, 31), ["RU-KR", "RU-LEN", "RU-MUR"])
                times.append(time.perf_counter() - started)
        metric("report_gather_ms", statistics.median(times) * 1000, "ms")
        started = time.perf_counter()
        render_html(findings)
        metric("report_html_ms", (time.perf_counter() - started) * 1000, "ms")
        started = time.perf_counter()
        _, pdf = write_report(findings, Path(home) / "out")
        metric("report_pdf_s", time.perf_counter() - started, "s")
        metric("report_pdf_pages", len(pypdfium2.PdfDocument(str(pdf))), "pages")


def main() -> None:
    repeat = arg("repeat", 3)
    alerts_phase(arg("events", 20_000), repeat)
    report_phase(repeat)


if __name__ == "__main__":
    main()
