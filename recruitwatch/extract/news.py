"""Events from news pages and social posts, in Russian and English, by rules.

The document is cut into sentences; in each, the trigger rules of `triggers.py` find what
happened, and a trigger that is negated, hedged, planned or only provided for by law is dropped.
Each surviving trigger becomes one event of its type per sentence, with its arguments read from
the same sentence: the count nearest the trigger that counts people, the nationalities, the
places (the gazetteer), the date (relative ones resolved against the document's date), who did
it, where they were held and who says so. What a sentence does not say about place and date is
taken from the sentences before it in the same paragraph, and the place from the document when
the document is about one region only. Mentions of one event are merged by the contract's rule
(`extract.merge`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from recruitwatch.extract import triggers as T
from recruitwatch.extract.dates import DateMention, document_date, find_dates
from recruitwatch.extract.merge import merge_events
from recruitwatch.extract.numbers import CountMention, find_counts, find_rubles
from recruitwatch.models import Document, Event
from recruitwatch.reference import gazetteer as _gaz
from recruitwatch.reference.countries import STATELESS, find_nationalities
from recruitwatch.reference.morph import WORD_CACHE_SIZE, analyzer

# Types that happen inside Russia: their places are Russian and their country defaults to RU.
_RUSSIAN_TYPES = frozenset(
    {"detention", "fine", "expulsion_order", "recruitment_approach", "contract_signed", "deployment",
     "raid", "draft_notice", "citizenship_action", "release"}
)
_PRECISION_RANK = {"facility": 0, "crossing": 0, "settlement": 1, "district": 2, "region": 3, "country": 4}

# ---------------------------------------------------------------- sentences

_ABBREV = frozenset(
    "ч ст г гг п пп т е им обл р н руб тыс млн млрд ул д кв корп стр св mr mrs ms dr st no nov dec jan feb "
    "mar apr jun jul aug sep sept oct vs etc inc ltd co jr sr gen col lt sgt rep sen gov prof".split()
)
# The lookbehind and possessive runs keep a long run of dots linear: no match starts inside it.
_SENT_END = re.compile(r"(?<![.!?…])[.!?…]++[»\"”’)]*+(?=\s)|\n\s*\n|\n")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    para: int  # paragraph number (a blank line or a line break starts a new one)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; a line break always ends one (titles, list items)."""
    out: list[Sentence] = []
    start, para = 0, 0
    for m in _SENT_END.finditer(text):
        if m.group().startswith((".", "!", "?", "…")) and _is_abbreviation(text, m.start()):
            continue
        _add_sentence(text, start, m.end(), para, out)
        if "\n" in m.group():
            para += 1
        start = m.end()
    _add_sentence(text, start, len(text), para, out)
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    m = re.search(r"([^\W\d_]+)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    word = m.group(1)
    # initials ("М.А."), known abbreviations ("ч.", "St."); a capital after "г." still continues
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREV


def _add_sentence(text: str, start: int, end: int, para: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], para))


# ---------------------------------------------------------------- lemma strings

_WORD = re.compile(r"[^\W\d_]+|\d+")
_CYR = re.compile(r"[а-яёА-ЯЁ]")
_CLAUSE_BREAK = re.compile(r"[,;:()«»\"“”—–]|\s-\s")


class _Tok(NamedTuple):  # a tuple: one per word of every Russian sentence, a dataclass costs 3x
    start: int
    end: int
    lemma: str
    pos: str | None
    future: bool
    clause_start: bool  # a comma or other clause break stands before it


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _analyse(word: str) -> tuple[str, str | None, bool]:
    p = analyzer().parse(word)[0]
    pos = p.tag.POS
    return p.normal_form.replace("ё", "е"), pos, "futr" in p.tag


@dataclass
class _Lemmas:
    text: str  # lemmas joined by single spaces
    toks: list[_Tok]
    offsets: list[int]  # start of each token in `text`
    sentence: str = ""
    starts: list[int] = field(default_factory=list)  # start of each token in the sentence

    def token_at(self, pos: int) -> int:
        return max(0, bisect_right(self.offsets, pos) - 1)


@lru_cache(maxsize=100_000)
def _word_reading(w: str) -> tuple[str, str | None, bool]:
    """(lemma, part of speech, future) of one word as written: digits, Russian, other."""
    if w.isdigit():
        return "#", "NUMR", False
    if _CYR.search(w):
        return _analyse(w.lower())
    return w.lower(), None, False


def _lemmas(sentence: str) -> _Lemmas:
    toks: list[_Tok] = []
    offsets: list[int] = []  # start of each lemma in the joined string
    starts: list[int] = []
    parts: list[str] = []
    prev_end = at = 0
    new_tok = tuple.__new__  # _Tok without its Python-level __new__: one per word
    for m in _WORD.finditer(sentence):
        start, end = m.span()
        # most gaps are one space: no search for those
        brk = ((start - prev_end != 1 or sentence[prev_end] != " ")
               and bool(_CLAUSE_BREAK.search(sentence, prev_end, start))) if toks else True
        lem, pos, fut = _word_reading(m.group())
        toks.append(new_tok(_Tok, (start, end, lem, pos, fut, brk)))
        offsets.append(at)
        starts.append(start)
        parts.append(lem)
        at += len(lem) + 1
        prev_end = end
    return _Lemmas(" ".join(parts), toks, offsets, sentence, starts)


# ---------------------------------------------------------------- triggers


@dataclass
class Trigger:
    rule: T.Rule
    start: int  # offsets in the sentence
    end: int
    source: Event | None = None  # the earlier event a "similar decision" repeats


def find_triggers(sentence: str, lem: _Lemmas | None) -> list[Trigger]:
    """Every trigger in the sentence that states something that happened."""
    found: list[Trigger] = []
    # Each language's rules run only when some rule's first words stand in the sentence (one
    # quick scan: most sentences have none) and its one-pass check found a trigger there;
    # English rules need English words, which a Russian sentence (nearly always) lacks.
    if lem is not None:
        rules = T.RU_INDEX.candidates(lem.text)
        if rules and T.ANY_RU_FAST.search(lem.text):
            for rule in rules:
                found += _ru_triggers(rule, lem)
    if _EN_WORDS.search(sentence):
        low = sentence.lower()
        if len(low) != len(sentence):  # a letter whose lower case is longer: offsets would move
            low = ""
        rules = T.EN_INDEX.candidates(low) if low else T.EN_RULES
        if rules and (T.ANY_EN_FOLDED_FAST.search(low) if low else T.ANY_EN_FAST.search(sentence)):
            for rule in rules:
                found += _en_triggers(rule, sentence, low)
    # what a law allows or provides (read only where some trigger stands: most have none)
    if found and T.LAW_PROVISION.match(sentence):
        return []
    return found


# English rules read a sentence with at least one run of three Latin letters.
_EN_WORDS = re.compile(r"[a-zA-Z]{3}")


def _ru_triggers(rule: T.Rule, lem: _Lemmas) -> list[Trigger]:
    pattern, needs, vetoes = rule.fast
    if not pattern.search(lem.text):  # most rules miss: one search, no more
        return []
    if needs and not needs.search(lem.text):
        return []
    if vetoes and vetoes.search(lem.text):
        return []
    out = []
    for m in pattern.finditer(lem.text):
        i, j = lem.token_at(m.start()), lem.token_at(max(m.start(), m.end() - 1))
        if _ru_factual(rule, lem.toks, i, j):
            out.append(Trigger(rule, lem.toks[i].start, lem.toks[j].end))
    return out


_VERBAL = frozenset({"VERB", "INFN", "PRTS", "PRTF", "GRND"})
_PREPOSITIONS = frozenset("среди из у для к с о от по при".split())


