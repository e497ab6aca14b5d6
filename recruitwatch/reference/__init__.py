"""Knowledge every stage may consult: the gazetteer, region shapes, countries, morphology."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from importlib import resources
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def packaged_json(file_name: str) -> Any:
    """A gzipped JSON file shipped in reference/data/."""
    blob = resources.files("recruitwatch.reference").joinpath("data", file_name).read_bytes()
    return json.loads(gzip.decompress(blob))


class LoadedOnce(Generic[T]):
    """A value built on first use and kept, built once however many threads ask at the same time
    (the packaged data takes a tenth of a second and tens of MB to load)."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None

    def __call__(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value

    def forget(self) -> None:
        """Drop the value, so that the next call builds it again (the benchmarks time the load)."""
        self._value = None
