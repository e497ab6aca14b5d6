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

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from itertools import chain

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
# Every text node of the page in document order, each knowing its element (getparent) and whether it
# is that element's text or a tail: libxml2 collects them, no Python code runs per node.
_TEXT_NODES = etree.XPath("//text()")
# Only texts longer than this are searched for the decision's parts ("установил:" is 10 characters).
_DECISION_TEXT_MIN = 9
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
# The same, ending where the search window ends; and how far before its closing whitespace and colon
# such a match can start: the longest word with two spaces after each letter but its last, and [аи].
_OPERATIVE_ENDING = re.compile(_OPERATIVE_TEXT_LOW.pattern + r"\Z")
_OPERATIVE_REACH = len("постановил") * 3 - 2 + 1
# How the decision text is rendered: what ends a line after an element, and what is left out.
_BLOCKS = ("p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "table", "article", "section", "pre", "dd",
           "dt", "blockquote", "center")
_LINE_END = {**dict.fromkeys((*_BLOCKS, "br"), "\n"), "td": " \n", "th": " \n"}
_DROP = frozenset(("script", "style", "noscript", "template", "iframe", "object", "svg", "head", "nav", "form",
                   "button", "select", "header", "footer"))
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
# Where a card's case number ends: "5-1188/2023 ~ М-1201/2023", "12-5/2024 (12-4/2023)".
_CASE_NUMBER_END = re.compile(r"\s*[~(]\s*|\s+")
_CARD_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
# re.IGNORECASE on Cyrillic is several times slower in `re` than plain matching of the lower-cased
# text, and the two agree on every text without these characters: U+0130 lowers to two characters,
# U+1C80-1C88 are Cyrillic case variants that IGNORECASE folds and str.lower() keeps. A text with
# one of them takes the IGNORECASE patterns.
_ODD_CASE_CHARS = "\u0130" + "".join(map(chr, range(0x1C80, 0x1C89)))
_CARD_HINT_LOW = re.compile("|".join(re.escape(label) for label in _CARD_LABELS[:10]))
_LONGEST_HINT = max(len(label) for label in _CARD_LABELS[:10])
_EARLY_CHARS = 2048
_DECISION_HINT_LOW = re.compile(rf"(?:{_FINDINGS})\w*\s*:")
_KOAP_HINT_LOW = re.compile(r"коап|об\s+административных\s+правонарушениях|административн\w+\s+правонарушени")
# The first card label that a lower-cased label starts with, in _CARD_LABELS' order.
_CARD_LABEL_AT = re.compile("|".join(re.escape(label) for label in _CARD_LABELS))
_LABEL_INITIALS = frozenset(label[0] for label in _CARD_LABELS)
# The field of CourtCase each card label fills (_apply), and none other: a label whose field the
# card's rows have filled is not looked for in the page's blocks.
_LABEL_FIELD = {
    "номер дела": "case_number", "дата поступления": "received_date", "дата рассмотрения": "decision_date",
    "дата решения": "decision_date", "дата вынесения": "decision_date", "категория дела": "article",
    "статья коап": "article", "судья": "judge", "мировой судья": "judge", "результат рассмотрения": "result",
    "результат": "result", "судебный участок": "court", "наименование суда": "court",
    "уникальный идентификатор": "region",
}
# A text that may open with a card label (a superset of what str.lower() would let start with one),
# for comments' contents.
_MAY_OPEN_WITH_LABEL = re.compile(r"\s*(?:" + "|".join(re.escape(label) for label in _CARD_LABELS) + ")", re.I)
_LABEL_BLOCKS = ("div", "li", "p", "span")


def looks_like_court_page(html: str) -> bool:
    """A page with a court case card, or a decision text on administrative offences."""
    head = html[:300_000]
    if _has_odd_case(head):
        return _court_hints(head, _CARD_HINT, _DECISION_HINT, _KOAP_HINT)
    # A card's labels mostly come early: the page's start is lower-cased first, and the whole only
    # when that does not settle it. A match that starts a longest label's length before the start's
    # end or earlier is the same in the start as in the whole.
    if len(head) > _EARLY_CHARS and _two_card_labels(head[:_EARLY_CHARS].lower(), _CARD_HINT_LOW,
                                                      until=_EARLY_CHARS - _LONGEST_HINT):
        return True
    return _court_hints(head.lower(), _CARD_HINT_LOW, _DECISION_HINT_LOW, _KOAP_HINT_LOW)


def _court_hints(head: str, card: re.Pattern[str], decision: re.Pattern[str], koap: re.Pattern[str]) -> bool:
    return _two_card_labels(head, card) or bool(decision.search(head) and koap.search(head))


