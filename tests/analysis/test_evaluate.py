import json
import random
import subprocess
import sys
from pathlib import Path

from recruitwatch.analysis.evaluate import max_weight_assignment, score_set
from tests.conftest import shared_or_skip


def test_assignment_prefers_more_matches_over_one_heavy_pair():
    weight = [[101, 100], [100, 0]]
    assert sorted(max_weight_assignment(weight)) == [(0, 1), (1, 0)]


def test_assignment_handles_rectangles():
    assert max_weight_assignment([[0, 5, 0]]) == [(0, 1)]
    assert max_weight_assignment([[3], [7]]) == [(1, 0)]


def _perturbed_gold(gold_set: Path, seed: int) -> list[dict]:
    """The gold events with some dropped, some shifted and some spurious: a stand-in extraction."""
    rng = random.Random(seed)
    out = []
    for path in sorted((gold_set / "gold").glob("*.events.json")):
        doc = str(gold_set / "docs" / path.name.removesuffix(".events.json"))
        for ev in json.loads(path.read_text("utf-8")):
            if rng.random() < 0.2:
                continue
            ev = dict(ev, doc=doc)
            if rng.random() < 0.3 and ev.get("count"):
                ev["count"] += 1
            if rng.random() < 0.2:
                ev["regions"] = ["RU-MOW"]
            if rng.random() < 0.15:
                out.append(dict(ev, event_type="raid"))
            out.append(ev)
    return out


def test_scores_agree_with_the_shared_scorer(tmp_path):
    gold_set = shared_or_skip() / "eval" / "dev"
    for seed in range(3):
        extracted = _perturbed_gold(gold_set, seed)
        jsonl = tmp_path / f"run{seed}.jsonl"
        jsonl.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in extracted), "utf-8")
        theirs = json.loads(subprocess.run(
            [sys.executable, str(gold_set.parent.parent / "eval" / "score.py"), str(gold_set), str(jsonl), "--json"],
            capture_output=True, text=True, check=True).stdout)
        ours = score_set(gold_set, extracted).summary()
        for key in ("gold", "extracted", "matched", "precision", "recall", "f1", "slot_precision",
                    "slot_recall", "slot_f1", "field_accuracy"):
            assert ours[key] == theirs[key], key
