import json

import pytest

from recruitwatch.sources import SourceError, documents_from_bytes, iter_source_files, read_raw
from recruitwatch.sources.files import MAX_FILE_BYTES


def test_folder_walk_is_sorted_and_skips_hidden_and_gold(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("c")
    (tmp_path / "sub" / "c.html.events.json").write_text("[]")
    origins = [s.origin for s in iter_source_files([str(tmp_path)])]
    assert origins == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "sub" / "c.html")]


def test_plain_text_in_windows_1251_keeps_its_text_and_hash():
    text = "Задержаны 14 иностранцев.\nОни будут выдворены."
    [doc] = documents_from_bytes(text.encode("cp1251"), "note.txt")
    assert doc.text == text and doc.encoding == "cp1251" and doc.media_type == "text/plain"
    assert len(doc.sha256) == 64 and doc.title == "Задержаны 14 иностранцев."


def test_news_page_drops_scripts_and_keeps_metadata():
    html = """<html><head><title>T</title><meta property="article:published_time" content="2023-11-28T10:00">
    <script>alert('x')</script></head><body><nav>Menu</nav><article><h1>Headline</h1>
    <p>Twenty-six foreigners will be expelled from the Murmansk region, the court said on Tuesday.</p>
    <p>They were detained at the railway station while trying to reach the border with Finland.</p>
    </article><script>document.write('evil')</script></body></html>"""
    [doc] = documents_from_bytes(html.encode(), "page.html")
    assert "expelled from the Murmansk region" in doc.text
    assert "alert" not in doc.text and "evil" not in doc.text
    assert doc.published.isoformat() == "2023-11-28"


def test_telegram_export_gives_one_document_per_message():
    export = {"name": "Channel", "username": "chan", "messages": [
        {"id": 1, "type": "message", "date": "2023-11-20T10:00:00", "text": "Первое сообщение"},
        {"id": 2, "type": "service", "date": "2023-11-20T11:00:00", "text": ""},
        {"id": 3, "type": "message", "date": "2023-11-21T10:00:00",
         "text": ["Второе ", {"type": "bold", "text": "сообщение"}]}]}
    docs = documents_from_bytes(json.dumps(export).encode(), "export/result.json")
    assert [d.text for d in docs] == ["Первое сообщение", "Второе сообщение"]
    assert docs[1].origin == "export/result.json#message-3" and docs[1].meta["url"] == "https://t.me/chan/3"
    assert docs[1].published.isoformat() == "2023-11-21"


def test_telegram_export_with_wrong_types_is_a_clear_error():
    export = {"name": "C", "messages": [{"id": 1, "type": "message", "text": 42}]}
    with pytest.raises(SourceError, match="text of type int"):
        documents_from_bytes(json.dumps(export).encode(), "result.json")


def test_rss_items_become_documents():
    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>
    <item><title>Raid in Pechenga</title><link>https://example.org/1</link>
    <description>&lt;p&gt;Police raided a market.&lt;/p&gt;</description>
    <pubDate>Tue, 28 Nov 2023 10:00:00 +0000</pubDate></item></channel></rss>"""
    [doc] = documents_from_bytes(rss.encode(), "feed.xml")
    assert doc.text == "Raid in Pechenga\n\nPolice raided a market."
    assert doc.meta["url"] == "https://example.org/1" and doc.published.isoformat() == "2023-11-28"


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00" * 100, "binary"),
    (b"{not json", "invalid JSON"),
])
def test_bad_input_gives_a_clear_error(tmp_path, raw, message):
    path = tmp_path / ("x.json" if raw.startswith(b"{") else "x.txt")
    path.write_bytes(raw)
    with pytest.raises(SourceError, match=message):
        documents_from_bytes(read_raw(path), str(path))


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(SourceError, match="too large"):
        read_raw(path)


def test_hostile_nesting_is_bounded_by_the_parser():
    from recruitwatch.sources.html import parse_html

    tree = parse_html("<html><body>" + "<div>" * 20000 + "deep" + "</div>" * 20000 + "</body></html>")
    depth, node = 0, tree
    while len(node):
        node, depth = node[0], depth + 1
    assert depth <= 256


def test_feed_sniffing_without_lower_casing_agrees_with_looks_like_feed():
    """The start is searched for a feed's tags case-blind in ASCII alone: str.lower() turns no other
    character into one of their letters (the long s, the Kelvin sign and dotted I stay apart)."""
    import random

    from recruitwatch.sources.feeds import looks_like_feed
    from recruitwatch.sources.files import _FEED_TAG

    pieces = ["<rss", "<RSS", "<Feed", "<r\u017fs", "<feed", "<\u0130", "<html", "<HTML", "<", "r", "s", "f", "e", "d",
              "S", "E", "\u212a", "Ж", "ж", " ", "\n"]
    rng = random.Random(5)
    for _ in range(5000):
        head = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        assert bool(_FEED_TAG.search(head) and looks_like_feed(head.lower())) == looks_like_feed(head.lower()), head


@pytest.mark.parametrize(("start", "html"), [
    ("<!DOCTYPE HTML><p>Текст</p>", True), ("<HTML><body><p>Текст</p></body></HTML>", True),
    ("  \n<Html><p>Текст</p>", True), ("<!doctype  html><p>Текст</p>", False), ("<p>Текст</p>", False),
])
def test_an_html_page_is_told_by_its_start_in_any_case(start, html):
    [doc] = documents_from_bytes(start.encode("utf-8"), "page")
    assert (doc.media_type == "text/html") == html
