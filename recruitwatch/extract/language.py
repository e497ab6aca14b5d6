"""Which language a text is in: Russian, English, or something this project cannot read.

A script ratio is enough for the two languages we extract from: Cyrillic letters mean Russian
(Ukrainian and other Cyrillic languages are told apart by their own letters), Latin letters
mean English unless the text is full of other languages' diacritics. Anything else is reported
as unsupported (its code where its letters tell it, else "und"), so it is stored and counted,
never silently dropped.
"""

from __future__ import annotations

import re

SUPPORTED = ("ru", "en")
UNSUPPORTED = "und"

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# Letters are counted by the run (a word at a time), not one match per letter: the same count.
_CYRILLIC_RUN = re.compile(r"[а-яё]+", re.IGNORECASE)
_LATIN_RUN = re.compile(r"[a-z]+", re.IGNORECASE)
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_UKRAINIAN = re.compile(r"[іїєґ]", re.IGNORECASE)
_OTHER_LATIN = re.compile(r"[äöåüßñçéèêàâîôûøæœšžčćđőűłąęńśźż]", re.IGNORECASE)
_ANY_LETTER = re.compile(r"[^\W\d_]")
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|in|was|were|is|are|for|that|with)\b", re.IGNORECASE)


# Letters other Cyrillic languages have and Russian lacks: (ISO 639-1, letters). Order matters,
# the letters are shared: Kazakh also has Kyrgyz's "ң ө ү" and Uzbek's "қ ғ", Uzbek has
# Belarusian's "ў", Kazakh and Belarusian have Ukrainian's "і"; each is tested after the
# languages that have its letters and letters of their own.
_CYRILLIC_OTHERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(f"[{letters}]", re.IGNORECASE))
    for code, letters in (("tg", "ӣӯҷ"), ("kk", "әұһ"), ("ky", "ңөү"), ("uz", "қғҳ"), ("be", "ў"), ("uk", "іїєґ"))
)
_CYRILLIC_OTHER_ANY = re.compile(f"[{''.join(p.pattern[1:-1] for _, p in _CYRILLIC_OTHERS)}]", re.IGNORECASE)


def _letters(run: re.Pattern[str], text: str) -> int:
    return sum(map(len, run.findall(text)))


# Other scripts named by their Unicode block, when the text is mostly in one.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06ff]")),  # Arabic script (also Persian, Urdu: told apart no further)
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("hy", re.compile(r"[\u0530-\u058f]")),
    ("ka", re.compile(r"[\u10a0-\u10ff]")),
)


def detect_language(text: str) -> str:
    """"ru", "en", another language's ISO 639-1 code where its letters give it away ("uk",
    "be", "kk", "ky", "uz", "tg", "ar", "zh", "hy", "ka"), else "und" (judged on the first 5,000
    characters). Only "ru" and "en" are extracted from (SUPPORTED)."""
    sample = text[:5000]
    letters = _letters(_LETTER_RUN, sample)
    if not letters:
        return UNSUPPORTED
    cyr = _letters(_CYRILLIC_RUN, sample)
    lat = _letters(_LATIN_RUN, sample)
    if cyr >= lat and cyr / letters > 0.4:
        # Ukrainian, Belarusian, Kazakh... have letters Russian lacks (most texts none at all)
        if not _CYRILLIC_OTHER_ANY.search(sample):
            return "ru"
        for code, pattern in _CYRILLIC_OTHERS:
            if len(pattern.findall(sample)) > cyr * 0.01:
                return code
        return "ru"
    if lat / letters > 0.4:
        words = max(1, len(sample.split()))
        foreign = len(_OTHER_LATIN.findall(sample)) > lat * 0.01
        english = len(_EN_WORDS.findall(sample)) / words > 0.03
        return "en" if english and not foreign else UNSUPPORTED
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) / letters > 0.4:
            return code
    return UNSUPPORTED


def is_supported(language: str | None) -> bool:
    """Whether events are extracted from a text in `language` (None: not yet known, try)."""
    return language is None or language.split("-")[0].lower() in SUPPORTED


def paragraph_languages(text: str) -> list[tuple[int, int, str]]:
    """(start, end, language) for each paragraph (blank-line separated) of a mixed text."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        if m.group().strip():
            out.append((m.start(), m.end(), detect_language(m.group())))
    return out
