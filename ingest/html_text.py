"""Saved web pages to report text: decode the page, find the article, keep its paragraphs as lines.

A .mht web archive (MIME multipart, as Internet Explorer and Edge save pages) is unpacked to its page.
Government portals wrap a report in navigation, scripts, "字体 大 中 小" and "打印 关闭" furniture. We parse
with the standard library's html.parser into a small tree, drop the parts that are never content, pick the
element that holds the article (readability-style scoring, with a bonus for the ids and classes portals
use for it: zoom, content, article, TRS_Editor ...), and render it with one paragraph per line.
The page title comes first; a publication date shown between the title and the article is kept after it,
because the report's metadata reader uses it.
"""

from __future__ import annotations

import codecs
import email.parser
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose content is never report text.
# fmt: off
_DROPPED = frozenset((
    "script", "style", "noscript", "nav", "header", "footer", "template", "iframe", "object", "embed", "svg",
    "canvas", "select", "option", "button", "textarea", "aside", "map", "audio", "video",
))
_VOID = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr",
))
# Elements that start a new line when rendered.
_BLOCK = frozenset((
    "address", "article", "blockquote", "caption", "center", "dd", "div", "dl", "dt", "figcaption", "figure",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table",
    "tbody", "thead", "tfoot", "title", "tr", "ul", "body", "html",
))
# fmt: on
_CELL = frozenset(("td", "th"))
_MAX_DEPTH = 200
# Opening one of these closes an open <p>, as browsers do.
_CLOSES_P = _BLOCK - {"body", "html", "title"}

# Ids and class names portals (TRS, Hanweb, Dayu ...) give the article body.
_ARTICLE_NAMES = re.compile(
    r"^(?:zoom|fontzoom|zoomcon|conzoom|content|contents|article|artibody|articlecontent|article[-_]content|"
    r"main[-_]?content|maintext|contenttext|content[-_]text|news[-_]?content|info[-_]?content|detail|"
    r"detail[-_]content|trs_editor|view|text|wenzhang|nr|zw|zwnr|bt_content|pages_content)$",
    re.IGNORECASE,
)
_ARTICLE_BONUS = 1.5
# Text that counts as prose when scoring containers: long enough, with clause or sentence punctuation.
_MIN_PROSE = 20
_PROSE_PUNCTUATION = re.compile(r"[，。；！？,;!?]")

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# A line break in the page source between two CJK characters is not a space in Chinese text.
_WRAP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"[\s\u3000]+")
_DATE_LINE = re.compile(
    r"(?:发布|成文|印发|公开|发文)?(?:时间|日期)\s*[:：]\s*\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?"
)
# Site names after the article title in <title>: "标题_某某县人民政府", "标题 - 某某网".
_TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]| - | — | – |－{1,2}|——)\s*")

_BOGUS_DECLARATION = re.compile(r"<!(?!--|doctype)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_PROBE_BYTES = 1024
_CHARSET_SCAN_BYTES = 16384
# Labels browsers treat as their larger supersets; a "gb2312" page routinely holds GBK characters.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "ascii": "utf-8",
    "latin-1": "cp1252",
}


@dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None
    children: list[_Node | str] = field(default_factory=list)

    def elements(self) -> Iterator[_Node]:
        """This node and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.elements()


class _TreeBuilder(HTMLParser):
    """A forgiving tree builder: unknown end tags are ignored, unclosed elements end with their parent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self._open: list[_Node] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P and self._innermost("p", stop_at=("div", "td", "th", "li", "table")):
            self._close("p")
        if tag == "li":
            self._close_sibling("li", stop_at=("ul", "ol"))
        elif tag in _CELL:
            self._close_sibling("td", stop_at=("tr", "table"))
            self._close_sibling("th", stop_at=("tr", "table"))
        elif tag == "tr":
            self._close_sibling("tr", stop_at=("table",))
        node = _Node(tag, {name: value or "" for name, value in attrs}, self._open[-1])
        self._open[-1].children.append(node)
        # Pages with thousands of unclosed <font> or <div> tags exist; past a depth no real page needs,
        # further elements stay empty and their content goes to the deepest open one, so that the
        # recursive walks below stay far from Python's recursion limit.
        if tag not in _VOID and len(self._open) < _MAX_DEPTH:
            self._open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        # An end tag of an element that was never opened (or kept flat past _MAX_DEPTH) is ignored.
        if any(node.tag == tag for node in self._open[1:]):
            self._close(tag)

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)

    def _innermost(self, tag: str, stop_at: tuple[str, ...]) -> bool:
        for node in reversed(self._open[1:]):
            if node.tag == tag:
                return True
            if node.tag in stop_at:
                return False
        return False

    def _close_sibling(self, tag: str, stop_at: tuple[str, ...]) -> None:
        if self._innermost(tag, stop_at):
            self._close(tag)

    def _close(self, tag: str) -> None:
        while len(self._open) > 1:
            if self._open.pop().tag == tag:
                return


