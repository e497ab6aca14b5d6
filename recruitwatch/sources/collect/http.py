"""One polite HTTP client for every collector.

Court sites are slow state servers that ban crawlers which hammer them, so every request goes
through the same manners: a per-host token bucket, retries with exponential backoff and jitter
on connection errors, 5xx and 429 (honouring Retry-After), conditional requests with the
validators remembered in the crawl state, and the robots.txt policy the user chose. Errors are
typed and name the URL, so that a report says which site blocked us or changed its markup.
"""

from __future__ import annotations

import random
import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from recruitwatch.sources.collect.state import CrawlState

DEFAULT_USER_AGENT = "recruitwatch/0.1 (+https://github.com/recruitwatch; research crawler)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# sudrf and msudrf answer a search with a captcha form instead of results once they are wary
# of a client; a page with such a form is a block, not an empty result.
_CAPTCHA = re.compile(rb"captchaid|kcaptcha|name=[\"']?captcha|g-recaptcha|smart-captcha", re.I)


class CollectError(Exception):
    """A collection failure that names the URL it happened at."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


class BlockedError(CollectError):
    """The site refused us: 403, 401 or a captcha page instead of content."""


class SiteChangedError(CollectError):
    """The page arrived but the markup the collector expects is not there."""


class FetchFailed(CollectError):
    """Still failing after every retry: the site is down, overloaded or unreachable."""


class RobotsDisallowed(CollectError):
    """robots.txt disallows the URL and the policy is to obey it."""


class Stopped(Exception):  # noqa: N818 - a request to stop, not an error
    """The caller asked the collection to stop (SIGTERM, SIGINT)."""


@dataclass
class HttpSettings:
    user_agent: str = DEFAULT_USER_AGENT
    rate_per_host: float = 0.5  # requests per second to one host; 0 = no limit
    burst: int = 2  # requests allowed at once before the rate applies
    timeout: float = 30.0
    retries: int = 4  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_backoff: float = 120.0
    max_retry_after: float = 600.0  # a longer Retry-After is an outage, not a wait
    robots: str = "obey"  # "obey" | "ignore"
    proxy: str | None = None  # one proxy URL for every request ("http://host:3128", "socks5://…")
    verify_tls: bool = True  # several court sites serve certificates of the Russian national CA
    max_bytes: int = 50 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.robots not in ("obey", "ignore"):
            raise ValueError(f"robots policy must be 'obey' or 'ignore', not {self.robots!r}")
        if self.rate_per_host < 0 or self.burst < 1 or self.retries < 0 or self.timeout <= 0:
            raise ValueError("rate_per_host >= 0, burst >= 1, retries >= 0 and timeout > 0 are required")


@dataclass
class Fetched:
    """One HTTP exchange as it happened: what was asked and what came back."""

    url: str  # the final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    request_headers: httpx.Headers
    http_version: str = "HTTP/1.1"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    requested_url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "application/octet-stream").split(";")[0].strip().lower()


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; `take` waits for one."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.stamp = float(burst), clock()
        self.lock = threading.Lock()

    def delay(self) -> float:
        """Take a token; return how long to wait before using it (0 when one was ready)."""
        if self.rate <= 0:
            return 0.0
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            self.tokens -= 1
            return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class PoliteClient:
    """GET with manners. `state` remembers validators and what was fetched; `sleep` waits
    (collectors pass one that wakes on a stop request); `transport` is for httpx's own
    transports (a proxy mount, a test's ASGI app)."""

    def __init__(self, settings: HttpSettings | None = None, state: CrawlState | None = None,
                 sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or HttpSettings()
        self.state = state
        self.sleep = sleep
        self.buckets: dict[str, TokenBucket] = {}
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.requests = 0  # sent, retries included
        self.http = httpx.Client(headers={"User-Agent": self.settings.user_agent}, timeout=self.settings.timeout,
                                 follow_redirects=True, proxy=self.settings.proxy, verify=self.settings.verify_tls,
                                 transport=transport)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the one public request

    def get(self, url: str, *, conditional: bool = True, immutable: bool = False,
            params: dict[str, str] | None = None) -> Fetched | None:
        """Fetch `url`. None when `immutable` and the crawl state says it was fetched before:
        a decision text never changes, so it is never asked for twice. With `conditional` the
        remembered ETag / Last-Modified go along and a 304 comes back as `not_modified`."""
        if params:
            url = str(httpx.URL(url, params=params))
        if immutable and self.state is not None and self.state.fetched(url):
            return None
        self._check_robots(url)
        headers = {}
        if conditional and self.state is not None:
            headers = self.state.validators(url)
        fetched = self._get_with_retries(url, headers)
        if fetched.status in (401, 403):
            raise BlockedError(url, f"HTTP {fetched.status}: the site refuses this client")
        if fetched.status == 404:
            raise CollectError(url, "HTTP 404: no such page")
        if fetched.status >= 400:
            raise CollectError(url, f"HTTP {fetched.status}")
        if fetched.status == 200 and _CAPTCHA.search(fetched.content[:200_000]):
            raise BlockedError(url, "a captcha page instead of content")
        if self.state is not None and fetched.status == 200:
            self.state.remember(url, fetched.headers.get("etag"), fetched.headers.get("last-modified"),
                                fetched.content, immutable=immutable)
        return fetched

    # ------------------------------------------------------------------ retries and rate

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Fetched:
        s = self.settings
        for attempt in range(s.retries + 1):
            self._wait_turn(url)
            self.requests += 1
            try:
                response, content = self._exchange(url, headers)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                if attempt == s.retries:
                    raise FetchFailed(url, f"{type(exc).__name__}: {exc or 'no answer'} "
                                           f"(after {attempt + 1} attempts)") from exc
                self.sleep(self._backoff(attempt))
                continue
            if response.status_code not in RETRY_STATUSES:
                return Fetched(str(response.url), response.status_code, response.headers, content,
                               response.request.headers, response.http_version, requested_url=url)
            if attempt == s.retries:
                raise FetchFailed(url, f"HTTP {response.status_code} (after {attempt + 1} attempts)")
            wait = _retry_after(response.headers.get("retry-after"))
            if wait is not None and wait > s.max_retry_after:
                raise FetchFailed(url, f"HTTP {response.status_code} with Retry-After {wait:.0f} s "
                                       f"(more than the {s.max_retry_after:.0f} s allowed)")
            self.sleep(max(wait if wait is not None else 0.0, self._backoff(attempt)))
        raise AssertionError("unreachable")

    def _exchange(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        """One GET, its body read up to `max_bytes` (a runaway response is refused, not buffered)."""
        limit = self.settings.max_bytes
        with self.http.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise CollectError(url, f"response of {declared} bytes (limit {limit})")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise CollectError(url, f"response of more than {limit} bytes")
                chunks.append(chunk)
        return response, b"".join(chunks)

    def _backoff(self, attempt: int) -> float:
        """Exponential, with full jitter on top so that many clients do not retry in step."""
        base = min(self.settings.max_backoff, self.settings.backoff * 2**attempt)
        return base + random.uniform(0, base / 2)

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        bucket = self.buckets.get(host)
        if bucket is None:
            bucket = self.buckets[host] = TokenBucket(self.settings.rate_per_host, self.settings.burst)
        wait = bucket.delay()
        if wait > 0:
            self.sleep(wait)

    # ------------------------------------------------------------------ robots.txt

    def _check_robots(self, url: str) -> None:
        if self.settings.robots == "ignore":
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = self._load_robots(origin)
        rules = self.robots[origin]
        if rules is not None and not rules.can_fetch(self.settings.user_agent, url):
            why = ("robots.txt could not be read, which RFC 9309 treats as disallowing everything"
                   if rules.disallow_all else "robots.txt disallows it")
            raise RobotsDisallowed(url, f"{why} (policy: obey; set robots = \"ignore\" in [http] to override)")

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's rules, read as RFC 9309 says: a 4xx means no rules, a 5xx or no answer
        means everything is disallowed until it can be read."""
        robots_url = origin + "/robots.txt"
        rules = urllib.robotparser.RobotFileParser(robots_url)
        try:
            fetched = self._get_with_retries(robots_url, {})
        except FetchFailed:
            rules.disallow_all = True
            return rules
        if 400 <= fetched.status < 500:
            return None
        if fetched.status >= 500:
            rules.disallow_all = True
            return rules
        text = fetched.content.decode("utf-8", "replace")
        rules.parse(text.splitlines())
        return rules


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
