"""Long fuzzing of the readers and extractors, outside the test suite.

The suite runs the fuzz targets of tests/fuzz/test_fuzz_readers.py for a bounded number of
examples; this runs the same targets for as long as it is given, two ways:

- hypothesis: round after round of generated and mutated files (new random seeds each round);
- atheris (libFuzzer, coverage-guided, in a child process): bytes mutated from the same seed
  files towards code not reached yet, each read as a file of a name chosen from the input.

    .venv/bin/python scripts/fuzz_long.py                 # 5 minutes, half each engine
    .venv/bin/python scripts/fuzz_long.py --minutes 30 --engine atheris

A target fails when anything but a SourceError escapes a reader, when an event does not
validate against the contract or its quote is not its span of the text, or when one input takes
longer than the pipeline's per-document bound. Failures are printed with the input that caused
them (hypothesis: the shrunk example; atheris: the crash file it writes) and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PER_INPUT_SECONDS = 20  # far above any real document; only runaway work reaches it
HYPOTHESIS_ROUND = 500  # examples per round: short rounds so that the time limit is kept


@dataclass
class Tally:
    engine: str
    inputs: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def run_hypothesis(deadline: float) -> Tally:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from recruitwatch.pipeline import time_limit
    from tests.fuzz.test_fuzz_readers import NAMES, _read, mutated

    tally, started = Tally("hypothesis"), time.monotonic()

    def counted(check: Callable[..., None]) -> Callable[..., None]:
        def run(args: tuple) -> None:
            tally.inputs += 1
            with time_limit(PER_INPUT_SECONDS):
                check(*args)
        return run

    def extract_text(text: str) -> None:
        from recruitwatch.extract import extract_document
        from recruitwatch.models import Document, validate_event
        from recruitwatch.resolve import resolve_events

        doc = Document(origin="fuzz.txt", text=text)
        for ev in resolve_events(doc, extract_document(doc)):
            validate_event(ev.to_contract())
            assert doc.text[ev.span[0]:ev.span[1]] == ev.quote

    targets = {
        "mutated files": (counted(_read), [mutated(), NAMES]),
        "random bytes": (counted(_read), [st.binary(max_size=20_000), NAMES]),
        "any text": (counted(extract_text), [st.text(alphabet=st.characters(codec="utf-8"), max_size=20_000)]),
    }
    failed: set[str] = set()
    while time.monotonic() < deadline and len(failed) < len(targets):
        for name, (check, strategies) in targets.items():
            if name in failed or time.monotonic() >= deadline:
                continue
            # No example database: each round starts from fresh random seeds, not replays.
            bounded = settings(max_examples=HYPOTHESIS_ROUND, deadline=None, database=None,
                               suppress_health_check=list(HealthCheck), print_blob=True)
            test = bounded(given(st.tuples(*strategies))(check))
            try:
                test()
            except Exception:  # noqa: BLE001 - a failure is reported, and the other targets go on
                failed.add(name)
                tally.failures.append(f"{name}:\n{traceback.format_exc(limit=-3)}")
    tally.seconds = time.monotonic() - started
    return tally


ATHERIS_TARGET = '''
import sys
import atheris

sys.path.insert(0, {root!r})
with atheris.instrument_imports(include=["recruitwatch"]):
    from recruitwatch.extract import extract_document
    from recruitwatch.models import validate_event
    from recruitwatch.resolve import resolve_events
    from recruitwatch.sources import SourceError, documents_from_bytes

NAMES = ["a.html", "b.txt", "result.json", "feed.xml", "c.htm", "noext"]


def one_input(data: bytes) -> None:
    # The first byte picks the file name (and so the reader); the rest is the file.
    name, raw = NAMES[data[0] % len(NAMES)] if data else "noext", data[1:]
    try:
        docs = documents_from_bytes(raw, name)
    except SourceError as exc:
        assert str(exc)
        return
    for doc in docs:
        for ev in resolve_events(doc, extract_document(doc)):
            validate_event(ev.to_contract())
            assert doc.text[ev.span[0]:ev.span[1]] == ev.quote


atheris.Setup(sys.argv, one_input)
atheris.Fuzz()
'''


def run_atheris(seconds: int, workdir: Path) -> Tally:
    """libFuzzer in a child process: it exits at the first failure, writing the input to a
    crash file, so the run is restarted until the time is spent."""
    from tests.fuzz.test_fuzz_readers import SEEDS

    tally, started = Tally("atheris"), time.monotonic()
    corpus, artifacts = workdir / "corpus", workdir / "crashes"
    corpus.mkdir(exist_ok=True)
    artifacts.mkdir(exist_ok=True)
    for i, raw in enumerate(SEEDS):  # one seed per reader: the first byte names the file
        (corpus / f"seed-{i}").write_bytes(bytes([i % 6]) + raw)
    target = workdir / "atheris_target.py"
    target.write_text(ATHERIS_TARGET.format(root=str(ROOT)))
    while (left := int(seconds - (time.monotonic() - started))) > 5 and len(tally.failures) < 5:
        run = subprocess.run(
            [sys.executable, str(target), str(corpus), f"-max_total_time={left}", f"-timeout={PER_INPUT_SECONDS}",
             "-rss_limit_mb=4096", "-max_len=65536", f"-artifact_prefix={artifacts}/", "-print_final_stats=1"],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        log = run.stdout + run.stderr
        done = re.findall(r"stat::number_of_executed_units:\s+(\d+)", log)
        tally.inputs += int(done[-1]) if done else 0
        if run.returncode != 0:
            crash = re.findall(r"Test unit written to (\S+)", log)
            tally.failures.append(f"exit {run.returncode}, input {crash[-1] if crash else '?'}:\n"
                                  + "\n".join(log.splitlines()[-25:]))
    tally.seconds = time.monotonic() - started
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0, help="total time (default 5)")
    parser.add_argument("--engine", choices=["both", "hypothesis", "atheris"], default="both")
    parser.add_argument("--keep", type=Path, help="folder for atheris' corpus and crash files (default: temporary)")
    args = parser.parse_args()
    seconds = args.minutes * 60
    engines = ["hypothesis", "atheris"] if args.engine == "both" else [args.engine]
    share = seconds / len(engines)
    tallies = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for engine in engines:
            if engine == "hypothesis":
                tallies.append(run_hypothesis(time.monotonic() + share))
            else:
                try:
                    import atheris  # noqa: F401
                except ImportError:
                    print("atheris is not installed (pip install -e '.[fuzz]'): skipped", file=sys.stderr)
                    continue
                tallies.append(run_atheris(int(share), workdir))
    for tally in tallies:
        print(f"{tally.engine}: {tally.inputs} inputs in {tally.seconds:.0f} s, {len(tally.failures)} failures")
        for failure in tally.failures:
            print(failure, file=sys.stderr)
    return 1 if any(t.failures for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
