"""The source registry: which outlet, channel or court each document comes from, what kind of
source it is, how far it can be trusted (the Admiralty code) and when it was monitored.

A source is keyed from the document's origin: a court decision by its court
("court:Кандалакшский районный суд"), a Telegram post by its channel ("telegram:astrapress"),
a VK post by its wall ("vk:-12345"), a web page or feed item by its host ("web:meduza.io"),
a local file with none of these by its folder ("file:/data/news"). Sources are registered
on ingest with a default kind guessed from the origin and the grade F6 ("cannot be judged")
until an analyst sets one; the default monitoring period starts at the first capture.

The Admiralty code, as open-source investigators use it: source reliability A (completely
reliable) … E (unreliable), F (cannot be judged); information credibility 1 (confirmed by other
sources) … 5 (improbable), 6 (cannot be judged).
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Connection

from recruitwatch.store import Store
from recruitwatch.store import corroboration as rows

KINDS: tuple[str, ...] = ("court_record", "state_body", "military_outlet", "independent_media", "ngo",
                          "social_account", "analyst_note", "unclassified")
RELIABILITY = "ABCDEF"
CREDIBILITY = range(1, 7)
DEFAULT_GRADE = "F6"
KEY_LENGTH = 300  # sources.key's width
BATCH = 2000

# Hosts whose kind is well known; every other web host stays "unclassified" until an analyst
# says what it is (calling an unknown outlet "independent" would be a claim, not a default).
KNOWN_HOSTS: dict[str, str] = {
    "sudrf.ru": "court_record", "mos-sud.ru": "court_record", "msudrf.ru": "court_record",
    "kad.arbitr.ru": "court_record",
    "kremlin.ru": "state_body", "government.ru": "state_body", "mvd.ru": "state_body", "мвд.рф": "state_body",
    "fsb.ru": "state_body", "sledcom.ru": "state_body", "genproc.gov.ru": "state_body",
    "mil.ru": "military_outlet", "redstar.ru": "military_outlet", "tvzvezda.ru": "military_outlet",
    "meduza.io": "independent_media", "zona.media": "independent_media", "novayagazeta.eu": "independent_media",
    "istories.media": "independent_media", "theins.ru": "independent_media", "svoboda.org": "independent_media",
    "currenttime.tv": "independent_media", "verstka.media": "independent_media", "7x7-journal.ru": "independent_media",
    "bbc.com": "independent_media", "bbc.co.uk": "independent_media", "yle.fi": "independent_media",
    "memopzk.org": "ngo", "memo.ru": "ngo", "hrw.org": "ngo", "amnesty.org": "ngo", "ovd.info": "ngo",
    "ovd.news": "ngo", "civilrights.org": "ngo",
}
# Top-level domains that say the country; generic ones (.com, .org, .media) say nothing.
TLD_COUNTRIES = {"ru": "RU", "рф": "RU", "su": "RU", "ua": "UA", "by": "BY", "kz": "KZ", "uz": "UZ", "tj": "TJ",
                 "kg": "KG", "fi": "FI", "ee": "EE", "lv": "LV", "lt": "LT", "de": "DE", "uk": "GB", "fr": "FR"}
_GRADE = re.compile(r"^([A-Fa-f])([1-6])?$")


def parse_grade(grade: str) -> tuple[str, int | None]:
    """"B2" -> ("B", 2); "C" -> ("C", None). Raises ValueError on anything else."""
    match = _GRADE.match(grade.strip())
    if not match:
        raise ValueError(f"not an Admiralty grade: {grade!r} (reliability A-F, optionally credibility 1-6: "
                         "'B', 'B2')")
    return match.group(1).upper(), int(match.group(2)) if match.group(2) else None


def source_key(origin: str, meta: dict[str, Any] | None, court: str | None) -> tuple[str, str, str, str | None]:
    """(key, name, default kind, country) of the source a document comes from."""
    key, name, kind, country = _source_key(origin, meta or {}, court)
    if len(key) > KEY_LENGTH:  # a deep folder: its start, and a hash that keeps it apart from its neighbours
        key = key[:KEY_LENGTH - 17] + "#" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return key, name, kind, country


def _source_key(origin: str, meta: dict[str, Any], court: str | None) -> tuple[str, str, str, str | None]:
    if court:
        return f"court:{court}", court, "court_record", "RU"
    url = meta.get("url") if isinstance(meta.get("url"), str) else None
    for candidate in (url, origin):
        if candidate and candidate.startswith(("http://", "https://")):
            return _web_source(candidate, meta)
    if meta.get("channel"):
        name = str(meta["channel"])
        return f"telegram:{name.casefold()}", name, "social_account", None
    if meta.get("site"):
        name = str(meta["site"])
        return f"site:{name.casefold()}", name, "unclassified", None
    folder = os.path.dirname(origin.split("#", 1)[0]) or "."
    return f"file:{folder}", folder, "unclassified", None


def _web_source(url: str, meta: dict[str, Any]) -> tuple[str, str, str, str | None]:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    if host == "t.me" and path:
        channel = path[0] if path[0] not in ("s", "c") or len(path) < 2 else path[1]
        return f"telegram:{channel.casefold()}", meta.get("channel") or f"@{channel}", "social_account", None
    if host == "vk.com" and path:
        wall = re.match(r"wall(-?\d+)_", path[0])
        name = wall.group(1) if wall else path[0]
        return f"vk:{name.casefold()}", f"vk.com/{path[0] if not wall else 'wall' + name}", "social_account", None
    return f"web:{host}", meta.get("site") or host, _host_kind(host), _host_country(host)


def _host_kind(host: str) -> str:
    labels = host.split(".")
    for i in range(len(labels) - 1):  # the host, then each parent domain: "x.sudrf.ru" -> "sudrf.ru"
        kind = KNOWN_HOSTS.get(".".join(labels[i:]))
        if kind:
            return kind
    if host.endswith((".gov.ru", ".gov", ".gouv.fr", ".gov.uk")):
        return "state_body"
    return "unclassified"


def _host_country(host: str) -> str | None:
    return TLD_COUNTRIES.get(host.rsplit(".", 1)[-1]) if "." in host else None


def register_sources(store: Store) -> int:
    """Link every document not yet linked to its source, registering new sources and starting
    their monitoring at the first capture. Idempotent; returns the documents linked."""
    linked, after = 0, 0
    while True:
        with store.exclusive("sources") as conn:
            batch = rows.documents_without_source(conn, BATCH, after)
            if not batch:
                return linked
            after = batch[-1].id
            specs: dict[str, tuple[str, str, str | None]] = {}
            keyed = []
            for doc in batch:
                key, name, kind, country = source_key(doc.origin, doc.meta, doc.court)
                specs.setdefault(key, (name[:1000], kind, country))
                keyed.append((doc, key))
            ids = rows.ensure_sources(conn, specs, datetime.now(UTC))
            rows.link_documents(conn, [(doc.id, ids[key]) for doc, key in keyed])
            first: dict[int, date] = {}
            for doc, key in keyed:
                captured = _day(doc.ingested_at)
                source_id = ids[key]
                first[source_id] = min(first.get(source_id, captured), captured)
            rows.extend_automatic_monitoring(conn, first)
        linked += len(batch)


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def set_source(conn: Connection, key_or_id: str, *, kind: str | None = None, country: str | None = None,
               grade: str | None = None, name: str | None = None, note: str | None = None,
               graded_by: str = "analyst") -> dict[str, Any]:
    """Change a source's kind, country, grade, name or note; returns the changed values. A new
    grade is carried to the incidents the source reports. Raises LookupError for an unknown
    source, ValueError for a bad value."""
    source = rows.find_source(conn, key_or_id)
    if source is None:
        raise LookupError(f"no source {key_or_id!r} (see `recruitwatch sources list`)")
    values: dict[str, Any] = {}
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")
        values["kind"] = kind
    if country is not None:
        if not re.fullmatch(r"[A-Za-z]{2}", country):
            raise ValueError(f"not an ISO 3166-1 alpha-2 code: {country!r}")
        values["country"] = country.upper()
    if grade is not None:
        reliability, credibility = parse_grade(grade)
        values.update(reliability=reliability, credibility=credibility or 6, graded_by=graded_by,
                      graded_at=datetime.now(UTC))
    if name is not None:
        values["name"] = name
    if note is not None:
        values["note"] = note
    rows.update_source(conn, source.id, values)
    if grade is not None:
        # The incidents it reports carry their best source's grade. Imported here: the incidents
        # module imports this one.
        from recruitwatch.analysis.incidents import refresh_incidents

        refresh_incidents(conn, rows.incidents_of_source(conn, source.id))
    return values


def set_monitoring(conn: Connection, key_or_id: str, periods: list[tuple[date, date | None]]) -> None:
    """Replace a source's monitoring periods with an analyst's (start, end or None)."""
    source = rows.find_source(conn, key_or_id)
    if source is None:
        raise LookupError(f"no source {key_or_id!r} (see `recruitwatch sources list`)")
    for start, end in periods:
        if end is not None and end < start:
            raise ValueError(f"a monitoring period ends ({end}) before it starts ({start})")
    rows.replace_monitoring(conn, source.id, periods)


def list_sources(store: Store | Connection, kind: str | None = None) -> list[dict[str, Any]]:
    """Every registered source: key, name, kind, country, grade, documents, monitoring periods."""
    if isinstance(store, Connection):
        found = rows.list_sources(store, kind)
    else:
        with store.engine.connect() as conn:
            found = rows.list_sources(conn, kind)
    for source in found:
        source["grade"] = f"{source['reliability']}{source['credibility']}"
    return found


def monitoring_changes(store: Store | Connection) -> list[tuple[date, str, str]]:
    """(date, source name, "start" | "end") for every monitoring period, by date: a rise in a
    trend that begins when a source was added is marked, not mistaken for a surge."""
    if isinstance(store, Connection):
        periods = rows.monitoring_rows(store)
    else:
        with store.engine.connect() as conn:
            periods = rows.monitoring_rows(conn)
    changes = [(p.start, p.name, "start") for p in periods]
    changes += [(p.end, p.name, "end") for p in periods if p.end is not None]
    return sorted(changes, key=lambda change: (change[0], change[1], change[2] != "start"))