def _ru_factual(rule: T.Rule, toks: list[_Tok], i: int, j: int) -> bool:
    verbs = [k for k in range(i, j + 1) if toks[k].pos in _VERBAL]
    key = verbs[0] if verbs else i
    if toks[key].pos == "INFN" and not rule.allow_inf:
        return False
    # "среди задержанных", "задержанным предлагали": a participle used as a noun names people
    if toks[key].pos == "PRTF" and (
        (key > 0 and toks[key - 1].lemma in _PREPOSITIONS)
        or (key + 1 < len(toks) and toks[key + 1].pos in ("VERB", "INFN", "PRTS"))
    ):
        return False
    # "выдворят", "будут выдворены": a future form, or "быть" in the future before the verb
    future = toks[key].future or (key > 0 and toks[key - 1].lemma == "быть" and toks[key - 1].future)
    if future and not rule.allow_future:
        return False
    neg = T.NEGATION_RU_STRICT if rule.allow_future else T.NEGATION_RU
    # look back over the words of the same clause, at most four
    k = i
    while k > 0 and i - k < 4 and not toks[k].clause_start:
        k -= 1
        if toks[k].lemma in neg:
            return False
    return True


_EN_WORD = re.compile(r"[\w’'-]+")


def _en_triggers(rule: T.Rule, sentence: str, low: str = "") -> list[Trigger]:
    """`low` is the sentence lower-cased (same length), read by the rule's folded patterns."""
    pattern, needs, vetoes = rule.folded if low else (rule.pattern, rule.needs, rule.vetoes)
    text = low or sentence
    if not pattern.search(text):  # most rules miss: one search, no more
        return []
    if needs and not needs.search(text):
        return []
    if vetoes and vetoes.search(text):
        return []
    out = []
    for m in pattern.finditer(text):
        if _en_factual(rule, sentence, m.start()):
            out.append(Trigger(rule, m.start(), m.end()))
    return out


_PEOPLE_BEFORE = re.compile(
    r"\b(?:migrants|people|foreigners|men|women|refugees|workers|citizens|nationals|asylum seekers|those),?\s*$",
    re.IGNORECASE,
)
# A headline drops its auxiliaries ("Thousands of migrants detained in Russia"): short, no final stop.
_HEADLINE_CASE = re.compile(r"^[^.!?]{0,140}$")
_NEG_SCOPE_BREAK = re.compile(r"[,;:()—–]|\s-\s")


def _en_factual(rule: T.Rule, sentence: str, at: int) -> bool:
    clause = _NEG_SCOPE_BREAK.split(sentence[max(0, at - 80) : at])[-1]
    words = _EN_WORD.findall(clause)[-6:]
    # "the detained men": a participle used as an adjective names people, not an arrest; and
    # "migrants detained at the border" (no auxiliary) points back to an arrest told elsewhere
    if words and words[-1].lower() == "the" and re.match(r"(?i)detained\s+\w", sentence[at:]):
        return False
    if (_PEOPLE_BEFORE.search(sentence, max(0, at - 40), at) and re.match(r"(?i)(?:detained|arrested)\b", sentence[at:])
            and not _HEADLINE_CASE.search(sentence)):
        return False
    low = [w.lower() for w in words]
    if low[-2:] == ["to", "be"] and not rule.allow_inf:
        return False  # "migrants are to be recruited": a plan
    if words and words[-1].lower() == "to" and not rule.allow_inf:
        before = words[-2].lower() if len(words) > 1 else ""
        if before not in ("decided", "began", "started", "managed", "continued", "forced", "ordered", "was", "were"):
            return False
    neg = T.NEGATION_EN_STRICT if rule.allow_future else T.NEGATION_EN
    words = [w for w in words if w != "May"]  # the month, not the modal verb
    if T.UNKNOWN_EN.search(clause):  # "did not say whether any had been released"
        return False
    return not neg.search(" ".join(words))


# ---------------------------------------------------------------- counts

_NOT_PEOPLE_AFTER = re.compile(
    r"\s*(?:%|percent|per cent|процент|-?km\b|км\b|kilomet|километр|miles?\b|-mile|метр|meters?\b|°|degrees?|"
    r"градус|руб|roubles?|rubles?|£|€|\$|долл|dollars?|euros?|years?\b|-year|лет\b|год|months?\b|месяц|weeks?\b|"
    r"недел|days?\b|дн|сут|hours?\b|час|минут|minutes?\b|times\b|раз\b|cases\b|дел\b|дела\b|violations|нарушени|"
    r"crimes|преступлени|уголовн|протокол|planes|самолет|cars\b|автомоб|bicycles|велосипед|checkpoints|кпп|"
    r"пункт|regions|регион|област|tons|тонн|kg\b|кг\b|points|балл|-летн|x\b|раза\b|млн\b|тысяч\b)",
    re.IGNORECASE,
)
_PEOPLE_EN = frozenset(
    "people persons men women migrants foreigners citizens nationals workers refugees detainees inmates "
    "prisoners immigrants individuals asylum seekers soldiers recruits mercenaries volunteers students "
    "children minors teenagers newcomers men draft dodgers servicemen conscripts residents families "
    "others them those whom participants participant fighters".split()
)
_PEOPLE_RU = frozenset(
    "мигрант иностранец нелегал гражданин человек уклонист мужчина женщина работник рабочий нарушитель "
    "беженец заключить заключенный задержанный несовершеннолетний подросток ребенок доброволец военнослужащий "
    "лицо житель студент уроженец выходец россиянин призывник осужденный специалист из".split()
)
_SINGULAR_EN = re.compile(
    r"\b(?:[Aa]n?|[Oo]ne)\s+(?:(?:[A-Z][a-z]+|young|local|foreign|undocumented|\d+-year-old)\s+){0,2}"
    r"(?:man|woman|migrant|citizen|national|asylum seeker|refugee|worker|student|soldier|detainee|inmate|"
    r"prisoner|participant|boy|girl)\b"
)
_PRON_EN = frozenset("were was have had are is faced face and who that".split())
_YEAR_IN_NAME = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class _Count(CountMention):
    strong: bool = True  # a people word follows ("57 foreigners"), not a bare figure ("140 из них")
    sentence: str = ""
    partitive: bool = False  # "трое из которых", "two of them": a part of a group named before

    def after_comma(self, trig: Trigger) -> bool:
        """A figure after the trigger and a comma opens the next clause ("72 выдворили, 28 ...")."""
        return bool(re.search(r"[,;]", self.sentence[trig.end : self.start]))


