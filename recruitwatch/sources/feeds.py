"""RSS 2.0 and Atom files: one Document per item, with its link, title and date."""

from __future__ import annotations

from datetime import date
from email.utils import parsedate_to_datetime

from lxml import etree

from recruitwatch.models import Document

_ATOM = "{http://www.w3.org/2005/Atom}"


class FeedError(ValueError):
    """A feed we could not read."""


def looks_like_feed(head: str) -> bool:
    """`head` is the lower-cased start of the decoded file."""
    return ("<rss" in head or "<feed" in head) and "<html" not in head


def feed_documents(text: str, origin: str) -> list[Document]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"unreadable feed: {exc}") from exc
    if root is None:
        raise FeedError("unreadable feed")
    items = root.iter("item") if root.tag == "rss" or root.find(".//item") is not None else root.iter(f"{_ATOM}entry")
    docs = [_item_document(item, origin, n) for n, item in enumerate(items)]
    docs = [d for d in docs if d.text.strip()]
    if not docs:
        raise FeedError("feed has no items with text")
    return docs


def _item_document(item: etree._Element, origin: str, n: int) -> Document:
    from recruitwatch.sources.html import clean_text, parse_html, visible_text

    title = _child(item, "title")
    body = _child(item, "description") or _child(item, "content") or _child(item, "summary") or ""
    if "<" in body:
        body = visible_text(parse_html(f"<html><body>{body}</body></html>"))
    link = _child(item, "link") or _atom_link(item)
    text = clean_text("\n\n".join(part for part in (title, body) if part))
    return Document(origin=f"{origin}#item-{n + 1}", text=text, media_type="application/rss+xml", title=title,
                    published=_date(_child(item, "pubDate") or _child(item, "published") or _child(item, "updated")),
                    meta={k: v for k, v in {"url": link}.items() if v})


def _child(item: etree._Element, name: str) -> str | None:
    node = item.find(name)
    if node is None:
        node = item.find(f"{_ATOM}{name}")
    return (node.text or "").strip() or None if node is not None else None


def _atom_link(item: etree._Element) -> str | None:
    node = item.find(f"{_ATOM}link")
    return node.get("href") if node is not None else None


def _date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError):
        return None
