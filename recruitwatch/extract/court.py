"""Events from Russian court decisions on migration offences (KoAP RF chapter 18), and from
court practice reviews and statistics digests that count such decisions.

A decision concerns one person: it gives at most one event of each type (`fine`,
`expulsion_order`, `detention`, `release`), count 1, dated and placed by the contract's rule 5:
a decision that reviews an earlier one (appeal, cassation) gives the earlier decision's events,
with that decision's date and its court's region.

Everything here is compiled regular expressions over sentences: the court path must run at
thousands of decisions a second, so no NER and no morphology per token.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from recruitwatch.extract.dates import find_dates, parse_date
from recruitwatch.extract.numbers import find_counts, parse_number
from recruitwatch.extract.triggers import guarded
from recruitwatch.models import CourtCase, Document, Event
from recruitwatch.reference.court_uid import uid_region as uid_region_of

if TYPE_CHECKING:
    from recruitwatch.reference.gazetteer import Place

# ------------------------------------------------------------------------------ sentences

# A sentence ends at a line break, or at . ! ? followed by a capital, unless the word before the
# stop is an abbreviation ("г. Петрозаводск", "ст. 18.8") or an initial ("Цюй Г. Признан").
_ABBREVIATIONS = (
    "г гг ст ч чч п пп пт ул д кв им т тт гр см стр обл м корп св др пр с пос пгт дер ф ш просп "
    "наб пер рег ред изм прим абз подп н нр"
).split()


def _not_after(words: list[str]) -> str:
    """Look-behinds that fail where the stop just matched ends one of `words`, or an initial (a
    capital alone): one per word length, as a look-behind has a fixed width."""
    by_length: dict[int, list[str]] = {1: ["[А-ЯЁA-Z]"]}
    for word in sorted({*words, *(w.capitalize() for w in words)}):
        by_length.setdefault(len(word), []).append(word)
    return "".join(rf"(?<!\b(?:{'|'.join(alts)})\.)" for _n, alts in sorted(by_length.items()))


# A boundary, and the blanks after it (where the next sentence starts). Every match starts with one
# of four characters, the set `re` scans for; the look-ahead goes first as most stops fail it.
_BOUNDARY = re.compile(
    r"[\n.!?](?:(?<=\n)|(?=\s+[«\"(]?[А-ЯЁA-Z])" + _not_after(_ABBREVIATIONS) + r")\s*"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of `text`, stripped of surrounding blanks."""
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text, start):
        stop, after = m.span()  # the boundary: one character, a line break or a stop
        if text[stop] != "\n":
            spans.append((start, stop + 1))
        elif text[stop - 1].isspace():  # blanks before the line break: strip them
            spans.append((start, start + len(text[start:stop].rstrip())))
        else:
            spans.append((start, stop))
        start = after
    if start < len(text):
        spans.append((start, start + len(text[start:].rstrip())))
    return spans


# ------------------------------------------------------------------------------ vocabulary


def _spaced(*words: str) -> str:
    """Alternatives for words a decision may print with its letters spaced out: "У С Т А Н О В И Л"."""
    return "|".join(r"\s{0,2}".join(word) for word in words)


_MONTHS = r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
# Court-style dates: "6 марта 2017 года", "«15» января 2024 г.", "21.05.2020", "28 ноября 2019г."
_DATE = re.compile(
    rf"«?\b(?:\d{{1,2}})»?\s+(?:{_MONTHS})\s+(?:\d{{4}})|\b\d{{1,2}}\.\d{{1,2}}\.(?:19|20)\d{{2}}\b",
    re.I,
)
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:г\.|[Гг]ород|пос\.|пгт\.?|с\.|ст\.)?\s*[А-ЯЁ][\w\-]+(?:\s+[А-ЯЁ][\w\-]+){{0,3}}[\s,]+)?"
    rf"(«?\d{{1,2}}»?\s+(?:{_MONTHS})\s+\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})",
    re.M,
)
_RECEIVED = re.compile(r"поступил[оа]?\s*:?\s*(\d{1,2}\.\d{1,2}\.\d{4})", re.I)

_CASE_NUMBER = re.compile(
    r"(?:[Дд]ело|[Пп]роизводство)\s*(?:№|N|No\.?)\s*(\d{1,3}[а-яa-z]?-[\w\-/()]{2,30}?)(?=[\s,.;)]|$)"
    r"|(?<=\s)(?:№|N)\s{0,2}(\d{1,3}[а-яa-z]?-\d[\w\-/()]{1,30}?)(?=[\s,.;)]|$)",
)

# A court named in the text, in any case: its core ("Пограничного районного суда") and an
# optional tail naming where it sits ("Приморского края", "г. Санкт-Петербурга").
_PLACE_WORD = (
    r"(?!Суд|Постановлени|Решени|Определени|Мирово|Председател|Апелляционн|Кассационн)"
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?\b"
)
_COURT_TAIL = (
    rf"(?:\s+(?:общей\s+юрисдикции|(?:г\.|города|гор\.)\s*{_PLACE_WORD}|Санкт-Петербурга|Москвы|Севастополя"
    rf"|Республики\s+{_PLACE_WORD}(?:\s+{_PLACE_WORD}(?!\s+[А-ЯЁ]\.))?(?:\s*[-–—]\s*{_PLACE_WORD})?"
    rf"|{_PLACE_WORD}(?:\s+{_PLACE_WORD})?\s+(?:области|края|автономного\s+округа|Республики)"
    rf"|(?:области|края|округа)\b)){{0,3}}"
)
_COURT = re.compile(
    rf"(?:(?:{_PLACE_WORD}[ \t]+){{1,3}}(?:районн|городск|областн|краев|межрайонн|окружн|кассационн|"
    rf"апелляционн|гарнизонн)\w*\s+(?:военного\s+)?суд(?:а|ом|у|е)?\b"
    rf"|Верховн\w+\s+[Сс]уд(?:а|ом|у|е)?\b|[Сс]уд(?:а|ом|у|е)?\s+(?:г\.|города)\s*{_PLACE_WORD}(?:-{_PLACE_WORD})?)"
    rf"{_COURT_TAIL}"
)
_MAGISTRATE = re.compile(
    r"[Мм]иров\w+\s+суд\w+\s+судебного\s+участка\s*№\s*\d+[^,\n]{0,140}"
    r"|судебного\s+участка\s*№\s*\d+[^,\n]{0,140}"
)

# "частью 1.1 статьи 18.8 КоАП РФ", "ч.1 ст.18.10", "ч. 3 ст. 18.15", "статьей 18.8 Кодекса"
_ARTICLE = re.compile(
    r"(?:(?:ч\.|чч\.|частью|части|часть)\s*(\d{1,2}(?:\.\d{1,2})?)\.?\s*)?"
    r"(?:ст\.|статьи|статья|статьей|статьёй)\s*(\d{1,2}\.\d{1,2}(?:\.\d)?)\s*"
    r"(?=(?:Кодекса\s+(?:Российской\s+Федерации\s+)?об\s+административных|КоАП))",
)

