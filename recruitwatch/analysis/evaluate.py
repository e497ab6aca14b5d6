"""Score extracted events against a gold set by the contract's rules (EVENTS.md, "How
extraction is scored"). The numbers must agree with ../shared/eval/score.py; a test checks it.

Matching: same type, dates within 15 days (or either undated), regions overlapping (or the
country rules); the pairing with most matches wins, ties broken by most agreeing fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SLACK = timedelta(days=15)
FIELDS = ("count", "nationalities", "regions", "fine_rub", "place")
SLOTS = ("date", "country", "regions", "place", "count", "nationalities", "fine_rub")
Ev = dict[str, Any]


@dataclass
class Score:
    docs: int = 0
    gold: int = 0
    extracted: int = 0
    matched: int = 0
    slots_gold: int = 0
    slots_extracted: int = 0
    slots_right: int = 0
    asked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    missed: list[tuple[str, Ev]] = field(default_factory=list)
    extra: list[tuple[str, Ev]] = field(default_factory=list)

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, Any]:
        p = self.matched / self.extracted if self.extracted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        sp = self.slots_right / self.slots_extracted if self.slots_extracted else 0.0
        sr = self.slots_right / self.slots_gold if self.slots_gold else 0.0
        acc = {f: round(self.right[f] / self.asked[f], 4) if self.asked[f] else None for f in FIELDS}
        return {"docs": self.docs, "gold": self.gold, "extracted": self.extracted, "matched": self.matched,
                "precision": round(p, 4), "recall": round(r, 4), "f1": round(self._f1(p, r), 4),
                "slot_precision": round(sp, 4), "slot_recall": round(sr, 4), "slot_f1": round(self._f1(sp, sr), 4),
                "field_accuracy": acc}


def score_set(gold_set: Path, extracted: Iterable[Ev]) -> Score:
    """Score `extracted` (contract dicts whose `doc` names a file of gold_set/docs)."""
    names = sorted(p.name for p in (gold_set / "docs").iterdir() if p.is_file())
    by_doc: dict[str, list[Ev]] = {name: [] for name in names}
    for ev in extracted:
        name = Path(ev.get("doc", "")).name
        if name in by_doc:
            by_doc[name].append(ev)
    total = Score(docs=len(names))
    for name in names:
        gold_file = gold_set / "gold" / f"{name}.events.json"
        gold = json.loads(gold_file.read_text("utf-8")) if gold_file.exists() else []
        _score_doc(total, name, gold, by_doc[name])
    return total


def _score_doc(total: Score, name: str, gold: list[Ev], got: list[Ev]) -> None:
    pairs = best_pairs(gold, got)
    total.gold += len(gold)
    total.extracted += len(got)
    total.matched += len(pairs)
    total.slots_gold += sum(_slot_count(g) for g in gold)
    total.slots_extracted += sum(_slot_count(x) for x in got)
    for g, x in pairs:
        total.slots_right += 1 + sum(1 for s in SLOTS if _has(g, s) and _has(x, s) and _slot_right(s, g, x))
        for f in FIELDS:
            if g.get(f) not in (None, []):
                total.asked[f] += 1
                total.right[f] += _field_equal(f, g, x)
    paired_gold, paired_got = {id(g) for g, _ in pairs}, {id(x) for _, x in pairs}
    total.missed += [(name, g) for g in gold if id(g) not in paired_gold]
    total.extra += [(name, x) for x in got if id(x) not in paired_got]


def events_match(g: Ev, x: Ev) -> bool:
    return g.get("event_type") == x.get("event_type") and _dates_agree(g, x) and _places_agree(g, x)


def best_pairs(gold: list[Ev], got: list[Ev]) -> list[tuple[Ev, Ev]]:
    """The pairing with most matches, then most agreeing fields (an assignment problem)."""
    if not gold or not got:
        return []
    weight = [[(100 + _agreement(g, x)) if events_match(g, x) else 0 for x in got] for g in gold]
    assignment = max_weight_assignment(weight)
    return [(gold[i], got[j]) for i, j in assignment if weight[i][j] > 0]


def max_weight_assignment(weight: list[list[int]]) -> list[tuple[int, int]]:
    """Row-to-column pairs maximising the total weight (Hungarian method on a padded square
    cost matrix, shortest augmenting paths with potentials)."""
    n = max(len(weight), len(weight[0]))
    cost = [[-(weight[i][j]) if i < len(weight) and j < len(weight[0]) else 0 for j in range(n)] for i in range(n)]
    row_pot, col_pot = [0.0] * (n + 1), [0.0] * (n + 1)
    owner = [0] * (n + 1)  # owner[col] = row assigned to it (1-based; 0 = free)
    for row in range(1, n + 1):
        owner[0], col = row, 0
        dist, prev, done = [float("inf")] * (n + 1), [0] * (n + 1), [False] * (n + 1)
        while owner[col]:
            done[col] = True
            r, step, nxt = owner[col], float("inf"), 0
            for c in range(1, n + 1):
                if done[c]:
                    continue
                reduced = cost[r - 1][c - 1] - row_pot[r] - col_pot[c]
                if reduced < dist[c]:
                    dist[c], prev[c] = reduced, col
                if dist[c] < step:
                    step, nxt = dist[c], c
            for c in range(n + 1):
                if done[c]:
                    row_pot[owner[c]] += step
                    col_pot[c] -= step
                else:
                    dist[c] -= step
            col = nxt
        while col:
            owner[col] = owner[prev[col]]
            col = prev[col]
    return [(owner[c] - 1, c - 1) for c in range(1, n + 1)
            if owner[c] and owner[c] <= len(weight) and c <= len(weight[0])]


def _span(e: Ev) -> tuple[date, date] | None:
    start, end = e.get("date_start"), e.get("date_end") or e.get("date_start")
    if not start:
        return None
    try:
        return date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None


def _dates_agree(a: Ev, b: Ev) -> bool:
    sa, sb = _span(a), _span(b)
    return sa is None or sb is None or (sa[0] - SLACK <= sb[1] and sb[0] - SLACK <= sa[1])


def _places_agree(a: Ev, b: Ev) -> bool:
    ra, rb = set(a.get("regions") or []), set(b.get("regions") or [])
    ca, cb = a.get("country"), b.get("country")
    if ra and rb:
        return bool(ra & rb)
    if ra and cb:
        return all(r.startswith(cb + "-") for r in ra) or ca == cb or ca is None
    if rb and ca:
        return all(r.startswith(ca + "-") for r in rb) or ca == cb or cb is None
    return ca is None or cb is None or ca == cb


def _agreement(g: Ev, x: Ev) -> int:
    return sum(1 for f in FIELDS if g.get(f) not in (None, []) and _field_equal(f, g, x))


def _field_equal(name: str, g: Ev, x: Ev) -> bool:
    a, b = g.get(name), x.get(name)
    if name in ("nationalities", "regions"):
        return set(a or []) == set(b or [])
    if name == "place":
        return (a or "").strip().lower() == (b or "").strip().lower()
    return a == b


def _has(e: Ev, slot: str) -> bool:
    return _span(e) is not None if slot == "date" else e.get(slot) not in (None, [], "")


def _slot_right(slot: str, g: Ev, x: Ev) -> bool:
    if slot == "date":
        return _dates_agree(g, x)
    if slot == "country":
        return g.get("country") == x.get("country")
    return _field_equal(slot, g, x)


def _slot_count(e: Ev) -> int:
    return 1 + sum(1 for s in SLOTS if _has(e, s))
