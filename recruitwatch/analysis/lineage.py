"""Document lineages: near-duplicate and syndicated copies of one report, grouped so that one
finding republished by ten outlets counts as one source, not ten.

Each document's normalised text (archive.texthash: case folded, punctuation dropped) is cut
into word 5-shingles, hashed to 32 bits; a MinHash signature of 128 permutations (datasketch) estimates the
Jaccard similarity of two shingle sets. LSH over the signature's bands (datasketch's optimal
banding for a Jaccard of 0.4: 32 bands of 4 rows) proposes candidates; a candidate is kept when
the estimated Jaccard is at least 0.5, or when the shorter text lies at least 90% inside the
longer one (a copy with paragraphs trimmed), the containment being derived from the Jaccard and
both shingle counts. Kept pairs are joined by union-find: a lineage is a connected group.

Incremental: signatures and LSH buckets are stored per document (512 bytes and 32 rows), so a
new document costs index look-ups of its buckets, never a reload of every signature. The
result does not depend on the order documents arrive in (a lineage is a connected component
of the same verified pairs, named by its smallest document id), so a crashed ingest run again
gives the same lineages.

Court decisions are records, not reports: each is its own lineage, however alike the
boilerplate of one court's decisions (same judge, same article, a different person), except that
two captures of one court's case number (the same decision from two sites) are one lineage. They
are matched by a bucket of their own, named by court and case number, never by LSH: this also
keeps a million look-alike decisions from proposing each other as candidates.

The original of a lineage is the member the others cite by URL, else the earliest published
(or, undated, the earliest captured).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy.engine import Connection

from recruitwatch.archive.texthash import normalise_text
from recruitwatch.store import Store
from recruitwatch.store import corroboration as rows

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.4  # candidates: datasketch's banding for this Jaccard
JACCARD_THRESHOLD = 0.5  # verified: estimated Jaccard at least this …
CONTAINMENT_THRESHOLD = 0.9  # … or the shorter text at least this much inside the longer
BATCH = 1000

_BANDING = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
BANDS, ROWS = _BANDING.b, _BANDING.r
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations
_MULTIPLIER = np.uint64(0x9E3779B1)  # odd and 32-bit: the product with a 32-bit hash fits in 64 bits
_MASK32 = np.uint64(0xFFFFFFFF)


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # NUM_PERM uint32 minima
    shingles: int  # distinct shingles (0: no words at all)

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, raw: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(raw, dtype="<u4").astype(np.uint64), shingles)

    def jaccard(self, other: Signature) -> float:
        return float(np.count_nonzero(self.values == other.values)) / len(self.values)

    def buckets(self) -> list[int]:
        """One LSH bucket per band: the band's values hashed with its number, as a signed 64-bit int.
        A band number is two bytes, so no band bucket equals a case bucket (see case_bucket)."""
        if self.shingles == 0:
            return []  # empty texts are not copies of one another
        raw = self.values.astype("<u4").tobytes()
        width = ROWS * 4
        return [int.from_bytes(hashlib.blake2b(band.to_bytes(2, "little") + raw[band * width:(band + 1) * width],
                                               digest_size=8).digest(), "little", signed=True)
                for band in range(BANDS)]


def shingles(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the normalised text's word 5-shingles (a text shorter than
    that is one shingle). Each word is hashed once (CRC-32: stable across processes, unlike
    Python's hash) and a shingle's hash is a polynomial of its words' hashes, computed for all
    shingles at once, instead of building and hashing every shingle's string."""
    words = normalise_text(text).split()
    if not words:
        return np.empty(0, dtype=np.uint64)
    hashed = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    combined = hashed[:count].copy()
    for offset in range(1, width):
        combined = (combined * _MULTIPLIER + hashed[offset:offset + count]) & _MASK32
    return np.unique(combined)


UNSIGNED = Signature(np.zeros(NUM_PERM, dtype=np.uint64), 0)


def case_bucket(court: str, case_number: str) -> int:
    """The bucket shared by every capture of one court's case: a signed 64-bit int, hashed from a
    prefix no LSH band bucket has."""
    key = f"case\x00{' '.join(court.lower().split())}\x00{' '.join(case_number.lower().split())}"
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def signature(text: str) -> Signature:
    grams = shingles(text)
    # The shingles are hashed already: datasketch's MinHash takes them as they are.
    minhash = MinHash(num_perm=NUM_PERM, permutations=_PERMUTATIONS, hashfunc=int)
    if len(grams):
        minhash.update_batch(grams)
    return Signature(minhash.hashvalues.copy(), len(grams))


def same_lineage(a: Signature, b: Signature) -> bool:
    """Whether two documents are copies of one report (see the module's thresholds)."""
    if a.shingles == 0 or b.shingles == 0:
        return False
    jaccard = a.jaccard(b)
    if jaccard >= JACCARD_THRESHOLD:
        return True
    # |A ∩ B| = J (|A| + |B|) / (1 + J): how much of the shorter text the longer one holds.
    shared = jaccard * (a.shingles + b.shingles) / (1 + jaccard)
    return shared / min(a.shingles, b.shingles) >= CONTAINMENT_THRESHOLD


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the smaller id names the group
            self.parent[max(ra, rb)] = min(ra, rb)


