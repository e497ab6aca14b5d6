"""The shared Russian morphology: lemmas, and caches that stay bounded over a long run."""

from __future__ import annotations

from recruitwatch.extract.news import _analyse
from recruitwatch.extract.numbers import _is_singular
from recruitwatch.reference.countries import _ru_word_hit
from recruitwatch.reference.morph import WORD_CACHE_SIZE, lemma, lemmas


def test_lemmas_keep_every_reading() -> None:
    assert lemma("гражданина") == "гражданин"
    assert {"стать", "сталь"} <= lemmas("стали")


def test_per_word_caches_are_bounded() -> None:
    """A cache keyed by words keeps growing with a corpus's surnames and typos unless bounded."""
    for cached in (lemma, lemmas, _analyse, _is_singular, _ru_word_hit):
        assert cached.cache_info().maxsize == WORD_CACHE_SIZE, cached.__name__