# Citizenship in any case: "гражданина Республики Узбекистан", "гражданки КНР", "уроженца Ирака".
# The word boundary is tested after each alternative's first letter, so that `re` can skip ahead
# to those letters: `\b(?:граждан...|подданн\w+|уроженц\w+|уроженк\w+)`.
_CITIZEN = re.compile(
    r"(?:г(?<=\bг)раждан(?:ин|ина|ину|ином|ине|ка|ки|ке|кой|ку)|п(?<=\bп)одданн\w+|у(?<=\bу)роженц\w+"
    r"|у(?<=\bу)роженк\w+)\s+"
    r"((?:[А-ЯЁ][\w\-]*\.?|респ\.|государства|республики|королевства)(?:\s+(?:[А-ЯЁ][\w\-]*|и|"
    r"Республики|Республика)){0,4})"
)
# Every match of _CITIZEN starts with one of these words: `re` may start looking at the first of them
# (its first letters start a tenth of the words before it); its look-behinds still see the text before.
_CITIZEN_WORDS = ("граждан", "подданн", "уроженц", "уроженк")
_CITIZENSHIP_FIELD = re.compile(r"[Гг]ражданств\w*\s*[:\-–—]\s*([А-ЯЁ][\w\-]*(?:\s+[А-ЯЁ][\w\-]*){0,3})")
# "Кыргызской Республики": official names that countries.country_code does not know yet.
_ADJECTIVE_COUNTRIES = {"кыргызс": "KG", "киргизс": "KG", "азербайджанс": "AZ", "узбекс": "UZ", "таджикс": "TJ"}
_STATELESS = re.compile(r"лиц\w*\s+без\s+гражданства", re.I)
_RUSSIAN = frozenset({"RU"})
# The birth year, before the keyword ("1990 года рождения", "1990 г.р.") or after it
# ("родившегося 12.03.1990", "дата рождения: 5 мая 1990"). Each alternative starts with a literal,
# so that `re` scans for their first characters (a `\b` before the year is tested after its first
# digit): as `\b(19|20)..|(?:родивш|[Дд]ата|рожд)..` it was tried at every position of the text.
_BIRTH_BEFORE_KEYWORD = r"\d{2}\s*(?:года|г\.?)?\s*(?:рождения|г\.\s*р\.|г\.р\.)"
_BIRTH_AFTER_KEYWORD = r"\s*(?:\d{1,2}\.\d{1,2}\.|\d{1,2}\s+(?:" + _MONTHS + r")\s+)((?:19|20)\d{2})"
_BIRTH_YEAR = re.compile("|".join((
    rf"1(?<=\b1)9{_BIRTH_BEFORE_KEYWORD}", rf"2(?<=\b2)0{_BIRTH_BEFORE_KEYWORD}",  # the year: the first 4 characters
    rf"р(?:одивш\w+|ожд\.){_BIRTH_AFTER_KEYWORD}",  # the year: the one group that took part
    rf"Дата\s+рождения\s*:?{_BIRTH_AFTER_KEYWORD}", rf"дата\s+рождения\s*:?{_BIRTH_AFTER_KEYWORD}",
)))

# Letters that re.IGNORECASE takes for a Latin or Cyrillic letter that str.lower() does not turn
# them into (old Cyrillic variants, the Turkish i's, the long s). A text holding one is searched
# with the case-insensitive patterns; any other text may be searched lower-cased, which is the
# same for those patterns and several times faster for Cyrillic in `re`.
_FOLDS_OTHERWISE = "\u0130\u0131\u017f" + "".join(map(chr, range(0x1C80, 0x1C89)))


def _faithful_lower(text: str, low: str) -> str | None:
    """`low` (text.lower()), when case-insensitive patterns may be run on it as plain ones: each
    letter lowered to one letter, the one re.IGNORECASE would take it for; else None."""
    faithful = len(low) == len(text) and not any(ch in text for ch in _FOLDS_OTHERWISE)
    return low if faithful else None


class _PartStart:
    """Where a part of a decision starts: its heading on a line of its own ("ПОСТАНОВИЛ:",
    "р е ш и л:"), or mid-line after "судья" / "суд" with its colon ("..., судья постановил:").
    Three patterns that `re` scans quickly; as one (`^\\s*(?:HEADINGS)|(?<=суд)(?:ья)?,?\\s+VERBS...`,
    re.I | re.M) it was tried at every position of the text."""

    def __init__(self, headings: str, verbs: str) -> None:
        self.first_line = re.compile(rf"\s*(?:{headings})", re.I)  # matched at the text's start
        self.line = re.compile(rf"\n\s*(?:{headings})", re.I)
        after_judge = rf"суд(?:ья)?,?\s+(?:{verbs})[аи]?\s*:"  # the part starts after "суд"
        self.after_judge_low = re.compile(after_judge)
        self.after_judge = re.compile(after_judge, re.I)

    def find(self, text: str, low: str | None) -> int | None:
        """The first position where the part starts; `low` is _faithful_lower(text, ...)."""
        if self.first_line.match(text):
            return 0
        line = self.line.search(text)
        judge = self.after_judge_low.search(low) if low is not None else self.after_judge.search(text)
        found = [m.start() + 1 for m in (line,) if m] + [m.start() + 3 for m in (judge,) if m]
        return min(found) if found else None


# The operative part starts on a line of its own: "ПОСТАНОВИЛ:", "р е ш и л:", "определил:".
# Mid-line only after "судья" / "суд" and with its colon: "..., судья постановил: признать ...".
_OPERATIVE_START = _PartStart(_spaced("ПОСТАНОВИЛ", "РЕШИЛ", "ОПРЕДЕЛИЛ"), "постановил|решил|определил")
_FINDINGS_START = _PartStart(_spaced("УСТАНОВИЛ"), "установил")

_REVIEW = re.compile(
    r"жалоб\w+|протест\w*|апелляционн\w+|кассационн\w+|надзорн\w+|пересмотр\w*"
)
_REVIEW_OF = re.compile(r"\bна\s+(?:постановлени|решени|определени)")

