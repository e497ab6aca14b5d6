import json

from typer.testing import CliRunner

from recruitwatch.cli import app
from recruitwatch.models import validate_event

runner = CliRunner()
TEXT = ("5 декабря 2023\n\nВ Мурманской области суд постановил выдворить 26 иностранных граждан, "
        "задержанных на железнодорожном вокзале.\n")


def test_extract_prints_contract_lines_and_exit_1_when_a_file_is_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.output
    for line in lines:
        validate_event(line)
        assert line["doc"] == str(tmp_path / "a.txt")
    assert "bad.txt: empty file" in result.stderr


def test_ingest_stats_explain_show_verify(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, "utf-8")
    home = ["--home", str(tmp_path / "home")]
    assert runner.invoke(app, [*home, "ingest", str(tmp_path / "in")]).exit_code == 0
    stats = runner.invoke(app, [*home, "stats", "--by", "event_type", "--json", "--explain"])
    assert stats.exit_code == 0, stats.output
    rows = json.loads(stats.stdout)
    assert rows and all(r["explain"] for r in rows)
    event_id = rows[0]["explain"][0]["id"]
    shown = runner.invoke(app, [*home, "show", str(event_id)])
    assert shown.exit_code == 0 and "sha256" in shown.stdout
    verified = runner.invoke(app, [*home, "verify"])
    assert verified.exit_code == 0 and "clean" in verified.stdout


def test_stats_refuses_an_unknown_grouping(tmp_path):
    result = runner.invoke(app, ["--home", str(tmp_path), "stats", "--by", "colour"])
    assert result.exit_code != 0 and "cannot group by" in result.output


def test_documents_in_other_languages_are_reported_not_dropped(tmp_path):
    (tmp_path / "uk.txt").write_text("Суд у Харкові оштрафував їх і постановив видворити всіх іноземців, "
                                      "які перебували в країні без дозволу. Це рішення є остаточним і "
                                      "набуває чинності негайно після його оголошення.", "utf-8")
    home = ["--home", str(tmp_path / "home")]
    result = runner.invoke(app, [*home, "ingest", str(tmp_path / "uk.txt")])
    assert result.exit_code == 0, result.output
    assert "language uk not supported" in result.stderr
    assert "1 documents in unsupported languages (uk 1)" in result.stderr


def test_stats_can_count_confirmed_events_only(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, "utf-8")
    home = ["--home", str(tmp_path / "home")]
    runner.invoke(app, [*home, "ingest", str(tmp_path / "in")])
    everything = json.loads(runner.invoke(app, [*home, "stats", "--json"]).stdout)
    confirmed = json.loads(runner.invoke(app, [*home, "stats", "--json", "--confirmed"]).stdout)
    assert everything and confirmed == []  # nothing reviewed yet