def _overlaps_any(spans: list[DateMention], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `spans` (sorted, not overlapping each other)."""
    k = _last_starting_before(spans, end)
    return k >= 0 and spans[k].end > start


def _last_starting_before(spans: list[DateMention], end: int) -> int:
    """Index of the last span starting before `end` (-1 when none): a binary search."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].start <= end - 1:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _people_count(sentence: str, cm: CountMention, dates: list[DateMention], lem: _Lemmas | None) -> int:
    """2 for a count of people named by a people word or demonym, 1 for a bare figure that may
    count people ("Двое заключили", "140 из них"), 0 for dates, sums, distances, durations."""
    if _overlaps_any(dates, cm.start, cm.end):
        return 0
    # "Operation Nelegal 2024", "Нелегал-2024": a year in a name
    if _YEAR_IN_NAME.fullmatch(cm.text) and re.search(r"(?:[A-ZА-ЯЁ]\w+\s|-)$", sentence[: cm.start]):
        return 0
    if _NOT_PEOPLE_AFTER.match(sentence, cm.end):
        return 0
    if lem is not None and _CYR.search(sentence[cm.end : cm.end + 30] or "x"):
        return _ru_people_follows(lem, cm)
    words = _EN_WORD.findall(sentence[cm.end : cm.end + 60])[:4]
    if not words or sentence[cm.end : cm.end + 3].lstrip()[:1] in (",", ".", ";", ")", "”", "\"", ":"):
        return 1
    low = [w.lower() for w in words]
    for k, w in enumerate(low[:4]):
        if w in _PEOPLE_EN or _is_demonym_plural(words[k]):
            return 2
        if k == 0 and w in _PRON_EN:
            return 1
        if w in ("of", "the"):  # "one of the participants", "eight of its crossings"
            continue
    return 0


@cache
def _demonym_plurals() -> frozenset[str]:
    from recruitwatch.reference.countries import _en_demonyms

    return frozenset(k[-1] for k, (_, plural) in _en_demonyms().items() if plural)


def _is_demonym_plural(word: str) -> bool:
    return word.lower() in _demonym_plurals()


def _ru_people_follows(lem: _Lemmas, cm: CountMention) -> int:
    i = bisect_right(lem.starts, cm.end - 1)
    if cm.text.split()[-1].lower() in _collectives():  # "трое", "пятерых", "троим": people by themselves
        return 2
    if i < len(lem.toks) and re.search(r"[,;:.]", lem.sentence[cm.end : lem.toks[i].start]):
        return 1
    for k in range(i, min(i + 3, len(lem.toks))):
        t = lem.toks[k]
        if t.lemma in _PEOPLE_RU or _is_ru_demonym(t.lemma):
            return 2
        if t.pos in ("ADJF", "PRTF", "ADJS"):
            continue
        if t.pos in ("VERB", "PRTS", "INFN", "ADVB", "CONJ", "PRCL", None):
            return 1
        return 0
    return 1


@cache
def _collectives() -> frozenset[str]:
    from recruitwatch.reference.morph import word_forms

    bases = "двое трое четверо пятеро шестеро семеро восьмеро девятеро десятеро".split()
    return frozenset(f for b in bases for f in word_forms(b) | {b})


@cache
def _is_ru_demonym(lemma: str) -> bool:
    from recruitwatch.reference.countries import _RU_NOUNS

    return lemma in _RU_NOUNS


_PART_AFTER = re.compile(r"\s+(?:из (?:них|которых|числа)|of (?:them|whom|those))\b", re.IGNORECASE)


def _counts(sentence: str, dates: list[DateMention], lem: _Lemmas | None) -> list[_Count]:
    rubles = find_rubles(sentence)
    ruble_starts = [r.start for r in rubles]
    out = []
    for c in find_counts(sentence):
        k = bisect_right(ruble_starts, c.start) - 1
        if k >= 0 and c.start < rubles[k].end:  # the sum of a fine, not people
            continue
        kind = _people_count(sentence, c, dates, lem)
        if kind:
            part = bool(_PART_AFTER.match(sentence, c.end))
            out.append(_Count(c.start, c.end, c.text, c.value, strong=kind == 2, sentence=sentence, partitive=part))
    out += [_Count(m.start(), m.end(), m.group(), 1) for m in _SINGULAR_EN.finditer(sentence)]
    return sorted(out, key=lambda c: c.start)


def _nearest(items: Iterable, trig: Trigger, limit: int = 250):  # type: ignore[no-untyped-def]
    best, best_d = None, limit
    for it in items:
        d = trig.start - it.end if it.end <= trig.start else it.start - trig.end if it.start >= trig.end else 0
        d += 0 if getattr(it, "strong", True) else 80  # a bare figure only when nothing better
        # "трое из которых освободились": a part counts for the verb right after it, not beyond
        if getattr(it, "partitive", False) and not 0 <= trig.start - it.end <= 25:
            d += 80
        if getattr(it, "after_comma", None) is not None and it.start >= trig.end and it.after_comma(trig):
            d += 60
        if d < best_d:
            best, best_d = it, d
    return best


# ---------------------------------------------------------------- who, where, who says

_ACTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (actor, re.compile(p, re.IGNORECASE))
    for actor, p in (
        ("court", r"\bcourts?\b|\bjudges?\b|\bсуд\w*|\bсудь\w*|court order"),
        ("police", r"\bpolice\b|\bполици\w*|\bполицейск\w*|\bМВД\b|\binterior ministry\b|\blaw enforcement\b|"
                   r"\bсиловик\w*|\bправоохранител\w*|\bnational guard\b|\bросгварди\w*|\bомон\w*|internal affairs"),
        ("migration_service", r"\bmigration (?:service|officers?|department)|\bimmigration officers?|"
                              r"\bвопросам миграции|\bУВМ\b|\bФМС\b|миграционн\w+ служб\w*"),
        ("military_recruiters", r"\brecruit(?:ers|ment officers|ment representatives)\b|military representatives|"
                                r"military commissariats?|\bвоенкомат\w*|\bвоенком\w*|военн\w+ комиссар\w*|"
                                r"\bthe military\b|enlistment offices?"),
        ("military_investigators", r"investigative (?:service|committee)|military investigators|\bICR\b|"
                                   r"военн\w+ следств\w*|военн\w+ следовател\w*|\bСК\b|следственн\w+ комитет\w*"),
        ("border_guard", r"border guards?|\bпограничн\w*|\bпогранслужб\w*|\bFSB\b|\bФСБ\b"),
        ("government", r"\bgovernment\b|\bprime minister\b|\bправительств\w*|\bminist(?:er|ry)\b|"
                       r"\bвласти\b|\bauthorities\b|\bFinland\b|\bФинлянди\w*"),
    )
)
_TYPE_ACTORS = {"fine": "court", "expulsion_order": "court", "recruitment_approach": "military_recruiters"}

_FACILITY = re.compile(
    r"(?:pre-deportation (?:detention )?cent(?:er|re)s?|special (?:temporary )?detention cent(?:er|re)s?|"
    r"temporary detention cent(?:er|re)s?|military camp|military barracks|"
    r"ЦВСИГ|СУВСИГ|спецприемник\w*|спецприёмник\w*|Центр\w* временного содержания иностранных граждан|"
    r"изолятор\w*|railway station|вокзал\w*|warehouse)(?:\s+in\s+[A-Z][\w-]+)?",
    re.IGNORECASE,
)

_CLAIM_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b[Ee]vidence (?:obtained|seen) by (?:the )?([A-Z][\w.-]+(?: [A-Z][\w.-]+)*)",
        r"\b[Aa]ccording to (?:statistics from |data from |a statement by |a source at |sources in )?(?:the )?"
        r"([A-Z][\w.’'-]+(?:\s+(?:[A-Z][\w.’'-]+|of|the|for|and))*(?:\s+[A-Z][\w.’'-]+)?)",
        r"\b((?:[Hh]uman )?[Rr]ights (?:activists|groups)(?: and relatives)?|[Aa]ctivists)\s+(?:have\s+)?(?:also\s+)?"
        r"(?:reported|said|say|claim)",
        r"\b(?:the )?([A-Z][\w.]+(?:\s+[A-Z][\w.]+){0,3})\s+(?:has\s+)?(?:reported|reports|said|says|told|announced|"
        r"claimed|noted|has seen|has learned)\b",
        r"сообща(?:ет|ют|ли|ло)\s+(?:портал\s+|агентство\s+|издание\s+|телеграм-канал\s+)?"
        r"(?:«([^»]{2,60})»|\"([^\"]{2,60})\"|([^,.«»\"]{2,60}?)(?:[,.]|\s+со ссылкой|$))",
        r"[Пп]о (?:данным|словам|информации)\s+([^,.]{2,60})",
        r"[Кк]ак сообщили в\s+(?:телеграм-канале\s+)?[«\"]([^»\"]+)[»\"]",
        r"сообщили в\s+(пресс-служб\w+[^,.]{0,80})",
        r"([А-ЯЁ][\w-]+(?:\s+[А-ЯЁ][\w-]+)?)\s+сообщил[аи]?\b",
    )
)
_BAD_CLAIMS = frozenset({"He", "She", "They", "It", "We", "The", "This", "That", "Russia", "There", "I"})


