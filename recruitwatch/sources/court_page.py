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
from collections.abc import Iterator
from datetime import date

import lxml.html
from lxml import etree

from recruitwatch.extract.dates import parse_date
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
_ALL_TEXT = etree.XPath("//text()")
_FINDINGS_TEXT = re.compile(rf"(?:^|[^а-яё])(?:{_FINDINGS})", re.I)
_OPERATIVE_TEXT = re.compile(rf"(?:^|[^а-яё])(?:{_OPERATIVE})[аи]?\s*:", re.I)
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


def looks_like_court_page(html: str) -> bool:
    """A page with a court case card, or a decision text on administrative offences."""
    head = html[:300_000]
    labels: set[str] = set()
    for m in _CARD_HINT.finditer(head):  # two distinct card labels settle it: stop there
        labels.add(m.group().lower())
        if len(labels) >= 2:
            return True
    return bool(_DECISION_HINT.search(head) and _KOAP_HINT.search(head))


def parse_court_page(html: str, tree: lxml.html.HtmlElement | None = None) -> tuple[CourtCase, str, str | None]:
    """The case card, the decision text and the page title of a court decision page.

    `tree` is the page already parsed by sources.html.parse_html, when the caller has it."""
    tree = parse_html(html) if tree is None else tree
    case = CourtCase()
    cards = list(_card_tables(tree))
    for label, value in _card_pairs(tree):
        _apply(case, label, value)
    if not case.court:
        case.court = _page_court(tree)
    if case.court and not case.region:
        case.region = _court_region(case.court)
    body = _decision_element(tree)
    text = _render(body, cards) if body is not None else ""
    if not text.strip():
        text = _render(tree.body if tree.body is not None else tree, [])
    return case, text, _title(tree)


# ------------------------------------------------------------------------------ case card


def _card_pairs(tree: lxml.html.HtmlElement) -> Iterator[tuple[str, str]]:
    """(label, value) pairs of the case card, from table rows, definition lists and "Label: value"
    blocks, in page order."""
    for row in tree.iter("tr"):
        cells = [c for c in row if c.tag in ("td", "th")]
        if len(cells) >= 2:
            yield _cell(cells[0]), _cell(cells[-1])
    for dl in tree.iter("dl"):
        terms = [c for c in dl if c.tag in ("dt", "dd")]
        for dt, dd in zip(terms, terms[1:], strict=False):
            if dt.tag == "dt" and dd.tag == "dd":
                yield _cell(dt), _cell(dd)
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
    return bool(head) and _card_label(head[:40].split(":")[0]) is not None


def _card_tables(tree: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Tables that are case cards (not decision text laid out in a table)."""
    for table in tree.iter("table"):
        labels = [_cell(row[0]) for row in table.iter("tr") if len(row)]
        if sum(1 for label in labels if _card_label(label)) >= 2:
            yield table


def _cell(node: lxml.html.HtmlElement) -> str:
    # itertext, not text_content: "суд<br>Мурманской" must not run together
    return " ".join(" ".join(node.itertext()).split())


def _card_label(label: str) -> str | None:
    low = label.lower().strip(" :")
    for known in _CARD_LABELS:
        if low.startswith(known):
            return known
    return None


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
    return parse_date(m.group()) if m else None


def _page_court(tree: lxml.html.HtmlElement) -> str | None:
    """The court's name from the page header or title."""
    heads = [n for n in tree.iter("title", "h1", "h2", "div", "span", "a")
             if n.tag in ("title", "h1", "h2") or re.search(r"title|head|name|court|logo", n.get("class", "")
                                                            + n.get("id", ""), re.I)]
    for node in heads:
        m = _COURT_NAME.search(_cell(node))
        if m:
            return " ".join(m.group().split()).rstrip(" ,.-–—")
    return None


def _court_region(name: str) -> str | None:
    from recruitwatch.reference.gazetteer import court_region

    return court_region(name)


# ------------------------------------------------------------------------------ decision text


def _decision_element(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The smallest element holding both the findings and the operative part of the decision."""
    texts = [t for t in _ALL_TEXT(tree) if len(t) > 8]
    findings = _elements_of([t for t in texts if _FINDINGS_TEXT.search(t)])
    operative = _elements_of([t for t in texts if _OPERATIVE_TEXT.search(t)])
    if findings and operative:
        return _common_ancestor(findings[0], operative[-1])
    if findings:  # a truncated text: the findings' block and what surrounds it
        return _enclosing_block(findings[0])
    return None


def _elements_of(texts: list[object]) -> list[lxml.html.HtmlElement]:
    out = []
    for t in texts:
        parent = t.getparent()  # type: ignore[attr-defined]
        if parent is not None and parent.tag not in ("script", "style", "title"):
            out.append(parent)
    return out


def _common_ancestor(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    ancestors = {id(n) for n in a.iterancestors()} | {id(a)}
    node = b
    while node is not None and id(node) not in ancestors:
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
            child.drop_tree()
    for child in list(node.iter(etree.Comment)):
        child.drop_tree()
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in node.iter(*_BLOCKS, "td", "th"):
        block.tail = "\n" + (block.tail or "")
        if block.tag in ("td", "th"):
            block.tail = " " + (block.tail or "")
    return clean_text(node.text_content())


def _fingerprint(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())[:200]


def _title(tree: lxml.html.HtmlElement) -> str | None:
    node = tree.find(".//title")
    text = " ".join(node.text_content().split()) if node is not None else ""
    return text or None
