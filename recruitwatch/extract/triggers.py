"""Trigger rules for news events: which words, in Russian and English, say that an event of
each contract type happened.

Russian rules are regular expressions over the sentence's *lemma string* (each word replaced by
its pymorphy3 normal form, "ё" as "е", joined by single spaces), so one rule covers every
inflection: "задержали", "задержано", "задержанных" are all "задержать". English rules are
regular expressions over the sentence itself, with the inflections spelled out.

Each rule says whether an infinitive or a future form still states a fact: "суд постановил
выдворить" and "will be expelled" are expulsion orders (the order is the event, contract rule 4),
while "чтобы поставить на учёт" or "plans to reopen" are not events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as C  # type: ignore[attr-defined]  # the parser's opcodes (first-letter guard)
from typing import Any

from recruitwatch.models import EVENT_TYPES

__all__ = ["EVENT_TYPES", "RULES", "Rule"]

# A gap of up to N words in a lemma string.
_G2 = r"(?: \S+){0,2}"
_G3 = r"(?: \S+){0,3}"
_G4 = r"(?: \S+){0,4}"
_G6 = r"(?: \S+){0,6}"

# English: up to N words between two parts of a trigger.
_E3 = r"(?:\s+[\w’'\"“”-]+){0,3}?"
_E6 = r"(?:\s+[\w’'\"“”-]+){0,6}?"


@dataclass(frozen=True)
class Rule:
    name: str
    event_type: str
    pattern: re.Pattern[str]
    lang: str  # "ru" (over lemmas) | "en" (over text)
    allow_inf: bool = False  # an infinitive still states the event
    allow_future: bool = False  # a future form still states the event
    confidence: float = 0.7
    subtype: str = ""  # happenings of one type that are never one event ("closed" vs "arrived")
    needs: re.Pattern[str] | None = None  # the sentence must also match this (lemmas / text)
    vetoes: re.Pattern[str] | None = None  # ... and must not match this

    @property
    def folded(self) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]:
        """pattern, needs, vetoes for a lower-cased text (see `fold`)."""
        return _FOLDED[self.name]

    @property
    def fast(self) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]:
        """pattern, needs, vetoes of a Russian rule, each behind its first-letter look-ahead."""
        return _FAST_RU[self.name]


def _rule(name: str, event_type: str, pattern: str, lang: str, *, needs: str | None = None,
          vetoes: str | None = None, allow_inf: bool = False, allow_future: bool = False,
          subtype: str = "") -> Rule:
    # Russian rules read lemmas (lower case already); English ones read the text in any case.
    flags = 0 if lang == "ru" else re.IGNORECASE
    return Rule(
        name, event_type, re.compile(pattern, flags), lang, allow_inf=allow_inf, allow_future=allow_future,
        subtype=subtype, needs=re.compile(needs, flags) if needs else None,
        vetoes=re.compile(vetoes, flags) if vetoes else None,
    )


def _ru(name: str, event_type: str, pattern: str, **kw: Any) -> Rule:
    return _rule(name, event_type, pattern, "ru", **kw)


def _en(name: str, event_type: str, pattern: str, **kw: Any) -> Rule:
    return _rule(name, event_type, pattern, "en", **kw)


_RU_FACILITY = r"(?:цвсиг|сувсиг|спецприемник|изолятор|спецучреждение|центр временный содержание|центр содержание)"
_RU_PEOPLE = r"(?:мигрант|иностранец|нелегал|гражданин|человек|уклонист|мужчина|работник|рабочий|нарушитель)"
_RU_FRONT = (
    r"(?:фронт|сво|война|передовой|передовая|зона|часть|полигон|лагерь|служба|донбасс|украина|"
    r"воевать|бой|штурмовой)"
)
_RU_BORDER = r"(?:граница|кпп|пропуск|погранпереход|переход|пункт)"
_WAR_CONTEXT_RU = (
    r"(?:фронт|война|бой|сво|спецоперация|украина|армия|граница|спецприемник|цвсиг|изолятор|"
    r"заключение|колония|военный)"
)
_WAR_CONTEXT_EN = (
    r"\b(?:front|war|fighting|fight|combat|battle|onslaught|ukraine|army|smo|special military operation|"
    r"custody|detention|border|froze|frozen)"
)
_TERROR = r"\b(?:attack|terror\w*|gunm[ae]n|shooting|concert|теракт\w*|нападени\w*|стрельб\w*)"
_EN_MILITARY = (
    r"\b(?:contracts?|army|military|war|front|service|job for the state|fight|soldiers?|"
    r"ministry of defen[cs]e)\b"
)
_RU_MILITARY = r"(?:контракт|служба|война|фронт|сво|армия|минобороны|воевать|военный|доброволец)"

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- detention
    _ru("ru.detain", "detention", r"\b(?:задержать|задерживать|задержание|арестовать|арест)\b",
        vetoes=r"\bадминистративный арест\b"),
    _ru("ru.placed_in_facility", "detention",
        rf"\b(?:поместить|помещать|помещение|содержать|содержание|держать|находиться|водворить|"
        rf"продлевать|продлить|продление)\b{_G6} {_RU_FACILITY}",
        allow_future=True),
    _ru("ru.facility_held", "detention", rf"\b{_RU_FACILITY}{_G3} (?:держать|содержать|поместить|помещать)\b"),
    _ru("ru.taken_to_police", "detention",
        rf"\b(?:доставить|доставлять|препроводить|увезти|отвезти){_G4} (?:в )?(?:полиция|"
        rf"отдел полиция|отделение|участок|оп|овд|омвд)\b"),
    _ru("ru.custody", "detention", r"\b(?:взять|заключить|содержаться|находиться) под стража\b"),
    _en("en.arrest", "detention",
        r"\b(?:arrest(?:ed|s)|detain(?:ed|s)?|rounded up|taken into custody|held in custody|jailed|locked up|"
        r"apprehended|remanded in custody)\b"),
    _en("en.taken_to_police", "detention",
        r"\b(?:taken|brought|delivered|driven) to (?:the |a )?police (?:stations?|departments?|precincts?)\b"),
    _en("en.sent_to_facility", "detention",
        rf"\b(?:sent|ordered to go|taken|placed|moved|transferred|held|kept|put){_E3} (?:to|in|into|"
        rf"at) (?:the |a )?(?:\w+ ){{0,3}}?(?:detention cent(?:er|re)s?|detention facilit(?:y|ies)|"
        rf"pre-deportation cent(?:er|re)s?)\b",
        allow_inf=True),
    # ---------------------------------------------------------------- fine
    _ru("ru.fine", "fine", r"\b(?:оштрафовать|штраф\w*|штрафовать)\b",
        vetoes=r"\b(?:предусматривать|грозить|влечь|наказываться|предусмотренный)\b"),
    _en("en.fine", "fine",
        r"\b(?:fined|sentenced to (?:a |the )?fines?|pay (?:a |the )?fines?|fines? of|(?:a |"
        r"the )?fine (?:in the amount|amounting))\b",
        vetoes=r"\b(?:punishable|provides? for|carr(?:y|ies)|faces? up to|can be fined|could be fined|may be fined)\b"),
    # ---------------------------------------------------------------- expulsion order
    _ru("ru.expel", "expulsion_order",
        r"\b(?:выдворить|выдворять|выдворение|выдворенный|депортировать|депортация|выслать|высылать|"
        r"высылка|выдворяться)\b",
        allow_inf=True, allow_future=True),
    _en("en.deport", "expulsion_order",
        r"\b(?:deport(?:ed|s|ing)?|expel(?:led|s|ling)?|expulsions?|deportations?|expulsion orders?|"
        r"removal orders?|ordered to leave)\b",
        allow_inf=True, allow_future=True),
    # ---------------------------------------------------------------- recruitment approach
    _ru("ru.recruit", "recruitment_approach", r"\b(?:вербовать|вербовка|завербовать|завербовывать)\b"),
    _ru("ru.press", "recruitment_approach",
        rf"\b(?:предлагать|предложить|убеждать|убедить|уговаривать|уговорить|склонять|склонить|"
        rf"принуждать|принудить|заставлять|заставить|вынуждать|вынудить|агитировать|агитация|"
        rf"угрожать|запугивать|обещать|пообещать|давить){_G6} {_RU_MILITARY}\b"),
    _ru("ru.until_sign", "recruitment_approach", r"\bпока\b(?: \S+){0,3} не подписать контракт\b", allow_future=True),
    _en("en.recruit", "recruitment_approach",
        r"\b(?:recruit(?:s|ed|ing)|lur(?:es|ed|ing)|mislead(?:s|ing)?|misled|coerc(?:ed|ing)|"
        r"pressured|pressed|pressuring|approached|persuad(?:ed|ing)|forced into signing|"
        r"visited by (?:the )?(?:military|recruiters))\b",
        vetoes=r"\bto (?:recruit|lure)\b(?!.*\b(?:recruiting|recruited|approached|pressured)\b)"),
    _en("en.offer", "recruitment_approach",
        r"\b(?:offer(?:ed|ing)|promis(?:ed|ing)|urg(?:ed|ing))\b", needs=_EN_MILITARY),
    # ---------------------------------------------------------------- contract signed
    _ru("ru.sign", "contract_signed", r"\b(?:подписать|заключить|подписывать|заключать)\b(?: \S+){0,3} контракт\b"),
    _ru("ru.sign_rev", "contract_signed", r"\bконтракт\b(?: \S+){0,2} (?:подписать|заключить)\b",
        vetoes=r"\bпока\b(?: \S+){0,3} не подписать"),
    _en("en.sign", "contract_signed",
        rf"\b(?:signed|signs){_E3} (?:contracts?|offers?|agreements?|papers)\b|\bsigned up\b|\benlisted\b"),
    # ---------------------------------------------------------------- deployment
    _ru("ru.send_front", "deployment",
        rf"\b(?:отправить|отправлять|направить|направлять|перебросить|забрать|увезти|вывезти|выехать|"
        rf"уехать|отправиться|попасть|погнать|отвезти|доставить){_G3} (?:на |"
        rf"в )?(?:зона )?{_RU_FRONT}\b",
        vetoes=r"\b(?:военкомат|комиссариат|учет)\b"),
    _en("en.send_front", "deployment",
        rf"\b(?:sent|send|sends|sending|transported|rushed|deployed|dispatched|transferred|moved|"
        rf"taken|went|go|goes){_E6} (?:to|into) (?:the )?(?:fight|the front|front ?lines?|the war|"
        rf"war|a military camp|military camps?|the military barracks|military barracks|barracks|"
        rf"training camps?|a training camp|combat|the zone of the|the special military operation|"
        rf"the smo|smo|the occupied|occupied|most dangerous areas)\b"),
    _en("en.on_front", "deployment",
        r"\b(?:are|were) (?:now |already )?on the front ?lines?\b|\bsent to the frontlines\b"),
    # ---------------------------------------------------------------- raid
    _ru("ru.raid", "raid", r"\b(?:рейд|облава|зачистка|рейдовый)\b",
        vetoes=r"\bпосле рейд\b"),
    _ru("ru.operation", "raid",
        r"\b(?:профилактический|проверочный|рейдовый) мероприятие\b"),
    _ru("ru.check", "raid",
        rf"\b(?:проверить|проверять|проверка|проверяться|выявить|выявлять|найти|"
        rf"обнаружить){_G3} (?:документ|паспорт|мигрант|иностранец|нелегал|гражданин|человек|"
        rf"уклонист|стройка|рынок|общежитие|овощебаза|торговый|транспорт)\b",
        vetoes=r"\b(?:у который после проверка|выявить нарушение)\b"),
    _en("en.raid", "raid",
        r"\b(?:raid(?:s|ed|ing)?|round-?ups?|document checks|checked (?:the )?documents|searched|"
        r"hunt(?:ed|ing)? (?:for|down)|inspections? of (?:migrants|workers|markets|dormitories|construction sites))\b",
        vetoes=r"\bto (?:conduct|carry out|hold|stage) (?:\w+ ){0,2}raids?\b"),
    _en("en.identify", "raid",
        r"\b(?:identified|caught|uncovered|tracked down)\s+(?:more than |over |about |around |"
        r"almost |nearly )?[\d,.]+(?:\s+\w+){0,3}?\s+(?:migrants|people|foreigners|citizens|"
        r"draft dodgers|men)\b"),
    # ---------------------------------------------------------------- draft notice
    _ru("ru.summons", "draft_notice", r"\bповестка\b"),
    _ru("ru.register", "draft_notice",
        r"\b(?:поставить|ставить|встать|вставать|постановка)\b(?: \S+){0,3} (?:на )?(?:воинский )?учет\b"),
    _ru("ru.register_rev", "draft_notice",
        r"\bна (?:воинский )?учет(?: \S+){0,3} (?:поставить|ставить|встать|вставать)\b"),
    _ru("ru.to_office", "draft_notice",
        rf"\b(?:доставить|доставлять|препроводить|отправить|отправлять|привезти|отвезти|направить|"
        rf"сопроводить|забирать|забрать|везти){_G4} (?:в )?(?:районный |военный )?(?:военкомат|"
        rf"комиссариат|призывной пункт)\b"),
    _en("en.summons", "draft_notice",
        r"\b(?:draft (?:calls?|notices?|papers|summons(?:es)?)|summons(?:es)?|call-up (?:papers|notices)|"
        r"conscription (?:notices?|papers))\b"),
    _en("en.to_office", "draft_notice",
        r"\b(?:escorted|taken|brought|sent|delivered|driven)(?:\s+\w+){0,3}?\s+to (?:the |"
        r"a )?(?:military (?:commissariats?|enlistment offices?|"
        r"registration (?:and enlistment )?offices?|recruitment (?:centres?|centers?|offices?))|"
        r"enlistment offices?|draft offices?)\b"),
    _en("en.registered", "draft_notice",
        r"\b(?:registered for military service|put on the military regist(?:er|ry)|registered with the military)\b"),
    # ---------------------------------------------------------------- citizenship action
    _ru("ru.strip", "citizenship_action",
        r"\b(?:лишить|лишать|лишение|прекратить|прекращение|аннулировать|аннулирование|"
        r"отозвать)\b(?: \S+){0,3} гражданство\b"),
    _ru("ru.grant", "citizenship_action",
        r"\b(?:получить|выдать|предоставить|"
        r"дать)\b(?: \S+){0,3} гражданство\b(?: \S+){0,5} (?:в обмен|за участие|за служба)\b"),
    _en("en.strip", "citizenship_action",
        r"\b(?:stripped of|revoked|deprived of)(?:\s+\w+){0,2}\s+citizenship\b|"
        r"\bcitizenship (?:was |were |has been |have been )?(?:revoked|stripped|annulled)\b"),
    _en("en.grant", "citizenship_action",
        r"\b(?:granted|given|received|obtained)\s+(?:\w+\s+){0,2}citizenship\s+(?:in exchange for|for (?:their |his )?"
        r"(?:service|serving|fighting))"),
    # ---------------------------------------------------------------- border event
    _ru("ru.close_border", "border_event",
        rf"\b(?:закрыть|закрывать|закрытие|открыть|открывать|открытие|возобновить){_G4} {_RU_BORDER}\b",
        subtype="crossing"),
    _ru("ru.border_closed", "border_event", rf"\b{_RU_BORDER}{_G3} (?:закрыть|закрытый|открыть|открытый)\b",
        subtype="crossing"),
    _ru("ru.arrive", "border_event",
        r"\b(?:прибыть|прибывать|приехать|приезжать|скопиться|скапливаться|собраться|пересечь|"
        r"пересекать|ожидать|ждать)\b",
        needs=r"\b(?:граница|финляндия|кпп|пропуск|пограничный)\b",
        vetoes=r"\bкоторый (?:прибыть|приехать)\b", subtype="arrival"),
    _en("en.close_border", "border_event",
        rf"\b(?:clos(?:ed|es|ing|ure)|shut(?:s|ting)?|reopen(?:ed|s|ing)?|opened|"
        rf"opens)\b{_E6} (?:border|crossings?|checkpoints?|crossing points?)\b",
        subtype="crossing"),
    _en("en.border_closed", "border_event",
        r"\b(?:border|crossings?|checkpoints?)(?:\s+\w+){0,3}?\s+(?:(?:was|were|has been|have been|"
        r"are|is) )?(?:closed|shut|reopened)\b|\bdecided to close\b",
        subtype="crossing"),
    _en("en.arrive", "border_event",
        r"\b(?:arriv(?:ed|ing)|came|crossed|entered|reached|amassed|gathered|waiting to cross|"
        r"attempt(?:ed)? to (?:illegally )?cross)\b|\b(?:seekers|migrants|people|refugees|"
        r"individuals|persons) crossing\b",
        needs=r"\b(?:border|asylum|checkpoints?|crossings?|finland|country)\b",
        vetoes=r"\bwho (?:arrived|came)\b", subtype="arrival"),
    # ---------------------------------------------------------------- casualty
    _ru("ru.killed", "casualty",
        r"\b(?:погибнуть|гибель|убить|умереть|смерть|потеря|потерять|замерзнуть|скончаться)\b",
        needs=_WAR_CONTEXT_RU, vetoes=_TERROR),
    _en("en.killed", "casualty",
        r"\b(?:killed|died|perished|lost|losses|casualties|froze to death)\b", needs=_WAR_CONTEXT_EN, vetoes=_TERROR),
    _en("en.deaths", "casualty", r"\bdeaths? of\b", vetoes=_TERROR),
    # ---------------------------------------------------------------- release
    _ru("ru.release", "release", r"\b(?:освободить|освободиться|освобождение|выпустить|отпустить)\b"),
    _en("en.release", "release", r"\b(?:released|freed|set free)\b", vetoes=r"\bnumber of \w+ released\b"),
)



def fold(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern as a case-sensitive one for lower-cased text: Python's re
    skips its literal-prefix and charset speed-ups under IGNORECASE, so an alternation of
    words over `text.lower()` runs two to five times faster. Valid because the English
    patterns use no upper-case escapes (\\S, \\W, \\B, \\D), which lower-casing would invert."""
    source = pattern.pattern
    assert not re.search(r"\\[A-Z]|\(\?P", source), source
    return re.compile(source.lower(), pattern.flags & ~re.IGNORECASE)