# A word each claim pattern needs: a sentence with none of them is claimed by no one.
_CLAIM_HINT = re.compile(
    r"vidence|ccording to|ctivists|reported|reports|said|says|told|announced|claimed|noted|has seen|has learned|"
    r"сообща|сообщил|о данным|о словам|о информации"
)


def _claimed_by(sentence: str) -> str | None:
    if not _CLAIM_HINT.search(sentence):
        return None
    for p in _CLAIM_PATTERNS:
        m = p.search(sentence)
        if m:
            who = next(g for g in m.groups() if g).strip(" «»\"")
            if who and who.split()[0] not in _BAD_CLAIMS and len(who) <= 80:
                return who
    return None


# All actor lexicons in one pattern, one named group each: one pass per sentence.
_ANY_ACTOR = re.compile("|".join(f"(?P<{a}>{p.pattern})" for a, p in _ACTORS), re.IGNORECASE)


# ... for the lower-cased sentence (faster than IGNORECASE; the group names are lower case)
_ANY_ACTOR_FOLDED = re.compile(_ANY_ACTOR.pattern.lower().replace("(?p<", "(?P<"))
# ... whose matches all start with one of a few words: a sentence with none of them names no actor
_ACTOR_HINT = T.prefix_hint(_ANY_ACTOR_FOLDED)
_ANY_ACTOR_FOLDED = T.guarded(_ANY_ACTOR_FOLDED)


@lru_cache(maxsize=64)
def _actors_in(sentence: str) -> tuple[str, ...]:
    low = sentence.lower()
    if _ACTOR_HINT is not None and not _ACTOR_HINT.search(low):
        return ()
    found = {m.lastgroup for m in _ANY_ACTOR_FOLDED.finditer(low)}
    return tuple(a for a, _ in _ACTORS if a in found)


def _actors(sentence: str, event_type: str) -> list[str]:
    found = list(_actors_in(sentence))
    if not found and event_type in _TYPE_ACTORS and event_type != "recruitment_approach":
        return []
    if event_type == "border_event":
        found = [a for a in found if a in ("government", "border_guard")]
    elif "government" in found:
        found.remove("government")
    return found


# ---------------------------------------------------------------- places


@dataclass
class _Where:
    country: str | None = None
    regions: list[str] = field(default_factory=list)
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class _PlaceAt:
    """A place named at [start, end) of the text (a gazetteer mention or a court's seat)."""

    start: int
    end: int
    text: str
    place: _gaz.Place
    court: bool = False  # the seat of a court named by its district, known to its region only


_COURT = re.compile(
    r"\b[А-ЯЁ][а-яё-]+(?:ий|ый|ой|ого|ому|им|ым|ом)\s+(?:(?:районн|городск|межрайонн|гарнизонн|областн|краев)\w*\s+)?"
    r"суд\w*(?:\s+(?:г\.\s*)?[А-ЯЁ][а-яё-]+(?:\s+(?:области|края|республики))?)?"
)
# Capitals stand for governments ("accusing Moscow", "Helsinki called it"): no border lies there.
_CAPITALS = frozenset({"Moscow", "Helsinki", "Kyiv", "Minsk", "Oslo", "Tallinn", "Riga", "Washington"})


def _places(text: str) -> list[_PlaceAt]:
    mentions = _gaz.find_places(text)
    out = [_PlaceAt(m.start, m.end, m.text, _outskirts(text, m)) for m in mentions if not _is_person_name(text, m)]
    moscow = _gaz.region("RU-MOW")
    if moscow is not None:  # "the Russian capital", "в российской столице"
        out += [_PlaceAt(m.start(), m.end(), m.group(), moscow) for m in _CAPITAL_WORDS.finditer(text)]
    out += _border_districts(text)
    return sorted(out + _court_places(text, out), key=lambda p: p.start)


# Finnish Border Guard districts named as areas: "Southeast Finland" (Kaakkois-Suomi) is the
# border of Kymenlaakso and South Karelia, which the gazetteer knows only one by one.
_BORDER_DISTRICTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\b[Ss]outh-?east(?:ern)? Finland\b|\b[Юю]го-[Вв]осточн\w+ Финлянди\w+|\bKaakkois-Suom\w+"),
     ("FI-02", "FI-09")),
)


def _within_district(text: str, regions: set[str]) -> bool:
    """Whether the regions are those of one border district the text names."""
    return any(regions <= set(codes) and pattern.search(text) for pattern, codes in _BORDER_DISTRICTS)


def _border_districts(text: str) -> list[_PlaceAt]:
    out = []
    for pattern, codes in _BORDER_DISTRICTS:
        for m in pattern.finditer(text):
            out += [_PlaceAt(m.start(), m.end(), m.group(), p) for p in map(_gaz.region, codes) if p is not None]
    return out


_CAPITAL_WORDS = re.compile(r"\b(?:the )?Russian capital\b|\bроссийск\w+ столиц\w+", re.IGNORECASE)
_OUTSKIRTS = {"RU-MOW": "RU-MOS", "RU-SPE": "RU-LEN"}


def _outskirts(text: str, m):  # type: ignore[no-untyped-def]
    """"outside Moscow", "под Петербургом": the region around a federal city."""
    code = _OUTSKIRTS.get(m.place.region or "")
    before = text[max(0, m.start - 20) : m.start]
    if code and re.search(r"(?:outside|near|под|в окрестностях)\s+(?:of\s+)?$", before, re.IGNORECASE):
        return _gaz.region(code) or m.place
    return m.place


def _court_places(text: str, known: list[_PlaceAt]) -> list[_PlaceAt]:
    """A court places its decisions where it sits: in its town or district when it is a local
    court ("Петрозаводский городской суд"), else (a regional court) in its region only."""
    out = []
    for m in _COURT.finditer(text):
        if any(k.start < m.end() and m.start() < k.end for k in known):
            continue
        seat = _gaz.court_seat(m.group()) or _gaz.court_seat(_nominative(m.group()))
        if seat is not None:
            out.append(_PlaceAt(m.start(), m.end(), m.group(), seat))
            continue
        code = _gaz.court_region(m.group()) or _gaz.court_region(_nominative(m.group()))
        reg = _gaz.region(code) if code else None
        if reg is not None:
            out.append(_PlaceAt(m.start(), m.end(), m.group(), reg, court=True))
    return out


def _nominative(phrase: str) -> str:
    """"Щекинским межрайонным судом" -> "Щекинский межрайонный суд" (capitalisation kept)."""
    words = []
    for w in phrase.split():
        lem = analyzer().parse(w.lower())[0].normal_form
        words.append(lem.capitalize() if w[:1].isupper() else lem)
    return " ".join(words)


_NAME_AFTER = re.compile(r"[ \u00a0]+[A-ZА-ЯЁ][a-zа-яё]+")


def _is_person_name(text: str, m) -> bool:  # type: ignore[no-untyped-def]
    """"Vladimir Putin", "Анна Павлова", "St. Petersburg International Legal Forum": a settlement
    name followed by another capitalised word that is not itself a place is part of a name."""
    if m.place.kind != "settlement" or not m.text[:1].isupper():
        return False
    nxt = _NAME_AFTER.match(text, m.end)
    if nxt is None:
        return False
    return not text[m.end : nxt.end()].strip().lower().startswith(("region", "district", "oblast"))


