"""Feed polling and page capture: only new items are captured, each exchange lands in a WARC file."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from recruitwatch.sources.collect import Captures, CrawlState, FeedCollector, HttpSettings, Outlet, PoliteClient
from recruitwatch.sources.collect.pages import PageCollector
from tests.sources.collect.fixture_server import FixtureServer
from tests.sources.collect.news_site import OutletSite


@pytest.fixture
def outlet() -> Iterator[tuple[OutletSite, FixtureServer]]:
    site = OutletSite()
    server = FixtureServer(site.route)
    site.base = server.url
    yield site, server
    server.close()


def _client(state: CrawlState) -> PoliteClient:
    return PoliteClient(HttpSettings(rate_per_host=0), state)


def test_feed_poll_captures_new_items_only(outlet: tuple[OutletSite, FixtureServer], tmp_path: Path) -> None:
    site, server = outlet
    state = CrawlState.in_home(tmp_path)
    feeds = FeedCollector([Outlet("Outlet", server.url + "/rss")])
    with _client(state) as client, Captures(tmp_path, "feeds") as captures:
        first = feeds.collect(client, state, captures)
        assert first.new_items == 2 and first.errors == []
        assert sorted(s.origin for s in captures.sources) == [server.url + "/news/1", server.url + "/news/2"]
    with _client(state) as client, Captures(tmp_path, "feeds") as captures:
        unchanged = feeds.collect(client, state, captures)  # the feed answers 304: nothing to read
        assert unchanged.not_modified == 1 and unchanged.new_items == 0 and captures.sources == []
    site.items = [3, 1, 2]  # a new item on top
    with _client(state) as client, Captures(tmp_path, "feeds") as captures:
        second = feeds.collect(client, state, captures)
        assert second.new_items == 1
        assert [s.origin for s in captures.sources] == [server.url + "/news/3"]
    assert [server.requests[f"/news/{n}"] for n in (1, 2, 3)] == [1, 1, 1]
    assert server.requests["/rss"] == 3
    state.close()


def test_warc_records_are_readable_and_their_payload_hash_is_the_archived_sha(
        outlet: tuple[OutletSite, FixtureServer], tmp_path: Path) -> None:
    _, server = outlet
    state = CrawlState.in_home(tmp_path)
    with _client(state) as client, Captures(tmp_path, "pages") as captures:
        PageCollector([server.url + "/news/7"]).collect(client, state, captures)
        bodies = {s.origin: s.path.read_bytes() for s in captures.sources}
        warc_paths = [w.path for w in captures.warcs]
    assert len(warc_paths) == 1 and warc_paths[0].name.endswith(".warc.gz")
    with warc_paths[0].open("rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                    r.rec_headers.get_header("WARC-Payload-Digest"), r.content_stream().read(),
                    r.http_headers.get_statuscode() if r.rec_type == "response" else None)
                   for r in ArchiveIterator(handle, check_digests="raise")]  # a wrong digest raises
    assert sorted(r[0] for r in records) == ["request", "response", "warcinfo"]
    _, uri, digest, payload, status = next(r for r in records if r[0] == "response")
    assert uri == server.url + "/news/7" and status == "200"
    sha = hashlib.sha256(payload).hexdigest()
    assert payload == bodies[uri]  # what the pipeline archives is what the WARC record holds
    assert digest == "sha256:" + base64.b32encode(bytes.fromhex(sha)).decode()
    state.close()


def test_a_page_captured_again_is_kept_only_when_it_changed(outlet: tuple[OutletSite, FixtureServer],
                                                            tmp_path: Path) -> None:
    _, server = outlet
    state = CrawlState.in_home(tmp_path)
    pages = PageCollector([server.url + "/news/5", server.url + "/missing"])
    with _client(state) as client, Captures(tmp_path, "pages") as captures:
        first = pages.collect(client, state, captures)
    with _client(state) as client, Captures(tmp_path, "pages") as captures:
        again = pages.collect(client, state, captures)
    assert (first.captured, again.captured, again.unchanged) == (1, 0, 1)
    assert len(first.errors) == 1 and "/missing: HTTP 404" in first.errors[0]
    state.close()
