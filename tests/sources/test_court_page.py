"""The court page parser against its golden files (see court_golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from recruitwatch.samples.generate import SYNTHETIC_META, generate_court_pages
from recruitwatch.sources.court_page import looks_like_court_page, parse_court_page
from recruitwatch.sources.encoding import decode_bytes
from tests.sources.court_golden import golden, pages, parsed


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_page_matches_golden(page: Path) -> None:
    want = golden(page)
    got = parsed(page)
    assert got["card"] == want["card"]
    assert got["title"] == want["title"]
    assert got["text"] == want["text"]


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_saved_pages_are_court_pages_and_marked_synthetic(page: Path) -> None:
    html = decode_bytes(page.read_bytes()).text
    assert looks_like_court_page(html)
    assert SYNTHETIC_META in html and "recruitwatch synthetic sample" in html


def test_decision_text_leaves_out_card_and_scripts() -> None:
    html = ("<html><body><script>var x = 'установил:';</script><table><tr><td>Номер дела</td><td>5-1/2024</td></tr>"
            "<tr><td>Дата поступления</td><td>01.02.2024</td></tr></table><div><p>ПОСТАНОВЛЕНИЕ</p>"
            "<p>УСТАНОВИЛ:</p><p>Факты.</p><p>ПОСТАНОВИЛ:</p><p>Назначить штраф.</p></div></body></html>")
    card, text, _ = parse_court_page(html)
    assert card.case_number == "5-1/2024"
    assert text == "ПОСТАНОВЛЕНИЕ\nУСТАНОВИЛ:\nФакты.\nПОСТАНОВИЛ:\nНазначить штраф."


def test_news_page_is_not_a_court_page() -> None:
    html = "<html><body><h1>Суд оштрафовал мигрантов</h1><p>В Карелии суд назначил штрафы.</p></body></html>"
    assert not looks_like_court_page(html)


def test_every_generated_page_is_marked_and_parses() -> None:
    for name, raw, truth in generate_court_pages(40, 11):
        html = decode_bytes(raw).text
        assert SYNTHETIC_META in html and "<!-- recruitwatch synthetic sample" in html, name
        assert truth["case"]["synthetic"] is True
        card, text, _ = parse_court_page(html)
        assert "административн" in text, name
