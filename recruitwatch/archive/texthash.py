"""The hash of a document's normalised text: two captures of one page differ in their raw
bytes (a timestamp, an ad, an encoding) but not in their words, and this hash finds them."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
_DIGIT_RUNS = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")  # clock times change between captures


def normalise_text(text: str) -> str:
    # "№" is the one character of court decisions that NFKC changes (to "No"): put in its place
    # first, it no longer sends every decision through a whole-text normalisation. The result is
    # the same: NFKC depends only on the compatibility decomposition, and "No" is that of "№".
    text = text.replace("№", "No")
    if not unicodedata.is_normalized("NFKC", text):  # a quick check; most texts already are
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold().replace("ё", "е")
    if ":" in text:
        text = _DIGIT_RUNS.sub(" ", text)
    return " ".join(_WORD.findall(text))  # the words, one space apart


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
