"""Re-hash everything the store holds and name what does not check out.

A blob is *changed* when its bytes no longer hash to its name, *missing* when its file is gone,
*inserted* when a file sits in the archive that no capture recorded. The custody log is checked
as a hash chain (see archive/custody.py). Document texts are checked against their text hash.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from recruitwatch.archive import text_hash
from recruitwatch.store import schema
from recruitwatch.store.db import Store


@dataclass(frozen=True)
class Problem:
    kind: str  # "blob" | "custody" | "document"
    subject: str
    problem: str

    def line(self) -> str:
        return f"{self.kind} {self.subject}: {self.problem}"


@dataclass
class VerifyReport:
    blobs: int
    documents: int
    custody_entries: int
    problems: list[Problem]

    @property
    def clean(self) -> bool:
        return not self.problems


def verify_store(store: Store) -> VerifyReport:
    problems: list[Problem] = []
    with store.engine.connect() as conn:
        known = [row[0] for row in conn.execute(select(schema.blobs.c.sha256))]
        docs = conn.execute(select(schema.documents.c.id, schema.documents.c.text,
                                   schema.documents.c.text_hash)).all()
    for sha in known:
        now = store.blobs.rehash(sha)
        if now is None:
            problems.append(Problem("blob", sha, "missing from the archive"))
        elif now != sha:
            problems.append(Problem("blob", sha, f"changed: its bytes now hash to {now}"))
    known_set = set(known)
    problems += [Problem("blob", name, "inserted: in the archive but never captured")
                 for name in store.blobs if name not in known_set]
    problems += [Problem("document", str(doc_id), "text changed since capture (text hash differs)")
                 for doc_id, text, stored_hash in docs if text_hash(text) != stored_hash]
    custody = store.custody.check()
    problems += [Problem("custody", f"line {p.line}", p.problem) for p in custody.problems]
    # The chain cannot show entries cut from its end, but every stored document must have been logged.
    problems += [Problem("custody", f"document {doc_id}", "no capture entry in the log (entries removed from its end?)")
                 for doc_id, _, _ in docs if doc_id not in custody.captured]
    return VerifyReport(len(known), len(docs), custody.entries, problems)