# An authority imposing or ordering something (not a law providing for it).
_IMPOSE = re.compile(
    r"подверг\w*|назнач\w*|наложи\w*|наложен\w*|применить|применен\w*|"
    r"привлеч\w*\s+к\s+административной|признан\w*\s+виновн|признать\s+\S+(?:\s+\S+){0,4}?\s+виновн",
)
_FINE = re.compile(r"штраф")
_EXPULSION = re.compile(
    r"выдворени\w*|самостоятельн\w+\s+(?:контролируем\w+\s+)?выезд\w*|контролируем\w+\s+"
    r"(?:самостоятельн\w+\s+)?выезд\w*|депортац\w+|выдворить|выдворен\b|выдворена\b",
)
_NO_EXPULSION = re.compile(
    r"без\s+(?:назначения\s+)?(?:дополнительного\s+)?(?:наказания\s+в\s+виде\s+)?"
    r"(?:административного\s+|принудительного\s+)*(?:выдворени\w*|выезд\w*)"
    r"(?:\s+за\s+пределы\s+(?:Российской\s+Федерации|РФ))?"
    r"|(?:исключить|отменить|не\s+назначать|не\s+применять|не\s+применено|не\s+назначено)"
    r"[^.;]{0,80}?выдворени\w*",
)
_FORCED = re.compile(r"принудительн\w+\s+(?:административн\w+\s+)?выдворени|принудительн\w+\s+порядк")
_SELF_EXIT = re.compile(
    r"самостоятельн\w+\s+(?:контролируем\w+\s+)?выезд|контролируем\w+\s+(?:самостоятельн\w+\s+)?выезд"
)
_DEPORTATION = re.compile(r"депортац\w+")
_LAW = re.compile(
    r"влеч[её]т|влекущ\w+|предусматрива\w+|может\s+быть\s+(?:назначен|применен)|вправе|"
    r"в\s+размере\s+от\s|в\s+случае\s+(?:если|неуплаты)|устанавлива\w+\s+ответственност",
)
# Placement in a detention centre for foreigners, or its extension.
_FACILITY = (
    rf"(?:СУВСИГ|{_spaced('ЦВСИГ')}|"
    r"[Цц]ентр\w*\s+временного\s+содержания\s+иностранных\s+граждан"
    r"(?:\s+и\s+лиц\s+без\s+гражданства)?|[Сс]пециальн\w+\s+учреждени\w+(?:\s+временного\s+содержания"
    r"(?:\s+иностранных\s+граждан)?)?|[Сс]пециальн\w+\s+приемник\w*(?:\s+для\s+содержания\s+лиц,?"
    r"\s+подвергнутых\s+административному\s+аресту)?)"
)
_FACILITY_TAIL = r"(?:\bг\.|\bобл\.|[^,.;:()\n]){0,80}"
_PLACEMENT = re.compile(
    rf"(?:помест\w+|помещ\w+|содерж\w+|продл\w+\s+срок\w*\s+(?:его\s+|её\s+|ее\s+)?(?:содержани|пребывани)\w*)"
    rf"[^;]{{0,160}}?\b(?P<facility>{_FACILITY}(?:[ \t]+(?:ГУ\s+|У|О)?МВД{_FACILITY_TAIL}"
    rf"|[ \t]+(?:УМВД|ГУ\s+МВД|МВД|ОМВД|УВМ){_FACILITY_TAIL}|\s+по\s+[^,.;:()\n]{{3,60}})?)"
    rf"|продлени\w+\s+срока\s+(?:содержания|пребывания)\s+(?:[^;]{{0,80}}?\s)?в\s+(?P<facility2>{_FACILITY})",
    re.I,
)
_NOT_PLACED = re.compile(
    r"не\s+(?:помещ|подлеж|примен|усматрива|име)|оснований\s+для\s+(?:его\s+|её\s+|ее\s+)?помещ|без\s+помещ", re.I
)
_ARREST = re.compile(r"административн\w+\s+арест\w*\s+(?:на\s+срок|сроком)", re.I)
_DETAINED = re.compile(r"\b(?:задержан\w*|административно\w*\s+задержани\w+|доставлен\w*\s+и\s+задержан)", re.I)
_NOT_DETAINED = re.compile(r"не\s+задерживал|задержани\w+\s+не\s+применял|не\s+был\w*\s+задержан", re.I)
_RELEASE = re.compile(
    rf"(?:освободить|освобожден\w*|освободив)[^;]{{0,120}}?(?:{_FACILITY}|из-под\s+(?:стражи|ареста|"
    rf"административного\s+ареста)|из\s+под\s+стражи|содержани)"
    rf"|из\s+{_FACILITY}[^;]{{0,120}}?освобод\w+",
    re.I,
)
_NOT_RELEASE = re.compile(r"не\s+(?:подлежит|имеется|усматрива)\w*|оснований\s+для\s+освобожд", re.I)
_ENTITY = re.compile(  # on lower-cased text
    r"в\s+отношении\s+(?:индивидуального\s+предпринимателя|юридического\s+лица|должностного\s+лица|"
    r"ооо|оао|зао|ао|пао|общества\s+с\s+ограниченной|акционерного\s+общества|ип)\b",
)
# Who imposed what an earlier decision imposed: the words between "Постановлением" and "от DATE".
_EARLIER = re.compile(
    r"(?:[Пп]остановлени\w+|[Рр]ешени\w+|[Оо]пределени\w+)\s+(?P<body>[^;]{0,200}?)\s+от\s+"
    r"(?P<date>«?\d{1,2}»?\s+(?:" + _MONTHS + r")\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|ДД\.ММ\.ГГГГ)",
    re.I,
)
_MIGRATION_BODY = re.compile(r"миграц|\bМП\b|\bОВМ\b|\bУВМ\b|\bОУФМС\b|\bУФМС\b|\bФМС\b|\bОВМ\b|паспортн", re.I)
_POLICE_BODY = re.compile(r"МВД|полици|\bОМВД\b|\bУМВД\b|\bОП\b|\bЛО\b|транспорт", re.I)
_BORDER_BODY = re.compile(r"пограничн\w+\s+(?:управлени|служб|отдел|застав)|\bПУ\s+ФСБ", re.I)
_COURT_BODY = re.compile(r"суд", re.I)

# "штрафа в размере 2 000 (двух тысяч) рублей", "штрафа в доход государства в размере двух тысяч
# рублей", "штрафу 5000 руб.", "в размере ... рублей" (the published text hides the amount).
_FINE_AMOUNT = re.compile(
    r"штраф\w*(?:[^.;]{0,60}?\s(?:в\s+(?:размере|сумме)|размером))?\s+"
    r"(?P<amount>\d[\d\s\u00a0]{0,12}|\.{2,3}|…|[а-яё]+(?:\s+[а-яё]+){0,5}?)"
    r"\s*(?:\([^)]{0,80}\)\s*)?(?:рубл\w*|руб\.?|р\.)",
    re.I,
)
_DIGITS = re.compile(r"\d[\d\s\u00a0]*")

# Cheap triggers: each runs once over the sentences asked, and the full patterns only run on the
# sentences they hit.
# They match the lower-cased text: IGNORECASE on Cyrillic is several times slower in `re`.
# A trigger is a few parts, words or patterns starting with a literal, each found quickly: words
# by str.find, twice as fast as `re` (as one alternation, `re` tried every letter that starts one
# of them: twice as slow again). A sentence is hit when a match of one part starts in it: the
# sentences the alternation hit, as matches of one trigger can overlap only within a word. A word
# lies inside one sentence, so it is looked for in the sentences asked only; a pattern, which may
# run past a line break, in the whole text.
_Trigger = tuple[str | re.Pattern[str], ...]


def _trigger(*parts: str) -> _Trigger:
    return tuple(part if part.isalpha() else re.compile(part) for part in parts)


_PENALTY_TRIGGER = _trigger("штраф", "выдвор", "выезд", "депортац")
_PLACEMENT_TRIGGER = _trigger(
    _spaced("цвсиг"), r"временного\s+содержания", r"пециальн\w+\s+(?:учреждени|приемник)"
)
_ARREST_TRIGGER = _trigger("арест")
_DETAINED_TRIGGER = _trigger("задержан")
_RELEASE_TRIGGER = _trigger("освобо")
_DEPORTATION_TRIGGER = _trigger("депортац")