def _usable(m: _PlaceAt, event_type: str) -> bool:
    p = m.place
    if event_type == "border_event":
        return p.name not in _CAPITALS
    return p.country == "RU"


def _where_from(mentions: list[_PlaceAt], event_type: str, rule: str, with_place: bool = True) -> _Where | None:
    """Regions, the most precise place and its coordinates; None when no region is named."""
    regional = [m for m in mentions if _usable(m, event_type) and m.place.region]
    if not regional:
        return None
    regions = sorted({m.place.region for m in regional if m.place.region})
    countries = {m.place.country for m in regional}
    where = _Where(country=countries.pop() if len(countries) == 1 else None, regions=regions, rule=rule)
    precise = [m for m in regional if _PRECISION_RANK.get(m.place.kind, 5) <= 2 or m.court]
    names = {m.text if m.court else m.place.name for m in precise}
    if with_place and len(names) == 1 and len(regions) == 1 and not precise[0].court:
        best = _settlement_of(precise[0])
        where.place, where.lat, where.lon = best.name, best.lat, best.lon
        where.geo_precision = best.geo_precision
    elif len(regions) == 1:
        reg = _gaz.region(regions[0])
        if reg is not None:
            where.lat, where.lon, where.geo_precision = reg.lat, reg.lon, "region"
    return where


def _settlement_of(m: _PlaceAt) -> _gaz.Place:
    """A facility is reported by the town it stands in ("pre-deportation centre in Petrozavodsk")."""
    if m.place.kind != "facility":
        return m.place
    for word in reversed(re.findall(r"[A-ZА-ЯЁ][\w-]+", m.text)):
        found = _gaz.geocode(word, [m.place.region] if m.place.region else [])
        if found is not None and found.kind == "settlement":
            return found
    return m.place


def _country_named(mentions: list[_PlaceAt], text: str, offset: int) -> str | None:
    """A country named in the sentence, not as where people came from ("from Russia")."""
    for m in mentions:
        if m.place.kind == "country":
            before = text[max(0, m.start - offset - 6) : m.start - offset].lower()
            if not re.search(r"\b(?:from|из|с)\s*$", before):
                return m.place.country
    return None


