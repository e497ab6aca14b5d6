"""Local files and folders to Documents.

One file gives one Document, except channel exports and feeds, which give one per message or
item. Every Document keeps the file's raw bytes' SHA-256, so what the archive holds and what the
extractors read can always be tied together.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from recruitwatch.models import Document
from recruitwatch.sources.encoding import DecodeError, decode_bytes
from recruitwatch.sources.feeds import FeedError, feed_documents, looks_like_feed
from recruitwatch.sources.html import HtmlError, clean_text, html_to_document
from recruitwatch.sources.social import SocialError, looks_like_vk, telegram_documents, vk_documents

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 5_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
SKIPPED_SUFFIXES = {".events.json", ".pyc"}
# A file's format is told by its start: its first characters, lower-cased, as sources.feeds'
# looks_like_feed reads them, or opening an HTML page.
_HEAD_CHARS = 2000
_HTML_STARTS = ("<!doctype html", "<html")
_HTML_START_CHARS = max(map(len, _HTML_STARTS))
# What looks_like_feed asks the lower-cased start to hold, one or the other, found without lower-casing
# it (a third of the time): letters matched case-blind in ASCII alone, as str.lower() changes them. No
# other character lowers to one of these letters (U+0130 and U+212A alone lower to ASCII: "i̇", "k").
_FEED_TAG = re.compile(r"<(?:rss|feed)", re.IGNORECASE | re.ASCII)


class SourceError(ValueError):
    """A file we could not read. The message names the reason; the caller names the file."""


@dataclass(frozen=True)
class SourceFile:
    """A file found on disk, with its origin as the user gave it (path joined with the folder)."""

    path: Path
    origin: str


def iter_source_files(paths: Iterable[str | os.PathLike[str] | SourceFile]) -> Iterator[SourceFile]:
    """Every file under `paths`, folders walked recursively in name order, hidden files skipped.
    A SourceFile is taken as it is: a capture whose origin is its URL, not its path."""
    for given in paths:
        if isinstance(given, SourceFile):
            yield given
            continue
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.endswith(tuple(SKIPPED_SUFFIXES)):
                        yield SourceFile(Path(root) / name, os.path.join(root, name))
        else:
            yield SourceFile(path, str(given))


def read_raw(path: Path) -> bytes:
    """The file's bytes, refusing what no source should be (missing, huge, empty)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise SourceError(f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")
    if size == 0:
        raise SourceError("empty file")
    return path.read_bytes()


def documents_from_bytes(raw: bytes, origin: str) -> list[Document]:
    """Documents from one file's bytes; the format comes from the name and the content."""
    sha = hashlib.sha256(raw).hexdigest()
    try:
        docs = _parse(raw, origin)
    except (DecodeError, HtmlError, FeedError, SocialError) as exc:
        raise SourceError(str(exc)) from exc
    for doc in docs:
        doc.sha256 = sha
        if len(doc.text) > MAX_TEXT_CHARS:
            raise SourceError(f"text too long: {len(doc.text)} characters (limit {MAX_TEXT_CHARS})")
    return docs


def _parse(raw: bytes, origin: str) -> list[Document]:
    name = origin.lower()
    decoded = decode_bytes(raw)
    text = decoded.text
    head = text.lstrip()[:_HEAD_CHARS]
    if name.endswith(".json"):
        return _json_documents(text, origin)
    if _FEED_TAG.search(head) and looks_like_feed(head.lower()):
        return feed_documents(text, origin)
    if name.endswith(tuple(HTML_SUFFIXES)) or head[:_HTML_START_CHARS].lower().startswith(_HTML_STARTS):
        doc = html_to_document(text, origin)
    else:
        doc = Document(origin=origin, text=clean_text(text) if "\r" in text else text, media_type="text/plain",
                       title=_first_line(text))
    if not doc.text.strip():
        raise SourceError("no text in file")
    doc.encoding = decoded.encoding
    return [doc]


def _json_documents(text: str, origin: str) -> list[Document]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return telegram_documents(data, origin)
    if looks_like_vk(data):
        return vk_documents(data, origin)
    raise SourceError("JSON file is neither a Telegram Desktop export nor a VK wall dump")


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None