def _first_of(text: str, words: tuple[str, ...]) -> int:
    """Where the first of `words` occurs in `text`; len(text) if none does."""
    found = [at for at in map(text.find, words) if at >= 0]
    return min(found) if found else len(text)


def _occurrences(text: str, word: str, start: int, end: int) -> Iterator[int]:
    """Where `word` occurs in text[start:end], not overlapping (as re.finditer finds it)."""
    at = text.find(word, start, end)
    while at >= 0:
        yield at
        at = text.find(word, at + len(word), end)


# ------------------------------------------------------------------------------ digests

_DIGEST = re.compile(  # on lower-cased text
    r"обобщени\w+\s+(?:судебной\s+)?практики|обзор\w*\s+(?:статистики\s+)?судебн|"
    r"статистик\w+\s+судебн\w+\s+решени",
)
_DIGEST_TOTAL = re.compile(
    r"(?:рассмотрен\w*|поступил\w*|окончен\w*)\s+(?:всего\s+)?(?P<n>\d[\d\s\u00a0]*)\s*"
    r"(?:дел\w*|материал\w*)", re.I,
)
_DIGEST_LINE = re.compile(
    r"(?:назначен\w*|применен\w*)\s+(?:административное\s+)?(?:наказани\w+\s+)?(?P<what>[^\n]{0,200}?)"
    r"\s*[-–—:]?\s*(?:по|в)\s+(?P<n>\d[\d\s\u00a0]*)\s*(?:дел|делу|делам|случа)",
    re.I,
)
_DIGEST_EXPULSIONS = re.compile(
    r"(?P<n>\d[\d\s\u00a0]*(?:\s*(?:тысяч\w*|тыс\.|млн|миллион\w*))?)\s+(?:судебн\w+\s+)?решени\w+\s+"
    r"(?:об?\s+)?(?:административном\s+|принудительном\s+)?(?:выдворени|депортаци)",
    re.I,
)

DETECT = re.compile(
    r"КоАП|Кодекса\s+Российской\s+Федерации\s+об\s+административных|об\s+административном\s+правонарушении|"
    r"КАС\s+РФ|административного\s+судопроизводства|депортаци|выдворени|иностранн\w+\s+граждан",
)
_STRUCTURE = re.compile(
    rf"^\s*(?i:{_spaced('УСТАНОВИЛ', 'ПОСТАНОВИЛ', 'РЕШИЛ')})\w*\s*:"
    rf"|^\s*(?:{_spaced('РЕШЕНИЕ', 'ПОСТАНОВЛЕНИЕ', 'ОПРЕДЕЛЕНИЕ')})"
    r"|[Сс]удья\s[^\n]{0,200}?рассмотрев|Дело\s*№|\bУИД\b|[Пп]остановление\s+[^\n]{0,80}?суда\s[^\n]{0,80}?от\s",
    re.M,
)


# Patterns that start with `\b`, a look-behind or an optional part, which `re` tries at every
# position: behind a look-ahead on the characters their matches start with (same matches, 1.3 to
# 4 times faster on decisions; measured pattern by pattern, the others gain nothing from it).
(_DATE, _CASE_NUMBER, _COURT, _ARTICLE, _REVIEW_OF, _PLACEMENT, _NOT_PLACED, _DETAINED,
 _NOT_DETAINED, _RELEASE, _EARLIER, _MIGRATION_BODY, _POLICE_BODY, _BORDER_BODY) = map(guarded, (
    _DATE, _CASE_NUMBER, _COURT, _ARTICLE, _REVIEW_OF, _PLACEMENT, _NOT_PLACED, _DETAINED,
    _NOT_DETAINED, _RELEASE, _EARLIER, _MIGRATION_BODY, _POLICE_BODY, _BORDER_BODY))
# Words one of which every match of _DIGEST / _REVIEW holds: `in` finds them far faster than the
# patterns, whose first letters (о, с, п, а, к, н) start half the words of a Russian text.
_DIGEST_WORDS = ("обобщени", "обзор", "статистик")
_REVIEW_WORDS = ("жалоб", "протест", "апелляционн", "кассационн", "надзорн", "пересмотр")


def _is_digest(low_head: str) -> bool:
    return any(w in low_head for w in _DIGEST_WORDS) and _DIGEST.search(low_head) is not None


def _mentions_review(low: str) -> bool:
    return any(w in low for w in _REVIEW_WORDS) and _REVIEW.search(low) is not None


# ------------------------------------------------------------------------------ public API


def is_court_decision(doc: Document) -> bool:
    """A court decision (or a court's practice review / statistics digest), not news about one."""
    if doc.case is not None:
        return True
    head = doc.text[:4000]
    if _is_digest(head[:1500].lower()):
        return True
    return bool(DETECT.search(head)) and len(_STRUCTURE.findall(head)) >= 2


def extract_court_events(doc: Document) -> list[Event]:
    """The events one decision (or digest) states, and doc.case filled from the text."""
    text = doc.text
    lowered = text.lower()
    head = lowered[:1500] if len(lowered) == len(text) else text[:1500].lower()
    if _is_digest(head) and _OPERATIVE_START.find(text, _faithful_lower(text, lowered)) is None:
        return _digest_events(doc)
    reading = _read_decision(text, lowered, doc.case)
    doc.case = reading.case
    findings = _findings(text, reading)  # fills the case card even when no event comes of it
    if not reading.concerns_migrant:
        return []
    return [_event(doc, reading, found) for found in findings]


# ------------------------------------------------------------------------------ one decision


@dataclass
class _Found:
    event_type: str
    span: tuple[int, int]
    when: date | None
    region: str | None
    actor: str
    rule: str
    fine_rub: int | None = None
    facility: str | None = None


@dataclass
class _Reading:
    text: str
    case: CourtCase
    sents: list[tuple[int, int]]
    operative: int  # index of the first sentence of the operative part (len(sents) if none)
    findings_at: int  # index of the first sentence after "установил"
    concerns_migrant: bool
    nationalities: list[str]
    low: str  # the text lower-cased, or the text itself where lower() would move offsets
    folded: str | None  # _faithful_lower(text, ...): case-insensitive patterns may run on it
    starts: list[int] = field(default_factory=list)
    hits: dict[tuple[_Trigger, int, int], list[int]] = field(default_factory=dict)  # (trigger, lo, hi)
    seats: dict[str, Place | None] = field(default_factory=dict)  # event region -> its local court's seat

    @cached_property
    def uid_region(self) -> str | None:
        """The region of the case identifier in the opening; looked up only where an event or a
        card without a region asks for it (most first-instance decisions never do)."""
        return uid_region_of(self.text[:3000])

    def hit(self, trigger: _Trigger, lo: int = 0, hi: int | None = None) -> list[int]:
        """Indices of the sentences in [lo, hi) where `trigger` occurs, in text order."""
        top = len(self.sents) if hi is None else min(hi, len(self.sents))
        if lo >= top:
            return []
        key = (trigger, lo, top)
        found = self.hits.get(key)
        if found is None:
            parts = [self._part_hits(part, lo, top) for part in trigger]
            found = parts[0] if len(parts) == 1 else sorted(set().union(*parts))
            self.hits[key] = found
        return found

    def _part_hits(self, part: str | re.Pattern[str], lo: int, hi: int) -> list[int]:
        """Indices of the sentences in [lo, hi) where a match of `part` starts, in text order."""
        if isinstance(part, str):
            starts: Iterable[int] = _occurrences(self.low, part, self.sents[lo][0], self.sents[hi - 1][1])
        else:
            starts = (m.start() for m in part.finditer(self.low))
        found: list[int] = []
        for at in starts:
            i = bisect_right(self.starts, at) - 1
            if lo <= i < hi and at < self.sents[i][1] and (not found or found[-1] != i):
                found.append(i)
        return found


