"""collect.toml: what to collect and how politely. See docs/COLLECT.md for a full example.

The file lives in the store's home (`<home>/collect.toml`) or wherever `--config` points, never
in the repository: it may hold Telegram credentials. Without a file the defaults apply: the
border regions' courts, searched for the last 14 days, and nothing else.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from recruitwatch.sources.collect.courts import (
    DEFAULT_ARTICLES,
    CourtSearch,
    CourtSite,
    border_courts,
    courts_from_toml,
)
from recruitwatch.sources.collect.feeds import Outlet
from recruitwatch.sources.collect.http import HttpSettings

FILE_NAME = "collect.toml"
_TOP = {"http", "courts", "feeds", "pages", "telegram", "watch"}


class ConfigError(ValueError):
    """collect.toml says something we cannot use; the message names the file and the key."""


@dataclass
class CourtsConfig:
    enabled: bool = True
    sites: list[CourtSite] = field(default_factory=list)
    articles: tuple[str, ...] = DEFAULT_ARTICLES
    days_back: int = 14
    date_field: str = "result"
    date_from: date | None = None  # a fixed range instead of days_back (a back-fill)
    date_to: date | None = None

    def search(self, today: date | None = None) -> CourtSearch:
        if self.date_from or self.date_to:
            return CourtSearch(self.articles, self.date_from, self.date_to or today or date.today(), self.date_field)
        return CourtSearch.recent(self.days_back, self.articles, today, self.date_field)


@dataclass
class CollectConfig:
    http: HttpSettings = field(default_factory=HttpSettings)
    courts: CourtsConfig = field(default_factory=lambda: CourtsConfig(sites=border_courts()))
    outlets: list[Outlet] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    telegram: dict[str, Any] | None = None  # the [telegram] table; credentials are read when used
    interval: float = 3600.0  # seconds between watch rounds
    source: Path | None = None  # the file read, if any


def load_config(path: Path | None = None, home: Path | None = None) -> CollectConfig:
    """Read `path`, else `<home>/collect.toml` if it exists, else the defaults."""
    if path is None and home is not None and (Path(home) / FILE_NAME).is_file():
        path = Path(home) / FILE_NAME
    if path is None:
        return CollectConfig()
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return _parse(data, Path(path))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _parse(data: dict[str, Any], path: Path) -> CollectConfig:
    unknown = set(data) - _TOP
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_TOP))})")
    config = CollectConfig(source=path)
    config.http = _http(data.get("http", {}))
    config.courts = _courts(data.get("courts", {}))
    config.outlets = [_outlet(entry, n) for n, entry in enumerate(data.get("feeds", []), 1)]
    pages = data.get("pages", {})
    config.pages = [str(u) for u in (pages.get("urls", []) if isinstance(pages, dict) else pages)]
    config.telegram = data.get("telegram")
    interval = data.get("watch", {}).get("interval", config.interval)
    config.interval = parse_interval(interval)
    return config


def _http(table: dict[str, Any]) -> HttpSettings:
    known = {f.name for f in fields(HttpSettings)}
    unknown = set(table) - known
    if unknown:
        raise ValueError(f"[http]: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})")
    return HttpSettings(**table)


def _courts(table: dict[str, Any]) -> CourtsConfig:
    include_unverified = bool(table.get("include_unverified", True))
    regions = table.get("regions")
    sites = border_courts(include_unverified) if table.get("border_regions", True) else []
    if regions is not None:
        sites = [s for s in sites if s.region in set(regions)]
    extra = courts_from_toml(table.get("site", []))
    by_url = {s.url: s for s in sites}
    by_url.update({s.url: s for s in extra})  # a site given in the file replaces the shipped one
    courts = CourtsConfig(enabled=bool(table.get("enabled", True)), sites=list(by_url.values()))
    if "articles" in table:
        courts.articles = tuple(str(a) for a in table["articles"])
    courts.days_back = int(table.get("days_back", courts.days_back))
    courts.date_field = str(table.get("date_field", courts.date_field))
    for key in ("date_from", "date_to"):
        value = table.get(key)
        if value is not None and not isinstance(value, date):
            value = date.fromisoformat(str(value))
        setattr(courts, key, value)
    courts.search()  # check the articles and the date field now, not at the first crawl
    return courts


def _outlet(entry: dict[str, Any], n: int) -> Outlet:
    if not isinstance(entry, dict) or "url" not in entry:
        raise ValueError(f"[[feeds]] entry {n}: needs url = \"https://…/rss\"")
    return Outlet(name=str(entry.get("name", entry["url"])), feed=str(entry["url"]))


def parse_interval(value: object) -> float:
    """Seconds from 3600, "90s", "15m", "1h" or "1d"."""
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = str(value).strip().lower()
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        try:
            seconds = float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text)
        except ValueError as exc:
            raise ValueError(f"interval {value!r}: write seconds or 90s, 15m, 1h, 1d") from exc
    if seconds <= 0:
        raise ValueError(f"interval must be positive, not {value!r}")
    return seconds
