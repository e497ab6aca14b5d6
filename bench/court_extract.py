"""Benchmark: court decision extraction, decisions per second on one core, and peak memory.

    python bench/court_extract.py [--n 20000] [--seed 1] [--batch 2000]

Pages are generated and read into Documents outside the timed region, a batch at a time, so
memory stays flat however large N is; only `extract_court_events` is timed (the extraction
path), and, separately, page parsing (bytes -> Document) for the ingest side.
Times are CPU time of this process (per core), so a busy machine does not skew them.
Prints `metric <name> <value> <unit>` lines.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recruitwatch.extract.court import extract_court_events  # noqa: E402
from recruitwatch.models import Document  # noqa: E402
from recruitwatch.samples.generate import generate_court_pages  # noqa: E402
from recruitwatch.sources.files import documents_from_bytes  # noqa: E402


def run(n: int, seed: int, batch: int) -> dict[str, float]:
    pages = generate_court_pages(n, seed)
    extract_s = parse_s = 0.0
    done = events = 0
    while done < n:
        chunk = [next(pages) for _ in range(min(batch, n - done))]
        t0 = time.process_time()
        docs = [documents_from_bytes(raw, name)[0] for name, raw, _ in chunk]
        parse_s += time.process_time() - t0
        # Fresh Documents without the card, so extraction does all of its own work from the text.
        plain = [Document(origin=d.origin, text=d.text) for d in docs]
        t0 = time.process_time()
        for doc in plain:
            events += len(extract_court_events(doc))
        extract_s += time.process_time() - t0
        done += len(chunk)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"court_extract_docs_per_s": n / extract_s, "court_page_parse_docs_per_s": n / parse_s,
            "court_extract_events": events, "court_extract_peak_mb": peak_mb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    # Warm-up: load the grammars and reference tables before timing.
    for name, raw, _ in generate_court_pages(5, args.seed + 1):
        extract_court_events(documents_from_bytes(raw, name)[0])
    result = run(args.n, args.seed, args.batch)
    units = {"court_extract_docs_per_s": "1/s", "court_page_parse_docs_per_s": "1/s",
             "court_extract_events": "events", "court_extract_peak_mb": "MB"}
    for key, value in result.items():
        print(f"metric {key} {value:.1f} {units[key]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