def _read_decision(text: str, lowered: str, card: CourtCase | None) -> _Reading:
    case = card if card is not None else CourtCase()
    sents = sentences(text)
    faithful = _faithful_lower(text, lowered)
    operative, findings_at = _parts(text, faithful, sents)
    intro_end = sents[findings_at][0] if findings_at < len(sents) else min(len(text), 3000)
    intro = text[:intro_end]
    _fill_header(case, text, intro, lowered)
    low = lowered if len(lowered) == len(text) else text
    # The offender is an employer: the worker's citizenship is not theirs, and no event is a migrant's.
    opening = len(intro[:3000] or text[:3000])
    employer = _ENTITY.search(low[:opening] if low is lowered else text[:opening].lower()) is not None
    nationalities = [] if employer else _fill_person(case, text, intro)
    concerns = not employer and _concerns_migrant(case, text, nationalities)
    reading = _Reading(text, case, sents, operative, findings_at, concerns, nationalities, low, faithful,
                       starts=[s for s, _ in sents])
    if not case.region:
        case.region = reading.uid_region
    return reading


def _parts(text: str, low: str | None, sents: list[tuple[int, int]]) -> tuple[int, int]:
    op = _OPERATIVE_START.find(text, low)
    fi = _FINDINGS_START.find(text, low)
    operative = _index_at(sents, len(text) if op is None else op)
    findings_at = _index_at(sents, len(text) if fi is None else fi)
    return operative, findings_at


def _index_at(sents: list[tuple[int, int]], pos: int) -> int:
    """The first sentence that ends after `pos` (len(sents) if none)."""
    return bisect_right(sents, pos, key=_end)


def _end(span: tuple[int, int]) -> int:
    return span[1]


def _fill_header(case: CourtCase, text: str, intro: str, lowered: str) -> None:
    head = text[:3000]
    if not case.case_number:
        m = _CASE_NUMBER.search(head)
        case.case_number = (m.group(1) or m.group(2)).rstrip(".,") if m else None
    if not (case.court and case.region):  # a case card gives both: the text's court is not needed
        named = _court_name(intro) or _court_name(head)
        if not case.court:
            case.court = named
        if not case.region and case.court:
            case.region = _court_region(case.court)
        if not case.region and named:
            case.region = _court_region(named)
    if not case.decision_date:
        case.decision_date = _decision_date(intro[:1500] or head, text)
    if not case.received_date:
        m = _RECEIVED.search(head)
        case.received_date = parse_date(m.group(1)) if m else None
    if not case.article:
        m = _ARTICLE.search(intro) or _ARTICLE.search(text)
        if m:
            case.article, case.article_part = m.group(2), m.group(1)
    if not case.instance:
        case.instance = _instance(intro, lowered if len(lowered) == len(text) else None)


def _court_name(text: str) -> str | None:
    magistrate = next(_magistrates(text), None) if "участк" in text else None
    court = _COURT.search(text)
    if magistrate and (not court or magistrate.start() < court.start()):
        return _squash(magistrate.group())
    return _squash(court.group()) if court else None


def _magistrates(text: str) -> Iterator[re.Match[str]]:
    """_MAGISTRATE.finditer(text), tried only where a match can start: at the "[Мм]" before "иров"
    or at "судебного" (`re` tried every "м" and "с" of the text, ~20 µs on a page's head)."""
    starts = sorted({at - 1 for at in _occurrences(text, "иров", 1, len(text))}
                    | set(_occurrences(text, "судебного", 0, len(text))))
    end = 0
    for at in starts:
        if at < end:
            continue
        m = _MAGISTRATE.match(text, at)
        if m is not None:
            yield m
            end = m.end()


def _squash(s: str) -> str:
    return " ".join(s.split()).rstrip(" ,.;")


def _decision_date(head: str, text: str) -> date | None:
    m = _DATE_LINE.search(head)
    if m:
        return _to_date(m.group(1))
    # A cassation summary names it as "Постановление ... суда от 17.12.2024".
    m = re.search(r"(?:суда|судьи)[^\n.]{0,120}?\bот\s+(" + _DATE.pattern + ")", head, re.I)
    if m:
        return _to_date(m.group(1))
    return _latest_date(text)


_BIRTH_AFTER = re.compile(r"\s*(?:года|г\.)?\s*(?:рожд|г\.\s*р)")


def _latest_date(text: str) -> date | None:
    """With the decision's own date anonymised ("ХХ.ХХ.ХХ"), the latest date the text states: a
    decision comes after the facts it judges, usually within days."""
    latest = None
    for m in _DATE.finditer(text):
        if _BIRTH_AFTER.match(text, m.end()):
            continue
        when = _to_date(m.group())
        if when and (latest is None or when > latest):
            latest = when
    return latest


_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split("|"), 1)}
_COURT_DATE = re.compile(r"«?(\d{1,2})»?\s+([а-я]+)\s+(\d{4})|(\d{1,2})\.(\d{1,2})\.(\d{4})")


@lru_cache(maxsize=8192)
def _to_date(s: str) -> date | None:
    """A court-style date: the two forms decisions use are read here directly (this runs for
    every decision), anything else goes to the shared date grammar."""
    m = _COURT_DATE.fullmatch(s.strip())
    if m:
        day, month, year = (m.group(1), _MONTH_NUMBER.get(m.group(2)), m.group(3)) if m.group(1) else (
            m.group(4), int(m.group(5)), m.group(6))
        try:
            return date(int(year), month, int(day)) if month else None
        except ValueError:
            return None
    return parse_date(s.replace("«", "").replace("»", ""))


def _instance(intro: str, lowered: str | None) -> str:
    """`lowered`: the whole text lower-cased, if that kept its offsets."""
    first = intro[:1500]
    low = lowered[:len(first)] if lowered is not None else first.lower()
    if "кассационн" in low:  # `in` finds the word several times faster than `re`
        return "cassation"
    if not _mentions_review(low):
        return "first"
    return "appeal" if _REVIEW_OF.search(low) or _APPEAL_HEADING.search(first) else "first"


_APPEAL_HEADING = re.compile(rf"АПЕЛЛЯЦИОНН|(?:{_spaced('РЕШЕНИЕ')})\b")


