"""Captures: what a collector fetched, kept twice over as evidence and handed on to the pipeline.

Every HTTP exchange a collector keeps goes into a WARC file (request and response records,
written with warcio) under `<home>/warc/`, so that the page can be shown as it was served,
headers and all, by any WARC tool. The response body also goes, as a file of its own with the
URL as its origin, to the pipeline, which archives the bytes by their SHA-256 and extracts them.
The WARC record's payload digest is that SHA-256, which ties the two together.

The bodies wait for the pipeline in a spool folder in the home (`<home>/collect-spool/`), each
beside a note of its origin, and are removed only once ingested: a decision text is fetched once
ever, so a run killed before its ingest must leave it where the next run finds it (`leftovers`).

The body is recorded as httpx hands it over: with any Content-Encoding (gzip, br) undone, so the
record's Content-Encoding header is dropped and its Content-Length is the decoded length.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recruitwatch.sources.collect.http import Fetched
from recruitwatch.sources.files import SourceFile

_HOP_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}
_SUFFIX = {"text/html": ".html", "application/xhtml+xml": ".html", "application/rss+xml": ".xml",
           "application/atom+xml": ".xml", "application/xml": ".xml", "text/xml": ".xml",
           "application/json": ".json", "text/plain": ".txt", "application/pdf": ".pdf"}


@dataclass
class WarcFile:
    path: Path
    records: int = 0


SPOOL = "collect-spool"
WARC = "warc"


@dataclass
class Captures:
    """The captures of one collector run in the home `root`: WARC records written as they come,
    bodies spooled for the pipeline (`sources`) until `close` after their ingest."""

    root: Path
    label: str  # the collector, in the WARC file's name
    sources: list[SourceFile] = field(default_factory=list)
    warcs: list[WarcFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self._spool = self.root / SPOOL / f"{self.label}-{stamp}-{uuid.uuid4().hex[:8]}"
        self._warc_handle: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None

    @staticmethod
    def leftovers(root: Path) -> list[SourceFile]:
        """Bodies spooled by runs that ended before their ingest (killed, crashed), oldest first."""
        found = []
        for folder in sorted((root / SPOOL).glob("*/")) if (root / SPOOL).is_dir() else []:
            for body in sorted(folder.iterdir()):
                note = body.with_name(body.name + ".origin")
                if not body.name.endswith(".origin") and note.is_file():
                    found.append(SourceFile(body, note.read_text("utf-8")))
        return found

    @staticmethod
    def discard(root: Path, sources: list[SourceFile]) -> None:
        """Remove ingested leftovers, and their folders once empty."""
        for source in sources:
            source.path.unlink(missing_ok=True)
            source.path.with_name(source.path.name + ".origin").unlink(missing_ok=True)
        for folder in (root / SPOOL).glob("*/") if (root / SPOOL).is_dir() else []:
            if not any(folder.iterdir()):
                folder.rmdir()

    def add_response(self, fetched: Fetched, ingest: bool = True) -> str:
        """Record one exchange in the WARC file; with `ingest`, queue its body for the pipeline.
        Returns the body's SHA-256."""
        sha = hashlib.sha256(fetched.content).hexdigest()
        self._write_exchange(fetched, sha)
        if ingest:
            self._queue(fetched.content, fetched.url, _SUFFIX.get(fetched.media_type, ".html"))
        return sha

    def add_json(self, data: dict[str, Any], origin: str) -> str:
        """Queue a JSON document built from an API's answer (a Telegram channel's new messages in
        Telegram Desktop's export format). No WARC record: it did not come over plain HTTP."""
        raw = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")
        self._queue(raw, origin, ".json")
        return hashlib.sha256(raw).hexdigest()

    def close(self, ingested: bool = True) -> None:
        """Finish the WARC file. With `ingested`, remove the spooled bodies (the pipeline has
        stored them); without, leave them for `leftovers`."""
        if self._warc_handle is not None:
            self._warc_handle.close()
            self._warc_handle = self._writer = None
        if ingested:
            shutil.rmtree(self._spool, ignore_errors=True)
            self.sources.clear()

    def __enter__(self) -> Captures:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _queue(self, raw: bytes, origin: str, suffix: str) -> None:
        self._spool.mkdir(parents=True, exist_ok=True)
        path = self._spool / f"{len(self.sources):06d}{suffix}"
        path.write_bytes(raw)
        # The note last: a body without one is a write cut short, which `leftovers` passes over.
        path.with_name(path.name + ".origin").write_text(origin, "utf-8")
        # The origin is the URL: the document names where it was found, not the spooled file.
        self.sources.append(SourceFile(path, origin))

    def _write_exchange(self, fetched: Fetched, sha: str) -> None:
        writer = self._open_writer()
        protocol = fetched.http_version if fetched.http_version.startswith("HTTP/") else "HTTP/1.1"
        headers = [(k, v) for k, v in fetched.headers.multi_items() if k.lower() not in _HOP_HEADERS]
        headers.append(("Content-Length", str(len(fetched.content))))
        http_headers = StatusAndHeaders(f"{fetched.status} {_reason(fetched.status)}", headers, protocol=protocol)
        payload_digest = "sha256:" + base64.b32encode(bytes.fromhex(sha)).decode("ascii")
        date = fetched.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        response = writer.create_warc_record(
            fetched.url, "response", payload=io.BytesIO(fetched.content), length=len(fetched.content),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Payload-Digest": payload_digest, "WARC-Date": date})
        path = _request_target(fetched.url)
        request_headers = StatusAndHeaders(f"GET {path} {protocol}", list(fetched.request_headers.multi_items()),
                                           protocol=protocol, is_http_request=True)
        request = writer.create_warc_record(fetched.url, "request", http_headers=request_headers,
                                            warc_headers_dict={"WARC-Date": date})
        writer.write_request_response_pair(request, response)
        self.warcs[-1].records += 2
        assert self._warc_handle is not None
        self._warc_handle.flush()  # a killed run keeps every exchange it recorded

    def _open_writer(self) -> WARCWriter:
        if self._writer is None:
            now = datetime.now(UTC)
            folder = self.root / WARC / now.strftime("%Y/%m/%d")
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{self.label}-{now.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:8]}.warc.gz"
            self._warc_handle = (folder / name).open("xb")
            self._writer = WARCWriter(self._warc_handle, gzip=True, warc_version="1.1")
            self._writer.write_record(self._writer.create_warcinfo_record(
                name, {"software": "recruitwatch collect", "format": "WARC File Format 1.1",
                       "description": f"captures of the {self.label} collector"}))
            self.warcs.append(WarcFile(folder / name, 1))
        return self._writer


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