def looks_like_html(data: bytes, source_file: str = "") -> bool:
    """True when the first KB reads as an HTML document (after a BOM, blanks, <?xml?> and comments)."""
    probe = _probe_text(data[:_PROBE_BYTES]).lstrip("\ufeff \t\r\n").lower()
    while probe.startswith(("<?xml", "<!--")):
        end = probe.find("?>" if probe.startswith("<?") else "-->")
        if end < 0:
            break
        probe = probe[end + 3 if probe.startswith("<!--") else end + 2 :].lstrip()
    if probe.startswith(("<!doctype html", "<html")):
        return True
    # Pages saved without a doctype, or with IE's "saved from url" comment we could not skip.
    if probe.startswith("<") and any(tag in probe for tag in ("<html", "<head", "<body", "<meta ")):
        return True
    return probe.startswith("<") and source_file.lower().endswith((".html", ".htm", ".shtml", ".xhtml"))


def looks_like_mhtml(data: bytes) -> bool:
    """True for a "web archive, single file" (.mht): a MIME multipart/related message holding the page."""
    head = data[:_PROBE_BYTES].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def mhtml_page(data: bytes) -> tuple[bytes, str | None] | None:
    """The saved page's HTML bytes and their MIME charset, or None when the archive holds no HTML part."""
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset()
    return None


def _probe_text(head: bytes) -> str:
    head = head.removeprefix(codecs.BOM_UTF8)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    return head.decode("latin-1")


def decode_html(data: bytes, transport_charset: str | None = None) -> tuple[str, str]:
    """(text, encoding): BOM, the charset of the MIME part, the page's own declaration, UTF-8, GB18030.

    Never raises: bytes no candidate decodes strictly are read with the best guess and U+FFFD.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    declared = _declared_charset(data[:_CHARSET_SCAN_BYTES])
    transport = _charset_name(transport_charset.encode("ascii", "ignore")) if transport_charset else None
    for encoding in dict.fromkeys(e for e in (transport, declared, "utf-8", "gb18030") if e):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    fallback = declared or "utf-8"
    return data.decode(fallback, errors="replace"), fallback


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _charset_name(match.group(1)) if match else None


def _charset_name(raw_label: bytes) -> str | None:
    """The Python codec for a charset label, widened to the superset browsers use; None if unknown."""
    label = raw_label.decode("ascii", "ignore").strip().lower().removeprefix("x-")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = {"iso8859-1": "latin-1", "cp936": "gbk"}.get(name, name)
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return None  # a BOM-less page cannot really be UTF-16 when its meta tag is readable as ASCII
    return _SUPERSETS.get(name, name)


def html_to_text(data: bytes, transport_charset: str | None = None) -> str:
    """The article of a saved web page as lines: title first, then one paragraph per line."""
    page, _encoding = decode_html(data, transport_charset)
    root = _parse(page)
    _prune(root)

    title_text, title_node = _title(root)
    article = _article_node(root)
    lines = _render(article)

    head: list[str] = []
    if title_text and not (lines and _squash(title_text) in _squash(lines[0])):
        head.append(title_text)
    date = _date_between(root, title_node, article)
    if date and not any(date in line for line in lines[:5]):
        head.append(date)
    return "\n".join(head + lines)


def _parse(page: str) -> _Node:
    builder = _TreeBuilder()
    try:
        builder.feed(page)
        builder.close()
    except AssertionError:
        # html.parser asserts on malformed "<!" declarations that browsers shrug off; read them as text.
        builder = _TreeBuilder()
        builder.feed(_BOGUS_DECLARATION.sub("&lt;!", page))
        builder.close()
    return builder.root


def _prune(node: _Node) -> None:
    """Drop subtrees that never hold report text: scripts, navigation, hidden elements, <head> but <title>."""
    kept: list[_Node | str] = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag in _DROPPED or _hidden(child):
                continue
            if child.tag == "head":
                child.children = [c for c in child.children if isinstance(c, _Node) and c.tag == "title"]
            _prune(child)
        kept.append(child)
    node.children = kept


def _hidden(node: _Node) -> bool:
    style = node.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or "hidden" in node.attrs


def _title(root: _Node) -> tuple[str | None, _Node | None]:
    """The report title and the heading element that shows it on the page, if any."""
    page_title = next((_inline_text(n) for n in root.elements() if n.tag == "title"), "")
    headings = [
        (text, n)
        for n in root.elements()
        if n.tag in ("h1", "h2", "h3") and 4 <= len(text := _inline_text(n)) <= 120
    ]
    squashed_title = _squash(page_title)
    for text, node in headings:
        if squashed_title and (_squash(text) in squashed_title or squashed_title in _squash(text)):
            return text, node
    if page_title:
        first = _TITLE_SUFFIX.split(page_title)[0].strip()
        return (first if len(first) >= 4 else page_title), None
    for text, node in headings:
        if node.tag == "h1":
            return text, node
    return None, None


def _article_node(root: _Node) -> _Node:
    """The element that holds the article: most paragraph text, least link text, known names preferred."""
    scores: dict[int, float] = {}
    nodes: dict[int, _Node] = {}
    for node in root.elements():
        if node.tag in ("#root", "html", "head", "title", "h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        own = _paragraph_weight(node)
        if own == 0:
            continue
        for depth, ancestor in enumerate((node, node.parent, node.parent and node.parent.parent)):
            if ancestor is None or ancestor.tag in ("#root", "html"):
                break
            scores[id(ancestor)] = scores.get(id(ancestor), 0.0) + own * (1.0 if depth < 2 else 0.5)
            nodes[id(ancestor)] = ancestor
    lengths: dict[int, tuple[int, int]] = {}
    _text_lengths(root, lengths)
    best: _Node | None = None
    best_score = 0.0
    for key, raw in scores.items():
        node = nodes[key]
        total, linked = lengths[key]
        if total == 0:
            continue
        score = raw * (1 - linked / total) * (_ARTICLE_BONUS if _has_article_name(node) else 1.0)
        # On a tie keep the smaller element: it carries less of the page around the article.
        if score > best_score or (best is not None and score == best_score and total < lengths[id(best)][0]):
            best, best_score = node, score
    if best is not None:
        return best
    return next((n for n in root.elements() if n.tag == "body"), root)


def _paragraph_weight(node: _Node) -> int:
    """How much prose the node holds itself: titles, info bars and menus have no commas or full stops."""
    text = _own_text(node)
    if len(text) >= _MIN_PROSE and (_PROSE_PUNCTUATION.search(text) or len(text) >= 4 * _MIN_PROSE):
        return len(text)
    return 0


def _has_article_name(node: _Node) -> bool:
    names = [node.attrs.get("id", ""), *node.attrs.get("class", "").split()]
    return any(_ARTICLE_NAMES.match(name) for name in names if name)


def _own_text(node: _Node) -> str:
    """Visible text of the node's own inline content, not inside its block or cell children nor links."""
    pieces = []
    for child in node.children:
        if isinstance(child, str):
            pieces.append(_SPACES.sub("", child))
        elif child.tag not in _BLOCK and child.tag not in _CELL and child.tag != "a":
            pieces.append(_own_text(child))
    return "".join(pieces)


