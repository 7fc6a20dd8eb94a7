"""Report files that are not plain text: saved HTML pages, Word .docx and PDF with a text layer.

`to_text` recognises the format by content (magic bytes, the zip's member names, the first tag), using
the file name only as a hint for broken files, and returns the report as plain text with one paragraph
per line, so the same report gives the same facts whatever form it came in. A .mht web archive counts
as HTML. It returns None for bytes of no such format (the caller then decodes them as plain text) and
raises FormatError, with a message fit for a quarantine reason, for a file of a recognised format that
cannot be read: corrupt, encrypted with a password, a scan without a text layer, or a page without text.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ingest.files import DEFAULT_MAX_BYTES
from ingest.html_text import html_to_text, looks_like_html, looks_like_mhtml, mhtml_page

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from lxml.etree import _Element

Format = Literal["html", "docx", "pdf"]


class FormatError(ValueError):
    """A file of a recognised format (HTML, DOCX, PDF) that cannot be turned into text."""

    def __init__(self, message: str, format: Format) -> None:
        super().__init__(message)
        self.format = format


@dataclass(frozen=True, slots=True)
class FormatText:
    text: str
    format: Format


def to_text(data: bytes, source_file: str, max_unpacked: int = DEFAULT_MAX_BYTES) -> FormatText | None:
    """The report text of an HTML, DOCX or PDF file; None when the bytes are none of these.

    `max_unpacked` bounds what an archive (.docx) may unpack to: the size limit of a file applies to its
    members too, checked from the archive's directory before any member is read."""
    suffix = source_file.lower().rsplit(".", 1)[-1] if "." in source_file else ""
    if b"%PDF-" in data[:1024]:  # the spec lets junk precede the header; readers look in the first KB
        return FormatText(pdf_to_text(data), "pdf")
    if data.startswith(b"PK\x03\x04"):
        return _zip_to_text(data, suffix, max_unpacked)
    if looks_like_mhtml(data):
        page = mhtml_page(data)
        if page is None:
            raise FormatError("MHTML web archive holds no HTML page", "html")
        return FormatText(_require_text(_html_text(*page), "html"), "html")
    if looks_like_html(data, source_file):
        return FormatText(_require_text(_html_text(data), "html"), "html")
    return None


def _html_text(data: bytes, transport_charset: str | None = None) -> str:
    try:
        return html_to_text(data, transport_charset)
    except Exception as exc:  # the standard library's parser can assert on junk it cannot recover from
        raise FormatError(f"HTML page cannot be parsed: {type(exc).__name__}: {exc}", "html") from exc


_MIN_BODY_CHARS = 20  # below this, after the title line, there is no report to read


def _require_text(text: str, format: Format) -> str:
    """The text, unless it holds nothing but a title: then say why, rather than parse an empty report."""
    body = text.split("\n", 1)[1] if "\n" in text else ""
    if sum(not ch.isspace() for ch in body) >= _MIN_BODY_CHARS:
        return text
    if format == "html":
        raise FormatError("HTML page has no article text (loaded by a script, or only a link?)", format)
    raise FormatError("DOCX document has no text", format)


# --- DOCX -------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Run content we skip: deleted or moved-away text, field codes (their result is kept), the legacy copy of
# a drawing, and footnote marks.
_SKIPPED = frozenset(
    (
        f"{_W}delText",
        f"{_W}del",
        f"{_W}instrText",
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_MC}Fallback",
        f"{_W}footnoteReference",
        f"{_W}moveFrom",
    )
)

# Body-level wrappers (content controls, custom XML, compatibility choices) whose children are blocks.
_BLOCK_WRAPPERS = frozenset(
    (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_MC}AlternateContent", f"{_MC}Choice")
)


def _zip_to_text(data: bytes, suffix: str, max_unpacked: int) -> FormatText | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        # The member names sit in clear text in the local headers, so a cut-off docx still shows them.
        if suffix in ("docx", "docm", "dotx") or b"word/document.xml" in data:
            raise FormatError(f"DOCX file is corrupt: {exc}", "docx") from exc
        return None
    if "word/document.xml" not in names:
        return None  # xlsx, epub or a plain archive: not a report format we read
    _check_unpacked_size(archive, max_unpacked)
    return FormatText(_require_text(docx_to_text(data), "docx"), "docx")


