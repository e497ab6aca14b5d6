"""Court decision pages as Russian court websites publish them.

Three forms are read:
- a federal court site (sudrf.ru "ДЕЛА" module): a case card table (Номер дела, Дата
  поступления, Категория дела / статья КоАП, Судья, Дата рассмотрения, Результат рассмотрения)
  beside tabs, one of which holds the decision text;
- a magistrates' site (mirsud / msudrf): a card of label/value pairs in a table, a definition
  list or "Label: value" blocks, and the decision text below;
- a plain decision text wrapped in minimal HTML (or a <pre>).

The decision text is found by its structure, not by the site's ids, which differ between
sites and years: it is the smallest element holding both the findings ("установил") and the
operative part ("постановил", "решил"), minus any case card inside it.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import date
from functools import lru_cache

import lxml.html
from lxml import etree

from recruitwatch.models import CourtCase
from recruitwatch.reference.court_uid import uid_region
from recruitwatch.sources.html import clean_text, parse_html

_CARD_LABELS = (
    "номер дела", "дата поступления", "дата рассмотрения", "результат рассмотрения", "категория дела",
    "судья", "уникальный идентификатор", "статья коап", "судебный участок", "дата решения",
    "дата вынесения", "результат", "наименование суда", "мировой судья",
)
_CARD_HINT = re.compile("|".join(re.escape(label) for label in _CARD_LABELS[:10]), re.I)
_FINDINGS = "|".join(r"\s{0,2}".join(w) for w in ("установил",))
_OPERATIVE = "|".join(r"\s{0,2}".join(w) for w in ("постановил", "решил", "определил"))
_DECISION_HINT = re.compile(rf"(?:{_FINDINGS})\w*\s*:", re.I)
_KOAP_HINT = re.compile(r"КоАП|об\s+административных\s+правонарушениях|административн\w+\s+правонарушени", re.I)
# Texts long enough to hold "установил:": asking libxml2 to drop the others saves making a Python
# string (with its parent link) for each of the page's many short ones.
_ALL_TEXT = etree.XPath("//text()[string-length(.) > 8]")
_text_content = etree.XPath("string()", smart_strings=False)  # lxml.html's HtmlElement.text_content
_FINDINGS_TEXT = re.compile(rf"(?:^|[^а-яё])(?:{_FINDINGS})", re.I)
_OPERATIVE_TEXT = re.compile(rf"(?:^|[^а-яё])(?:{_OPERATIVE})[аи]?\s*:", re.I)


def _low_word(word: str) -> str:
    """`word` spaced out as in _FINDINGS, for lower-cased text, not after a letter: the look-behind
    follows the first letter so that `re` can skip ahead to that letter."""
    return rf"{word[0]}(?<![а-яё]{word[0]})" + "".join(rf"\s{{0,2}}{c}" for c in word[1:])


# _FINDINGS_TEXT and _OPERATIVE_TEXT on lower-cased text (see _ODD_CASE).
_FINDINGS_TEXT_LOW = re.compile("|".join(_low_word(w) for w in ("установил",)))
_OPERATIVE_TEXT_LOW = re.compile("(?:" + "|".join(_low_word(w) for w in ("постановил", "решил", "определил"))
                                 + r")[аи]?\s*:")
_BLOCKS = ("p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "table", "article", "section", "pre", "dd",
           "dt", "blockquote", "center")
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head", "nav", "form",
         "button", "select", "header", "footer")
_COURT_NAME = re.compile(
    r"(?:[А-ЯЁ][\w\-]+\s+){1,4}(?:районный|городской|областной|краевой|межрайонный|гарнизонный\s+военный|"
    r"окружной)\s+суд(?:\s+(?:[А-ЯЁ][\w\-]+\s+){0,2}(?:области|края|округа)|\s+(?:г\.|города)\s*[А-ЯЁ][\w\-]+|"
    r"\s+(?:Санкт-Петербурга|Москвы|Севастополя)|"
    r"\s+Республики\s+[А-ЯЁ][\w\-]+(?:\s+[А-ЯЁ][\w\-]+)?|\s+[А-ЯЁ][\w\-]+\s+Республики)?"
    r"|Верховный\s+[Сс]уд\s+[^|\n,]{3,60}"
    r"|[Сс]удебный\s+участок\s*№\s*\d+[^|\n]{0,120}"
    r"|[Мм]ировые\s+судьи\s+[^|\n]{3,80}",
)
_ARTICLE = re.compile(r"(?:ст\.?|статья|статьи)\s*(\d{1,2}\.\d{1,2}(?:\.\d)?)", re.I)
_PART = re.compile(r"(?:ч\.?|часть|части)\s*(\d{1,2}(?:\.\d{1,2})?)", re.I)
_CARD_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
# re.IGNORECASE on Cyrillic is several times slower in `re` than plain matching of the lower-cased
# text, and the two agree on every text without these characters: U+0130 lowers to two characters,
# U+1C80-1C88 are Cyrillic case variants that IGNORECASE folds and str.lower() keeps. A text with
# one of them takes the IGNORECASE patterns.
_ODD_CASE = re.compile("[\u0130\u1c80-\u1c88]")
_CARD_HINT_LOW = re.compile("|".join(re.escape(label) for label in _CARD_LABELS[:10]))
_DECISION_HINT_LOW = re.compile(rf"(?:{_FINDINGS})\w*\s*:")
_KOAP_HINT_LOW = re.compile(r"коап|об\s+административных\s+правонарушениях|административн\w+\s+правонарушени")
# The first card label that a lower-cased label starts with, in _CARD_LABELS' order.
_CARD_LABEL_AT = re.compile("|".join(re.escape(label) for label in _CARD_LABELS))
_LABEL_INITIALS = frozenset(label[0] for label in _CARD_LABELS)


def looks_like_court_page(html: str) -> bool:
    """A page with a court case card, or a decision text on administrative offences."""
    head = html[:300_000]
    if _ODD_CASE.search(head):
        card, decision, koap = _CARD_HINT, _DECISION_HINT, _KOAP_HINT
    else:
        head = head.lower()
        card, decision, koap = _CARD_HINT_LOW, _DECISION_HINT_LOW, _KOAP_HINT_LOW
    labels: set[str] = set()
    for m in card.finditer(head):  # two distinct card labels settle it: stop there
        labels.add(m.group().lower())
        if len(labels) >= 2:
            return True
    return bool(decision.search(head) and koap.search(head))


def parse_court_page(html: str, tree: lxml.html.HtmlElement | None = None) -> tuple[CourtCase, str, str | None]:
    """The case card, the decision text and the page title of a court decision page.

    `tree` is the page already parsed by sources.html.parse_html, when the caller has it (plain
    lxml elements or lxml.html's: only what both have is used)."""
    tree = parse_html(html, plain=True) if tree is None else tree
    case = CourtCase()
    cells = _Cells()
    cards = list(_card_tables(tree, cells))
    for label, value in _card_pairs(tree, cells):
        _apply(case, label, value)
    if not case.court:
        case.court = _page_court(tree)
    if case.court and not case.region:
        case.region = _court_region(case.court)
    body = _decision_element(tree)
    text = _render(body, cards) if body is not None else ""
    if not text.strip():
        body = _body(tree)
        text = _render(body if body is not None else tree, [])
    return case, text, _title(tree)


# ------------------------------------------------------------------------------ case card


class _Cells(dict):  # type: ignore[type-arg]
    """_cell of each element asked about, read once: the card readers both read the rows' first
    cells. Keyed by the element proxies themselves, which the dict keeps alive (and so the same)."""

    def __missing__(self, node: lxml.html.HtmlElement) -> str:
        text = self[node] = _cell(node)
        return text


def _card_pairs(tree: lxml.html.HtmlElement, cells: _Cells | None = None) -> Iterator[tuple[str, str]]:
    """(label, value) pairs of the case card, from table rows, definition lists and "Label: value"
    blocks, in page order. Only pairs whose label is a card label: the others are never used, and
    reading a value's text is most of the cost."""
    text_of = cells if cells is not None else _Cells()
    for row in tree.iter("tr"):
        row_cells = [c for c in row if c.tag in ("td", "th")]
        if len(row_cells) >= 2:
            label = text_of[row_cells[0]]
            if _card_label(label):
                yield label, _cell(row_cells[-1])
    for dl in tree.iter("dl"):
        terms = [c for c in dl if c.tag in ("dt", "dd")]
        for dt, dd in zip(terms, terms[1:], strict=False):
            if dt.tag == "dt" and dd.tag == "dd":
                label = _cell(dt)
                if _card_label(label):
                    yield label, _cell(dd)
    for node in tree.iter("div", "li", "p", "span"):
        if len(node) <= 3 and _starts_with_label(node):
            label, sep, value = _cell(node).partition(":")
            if sep and value.strip() and len(label) < 40 and _card_label(label):
                yield label, value


def _starts_with_label(node: lxml.html.HtmlElement) -> bool:
    """Cheap test before reading a block's whole text: does it open with a card label?"""
    head = (node.text or "").strip()
    if not head and len(node):
        head = (node[0].text or "").strip()
    # Its first letter first: most blocks are prose, and no label starts like them.
    return bool(head) and head[0].lower()[:1] in _LABEL_INITIALS and _card_label(head[:40].split(":")[0]) is not None


def _card_tables(tree: lxml.html.HtmlElement, cells: _Cells | None = None) -> Iterator[lxml.html.HtmlElement]:
    """Tables that are case cards (not decision text laid out in a table)."""
    text_of = cells if cells is not None else _Cells()
    for table in tree.iter("table"):
        labels = [text_of[row[0]] for row in table.iter("tr") if len(row)]
        if sum(1 for label in labels if _card_label(label)) >= 2:
            yield table


def _cell(node: lxml.html.HtmlElement) -> str:
    # itertext, not text_content: "суд<br>Мурманской" must not run together
    return " ".join(" ".join(node.itertext()).split())


@lru_cache(maxsize=8192)
def _card_label(label: str) -> str | None:
    """The card label `label` starts with. Asked ~30 times a page, mostly about the same few dozen
    strings ("Номер дела", "Судья" ...) on every page of a site: kept."""
    m = _CARD_LABEL_AT.match(label.lower().strip(" :"))
    return m.group() if m else None


def _apply(case: CourtCase, label: str, value: str) -> None:
    key = _card_label(label)
    value = " ".join(value.split())
    if not key or not value:
        return
    if key == "номер дела" and not case.case_number:
        case.case_number = re.split(r"\s*[~(]\s*|\s+", value)[0] or None
    elif key in ("дата поступления",) and not case.received_date:
        case.received_date = _card_date(value)
    elif key in ("дата рассмотрения", "дата решения", "дата вынесения") and not case.decision_date:
        case.decision_date = _card_date(value)
    elif key in ("категория дела", "статья коап") and not case.article:
        _apply_article(case, value)
    elif key in ("судья", "мировой судья") and not case.judge:
        case.judge = value
    elif key in ("результат рассмотрения", "результат") and not case.result:
        case.result = value
    elif key in ("судебный участок", "наименование суда") and not case.court:
        case.court = value
    elif key == "уникальный идентификатор" and not case.region:
        case.region = uid_region(value)


def _apply_article(case: CourtCase, value: str) -> None:
    article = _ARTICLE.search(value)
    if article:
        case.article = article.group(1)
        part = _PART.search(value)
        case.article_part = part.group(1).rstrip(".") if part else None


def _card_date(value: str) -> date | None:
    m = _CARD_DATE.search(value)
    return _parse_card_date(m.group()) if m else None


@lru_cache(maxsize=8192)
def _parse_card_date(text: str) -> date | None:
    """A card's "21.05.2020" or "2020-05-21". A card date that is no date ("31.02.2021", a
    month-first "5.13.2020") is left empty here: this stage reads the page, and extraction reads
    the decision's own dates from its text."""
    first, second, third = re.split(r"[.-]", text) if len(text) >= 8 else ("", "", "")
    day, month, year = (third, second, first) if len(first) == 4 else (first, second, third)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _page_court(tree: lxml.html.HtmlElement) -> str | None:
    """The court's name from the page header or title."""
    heads = [n for n in tree.iter("title", "h1", "h2", "div", "span", "a")
             if n.tag in ("title", "h1", "h2") or _HEADING_CLASS.search(n.get("class", "") + n.get("id", ""))]
    for node in heads:
        m = _COURT_NAME.search(_cell(node))
        if m:
            return " ".join(m.group().split()).rstrip(" ,.-–—")
    return None


_HEADING_CLASS = re.compile(r"title|head|name|court|logo", re.I)


@lru_cache(maxsize=4096)
def _court_region(name: str) -> str | None:
    """The gazetteer's reading of a court's name (~70 µs); a corpus names a few thousand courts."""
    from recruitwatch.reference.gazetteer import court_region

    return court_region(name)


# ------------------------------------------------------------------------------ decision text


def _decision_element(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The smallest element holding both the findings and the operative part of the decision."""
    texts = _ALL_TEXT(tree)
    # Only the first findings and the last operative part count. All texts are searched at once,
    # lower-cased, joined by NUL (which no parsed text holds and neither pattern crosses, and
    # which stands for the start of a text in the patterns' look-behind).
    joined = "\x00".join(texts)
    if _ODD_CASE.search(joined):
        found = [_elements_of(texts, _FINDINGS_TEXT.search), _elements_of(texts, _OPERATIVE_TEXT.search)]
    else:
        low, starts, at = joined.lower(), [], 0
        for t in texts:
            starts.append(at)
            at += len(t) + 1
        found = [_elements_of([texts[bisect_right(starts, m.start()) - 1] for m in pattern.finditer(low)])
                 for pattern in (_FINDINGS_TEXT_LOW, _OPERATIVE_TEXT_LOW)]
    findings, operative = found
    if findings and operative:
        return _common_ancestor(findings[0], operative[-1])
    if findings:  # a truncated text: the findings' block and what surrounds it
        return _enclosing_block(findings[0])
    return None


def _elements_of(texts: list[object], keep: Callable[[object], object] = bool) -> list[lxml.html.HtmlElement]:
    out = []
    for t in texts:
        if not keep(t):
            continue
        parent = t.getparent()  # type: ignore[attr-defined]
        if parent is not None and parent.tag not in ("script", "style", "title"):
            out.append(parent)
    return out


def _common_ancestor(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    # The proxies themselves, not their id()s: lxml gives a node the same proxy only while one is
    # alive, and the id of a freed one is soon another's.
    ancestors = {a, *a.iterancestors()}
    node = b
    while node is not None and node not in ancestors:
        node = node.getparent()
    node = node if node is not None else a.getroottree().getroot()
    # A decision written as <p>s directly under a table cell or a span: widen to its block.
    while node.tag in ("p", "span", "b", "strong", "font", "i", "em") and node.getparent() is not None:
        node = node.getparent()
    return node


def _enclosing_block(node: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    while node.getparent() is not None:
        if node.tag in ("div", "td", "section", "article", "pre", "body") and len(_cell(node)) > 300:
            return node
        node = node.getparent()
    return node


def _render(node: lxml.html.HtmlElement, cards: list[lxml.html.HtmlElement]) -> str:
    """Visible text of `node`, blocks on their lines, without scripts, navigation or case cards."""
    node = copy.deepcopy(node)
    node.tail = None
    card_ids = {_fingerprint(c) for c in cards}
    for child in list(node.iter(*_DROP, "table")):
        if child.tag != "table" or _fingerprint(child) in card_ids:
            if child is node:  # the block itself is a case card (a broken page): no decision text in it
                return ""
            _drop_tree(child)
    for child in list(node.iter(etree.Comment)):
        _drop_tree(child)
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in node.iter(*_BLOCKS, "td", "th"):
        block.tail = "\n" + (block.tail or "")
        if block.tag in ("td", "th"):
            block.tail = " " + (block.tail or "")
    return clean_text(_text_content(node))


def _body(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """lxml.html's HtmlElement.body."""
    for element in tree.getroottree().iter("body", "{http://www.w3.org/1999/xhtml}body"):
        return element
    return None


def _drop_tree(node: lxml.html.HtmlElement) -> None:
    """lxml.html's HtmlElement.drop_tree: remove the node, keep its tail in place."""
    parent = node.getparent()
    assert parent is not None
    if node.tail:
        previous = node.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + node.tail
        else:
            previous.tail = (previous.tail or "") + node.tail
    parent.remove(node)


def _fingerprint(node: lxml.html.HtmlElement) -> str:
    return " ".join(_text_content(node).split())[:200]


def _title(tree: lxml.html.HtmlElement) -> str | None:
    node = tree.find(".//title")
    text = " ".join(_text_content(node).split()) if node is not None else ""
    return text or None
