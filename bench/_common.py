"""Shared by the benchmarks: metric lines and peak memory of a child process."""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
from collections.abc import Callable
from typing import Any


def metric(name: str, value: float, unit: str) -> None:
    print(f"metric {name} {value:.6g} {unit}", flush=True)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def arg(name: str, default: int) -> int:
    """`--name N` from the command line, else `default`."""
    flag = f"--{name}"
    if flag in sys.argv:
        return int(sys.argv[sys.argv.index(flag) + 1])
    return default


def run_in_child(target: Callable[..., None], *args: Any) -> Any:
    """Run `target(*args, queue)` in a forked process and return what it put on the queue, so
    that each phase's peak memory is its own."""
    queue: mp.Queue = mp.Queue()
    proc = mp.get_context("fork").Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result
