"""collect.toml: the documented example reads, mistakes are named with the file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from recruitwatch.sources.collect import ConfigError, load_config
from recruitwatch.sources.collect.config import parse_interval

DOCS = Path(__file__).resolve().parents[3] / "docs" / "COLLECT.md"


def _example() -> str:
    """The collect.toml example in docs/COLLECT.md."""
    found = re.search(r"```toml\n(.*?)```", DOCS.read_text("utf-8"), re.S)
    assert found, "docs/COLLECT.md has no ```toml example"
    return found.group(1)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "collect.toml"
    path.write_text(_example(), "utf-8")
    config = load_config(home=tmp_path)  # <home>/collect.toml is found by itself
    assert config.source == path
    assert config.http.robots in ("obey", "ignore") and config.http.rate_per_host > 0
    assert config.courts.sites and {s.region for s in config.courts.sites} <= {
        "RU-KR", "RU-LEN", "RU-SPE", "RU-MUR", "RU-PSK", "RU-ARK"}
    assert any(s.kind == "msudrf" for s in config.courts.sites)
    assert config.outlets and config.pages and config.telegram is not None
    assert config.interval == 3600


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(home=tmp_path)
    assert config.source is None and len({s.region for s in config.courts.sites}) == 6
    search = config.courts.search(today=date(2026, 11, 20))
    assert search.date_from == date(2026, 11, 6) and "18.8" in search.articles


@pytest.mark.parametrize(("text", "message"), [
    ("[htp]\n", "unknown table"),
    ("[http]\nrobots = \"maybe\"\n", "robots policy"),
    ("[http]\nspeed = 3\n", r"\[http\]: unknown key"),
    ("[courts]\narticles = [\"eighteen\"]\n", "not a KoAP article"),
    ("[[feeds]]\nname = \"no url\"\n", "needs url"),
    ("[watch]\ninterval = \"soon\"\n", "interval"),
    ("[courts\n", "not valid TOML"),
])
def test_mistakes_are_named_with_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "collect.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_intervals() -> None:
    assert [parse_interval(v) for v in (90, "90s", "15m", "1h", "1d")] == [90, 90, 900, 3600, 86400]
    with pytest.raises(ValueError):
        parse_interval(0)
