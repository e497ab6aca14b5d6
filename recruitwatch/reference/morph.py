"""One shared Russian morphological analyser (pymorphy3), loaded once, with cached lemmas.

Every grammar that needs Russian lemmas goes through here so the dictionaries are read once
per process and a word is analysed once however many documents it appears in (once while it is
among the 50,000 words used most recently).
"""

from __future__ import annotations

from functools import cache, lru_cache

import pymorphy3

# Per-word caches hold the words seen most recently, not every word ever seen: over years of text
# (surnames, place names, typos) a cache of all of them would grow with the corpus.
WORD_CACHE_SIZE = 50_000


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=WORD_CACHE_SIZE)
def lemmas(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 offers for `word` (lower-cased): ambiguity is kept, because
    a trigger table should match when any reading fits."""
    return frozenset(p.normal_form for p in analyzer().parse(word.lower()))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def lemma(word: str) -> str:
    """The most probable normal form of `word`."""
    return analyzer().parse(word.lower())[0].normal_form


@cache
def word_forms(word: str) -> frozenset[str]:
    """All inflected forms of every lexeme whose normal form is `word` ("десяток" is also a form
    of "десятка": both lexemes are taken)."""
    parses = [p for p in analyzer().parse(word) if p.normal_form == word] or analyzer().parse(word)[:1]
    return frozenset(f.word for p in parses for f in p.lexeme)
