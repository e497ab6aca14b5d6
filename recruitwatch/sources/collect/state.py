"""The crawl state: a small SQLite file beside the store (not in its database) that remembers
what was fetched, with its validators and content hash, and what each crawl still has to do.

It holds no evidence, only bookkeeping, so it needs no migrations: a missing or deleted file
only means the next crawl asks the sites again (conditionally where it can).

- `fetched`: one row per URL: ETag, Last-Modified, SHA-256 of the body, whether it is immutable
  (a decision text: never asked for again) and when it was fetched.
- `frontier`: the URLs a crawl has found and whether each is done, so that a crawl stopped
  halfway resumes where it stopped and asks for nothing it already had.
- `marks`: small values per collector (the last Telegram message id read, a feed item seen).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, sha256 TEXT NOT NULL,
    immutable INTEGER NOT NULL DEFAULT 0, fetched_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS frontier (
    crawl TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (crawl, url));
CREATE TABLE IF NOT EXISTS crawls (crawl TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE IF NOT EXISTS marks (scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (scope, key));
"""
FILE_NAME = "collect-state.sqlite"


class CrawlState:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the collectors of a round; the lock keeps threads in turn.
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        # No fsync per commit: a power cut may lose the last few entries, which only means those
        # pages are asked for again (conditionally); the evidence is in the store, not here.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.lock = threading.Lock()

    @classmethod
    def in_home(cls, home: Path) -> CrawlState:
        return cls(Path(home) / FILE_NAME)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ fetched URLs

    def fetched(self, url: str) -> bool:
        """Whether an immutable page at `url` was fetched before."""
        with self.lock:
            row = self.db.execute("SELECT 1 FROM fetched WHERE url = ? AND immutable = 1", (url,)).fetchone()
        return row is not None

    def validators(self, url: str) -> dict[str, str]:
        """The conditional-request headers for `url` from its last fetch."""
        with self.lock:
            row = self.db.execute("SELECT etag, last_modified FROM fetched WHERE url = ?", (url,)).fetchone()
        headers = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def content_hash(self, url: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT sha256 FROM fetched WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def remember(self, url: str, etag: str | None, last_modified: str | None, content: bytes,
                 immutable: bool = False) -> None:
        sha = hashlib.sha256(content).hexdigest()
        with self.lock:
            self.db.execute(
                "INSERT INTO fetched (url, etag, last_modified, sha256, immutable, fetched_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "sha256 = excluded.sha256, immutable = max(immutable, excluded.immutable), "
                "fetched_at = excluded.fetched_at",
                (url, etag, last_modified, sha, int(immutable), _now()))

    # ------------------------------------------------------------------ a crawl's frontier

    def start_crawl(self, crawl: str, seeds: list[tuple[str, str]]) -> bool:
        """Begin `crawl` with its (url, kind) seeds unless it is under way: True when it is
        resumed (its frontier is kept), False when it starts afresh."""
        with self.lock:
            row = self.db.execute("SELECT finished_at FROM crawls WHERE crawl = ?", (crawl,)).fetchone()
            if row is not None and row[0] is None:
                return True
            self.db.execute("DELETE FROM frontier WHERE crawl = ?", (crawl,))
            self.db.execute("INSERT OR REPLACE INTO crawls (crawl, started_at, finished_at) VALUES (?, ?, NULL)",
                            (crawl, _now()))
        self.add(crawl, seeds)
        return False

    def add(self, crawl: str, found: list[tuple[str, str]]) -> None:
        """Put newly found (url, kind) pairs on the frontier; ones already there are kept as they are."""
        with self.lock:
            seq = self.db.execute("SELECT coalesce(max(seq), 0) FROM frontier WHERE crawl = ?", (crawl,)).fetchone()[0]
            self.db.executemany("INSERT OR IGNORE INTO frontier (crawl, url, kind, seq) VALUES (?, ?, ?, ?)",
                                [(crawl, url, kind, seq + n + 1) for n, (url, kind) in enumerate(found)])

    def next_pending(self, crawl: str) -> tuple[str, str] | None:
        with self.lock:
            row = self.db.execute("SELECT url, kind FROM frontier WHERE crawl = ? AND done = 0 ORDER BY seq LIMIT 1",
                                  (crawl,)).fetchone()
        return (row[0], row[1]) if row else None

    def done(self, crawl: str, url: str) -> None:
        with self.lock:
            self.db.execute("UPDATE frontier SET done = 1 WHERE crawl = ? AND url = ?", (crawl, url))

    def finish_crawl(self, crawl: str) -> None:
        with self.lock:
            self.db.execute("UPDATE crawls SET finished_at = ? WHERE crawl = ?", (_now(), crawl))
            self.db.execute("DELETE FROM frontier WHERE crawl = ?", (crawl,))

    # ------------------------------------------------------------------ marks

    def mark(self, scope: str, key: str, value: str = "1") -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO marks (scope, key, value) VALUES (?, ?, ?)", (scope, key, value))

    def marked(self, scope: str, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT value FROM marks WHERE scope = ? AND key = ?", (scope, key)).fetchone()
        return row[0] if row else None

    def unmark(self, scope: str, key: str) -> None:
        with self.lock:
            self.db.execute("DELETE FROM marks WHERE scope = ? AND key = ?", (scope, key))

    def marks(self, scope: str) -> list[tuple[str, str]]:
        """Every (key, value) of `scope`, in key order."""
        with self.lock:
            return self.db.execute("SELECT key, value FROM marks WHERE scope = ? ORDER BY key", (scope,)).fetchall()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