def _two_card_labels(head: str, card: re.Pattern[str], until: int | None = None) -> bool:
    """Two distinct card labels among the matches that start at `until` or before."""
    labels: set[str] = set()
    for m in card.finditer(head):  # two distinct card labels settle it: stop there
        if until is not None and m.start() > until:
            return False
        labels.add(m.group().lower())
        if len(labels) >= 2:
            return True
    return False


def _has_odd_case(text: str) -> bool:
    # One substring search per character: several times faster than a regex character class.
    for char in _ODD_CASE_CHARS:
        if char in text:
            return True
    return False


def parse_court_page(html: str, tree: lxml.html.HtmlElement | None = None) -> tuple[CourtCase, str, str | None]:
    """The case card, the decision text and the page title of a court decision page.

    `tree` is the page already parsed by sources.html.parse_html, when the caller has it (plain
    lxml elements or lxml.html's: only what both have is used)."""
    tree = parse_html(html, plain=True) if tree is None else tree
    texts = _PageTexts(tree)
    case = CourtCase()
    cards, row_pairs = _card_rows(tree)
    for label, value in chain(row_pairs, _list_pairs(tree)):
        _apply(case, label, value)
    open_labels = tuple(label for label in _CARD_LABELS if getattr(case, _LABEL_FIELD[label]) is None)
    for label, value in _block_pairs(tree, texts, open_labels):
        _apply(case, label, value)
    if not case.court:
        case.court = _page_court(tree)
    if case.court and not case.region:
        case.region = _court_region(case.court)
    body = _decision_element(texts)
    text = _render(body, cards) if body is not None else ""
    if not text.strip():
        body = _body(tree)
        text = _render(body if body is not None else tree, [])
    return case, text, _title(tree)


class _PageTexts:
    """The page's text nodes, searched all at once: joined by NUL (which no parsed text holds and no
    pattern here crosses, and which stands for the start of a text in the patterns' look-behinds),
    with one NUL before the first, and lower-cased unless a text has an _ODD_CASE_CHARS character
    (`low` is then None and the texts are searched one by one)."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.nodes: list[etree._ElementUnicodeResult] = _TEXT_NODES(tree)
        joined = "\x00".join(self.nodes)
        self.low = None if _has_odd_case(joined) else "\x00" + joined.lower()
        self._position, self._texts_to = 0, 1  # the last position asked about, and texts begun up to it

    def at(self, position: int) -> etree._ElementUnicodeResult:
        """The text node at `position` of `low` (its opening NUL included). Asked mostly in order:
        the NULs are counted on from the last position asked about."""
        assert self.low is not None
        if position < self._position:
            self._position, self._texts_to = 0, 1
        self._texts_to += self.low.count("\x00", self._position + 1, position + 1)
        self._position = position
        return self.nodes[self._texts_to - 1]


# ------------------------------------------------------------------------------ case card


def _card_rows(tree: lxml.html.HtmlElement) -> tuple[list[lxml.html.HtmlElement], list[tuple[str, str]]]:
    """The case card tables (not decision text laid out in a table): those with two rows or more
    whose first cell is a card label, nested tables' rows counting for the tables around them; and
    the (label, value) pairs of rows whose first td/th is a card label, in page order."""
    labelled_rows: dict[lxml.html.HtmlElement, int] = {}
    tables_above: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}  # by the rows' parents
    pairs = []
    for row in tree.iter("tr"):
        if not len(row):
            continue
        first = row[0]
        first_label = _card_label(first_text := _cell(first))
        if first_label:
            parent = row.getparent()
            tables = tables_above.get(parent)
            if tables is None:
                tables = tables_above[parent] = list(row.iterancestors("table"))
            for table in tables:
                labelled_rows[table] = labelled_rows.get(table, 0) + 1
        if first.tag in ("td", "th"):  # the row's first cell: its label is read already
            if not first_label:  # only pairs whose label is a card label: reading a value is most of the cost
                continue
            last = row[-1]
            if last.tag in ("td", "th"):
                if last is not first:
                    pairs.append((first_text, _cell(last)))
                continue
        cells = [c for c in row if c.tag in ("td", "th")]
        if len(cells) >= 2 and _card_label(label := _cell(cells[0])):
            pairs.append((label, _cell(cells[-1])))
    return [table for table, rows in labelled_rows.items() if rows >= 2], pairs


def _list_pairs(tree: lxml.html.HtmlElement) -> Iterator[tuple[str, str]]:
    """(label, value) pairs of definition lists."""
    for dl in tree.iter("dl"):
        terms = [c for c in dl if c.tag in ("dt", "dd")]
        for dt, dd in zip(terms, terms[1:], strict=False):
            if dt.tag == "dt" and dd.tag == "dd":
                label = _cell(dt)
                if _card_label(label):
                    yield label, _cell(dd)


def _block_pairs(tree: lxml.html.HtmlElement, texts: _PageTexts,
                 labels: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(label, value) pairs of "Label: value" blocks (div, li, p, span), in page order: every pair
    whose label is one of `labels`, and maybe others."""
    for node in _label_blocks(tree, texts, labels):
        if len(node) <= 3 and _starts_with_label(node):
            label, sep, value = _cell(node).partition(":")
            if sep and value.strip() and len(label) < 40 and _card_label(label):
                yield label, value


