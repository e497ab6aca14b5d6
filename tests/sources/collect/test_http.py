"""The polite client against a local server: retries, Retry-After, validators, robots.txt, blocks."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from recruitwatch.sources.collect import (
    BlockedError,
    CollectError,
    CrawlState,
    FetchFailed,
    HttpSettings,
    PoliteClient,
    RobotsDisallowed,
)
from recruitwatch.sources.collect.http import TokenBucket
from tests.sources.collect.fixture_server import FixtureServer, Reply

PAGES = {
    "/robots.txt": Reply(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
    "/page": Reply("<html><body><p>Страница</p></body></html>".encode(), "text/html; charset=utf-8"),
    "/private/page": Reply(b"<html><body>secret</body></html>", "text/html"),
    "/forbidden": Reply(b"<html><body>Forbidden</body></html>", status=403),
    "/captcha": Reply(b'<html><body><form><img src="data:image/png;base64,AA=="><input name="captchaid" '
                      b'value="1"></form></body></html>'),
}


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    s = FixtureServer(PAGES.get)
    yield s
    s.close()


class Sleeps(list[float]):
    """Really sleeps, and keeps how long each wait was."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(seconds)


def _client(state: CrawlState | None = None, sleeps: Sleeps | None = None, **settings: object) -> PoliteClient:
    options = {"rate_per_host": 0, "backoff": 0.05, "retries": 3, **settings}
    return PoliteClient(HttpSettings(**options), state, sleep=sleeps if sleeps is not None else Sleeps())


def test_an_outage_of_503s_is_retried_with_growing_backoff(server: FixtureServer) -> None:
    server.fail("/page", Reply(b"down", status=503), Reply(b"down", status=503))
    sleeps = Sleeps()
    with _client(sleeps=sleeps) as client:
        fetched = client.get(server.url + "/page")
    assert fetched is not None and fetched.status == 200 and "Страница" in fetched.content.decode()
    assert server.requests["/page"] == 3
    assert len(sleeps) == 2 and 0.05 <= sleeps[0] <= 0.075 and 0.1 <= sleeps[1] <= 0.15  # doubled, plus jitter


def test_an_outage_that_lasts_fails_with_the_url(server: FixtureServer) -> None:
    server.fail("/page", *[Reply(b"down", status=503)] * 4)
    with _client() as client, pytest.raises(FetchFailed, match=r"/page: HTTP 503 \(after 4 attempts\)"):
        client.get(server.url + "/page")


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    with _client(sleeps=sleeps, robots="ignore") as client, pytest.raises(FetchFailed, match="ConnectError") as err:
        client.get(f"http://127.0.0.1:{port}/page")
    assert err.value.url == f"http://127.0.0.1:{port}/page"
    assert len(sleeps) == 3 and sleeps == sorted(sleeps)


def test_429_waits_as_long_as_retry_after_says(server: FixtureServer) -> None:
    server.fail("/page", Reply(b"slow down", status=429, headers={"Retry-After": "1"}))
    sleeps = Sleeps()
    started = time.monotonic()
    with _client(sleeps=sleeps) as client:
        fetched = client.get(server.url + "/page")
    assert fetched is not None and fetched.status == 200
    assert sleeps[0] >= 1.0 and time.monotonic() - started >= 1.0
    assert server.requests["/page"] == 2


def test_a_retry_after_beyond_the_limit_is_an_outage(server: FixtureServer) -> None:
    server.fail("/page", Reply(b"later", status=503, headers={"Retry-After": "86400"}))
    with _client(max_retry_after=60) as client, pytest.raises(FetchFailed, match="Retry-After 86400"):
        client.get(server.url + "/page")


def test_conditional_requests_are_answered_304(server: FixtureServer, tmp_path: Path) -> None:
    state = CrawlState.in_home(tmp_path)
    with _client(state) as client:
        first = client.get(server.url + "/page")
        second = client.get(server.url + "/page")
    assert first is not None and first.status == 200 and first.headers["etag"]
    assert second is not None and second.not_modified and second.content == b""
    sent = [headers for target, headers in server.request_headers if target == "/page"]
    assert "If-None-Match" not in sent[0] and sent[1]["If-None-Match"] == first.headers["etag"]
    state.close()


def test_immutable_pages_are_fetched_once_ever(server: FixtureServer, tmp_path: Path) -> None:
    state = CrawlState.in_home(tmp_path)
    with _client(state) as client:
        assert client.get(server.url + "/page", immutable=True) is not None
    with _client(CrawlState.in_home(tmp_path)) as client:
        assert client.get(server.url + "/page", immutable=True) is None
    assert server.requests["/page"] == 1


def test_robots_disallow_is_obeyed_unless_the_policy_says_ignore(server: FixtureServer) -> None:
    with _client() as client, pytest.raises(RobotsDisallowed, match="/private/page: robots.txt disallows it"):
        client.get(server.url + "/private/page")
    assert server.requests["/private/page"] == 0 and server.requests["/robots.txt"] == 1
    with _client(robots="ignore") as client:
        assert client.get(server.url + "/private/page") is not None
    assert server.requests["/private/page"] == 1


def test_403_and_captcha_pages_are_blocks(server: FixtureServer) -> None:
    with _client() as client:
        with pytest.raises(BlockedError, match="/forbidden: HTTP 403"):
            client.get(server.url + "/forbidden")
        with pytest.raises(BlockedError, match="/captcha: a captcha page"):
            client.get(server.url + "/captcha")


def test_user_agent_comes_from_the_settings(server: FixtureServer) -> None:
    with _client(user_agent="recruitwatch-test/1 (contact: team@example.org)") as client:
        client.get(server.url + "/page")
    assert all(h["User-Agent"] == "recruitwatch-test/1 (contact: team@example.org)" for _, h in server.request_headers)


def test_token_bucket_spaces_requests_after_the_burst() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=1, clock=lambda: now[0])
    assert [bucket.delay(), bucket.delay(), bucket.delay()] == [0.0, 0.5, 1.0]
    now[0] = 10.0  # a long pause refills the bucket, never beyond its burst
    assert bucket.delay() == 0.0 and bucket.delay() == 0.5
    assert TokenBucket(rate=0, burst=1).delay() == 0.0  # 0 = no limit


def test_rate_limit_applies_per_host(server: FixtureServer) -> None:
    sleeps = Sleeps()
    # 2 a second: a token takes 0.5 s to come back, far longer than a local request takes even on a
    # loaded machine (at 20 a second, a request slower than 50 ms found its token back: no wait).
    with _client(sleeps=sleeps, rate_per_host=2.0, burst=1, robots="ignore") as client:
        for _ in range(3):
            client.get(server.url + "/page")
    assert len(sleeps) == 2 and all(0 < s <= 0.5 + 1e-9 for s in sleeps)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="robots policy"):
        HttpSettings(robots="sometimes")


def test_an_unreadable_robots_txt_disallows_everything(server: FixtureServer) -> None:
    server.fail("/robots.txt", *[Reply(b"down", status=503)] * 2)
    with _client(retries=1) as client, pytest.raises(RobotsDisallowed, match="could not be read"):
        client.get(server.url + "/page")
    assert server.requests["/page"] == 0


def test_a_response_beyond_the_size_limit_is_refused(server: FixtureServer) -> None:
    with _client(max_bytes=10, robots="ignore") as client, pytest.raises(CollectError, match="limit 10"):
        client.get(server.url + "/page")
