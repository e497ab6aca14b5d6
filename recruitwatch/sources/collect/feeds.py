"""RSS/Atom polling: read each outlet's feed (conditionally), and capture the article page of
every item not seen before.

The feed itself is kept in the WARC file as the record of the poll, but not sent to the
pipeline: a feed's bytes change with every new item, so storing it would store its old items
again as new documents. The items are stored through their pages, each once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from recruitwatch.sources.collect.capture import Captures
from recruitwatch.sources.collect.http import CollectError, PoliteClient, SiteChangedError, Stopped
from recruitwatch.sources.collect.pages import capture_page
from recruitwatch.sources.collect.state import CrawlState
from recruitwatch.sources.encoding import DecodeError, decode_bytes
from recruitwatch.sources.feeds import FeedError, feed_documents, looks_like_feed


@dataclass(frozen=True)
class Outlet:
    name: str
    feed: str  # the RSS or Atom URL


@dataclass
class FeedResult:
    polled: int = 0  # feeds that came back with content
    not_modified: int = 0  # 304 answers
    new_items: int = 0  # items not seen before, their pages captured
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FeedItem:
    key: str  # the item's link, or a hash of its text where it has none
    url: str | None
    title: str | None


def feed_items(raw: bytes, url: str) -> list[FeedItem]:
    """The items of a feed, by sources.feeds' reading of it."""
    try:
        text = decode_bytes(raw).text
    except DecodeError as exc:
        raise SiteChangedError(url, f"feed is not text: {exc}") from exc
    if not looks_like_feed(text.lstrip()[:2000].lower()):
        raise SiteChangedError(url, "changed site: expected an RSS or Atom feed, got something else")
    try:
        docs = feed_documents(text, url)
    except FeedError as exc:
        raise SiteChangedError(url, f"changed site: {exc}") from exc
    items = []
    for doc in docs:
        link = doc.meta.get("url")
        key = link or "sha256:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        items.append(FeedItem(key, link, doc.title))
    return items


class FeedCollector:
    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets

    def collect(self, client: PoliteClient, state: CrawlState, captures: Captures,
                stop: Callable[[], bool] = lambda: False) -> FeedResult:
        result = FeedResult()
        for outlet in self.outlets:
            if stop():
                raise Stopped()
            try:
                self._poll(outlet, client, state, captures, result, stop)
            except CollectError as exc:
                result.errors.append(str(exc))
        return result

    @staticmethod
    def _poll(outlet: Outlet, client: PoliteClient, state: CrawlState, captures: Captures, result: FeedResult,
              stop: Callable[[], bool]) -> None:
        fetched = client.get(outlet.feed, conditional=True)
        assert fetched is not None
        if fetched.not_modified:
            result.not_modified += 1
            return
        result.polled += 1
        items = feed_items(fetched.content, fetched.url)
        captures.add_response(fetched, ingest=False)
        scope = f"feed {outlet.feed}"
        for item in items:
            if state.marked(scope, item.key) is not None:
                continue
            if item.url is None:  # nothing to capture but the feed's summary: note it, keep going
                result.errors.append(f"{outlet.feed}: item {item.title!r} has no link; not captured")
                state.mark(scope, item.key)
                continue
            if stop():
                raise Stopped()
            try:
                capture_page(client, state, captures, item.url)
            except CollectError as exc:  # left unmarked: the next poll tries it again
                result.errors.append(str(exc))
                continue
            state.mark(scope, item.key)
            result.new_items += 1