def _label_blocks(tree: lxml.html.HtmlElement, texts: _PageTexts,
                  labels: tuple[str, ...]) -> Iterable[lxml.html.HtmlElement]:
    """The blocks under `tree` that may open with one of `labels`, in page order: a block's head
    (_starts_with_label) is its own text or its first child's, so only the elements of texts that
    open with such a label and their parents can. Every block when the texts were not lower-cased,
    when a comment (whose content can be a head, and is no text node) may open with a label, or when
    the texts are not all under `tree` (libxml2 keeps what follows </html> beside the root)."""
    if not labels:
        return ()
    if texts.low is None or tree.getparent() is not None or any(
            isinstance(node.tag, str) for node in chain(tree.itersiblings(), tree.itersiblings(preceding=True))):
        return tree.iter(*_LABEL_BLOCKS)
    for comment in tree.iter(etree.Comment, etree.ProcessingInstruction):
        if _MAY_OPEN_WITH_LABEL.match(comment.text or ""):
            return tree.iter(*_LABEL_BLOCKS)
    blocks: dict[lxml.html.HtmlElement, None] = {}  # insertion-ordered set
    for m in _texts_opening_with(labels).finditer(texts.low):
        node = texts.at(m.start())
        if not node.is_text:
            continue
        element = node.getparent()
        parent = element.getparent()
        if parent is not None and parent.tag in _LABEL_BLOCKS and parent[0] is element:
            blocks[parent] = None
        if element.tag in _LABEL_BLOCKS:
            blocks[element] = None
    return blocks


