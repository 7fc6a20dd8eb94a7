"""Report files that are not plain text: saved HTML pages, Word .docx and PDF with a text layer.

`to_text` recognises the format by content (magic bytes, the zip's member names, the first tag), using
the file name only as a hint for broken files, and returns the report as plain text with one paragraph
per line, so the same report gives the same facts whatever form it came in. It returns None for bytes
of no such format (the caller then decodes them as plain text) and raises FormatError, with a message
fit for a quarantine reason, for a file of a recognised format that cannot be read.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ingest.html_text import html_to_text, looks_like_html

if TYPE_CHECKING:
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


def to_text(data: bytes, source_file: str) -> FormatText | None:
    """The report text of an HTML, DOCX or PDF file; None when the bytes are none of these."""
    suffix = source_file.lower().rsplit(".", 1)[-1] if "." in source_file else ""
    if b"%PDF-" in data[:1024]:  # the spec lets junk precede the header; readers look in the first KB
        return FormatText(pdf_to_text(data), "pdf")
    if data.startswith(b"PK\x03\x04"):
        return _zip_to_text(data, suffix)
    if looks_like_html(data, source_file):
        return FormatText(html_to_text(data), "html")
    return None


# --- DOCX -------------------------------------------------------------------------------------------

_MAX_DOCUMENT_XML = 200 * 1024 * 1024  # an uncompressed document.xml beyond this is a zip bomb, not a report
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Run content we skip: deleted text, field codes (their result is kept), and the legacy copy of a drawing.
_SKIPPED = frozenset(
    (
        f"{_W}delText",
        f"{_W}del",
        f"{_W}instrText",
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_MC}Fallback",
        f"{_W}footnoteReference",
    )
)

# Body-level wrappers (content controls, custom XML, compatibility choices) whose children are blocks.
_BLOCK_WRAPPERS = frozenset(
    (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_MC}AlternateContent", f"{_MC}Choice")
)


def _zip_to_text(data: bytes, suffix: str) -> FormatText | None:
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
    if archive.getinfo("word/document.xml").file_size > _MAX_DOCUMENT_XML:
        raise FormatError("DOCX document part is too large to be a report", "docx")
    return FormatText(docx_to_text(data), "docx")


def docx_to_text(data: bytes) -> str:
    """Paragraphs and table rows of the document body in order, one per line (no headers or footers)."""
    import docx  # python-docx; imported here so plain-text ingestion does not pay for lxml

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx raises zip, XML, KeyError and its own errors for broken files
        raise FormatError(f"DOCX file is unreadable: {exc}", "docx") from exc
    lines: list[str] = []
    _docx_blocks(body, lines)
    return "\n".join(tidy for line in lines if (tidy := _tidy_line(line)))


def _docx_blocks(container: _Element, lines: list[str]) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            boxes: list[_Element] = []
            pieces: list[str] = []
            _docx_runs(child, pieces, boxes)
            lines.extend("".join(pieces).split("\n"))
            for box in boxes:  # text boxes anchored in the paragraph follow it
                _docx_blocks(box, lines)
        elif tag == f"{_W}tbl":
            _docx_table(child, lines)
        elif tag in (
            f"{_W}sdt",
            f"{_W}sdtContent",
            f"{_W}customXml",
            f"{_MC}AlternateContent",
            f"{_MC}Choice",
        ):
            _docx_blocks(child, lines)


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


def _docx_table(table: _Element, lines: list[str]) -> None:
    for row in table.iter(f"{_W}tr"):
        if row.getparent() is not table and row.getparent().tag != f"{_W}sdtContent":
            continue  # rows of nested tables are read through their cell
        cells: list[list[str]] = []
        for cell in row.iterchildren(f"{_W}tc"):
            cell_lines: list[str] = []
            _docx_blocks(cell, cell_lines)
            cell_lines = [tidy for line in cell_lines if (tidy := _tidy_line(line))]
            if cell_lines:
                cells.append(cell_lines)
        if len(cells) == 1:
            lines.extend(cells[0])  # a one-cell row is a layout frame: keep its paragraphs
        elif cells:
            lines.append(" ".join(" ".join(cell) for cell in cells))


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
    """True when the text layer shows paragraph indents: most lines after a clear paragraph end are indented.

    Then a full line that happens to end in 。 is joined to an unindented next line, which otherwise
    would start a false paragraph wherever a sentence ends at the right margin.
    """
    starts = [
        line.indented
        for previous, line in itertools.pairwise(lines)
        if _ENDS_PARAGRAPH.search(previous.text) and _display_width(previous.text) < _SHORT_LINE * full_width
    ]
    return len(starts) >= 3 and sum(starts) >= 0.8 * len(starts)


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
