"""Counts and sums of money in Russian and English text.

A small token grammar (natasha/yargy style, without the dependency):

    COUNT  -> QUALIFIER? (DIGITS MULTIPLIER? | WORDS) PAREN_WORDS?
    VAGUE  -> "several hundred" | "dozens" | "несколько сотен" | "десятки" ...   (value None)
    RUBLES -> COUNT CURRENCY

Russian number words are recognised in every case ("двух тысяч", "двадцати шести") from tables
built once out of pymorphy3's lexemes, so scanning is a dictionary lookup per token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from recruitwatch.reference.morph import WORD_CACHE_SIZE, word_forms


@dataclass(frozen=True)
class CountMention:
    start: int
    end: int
    text: str
    value: int | None


# Tokens: a number in digits (grouped thousands with spaces or commas, or a decimal), a word, or
# one punctuation character.  Grouping alternatives come first so "2 000" is one token.
_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d{1,3}(?:,\d{3})+(?![\d])|\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>[^\s\w])"
)
# Digits that belong to dates, times and identifiers are not counts.
_NOT_COUNT = re.compile(
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}[:h]\d{2}\b|№\s*[\w\-/]+|\d+[-/]\d+[-/]\d+"
    r"|\b(?:19|20)\d{2}\s*(?:год\w*|гг?\.?)(?!\w)|[£€$]\s*\d[\d.,]*"
)


class _Tok(NamedTuple):  # a tuple: one per token of every sentence, a frozen dataclass costs 3x
    start: int
    end: int
    text: str
    low: str
    kind: str  # "num" | "word" | "punct"


def _tokens(text: str) -> list[_Tok]:
    new = tuple.__new__  # _Tok without its Python-level __new__: one per token
    return [new(_Tok, (*m.span(), g, g.lower(), m.lastgroup or "punct"))
            for m in _TOKEN.finditer(text) for g in (m.group(),)]


# ---------------------------------------------------------------- word tables

_RU_BASE: dict[str, int] = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30,
    "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
    "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    # collective numerals: "трое мигрантов"
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7,
    "восьмеро": 8, "девятеро": 9, "десятеро": 10,
}
_RU_SCALE: dict[str, int] = {"тысяча": 1000, "миллион": 1_000_000, "миллиард": 1_000_000_000}
_SCALE_LEMMA: dict[int, str] = {v: k for k, v in _RU_SCALE.items()}
_ABBR_SCALE: dict[str, int] = {
    "тыс": 1000, "млн": 1_000_000, "млрд": 1_000_000_000, "k": 1000,
    "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "mln": 1_000_000,
}
_EN_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_EN_SCALE: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


@cache
def _ru_words() -> dict[str, tuple[int, str]]:
    """Every inflected form of a Russian number word -> (value, "unit" | "scale")."""
    table: dict[str, tuple[int, str]] = {}
    for base, value in _RU_BASE.items():
        for form in word_forms(base) | {base}:
            table.setdefault(form.replace("ё", "е"), (value, "unit"))
    for base, value in _RU_SCALE.items():
        for form in word_forms(base) | {base}:
            table[form.replace("ё", "е")] = (value, "scale")
    # "полторы тысячи": one and a half, only meaningful before a scale word
    for form in ("полтора", "полторы", "полутора"):
        table[form] = (-15, "unit")
    return table


# Qualifiers kept in count_text ("more than 200", "около 400").
_QUALIFIERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(q.split())
    for q in sorted(
        [
            "more than", "over", "almost", "nearly", "about", "around", "approximately", "roughly",
            "at least", "up to", "less than", "fewer than", "under", "as many as", "no fewer than",
            "no less than", "just over", "just under", "well over", "close to", "an estimated",
            "upwards of", "at most", "some", "approx",
            "более чем", "более", "больше", "свыше", "около", "почти", "порядка", "примерно",
            "приблизительно", "не менее", "не более", "менее", "меньше", "до", "как минимум",
            "по меньшей мере", "минимум", "максимум", "без малого", "чуть более", "чуть больше",
            "немногим более", "более чем на", "еще", "ещё", "уже", "лишь", "только", "всего",
            "около", "порядка", "в общей сложности", "a total of", "in total", "only", "another",
        ],
        key=lambda q: -len(q.split()),
    )
)
# Qualifiers that are only context, not part of the stated amount.
_SILENT_QUALIFIERS = {("еще",), ("ещё",), ("уже",), ("лишь",), ("только",), ("всего",), ("only",),
                      ("another",), ("в", "общей", "сложности"), ("a", "total", "of"), ("in", "total")}

# Vague quantities: the words are kept, the value is None.
_VAGUE_EN = tuple(
    tuple(v.split())
    for v in sorted(
        [
            "several hundred", "several thousand", "several dozen", "a few hundred", "a few thousand",
            "a few dozen", "hundreds of thousands", "tens of thousands", "hundreds", "thousands",
            "dozens", "scores", "several", "a few", "a number of", "numerous", "a handful of",
            "multiple", "a large number of", "a group of", "many",
        ],
        key=lambda v: -len(v.split()),
    )
)
_VAGUE_RU_HEAD = {"несколько", "множество", "ряд", "многие", "много", "немало", "группа"}
_VAGUE_RU_SCALE = {"десяток", "сотня", "тысяча", "миллион"}


@cache
def _ru_vague_forms() -> dict[str, str]:
    """Inflected forms of vague quantity words -> their lemma."""
    table: dict[str, str] = {}
    for base in _VAGUE_RU_HEAD | _VAGUE_RU_SCALE:
        for form in word_forms(base) | {base}:
            table.setdefault(form, base)
    # pymorphy3 reads "несколько" as an adverb: its oblique forms are listed by hand
    for form in ("нескольких", "нескольким", "несколькими"):
        table[form] = "несколько"
    return table


# ---------------------------------------------------------------- parsing


def _digits_value(tok: str) -> float:
    raw = tok.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        return float(raw.replace(",", ""))
    return float(raw.replace(",", "."))


def _gap(text: str, a: _Tok, b: _Tok) -> str:
    return text[a.end : b.start]


def _adjacent(text: str, a: _Tok, b: _Tok) -> bool:
    """Tokens separated by white space only (no punctuation, no line break pair)."""
    gap = _gap(text, a, b)
    return gap.strip() == "" and gap.count("\n") < 2 and len(gap) <= 3


def _scale_at(text: str, toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """A multiplier word at toks[i] ("тысяч", "тыс.", "million", "k") -> (scale, end offset)."""
    if i >= len(toks) or toks[i].kind != "word":
        return None
    low = toks[i].low
    ru = _ru_words().get(low.replace("ё", "е"))
    if ru and ru[1] == "scale":
        return ru[0], toks[i].end
    if low in _ABBR_SCALE:
        if low == "k" and toks[i].start != toks[i - 1].end:
            return None  # "20k" only when glued to the digits
        end = toks[i].end
        if low in ("тыс", "млн", "млрд") and text[end : end + 1] == ".":
            end += 1
        return _ABBR_SCALE[low], end
    return None


def _parse_digits(text: str, toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """DIGITS MULTIPLIER? starting at toks[i] -> (value, end offset, next index)."""
    tok = toks[i]
    value = _digits_value(tok.text)
    end, j = tok.end, i + 1
    if j < len(toks) and _adjacent(text, tok, toks[j]):
        scale = _scale_at(text, toks, j)
        if scale:
            value, end, j = value * scale[0], scale[1], j + 1
            # "80 тыс." consumed its dot
            while j < len(toks) and toks[j].start < end:
                j += 1
    if value != int(value):
        return None  # a bare decimal ("1.5") is not a head count
    return int(value), end, j


def _parse_ru_words(text: str, toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """Russian number words in any case ("двадцати шести", "двух тысяч")."""
    table = _ru_words()
    total, current, j, end, seen = 0, 0.0, i, -1, False
    while j < len(toks) and toks[j].kind == "word":
        if seen and not _adjacent(text, toks[j - 1], toks[j]):
            break
        hit = table.get(toks[j].low.replace("ё", "е"))
        if not hit:
            break
        value, kind = hit
        if kind == "scale" and not seen and not _is_singular(toks[j].low, _SCALE_LEMMA[value]):
            return None  # "тысячи мигрантов": a vague plural, not 1000
        if kind == "scale":
            total += int((current or 1) * value)
            current = 0
        elif value == -15:
            current = 1.5
        else:
            current += value
        seen, end, j = True, toks[j].end, j + 1
    if not seen or current == 1.5:
        return None
    return int(total + current), end, j


def _parse_en_words(text: str, toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """English number words: "two hundred and thirty-six", "a thousand", "a dozen"."""
    total, current, j, end, seen = 0, 0, i, -1, False
    if toks[i].low == "a" and i + 1 < len(toks) and toks[i + 1].low in ("hundred", "thousand", "million", "dozen"):
        current, j = 1, i + 1
    while j < len(toks):
        low = toks[j].low
        if low in _EN_UNITS:
            current = current * 12 if low == "dozen" and current else current + _EN_UNITS[low]
        elif low in _EN_SCALE and (seen or current):
            scale = _EN_SCALE[low]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        elif seen and low in ("-", "and") and j + 1 < len(toks) and toks[j + 1].low in _EN_UNITS:
            j += 1
            continue
        else:
            break
        seen, end, j = True, toks[j].end, j + 1
    if not seen:
        return None
    return total + current, end, j


@cache
def _by_first(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases indexed by their first word, longest first: one dict probe per token."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def _match_phrase(toks: list[_Tok], i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    for phrase in _by_first(phrases).get(toks[i].low, ()):
        n = len(phrase)
        if len(toks) - i >= n and all(toks[i + k].low == phrase[k] for k in range(1, n)):
            return phrase
    return None


def _parse_core(text: str, toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    if toks[i].kind == "num":
        return _parse_digits(text, toks, i)
    if toks[i].kind == "word":
        return _parse_ru_words(text, toks, i) or _parse_en_words(text, toks, i)
    return None


def _parse_vague(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """A vague quantity at toks[i] -> (end offset, next index)."""
    phrase = _match_phrase(toks, i, _VAGUE_EN)
    if phrase:
        j = i + len(phrase)
        return toks[j - 1].end, j
    vague = _ru_vague_forms()
    lem = vague.get(toks[i].low)
    if lem is None:
        return None
    if lem in _VAGUE_RU_HEAD:
        # "несколько сотен", "нескольких тысяч"
        if i + 1 < len(toks) and vague.get(toks[i + 1].low) in _VAGUE_RU_SCALE:
            return toks[i + 1].end, i + 2
        return toks[i].end, i + 1
    # a bare scale word is vague only in the plural: "десятки", "сотни", "тысячи мигрантов"
    if toks[i].low in word_forms(lem) and not _is_singular(toks[i].low, lem):
        # "десятки тысяч"
        if i + 1 < len(toks) and vague.get(toks[i + 1].low) in _VAGUE_RU_SCALE:
            return toks[i + 1].end, i + 2
        return toks[i].end, i + 1
    return None


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _is_singular(form: str, lem: str) -> bool:
    from recruitwatch.reference.morph import analyzer

    for p in analyzer().parse(form):
        if p.normal_form == lem and "plur" in p.tag:
            return False
    return True


@cache
def _starters() -> frozenset[str]:
    """Every word a count can begin with: qualifiers, number words, vague quantities."""
    words = {q[0] for q in _QUALIFIERS} | {v[0] for v in _VAGUE_EN} | set(_EN_UNITS) | {"a"}
    words |= set(_ru_words()) | set(_ru_vague_forms())
    return frozenset(words)


def _masked(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _NOT_COUNT.finditer(text)]


def _in_masks(pos: int, masks: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in masks)


def _paren_tail(text: str, toks: list[_Tok], j: int, value: int) -> tuple[int, int] | None:
    """"2000 (двух тысяч)": the spelled-out repeat belongs to the number."""
    if j < len(toks) and toks[j].text == "(" and j + 1 < len(toks):
        core = _parse_core(text, toks, j + 1)
        if core and core[0] == value and core[2] < len(toks) and toks[core[2]].text == ")":
            return toks[core[2]].end, core[2] + 1
    return None


@lru_cache(maxsize=512)
def _scan(text: str) -> list[tuple[CountMention, int]]:
    """Every count in `text`, with the index of the token after it."""
    toks = _tokens(text)
    masks = _masked(text)
    out: list[tuple[CountMention, int]] = []
    i = 0
    starters = _starters()
    while i < len(toks):
        if toks[i].kind != "num" and toks[i].low not in starters:
            i += 1
            continue
        hit = _count_at(text, toks, i, masks)
        if hit is None:
            i += 1
            continue
        out.append(hit)
        i = hit[1]
    return out


def _count_at(text: str, toks: list[_Tok], i: int, masks: list[tuple[int, int]]) -> tuple[CountMention, int] | None:
    qual = _match_phrase(toks, i, _QUALIFIERS)
    k = i + len(qual) if qual else i
    if k >= len(toks):
        return None
    start = toks[k].start if qual in _SILENT_QUALIFIERS else toks[i].start
    if _in_masks(toks[k].start, masks):
        return None
    core = _parse_core(text, toks, k)
    if core:
        value, end, j = core
        tail = _paren_tail(text, toks, j, value)
        if tail:
            end, j = tail
        return CountMention(start, end, text[start:end], value), j
    vague = _parse_vague(toks, k)
    if vague:
        end, j = vague
        return CountMention(start, end, text[start:end], None), j
    return None


def find_counts(text: str) -> list[CountMention]:
    """Every stated quantity: digits, words in any case, qualified and vague ones."""
    return [m for m, _ in _scan(text)] if _ANY_COUNT.search(text) else []


# A count has digits or a word; texts with neither are skipped (cheap pre-check).
_ANY_COUNT = re.compile(r"\w")


def parse_number(text: str) -> int | None:
    """The value of a number written in digits or words: "2 000", "двух тысяч", "2,000"."""
    text = text.strip()
    toks = _tokens(text)
    if not toks:
        return None
    qual = _match_phrase(toks, 0, _QUALIFIERS)
    k = len(qual) if qual else 0
    if k >= len(toks):
        return None
    core = _parse_core(text, toks, k)
    return core[0] if core else None


_CURRENCY = re.compile(
    r"\s*(?:\((?:[^()]{1,40})\)\s*)?(?:-\s*)?(?:руб(?:л(?:ей|я|ь|ям|ями|ях|ю|ем))?\b\.?|₽|RUB\b|р\.(?!\w)"
    r"|(?:roubles?|rubles?|rbl)\b)",
    re.IGNORECASE,
)


def find_rubles(text: str) -> list[CountMention]:
    """Sums of money in roubles: "2000 (двух тысяч) рублей", "2,000 roubles", "80 тыс. руб."."""
    out = []
    for mention, _ in _scan(text):
        if mention.value is None:
            continue
        m = _CURRENCY.match(text, mention.end)
        if m:
            out.append(CountMention(mention.start, m.end(), text[mention.start : m.end()], mention.value))
    return out
