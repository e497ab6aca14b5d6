"""`recruitwatch report` and `recruitwatch alerts` from the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from recruitwatch.analysis.incidents import update_incidents
from recruitwatch.cli import app
from recruitwatch.models import Document, Event
from recruitwatch.store import Store

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_report_over_the_samples_writes_html_and_pdf(tmp_path: Path) -> None:
    home = ["--home", str(tmp_path / "home")]
    parts = [str(p) for p in sorted(SAMPLES.iterdir()) if p.is_dir()]
    assert runner.invoke(app, [*home, "ingest", *parts]).exit_code == 0
    result = runner.invoke(app, [*home, "report", "--from", "2023-11-01", "--to", "2023-12-31",
                                 "--regions", "RU-KR,RU-LEN", "--regions", "RU-MUR", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "detention:" in result.stdout
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF-")
    html = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "Republic of Karelia, Leningrad Oblast, Murmansk Oblast" in html


def test_report_refuses_bad_input(tmp_path: Path) -> None:
    home = ["--home", str(tmp_path / "home")]
    bad_date = runner.invoke(app, [*home, "report", "--from", "2023-13-01", "--to", "2023-12-31",
                                   "--out", str(tmp_path / "out")])
    assert bad_date.exit_code == 2 and "not a date" in bad_date.output
    bad_region = runner.invoke(app, [*home, "report", "--from", "2023-11-01", "--to", "2023-12-31",
                                     "--regions", "XX-YY", "--out", str(tmp_path / "out")])
    assert bad_region.exit_code == 2 and "unknown region" in bad_region.output
    assert not (tmp_path / "out").exists()


def _weekly(store: Store, per_week: list[int], region: str) -> None:
    monday = date(2024, 1, 1)
    with store.engine.begin() as conn:
        for w, n in enumerate(per_week):
            text = "Задержан гражданин. " * max(n, 1)
            events = [Event("detention", "Задержан гражданин.", (20 * i, 20 * i + 19),
                            date_start=monday + timedelta(weeks=w), date_end=monday + timedelta(weeks=w),
                            date_precision="day", regions=[region], count=1) for i in range(n)]
            store.save(conn, Document(origin=f"{region}-{w}.txt", text=text + str(w)), (text + str(w)).encode(),
                       events)
    update_incidents(store)


def test_alerts_lists_what_is_new_since_the_last_run(tmp_path: Path) -> None:
    with Store(tmp_path / "home") as store:
        _weekly(store, [1, 1, 0, 1, 1, 0, 1, 1, 10], "RU-KR")
    home = ["--home", str(tmp_path / "home")]
    first = runner.invoke(app, [*home, "alerts", "--json"])
    assert first.exit_code == 0, first.output
    body = json.loads(first.stdout)
    assert body["alpha"] == 0.01 and body["baseline_weeks"] == 8
    [alert] = body["alerts"]
    assert (alert["region"], alert["count"], alert["new"], len(alert["event_ids"])) == ("RU-KR", 10, True, 10)
    again = json.loads(runner.invoke(app, [*home, "alerts", "--json"]).stdout)
    assert again["alerts"] == []
    every = json.loads(runner.invoke(app, [*home, "alerts", "--json", "--all"]).stdout)
    assert [(a["key"], a["new"]) for a in every["alerts"]] == [(alert["key"], False)]
    table = runner.invoke(app, [*home, "alerts", "--all"])
    assert "false-alarm rate alpha = 0.01" in table.stdout and "RU-KR" in table.stdout
