"""Benchmark the gazetteer: load time, memory, geocode() and find_places() throughput.

Prints `metric NAME VALUE UNIT` lines. Run: .venv/bin/python bench/geocode.py
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recruitwatch.reference import gazetteer  # noqa: E402

MENTIONS = [
    "в Петрозаводске", "Мурманской области", "Республики Карелия", "Карелии", "Кандалакшского района",
    "Ленинградской обл.", "the Leningrad region", "Leningrad oblast", "Murmansk Oblast", "Petrozavodsk",
    "Karelia's capital", "Kirovsk", "Pechenga", "Salla", "в Москве", "St. Petersburg", "Финляндии",
    "Kostomuksha", "Тамбове", "unknown place", "Vaalimaa crossing", "Приморского края", "Kuzbass",
    "г. Мирный", "Troitsk", "Чечне", "Crimea", "ДНР", "Severodvinsk", "Raja-Jooseppi",
]
TEXT = (
    "В Мурманской области и в Кандалакше задержали 14 иностранцев; в Петрозаводске их поместили "
    "в ЦВСИГ. Finland closed the Salla and Vaalimaa crossings, the Murmansk region governor said. "
) * 20


def load() -> float:
    gazetteer._data.forget()
    gc.collect()
    start = time.perf_counter()
    gazetteer._data()
    return time.perf_counter() - start


def memory_mb() -> float:
    gazetteer._data.forget()
    gc.collect()
    tracemalloc.start()
    gazetteer._data()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / 1e6


def lookups_per_s(seconds: float = 1.0) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for m in MENTIONS:
            gazetteer.geocode(m)
        n += len(MENTIONS)
    return n / (time.perf_counter() - start)


def find_chars_per_s(seconds: float = 1.0) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        gazetteer.find_places(TEXT)
        n += len(TEXT)
    return n / (time.perf_counter() - start)


def main() -> None:
    load_s = min(load() for _ in range(3))
    mem = memory_mb()
    print(f"metric gazetteer_load_s {load_s:.3f} s")
    print(f"metric gazetteer_memory_mb {mem:.1f} MB")
    print(f"metric geocode_lookups_per_s {lookups_per_s():.0f} 1/s")
    print(f"metric find_places_chars_per_s {find_chars_per_s():.0f} 1/s")


if __name__ == "__main__":
    main()
