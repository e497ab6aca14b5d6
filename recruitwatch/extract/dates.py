"""Dates in Russian and English: absolute ones, and ones relative to an anchor (the document's
own date), each read as a span [date_start, date_end] with a precision from the contract:
day, week, month, quarter, year or range.

Each grammar is one compiled regular expression plus a function that turns its match into a
span; `find_dates` runs them all and keeps the longest non-overlapping matches.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from recruitwatch.extract.numbers import parse_number
from recruitwatch.extract.triggers import guarded


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date_start: date
    date_end: date
    precision: str


Span = tuple[date, date, str]

# ---------------------------------------------------------------- vocabularies

_RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
# every case of every month: "марта", "марте", "май", "мае", "мая"
_RU_MONTH = (
    r"(?:январ[ьяеюё]|феврал[ьяею]|март[ауе]?|апрел[ьяею]|ма[йяею]|июн[ьяею]|июл[ьяею]"
    r"|август[ауе]?|сентябр[ьяею]|октябр[ьяею]|ноябр[ьяею]|декабр[ьяею])(?![а-яё])"
)
_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# English month names are capitalised; "May" alone is also a verb, so it needs context below.
_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_MONTH = f"(?:{_RU_MONTH}|{_EN_MONTH})"
_YEAR = r"(?:19|20)\d{2}"
_RU_YEAR_WORD = r"(?:\s*(?:года|году|год|г\.|гг\.|г(?![а-яё])))?"
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_RU = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")
_ORDINALS = {
    "first": 1, "1st": 1, "перв": 1, "second": 2, "2nd": 2, "втор": 2, "third": 3, "3rd": 3,
    "трет": 3, "fourth": 4, "4th": 4, "четв": 4, "last": 4, "последн": 4,
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _month(word: str) -> int | None:
    low = word.lower().rstrip(".")
    if low[:3] in _EN_MONTHS and re.match(r"[a-z]", low):
        return _EN_MONTHS[low[:3]]
    for stem, num in sorted(_RU_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(stem):
            return num
    return None


def _unit(word: str) -> str | None:
    low = word.lower()
    for key, unit in (
        ("day", "day"), ("дн", "day"), ("дня", "day"), ("сут", "day"), ("week", "week"),
        ("недел", "week"), ("month", "month"), ("месяц", "month"), ("year", "year"), ("год", "year"),
        ("лет", "year"),
    ):
        if low.startswith(key):
            return unit
    return None


def _ordinal(word: str) -> int | None:
    low = word.lower()
    for key, val in _ORDINALS.items():
        if low.startswith(key):
            return val
    m = re.match(r"[qQ]?([1-4])", low)
    return int(m.group(1)) if m else None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, anchor: date | None) -> int | None:
    """A day and month with no year: the latest such date not long after the anchor."""
    if anchor is None:
        return None
    y = anchor.year
    when = _safe_date(y, m, min(d, 28))
    if when and when > anchor + timedelta(days=31):
        y -= 1
    return y


def _count(word: str | None) -> int | None:
    if not word:
        return 1
    return parse_number(word)


# ---------------------------------------------------------------- grammars

_Handler = Callable[[re.Match[str], date | None], Span | None]
_GRAMMARS: list[tuple[re.Pattern[str], _Handler, str]] = []

# Cheap features of a text; a grammar runs only when the text has all the features it needs
# (D digits, M a month name, W a weekday, R a relative word), which skips most of them.
_FEATURES = {
    "D": re.compile(r"\d"),
    "M": re.compile(r"январ|феврал|март|апрел|ма[йяею]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
                    r"[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|May|[Jj]u[nl]|[Aa]ug|[Ss]ep|[Oo]ct|[Nn]ov|[Dd]ec"),
    "W": re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник|вторник|сред[уа]|"
                    r"четверг|пятниц|суббот|воскресень"),
    "R": re.compile(r"week|month|year|day|недел|месяц|год|лет|дн|сут|ago|назад|recent|последн|прошл|минувш|"
                    r"прошедш|эт|текущ|this|last|past|previous|вчера|сегодня|накануне|yesterday|today|quarter|"
                    r"квартал|half|полугод|начал|beginning|start|[qh][1-4]"),
    "Y": re.compile(r"(?:19|20)\d\d"),  # a year: the year grammars' optional prefixes make them slow
    "S": re.compile(r"winter|spring|summer|autumn|fall|зим|весн|лет|осен"),
}
# Features searched in the lower-cased text (their patterns are lower case; "M" tells "May" from "may").
_FOLDED_FEATURES = frozenset("WRS")


def _grammar(pattern: str, flags: int = 0, needs: str = "D") -> Callable[[_Handler], _Handler]:
    def register(fn: _Handler) -> _Handler:
        _GRAMMARS.append((guarded(re.compile(pattern, flags)), fn, needs))
        return fn

    return register


@_grammar(r"\b(\d{4})-(\d{2})-(\d{2})\b", needs="D")
def _iso(m: re.Match[str], anchor: date | None) -> Span | None:
    d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return (d, d, "day") if d else None


@_grammar(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])", needs="D")
def _numeric(m: re.Match[str], anchor: date | None) -> Span | None:
    a, b, y = int(m[1]), int(m[3]), int(m[4])
    y = y + 2000 if y < 100 else y
    # Day first, as in Russia and Europe; a second field over 12 can only be a day.
    d = _safe_date(y, b, a) or _safe_date(y, a, b)
    return (d, d, "day") if d else None


@_grammar(
    rf"(?:(?:с|from|between)\s+)?«?(\d{{1,2}})»?\s*(?:-|–|—|по|to|and|until|till)\s*«?(\d{{1,2}})»?\s+({_MONTH})"
    rf"(?:,?\s+({_YEAR}){_RU_YEAR_WORD})?",
    re.IGNORECASE,
 needs="DM",
)
def _day_range(m: re.Match[str], anchor: date | None) -> Span | None:
    mon = _month(m[3])
    if mon is None:
        return None
    y = int(m[4]) if m[4] else _infer_year(mon, int(m[2]), anchor)
    if y is None:
        return None
    a, b = _safe_date(y, mon, int(m[1])), _safe_date(y, mon, int(m[2]))
    return (a, b, "range") if a and b and a <= b else None


@_grammar(rf"«?(\d{{1,2}})»?(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})(?:,?\s+({_YEAR}){_RU_YEAR_WORD})?", needs="DM")
def _day_month(m: re.Match[str], anchor: date | None) -> Span | None:
    mon = _month(m[2])
    if mon is None:
        return None
    y = int(m[3]) if m[3] else _infer_year(mon, int(m[1]), anchor)
    d = _safe_date(y, mon, int(m[1])) if y else None
    return (d, d, "day") if d else None


@_grammar(
    rf"\b({_EN_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(\d{{1,2}}))?(?:,?\s+({_YEAR}))?(?![\d:])",
    needs="DM",
)
def _month_day(m: re.Match[str], anchor: date | None) -> Span | None:
    mon = _month(m[1])
    if mon is None:
        return None
    y = int(m[4]) if m[4] else _infer_year(mon, int(m[2]), anchor)
    if y is None:
        return None
    a = _safe_date(y, mon, int(m[2]))
    b = _safe_date(y, mon, int(m[3])) if m[3] else a
    if not a or not b or b < a:
        return None
    return (a, b, "day" if a == b else "range")


@_grammar(
    rf"(?<![\d.])({_MONTH})(?:\s*(?:-|–|—|по|to|through)\s*({_MONTH}))?,?\s+({_YEAR}){_RU_YEAR_WORD}",
    re.IGNORECASE,
 needs="DM",
)
def _month_year(m: re.Match[str], anchor: date | None) -> Span | None:
    a, b = _month(m[1]), _month(m[2]) if m[2] else _month(m[1])
    if a is None or b is None or b < a or (m[1] == "may" and not m[2]):
        return None
    y = int(m[3])
    return (date(y, a, 1), _month_end(y, b), "month" if a == b else "range")


@_grammar(
    rf"\b(?:(?:в|во|с|к|на|за|in|during|since|throughout|by|until|of|from)\s+)({_MONTH})"
    rf"(?:\s*(?:-|–|—|по|to|through)\s*({_MONTH}))?(?!\s*(?:\d|{_YEAR}))",
    re.IGNORECASE,
 needs="M",
)
def _month_alone(m: re.Match[str], anchor: date | None) -> Span | None:
    a = _month(m[1])
    b = _month(m[2]) if m[2] else a
    if a is None or b is None or anchor is None or b < a:
        return None
    y = anchor.year if a <= anchor.month else anchor.year - 1
    word = m.group(0).split()[0].lower()
    if word in ("с", "since", "from") and not m[2]:
        return (date(y, a, 1), anchor, "range")
    return (date(y, a, 1), _month_end(y, b), "month" if a == b else "range")


@_grammar(
    rf"\b(mid|early|late)[-\s]({_EN_MONTH})(?:,?\s+({_YEAR}))?"
    rf"|\b(?:the\s+)?(middle|beginning|start|end)\s+of\s+({_EN_MONTH})(?:,?\s+({_YEAR}))?"
    rf"|(?:в\s+)?(середин|начал|конц|конец)\w*\s+({_RU_MONTH})(?:\s+({_YEAR}){_RU_YEAR_WORD})?",
    re.IGNORECASE,
 needs="M",
)
def _part_of_month(m: re.Match[str], anchor: date | None) -> Span | None:
    part = (m[1] or m[4] or m[7]).lower()
    mon = _month(m[2] or m[5] or m[8])
    year = m[3] or m[6] or m[9]
    if mon is None:
        return None
    y = int(year) if year else _infer_year(mon, 15, anchor)
    if y is None:
        return None
    end = _month_end(y, mon)
    if part in ("mid", "middle", "середин"):
        return (date(y, mon, 10), date(y, mon, 20), "range")
    if part in ("early", "beginning", "start", "начал"):
        return (date(y, mon, 1), date(y, mon, 10), "range")
    return (date(y, mon, 21), end, "range")


@_grammar(
    rf"\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?({_YEAR})"
    rf"|\b[qQ]([1-4])\s+({_YEAR})"
    rf"|(перв|втор|трет|четв[её]рт|последн)\w*\s+квартал\w*\s+({_YEAR}){_RU_YEAR_WORD}"
    rf"|\b([1-4])\s*(?:-?м|-?й)?\s+квартал\w*\s+({_YEAR}){_RU_YEAR_WORD}",
    re.IGNORECASE,
 needs="DR",
)
def _quarter(m: re.Match[str], anchor: date | None) -> Span | None:
    q = _ordinal(m[1] or m[3] or m[5] or m[7])
    y = int(m[2] or m[4] or m[6] or m[8])
    if q is None:
        return None
    first = 3 * q - 2
    return (date(y, first, 1), _month_end(y, first + 2), "quarter")


@_grammar(
    rf"\b(first|second|1st|2nd)\s+half\s+of\s+({_YEAR})|\b[hH]([12])\s*({_YEAR})"
    rf"|(перв|втор|1|2)\w*\s+(?:полугоди|половин)\w*\s+({_YEAR}){_RU_YEAR_WORD}",
    re.IGNORECASE,
 needs="DR",
)
def _half(m: re.Match[str], anchor: date | None) -> Span | None:
    h = _ordinal(m[1] or m[3] or m[5])
    y = int(m[2] or m[4] or m[6])
    if h not in (1, 2):
        return None
    return (date(y, 1, 1), date(y, 6, 30), "range") if h == 1 else (date(y, 7, 1), date(y, 12, 31), "range")


@_grammar(
    rf"\b(?:the\s+)?(first|last)\s+(\w+)\s+months\s+of\s+({_YEAR})"
    rf"|(?:за\s+|в\s+)?(первы|последни)\w*\s+(\w+)\s+месяц\w*\s+({_YEAR}){_RU_YEAR_WORD}"
    rf"|за\s+(\w+)\s+месяц\w*\s+({_YEAR}){_RU_YEAR_WORD}",
    re.IGNORECASE,
 needs="DR",
)
def _months_of_year(m: re.Match[str], anchor: date | None) -> Span | None:
    which = (m[1] or m[4] or "first").lower()
    n = parse_number(m[2] or m[5] or m[7] or "")
    y = int(m[3] or m[6] or m[8])
    if not n or not 1 <= n <= 12:
        return None
    if which.startswith(("last", "последн")):
        start, end = date(y, 13 - n, 1), date(y, 12, 31)
    else:
        start, end = date(y, 1, 1), _month_end(y, n)
    quarter = n == 3 and start.month in (1, 4, 7, 10)
    return (start, end, "quarter" if quarter else "range")


@_grammar(
    rf"(?:\b(?:в|во|за|с|до|на|к|по)\s+)?({_YEAR})\s*(?:-|–|—)\s*({_YEAR})\s*(?:годах|годы|гг\.?|годов)"
    rf"|\b(?:in|between|from)\s+({_YEAR})\s*(?:-|–|—|and|to)\s*({_YEAR})\b",
    re.IGNORECASE,
    needs="Y",
)
def _year_range(m: re.Match[str], anchor: date | None) -> Span | None:
    a, b = int(m[1] or m[3]), int(m[2] or m[4])
    return (date(a, 1, 1), date(b, 12, 31), "range") if a < b else None


@_grammar(
    rf"(?:\b(?:в|во|за|с|до|на|к|по|по\s+итогам)\s+)?({_YEAR})\s*(?:года|году|год|г\.|гг\.|г(?![а-яё]))"
    rf"|\b(?:in|during|throughout|for|of|since|by|until|over)\s+({_YEAR})\b(?![-–/.]\d)",
    re.IGNORECASE,
    needs="Y",
)
def _year(m: re.Match[str], anchor: date | None) -> Span | None:
    y = int(m[1] or m[2])
    first = m.group(0).split()[0].lower()
    if first in ("since", "с") and anchor and anchor.year >= y:
        return (date(y, 1, 1), anchor, "range")
    return (date(y, 1, 1), date(y, 12, 31), "year")


@_grammar(
    r"\b(?:over|in|during|for|within|throughout)\s+the\s+(?:past|last|previous)\s+(?:(\w+)\s+)?(days?|weeks?|months?|years?)\b"
    r"|(?:за|в\s+течение|в\s+течении)\s+(?:последн|прошедш|минувш)\w*\s+(?:(\w+)\s+)?(сут\w*|дн\w*|недел\w*|месяц\w*|год\w*|лет)"
    r"|\b(?:the\s+)?(?:past|last)\s+(\w+)\s+(days|weeks|months|years)\b",
    re.IGNORECASE,
 needs="R",
)
def _past_period(m: re.Match[str], anchor: date | None) -> Span | None:
    n = _count(m[1] or m[3] or m[5])
    unit = _unit(m[2] or m[4] or m[6])
    if anchor is None or not n or unit is None:
        return None
    return (anchor - timedelta(days=_UNIT_DAYS[unit] * n), anchor, "range")


@_grammar(
    r"\b(?:in|over|during)\s+(?:the\s+)?recent\s+(days|weeks|months)\b"
    r"|(?:в|за)\s+последние\s+(дни|недели|месяцы)(?!\s+\d)",
    re.IGNORECASE,
 needs="R",
)
def _recent(m: re.Match[str], anchor: date | None) -> Span | None:
    unit = _unit(m[1] or m[2])
    if anchor is None or unit is None:
        return None
    return (anchor - timedelta(days=_UNIT_DAYS[unit] * 4), anchor, "range")


@_grammar(
    r"\b(\w+)\s+(days?|weeks?|months?|years?)\s+ago\b"
    r"|(?<![\w])(\w+)\s+(дн\w*|недел\w*|месяц\w*|год\w*|лет)\s+назад",
    re.IGNORECASE,
 needs="R",
)
def _ago(m: re.Match[str], anchor: date | None) -> Span | None:
    word = m[1] or m[3]
    n = 1 if word.lower() in ("a", "one", "an") else parse_number(word)
    unit = _unit(m[2] or m[4])
    if anchor is None or not n or unit is None:
        return None
    d = anchor - timedelta(days=_UNIT_DAYS[unit] * n)
    return _unit_span(d, unit)


def _unit_span(d: date, unit: str) -> Span:
    if unit == "day":
        return (d, d, "day")
    if unit == "week":
        monday = d - timedelta(days=d.weekday())
        return (monday, monday + timedelta(days=6), "week")
    if unit == "month":
        return (date(d.year, d.month, 1), _month_end(d.year, d.month), "month")
    return (date(d.year, 1, 1), date(d.year, 12, 31), "year")


@_grammar(
    r"\b(last|this|previous|past)\s+(week|month|year)\b"
    r"|(?:на|в|за)\s+(прошл|эт|текущ|минувш|прошедш)\w*\s+(недел\w*|месяц\w*|год\w*)",
    re.IGNORECASE,
 needs="R",
)
def _this_last(m: re.Match[str], anchor: date | None) -> Span | None:
    which = (m[1] or m[3]).lower()
    unit = _unit(m[2] or m[4])
    if anchor is None or unit is None:
        return None
    back = which.startswith(("last", "previous", "past", "прошл", "минувш", "прошедш"))
    if not back:
        return _unit_span(anchor, unit)
    if unit == "week":
        return _unit_span(anchor - timedelta(days=7), unit)
    if unit == "month":
        return _unit_span(date(anchor.year, anchor.month, 1) - timedelta(days=1), unit)
    return _unit_span(date(anchor.year - 1, 6, 1), unit)


@_grammar(r"\b(yesterday|today|вчера|сегодня|позавчера|накануне)\b", re.IGNORECASE, needs="R")
def _day_word(m: re.Match[str], anchor: date | None) -> Span | None:
    if anchor is None:
        return None
    back = {"yesterday": 1, "вчера": 1, "накануне": 1, "позавчера": 2}.get(m[1].lower(), 0)
    d = anchor - timedelta(days=back)
    return (d, d, "day")


@_grammar(
    r"\b(?:on\s+|last\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|(?:^|(?<=[\s(«\"]))(?:в|во)\s+(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?![а-яё])",
 needs="W",
)
def _weekday(m: re.Match[str], anchor: date | None) -> Span | None:
    if anchor is None:
        return None
    word = (m[1] or m[2]).lower()
    names = _WEEKDAYS_EN if m[1] else _WEEKDAYS_RU
    idx = next(i for i, n in enumerate(names) if word.startswith(n))
    # the latest such weekday on or before the anchor: news reports the recent past
    d = anchor - timedelta(days=(anchor.weekday() - idx) % 7)
    return (d, d, "day")


@_grammar(
    rf"\bsince\s+the\s+(?:beginning|start)\s+of\s+({_EN_MONTH})|с\s+начала\s+({_RU_MONTH})",
    re.IGNORECASE,
 needs="M",
)
def _since_month_start(m: re.Match[str], anchor: date | None) -> Span | None:
    mon = _month(m[1] or m[2])
    if anchor is None or mon is None:
        return None
    y = anchor.year if mon <= anchor.month else anchor.year - 1
    return (date(y, mon, 1), anchor, "range")


@_grammar(
    rf"\bsince\s+the\s+(?:beginning|start)\s+of\s+(?:the\s+|this\s+)?(year|({_YEAR}))"
    rf"|с\s+начала\s+(?:этого\s+|текущего\s+)?(года|({_YEAR})\s*года)",
    re.IGNORECASE,
 needs="R",
)
def _since_year_start(m: re.Match[str], anchor: date | None) -> Span | None:
    year = m[2] or m[4]
    y = int(year) if year else (anchor.year if anchor else None)
    if y is None:
        return None
    end = anchor if anchor and anchor.year == y else date(y, 12, 31)
    return (date(y, 1, 1), end, "range")


_SEASONS = {"winter": 12, "зим": 12, "spring": 3, "весн": 3, "summer": 6, "лет": 6, "autumn": 9, "fall": 9, "осен": 9}


@_grammar(
    rf"\b(?:(last|this|past)\s+|in\s+the\s+)?(winter|spring|summer|autumn|fall)(?:\s+of)?(?:\s+({_YEAR}))?\b"
    rf"|(?:(прошл\w*|эт\w*)\s+)?(зим|весн|лет|осен)(?:ой|ом|ью|а|у)(?:\s+({_YEAR})\s*(?:года|г\.)?)?(?![а-яё])",
    re.IGNORECASE,
    needs="S",
)
def _season(m: re.Match[str], anchor: date | None) -> Span | None:
    """"last winter", "летом 2024 года": three months; winter runs December to February."""
    which, word, year = (m[1] or m[4] or "").lower(), (m[2] or m[5]).lower(), m[3] or m[6]
    first = next(v for k, v in _SEASONS.items() if word.startswith(k))
    if year:
        y = int(year) - (1 if first == 12 else 0)
    elif anchor is not None and (which or m[5]):
        y = anchor.year if anchor.month >= first else anchor.year - 1  # the latest one begun
        within = (anchor.month - first) % 12 < 3
        if which.startswith(("last", "past", "прошл")) and within:
            y -= 1
    else:
        return None
    start = date(y, first, 1)
    end_month = (first + 2 - 1) % 12 + 1
    end = _month_end(y + (1 if end_month < first else 0), end_month)
    return (start, end, "range")


# ---------------------------------------------------------------- API

# The grammars that can give a publication date: a full day with its year.
_ABSOLUTE_DAY = (_iso, _numeric, _day_month, _month_day)


# Every grammar needs one of these: texts without any are skipped at once.
_HINT = re.compile(
    r"\d|январ|феврал|март|апрел|ма[йяею]|июн|июл|август|сентябр|октябр|ноябр|декабр|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec|week|month|year|day|недел|месяц|год|дн|сут|вчера|сегодня|накануне|позавчера|"
    r"понедельник|вторник|сред|четверг|пятниц|суббот|воскресень|recent|последн|прошл|минувш|прошедш|"
    r"квартал|quarter|half|полугод|начал|середин|конц|конец|ago|назад|last|this|past|эт",
)  # over lower-cased text


def find_dates(text: str, anchor: date | None = None) -> list[DateMention]:
    """Every date in `text`; relative ones only when an anchor is given."""
    found: list[DateMention] = []
    # the hints are searched in the lower-cased text: much faster than IGNORECASE alternations
    low = text.lower()
    if not _HINT.search(low):
        return found
    have = {k for k, p in _FEATURES.items() if p.search(low if k in _FOLDED_FEATURES else text)}
    for pattern, handler, needs in _GRAMMARS:
        if not have.issuperset(needs):
            continue
        for m in pattern.finditer(text):
            span = handler(m, anchor)
            if span is None:
                continue
            start, end = m.start(), m.end()
            raw = text[start:end].rstrip()
            found.append(DateMention(start, start + len(raw), raw, span[0], span[1], span[2]))
    # longest first; then keep those that overlap nothing already kept
    found.sort(key=lambda d: (-(d.end - d.start), d.start))
    return _longest_first(found)


def _longest_first(found: list[DateMention]) -> list[DateMention]:
    """The longest mentions that overlap no longer one, in text order. The kept ones stay sorted
    by start, so each check looks at two neighbours only."""
    starts: list[int] = []
    kept: list[DateMention] = []
    for d in found:
        i = bisect_left(starts, d.start)
        if i > 0 and kept[i - 1].end > d.start:
            continue
        if i < len(kept) and kept[i].start < d.end:
            continue
        starts.insert(i, d.start)
        kept.insert(i, d)
    return kept


def parse_date(text: str) -> date | None:
    """One absolute date: "6 марта 2017 года", "21.05.2020", "2023-11-28", "November 29, 2023"."""
    for d in find_dates(text):
        if d.precision == "day":
            return d.date_start
    return None


_TIME = re.compile(r"\b\d{1,2}[:h]\d{2}\b")


def document_date(text: str) -> date | None:
    """The publication date: the first full date on one of the first lines of the text."""
    head = "\n".join(text[:1200].splitlines()[:12])
    found = []
    for pattern, handler, _ in _GRAMMARS:
        if handler not in _ABSOLUTE_DAY:
            continue
        for m in pattern.finditer(head):
            span = handler(m, None)
            if span and span[2] == "day" and re.search(r"\d{4}", m.group()):
                found.append((m.start(), span[0]))
                break
    return min(found)[1] if found else None
