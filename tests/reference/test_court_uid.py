"""Regions read from court case identifiers (УИД)."""

from __future__ import annotations

import random
import re

import pytest

from recruitwatch.reference.court_uid import UID_REGIONS, uid_region

# The identifier as written, the way the pattern read it before it was reordered for speed.
SPEC = re.compile(r"\b(\d{2})(?:RS|MS|OS|GV|GS)\d{4}-\d{2}-\d{4}-[\d_]{6}-[\d_]{2}\b")


def spec_region(text: str) -> str | None:
    m = SPEC.search(text)
    return UID_REGIONS.get(m.group(1)) if m else None


@pytest.mark.parametrize(("text", "region"), [
    ("УИД 10RS0011-01-2023-001234-56", "RU-KR"),
    ("УИД: 51MS0004-01-2023-000871-02 дело № 5-12/2023", "RU-MUR"),
    ("47RS0004-01-2022-0_1234-_5", "RU-LEN"),
    ("УИД 110RS0011-01-2023-001234-56", None),  # three digits: not an identifier
    ("10RS0011-01-2023-001234-567", None),  # runs on
    ("99RS0011-01-2023-001234-56", None),  # no such region
    ("RS0011-01-2023-001234-56", None),
])
def test_uid_region(text: str, region: str | None) -> None:
    assert uid_region(text) == region


def test_uid_region_agrees_with_the_plain_pattern() -> None:
    rng = random.Random(5)
    pieces = ["10", "51", "7", "RS", "MS", "GV", "OS", "0011", "-01", "-2023", "-001234", "-56", "_", " ", "УИД",
              "а", "1", "-"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert uid_region(text) == spec_region(text), text