def _fill_person(case: CourtCase, text: str, intro: str) -> list[str]:
    codes = _citizenship(intro) or _citizenship(text[:20000])
    if not case.citizenship:
        case.citizenship = codes or (["stateless"] if _STATELESS.search(intro or text[:5000]) else [])
    if case.birth_year is None:
        year = _birth_year(intro)
        case.birth_year = year if year is not None else _birth_year(text[len(intro):len(intro) + 4000])
    return [c for c in case.citizenship if len(c) == 2]


def _birth_year(text: str) -> int | None:
    """The year of the first statement of a birth year in `text`."""
    # Every match holds "рожд", "родивш" or the "р." of "г.р.": `in` rules out most texts without
    # one (an anonymised birth date, the decision after the intro) faster than `re` scans them.
    if "рожд" not in text and "р." not in text and "родивш" not in text:
        return None
    m = _BIRTH_YEAR.search(text)
    if m is None:
        return None
    return int(m.group(m.lastindex) if m.lastindex else m.group()[:4])


def _citizenship(text: str) -> list[str]:
    """ISO codes of the first citizenship stated (a dual citizen gives two)."""
    for m in _CITIZEN.finditer(text, _first_of(text, _CITIZEN_WORDS)):
        code = _phrase_country(m.group(1))
        if code:
            return [code]
    # every match starts with "Г" or "г" right before the word
    m = _CITIZENSHIP_FIELD.search(text, max(0, _first_of(text, ("ражданств",)) - 1))
    if m:
        code = _phrase_country(m.group(1))
        if code:
            return [code]
    return []


@lru_cache(maxsize=4096)
def _phrase_country(phrase: str) -> str | None:
    """The country a short phrase after "гражданина" names, trying its longest readings first."""
    words = phrase.replace("респ.", "Республики").split()[:4]
    for n in range(len(words), 0, -1):
        for i in range(0, len(words) - n + 1):
            code = _country_code(" ".join(words[i:i + n]))
            if code:
                return code
    return _ADJECTIVE_COUNTRIES.get(words[0].lower()[:-3]) if words else None


@lru_cache(maxsize=4096)
def _country_code(name: str) -> str | None:
    from recruitwatch.reference.countries import country_code

    return country_code(name)


def _concerns_migrant(case: CourtCase, text: str, nationalities: list[str]) -> bool:
    """Events are about migrants: a Russian offender gives none (18.9); nor does an employer (18.15),
    whom the caller has ruled out."""
    if nationalities and set(nationalities) <= _RUSSIAN:
        return False
    if nationalities or case.citizenship:
        return True
    if case.article in {"18.8", "18.10", "18.11", "18.20", "18.1", "18.4", "18.6"}:
        return True
    return bool(_PLACEMENT.search(text) or _EXPULSION.search(text.lower()))


@lru_cache(maxsize=4096)
def _court_region(name: str) -> str | None:
    from recruitwatch.reference.gazetteer import court_region

    return court_region(name)


# ------------------------------------------------------------------------------ findings


def _findings(text: str, r: _Reading) -> list[_Found]:
    review = r.case.instance in ("appeal", "cassation")
    pick = _earlier_penalty(text, r) if review else _own_penalty(text, r)
    out: list[_Found] = []
    for kind in ("fine", "expulsion_order"):
        found = pick.get(kind)
        if found:
            out.append(found)
    if not pick.get("expulsion_order"):
        deport = _deportation(text, r, review)
        if deport:
            out.append(deport)
    detention = _detention(text, r, review, pick)
    if detention:
        out.append(detention)
    release = _release(text, r)
    if release:
        out.append(release)
    if r.case.released is False and release:
        r.case.released = True
    return out


