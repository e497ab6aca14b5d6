"""The hash of a document's normalised text: two captures of one page differ in their raw
bytes (a timestamp, an ad, an encoding) but not in their words, and this hash finds them."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGIT_RUNS = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")  # clock times change between captures


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _DIGIT_RUNS.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
