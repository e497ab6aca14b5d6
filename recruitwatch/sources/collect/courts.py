"""Court sites: search decisions on administrative offences by KoAP article and date, follow the
result pages to the case cards and the cards to the decision texts.

The federal courts' sites (sudrf.ru) and the magistrates' (msudrf.ru) run one PHP module,
"sud_delo", in two generations:
- the classic form: `modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=1500001&
  delo_table=adm_case&…` (1500001 is the docket of administrative offences, first instance),
  results in `table#tablcont`, case cards at `name_op=case&case_id=…`, decision texts at
  `name_op=doc&number=…`, result pages by `&page=N`, "Данных по запросу не обнаружено" when
  nothing matched;
- the newer form: `modules.php?name_op=r&name=sud_delo&_deloId=1500001&…`, cards linked by
  `a.open-lawcase`, texts inline in `#tab_content_Document1`, pages by `&_page=N`.
The search parameters go in Windows-1251 percent-encoding, as the sites' own forms send them,
and the pages come back in Windows-1251 (decoded by sources.encoding).

Decision texts are immutable once published, so each is fetched once ever; result pages and
case cards are asked for again conditionally, and a card whose text is not out yet is kept on a
list and looked at again by the next crawls.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from lxml import etree

from recruitwatch.sources.collect.capture import Captures
from recruitwatch.sources.collect.http import CollectError, PoliteClient, SiteChangedError, Stopped
from recruitwatch.sources.collect.state import CrawlState
from recruitwatch.sources.court_page import looks_like_court_page
from recruitwatch.sources.encoding import decode_bytes
from recruitwatch.sources.html import parse_html

KINDS = ("sudrf", "sudrf2", "msudrf")
ADMIN_DOCKET = "1500001"  # delo_id of administrative offences, first instance
DEFAULT_ARTICLES = ("18.8", "18.10", "18.20", "18.9")
_NO_RESULTS = re.compile(r"Данных по запросу не обнаружено|ничего не найдено|Найдено дел:\s*0", re.I)
_ARTICLE = re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d)?(?:\s*ч\.\s*\d+(?:\.\d+)?)?$")
_PENDING_CARDS = "court-card-pending"


@dataclass(frozen=True)
class CourtSite:
    name: str
    url: str  # scheme and host: "https://vyborgsky--lo.sudrf.ru"
    region: str | None = None  # ISO 3166-2
    kind: str = "sudrf"
    srv_num: str = "1"
    verified: str = "no"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"court site {self.name!r}: kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"court site {self.name!r}: url must be http(s)://host, not {self.url!r}")


@dataclass(frozen=True)
class CourtSearch:
    articles: tuple[str, ...] = DEFAULT_ARTICLES  # "18.8" or "18.8 ч.1.1"
    date_from: date | None = None
    date_to: date | None = None
    date_field: str = "result"  # "entry" (received), "result" (decided) or "published"

    def __post_init__(self) -> None:
        for article in self.articles:
            if not _ARTICLE.match(article):
                raise ValueError(f"not a KoAP article: {article!r} (write 18.8 or 18.8 ч.1.1)")
        if self.date_field not in ("entry", "result", "published"):
            raise ValueError(f"date_field must be entry, result or published, not {self.date_field!r}")

    @classmethod
    def recent(cls, days: int, articles: tuple[str, ...] = DEFAULT_ARTICLES, today: date | None = None,
               date_field: str = "result") -> CourtSearch:
        today = today or date.today()
        return cls(articles, today - timedelta(days=days), today, date_field)


@dataclass
class CrawlResult:
    fetched: int = 0  # pages that came back with content
    not_modified: int = 0  # 304 answers
    skipped: int = 0  # decision texts fetched by an earlier crawl, not asked for
    decisions: int = 0  # decision texts captured for the pipeline
    errors: list[str] = field(default_factory=list)


def border_courts(include_unverified: bool = True) -> list[CourtSite]:
    """The courts shipped for the border regions (border_courts.toml beside this module)."""
    raw = resources.files(__package__).joinpath("border_courts.toml").read_text("utf-8")
    return courts_from_toml(tomllib.loads(raw).get("court", []), include_unverified)


def courts_from_toml(entries: list[dict[str, Any]], include_unverified: bool = True) -> list[CourtSite]:
    sites = []
    for n, entry in enumerate(entries, 1):
        try:
            site = CourtSite(name=str(entry["name"]), url=str(entry["url"]).rstrip("/"), region=entry.get("region"),
                             kind=entry.get("kind", "sudrf"), srv_num=str(entry.get("srv_num", "1")),
                             verified=str(entry.get("verified", "no")))
        except KeyError as exc:
            raise ValueError(f"court entry {n}: missing {exc.args[0]!r}") from exc
        if include_unverified or site.verified in ("seen", "dotted"):
            sites.append(site)
    return sites


# ---------------------------------------------------------------------- URLs


def search_url(site: CourtSite, search: CourtSearch) -> str:
    """The first result page of `search` on `site`, parameters in Windows-1251 as the site's form sends them."""
    if site.kind == "sudrf2":
        prefix = "case__"
        fields = {"entry": ("case__entry_date1d", "case__entry_date2d"),
                  "result": ("case__result_date1d", "case__result_date2d"),
                  "published": ("document__publ_date1d", "document__publ_date2d")}[search.date_field]
        params = [("name_op", "r"), ("name", "sud_delo"), ("srv_num", site.srv_num), ("_deloId", ADMIN_DOCKET),
                  (prefix + "case_type", "0"), ("_new", "0"), ("process-type", f"{ADMIN_DOCKET}_0_0")]
        params += [("parts__law_articless", f"КоАП: ст. {a}") for a in search.articles]
    else:
        fields = {"entry": ("adm_case__ENTRY_DATE1D", "adm_case__ENTRY_DATE2D"),
                  "result": ("adm_case__RESULT_DATE1D", "adm_case__RESULT_DATE2D"),
                  "published": ("adm_document__PUBL_DATE1D", "adm_document__PUBL_DATE2D")}[search.date_field]
        params = [("name", "sud_delo"), ("srv_num", site.srv_num), ("name_op", "r"), ("delo_id", ADMIN_DOCKET),
                  ("case_type", "0"), ("new", "0"), ("delo_table", "adm_case")]
        params += [("lawbookarticles[]", a) for a in search.articles]
    if search.date_from:
        params.append((fields[0], search.date_from.strftime("%d.%m.%Y")))
    if search.date_to:
        params.append((fields[1], search.date_to.strftime("%d.%m.%Y")))
    params.append(("Submit", "Найти"))
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='', encoding='cp1251')}" for k, v in params)
    return f"{site.url}/modules.php?{query}"