def _text_lengths(node: _Node, lengths: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(all visible characters, characters inside links) under the node; fills `lengths` for its subtree."""
    total = linked = 0
    for child in node.children:
        if isinstance(child, str):
            total += len(_SPACES.sub("", child))
        else:
            sub_total, sub_linked = _text_lengths(child, lengths)
            total += sub_total
            linked += sub_total if child.tag == "a" else sub_linked
    lengths[id(node)] = (total, linked)
    return total, linked


def _inline_text(node: _Node) -> str:
    return " ".join(" ".join(_render(node)).split())


def _render(node: _Node) -> list[str]:
    """Lines of the node's text: blocks and <br> break lines, cells are separated by a space."""
    chunks: list[str] = []
    _walk(node, chunks, in_pre=False)
    lines = []
    for raw in "".join(chunks).split("\x00"):
        line = _SPACES.sub(" ", _WRAP_BETWEEN_CJK.sub("", raw)).strip()
        if line:
            lines.append(line)
    return lines


def _walk(node: _Node, chunks: list[str], in_pre: bool) -> None:
    # \x00 marks a hard line break; whitespace (including source newlines) stays soft until _render.
    for child in node.children:
        if isinstance(child, str):
            chunks.append(child.replace("\n", "\x00") if in_pre else child)
            continue
        if child.tag == "br":
            chunks.append("\x00")
        elif child.tag in _BLOCK:
            chunks.append("\x00")
            _walk(child, chunks, in_pre or child.tag == "pre")
            chunks.append("\x00")
        elif child.tag in _CELL:
            chunks.append(" ")
            _walk(child, chunks, in_pre)
            chunks.append(" ")
        else:
            _walk(child, chunks, in_pre)


def _date_between(root: _Node, title_node: _Node | None, article: _Node) -> str | None:
    """A "发布时间：2023-02-24" shown between the title heading (or page start) and the article."""
    order = {id(node): index for index, node in enumerate(root.elements())}
    start = order[id(title_node)] if title_node is not None else 0
    end = order[id(article)]
    if end <= start:
        return None
    between = [
        node
        for node in root.elements()
        if start < order[id(node)] < end
        and not _is_ancestor(node, article)
        and node.tag not in ("head", "title")
    ]
    text = " ".join(s for node in between for s in node.children if isinstance(s, str))
    match = _DATE_LINE.search(_SPACES.sub(" ", text))
    return match.group(0).strip() if match else None


def _is_ancestor(node: _Node, other: _Node) -> bool:
    current = other.parent
    while current is not None:
        if current is node:
            return True
        current = current.parent
    return False


def _squash(text: str) -> str:
    return _SPACES.sub("", text)
