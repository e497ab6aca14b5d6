"""HTML pages to text: court decision pages by their own parser, news pages by trafilatura.

Text is what the extractors quote from, so it must never contain markup or scripts, and
must stay the same for the same page (spans point into it).
"""

from __future__ import annotations

import re
import threading
from datetime import date

import lxml.html
from lxml import etree

from recruitwatch.models import Document

_MANY_NEWLINES = re.compile(r"\n{3,}")
# Control characters are not text; lxml refuses strings that hold them.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same as UTF-8 bytes (where no other character's encoding holds one): a page's UTF-8 encoding
# stripped of them is as long as it was when it holds none. Two C passes; a regex character class
# scanned over the str is twice the time.
_CONTROL_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")


class HtmlError(ValueError):
    """A page we refuse to read, with the reason."""


def html_to_document(html: str, origin: str) -> Document:
    """A Document from a decoded HTML page: a court decision if it looks like one, else news."""
    from recruitwatch.sources.court_page import looks_like_court_page, parse_court_page

    utf8 = _utf8(html)
    if _has_control_bytes(utf8):
        html = _CONTROL_RE.sub("", html)
        utf8 = _utf8(html)
    if looks_like_court_page(html):
        # Plain lxml elements: the court parser needs no HtmlElement methods, and lxml.html looks
        # up the class of every element it hands to Python in Python, a third of the parse's time.
        tree = parse_html(html, plain=True, utf8=utf8)
        case, text, title = parse_court_page(html, tree)
        return Document(origin=origin, text=text, media_type="text/html; court-decision", title=title,
                        published=case.decision_date, case=case, meta=_page_meta(tree))
    return _news_document(html, parse_html(html, utf8=utf8), origin)


def _utf8(html: str) -> bytes:
    """`html` as UTF-8, a lone surrogate (which strict UTF-8 refuses) as "?"."""
    try:
        return html.encode("utf-8")
    except UnicodeEncodeError:
        return html.encode("utf-8", "replace")


def _has_control_bytes(utf8: bytes) -> bool:
    return len(utf8.translate(None, _CONTROL_BYTES)) != len(utf8)


def parse_html(html: str, plain: bool = False, utf8: bytes | None = None) -> lxml.html.HtmlElement:
    """Parse leniently. libxml2 itself stops nesting at 255 levels (without its huge-tree
    option, which stays off), so hostile depth cannot exhaust the stack here or in lxml.

    `plain`: the same tree as plain lxml.etree elements, without lxml.html's methods (its
    per-element class lookup runs in Python); `utf8`: `html` encoded by _utf8, when the caller has it."""
    if not html or html.isspace():
        raise HtmlError("empty page")
    utf8 = _utf8(html) if utf8 is None else utf8
    try:
        if plain:
            tree = _parse_utf8(utf8)
        else:
            tree = lxml.html.document_fromstring(utf8, parser=lxml.html.HTMLParser(encoding="utf-8", huge_tree=False))
    except (etree.ParserError, ValueError) as exc:
        raise HtmlError(f"unreadable HTML: {exc}") from exc
    return tree


# A parser made once per thread (lxml parsers are not thread-safe): making one costs as much as
# parsing a court page with it. Without a table of the elements' ids (collect_ids): nothing here looks
# elements up by id (ElementPath's [@id=...] reads the attributes), and filling it is ~8% of a parse.
_parsers = threading.local()


def _parse_utf8(utf8: bytes) -> etree._Element:
    """What lxml.html.document_fromstring does, with etree's parser, on a page's UTF-8 bytes: lxml
    reads them in less time than the str (which it refuses with an XML declaration naming an
    encoding, and cuts at a lone surrogate); the parser's encoding overrides any the page declares."""
    parser = getattr(_parsers, "utf8", None)
    if parser is None:
        parser = _parsers.utf8 = etree.HTMLParser(encoding="utf-8", huge_tree=False, collect_ids=False)
    tree = etree.fromstring(utf8, parser=parser)
    if tree is None:
        raise etree.ParserError("Document is empty")
    return tree


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """The page's text as a reader sees it: blocks on their own lines, no scripts or styles."""
    tree = _copy_without(tree, _DROP)
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter("p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "article", "section"):
        block.tail = "\n" + (block.tail or "")
    return clean_text(tree.text_content())


def clean_text(text: str) -> str:
    """Lines stripped, each run of blanks (space, tab, no-break space) one space, at most one empty
    line in a row."""
    # Blanks by str.replace, not a regex: `re` tries a pattern at every space (most word breaks);
    # these are C passes, one per doubling of the longest run. None of them touches a newline, so
    # passes over the whole text equal passes per line.
    text = text.replace("\r\n", "\n")
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    text = "\n".join(map(str.strip, text.split("\n")))
    return (_MANY_NEWLINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()


def _news_document(html: str, tree: lxml.html.HtmlElement, origin: str) -> Document:
    meta = _page_meta(tree)
    text = _main_text(html) or visible_text(tree)
    published = _meta_date(meta)
    title = meta.get("title") or _title(tree)
    return Document(origin=origin, text=text, media_type="text/html", title=title, published=published,
                    meta=meta)


def _main_text(html: str) -> str | None:
    """Main text without navigation and boilerplate (trafilatura), or None when it finds none."""
    import trafilatura

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # noqa: BLE001 - trafilatura raises many kinds on broken pages; fall back
        return None
    return clean_text(text) if text else None


def _page_meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        value = (node.get("content") or "").strip()
        if key and value and len(value) < 2000:
            meta.setdefault(key, value)
    out = {"title": meta.get("og:title") or meta.get("title"),
           "author": meta.get("author") or meta.get("article:author"),
           "site": meta.get("og:site_name"),
           "published": meta.get("article:published_time") or meta.get("date") or meta.get("pubdate")
           or meta.get("datepublished"),
           "synthetic": meta.get("recruitwatch-synthetic")}
    return {k: v for k, v in out.items() if v}


def _meta_date(meta: dict[str, str]) -> date | None:
    raw = meta.get("published", "")[:10]
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _title(tree: lxml.html.HtmlElement) -> str | None:
    node = tree.find(".//title")
    text = (node.text_content() if node is not None else "").strip()
    return text or None


def _copy_without(tree: lxml.html.HtmlElement, tags: tuple[str, ...]) -> lxml.html.HtmlElement:
    tree = lxml.html.fromstring(lxml.html.tostring(tree))
    for node in list(tree.iter(*tags)):
        node.drop_tree()
    for node in list(tree.iter(etree.Comment)):
        node.drop_tree()
    return tree
