"""parse_html's fast path (the page's UTF-8 bytes, a parser kept per thread) and its fallbacks."""

import calendar
import threading

import pytest
from lxml import etree

from recruitwatch.extract.dates import parse_date
from recruitwatch.sources.court_page import _CARD_DATE, _parse_card_date
from recruitwatch.sources.html import HtmlError, html_to_document, parse_html


def _text(tree) -> str:
    return "".join(tree.itertext())


def test_declared_charset_is_not_applied_to_text_already_decoded():
    page = '<html><head><meta charset="koi8-r"></head><body><p>Гражданин Узбекистана</p></body></html>'
    assert _text(parse_html(page, plain=True)) == "Гражданин Узбекистана"


def test_xml_declaration_and_lone_surrogates_take_the_bytes_path():
    declared = '<?xml version="1.0" encoding="windows-1251"?><html><body><p>Привет</p></body></html>'
    assert _text(parse_html(declared, plain=True)) == "Привет"
    broken = "<html><body><p>до \ud800 после</p></body></html>"  # lxml would cut a str here
    assert _text(parse_html(broken, plain=True)) == "до ? после"


def test_control_characters_are_dropped_and_line_breaks_kept():
    page = ("<html><body><div><p>УСТАНОВИЛ:</p><p>Граж\x01данин\tУзбекистана\x0b \ud800 задержан</p>"
            "<p>ПОСТАНОВИЛ:</p><p>Штраф\r\n2000 рублей (КоАП РФ).</p></div></body></html>")
    doc = html_to_document(page, "a.html")
    assert "Гражданин Узбекистана ? задержан" in doc.text
    assert "Штраф\n2000 рублей" in doc.text


def test_threads_parse_with_parsers_of_their_own():
    pages = [f"<html><body><p>страница {i}</p></body></html>" for i in range(200)]
    out: dict[int, str] = {}

    def work(start: int) -> None:
        for i in range(start, len(pages), 4):
            out[i] = _text(parse_html(pages[i], plain=True))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {i: f"страница {i}" for i in range(200)}
    assert isinstance(parse_html(pages[0], plain=True), etree._Element)


def test_card_dates_agree_with_the_date_grammar_wherever_they_are_dates():
    """Cards write day-first dates; the grammar (extract/) also reads "5.13.2020" month-first,
    which a card reader leaves empty rather than guess."""
    for year in ("1850", "1999", "2024", "2100"):
        for month in range(0, 14):
            for day in range(0, 33):
                for text in (f"{day}.{month}.{year}", f"{day:02d}.{month:02d}.{year}", f"{year}-{month:02d}-{day:02d}"):
                    if _CARD_DATE.fullmatch(text):
                        valid = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(int(year), month)[1]
                        assert _parse_card_date(text) == (parse_date(text) if valid else None), text


def test_a_page_read_from_the_callers_utf8_is_the_page_read_from_its_str():
    page = ('<html><head><meta charset="windows-1251"><title>Суд</title></head>'
            "<body><p>Гражданин\u00a0Узбекистана</p><!-- к --><p>штраф</p></body></html>")
    given = parse_html(page, plain=True, utf8=page.encode("utf-8"))
    assert etree.tostring(given, encoding=str) == etree.tostring(parse_html(page, plain=True), encoding=str)
    assert _text(given) == "СудГражданин\u00a0Узбекистанаштраф"  # a comment is no text


def test_blank_pages_are_refused():
    for page in ("", " \n\t", "\u2003\u00a0"):
        with pytest.raises(HtmlError, match="empty page"):
            parse_html(page, plain=True)
