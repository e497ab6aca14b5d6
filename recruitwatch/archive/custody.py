"""The custody log: an append-only JSON Lines file in which every entry carries the hash of
the one before, so that a changed, removed or inserted entry breaks the chain where it happened.

Entries never hold document content, only hashes and origins: a purge must be recordable
without keeping what was purged.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
ACTIONS = ("capture", "extraction", "review", "export", "purge", "restore")


@dataclass(frozen=True)
class CustodyProblem:
    line: int
    problem: str


@dataclass
class CustodyCheck:
    problems: list[CustodyProblem] = field(default_factory=list)
    entries: int = 0
    captured: set[int] = field(default_factory=set)


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


# How json.dumps(ensure_ascii=False) writes a string.
_json_string = json.encoder.encode_basestring


def _hash_and_line(entry: dict[str, Any]) -> tuple[str, str]:
    """`entry_hash(entry)` and the entry's line with that hash in it, exactly as json.dumps(sort_keys=True,
    ensure_ascii=False) writes them, with the entry serialised once instead of twice: the keys in
    sorted order are action, details, hash, prev, seq, subject, time, so the hashed body is the
    line without its hash."""
    action, subject, prev, time, seq = entry["action"], entry["subject"], entry["prev"], entry["time"], entry["seq"]
    if not (type(action) is str and type(subject) is str and type(prev) is str and type(time) is str
            and type(seq) is int):  # not the shape written below: the general way
        digest = entry_hash(entry)
        return digest, json.dumps({**entry, "hash": digest}, ensure_ascii=False, sort_keys=True) + "\n"
    head = (f'{{"action": {_json_string(action)}, '
            f'"details": {json.dumps(entry["details"], sort_keys=True, ensure_ascii=False)}')
    tail = (f', "prev": {_json_string(prev)}, "seq": {seq}, '
            f'"subject": {_json_string(subject)}, "time": {_json_string(time)}}}')
    digest = hashlib.sha256((head + tail).encode("utf-8")).hexdigest()
    return digest, f'{head}, "hash": "{digest}"{tail}\n'


class CustodyLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, action: str, subject: str, **details: Any) -> dict[str, Any]:
        """Append one entry (see `append_many`)."""
        return self.append_many([(action, subject, details)])[0]

    def append_many(self, items: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Append (action, subject, details) entries under one exclusive lock and one fsync:
        several ingests may write at once, and a batch costs one disk flush, not one per entry."""
        bad = [action for action, _, _ in items if action not in ACTIONS]
        if bad:
            raise ValueError(f"unknown custody action {bad[0]!r}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._cut_partial_tail(handle)
                seq, prev = self._tail(handle)
                written, lines = [], []
                for action, subject, details in items:
                    seq += 1
                    entry = {"seq": seq, "time": datetime.now(UTC).isoformat(timespec="microseconds"),
                             "action": action, "subject": subject, "details": details, "prev": prev}
                    prev, line = _hash_and_line(entry)
                    entry["hash"] = prev
                    written.append(entry)
                    lines.append(line)
                handle.seek(0, os.SEEK_END)
                handle.write("".join(lines))
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return written

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)

    def head(self) -> tuple[int, str]:
        """The last entry's sequence number and hash (0 and the genesis hash when empty)."""
        if not self.path.exists():
            return 0, GENESIS
        with self.path.open(encoding="utf-8") as handle:
            return self._tail(handle)

    def captured_documents(self) -> set[int]:
        """The ids of every document whose capture the log records (unreadable lines skipped)."""
        return self.check().captured

    def last_captured_document_id(self, horizon: int = 1 << 20) -> int | None:
        """The document id of the newest capture entry within the log's last `horizon` bytes
        (a cheap check for missing tails). Other entries (extractions, WARC captures, exports)
        may follow it; None when no capture entry lies that close to the end."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - horizon)
            handle.seek(start)
            lines = handle.read(size - start).split(b"\n")
        if start > 0:
            lines = lines[1:]  # the first line read may be a piece of a longer one
        for line in reversed(lines):
            if b'"capture"' not in line:
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            details = entry.get("details") if isinstance(entry.get("details"), dict) else {}
            if entry.get("action") == "capture" and "document_id" in details:
                return details["document_id"]
        return None

    def verify(self) -> list[CustodyProblem]:
        """Every break in the chain: an entry whose own hash, predecessor or number is wrong."""
        return self.check().problems

    def check(self) -> CustodyCheck:
        """One pass over the log: the chain's breaks, the number of entries and the documents
        whose capture it records. A line that is not JSON is a break, never a crash."""
        result = CustodyCheck()
        if not self.path.exists():
            return result
        prev, seq = GENESIS, 0
        with self.path.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    result.problems.append(CustodyProblem(n, "not a JSON entry (changed or truncated)"))
                    continue
                result.entries += 1
                result.problems += _check_entry(n, entry, prev, seq)
                details = entry.get("details") if isinstance(entry.get("details"), dict) else {}
                if entry.get("action") == "capture" and "document_id" in details:
                    result.captured.add(details["document_id"])
                prev, seq = entry.get("hash", ""), entry.get("seq", seq + 1)
        return result

    @staticmethod
    def _cut_partial_tail(handle: Any) -> None:
        """Drop a last line without its newline: the write of a process killed mid-append. Its
        entries were never whole; the documents they named are logged again (Store recovery)."""
        fd = handle.fileno()
        size = os.lseek(fd, 0, os.SEEK_END)
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return
        start = max(0, size - (1 << 20))
        cut = os.pread(fd, size - start, start).rfind(b"\n")
        os.ftruncate(fd, start + cut + 1 if cut >= 0 else 0)

    @classmethod
    def _tail(cls, handle: Any) -> tuple[int, str]:
        """The last entry's number and hash."""
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return 0, GENESIS
        entry = cls._last_entry(handle)
        return int(entry["seq"]), str(entry["hash"])

    @staticmethod
    def _last_entry(handle: Any) -> dict[str, Any]:
        """Read from the end of the file: the log only grows, so reading it whole on every
        append would make ingest quadratic."""
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        window = 4096
        while True:
            start = max(0, size - window)
            handle.buffer.seek(start)
            lines = handle.buffer.read(size - start).decode("utf-8", "replace").rstrip("\n").split("\n")
            if len(lines) > 1 or start == 0:
                return json.loads(lines[-1])
            window *= 4


def _check_entry(line: int, entry: dict[str, Any], prev: str, seq: int) -> list[CustodyProblem]:
    problems = []
    if entry.get("hash") != entry_hash(entry):
        problems.append(CustodyProblem(line, f"entry {entry.get('seq')} was changed (its hash does not match)"))
    if entry.get("prev") != prev:
        problems.append(CustodyProblem(line, f"entry {entry.get('seq')} does not follow the entry before it "
                                             "(an entry was removed or inserted here)"))
    if entry.get("seq") != seq + 1:
        problems.append(CustodyProblem(line, f"entry number {entry.get('seq')} where {seq + 1} was expected"))
    return problems