def _check_unpacked_size(archive: zipfile.ZipFile, max_unpacked: int) -> None:
    """python-docx reads every part of the package (images too): a 2 MB file whose image part unpacks to
    2 GiB would take gigabytes of memory. zipfile never returns more than a member's declared size, so
    the declared sizes bound what reading can cost."""
    members = archive.infolist()
    largest = max(members, key=lambda member: member.file_size)
    if largest.file_size > max_unpacked:
        raise FormatError(
            f"too large: DOCX part {largest.filename} unpacks to {largest.file_size} bytes "
            f"(limit {max_unpacked})",
            "docx",
        )
    total = sum(member.file_size for member in members)
    if total > max_unpacked:
        raise FormatError(f"too large: DOCX unpacks to {total} bytes (limit {max_unpacked})", "docx")


def docx_to_text(data: bytes) -> str:
    """Paragraphs and table rows of the document body in order, one per line (no headers or footers)."""
    import docx  # python-docx; imported here so plain-text ingestion does not pay for lxml

    try:
        document = docx.Document(io.BytesIO(data))
        numbers = _ListNumbers(document)
    except Exception as exc:  # python-docx raises zip, XML, KeyError and its own errors for broken files
        raise FormatError(f"DOCX file is unreadable: {exc}", "docx") from exc
    lines: list[str] = []
    _docx_blocks(document.element.body, lines, numbers)
    return "\n".join(tidy for line in lines if (tidy := _tidy_line(line)))


def _docx_blocks(container: _Element, lines: list[str], numbers: _ListNumbers) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            boxes: list[_Element] = []
            pieces: list[str] = []
            _docx_runs(child, pieces, boxes)
            text = "".join(pieces)
            if text.strip():
                text = numbers.label(child) + text
            lines.extend(text.split("\n"))
            for box in boxes:  # text boxes anchored in the paragraph follow it
                _docx_blocks(box, lines, numbers)
        elif tag == f"{_W}tbl":
            _docx_table(child, lines, numbers)
        elif tag in _BLOCK_WRAPPERS:
            _docx_blocks(child, lines, numbers)