@lru_cache(maxsize=256)
def _texts_opening_with(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A text of _PageTexts.low (after the NUL that opens it) that starts with one of `labels`. The
    raw head _starts_with_label reads holds its label as written, single spaces and all."""
    return re.compile(r"\x00\s*(?:" + "|".join(re.escape(label) for label in labels) + ")")


def _starts_with_label(node: lxml.html.HtmlElement) -> bool:
    """Cheap test before reading a block's whole text: does it open with a card label?"""
    head = (node.text or "").strip()
    if not head and len(node):
        head = (node[0].text or "").strip()
    # Its first letter first: most blocks are prose, and no label starts like them.
    return bool(head) and head[0].lower()[:1] in _LABEL_INITIALS and _card_label(head[:40].split(":")[0]) is not None


def _cell(node: lxml.html.HtmlElement) -> str:
    """The texts of `node` (what itertext gives) each apart, whitespace made single spaces: "суд<br>
    Мурманской" must not run together, as string() would run them."""
    if not isinstance(node.tag, str):  # a comment or processing instruction: no text a reader sees
        return ""
    if not len(node):
        text = node.text
        return " ".join(text.split()) if text else ""
    pieces: list[str] = []
    _text_pieces(node, pieces)
    return " ".join(" ".join(pieces).split())


def _text_pieces(node: lxml.html.HtmlElement, pieces: list[str]) -> None:
    """itertext() of an element, without the cost of making its iterator (most cells are small)."""
    if node.text:
        pieces.append(node.text)
    for child in node:
        if child.tag.__class__ is str:
            _text_pieces(child, pieces)
        if child.tail:
            pieces.append(child.tail)


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
        case.case_number = _CASE_NUMBER_END.split(value, 1)[0] or None
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
    found = _article_of(value)
    if found:
        case.article, case.article_part = found


@lru_cache(maxsize=4096)
def _article_of(value: str) -> tuple[str, str | None] | None:
    """(article, part) of a card's category, "Ст.18.8 ч.1.1 КоАП РФ - ...": a site words the few
    articles the same way on every card, and IGNORECASE on Cyrillic is slow in `re`."""
    article = _ARTICLE.search(value)
    if not article:
        return None
    part = _PART.search(value)
    return article.group(1), part.group(1).rstrip(".") if part else None


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
    for node in tree.iter("title", "h1", "h2", "div", "span", "a"):
        heading = node.tag in ("title", "h1", "h2") or _HEADING_CLASS.search(node.get("class", "") + node.get("id", ""))
        if not heading:
            continue
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


def _decision_element(texts: _PageTexts) -> lxml.html.HtmlElement | None:
    """The smallest element holding both the findings and the operative part of the decision."""
    # Only the first findings and the last operative part count.
    if texts.low is None:
        long_texts = [t for t in texts.nodes if len(t) >= _DECISION_TEXT_MIN]
        findings = next(iter(_elements_of(long_texts, _FINDINGS_TEXT.search)), None)
        operative = next(reversed(_elements_of(long_texts, _OPERATIVE_TEXT.search)), None)
    else:
        findings = next(_found_at(texts, (m.start() for m in _FINDINGS_TEXT_LOW.finditer(texts.low))), None)
        operative = next(_found_at(texts, _operative_colons(texts.low)), None)
    if findings is not None and operative is not None:
        return _common_ancestor(findings, operative)
    if findings is not None:  # a truncated text: the findings' block and what surrounds it
        return _enclosing_block(findings)
    return None


def _operative_colons(low: str) -> Iterator[int]:
    """Where _OPERATIVE_TEXT_LOW's matches in `low` end, from the last back. Every match ends at a
    colon and holds no other, so the matches finditer would give end at the colons where one can
    end; looking at the colons from the end finds the last without scanning the whole text (the
    words' letters are among the commonest, and `re` tries each)."""
    end = len(low)
    while (colon := low.rfind(":", 0, end)) >= 0:
        start = colon  # the whitespace before the colon is the match's: it starts at most REACH before
        while start and low[start - 1].isspace():
            start -= 1
        if _OPERATIVE_ENDING.search(low, max(0, start - _OPERATIVE_REACH), colon + 1):
            yield colon
        end = colon


def _found_at(texts: _PageTexts, positions: Iterable[int]) -> Iterator[lxml.html.HtmlElement]:
    """The elements of the texts at `positions` of texts.low, those texts long enough to search."""
    for at in positions:
        node = texts.at(at)
        if len(node) >= _DECISION_TEXT_MIN:
            yield from _elements_of([node])


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
    """Visible text of `node`, blocks on their lines, without scripts, navigation or case cards: its
    text nodes in document order (what string() of it gives), a line end after each block and <br>
    (before its tail), the texts inside a left-out element left out (its tail kept)."""
    if not isinstance(node.tag, str):  # a comment both parts follow: its tail is its parent's, like a <br>'s
        return ""
    is_card = _CardMatcher(cards)
    if node.tag in _DROP or (node.tag == "table" and is_card(node)):
        return ""  # the block itself is a case card (a broken page): no decision text in it
    pieces = [node.text] if node.text else []
    _visible_pieces(node, pieces, is_card)
    return clean_text("".join(pieces))


def _visible_pieces(element: lxml.html.HtmlElement, pieces: list[str], is_card: _CardMatcher) -> None:
    """The texts, line ends and tails of `element`'s children and their descendants, in order. libxml2
    nests at most 255 deep: so does this recursion."""
    for child in element:
        tag = child.tag
        if tag.__class__ is str and tag not in _DROP and not (tag == "table" and is_card(child)):
            text = child.text
            if text:
                pieces.append(text)
            if len(child):
                _visible_pieces(child, pieces, is_card)
            line_end = _LINE_END.get(tag)
            if line_end:
                pieces.append(line_end)
        tail = child.tail  # a comment's, a left-out element's too
        if tail:
            pieces.append(tail)


class _CardMatcher:
    """Is a table one of the case cards, or a copy of one (the same text)?"""

    def __init__(self, cards: list[lxml.html.HtmlElement]) -> None:
        self.cards = set(cards)
        self.prints: set[str] | None = None

    def __call__(self, table: lxml.html.HtmlElement) -> bool:
        if not self.cards:
            return False
        if table in self.cards:
            return True
        if self.prints is None:
            self.prints = {_fingerprint(card) for card in self.cards}
        return _fingerprint(table) in self.prints


def _body(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """lxml.html's HtmlElement.body."""
    for element in tree.getroottree().iter("body", "{http://www.w3.org/1999/xhtml}body"):
        return element
    return None


def _fingerprint(node: lxml.html.HtmlElement) -> str:
    return " ".join(_text_content(node).split())[:200]


def _title(tree: lxml.html.HtmlElement) -> str | None:
    node = next(tree.iterdescendants("title"), None)
    if node is None:
        return None
    # string() of an element without children is its text: no XPath evaluation for the usual title
    text = " ".join((_text_content(node) if len(node) else node.text or "").split())
    return text or None