class DocumentIds:
    """Document ids, sorted and unique, in one array of 8 bytes an id: the first corroboration
    of a million documents changes the lineage of every one, and a set of a million ints is ~60 MB."""

    def __init__(self, parts: Iterable[np.ndarray] = ()) -> None:
        listed = list(parts)
        self.ids = np.unique(np.concatenate(listed)) if listed else np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return (int(i) for i in self.ids)

    def __contains__(self, document_id: object) -> bool:
        if not isinstance(document_id, int):
            return False
        at = int(np.searchsorted(self.ids, document_id))
        return at < len(self.ids) and self.ids[at] == document_id


def update_lineages(store: Store) -> DocumentIds:
    """Sign every document not yet signed, match it against the stored ones and join lineages.
    Idempotent. Returns the ids of the documents whose lineage changed (new ones included)."""
    changed: list[np.ndarray] = []
    after = 0
    while True:
        with store.exclusive("lineages") as conn:
            batch = rows.documents_without_lineage(conn, BATCH, after)
            if not batch:
                break
            after = batch[-1].id
            cases = {doc.id: case_bucket(doc.court, doc.case_number) for doc in batch
                     if doc.court and doc.case_number}
            # A decision is matched by its case alone: not signed (an empty signature, 0 shingles).
            moved = _add_batch(conn, [(doc.id, UNSIGNED if doc.id in cases else signature(doc.text))
                                      for doc in batch], cases)
            changed.append(np.fromiter(moved, dtype=np.int64, count=len(moved)))
    with store.exclusive("lineages") as conn:  # a purged original: the lineage gets its next one
        orphaned = rows.lineage_members(conn, rows.lineages_without_original(conn))
        _mark_originals(conn, orphaned)
    return DocumentIds(changed)


def _add_batch(conn: Connection, signed: list[tuple[int, Signature]], cases: dict[int, int]) -> set[int]:
    """Store the batch's signatures and buckets, then join each new document with the stored
    ones it matches: court decisions (`cases`: document id -> case bucket) with the captures of
    their case, other documents with their verified LSH candidates."""
    new = dict(signed)
    buckets = {doc_id: [cases[doc_id]] if doc_id in cases else sig.buckets() for doc_id, sig in signed}
    rows.save_signatures(conn, [{"document_id": d, "lineage_id": d, "original": True, "similarity": 1.0,
                                 "signature": s.to_bytes(), "shingles": s.shingles} for d, s in signed],
                         [(b, d) for d, found in buckets.items() for b in found])
    by_bucket: dict[int, list[int]] = {}
    for bucket, doc_id in rows.documents_sharing_buckets(conn, [b for found in buckets.values() for b in found]):
        by_bucket.setdefault(bucket, []).append(doc_id)
    candidates = {d: {c for b in found for c in by_bucket.get(b, ()) if c != d} for d, found in buckets.items()}
    stored = rows.signatures(conn, {c for found in candidates.values() for c in found})
    groups = _UnionFind()
    for doc_id, found in candidates.items():
        for other in found:
            other_sig = new.get(other) or Signature.from_bytes(stored[other][0], stored[other][1])
            if doc_id in cases or same_lineage(new[doc_id], other_sig):  # a case's captures: one lineage
                groups.union(stored[doc_id][2] if doc_id in stored else doc_id,
                             stored[other][2] if other in stored else other)
    renames = {lineage: groups.find(lineage) for lineage in list(groups.parent)}
    rows.relabel_lineages(conn, renames)
    joined = {root for old, root in renames.items() if old != root}
    members = rows.lineage_members(conn, joined)
    _mark_originals(conn, members)
    return set(new) | {m.document_id for m in members}


def _mark_originals(conn: Connection, members: Iterable[Any]) -> None:
    by_lineage: dict[int, list[Any]] = {}
    for member in members:
        by_lineage.setdefault(member.lineage_id, []).append(member)
    marks: list[tuple[int, bool, float | None]] = []
    for group in by_lineage.values():
        original = choose_original(group)
        first = Signature.from_bytes(bytes(original.signature), 1)
        for member in group:
            similarity = Signature.from_bytes(bytes(member.signature), 1).jaccard(first)
            marks.append((member.document_id, member is original, round(similarity, 3)))
    rows.mark_originals(conn, marks)


def choose_original(members: list[Any]) -> Any:
    """The member the others cite by URL (the most cited), else the earliest published, else the
    earliest captured; ties go to the smallest document id. Members have document_id, origin,
    meta, text, published and ingested_at."""
    def url(member: Any) -> str | None:
        meta = member.meta or {}
        link = meta.get("url") if isinstance(meta.get("url"), str) else None
        return link or (member.origin if member.origin.startswith(("http://", "https://")) else None)

    def cited(member: Any) -> int:
        link = url(member)
        bare = link.split("://", 1)[1].removeprefix("www.") if link else None
        return sum(1 for other in members if other is not member and bare and bare in other.text) if bare else 0

    def earliest(member: Any) -> tuple[date, datetime | date, int]:
        captured = member.ingested_at
        day = member.published or (captured.date() if isinstance(captured, datetime) else captured)
        return day, captured, member.document_id

    citations = {member.document_id: cited(member) for member in members}
    return min(members, key=lambda m: (-citations[m.document_id], earliest(m)))


def lineage_of(conn: Connection, document_id: int) -> list[int]:
    """The document ids of a document's lineage, the original first ([] when not yet signed)."""
    lineage = rows.lineage_of_documents(conn, [document_id]).get(document_id)
    if lineage is None:
        return []
    members = rows.lineage_members(conn, [lineage])
    return [m.document_id for m in sorted(members, key=lambda m: (not m.original, m.document_id))]