_FOLDED: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]] = {
    r.name: (fold(r.pattern), r.needs and fold(r.needs), r.vetoes and fold(r.vetoes))
    for r in RULES if r.lang == "en"
}

RU_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.lang == "ru")
EN_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.lang == "en")

# One pass per language says whether a sentence has any trigger at all (most have none).
ANY_EN = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in RULES if r.lang == "en"), re.IGNORECASE)
ANY_EN_FOLDED = fold(ANY_EN)  # over the lower-cased sentence
ANY_RU = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in RULES if r.lang == "ru"))

# A sentence about what a law allows or provides states no event (contract rule 1).
LAW_PROVISION = re.compile(
    r"(?=.*\b(?:legislation|law|bill|decree|amendments?|закон\w*|законопроект\w*|указ\w*|поправк\w*)\b)"
    r"(?=.*\b(?:allow\w*|establish\w*|provid\w*|permit\w*|introduc\w*|предусматрива\w*|позволя\w*|"
    r"разреша\w*|ввод\w*|устанавлива\w*)\b)",
    re.IGNORECASE | re.DOTALL,
)

# Words that, a few words before a trigger, make it something that did not happen.
NEGATION_EN = re.compile(
    r"\b(?:not|no|never|nobody|none|without|failed|fail|fails|failing|refuse[sd]?|refusing|yet to|"
    r"avoid|avoiding|fear(?:ing|ed)?|face[sd]?|facing|threat|risk|whether|if|unless|"
    r"will|would|could|might|may|should|shall|can|cannot|plans?|planned|planning|intends?|intended|"
    r"aims?|expected|going to|wants?|hopes?|allowing|allows?|instead|despite|allegations?|accusations?|"
    r"legislation|law|bill|proposed|threatens?|threatened|destined|pre|prior)\b|n't\b",
    re.IGNORECASE,
)
# A clause saying it is not known whether something happened.
UNKNOWN_EN = re.compile(
    r"\b(?:did not|didn't|does not|doesn't|do not) (?:say|specify|know|confirm|disclose)\b|\bwhether\b|"
    r"\b(?:it is|it's|it was) (?:not|un)clear\b|\bunknown\b",
    re.IGNORECASE,
)

