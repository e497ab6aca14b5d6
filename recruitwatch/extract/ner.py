"""Russian named entities from natasha (slovnet NER, models shipped in the package), optional.

The NER model is slow next to the rules (a few ms per sentence), so the news extractor asks
for it only on Russian sentences that already hold an event trigger, and only when it is
switched on: `extract_news_events(doc, ner=True)`, `set_enabled(True)`, or the environment
variable RECRUITWATCH_NER=1. It serves two slots: LOC spans the gazetteer's token scan missed
(handed to `gazetteer.geocode`) and ORG spans that may say who claims an event.

The models are loaded once per process, on first use: importing this module costs nothing.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Entity", "clear_cache", "enabled", "prefetch", "russian_entities", "set_enabled"]

_lock = threading.Lock()
_tagger: Any = None
_switch: bool | None = None  # set_enabled() wins over the environment


@dataclass(frozen=True)
class Entity:
    start: int  # offsets in the text given
    end: int
    type: str  # "PER" | "LOC" | "ORG"
    text: str


def enabled() -> bool:
    """Whether Russian NER runs by default (set_enabled, else RECRUITWATCH_NER)."""
    if _switch is not None:
        return _switch
    return os.environ.get("RECRUITWATCH_NER", "").strip().lower() in ("1", "true", "yes", "on")


def set_enabled(on: bool | None) -> None:
    """Switch NER on or off for this process; None goes back to the environment variable."""
    global _switch
    _switch = on


def tagger() -> Any:
    """natasha's NewsNERTagger, loaded once (about 30 MB of embeddings and model)."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                _one_blas_thread()
                from natasha import NewsEmbedding, NewsNERTagger

                _tagger = NewsNERTagger(NewsEmbedding())
    return _tagger


def _one_blas_thread() -> None:
    """slovnet multiplies small matrices: OpenBLAS's threads add nothing there but spin on every
    core (measured: 4x the CPU time per document on 2 cores) and fight parallel workers. Only a
    default, and only before numpy loads; OPENBLAS_NUM_THREADS set by the user wins."""
    if "numpy" not in sys.modules:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")


_CACHE_SIZE = 4096
_cache: dict[str, tuple[Entity, ...]] = {}  # sentence -> entities: copies of a story repeat sentences


def prefetch(sentences: Iterable[str]) -> None:
    """Tag the sentences in one batch: slovnet pads a batch into one array, about three times
    cheaper per sentence than one call each."""
    todo = list(dict.fromkeys(s for s in sentences if s not in _cache))
    if not todo:
        return
    if len(_cache) + len(todo) > _CACHE_SIZE:
        _cache.clear()
    for sentence, markup in zip(todo, tagger().map(todo), strict=True):
        _cache[sentence] = tuple(Entity(s.start, s.stop, s.type, sentence[s.start : s.stop]) for s in markup.spans)


def clear_cache() -> None:
    """Forget tagged sentences (benchmarks: generated texts repeat sentences real ones do not)."""
    _cache.clear()


def russian_entities(sentence: str) -> tuple[Entity, ...]:
    """The named entities of one sentence (from the batch `prefetch` tagged, else tagged now)."""
    if sentence not in _cache:
        prefetch([sentence])
    return _cache[sentence]