def _penalty_sentences(text: str, r: _Reading, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    low = r.low
    for i in r.hit(_PENALTY_TRIGGER, lo, hi):
        start, end = r.sents[i]
        s = low[start:end]
        if ("штраф" in s or _expels(s)) and _imposes(s) and not _LAW.search(s):
            out.append((start, end))
    return out


def _own_penalty(text: str, r: _Reading) -> dict[str, _Found]:
    """First instance: the penalty the operative part imposes, on the decision date."""
    spans = _penalty_sentences(text, r, r.operative, len(r.sents))
    if not spans:
        spans = _penalty_sentences(text, r, r.findings_at, len(r.sents))
    region = r.case.region
    return _penalties(text, spans, r, r.case.decision_date, region, "court", "operative")


def _earlier_penalty(text: str, r: _Reading) -> dict[str, _Found]:
    """Appeal or cassation: the penalty the reviewed decision imposed, with its date and body."""
    stated = _penalty_sentences(text, r, 0, r.operative)
    spans = [s for s in stated if _EARLIER.search(text[s[0]:s[1]])] or stated
    if not spans:
        return _own_penalty(text, r)
    when, region, actor = _earlier_context(text, spans[0], r)
    return _penalties(text, spans, r, when, region, actor, "earlier")


def _earlier_context(text: str, span: tuple[int, int], r: _Reading) -> tuple[date | None, str | None, str]:
    m = _EARLIER.search(text[span[0]:span[1]])
    when = _to_date(m.group("date")) if m and "ДД" not in m.group("date") else None
    if when is None:
        when = _reviewed_date(text[: span[0]]) or r.case.decision_date
    body = m.group("body") if m else ""
    actor = _actor(body)
    region = None
    if actor == "court":
        court = _court_name(body)
        region = _court_region(court) if court else None
    return when, region or r.uid_region or r.case.region, actor


def _reviewed_date(intro: str) -> date | None:
    for m in _EARLIER.finditer(intro):
        if "ДД" not in m.group("date"):
            return _to_date(m.group("date"))
    return None


def _actor(body: str) -> str:
    if _COURT_BODY.search(body) and not _MIGRATION_BODY.search(body):
        return "court"
    if _MIGRATION_BODY.search(body):
        return "migration_service"
    if _BORDER_BODY.search(body):
        return "border_guard"
    if _POLICE_BODY.search(body):
        return "police"
    return "court"


def _penalties(
    text: str, spans: list[tuple[int, int]], r: _Reading, when: date | None, region: str | None,
    actor: str, rule: str,
) -> dict[str, _Found]:
    out: dict[str, _Found] = {}
    low = r.low
    for start, end in spans:
        s = text[start:end]
        # The text lower-cased keeps its offsets for the sentence's (Cyrillic) patterns: slice it.
        s_low = low[start:end] if low is not text else s.lower()
        if "fine" not in out and "штраф" in s_low:
            amount = _fine_amount(s, s_low if r.folded is not None else None)
            out["fine"] = _Found("fine", (start, end), when, region, actor, f"court.fine.{rule}", fine_rub=amount)
            if r.case.fine_rub is None:
                r.case.fine_rub = amount
        form = _lowered_expulsion_form(s_low) if "expulsion_order" not in out else None
        if form:
            out["expulsion_order"] = _Found("expulsion_order", (start, end), when, region, actor,
                                            f"court.expulsion.{rule}")
            if not r.case.expulsion:
                r.case.expulsion = form
        if len(out) == 2:
            break
    return out


_FINE_AMOUNT_FOLDED = re.compile(_FINE_AMOUNT.pattern)  # _FINE_AMOUNT on _faithful_lower's text


def _fine_amount(sentence: str, folded: str | None = None) -> int | None:
    """The fine's amount in roubles; `folded` is the sentence from _faithful_lower, if it has one."""
    m = _FINE_AMOUNT.search(sentence) if folded is None else _FINE_AMOUNT_FOLDED.search(folded)
    if not m:
        return None
    amount = sentence[m.start("amount"):m.end("amount")].strip()
    if not amount or amount.startswith((".", "…")):
        return None  # "в размере ... рублей": the published text hides it
    digits = _DIGITS.match(amount)
    if digits:
        return int(re.sub(r"\D", "", digits.group()))
    return parse_number(amount)


# Whether a (lower-cased) sentence holds a match of _EXPULSION / _IMPOSE: most of their matches are a
# word that `in` finds (their `\w*` always matches); the pattern runs only for the phrases left.
# As `re` scans them, the first letters (в, с, к, д / п, н) start a third of a sentence's words.
_EXPULSION_WORDS = ("выдворени", "выдворить")
_IMPOSE_WORDS = ("подверг", "назнач", "наложи", "наложен", "применить", "применен")


def _expels(low: str) -> bool:
    for word in _EXPULSION_WORDS:
        if word in low:
            return True
    return ("выдвор" in low or "выезд" in low or "депортац" in low) and _EXPULSION.search(low) is not None


def _imposes(low: str) -> bool:
    for word in _IMPOSE_WORDS:
        if word in low:
            return True
    return ("привлеч" in low or "призна" in low) and _IMPOSE.search(low) is not None


# A negation _NO_EXPULSION may remove: "без", "исключ", "отмен", or "не" with a verb (words found
# by `in`; as one alternation `re` tried every "б", "и", "о", "н" of the sentence).
_NEGATION_WORDS = ("без", "исключ", "отмен")
_NOT_IMPOSED = re.compile(r"не\s+(?:назнач|примен)")


def _expulsion_form(sentence: str) -> str | None:
    return _lowered_expulsion_form(sentence.lower())


def _lowered_expulsion_form(low: str) -> str | None:
    negated = any(w in low for w in _NEGATION_WORDS) or _NOT_IMPOSED.search(low) is not None
    s = _NO_EXPULSION.sub(" ", low) if negated else low
    if not _expels(s):
        return None
    # each pattern behind a word all its matches hold, which `in` finds far faster than `re`
    if "выезд" in s and _SELF_EXIT.search(s):
        return "controlled_self_departure"
    if "принудительн" in s and _FORCED.search(s):
        return "forced"
    if "депортац" in s and _DEPORTATION.search(s) and "выдвор" not in s:
        return "deportation"
    return "unspecified"


def _deportation(text: str, r: _Reading, review: bool) -> _Found | None:
    """A deportation decision by the migration authorities that the court was asked about."""
    for i in r.hit(_DEPORTATION_TRIGGER):
        start, end = r.sents[i]
        s = text[start:end]
        if re.search(r"решени\w+\s+(?:о|об)\s+(?:его\s+|её\s+|ее\s+)?депортац", s, re.I) and not _LAW.search(s.lower()):
            m = _EARLIER.search(s)
            when = _to_date(m.group("date")) if m and "ДД" not in m.group("date") else None
            actor = _actor(s) if _actor(s) != "court" else "police"
            if not r.case.expulsion:
                r.case.expulsion = "deportation"
            return _Found("expulsion_order", (start, end), when, r.uid_region or r.case.region, actor,
                          "court.deportation")
    return None


def _detention(text: str, r: _Reading, review: bool, pick: dict[str, _Found]) -> _Found | None:
    """Placement in a ЦВСИГ / special institution (or its extension); else an arrest or a stated
    administrative detention. One per decision: it is one person held once."""
    base = pick.get("fine") or pick.get("expulsion_order")
    when = base.when if base else r.case.decision_date
    region = base.region if base else (r.uid_region if review else r.case.region) or r.case.region
    actor = base.actor if base else "court"
    placements = r.hit(_PLACEMENT_TRIGGER)
    for i in [i for i in placements if i >= r.operative] + [i for i in placements if i < r.operative]:
        start, end = r.sents[i]
        s = text[start:end]
        m = _PLACEMENT.search(s)
        if m and not _LAW.search(s.lower()) and not _NOT_PLACED.search(s):
            facility = _facility_name(m.group("facility") or m.group("facility2") or "")
            r.case.facility = r.case.facility or facility
            return _Found("detention", (start, end), when, region, actor, "court.placement", facility=facility)
    arrests = r.hit(_ARREST_TRIGGER)
    for i in [i for i in arrests if i >= r.operative] + [i for i in arrests if i < r.operative]:
        start, end = r.sents[i]
        s = text[start:end]
        if _ARREST.search(s) and _imposes(s.lower()) and not _LAW.search(s.lower()):
            return _Found("detention", (start, end), when, region, actor, "court.arrest")
    return _stated_detention(text, r, when, region)


_FACILITY_END = re.compile(r"\s+(?:до|на\s+срок|сроком|расположенн\w*|по\s+адресу|не\s+более)\b")


def _facility_name(found: str) -> str | None:
    """The facility as named, without the term or address that may follow it."""
    return _squash(_FACILITY_END.split(found, maxsplit=1)[0]) or None


def _stated_detention(text: str, r: _Reading, when: date | None, region: str | None) -> _Found | None:
    for i in r.hit(_DETAINED_TRIGGER, r.findings_at, r.operative):
        start, end = r.sents[i]
        s = text[start:end]
        if _DETAINED.search(s) and not _NOT_DETAINED.search(s) and not _LAW.search(s.lower()):
            dm = _DATE.search(s)
            own = _to_date(dm.group()) if dm else None
            return _Found("detention", (start, end), own or when, region, "police", "court.detained")
    return None


def _release(text: str, r: _Reading) -> _Found | None:
    for i in r.hit(_RELEASE_TRIGGER, r.operative if r.operative < len(r.sents) else 0):
        start, end = r.sents[i]
        s = text[start:end]
        if _RELEASE.search(s) and not _NOT_RELEASE.search(s):
            return _Found("release", (start, end), r.case.decision_date, r.case.region or r.uid_region,
                          "court", "court.release")
    return None


def _event(doc: Document, r: _Reading, f: _Found) -> Event:
    when = f.when
    ev = Event(
        event_type=f.event_type, quote=doc.text[f.span[0]:f.span[1]], span=f.span, doc=doc.origin,
        date_start=when, date_end=when, date_precision="day" if when else None,
        country="RU", regions=[f.region] if f.region else [], geo_precision="region" if f.region else "country",
        count=1, nationalities=list(r.nationalities), actors=[f.actor], fine_rub=f.fine_rub,
        facility=f.facility, confidence=0.9 if when and f.region else 0.7,
        rules={"event": f.rule, "date": "court.decision_date", "region": "court.court_region"},
    )
    if f.region and f.region not in r.seats:  # one look-up a decision, not one an event
        r.seats[f.region] = _local_seat(doc.text, r, f.region)
    seat = r.seats.get(f.region) if f.region else None
    if seat is not None:  # the case happened where the local court that first heard it sits
        ev.place, ev.lat, ev.lon, ev.geo_precision = seat.name, seat.lat, seat.lon, seat.geo_precision
        ev.rules["place"] = "court.seat"
    return ev


def _local_seat(text: str, r: _Reading, region: str) -> Place | None:
    """The town or district of the first local court the decision names in its opening (its own
    court, or for an appeal the court below), when that court lies in the event's region."""
    head_end = r.sents[r.findings_at][1] if r.findings_at < len(r.sents) else 3000
    head = text[: min(max(head_end, 1500), 3000)]
    for name in _courts_named(r.case.court, head):
        seat = _court_seat(name)
        if seat is not None and seat.region == region:
            return seat
    return None


def _courts_named(card_court: str | None, head: str) -> Iterator[str]:
    """The court of the case card, then the magistrates' and the other courts the head names: one
    at a time, as the first is most often the one sought and the scans cost more than the rest."""
    if card_court:
        yield card_court
    if "участк" in head:  # in every _MAGISTRATE match ("судебного участка"), in few other texts
        yield from (m.group() for m in _magistrates(head))
    yield from (m.group() for m in _COURT.finditer(head))


@lru_cache(maxsize=4096)
def _court_seat(name: str) -> Place | None:
    """The seat of a court as the text names it (squashed here: the card's court repeats)."""
    from recruitwatch.reference.gazetteer import court_seat  # loaded on first use: the gazetteer is large

    return court_seat(_squash(name))


# ------------------------------------------------------------------------------ digests


def _digest_events(doc: Document) -> list[Event]:
    """Aggregate events of a practice review or statistics digest: only counts it states."""
    text = doc.text
    region = _digest_region(text)
    whole = _period(text[:1500])
    out = _digest_review(doc, region, whole)
    listed = {e.span for e in out}
    for start, end in sentences(text):
        s = text[start:end]
        if (start, end) in listed or _LAW.search(s.lower()) or _DIGEST_LINE.search(s):
            continue
        period = _period(s) or whole
        if period:
            out.extend(_digest_counts(doc, s, start, end, _sentence_region(s) or region, period))
    return out


def _sentence_region(s: str) -> str | None:
    """The one Russian region a digest's sentence names, if it names exactly one."""
    from recruitwatch.reference.gazetteer import find_places

    found = {m.place.region for m in find_places(s) if m.place.region and m.place.country == "RU"}
    return found.pop() if len(found) == 1 else None


def _digest_region(text: str) -> str | None:
    m = re.search(r"(?:судами|судов|суда)\s+((?:[А-ЯЁ][\w\-]+\s+)?(?:Республики|области|края)"
                  r"(?:\s+[А-ЯЁ][\w\-]+)?|[А-ЯЁ][\w\-]+\s+(?:Республики|области|края))", text[:3000])
    if not m:
        court = _court_name(text[:1500])
        return _court_region(court) if court else None
    return _court_region("Верховный суд " + m.group(1)) or _court_region(m.group(1))


_Period = tuple[date, date, str]
_YEAR_HINT = re.compile(r"(?:19|20)\d{2}")


def _period(s: str) -> _Period | None:
    """The first period of a month or more the text names ("в 2019 году", "за 2 полугодие 2020 г.")."""
    if not _YEAR_HINT.search(s):
        return None
    for m in find_dates(s):
        if (m.date_end - m.date_start).days >= 27:
            return m.date_start, m.date_end, m.precision
    return None


# Aggregate statements of a digest: each gives one kind of event with the number it states.
_AGGREGATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("expulsion_order", _DIGEST_EXPULSIONS),
    ("expulsion_order", re.compile(
        r"(?:выдворен\w*|депортирован\w*)(?:\s+за\s+пределы\s+(?:Российской\s+Федерации|РФ|России))?\s+"
        r"(?P<n>\d[\d\s\u00a0]*(?:\s*(?:тысяч\w*|тыс\.))?)\s+(?:иностранн|граждан|лиц|человек|мигрант)",
        re.I)),
    ("detention", re.compile(
        r"(?:помещен\w*|содержал\w*|содержится)\s+(?:в\s+(?:ЦВСИГ|специальн\w+\s+учреждени\w*|центр\w*\s+"
        r"временного\s+содержания)[^.;]{0,60}?\s)?(?P<n>\d[\d\s\u00a0]*)\s+(?:иностранн|граждан|лиц|человек)",
        re.I)),
)