# ... for rules that allow the future ("will be expelled"): only real negation and avoidance.
NEGATION_EN_STRICT = re.compile(
    r"\b(?:not|no|never|nobody|none|without|failed|avoid|avoiding|fear(?:ing|ed)?|face[sd]?|facing|"
    r"threat|risk|whether|if|unless|allowing|allows?|legislation|law|instead|despite|"
    r"pre|prior|destined|regime|escape|evade|evading)\b|n't\b",
    re.IGNORECASE,
)
NEGATION_RU = frozenset(
    "не нет ни никто никогда без если чтобы планировать намереваться собираться мочь хотеть должный "
    "исключать угроза пытаться попытка возможность избежать избегать опасаться бояться грозить "
    "закон законопроект предусматривать право режим".split()
)
NEGATION_RU_STRICT = frozenset(
    "не нет ни никто никогда без если избежать избегать опасаться бояться грозить угроза закон "
    "законопроект предусматривать режим".split()
)


# ---------------------------------------------------------------- first-letter guard

def _first_chars(ops: Any) -> list[str] | None:
    """Charset items one of which every match of the parsed pattern `ops` starts with; None when
    that cannot be told (a match may be empty, or start with any character)."""
    found = _firsts(ops)
    return found[0] if found is not None and not found[1] else None


