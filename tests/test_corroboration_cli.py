"""`recruitwatch sources|incidents|corroborate` and `stats --grade/--incidents` end to end: the
ingest itself registers sources and builds lineages and incidents."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from recruitwatch.cli import app

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NEWS = ("4 декабря 2023\n\nВ Мурманской области суд постановил выдворить 26 иностранных граждан, "
        "задержанных на железнодорожном вокзале.\n")


def _ingest(tmp_path: Path) -> list[str]:
    corpus = tmp_path / "in"
    (corpus / "notes").mkdir(parents=True)
    for court in sorted((SAMPLES / "court").iterdir())[:6]:
        shutil.copy(court, corpus / court.name)
    (corpus / "notes" / "a.txt").write_text(NEWS, "utf-8")
    # A copy of the same note with a line of boilerplate: the same lineage.
    (corpus / "notes" / "b.txt").write_text(NEWS + "\nПодписывайтесь на наш канал.\n", "utf-8")
    home = ["--home", str(tmp_path / "home")]
    result = runner.invoke(app, [*home, "ingest", str(corpus)])
    assert result.exit_code == 0, result.output
    return home


def test_sources_list_set_monitor(tmp_path: Path) -> None:
    home = _ingest(tmp_path)
    listed = runner.invoke(app, [*home, "sources", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    sources = {s["key"]: s for s in json.loads(listed.stdout)}
    courts = [s for s in sources.values() if s["kind"] == "court_record"]
    assert courts and all(s["key"].startswith("court:") and s["grade"] == "F6" for s in courts)
    notes = next(s for s in sources.values() if s["key"].startswith("file:") and s["key"].endswith("notes"))
    assert notes["documents"] == 2 and notes["monitoring"][0]["automatic"] is True
    court_key = courts[0]["key"]
    assert runner.invoke(app, [*home, "sources", "set", court_key, "--grade", "A1"]).exit_code == 0
    bad = runner.invoke(app, [*home, "sources", "set", court_key, "--grade", "Z9"])
    assert bad.exit_code != 0 and "Admiralty" in bad.output
    monitored = runner.invoke(app, [*home, "sources", "monitor", court_key, "--period", "2023-01-01:2023-12-31"])
    assert monitored.exit_code == 0, monitored.output
    after = {s["key"]: s for s in json.loads(runner.invoke(app, [*home, "sources", "list", "--json"]).stdout)}
    assert after[court_key]["grade"] == "A1"
    assert after[court_key]["monitoring"] == [{"start": "2023-01-01", "end": "2023-12-31", "automatic": False}]


def test_incidents_and_stats_by_grade(tmp_path: Path) -> None:
    home = _ingest(tmp_path)
    listed = runner.invoke(app, [*home, "incidents", "--json"])
    assert listed.exit_code == 0, listed.output
    incidents = json.loads(listed.stdout)
    assert incidents and all(i["lineages"] >= 1 for i in incidents)
    # The note and its copy report one expulsion order: one incident, one lineage, two documents.
    expulsion = [i for i in incidents if i["event_type"] == "expulsion_order" and i["counts"] == [26]]
    assert [(i["lineages"], i["documents"]) for i in expulsion] == [(1, 2)]
    murmansk = runner.invoke(app, [*home, "incidents", "--regions", "RU-MUR", "--json"])
    assert all("RU-MUR" in i["regions"] for i in json.loads(murmansk.stdout))
    by_incident = json.loads(runner.invoke(app, [*home, "stats", "--incidents", "--json"]).stdout)
    by_event = json.loads(runner.invoke(app, [*home, "stats", "--json"]).stdout)
    assert sum(r["incidents"] for r in by_incident) < sum(r["events"] for r in by_event)
    graded = json.loads(runner.invoke(app, [*home, "stats", "--grade", "B", "--json"]).stdout)
    assert graded == []  # nothing is graded yet: every source is F6
    table = runner.invoke(app, [*home, "incidents"])
    assert table.exit_code == 0 and "never averaged" in table.stdout
    again = runner.invoke(app, [*home, "corroborate"])
    assert again.exit_code == 0 and "0 incidents written" in again.stdout
    full = runner.invoke(app, [*home, "corroborate", "--full"])
    assert full.exit_code == 0, full.output
    assert json.loads(runner.invoke(app, [*home, "incidents", "--json"]).stdout) == incidents
