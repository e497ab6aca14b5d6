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


def test_card_row_opening_with_a_comment_is_read() -> None:
    """A comment before a row's first cell once stopped the whole page (itertext refuses comments)."""
    html = ("<html><body><table><tr><!-- номер --><td>Номер дела</td><td>5-7/2024</td></tr>"
            "<tr><td>Судья</td><td>Иванова А.А.</td></tr></table>"
            "<div><p>УСТАНОВИЛ: факты по делу об административном правонарушении (КоАП РФ).</p>"
            "<p>ПОСТАНОВИЛ: назначить штраф.</p></div></body></html>")
    card, text, _ = parse_court_page(html)
    assert (card.case_number, card.judge) == ("5-7/2024", "Иванова А.А.")
    assert text.startswith("УСТАНОВИЛ:") and text.endswith("назначить штраф.")


def test_label_blocks_are_read_from_their_own_text_or_their_first_childs() -> None:
    html = ("<html><body><div><span>Номер дела: 5-9/2024</span></div><p>  <b>Судья</b>: Петров П.П.</p>"
            "<li>Дата поступления: 02.03.2024</li><div>Судья Выборгского городского суда: рассмотрев</div>"
            "<p>УСТАНОВИЛ:</p><p>ПОСТАНОВИЛ:</p></body></html>")
    card, _, _ = parse_court_page(html)
    assert card.case_number == "5-9/2024"
    assert card.judge == "Петров П.П."
    assert card.received_date is not None and card.received_date.isoformat() == "2024-03-02"


def test_a_block_whose_first_child_is_a_comment_opens_with_the_comments_head() -> None:
    """A comment's content is no text node; a block whose head it is gets read all the same."""
    html = ("<html><body><p> <!--Судья-->Судья: Сидоров С.С.</p><p>УСТАНОВИЛ:</p><p>ПОСТАНОВИЛ:</p></body></html>")
    card, _, _ = parse_court_page(html)
    assert card.judge == "Сидоров С.С."


def test_decision_text_is_the_last_operative_part_and_leaves_out_a_copy_of_the_card() -> None:
    card_rows = ("<tr><td>Номер дела</td><td>5-3/2024</td></tr><tr><td>Дата поступления</td><td>01.02.2024</td></tr>")
    html = (f"<html><body><table>{card_rows}</table><table><tr><td>Текст</td><td><div>"
            f"<p>Р Е Ш Е Н И Е</p><table>{card_rows}</table><p>у с т а н о в и л:</p><p>Факты<br>и доводы.</p>"
            "<p>определил : оставить.</p><p>Постановление по адресу: Москва</p><p>р е ш и л :</p>"
            "<p>Отменить.</p><!-- конец --></div></td></tr></table></body></html>")
    _, text, _ = parse_court_page(html)
    assert text == ("Р Е Ш Е Н И Е\nу с т а н о в и л:\nФакты\nи доводы.\nопределил : оставить.\n"
                    "Постановление по адресу: Москва\nр е ш и л :\nОтменить.")


def test_case_variants_of_cyrillic_letters_read_like_the_plain_ones() -> None:
    """U+1C80 (a rounded в) folds to в under IGNORECASE: such a page takes the slower patterns."""
    for html in ("<html><body><p>Номер дела: 1</p><div><p>УСТАНО\u1c80ИЛ:</p><p>Текст.</p>"
                 "<p>ПОСТАНОВИЛ:</p><p>Штраф.</p></div></body></html>",
                 "<html><body><div><p>УСТАНОВИЛ:</p><p>Текст.</p><p>ПОСТАНОВИЛ:</p><p>Штраф \u0130.</p></div>"
                 "</body></html>"):
        _, text, _ = parse_court_page(html)
        assert text.splitlines()[-1].startswith("Штраф"), html
        assert "Текст." in text


def test_decision_after_a_comment_is_read_from_the_page() -> None:
    """Both parts in the text after a comment: the comment holds no text (as a <br> before them
    would not), and the page's body is read. Such a page once stopped the reader."""
    html = ("<html><body><div>Номер дела: 5-2/2024<!-- текст -->УСТАНОВИЛ: факты. ПОСТАНОВИЛ: штраф по КоАП РФ."
            "</div></body></html>")
    _, text, _ = parse_court_page(html)
    assert text == "Номер дела: 5-2/2024УСТАНОВИЛ: факты. ПОСТАНОВИЛ: штраф по КоАП РФ."


def test_each_card_label_fills_the_field_it_is_listed_with() -> None:
    """The page's blocks are searched only for labels whose field is still empty: _LABEL_FIELD must
    name the one field _apply fills for each."""
    from recruitwatch.models import CourtCase
    from recruitwatch.sources.court_page import _CARD_LABELS, _LABEL_FIELD, _apply

    values = {"case_number": "5-1/2024", "received_date": "01.02.2024", "decision_date": "03.02.2024",
              "article": "Ст.18.8 ч.1 КоАП РФ", "judge": "Иванов И.И.", "result": "Штраф",
              "court": "Судебный участок № 1", "region": "47RS0037-01-2024-006956-17"}
    assert set(_LABEL_FIELD) == set(_CARD_LABELS)
    for label in _CARD_LABELS:
        case = CourtCase()
        _apply(case, label.capitalize(), values[_LABEL_FIELD[label]])
        filled = {name for name, value in vars(case).items() if value not in (None, [], False)}
        assert filled - {"article_part"} == {_LABEL_FIELD[label]}, label