_MAX_PER_SENTENCE = 6


def _digest_counts(
    doc: Document, s: str, start: int, end: int, region: str | None, period: _Period,
) -> list[Event]:
    out: list[Event] = []
    for kind, pattern in _AGGREGATES:
        for m in pattern.finditer(s):
            if len(out) >= _MAX_PER_SENTENCE:  # a real sentence states a few figures, not thousands
                return out
            counts = find_counts(m.group("n"))
            value = counts[0].value if counts else parse_number(m.group("n"))
            if value is None:
                continue
            out.append(_aggregate(doc, kind, (start, end), period, region, value,
                                  counts[0].text if counts else m.group("n").strip()))
    return out


def _digest_review(doc: Document, region: str | None, whole: _Period | None) -> list[Event]:
    """"Рассмотрено 712 дел ... из них назначено наказание в виде штрафа с выдворением - по 89
    делам": every case fined gives the total as the count of fines; expulsions keep a count only
    when one line states it (a total the text does not state is not computed)."""
    text = doc.text
    total = _DIGEST_TOTAL.search(text)
    lines = list(_DIGEST_LINE.finditer(text))
    if not total or not lines:
        return []
    period = _period(text[max(0, total.start() - 300):total.end()]) or whole
    if period is None:
        return []
    out = []
    fines = [m for m in lines if _FINE.search(m.group("what").lower())]
    if fines:
        n = int(re.sub(r"\D", "", total.group("n"))) if len(fines) == len(lines) else None
        out.append(_aggregate(doc, "fine", _sentence_around(text, total.start()), period, region, n,
                              total.group("n").strip() if n else None))
    expels = [m for m in lines if _expulsion_form(m.group("what"))]
    if expels:
        first = expels[0]
        n = int(re.sub(r"\D", "", first.group("n"))) if len(expels) == 1 else None
        out.append(_aggregate(doc, "expulsion_order", _sentence_around(text, first.start()), period, region, n,
                              first.group("n").strip() if n else None))
    return out


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    for start, end in sentences(text):
        if start <= pos < end:
            return start, end
    return pos, pos


def _aggregate(
    doc: Document, kind: str, span: tuple[int, int], period: _Period, region: str | None,
    count: int | None, count_text: str | None,
) -> Event:
    return Event(
        event_type=kind, quote=doc.text[span[0]:span[1]], span=span, doc=doc.origin,
        date_start=period[0], date_end=period[1], date_precision=period[2],
        country="RU", regions=[region] if region else [], geo_precision="region" if region else "country",
        count=count, count_text=count_text, actors=["court"], confidence=0.7,
        rules={"event": f"court.digest.{kind}"},
    )