# Markers that a sentence speaks of elsewhere or everywhere, not of the document's own place.
_ELSEWHERE = re.compile(
    r"\b(?:other (?:cities|regions|towns)|across (?:all of )?(?:russia|the country)|nationwide|"
    r"throughout russia|similar raids|в других (?:город|регион)\w*|по всей (?:России|стране)|по стране|"
    r"в ЦВО|в регионах|по регионам|in (?:the )?regions)\b",
    re.IGNORECASE,
)
_FINLAND = re.compile(r"\bFinland\b|\bFinnish\b|\bФинлянди\w*|\bфинск\w*", re.IGNORECASE)
# A sentence that continues the one before it, even across a paragraph break.
_CONTINUES = re.compile(
    r"^[«\"“„'(\s—–-]*(?:Of (?:this|these|those|them)\b|Of this number|Among them|Another\b|Из них|"
    r"Из этого числа|Среди них|Ещ[её]\b|Кроме того|Most of (?:them|those)\b|Большинство из них)",
)
_PARTITIVE = re.compile(r"\b(?:[Сс]реди|[Aa]mong|из них|of them|including|в том числе)\b")
_ALL = re.compile(r"\b(?:[Вв]се|[Вв]сем|[Вв]сех|[Aa]ll)\b")
# Words that point back to people named before ("Им назначен штраф", "they were fined").
_ANAPHOR = re.compile(
    r"(?:^|\s)(?:[Ии]м|[Оо]ни|[Ии]х|[Вв]сем им|[Вв]се они|иностранцам|мигрантам|нарушителям|[Tt]hey|them|"
    r"the (?:foreigners|migrants|men|persons|detainees)|[Aa]ll of them)(?=[\s,.])"
)
# "Аналогичные решения ... вынес Кольский районный суд": the court events of the sentence before.
_SIMILAR = re.compile(
    r"\b[Аа]налогичн\w+ (?:решени|наказани|постановлени)\w*|\b[Тт]ак(?:ое|ие) же (?:решени|наказани)\w*|"
    r"\b[Ss]imilar (?:decisions?|rulings?|sentences?|penalties)\b"
)
# "The picture was similar in Leningrad and Murmansk": the events before, in other places.
_SIMILAR_PLACES = re.compile(
    r"\b(?:[Tt]he (?:picture|situation) (?:was|is) (?:similar|the same)|[Ss]imilar situation|"
    r"[Аа]налогичн\w+ ситуаци\w*|[Тт]а же (?:картина|ситуация))"
)
_SPEECH_DATE = re.compile(
    r"(?:said|says|announced|reported|told|stated|claimed|noted|added|сообщил\w*|заявил\w*|рассказал\w*)"
    r"(?:\s+(?:on|last|this))?\s*$",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- the extractor


@dataclass
class _Context:
    doc: Document
    anchor: date | None
    sentences: list[Sentence]
    places: list[_PlaceAt]
    place_starts: list[int] = field(default_factory=list)
    last_country: str | None = None  # the last foreign country a sentence was about
    dates_by_sentence: dict[int, list[DateMention]] = field(default_factory=dict)
    doc_where: dict[str, _Where | None] = field(default_factory=dict)
    finland: bool = False
    # what earlier sentences said, for sentences that leave it out
    para_places: dict[int, list[_PlaceAt]] = field(default_factory=dict)
    last_places: list[_PlaceAt] = field(default_factory=list)
    last_places_para: int = -10  # the paragraph of `last_places`
    lemmas_by_sentence: dict[int, _Lemmas | None] = field(default_factory=dict)
    people_by_sentence: dict[int, tuple[list[_Count], list]] = field(default_factory=dict)  # type: ignore[type-arg]
    prev_events: list[Event] = field(default_factory=list)
    ner: bool = False  # natasha's NER on Russian sentences with a trigger


def extract_news_events(doc: Document, ner: bool | None = None) -> list[Event]:
    """Every event the document's sentences state, merged by the contract's rule. `ner` runs
    natasha's Russian NER on sentences with a trigger (None: `extract.ner.enabled()`)."""
    from recruitwatch.extract import ner as _ner

    text = doc.text
    anchor = doc.published or document_date(text)
    ctx = _Context(doc, anchor, split_sentences(text), _without_described(text, _places(text)))
    ctx.ner = _ner.enabled() if ner is None else ner
    if ctx.ner:
        _ner.prefetch(_trigger_sentences(ctx))
    ctx.finland = bool(_FINLAND.search(text))
    ctx.place_starts = [p.start for p in ctx.places]
    events: list[Event] = []
    for idx, sent in enumerate(ctx.sentences):
        found = _sentence_events(ctx, idx, sent)
        events += found
        ctx.prev_events = found or ctx.prev_events if found else []
    return merge_events(events)


def _trigger_sentences(ctx: _Context) -> list[str]:
    """The Russian sentences some trigger word stands in: those NER will be asked about."""
    out = []
    for idx, sent in enumerate(ctx.sentences):
        lem = _lemmas_of(ctx, idx)
        if lem is not None and T.ANY_RU_FAST.search(lem.text):
            out.append(sent.text)
    return out


def _places_in(ctx: _Context, sent: Sentence) -> list[_PlaceAt]:
    """The places named inside the sentence (the list is sorted: a binary search, not a scan)."""
    i = bisect_right(ctx.place_starts, sent.start - 1)
    out = []
    while i < len(ctx.places) and ctx.places[i].start < sent.end:
        if ctx.places[i].end <= sent.end:
            out.append(ctx.places[i])
        i += 1
    return out


_LOOK_BACK = 6  # sentences: what lies further back is another story (and keeps long texts linear)


def _dates_of(ctx: _Context, idx: int) -> list[DateMention]:
    """The dates of sentence `idx` (sentence offsets), read once, only when asked for."""
    if idx not in ctx.dates_by_sentence:
        ctx.dates_by_sentence[idx] = find_dates(ctx.sentences[idx].text, ctx.anchor)
    return ctx.dates_by_sentence[idx]


def _earlier_date(ctx: _Context, idx: int, same_para: bool) -> DateMention | None:
    """The last date of the sentences before `idx` (in its paragraph, or anywhere)."""
    para = ctx.sentences[idx].para
    for k in range(idx - 1, max(-1, idx - 1 - _LOOK_BACK), -1):
        if same_para and ctx.sentences[k].para != para:
            return None
        usable = [d for d in _dates_of(ctx, k) if not _is_header_date(d)]
        if usable:
            return usable[-1]
    return None


def _sentence_events(ctx: _Context, idx: int, sent: Sentence) -> list[Event]:
    lem = _lemmas_of(ctx, idx)
    trigs = find_triggers(sent.text, lem)
    trigs += _similar_triggers(ctx, sent.text)
    places = _places_in(ctx, sent)
    if not trigs:
        _trailing_nationalities(ctx, idx)
        _trailing_place(ctx, idx, places)
        _remember(ctx, sent, places)
        return []
    dates = _dates_of(ctx, idx)
    counts, nats = _people_of(ctx, idx)
    fines = find_rubles(sent.text)
    claim = _claimed_by(sent.text)
    if ctx.ner and _CYR.search(sent.text):
        places, claim = _with_entities(ctx, sent, places, claim)
    events = []
    kept = _one_per_type(trigs)
    for trig in kept:
        ev = _event(ctx, idx, sent, trig, _counts_for(counts, trig, kept), nats, fines, claim, dates, places)
        if ev is not None:
            events.append(ev)
    _remember(ctx, sent, places)
    return events


# An organisation is the source only when the sentence attributes something to it.
_ATTRIBUTION_RU = re.compile(r"(?:сообщ|заяв|рассказ|по данным|по информации|по словам|со ссылкой)\w*", re.IGNORECASE)


def _with_entities(ctx: _Context, sent: Sentence, places: list[_PlaceAt],
                   claim: str | None) -> tuple[list[_PlaceAt], str | None]:
    """Places and the claimant natasha's NER finds where the rules found none: a LOC span the
    gazetteer scan missed goes to `geocode`; an ORG in an attributed sentence claims it."""
    from recruitwatch.extract.ner import russian_entities

    ents = russian_entities(sent.text)
    regions = [p.place.region for p in ctx.places if p.place.region]
    extra = []
    for e in ents:
        at, end = sent.start + e.start, sent.start + e.end
        if e.type != "LOC" or any(p.start < end and at < p.end for p in places):
            continue
        place = _gaz.geocode(e.text, regions)
        if place is not None and _names_whole(e.text, place):
            extra.append(_PlaceAt(at, end, e.text, place))
    if claim is None:
        orgs = [e.text for e in ents if e.type == "ORG" and _attributed(sent.text, e) and not _actors_in(e.text)]
        claim = orgs[0] if orgs else None
    return (sorted(places + extra, key=lambda p: p.start) if extra else places), claim


def _names_whole(span: str, place: _gaz.Place) -> bool:
    """geocode reads the words it knows and skips the rest ("Ближнего Востока" -> "Ближнее"): a
    NER span counts only when the place's name has as many words as the span."""
    name = place.name_ru if _CYR.search(span) and place.name_ru else place.name
    return len(re.findall(r"[^\W\d_]+", name)) == len(re.findall(r"[^\W\d_]+", span))


def _attributed(sentence: str, ent) -> bool:  # type: ignore[no-untyped-def]
    """"по данным ORG", "ORG сообщает": the attribution stands right next to the organisation."""
    near = sentence[max(0, ent.start - 25) : ent.end + 25]
    if not _ATTRIBUTION_RU.search(near):
        return False
    # "сообщили Интерфаксу": the one told, not the one telling
    words = ent.text.split()
    return not words or analyzer().parse(words[0].lower())[0].tag.case != "datv"


def _lemmas_of(ctx: _Context, idx: int) -> _Lemmas | None:
    if idx not in ctx.lemmas_by_sentence:
        text = ctx.sentences[idx].text
        ctx.lemmas_by_sentence[idx] = _lemmas(text) if _CYR.search(text) else None
    return ctx.lemmas_by_sentence[idx]


def _people_of(ctx: _Context, idx: int) -> tuple[list[_Count], list]:  # type: ignore[type-arg]
    """The people sentence `idx` counts and the nationalities it names, read once when needed:
    sentences without events are read only when a later one points back to them."""
    if idx not in ctx.people_by_sentence:
        text = ctx.sentences[idx].text
        nats = [n for n in find_nationalities(text) if n.code not in (STATELESS, "RU")]
        counts = _counts(text, _dates_of(ctx, idx), _lemmas_of(ctx, idx))
        ctx.people_by_sentence[idx] = (counts, nats)
    return ctx.people_by_sentence[idx]


def _remember(ctx: _Context, sent: Sentence, places: list[_PlaceAt]) -> None:
    regional = [p for p in places if p.place.region]
    if regional:
        ctx.para_places[sent.para] = ctx.last_places = regional
        ctx.last_places_para = sent.para
    # Russia and Ukraine are named in every story (the war): they say nothing about a border
    named = _country_named([p for p in places if p.place.country not in ("RU", "UA")], sent.text, sent.start)
    if named:
        ctx.last_country = named


def _groups_before(ctx: _Context, idx: int, back: int) -> list[tuple[int | None, str | None, list[str], bool]]:
    """(count, count text, nationalities, is a part) of the people the `back` sentences before
    `idx` named, oldest first."""
    out: list[tuple[int | None, str | None, list[str], bool]] = []
    for k in range(max(0, idx - back), idx):
        counts, nats = _people_of(ctx, k)
        strong = [c for c in counts if c.strong]
        # "Среди задержанных двое несовершеннолетних": a part of a group, never "all of them"
        part = bool(_PARTITIVE.search(ctx.sentences[k].text))
        if not strong and nats:
            out.append((None, None, _codes(nats), part))
        for c in strong:
            out.append((c.value, c.text, _codes(nats), part))
    return out


def _same_figure_nationalities(ctx: _Context, idx: int, count: int) -> list[str]:
    """The nationalities an earlier sentence gave the same figure ("25 дел в отношении граждан
    Узбекистана ... 25 гражданам назначен штраф")."""
    for k in range(idx - 1, max(-1, idx - 1 - 3 * _LOOK_BACK), -1):
        if any(c.value == count for c in find_counts(ctx.sentences[k].text)):
            nats = _people_of(ctx, k)[1]
            if nats:
                return _codes(nats)
    return []


# "шесть граждан", "six foreign nationals": citizens of no country named in the sentence are
# those whose countries the sentences just before named.
_BARE_CITIZENS = re.compile(
    r"\b(?:иностранн\w+ )?граждан(?:е|ин|ина|ам|ами|ах)?\b|\b(?:foreign )?(?:citizens|nationals)\b(?! of\b)",
    re.IGNORECASE,
)


def _nationalities_before(ctx: _Context, idx: int) -> list[str]:
    """The nationalities the two sentences before `idx`, in its paragraph, named (the nearest)."""
    para = ctx.sentences[idx].para
    for k in range(idx - 1, max(-1, idx - 3), -1):
        if ctx.sentences[k].para != para:
            break
        nats = _people_of(ctx, k)[1]
        if nats:
            return _codes(nats)
    return []


def _codes(nats: list) -> list[str]:  # type: ignore[type-arg]
    return list(dict.fromkeys(n.code for n in nats))


_TRAILING = re.compile(
    r"(?:The (?:persons|people|migrants|men)|They|These|Those|Most of (?:them|those)|All of them|Они|Все они|"
    r"Среди них|Большинство из них|Это)\b"
)


# "Most of them have amassed in the Kandalaksha district", "Основной поток пришелся на
# Кандалакшский район": the bulk of the people just counted, and where in the region they were.
_MOST_OF_THEM = re.compile(
    r"^[«\"“„'(\s—–-]*(?:Most of (?:them|those)|The (?:majority|bulk) of them|Большинств\w+(?: из них)?|"
    r"Больш\w+ част\w+(?: из них)?|Основн\w+ (?:поток|масс\w+|част\w+))\b"
)


def _trailing_place(ctx: _Context, idx: int, places: list[_PlaceAt]) -> None:
    """"Over 400 are waiting in the Murmansk region. Most of them have amassed in the Kandalaksha
    district.": the next sentence says where in the region the events before it happened."""
    if not ctx.prev_events or not _MOST_OF_THEM.match(ctx.sentences[idx].text):
        return
    for ev in ctx.prev_events:
        if ev.place or len(ev.regions) != 1:
            continue
        inside = [p for p in places if p.place.region == ev.regions[0] and not p.court
                  and _PRECISION_RANK.get(p.place.kind, 5) <= 2]
        if len({p.place.name for p in inside}) == 1:
            best = _settlement_of(inside[0])
            ev.place, ev.lat, ev.lon, ev.geo_precision = best.name, best.lat, best.lon, best.geo_precision
            ev.rules["place"] = "gazetteer.next_sentence"


# "the Kandalaksha district, where the Salla checkpoint is situated": a clause that says what
# lies in a place names no other place of the event.
_DESCRIBING = re.compile(r"^,\s*(?:where|in which|где|в котором|в которой)\b[^,.;:!?]{0,40}$", re.IGNORECASE)
_LIES = re.compile(r"\b(?:situated|located|lies|находится|находятся|расположен\w*)\b", re.IGNORECASE)


# "closed all the crossings except one, that of Raja-Jooseppi": the one place left out.
_EXCEPT = re.compile(
    r"\b(?:except(?: for)?|apart from|other than|кроме(?! того)|за исключением)\b[^.;:!?]{0,25}$", re.IGNORECASE
)


def _without_described(text: str, places: list[_PlaceAt]) -> list[_PlaceAt]:
    """The places of a sentence that may be where its events happened: not one a clause only
    says lies in another place, nor one the sentence excepts."""
    out: list[_PlaceAt] = []
    for p in places:
        if out and _DESCRIBING.match(text[out[-1].end : p.start]):
            clause = text[out[-1].end : p.end + 40]
            if _LIES.search(re.split(r"[.;:!?]", clause[1:], maxsplit=1)[0]):
                continue
        if _EXCEPT.search(text, max(0, p.start - 45), p.start):
            continue
        out.append(p)
    return out


def _trailing_nationalities(ctx: _Context, idx: int) -> None:
    """"A group of 35 came to Salla. The persons were from Syria and Iraq.": the second sentence
    names the nationalities of the first one's people."""
    if not ctx.prev_events or not _TRAILING.match(ctx.sentences[idx].text):
        return
    nats = _people_of(ctx, idx)[1]
    if nats:
        for ev in ctx.prev_events:
            if not ev.nationalities:
                ev.nationalities, ev.rules["nationalities"] = _codes(nats), "countries.next_sentence"


def _similar_triggers(ctx: _Context, text: str) -> list[Trigger]:
    """Events of the sentence before, said again of other people or places."""
    if not ctx.prev_events:
        return []
    m = _SIMILAR.search(text)
    types: tuple[str, ...] = ("fine", "expulsion_order", "detention")
    if not m:
        m, types = _SIMILAR_PLACES.search(text), tuple(T.EVENT_TYPES)
    if not m or not ctx.prev_events:
        return []
    out = []
    for ev in ctx.prev_events:
        if ev.event_type in types:
            rule = T.Rule("similar", ev.event_type, _SIMILAR, "ru", allow_future=True)
            out.append(Trigger(rule, m.start(), m.end(), source=ev))
    return out


def _one_per_type(trigs: list[Trigger]) -> list[Trigger]:
    """One event of a type per sentence: its first trigger stands for the others."""
    seen: dict[str, Trigger] = {}
    for t in sorted(trigs, key=lambda t: t.start):
        seen.setdefault(t.rule.event_type, t)
    return list(seen.values())


def _distance(item: CountMention | DateMention, trig: Trigger) -> int:
    if item.end <= trig.start:
        return trig.start - item.end
    return item.start - trig.end if item.start >= trig.end else 0


_PENALTIES = frozenset({"detention", "fine", "expulsion_order"})


def _same_penalty(a: Trigger, b: Trigger) -> bool:
    """"оштрафовал 12 граждан с выдворением": a court's penalties fall on the same people."""
    return a.rule.event_type in _PENALTIES and b.rule.event_type in _PENALTIES


def _counts_for(counts: list[_Count], trig: Trigger, trigs: list[Trigger]) -> list[_Count]:
    """The counts this trigger may take: a subject before several verbs is theirs ("a Somali man
    was arrested, fined and detained"); an object right after another verb is that verb's ("will
    deport 2,000 migrants following police raids")."""
    out = []
    for c in counts:
        nearest = min(trigs, key=lambda t: _distance(c, t))
        if _distance(c, trig) <= _distance(c, nearest) + 40 or _same_penalty(trig, nearest):
            out.append(c)
        elif c.end <= trig.start and not any(t.end <= c.start and c.start - t.end < 40 for t in trigs):
            out.append(c)
    return out


def _event(ctx: _Context, idx: int, sent: Sentence, trig: Trigger, counts: list[_Count],
           nats: list, fines: list[CountMention], claim: str | None, dates: list[DateMention],
           places: list[_PlaceAt]) -> Event | None:  # type: ignore[type-arg]
    etype = trig.rule.event_type
    ev = Event(event_type=etype, quote=sent.text, span=(sent.start, sent.end), doc=ctx.doc.origin)
    ev.rules["event_type"] = trig.rule.name
    if trig.rule.subtype:
        ev.rules["subtype"] = trig.rule.subtype
    conf = trig.rule.confidence
    if not _set_date(ctx, ev, idx, trig, dates):
        return None
    cm = _nearest(counts, trig) if trig.rule.subtype != "crossing" else None  # a crossing closes for all
    if _is_title(ctx, sent):
        ev.rules["title"] = "headline"
    if cm is not None:
        ev.count, ev.count_text, ev.rules["count"] = cm.value, cm.text, "count.nearest_people"
        conf += 0.05
    if nats:
        ev.nationalities, ev.rules["nationalities"] = _codes(nats), "countries.sentence"
    _from_earlier_people(ctx, ev, sent, idx)
    if etype == "fine":
        money = _nearest(fines, trig, limit=200)
        if money is not None:
            ev.fine_rub, ev.rules["fine_rub"] = money.value, "numbers.rubles_nearest"
        elif trig.source is not None and trig.source.fine_rub:
            ev.fine_rub, ev.rules["fine_rub"] = trig.source.fine_rub, "similar.previous_sentence"
    if etype == "casualty" and re.search(r"\bRussia(?:n)?\b.{0,20}\b(?:lost|losses)\b|потери российск", sent.text):
        ev.nationalities = ev.nationalities or ["RU"]
    _set_where(ctx, ev, sent, places)
    ev.actors = _actors(sent.text, etype)
    ev.rules["actors"] = "lexicon.sentence"
    fac = _FACILITY.search(sent.text)
    if fac and etype in ("detention", "recruitment_approach", "raid", "deployment", "release"):
        ev.facility, ev.rules["facility"] = fac.group(), "regex.facility"
    if claim:
        ev.claimed_by, ev.rules["claimed_by"] = claim, "regex.attribution"
    ev.confidence = round(min(conf, 0.95), 2)
    return ev


def _is_title(ctx: _Context, sent: Sentence) -> bool:
    """The headline: the first line, its repetitions, or a line marked as a title."""
    first = ctx.sentences[0].text if ctx.sentences else ""
    return sent is ctx.sentences[0] or sent.text == first or "(title from" in sent.text


def _from_earlier_people(ctx: _Context, ev: Event, sent: Sentence, idx: int) -> None:
    """People the sentence only points back to ("Им назначен штраф") are those named just before;
    a figure named before with nationalities keeps them."""
    if ev.count is not None and not ev.nationalities:
        same = _same_figure_nationalities(ctx, idx, ev.count)
        if same:
            ev.nationalities, ev.rules["nationalities"] = same, "countries.same_figure"
    if not ev.nationalities and _BARE_CITIZENS.search(sent.text):
        named = _nationalities_before(ctx, idx)
        if named:
            ev.nationalities, ev.rules["nationalities"] = named, "countries.citizens_before"
    if ev.count is not None or ev.nationalities or not _ANAPHOR.search(sent.text):
        return
    if _ALL.search(sent.text):  # "всем нарушителям": the last whole group, not a part of it
        recent = [g for g in _groups_before(ctx, idx, 4) if not g[3]]
    else:
        recent = _groups_before(ctx, idx, 2)
    if recent:
        ev.count, ev.count_text, nats, _ = recent[-1]
        ev.nationalities = list(nats)
        ev.rules["count"] = ev.rules["nationalities"] = "anaphora.previous_sentence"


def _set_date(ctx: _Context, ev: Event, idx: int, trig: Trigger, dates: list[DateMention]) -> bool:
    """The date nearest the trigger, else the paragraph's last one. False when the event lies
    in the future of the document (a plan, not a happening)."""
    sent = ctx.sentences[idx]
    usable = [x for x in dates if not _is_header_date(x) and not _SPEECH_DATE.search(sent.text[: x.start])
              and (x.end <= trig.start or x.start - trig.end <= _DATE_AFTER)]
    d = _nearest(usable, trig, limit=200)
    rule = "dates.sentence"
    if d is None:
        d = _earlier_date(ctx, idx, same_para=not _CONTINUES.match(sent.text))
        rule = "dates.previous"
    if d is None:
        return True
    if ctx.anchor and d.date_start > ctx.anchor + timedelta(days=1) and not trig.rule.allow_future:
        return False
    ev.date_start, ev.date_end, ev.date_precision = d.date_start, d.date_end, d.precision
    ev.rules["date"] = rule
    return True


# A date far after the trigger belongs to another clause ("closed ... after Finland joined NATO
# earlier this year"); one before it usually frames the whole sentence ("В 2023 году ...").
_DATE_AFTER = 120


def _is_header_date(d: DateMention) -> bool:
    """A bare date line (the publication date) is not the date of a happening."""
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", d.text))


def _set_where(ctx: _Context, ev: Event, sent: Sentence, places: list[_PlaceAt]) -> None:
    etype = ev.event_type
    where = _where_from(places, etype, "gazetteer.sentence")
    elsewhere = bool(_ELSEWHERE.search(sent.text))
    if where is None and elsewhere:
        ev.rules["scope"] = "elsewhere"
    if where is None and etype == "border_event" and _FINLAND.search(sent.text):
        where = _Where(country="FI", rule="lexicon.finland")
    if where is None and not elsewhere:
        previous = ctx.para_places.get(sent.para)
        if _CONTINUES.match(sent.text) or (not previous and _penalty_of_those_before(ctx, ev, sent)):
            previous = ctx.last_places
        if previous:  # the one town the sentence before named is where this one happened too,
            # unless people were sent away from it (to a camp, the front)
            where = _where_from(previous, etype, "gazetteer.previous", with_place=etype != "deployment")
        doc = _doc_where(ctx, etype)
        if where is None or (doc is not None and doc.regions == where.regions and not where.place):
            where = doc or where  # the document's own town, when it is about one
    if where is None:
        where = _Where(country=_default_country(ctx, etype, sent, places), rule="default.country")
    if etype in _RUSSIAN_TYPES and where.country not in (None, "RU"):
        where = _Where(country="RU", rule="default.country")
    ev.country, ev.regions, ev.place = where.country, where.regions, where.place
    ev.lat, ev.lon, ev.geo_precision = where.lat, where.lon, where.geo_precision
    if ev.country and not ev.geo_precision:
        ev.geo_precision = "country"
    ev.rules["place"] = where.rule or ""


# The people a penalty falls on, pointed back to: "Им назначен штраф", "they were fined".
_PENALISED_THEM = re.compile(
    r"(?:^|\s)(?:[Ии]м|[Вв]сем им|иностранцам|мигрантам|нарушителям|осужденным|[Tt]hey were|"
    r"[Tt]he (?:foreigners|migrants|men|detainees) were)(?=[\s,.])"
)


def _penalty_of_those_before(ctx: _Context, ev: Event, sent: Sentence) -> bool:
    """"Иностранцам назначен штраф" a paragraph or two after the court that tried them was named:
    a penalty of the people just named takes the place they were tried in."""
    return (ev.event_type in _PENALTIES and sent.para - ctx.last_places_para <= 2
            and bool(_PENALISED_THEM.search(sent.text)))


def _default_country(ctx: _Context, etype: str, sent: Sentence, places: list[_PlaceAt]) -> str | None:
    if etype in _RUSSIAN_TYPES:
        return "RU"
    if etype != "border_event":
        return None
    if _FINLAND.search(sent.text):
        return "FI"
    named = _country_named(places, sent.text, sent.start)
    if named:
        return named
    # the country the story was last about ("crossed into Kazakhstan ... 98,000 had entered")
    return ctx.last_country or ("FI" if ctx.finland else "RU")


def _doc_where(ctx: _Context, etype: str) -> _Where | None:
    """The document's place when (nearly) all its regional places lie in one region; its town
    only when it names one town."""
    key = "border" if etype == "border_event" else "ru"
    if key not in ctx.doc_where:
        regional = [m for m in ctx.places if m.place.region and _usable(m, etype)]
        ctx.doc_where[key] = None
        if regional:
            top = max({m.place.region for m in regional}, key=lambda r: sum(m.place.region == r for m in regional))
            share = [m for m in regional if m.place.region == top]
            if len(share) == len(regional) or (len(share) >= 3 and len(share) >= 0.75 * len(regional)):
                towns = {m.place.name for m in share if m.place.kind == "settlement"}
                ctx.doc_where[key] = _where_from(share, etype, "gazetteer.document", with_place=len(towns) == 1)
            elif _within_district(ctx.doc.text, {m.place.region for m in regional if m.place.region}):
                # every place lies in the one border district the document names
                ctx.doc_where[key] = _where_from(regional, etype, "gazetteer.document", with_place=False)
    return ctx.doc_where[key]


# Every pattern of this module behind its first-letter look-ahead (`triggers.guarded`: the same
# matches, found faster where re would try each branch at every position).
_CLAIM_PATTERNS = tuple(map(T.guarded, _CLAIM_PATTERNS))
_BORDER_DISTRICTS = tuple((T.guarded(p), codes) for p, codes in _BORDER_DISTRICTS)
for _name, _value in list(globals().items()):
    if isinstance(_value, re.Pattern):
        globals()[_name] = T.guarded(_value)
del _name, _value
