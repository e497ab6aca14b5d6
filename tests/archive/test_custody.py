import json

from recruitwatch.archive import CustodyLog
from recruitwatch.archive.texthash import text_hash


def _log(tmp_path, n=4):
    log = CustodyLog(tmp_path / "custody.log")
    for i in range(n):
        log.append("capture", f"{i:064x}", origin=f"file{i}.txt")
    return log


def _lines(log):
    return log.path.read_text().splitlines()


def test_a_clean_chain_verifies(tmp_path):
    log = _log(tmp_path)
    assert log.verify() == []
    assert log.head()[0] == 4


def test_a_changed_entry_is_named(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    entry = json.loads(lines[1])
    entry["details"]["origin"] = "forged.txt"
    lines[1] = json.dumps(entry, sort_keys=True)
    log.path.write_text("\n".join(lines) + "\n")
    problems = log.verify()
    assert [p.line for p in problems] == [2]  # the changed entry, and only it
    assert "changed" in problems[0].problem


def test_a_removed_entry_is_named(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    del lines[2]
    log.path.write_text("\n".join(lines) + "\n")
    problems = log.verify()
    assert problems and problems[0].line == 3 and "removed or inserted" in problems[0].problem


def test_an_inserted_entry_is_named(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    lines.insert(1, lines[0])
    log.path.write_text("\n".join(lines) + "\n")
    assert log.verify()[0].line == 2


def test_text_hash_ignores_layout_and_clock_times_but_not_words():
    a = text_hash("Задержаны 14 иностранцев.\n\nОбновлено 12:30")
    assert a == text_hash("задержаны   14 иностранцев — обновлено 13:45")
    assert a != text_hash("Задержаны 15 иностранцев. Обновлено 12:30")


def test_a_line_cut_by_a_killed_append_is_dropped_on_the_next_append(tmp_path):
    log = _log(tmp_path, 3)
    whole = log.path.read_bytes()
    log.path.write_bytes(whole + b'{"seq": 4, "acti')
    assert log.verify()[0].problem.startswith("not a JSON entry")
    log.append("capture", "f" * 64)
    assert log.verify() == [] and log.head()[0] == 4


def test_the_newest_capture_is_found_behind_later_entries(tmp_path):
    log = CustodyLog(tmp_path / "custody.jsonl")
    assert log.last_captured_document_id() is None
    log.append("capture", "a" * 64, origin="a.html", document_id=7)
    log.append("capture", "b" * 64, origin="b.warc.gz")  # a capture that is not a document
    log.append("extraction", "a" * 64, document_id=7, events=2)
    log.append("export", "c" * 64, rows=3)
    assert log.last_captured_document_id() == 7


def test_a_capture_beyond_the_horizon_is_not_guessed(tmp_path):
    log = CustodyLog(tmp_path / "custody.jsonl")
    log.append("capture", "a" * 64, origin="a.html", document_id=1)
    log.append_many([("export", "c" * 64, {"rows": n}) for n in range(200)])
    assert log.last_captured_document_id(horizon=2000) is None
    assert log.last_captured_document_id() == 1


def test_each_line_is_the_entry_as_json_dumps_writes_it_and_its_hash_is_entry_hash(tmp_path):
    from recruitwatch.archive.custody import entry_hash

    log = CustodyLog(tmp_path / "custody.log")
    written = log.append_many([
        ("capture", "a" * 64, {"origin": 'суд "Петрозаводск"\\путь\n№ 5', "document_id": 7, "text_hash": None}),
        ("extraction", "", {"nested": {"z": [1, 2.5, True], "a": "ё"}, "events": 0}),
        ("review", "b" * 64, {}),
    ])
    for entry, line in zip(written, _lines(log), strict=True):
        assert line == json.dumps(entry, ensure_ascii=False, sort_keys=True)
        assert entry["hash"] == entry_hash(entry)
    assert log.verify() == []
