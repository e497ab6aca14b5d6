"""Benchmarks run as scripts, which puts bench/ first on sys.path (and a test that loads one
leaves it there for the processes it spawns): a bench module named like an installed package
(bench/dask.py) would be imported in that package's place."""

from __future__ import annotations

import importlib.machinery
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.skipif(not BENCH.exists(), reason="bench/ is not part of this checkout")
def test_no_benchmark_module_shadows_an_installed_module():
    elsewhere = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
    shadowing = [f.stem for f in BENCH.glob("*.py")
                 if f.stem in sys.builtin_module_names or importlib.machinery.PathFinder.find_spec(f.stem, elsewhere)]
    assert not shadowing, f"bench modules named like installed modules: {shadowing}"