def page_url(first_page: str, site: CourtSite, number: int) -> str:
    """Result page `number` of the search whose first page is `first_page`: built from the
    first page, never taken from a link, so that one page is one URL however it was linked."""
    if number <= 1:
        return first_page
    return f"{first_page}&{'_page' if site.kind == 'sudrf2' else 'page'}={number}"


# ---------------------------------------------------------------------- pages


@dataclass
class ResultsPage:
    cards: list[str]
    texts: list[str]  # decision texts linked straight from the results
    pages: set[int]  # result page numbers linked from this page
    empty: bool  # the site says nothing matched


@dataclass
class CardPage:
    texts: list[str]  # links to decision texts
    holds_text: bool  # the card shows a decision text itself


def parse_results(raw: bytes, url: str) -> ResultsPage:
    """The links of a result page; SiteChangedError when it is neither results nor "nothing found"."""
    text = decode_bytes(raw).text
    tree = parse_html(text, plain=True)
    cards, texts, pages = [], [], set()
    for href in _links(tree, url):
        op = _op(href)
        if op in ("case", "cs") and href not in cards:
            cards.append(href)
        elif op == "doc" and href not in texts:
            texts.append(href)
        elif op in ("r", "sf", "sd"):
            number = _query(href, "page") or _query(href, "_page")
            if number and number.isdigit():
                pages.add(int(number))
    for link in tree.iter("a"):
        if "open-lawcase" in (link.get("class") or "") and link.get("href"):
            href = urljoin(url, link.get("href"))
            if href not in cards:
                cards.append(href)
    has_table = tree.find(".//table[@id='tablcont']") is not None or bool(cards)
    empty = bool(_NO_RESULTS.search(text))
    if not has_table and not empty:
        raise SiteChangedError(url, "changed site: expected markup missing (no table#tablcont, no case links, "
                                    "no 'nothing found' message)")
    return ResultsPage(cards, texts, pages, empty and not cards)


def parse_card(raw: bytes, url: str) -> CardPage:
    """The decision-text links of a case card, and whether the card shows the text itself."""
    text = decode_bytes(raw).text
    tree = parse_html(text, plain=True)
    texts = [href for href in _links(tree, url) if _op(href) == "doc"]
    is_card = (tree.find(".//div[@class='casenumber']") is not None or tree.find(".//ul[@class='tabs']") is not None
               or tree.find(".//*[@id='tab_content_Case']") is not None or looks_like_court_page(text))
    if not is_card:
        raise SiteChangedError(url, "changed site: expected markup missing (no case number, tabs or case card)")
    inline = tree.find(".//*[@id='tab_content_Document1']") is not None or _has_decision_text(text)
    return CardPage(list(dict.fromkeys(texts)), inline)