def _docx_runs(element: _Element, pieces: list[str], boxes: list[_Element]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            pieces.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            pieces.append("\t")
        elif tag == f"{_W}br":
            if child.get(f"{_W}type") != "page":
                pieces.append("\n")
        elif tag == f"{_W}cr":
            pieces.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        else:
            _docx_runs(child, pieces, boxes)


def _docx_table(table: _Element, lines: list[str], numbers: _ListNumbers) -> None:
    for row in table.iter(f"{_W}tr"):
        if row.getparent() is not table and row.getparent().tag != f"{_W}sdtContent":
            continue  # rows of nested tables are read through their cell
        cells: list[list[str]] = []
        for cell in row.iterchildren(f"{_W}tc"):
            cell_lines: list[str] = []
            _docx_blocks(cell, cell_lines, numbers)
            cell_lines = [tidy for line in cell_lines if (tidy := _tidy_line(line))]
            if cell_lines:
                cells.append(cell_lines)
        if len(cells) == 1:
            lines.extend(cells[0])  # a one-cell row is a layout frame: keep its paragraphs
        elif cells:
            lines.append(" ".join(" ".join(cell) for cell in cells))


class _ListNumbers:
    """Word's automatic list numbers ("一、", "(二)", "3."), which are not in the paragraph text.

    Chinese reports number their headings this way as often as they type the numbers, and the section
    reader needs the ordinal either way. Counters run per abstract list, as Word's do: a deeper level
    restarts when a shallower one advances, and a list instance with a start override restarts.
    """

    def __init__(self, document: DocxDocument) -> None:
        styles = document.styles.element.iterchildren(f"{_W}style")
        self._styles = {style.get(f"{_W}styleId"): style for style in styles}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        self._abstract: dict[str, _Element] = {}
        self._num_to_abstract: dict[str, str] = {}
        self._start_overrides: dict[str, dict[str, int]] = {}
        if numbering is not None:
            for abstract in numbering.iterchildren(f"{_W}abstractNum"):
                self._abstract[abstract.get(f"{_W}abstractNumId")] = abstract
            for num in numbering.iterchildren(f"{_W}num"):
                abstract_id = num.find(f"{_W}abstractNumId")
                if abstract_id is None:
                    continue
                self._num_to_abstract[num.get(f"{_W}numId")] = abstract_id.get(f"{_W}val")
                overrides = {}
                for override in num.iterchildren(f"{_W}lvlOverride"):
                    start = override.find(f"{_W}startOverride")
                    if start is not None:
                        overrides[override.get(f"{_W}ilvl")] = _int(start.get(f"{_W}val"), 1)
                self._start_overrides[num.get(f"{_W}numId")] = overrides
        self._counters: dict[str, dict[int, int]] = {}
        self._seen_nums: set[str] = set()

    def label(self, paragraph: _Element) -> str:
        """The number Word shows before this paragraph, with its separator; "" for none or a bullet."""
        num_id, level = self._num_pr(paragraph)
        abstract_id = self._num_to_abstract.get(num_id or "")
        abstract = self._abstract.get(abstract_id or "")
        if abstract is None or abstract_id is None or num_id is None:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._seen_nums:
            self._seen_nums.add(num_id)
            for ilvl, start in self._start_overrides.get(num_id, {}).items():
                counters[_int(ilvl, 0)] = start - 1
        counters[level] = counters.get(level, self._start(abstract, level) - 1) + 1
        for deeper in [ilvl for ilvl in counters if ilvl > level]:
            del counters[deeper]
        lvl = self._level(abstract, level)
        if lvl is None or _level_format(lvl) in ("bullet", "none"):
            return ""
        text = _val(lvl.find(f"{_W}lvlText")) or ""

        def number(match: re.Match[str]) -> str:
            ilvl = int(match.group(1)) - 1
            value = counters.get(ilvl, self._start(abstract, ilvl))
            other = self._level(abstract, ilvl)
            return _format_number(value, _level_format(other) if other is not None else "decimal")

        label = re.sub(r"%([1-9])", number, text)
        if not label:
            return ""
        return label if label[-1] in "、，．）)】」" else label + " "

    def _num_pr(self, paragraph: _Element) -> tuple[str | None, int]:
        num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val") if style is not None else None
        for _ in range(10):  # a style's numbering, through its basedOn chain
            if num_pr is not None or style_id is None:
                break
            element = self._styles.get(style_id)
            if element is None:
                break
            num_pr = element.find(f"{_W}pPr/{_W}numPr")
            based_on = element.find(f"{_W}basedOn")
            style_id = based_on.get(f"{_W}val") if based_on is not None else None
        if num_pr is None:
            return None, 0
        num_id = _val(num_pr.find(f"{_W}numId"))
        return (None if num_id in (None, "0") else num_id), _int(_val(num_pr.find(f"{_W}ilvl")), 0)

    @staticmethod
    def _level(abstract: _Element, level: int) -> _Element | None:
        return next(
            (lvl for lvl in abstract.iterchildren(f"{_W}lvl") if lvl.get(f"{_W}ilvl") == str(level)), None
        )

    def _start(self, abstract: _Element, level: int) -> int:
        lvl = self._level(abstract, level)
        return _int(_val(lvl.find(f"{_W}start")), 1) if lvl is not None else 1


def _val(element: _Element | None) -> str | None:
    return element.get(f"{_W}val") if element is not None else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _level_format(lvl: _Element) -> str:
    return _val(lvl.find(f"{_W}numFmt")) or "decimal"


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _format_number(value: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (the ones Chinese documents use, and the usual ones)."""
    if value < 0:
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "japaneseCounting"):
        return _chinese_number(value, _CN_DIGITS, "十")
    if fmt == "chineseLegalSimplified":
        return _chinese_number(value, _CN_LEGAL_DIGITS, "拾")
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(value))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalFullWidth":
        return str(value).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if fmt == "ideographZodiac" and 1 <= value <= 12:
        return _EARTHLY_BRANCHES[value - 1]
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _chinese_number(value: int, digits: str, ten: str) -> str:
    """1-99 as written in list labels: 一, 十, 十一, 二十, 二十一; larger numbers digit by digit."""
    if not 0 < value < 100:
        return "".join(digits[int(d)] for d in str(value))
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else (ten if tens == 1 else digits[tens] + ten)
    return head + (digits[units] if units else "")


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"))
    numerals += ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for number, letters in numerals:
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)


# --- PDF --------------------------------------------------------------------------------------------

_CJK_CHARS = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# pypdf guesses spaces from glyph gaps; next to a CJK character such a space is never part of the text.
_CJK_OR_QUOTE = rf"[{_CJK_CHARS}“”‘’]"
_SPACE_NEXT_TO_CJK = re.compile(
    rf"(?<={_CJK_OR_QUOTE})[ \t]+(?=\S)|(?<=[^\s\-•·●*])[ \t]+(?={_CJK_OR_QUOTE})"
)
_BULLETS = frozenset("-•·●○■□◆◇▪▫*>")
# A line that ends a paragraph: sentence-final or colon punctuation, maybe followed by closing quotes.
_ENDS_PARAGRAPH = re.compile(r"[。！？；：!?;:…][”’」』）)\]】》]*$")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、．](?!\d)|\d{1,2}\.(?!\d)"
    r"|第[一二三四五六七八九十百\d]+[章节部分条篇]|[①-⑳])"
)
_HEADING_MAX = 40
# Page numbers as printed by Word and WPS: "- 3 -", "—3—", "第3页", "第 3 页 共 10 页", "3/10", "Page 3".
_DASHED_PAGE_NUMBER = re.compile(r"^[-—–－~]+\s*\d{1,4}\s*[-—–－~]+$")
_PAGE_NUMBER = re.compile(
    r"^(?:\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_CHINESE_PAGE_NUMBER = re.compile(r"^(?:第\d{1,4}页(?:[,，/、]?共\d{1,4}页)?|共\d{1,4}页[,，]?第\d{1,4}页)$")
_EDGE_LINES = 2  # running headers and footers sit in the first or last lines a page yields
_SHORT_LINE = 0.75  # a line narrower than this share of a full line ends its paragraph
_MIN_TEXT_PER_PAGE = 10  # fewer visible characters per page: a scan with, at most, a stamped page number
_MIN_READABLE_SHARE = 0.8


def pdf_to_text(data: bytes) -> str:
    """The text layer of every page, hard line breaks inside sentences joined, page furniture removed."""
    if b"%%EOF" not in data[-2048:]:
        raise FormatError("PDF is truncated (no %%EOF at its end): download it again", "pdf")
    from pypdf import PasswordType, PdfReader  # imported here so plain-text ingestion does not load pypdf
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Most government PDFs are encrypted only against copying, with an empty open password.
            try:
                opened = reader.decrypt("")
            except DependencyError as exc:
                raise FormatError(f"PDF is encrypted with a cipher we cannot read: {exc}", "pdf") from exc
            if opened == PasswordType.NOT_DECRYPTED:
                raise FormatError("PDF is encrypted and needs a password to open", "pdf")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FormatError:
        raise
    except (
        Exception
    ) as exc:  # pypdf raises many kinds (PdfReadError, KeyError, struct.error ...) on bad files
        raise FormatError(f"PDF is unreadable: {exc}", "pdf") from exc
    _check_text_layer(pages)
    return _join_pdf_lines(_drop_page_furniture(pages))


def _check_text_layer(pages: list[str]) -> None:
    visible = [ch for page in pages for ch in page if not ch.isspace()]
    if len(visible) < _MIN_TEXT_PER_PAGE * max(1, len(pages)):
        raise FormatError("PDF has no text layer (scanned?)", "pdf")
    readable = sum(1 for ch in visible if unicodedata.category(ch)[0] in "LNPS" and ch != "\ufffd")
    if readable < _MIN_READABLE_SHARE * len(visible):
        raise FormatError("PDF text layer is unreadable (fonts without a Unicode mapping)", "pdf")


@dataclass(frozen=True, slots=True)
class _PdfLine:
    text: str
    indented: bool  # starts with ideographic or repeated spaces: how typed Chinese paragraphs begin


def _drop_page_furniture(pages: list[str]) -> list[_PdfLine]:
    """All lines of all pages, without running headers/footers and page numbers."""
    page_lines: list[list[_PdfLine]] = []
    for page in pages:
        lines = []
        for raw in page.splitlines():
            text = _SPACE_NEXT_TO_CJK.sub("", raw).strip(" \t\u3000\xa0")
            if text:
                lines.append(_PdfLine(text, raw.startswith(("\u3000", "  ", "\xa0\xa0"))))
        page_lines.append(lines)

    def edges(lines: list[_PdfLine]) -> list[_PdfLine]:
        return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]

    # A header or footer repeats on at least half the pages, possibly with a changing number in it.
    counts: dict[str, int] = {}
    for lines in page_lines:
        for key in {_furniture_key(line.text) for line in edges(lines)}:
            counts[key] = counts.get(key, 0) + 1
    threshold = max(2, (len(pages) + 1) // 2)
    running = {key for key, count in counts.items() if count >= threshold}

    kept: list[_PdfLine] = []
    for lines in page_lines:
        last = len(lines) - 1
        for index, line in enumerate(lines):
            at_edge = index < _EDGE_LINES or index > last - _EDGE_LINES
            squashed = re.sub(r"\s+", "", line.text)
            if _DASHED_PAGE_NUMBER.match(squashed) or _CHINESE_PAGE_NUMBER.match(squashed):
                continue
            if at_edge and (_furniture_key(line.text) in running or _PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
    return kept


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _join_pdf_lines(lines: list[_PdfLine]) -> str:
    """Join a PDF's visual lines back into paragraphs."""
    widths = sorted(_display_width(line.text) for line in lines)
    # The width of a full line: lines wrapped by the layout are full, paragraph ends usually are not.
    full = widths[int(len(widths) * 0.9)] if len(widths) >= 4 else 0
    indents = _indents_paragraphs(lines, full)
    paragraphs: list[str] = []
    previous: _PdfLine | None = None
    for line in lines:
        if previous is not None and _continues(previous.text, line, full, indents):
            paragraphs[-1] += ("" if _no_space_join(previous.text[-1], line.text[0]) else " ") + line.text
        else:
            paragraphs.append(line.text)
        previous = line
    return "\n".join(paragraphs)


def _indents_paragraphs(lines: list[_PdfLine], full_width: int) -> bool:
    """True when the text layer shows paragraph indents (typed ideographic spaces, as Chinese documents do).

    Then a full line that happens to end in 。 is joined to an unindented next line, which otherwise would
    start a false paragraph wherever a sentence ends at the right margin. Clear paragraph ends (a short
    line closing a sentence) must mostly be followed by an indented line, or the indents mean something else.
    """
    if sum(line.indented for line in lines[1:]) < 2:
        return False
    starts = [
        line.indented
        for previous, line in itertools.pairwise(lines)
        if _ENDS_PARAGRAPH.search(previous.text) and _display_width(previous.text) < _SHORT_LINE * full_width
    ]
    return sum(starts) >= 0.8 * len(starts)


def _continues(previous: str, line: _PdfLine, full_width: int, indents: bool) -> bool:
    """True when visual line `line` continues the paragraph whose last visual line is `previous`."""
    if (indents and line.indented) or _HEADING_START.match(line.text):
        return False
    if _HEADING_START.match(previous) and len(previous) <= _HEADING_MAX:
        return False
    if full_width and _display_width(previous) < _SHORT_LINE * full_width:
        return False
    if _ENDS_PARAGRAPH.search(previous) and not indents:
        return False
    return _joinable(previous[-1]) and _joinable(line.text[0])


def _joinable(ch: str) -> bool:
    # Text of any script continues across a wrap; a bullet or list dash starts a new line.
    return not ch.isspace() and ch not in _BULLETS


def _no_space_join(left: str, right: str) -> bool:
    # Only Latin words wrapped across lines need a space back; Chinese, numbers and punctuation do not.
    return not (right.isascii() and right.isalpha() and left.isascii() and (left.isalpha() or left in ",.;:"))


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _display_width(text: str) -> int:
    return sum(2 if _is_cjk(ch) else 1 for ch in text)


def _tidy_line(line: str) -> str:
    return re.sub(r"[ \t\u3000\xa0]+", " ", line).strip()
