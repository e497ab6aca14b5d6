"""Single-page capture: fetch a page, keep the exchange in the WARC file and its body for the pipeline.

A page captured again is kept again only when its bytes changed: an article edited after
publication is evidence too, the same bytes twice are not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from recruitwatch.sources.collect.capture import Captures
from recruitwatch.sources.collect.http import CollectError, PoliteClient, Stopped
from recruitwatch.sources.collect.state import CrawlState


@dataclass
class PageResult:
    captured: int = 0  # pages kept (new or changed)
    unchanged: int = 0  # 304, or the same bytes as last time
    errors: list[str] = field(default_factory=list)


def capture_page(client: PoliteClient, state: CrawlState, captures: Captures, url: str) -> bool:
    """Fetch `url` and keep it if it is new or changed since its last capture; True when kept."""
    before = state.content_hash(url)
    fetched = client.get(url, conditional=True)
    assert fetched is not None
    if fetched.not_modified or hashlib.sha256(fetched.content).hexdigest() == before:
        return False
    captures.add_response(fetched, ingest=True)
    return True


class PageCollector:
    def __init__(self, urls: list[str]) -> None:
        self.urls = urls

    def collect(self, client: PoliteClient, state: CrawlState, captures: Captures,
                stop: Callable[[], bool] = lambda: False) -> PageResult:
        result = PageResult()
        for url in self.urls:
            if stop():
                raise Stopped()
            try:
                if capture_page(client, state, captures, url):
                    result.captured += 1
                else:
                    result.unchanged += 1
            except CollectError as exc:
                result.errors.append(str(exc))
        return result