def _firsts(ops: Any) -> tuple[list[str], bool] | None:
    """(charset items the first character of a match is one of, whether a match may be empty)
    for a sequence of parsed items; None when that cannot be told."""
    out: list[str] = []
    for op, av in ops:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # zero-width: the next item holds the first character
            continue
        one = _firsts_of(op, av)
        if one is None:
            return None
        out += one[0]
        if not one[1]:
            return out, False
    return out, True


def _firsts_of(op: Any, av: Any) -> tuple[list[str], bool] | None:
    if op is C.LITERAL:
        return [_escaped(av)], False
    if op is C.IN:
        out = []
        for item_op, item in av:
            if item_op is C.LITERAL:
                out.append(_escaped(item))
            elif item_op is C.RANGE:
                out.append(f"{_escaped(item[0])}-{_escaped(item[1])}")
            elif item_op is C.CATEGORY and item in _CATEGORIES:
                out.append(_CATEGORIES[item])
            else:
                return None
        return out, False
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _firsts(sub)
    if op is C.ATOMIC_GROUP:
        return _firsts(av)
    if op is C.BRANCH:
        items: list[str] = []
        empty = False
        for alt in av[1]:
            one = _firsts(alt)
            if one is None:
                return None
            items += one[0]
            empty = empty or one[1]
        return items, empty
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        one = _firsts(av[2])
        return None if one is None else (one[0], one[1] or av[0] == 0)
    return None