def _spaced(word: str) -> str:
    return r"\s{0,2}".join(word)  # decisions space out their headings: "У С Т А Н О В И Л"


_FINDINGS = re.compile(_spaced("установил"), re.I)
_OPERATIVE = re.compile(f"{_spaced('постановил')}|{_spaced('решил')}", re.I)


def _has_decision_text(html: str) -> bool:
    """The findings and the operative part of a decision: the page shows a decision text."""
    return bool(_FINDINGS.search(html) and _OPERATIVE.search(html))


def _links(tree: etree._Element, base: str) -> list[str]:
    return [urljoin(base, a.get("href").strip()) for a in tree.iter("a") if a.get("href")
            and "modules.php" in a.get("href")]


def _op(href: str) -> str | None:
    return _query(href, "name_op") or _query(href, "op")


def _query(href: str, key: str) -> str | None:
    values = parse_qs(urlsplit(href).query, keep_blank_values=True).get(key)
    return values[0] if values else None


# ---------------------------------------------------------------------- the crawl


class CourtCollector:
    """Crawls each site for one search; each site's crawl resumes where a stopped one left off."""

    def __init__(self, sites: list[CourtSite], search: CourtSearch) -> None:
        self.sites, self.search = sites, search

    def collect(self, client: PoliteClient, state: CrawlState, captures: Captures,
                stop: Callable[[], bool] = lambda: False) -> CrawlResult:
        result = CrawlResult()
        for site in self.sites:
            if stop():
                raise Stopped()
            try:
                crawl_site(site, self.search, client, state, captures, result, stop)
            except CollectError as exc:  # one site's trouble must not stop the others
                result.errors.append(str(exc))
        return result


def crawl_key(site: CourtSite, search: CourtSearch) -> str:
    return f"court {search_url(site, search)}"


def crawl_site(site: CourtSite, search: CourtSearch, client: PoliteClient, state: CrawlState, captures: Captures,
               result: CrawlResult, stop: Callable[[], bool] = lambda: False) -> None:
    """One site's crawl through its frontier: result pages, then cards, then texts, in the order
    found. A URL is marked done only once handled, so a stop or an error leaves it for the resume."""
    first = search_url(site, search)
    key = crawl_key(site, search)
    pending_cards = [(url, "card") for url in _pending_cards(state, site)]
    state.start_crawl(key, [(first, "results"), *pending_cards])
    while (item := state.next_pending(key)) is not None:
        if stop():
            raise Stopped()
        url, kind = item
        found = _visit(url, kind, site, first, client, state, captures, result)
        state.add(key, found)
        state.done(key, url)
    state.finish_crawl(key)


def _visit(url: str, kind: str, site: CourtSite, first: str, client: PoliteClient, state: CrawlState,
           captures: Captures, result: CrawlResult) -> list[tuple[str, str]]:
    if kind == "text":
        fetched = client.get(url, immutable=True)
        if fetched is None:
            result.skipped += 1
            return []
        result.fetched += 1
        captures.add_response(fetched, ingest=True)
        result.decisions += 1
        return []
    fetched = client.get(url, conditional=True)
    assert fetched is not None
    if fetched.not_modified:
        result.not_modified += 1
        return []
    result.fetched += 1
    if kind == "results":
        page = parse_results(fetched.content, fetched.url)
        captures.add_response(fetched, ingest=False)  # kept as the record of what the search showed
        return ([(page_url(first, site, n), "results") for n in sorted(page.pages)]
                + [(u, "card") for u in page.cards] + [(u, "text") for u in page.texts])
    card = parse_card(fetched.content, fetched.url)
    captures.add_response(fetched, ingest=card.holds_text)
    if card.holds_text:
        result.decisions += 1
    waiting = not card.holds_text and not card.texts
    if waiting:  # the text is not out yet: look at the card again in later crawls
        state.mark(_PENDING_CARDS, url, site.url)
    else:
        state.unmark(_PENDING_CARDS, url)
    return [(u, "text") for u in card.texts]


def _pending_cards(state: CrawlState, site: CourtSite) -> list[str]:
    return [key for key, value in state.marks(_PENDING_CARDS) if value == site.url]


def load_courts_file(path: Path, include_unverified: bool = True) -> list[CourtSite]:
    """Court sites from a TOML file of [[court]] tables, in border_courts.toml's form."""
    with path.open("rb") as handle:
        return courts_from_toml(tomllib.load(handle).get("court", []), include_unverified)
