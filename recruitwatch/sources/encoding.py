"""Bytes to text for Russian court and news pages.

Russian sites still serve Windows-1251 and KOI8-R, often declared wrongly (a page that says
UTF-8 in its <meta> but is 1251, or says nothing). So a declaration is only a hint: we accept
it when the bytes decode under it cleanly and read as Russian or Latin text, and otherwise we
score the candidate encodings by how Russian the result looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CANDIDATES = ("utf-8", "cp1251", "koi8-r", "cp866", "iso-8859-5")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,20})""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_\-]{2,20})""", re.I)
_ALIASES = {"windows-1251": "cp1251", "win-1251": "cp1251", "x-cp1251": "cp1251", "cp-1251": "cp1251",
            "koi8r": "koi8-r", "utf8": "utf-8"}

# Letters frequent in Russian text; KOI8-R read as cp1251 (and the reverse) turns them into
# upper-case soup, so the share of frequent lower-case letters tells the right reading.
_FREQUENT_RU = "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэф"
# Those letters as Windows-1251 bytes: counted in one C call on the sample encoded to 1251
# (dropping what 1251 lacks, none of them), instead of one str.count per letter.
_FREQUENT_RU_1251 = _FREQUENT_RU.encode("cp1251")
SAMPLE_CHARS = 4000
GOOD_ENOUGH = 0.6  # a declared encoding that reads this well is taken without trying others
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


# What a byte of a single-byte codec reads as, for russian_score: a frequent Russian letter, another
# character of two UTF-8 bytes, or one of three or more; the rest (ASCII, and bytes it cannot read)
# count for nothing.
_FREQUENT, _WIDE, _WIDER = b"f", b"w", b"x"


def _byte_classes(codec: str) -> tuple[bytes, bytes]:
    """For a single-byte codec: a translate() table from each byte to its class, and the bytes that
    count for nothing."""
    table, uncounted = bytearray(range(256)), bytearray()
    for byte in range(256):
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            char = ""
        size = len(char.encode("utf-8", "surrogatepass"))
        if char and char in _FREQUENT_RU:
            table[byte] = _FREQUENT[0]
        elif size >= 3:
            table[byte] = _WIDER[0]
        elif size == 2:
            table[byte] = _WIDE[0]
        else:
            uncounted.append(byte)
    return bytes(table), bytes(uncounted)


# Each single-byte candidate reads a byte as one character (strictly, or not at all): its reading's
# russian_score can be counted on the bytes, without decoding them and encoding the text twice.
_SINGLE_BYTE = {codec: _byte_classes(codec) for codec in CANDIDATES[1:]}


def _score(raw: bytes, text: str | None, codec: str) -> float:
    """russian_score(text), `text` being `raw` decoded (strictly) by `codec`: for a single-byte
    codec, what the bytes would read as (`text` is not looked at)."""
    classes = _SINGLE_BYTE.get(codec)
    if classes is None:
        assert text is not None
        return russian_score(text)
    # The sample's bytes that count (mostly few: ASCII counts for nothing) mapped to their classes in
    # one translate, and counted in C: a fraction of the time of deleting each class from the whole
    # sample in turn. A frequent letter is a character of two UTF-8 bytes, like _WIDE.
    table, uncounted = classes
    counted = raw[:SAMPLE_CHARS].translate(table, uncounted)
    extra = len(counted) + counted.count(_WIDER)
    if extra < 10:
        return 0.9
    return min(1.0, counted.count(_FREQUENT) / extra)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we read."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None


def declared_encoding(raw: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, normalised to a Python codec name."""
    head = raw[:4096]
    found = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not found:
        return None
    name = found.group(1).decode("ascii", "ignore").lower()
    return _ALIASES.get(name, name)


def russian_score(text: str) -> float:
    """How much `text` reads like Russian or Latin prose: 0 (soup) .. 1. The share of frequent
    lower-case letters among the Cyrillic ones; Cyrillic letters are counted as the extra bytes
    of the UTF-8 encoding (two bytes each), an approximation that costs one C call."""
    sample = text[:SAMPLE_CHARS]
    wide = len(sample.encode("utf-8", "surrogatepass")) - len(sample)
    if wide < 10:
        return 0.9  # Latin text: every single-byte reading agrees on it
    narrow = sample.encode("cp1251", "ignore")
    return min(1.0, (len(narrow) - len(narrow.translate(None, _FREQUENT_RU_1251))) / wide)


def decode_bytes(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode `raw`, trusting a declaration only when the bytes bear it out."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return Decoded(raw[3:].decode("utf-8", "replace"), "utf-8", declared)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return Decoded(raw.decode("utf-16", "replace"), "utf-16", declared)
    declared = declared or declared_encoding(raw)
    if _looks_binary(raw):
        raise DecodeError("binary data, not text")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", declared)
    except UnicodeDecodeError:
        pass
    if declared in CANDIDATES[1:]:
        try:
            text = raw.decode(declared)
            if _score(raw, text, declared) >= GOOD_ENOUGH:
                return Decoded(text, declared, declared)
        except UnicodeDecodeError:
            pass
    return _best_reading(raw, declared)


def _best_reading(raw: bytes, declared: str | None) -> Decoded:
    """The reading of `raw` that scores highest (the declared encoding's by 0.05 more), the first of
    equals in _ordered's order, among the candidates that decode it strictly. A single-byte
    candidate's score is counted on the bytes: all are scored first and only the best decoded."""
    scored: list[tuple[float, int, str, str | None]] = []
    for index, name in enumerate(_ordered(declared)):
        text = None
        if name not in _SINGLE_BYTE:
            try:
                text = raw.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
        score = _score(raw, text, name) + (0.05 if name == declared else 0.0)
        scored.append((-score, index, name, text))
    for _, _, name, text in sorted(scored):  # the indexes differ: no two entries compare further
        if text is None:
            try:
                text = raw.decode(name)
            except UnicodeDecodeError:
                continue
        return Decoded(text, name, declared)
    raise DecodeError("no encoding reads these bytes")


def _ordered(declared: str | None) -> list[str]:
    names = [n for n in CANDIDATES if n != "utf-8"]
    if declared and declared not in ("utf-8", *names):
        names.insert(0, declared)
    return names


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean it is not a text page."""
    head = raw[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05