def _scanned_fast(ops: Any) -> bool:
    """Whether re finds the pattern's first character by itself (a literal, a set, or a branch
    of literals first; see re._compiler._get_charset_prefix): a look-ahead would only slow it."""
    while ops and ops[0][0] is C.SUBPATTERN and not ops[0][1][1] and not ops[0][1][2]:
        ops = ops[0][1][3]
    if not ops:
        return False
    op, av = ops[0]
    if op is C.BRANCH:
        return all(alt and alt[0][0] is C.LITERAL for alt in av[1])
    return op in (C.LITERAL, C.IN)


def _escaped(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _categories() -> dict[Any, str]:
    return {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
            C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}


_CATEGORIES = _categories()


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern (same matches, groups and flags) behind a one-character look-ahead on
    the characters its matches can start with. Python's re tries every branch of an alternation
    at every position, and skips its own first-character scan when the pattern starts with
    `\\b`; the look-ahead rejects most positions in one test, about twice as fast. A pattern
    whose first character cannot be told comes back as it is."""
    from re import _parser  # type: ignore[attr-defined]

    if pattern in _GUARDED:
        return pattern
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags & ~re.DEBUG)
        first = _first_chars(parsed)
        if not first or (not pattern.flags & re.IGNORECASE and _scanned_fast(parsed)):
            return pattern
        out = re.compile(f"(?=[{''.join(first)}])(?:{pattern.pattern})", pattern.flags)
    except (re.error, TypeError, ValueError, AttributeError):
        return pattern
    _GUARDED.add(out)
    return out


_GUARDED: set[re.Pattern[str]] = set()  # what `guarded` made: guarding it again adds nothing


def _guarded_all(patterns: tuple[re.Pattern[str] | None, ...]) -> Any:
    return tuple(p and guarded(p) for p in patterns)


# The patterns the news rules run: the same, behind the look-ahead (built once, here).
_FOLDED = {name: _guarded_all(folded) for name, folded in _FOLDED.items()}
_FAST_RU = {r.name: _guarded_all((r.pattern, r.needs, r.vetoes)) for r in RU_RULES}
ANY_EN_FAST = guarded(ANY_EN)
ANY_EN_FOLDED_FAST = guarded(ANY_EN_FOLDED)
ANY_RU_FAST = guarded(ANY_RU)


# ---------------------------------------------------------------- which rules to try

def _literal_prefixes(ops: Any) -> list[str] | None:
    """The literal texts one of which every match of the parsed pattern starts with (after
    zero-width assertions); None when some match may start otherwise."""
    i = 0
    while i < len(ops) and ops[i][0] in (C.AT, C.ASSERT, C.ASSERT_NOT):
        i += 1
    chars = []
    while i < len(ops) and ops[i][0] is C.LITERAL:
        chars.append(chr(ops[i][1]))
        i += 1
    if chars:
        return ["".join(chars)]
    if i == len(ops):
        return None
    op, av = ops[i]
    if op is C.SUBPATTERN and not av[1] and not av[2]:
        return _literal_prefixes(av[3])
    if op is C.BRANCH:
        out: list[str] = []
        for alt in av[1]:
            prefixes = _literal_prefixes(alt)
            if not prefixes:
                return None
            out += prefixes
        return out
    return None


def _trie(words: set[str]) -> str:
    """A regex matching the longest of `words` that stands at a position, one character at a
    time (an alternation of many words would try each of them at every position)."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def prefix_hint(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A quick pattern that finds nothing where `pattern` finds nothing: the literal words every
    match of it starts with (None when some match may start otherwise)."""
    from re import _parser  # type: ignore[attr-defined]

    if pattern.flags & re.IGNORECASE:
        return None
    prefixes = _literal_prefixes(_parser.parse(pattern.pattern, pattern.flags))
    return re.compile(_trie(set(prefixes))) if prefixes else None


class RuleIndex:
    """The rules a text may trigger, told by one scan for their first literal words: every
    match of a rule's pattern starts with one of its prefixes ("arrest", "detain", "задерж"),
    so a rule none of whose prefixes stands in the text need not be searched. Rules come back
    in their order; the result is the same as trying every rule."""

    def __init__(self, rules: tuple[Rule, ...], patterns: list[re.Pattern[str]]) -> None:
        from re import _parser  # type: ignore[attr-defined]

        self.rules = rules
        self._always: set[str] = set()
        self._prefixes: dict[str, list[str]] = {}
        for rule, pattern in zip(rules, patterns, strict=True):
            prefixes = None if pattern.flags & re.IGNORECASE else _literal_prefixes(_parser.parse(pattern.pattern))
            if prefixes:
                self._prefixes[rule.name] = prefixes
            else:
                self._always.add(rule.name)
        # at each position the longest prefix standing there, which has every shorter one
        # standing there as its own prefix
        self._scan = re.compile(_trie({p for ps in self._prefixes.values() for p in ps}))
        self._cache: dict[frozenset[str], tuple[Rule, ...]] = {}

    def candidates(self, text: str) -> tuple[Rule, ...]:
        hits = set()
        search, pos = self._scan.search, 0
        while (m := search(text, pos)) is not None:
            hits.add(m.group())
            pos = m.start() + 1
        key = frozenset(hits)
        out = self._cache.get(key)
        if out is None:
            out = tuple(r for r in self.rules if r.name in self._always
                        or any(h.startswith(p) for p in self._prefixes[r.name] for h in hits))
            if len(self._cache) < 10_000:
                self._cache[key] = out
        return out


RU_INDEX = RuleIndex(RU_RULES, [r.pattern for r in RU_RULES])
EN_INDEX = RuleIndex(EN_RULES, [fold(r.pattern) for r in EN_RULES])  # over the lower-cased text
