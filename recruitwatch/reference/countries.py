"""Nationalities in Russian and English text, as ISO 3166-1 alpha-2 codes.

Three kinds of mention:
- demonym nouns ("сомалиец" in any case, "Somalis", "Uzbeks"): a nationality by themselves;
- demonym adjectives ("Somali man", "таджикские мигранты"): only before a word for people,
  because "the Ukrainian border" or "Finnish authorities" say nothing about anyone's citizenship;
- country names ("гражданина Республики Сомали", "граждан КНР", "migrants from Somalia"): only
  after a word for citizens or natives, or "from" after a word for people.
A list ("from Somalia, Arab countries, and Cuba") takes its context from its first member.
Vague groups ("Arab countries", "выходцы из Средней Азии") are not coded.
Statelessness ("лицо без гражданства", "stateless") is coded XX, the ICAO code for it.

Country names come from pycountry (English, and Russian through its bundled translations);
demonyms from the tables below. Russian words are matched by their pymorphy3 lemmas.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import pycountry

from recruitwatch.reference.morph import WORD_CACHE_SIZE, lemma, lemmas


@dataclass(frozen=True)
class NationalityMention:
    start: int
    end: int
    text: str
    code: str


STATELESS = "XX"

# ---------------------------------------------------------------- tables

# English demonyms: "singular[/plural]" -> code.  Singular forms are adjectives too.
_EN_DEMONYMS = {
    "somali/somalis": "SO", "somalian/somalians": "SO", "cuban/cubans": "CU", "iraqi/iraqis": "IQ",
    "syrian/syrians": "SY", "indian/indians": "IN", "uzbek/uzbeks": "UZ", "uzbekistani": "UZ",
    "tajik/tajiks": "TJ", "tajikistani": "TJ", "kyrgyz/kyrgyzs": "KG", "kirghiz": "KG",
    "kazakh/kazakhs": "KZ", "kazakhstani": "KZ", "turkmen/turkmens": "TM", "afghan/afghans": "AF",
    "afghani": "AF", "chinese": "CN", "vietnamese": "VN", "egyptian/egyptians": "EG",
    "moroccan/moroccans": "MA", "yemeni/yemenis": "YE", "eritrean/eritreans": "ER",
    "ethiopian/ethiopians": "ET", "nigerian/nigerians": "NG", "pakistani/pakistanis": "PK",
    "bangladeshi/bangladeshis": "BD", "nepali/nepalis": "NP", "nepalese": "NP",
    "sri lankan/sri lankans": "LK", "kenyan/kenyans": "KE", "sudanese": "SD",
    "turkish": "TR", "turk/turks": "TR", "iranian/iranians": "IR", "jordanian/jordanians": "JO",
    "lebanese": "LB", "palestinian/palestinians": "PS", "algerian/algerians": "DZ",
    "tunisian/tunisians": "TN", "libyan/libyans": "LY", "ukrainian/ukrainians": "UA",
    "belarusian/belarusians": "BY", "moldovan/moldovans": "MD", "armenian/armenians": "AM",
    "azerbaijani/azerbaijanis": "AZ", "azeri/azeris": "AZ", "georgian/georgians": "GE",
    "russian/russians": "RU", "finnish": "FI", "finn/finns": "FI", "cameroonian/cameroonians": "CM",
    "ghanaian/ghanaians": "GH", "congolese": "CD", "senegalese": "SN", "guinean/guineans": "GN",
    "malian/malians": "ML", "indonesian/indonesians": "ID", "filipino/filipinos": "PH",
    "nepal": "NP", "colombian/colombians": "CO", "venezuelan/venezuelans": "VE",
    "brazilian/brazilians": "BR", "mexican/mexicans": "MX", "serbian/serbians": "RS",
    "serb/serbs": "RS", "north korean/north koreans": "KP", "south korean/south koreans": "KR",
    "saudi/saudis": "SA", "emirati/emiratis": "AE", "rwandan/rwandans": "RW",
    "ugandan/ugandans": "UG", "zambian/zambians": "ZM", "zimbabwean/zimbabweans": "ZW",
    "burundian/burundians": "BI", "togolese": "TG", "ivorian/ivorians": "CI",
    "sierra leonean/sierra leoneans": "SL", "burkinabe": "BF", "chadian/chadians": "TD",
    "nigerien/nigeriens": "NE", "mongolian/mongolians": "MN", "burmese": "MM",
    "thai": "TH", "laotian/laotians": "LA", "cambodian/cambodians": "KH", "polish": "PL",
    "pole/poles": "PL", "latvian/latvians": "LV", "lithuanian/lithuanians": "LT",
    "estonian/estonians": "EE", "german/germans": "DE", "french": "FR", "british": "GB",
    "american/americans": "US", "israeli/israelis": "IL", "kuwaiti/kuwaitis": "KW",
    "omani/omanis": "OM", "qatari/qataris": "QA", "bahraini/bahrainis": "BH",
    "tanzanian/tanzanians": "TZ", "mozambican/mozambicans": "MZ", "angolan/angolans": "AO",
    "south african/south africans": "ZA", "gabonese": "GA", "beninese": "BJ",
    "liberian/liberians": "LR", "gambian/gambians": "GM", "mauritanian/mauritanians": "MR",
    "djiboutian/djiboutians": "DJ", "haitian/haitians": "HT", "peruvian/peruvians": "PE",
    "dominican/dominicans": "DO", "ecuadorian/ecuadorians": "EC", "bolivian/bolivians": "BO",
    "abkhaz": "GE", "chechen/chechens": "RU",
}

# Russian demonym nouns (lemmas): a nationality by themselves, in any case and number.
_RU_NOUNS = {
    "сомалиец": "SO", "сомалийка": "SO", "кубинец": "CU", "кубинка": "CU", "иракец": "IQ",
    "иракчанин": "IQ", "сириец": "SY", "сирийка": "SY", "индиец": "IN", "индийка": "IN",
    "индус": "IN", "узбек": "UZ", "узбечка": "UZ", "таджик": "TJ", "таджичка": "TJ",
    "киргиз": "KG", "кыргыз": "KG", "киргизка": "KG", "казах": "KZ", "казашка": "KZ",
    "туркмен": "TM", "туркменка": "TM", "афганец": "AF", "афганка": "AF", "китаец": "CN",
    "китаянка": "CN", "вьетнамец": "VN", "вьетнамка": "VN", "египтянин": "EG",
    "египтянка": "EG", "марокканец": "MA", "марокканка": "MA", "йеменец": "YE",
    "эритреец": "ER", "эфиоп": "ET", "нигериец": "NG", "пакистанец": "PK", "бангладешец": "BD",
    "непалец": "NP", "шриланкиец": "LK", "кениец": "KE", "суданец": "SD", "турок": "TR",
    "турчанка": "TR", "иранец": "IR", "иорданец": "JO", "ливанец": "LB", "палестинец": "PS",
    "алжирец": "DZ", "тунисец": "TN", "ливиец": "LY", "украинец": "UA", "украинка": "UA",
    "белорус": "BY", "белоруска": "BY", "молдаванин": "MD", "молдавен": "MD", "молдаванка": "MD",
    "армянин": "AM", "армянка": "AM", "азербайджанец": "AZ", "азербайджанка": "AZ",
    "грузин": "GE", "грузинка": "GE", "финн": "FI", "финка": "FI", "камерунец": "CM",
    "индонезиец": "ID", "сенегалец": "SN", "гвинеец": "GN", "малиец": "ML", "конголезец": "CD",
    "ганец": "GH", "россиянин": "RU", "россиянка": "RU", "колумбиец": "CO", "венесуэлец": "VE",
    "бразилец": "BR", "мексиканец": "MX", "серб": "RS", "кореец": "KR", "монгол": "MN",
    "саудовец": "SA", "руандиец": "RW", "угандиец": "UG", "замбиец": "ZM", "зимбабвиец": "ZW",
    "бурундиец": "BI", "тоголезец": "TG", "ивуариец": "CI", "чадец": "TD", "мьянманец": "MM",
    "таец": "TH", "лаосец": "LA", "камбоджиец": "KH", "поляк": "PL", "латыш": "LV",
    "литовец": "LT", "эстонец": "EE", "немец": "DE", "француз": "FR", "британец": "GB",
    "американец": "US", "израильтянин": "IL", "танзаниец": "TZ", "гаитянин": "HT",
    "перуанец": "PE", "доминиканец": "DO", "эквадорец": "EC", "боливиец": "BO",
    "абхаз": "GE", "чеченец": "RU",
}

# Russian demonym adjectives (lemmas): only before a word for people.
_RU_ADJECTIVES = {
    "сомалийский": "SO", "кубинский": "CU", "иракский": "IQ", "сирийский": "SY",
    "индийский": "IN", "узбекский": "UZ", "узбекистанский": "UZ", "таджикский": "TJ",
    "таджикистанский": "TJ", "киргизский": "KG", "кыргызский": "KG", "казахский": "KZ",
    "казахстанский": "KZ", "туркменский": "TM", "афганский": "AF", "китайский": "CN",
    "вьетнамский": "VN", "египетский": "EG", "марокканский": "MA", "йеменский": "YE",
    "эритрейский": "ER", "эфиопский": "ET", "нигерийский": "NG", "пакистанский": "PK",
    "непальский": "NP", "кенийский": "KE", "суданский": "SD", "турецкий": "TR",
    "иранский": "IR", "иорданский": "JO", "ливанский": "LB", "алжирский": "DZ",
    "тунисский": "TN", "ливийский": "LY", "украинский": "UA", "белорусский": "BY",
    "молдавский": "MD", "армянский": "AM", "азербайджанский": "AZ", "грузинский": "GE",
    "финский": "FI", "камерунский": "CM", "российский": "RU", "северокорейский": "KP",
}

# Extra names pycountry does not give (short forms, abbreviations, older names).
_EXTRA_NAMES = {
    "КНР": "CN", "РФ": "RU", "Россия": "RU", "США": "US", "ОАЭ": "AE", "КНДР": "KP",
    "ДРК": "CD", "Киргизия": "KG", "Кыргызстан": "KG", "Киргизстан": "KG", "Молдавия": "MD",
    "Молдова": "MD", "Белоруссия": "BY", "Беларусь": "BY", "Сирия": "SY", "Иран": "IR",
    "Лаос": "LA", "Вьетнам": "VN", "Южная Корея": "KR", "Северная Корея": "KP", "Корея": "KR",
    "Конго": "CG", "Великобритания": "GB", "Англия": "GB", "Турция": "TR", "Палестина": "PS",
    "Кот-д'Ивуар": "CI", "Шри-Ланка": "LK", "Бангладеш": "BD", "Мьянма": "MM", "Бирма": "MM",
    "Таджикистан": "TJ", "Узбекистан": "UZ", "Казахстан": "KZ", "Туркмения": "TM",
    "Туркменистан": "TM", "Афганистан": "AF", "Сомали": "SO", "Ирак": "IQ", "Куба": "CU",
    "Индия": "IN", "Китай": "CN", "Египет": "EG", "Марокко": "MA", "Йемен": "YE",
    "Украина": "UA", "Грузия": "GE", "Армения": "AM", "Азербайджан": "AZ", "Финляндия": "FI",
    "Russia": "RU", "Syria": "SY", "Iran": "IR", "Vietnam": "VN", "Laos": "LA", "Moldova": "MD",
    "South Korea": "KR", "North Korea": "KP", "Congo": "CG", "DR Congo": "CD", "DRC": "CD",
    "Ivory Coast": "CI", "Turkey": "TR", "Türkiye": "TR", "Tanzania": "TZ", "Bolivia": "BO",
    "Venezuela": "VE", "Palestine": "PS", "Kosovo": "XK", "UK": "GB", "Britain": "GB",
    "Great Britain": "GB", "USA": "US", "US": "US", "UAE": "AE", "Kirghizia": "KG",
    "Kyrgyzstan": "KG", "Czech Republic": "CZ", "Burma": "MM", "Byelorussia": "BY",
    "Belarus": "BY", "PRC": "CN",
}

# Words for citizens and natives: a country name after them names a nationality.
_CITIZEN_LEMMAS = {
    "гражданин", "гражданка", "граждане", "подданный", "подданная", "уроженец", "уроженка",
    "выходец", "выходка", "гражданство", "национальность", "паспорт",
}
_CITIZEN_EN = {
    "citizen", "citizens", "national", "nationals", "native", "natives", "citizenship",
    "nationality", "subjects", "passport", "passports", "passport-holders",
}
# Words for people: "<people> из <country>", "<people> from <country>", "Somali <people>".
_PEOPLE_LEMMAS = {
    "мигрант", "мигрантка", "иностранец", "иностранка", "нелегал", "беженец", "рабочий",
    "работник", "житель", "приезжий", "эмигрант", "иммигрант", "студент", "человек", "люди",
    "заключённый", "заключенный", "наёмник", "наемник", "лицо", "семья", "мужчина", "женщина",
    "парень", "гражданин", "гражданка", "подданный", "нарушитель", "добровольец", "военнослужащий",
    "солдат", "боец", "призывник", "задержанный", "осуждённый", "осужденный", "гастарбайтер",
    "трудовой", "иностранный", "турист", "пассажир", "уроженец", "выходец", "сотрудник",
    "контрактник", "новобранец", "происхождение", "диаспора", "община", "соискатель",
}
_PEOPLE_EN = {
    "man", "men", "woman", "women", "national", "nationals", "citizen", "citizens", "migrant",
    "migrants", "worker", "workers", "people", "person", "persons", "refugee", "refugees",
    "student", "students", "prisoner", "prisoners", "detainee", "detainees", "immigrant",
    "immigrants", "mercenary", "mercenaries", "recruit", "recruits", "soldier", "soldiers",
    "fighter", "fighters", "family", "families", "boy", "boys", "girl", "girls", "youth",
    "youths", "inmate", "inmates", "labourer", "labourers", "laborer", "laborers", "asylum",
    "seeker", "seekers", "guest", "volunteers", "volunteer", "nationalities", "emigrants",
    "individuals", "individual", "teenager", "teenagers", "guy", "guys", "father", "mother",
    "son", "sons", "brothers", "brother", "husband", "wife", "origin", "descent", "diaspora",
    "community", "communities", "passport", "passports", "conscripts", "servicemen",
    "serviceman", "captives", "captive", "tourists", "travellers", "travelers",
    "residents", "resident", "natives", "native", "newcomers", "applicants", "crew",
}
# Words between a citizen word and a country name: "гражданина Республики Сомали".
_FILLER_LEMMAS = {
    "республика", "королевство", "государство", "исламский", "арабский", "федеративный",
    "демократический", "народный", "объединённый", "объединенный", "социалистический",
    "федерация", "султанат", "эмират", "из", "от", "the", "republic", "of", "kingdom", "islamic",
    "arab", "federal", "democratic", "people's", "state", "from",
}
_STATELESS = re.compile(
    r"\b(?:лиц\w*|лицо)\s+без\s+гражданства\b|\bбез\s+гражданства\b|\bapatrid\w*|\bstateless\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CYR = re.compile(r"[а-яё]", re.IGNORECASE)


class _Word(NamedTuple):  # a tuple: made for every word of every sentence, a dataclass costs 3x
    start: int
    end: int
    text: str
    low: str
    lem: str  # lemma for Russian, lower case for English
    cyr: bool  # has a Cyrillic letter


def _words(text: str) -> list[_Word]:
    new = tuple.__new__  # _Word without its Python-level __new__: one per word
    return [new(_Word, (*m.span(), w, *_low_lemma(w))) for m in _WORD.finditer(text) for w in (m.group(),)]


@lru_cache(maxsize=50_000)
def _low_lemma(word: str) -> tuple[str, str, bool]:
    """(lower case, lemma for Russian or lower case for English, has a Cyrillic letter), once
    per distinct word."""
    low = word.lower()
    cyr = bool(_CYR.search(word))
    return low, lemma(low) if cyr else low, cyr


def _key(name: str) -> tuple[str, ...]:
    """A name as the lemma sequence its words match."""
    return tuple(lemma(w.lower()) if _CYR.search(w) else w.lower() for w in _WORD.findall(name))


@cache
def _names() -> dict[tuple[str, ...], str]:
    """Country names, English and Russian, keyed by their lemma sequence."""
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
    table: dict[tuple[str, ...], str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            for variant in (name, ru.gettext(name).replace("\u0301", "")):
                if "," not in variant:
                    table.setdefault(_key(variant), c.alpha_2)
    for name, code in _EXTRA_NAMES.items():
        table[_key(name)] = code
    table.pop((), None)
    return table


@cache
def _en_demonyms() -> dict[tuple[str, ...], tuple[str, bool]]:
    """English demonym word sequence -> (code, is_plural_noun)."""
    table: dict[tuple[str, ...], tuple[str, bool]] = {}
    for key, code in _EN_DEMONYMS.items():
        forms = key.split("/")
        table[tuple(forms[0].split())] = (code, False)
        if len(forms) > 1:
            table[tuple(forms[1].split())] = (code, True)
    return table


@cache
def _dem_first_words() -> frozenset[str]:
    return frozenset(k[0] for k in _en_demonyms())


@cache
def _first_lemmas() -> frozenset[str]:
    return frozenset(k[0] for k in _names())


@cache
def _max_len() -> int:
    return max(len(k) for k in _names())


def _candidates(words: list[_Word]) -> list[tuple[int, int, str, str]]:
    """(first word, last word + 1, code, kind) for every lexicon hit; kind is "noun" (stands
    alone), "adj" (needs a people word after) or "name" (needs a citizen word before)."""
    names, dem = _names(), _en_demonyms()
    firsts, dem_firsts = _first_lemmas(), _dem_first_words()
    out: list[tuple[int, int, str, str]] = []
    i, longest = 0, _max_len()
    while i < len(words):
        w = words[i]
        # most words start no name and no demonym, and are not Russian: no call for those
        if not w.cyr and w.lem == w.low and w.low not in dem_firsts and (
                w.lem not in firsts or not w.text[:1].isupper()):
            i += 1
            continue
        hit = _hit_at(words, i, names, dem, longest)
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def _hit_at(words: list[_Word], i: int, names: dict[tuple[str, ...], str],
            dem: dict[tuple[str, ...], tuple[str, bool]], longest: int) -> tuple[int, int, str, str] | None:
    w = words[i]
    # country names: longest first, capitalised (a name, not "того" or "мали")
    if w.text[:1].isupper() and w.lem in _first_lemmas():
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(x.lem for x in words[i : i + n])
            if key in names:
                return i, i + n, names[key], "name"
    if w.low in _dem_first_words():  # most words start no demonym: no tuples built for them
        for n in (2, 1):
            key = tuple(x.low for x in words[i : i + n])
            if len(key) == n and key in dem:
                code, plural = dem[key]
                return i, i + n, code, "noun" if plural else "adj"
    if w.lem != w.low or w.cyr:  # Russian (only Russian words get a lemma)
        hit = _ru_word_hit(w.low)
        if hit:
            return i, i + 1, hit[0], hit[1]
    return None


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _ru_word_hit(low: str) -> tuple[str, str] | None:
    """(code, "noun" | "adj") when some reading of the Russian word is a demonym: cached,
    because the same words come back in every text."""
    for lem in lemmas(low):
        if lem in _RU_NOUNS:
            return _RU_NOUNS[lem], "noun"
        if lem in _RU_ADJECTIVES:
            return _RU_ADJECTIVES[lem], "adj"
    return None


def _is_people(w: _Word) -> bool:
    if _CYR.search(w.text):
        return bool(lemmas(w.low) & _PEOPLE_LEMMAS)
    return w.low in _PEOPLE_EN


def _is_citizen(w: _Word) -> bool:
    if _CYR.search(w.text):
        return bool(lemmas(w.low) & _CITIZEN_LEMMAS)
    return w.low in _CITIZEN_EN


def _name_in_context(text: str, words: list[_Word], i: int, j: int) -> bool:
    """A country name names a nationality after a citizen word ("граждан КНР", "citizens of
    Iraq"), after "<people> from/из" ("мигрантов из Индии"), or before a citizen word
    ("Uzbekistan citizens", "Somalia's nationals")."""
    k = i - 1
    saw_from = False
    while k >= 0 and i - k <= 4 and words[k].lem in _FILLER_LEMMAS:
        saw_from = saw_from or words[k].low in ("из", "from", "от")
        k -= 1
    if k >= 0 and i - k <= 5 and not _punct_between(text, words[k], words[i]):
        if _is_citizen(words[k]) or (saw_from and _is_people(words[k])):
            return True
        # "migrants, mainly from Somalia": one adverb and a comma may stand between; after such an
        # adverb the people may be a few words further back ("seekers have entered the country,
        # mainly from Kenya")
        if saw_from and words[k].low in _FROM_ADVERBS:
            back = [w for w in words[max(0, k - 7) : k] if not _BREAK.search(text, w.end, words[k].start)]
            if any(_is_people(w) or w.low == "they" for w in back):
                return True
    return j < len(words) and _is_citizen(words[j]) and words[j].start - words[j - 1].end <= 3


_FROM_ADVERBS = {"mainly", "mostly", "primarily", "largely", "predominantly", "chiefly",
                 "all", "originally", "in", "преимущественно", "в", "основном", "главным", "образом",
                 "большинство", "родом", "were", "was", "are", "is", "came", "come", "comes", "hail", "hailed",
                 "originate", "originated"}
_BREAK = re.compile(r"[.;:!?()\[\]«»\"“”]")


def _punct_between(text: str, a: _Word, b: _Word) -> bool:
    return bool(_BREAK.search(text, a.end, b.start))


def _adj_in_context(words: list[_Word], j: int) -> bool:
    """A demonym adjective describes people when a people word follows, maybe after one more
    adjective or a hyphen ("Somali man", "Iraqi asylum seekers", "узбекские трудовые мигранты")."""
    for k in range(j, min(j + 3, len(words))):
        if _is_people(words[k]):
            return True
    # "a Somali, in his 40s": an article before a demonym used as a noun
    return False


_JOINERS = frozenset({"and", "or", "и", "или", "а", "также", "as", "well"})


def _list_gap(text: str, a: _Word, b: _Word) -> bool:
    """Two candidates belong to one list: commas, "and"/"или", and at most a few words between,
    no sentence punctuation ("Somalia, Arab countries, and Cuba")."""
    gap = text[a.end : b.start]
    if _BREAK.search(gap) or len(gap) > 40 or re.search(r"\d", gap):
        return False
    words = _WORD.findall(gap)
    joiner = bool(re.search(r",\s", gap)) or any(w.lower() in _JOINERS for w in words)
    return joiner and len(words) <= 5


def find_nationalities(text: str) -> list[NationalityMention]:
    """Every mention of a nationality: demonyms and country names in context, ru + en, any case."""
    words = _words(text)
    cands = _candidates(words)
    accepted = [_accept(text, words, c) for c in cands]
    # lists: a member inherits acceptance from its neighbour ("Syrian, Indian and Iraqi migrants")
    for _ in range(2):
        for n in range(len(cands)):
            for m in (n - 1, n + 1):
                if 0 <= m < len(cands) and accepted[m] and not accepted[n]:
                    a, b = (cands[m], cands[n]) if m < n else (cands[n], cands[m])
                    if _list_gap(text, words[a[1] - 1], words[b[0]]) and _compatible(cands[m], cands[n]):
                        accepted[n] = True
    out = [
        NationalityMention(words[i].start, words[j - 1].end, text[words[i].start : words[j - 1].end], code)
        for (i, j, code, _), ok in zip(cands, accepted, strict=True)
        if ok
    ]
    out += [NationalityMention(m.start(), m.end(), m.group(), STATELESS) for m in _STATELESS.finditer(text)]
    return sorted(out, key=lambda m: m.start)


def _compatible(a: tuple[int, int, str, str], b: tuple[int, int, str, str]) -> bool:
    """Names list with names, demonyms with demonyms."""
    return (a[3] == "name") == (b[3] == "name")


def _accept(text: str, words: list[_Word], cand: tuple[int, int, str, str]) -> bool:
    i, j, _, kind = cand
    if kind == "noun":
        return True
    if kind == "adj":
        if _adj_in_context(words, j):
            return True
        # "a Somali, in his 40s" / "one Iraqi": an article or numeral makes the adjective a noun
        return i > 0 and words[i - 1].low in ("a", "an", "one") and not words[i].text.islower()
    return _name_in_context(text, words, i, j)


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country named in English or Russian, in any case, or of
    a demonym ("Somalia", "Сомали", "Ирака", "somali", "узбек")."""
    name = name.strip()
    if not name:
        return None
    key = _key(name)
    if key in _names():
        return _names()[key]
    low = tuple(w.lower() for w in _WORD.findall(name))
    if low in _en_demonyms():
        return _en_demonyms()[low][0]
    if len(key) == 1:
        for lem in lemmas(key[0]):
            code = _RU_NOUNS.get(lem) or _RU_ADJECTIVES.get(lem)
            if code:
                return code
    return _pycountry_codes().get(name.lower())


# The fields pycountry's `countries.lookup` indexes, in the order it tries them.
_PYCOUNTRY_FIELDS = ("alpha_2", "alpha_3", "flag", "name", "numeric", "official_name", "common_name")


@cache
def _pycountry_codes() -> dict[str, str]:
    """`pycountry.countries.lookup(name).alpha_2` as one dict, keyed by the lower-cased name: lookup
    itself walks every country after its indexes miss (~30 µs), and most names asked about here are
    misses (the surname after "гражданина" in a court decision). Same answers: an earlier field wins
    over a later one, and within a field the last country wins, as in pycountry's indexes."""
    codes: dict[str, str] = {}
    for field in reversed(_PYCOUNTRY_FIELDS):
        for country in pycountry.countries:
            value = getattr(country, field, None)
            if isinstance(value, str) and value:
                codes[value.lower()] = country.alpha_2
    return codes
