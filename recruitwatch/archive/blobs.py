"""The evidence archive: every original kept byte for byte, named by its SHA-256.

Blobs are plain files `blobs/ab/abcdef…` so that any tool (sha256sum) can check them without
recruitwatch. Writing is atomic (temp file, fsync, rename): a crash never leaves half a blob
under a real name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not _SHA256_HEX.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, raw: bytes, durable: bool = True) -> tuple[str, bool]:
        """Store `raw`; return its SHA-256 and whether it was new. With `durable` off the
        caller must call `flush` before it relies on the blob being on disk."""
        sha = hashlib.sha256(raw).hexdigest()
        return sha, self._write(sha, raw, durable)

    def put_many(self, originals: list[tuple[str, bytes]], durable: bool = True) -> list[bool]:
        """Store each (SHA-256, bytes) pair, the name computed by the caller from those very bytes
        (a batch has hashed them already); whether each was new. `durable` as in `put`."""
        return [self._write(sha, raw, durable) for sha, raw in originals]

    def _write(self, sha: str, raw: bytes, durable: bool) -> bool:
        target = self.path_for(sha)
        if target.exists():
            return False
        fd, tmp = self._temp_file(target)
        try:
            try:
                view = memoryview(raw)
                while view:
                    view = view[os.write(fd, view):]
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    @staticmethod
    def _temp_file(target: Path) -> tuple[int, str]:
        """A new file to write `target`'s bytes into before renaming it. Named after the blob and
        this process, so that the common case costs one system call (no random names tried, no
        folder made); another writer of the same bytes, or a killed run's leftover, takes a
        random name instead."""
        tmp = f"{target.parent}/.tmp-{target.name}-{os.getpid()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            pass
        return tempfile.mkstemp(dir=target.parent, prefix=".tmp-")

    @staticmethod
    def flush() -> None:
        """Put every blob written without `durable` on disk (one sync for a whole batch)."""
        os.sync()

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def rehash(self, sha256: str) -> str | None:
        """The SHA-256 of what is stored under `sha256` now, or None when it is gone."""
        path = self.path_for(sha256)
        if not path.exists():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def __iter__(self) -> Iterator[str]:
        """The names of every blob file present (temp files excluded)."""
        if not self.root.exists():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir():
                yield from (p.name for p in sorted(sub.iterdir()) if not p.name.startswith("."))
