"""Which language a text is in: Russian, English, or something this project cannot read.

A script ratio is enough for the two languages we extract from: Cyrillic letters mean Russian
(Ukrainian and other Cyrillic languages are told apart by their own letters), Latin letters
mean English unless the text is full of other languages' diacritics. Anything else is reported
as unsupported ("und"), so it is stored and counted, never silently dropped.
"""

from __future__ import annotations

import re

SUPPORTED = ("ru", "en")
UNSUPPORTED = "und"

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_UKRAINIAN = re.compile(r"[іїєґ]", re.IGNORECASE)
_OTHER_LATIN = re.compile(r"[äöåüßñçéèêàâîôûøæœšžčćđőűłąęńśźż]", re.IGNORECASE)
_ANY_LETTER = re.compile(r"[^\W\d_]")
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|was|were|is|are|for|that|with)\b", re.IGNORECASE)


def detect_language(text: str) -> str:
    """"ru", "en" or "und" for the whole text (judged on its first 5,000 characters)."""
    sample = text[:5000]
    letters = len(_ANY_LETTER.findall(sample))
    if not letters:
        return UNSUPPORTED
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_LATIN.findall(sample))
    if cyr >= lat and cyr / letters > 0.4:
        # Ukrainian and Belarusian have letters Russian lacks
        return UNSUPPORTED if len(_UKRAINIAN.findall(sample)) > cyr * 0.01 else "ru"
    if lat / letters > 0.4:
        words = max(1, len(sample.split()))
        foreign = len(_OTHER_LATIN.findall(sample)) > lat * 0.01
        english = len(_EN_WORDS.findall(sample)) / words > 0.03
        return "en" if english and not foreign else UNSUPPORTED
    return UNSUPPORTED


def paragraph_languages(text: str) -> list[tuple[int, int, str]]:
    """(start, end, language) for each paragraph (blank-line separated) of a mixed text."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        if m.group().strip():
            out.append((m.start(), m.end(), detect_language(m.group())))
    return out
