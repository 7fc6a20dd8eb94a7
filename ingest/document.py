"""One file in, one ParsedDocument out: decoded, described and mined for facts, or quarantined.

Saved web pages, Word (.docx) and PDF files are turned into text by `ingest.formats`; every other file is
decoded as plain text by `ingest.decode`. `encoding` records which: "utf-8", "gb18030", ... or "html",
"docx", "pdf". Offsets of facts index `text`, the text as decoded or extracted.

Nothing a file contains makes these functions raise: every problem becomes a quarantine reason that a
person can act on ("empty file", "not text (binary content: ...)", "undecodable: ...",
"too large: N bytes (limit M)", "no report content: ..."). Duplicate detection across files belongs to the
pipeline, which compares the `text_fingerprint` each parse computes (ingest.duplicates).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from itertools import islice
from pathlib import Path

from ingest.boilerplate import blank_out, boilerplate_spans
from ingest.decode import DecodeError, decode_bytes
from ingest.duplicates import comparable_text, text_fingerprint, text_signature
from ingest.facts import extract_facts
from ingest.files import DEFAULT_MAX_BYTES, FileBytes, describe_error, read_file
from ingest.formats import FormatError, to_text
from ingest.frame import build_frame
from ingest.models import ParsedDocument
from ingest.normalize import matching_view
from ingest.terms import count_terms

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

# Errors a rule or a file parser may raise on odd input. They quarantine the document; anything else
# (a time limit the caller set with a signal, KeyboardInterrupt, MemoryError) propagates to the caller.
_RULE_ERRORS = (ValueError, LookupError, TypeError, AttributeError, ArithmeticError, AssertionError)
_RULE_ERRORS += (RecursionError, re.error)
_READ_ERRORS = (*_RULE_ERRORS, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)
# Packages whose own exceptions mean "this file cannot be read" (loaded lazily by ingest.formats).
_READER_PACKAGES = ("pypdf", "docx", "lxml")

# A report has sentences of Chinese and at least one number outside the page furniture.
_MIN_CJK_CHARS = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9]")


def parse_bytes(data: bytes, source_file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse the bytes of one report file; never raises for bad content, quarantines it instead."""
    sha = hashlib.sha256(data).hexdigest()

    def quarantine(reason: str, encoding: str | None = None, text: str | None = None) -> ParsedDocument:
        return ParsedDocument(
            source_file,
            sha,
            len(data),
            "quarantined",
            reason=reason,
            encoding=encoding,
            text=text,
            n_chars=len(text) if text is not None else None,
        )

    if len(data) > max_bytes:
        return quarantine(too_large_reason(len(data), max_bytes))
    if not data.strip():
        return quarantine("empty file")
    # Saved web pages, Word and PDF files first (ingest.formats); anything else is read as plain text.
    try:
        converted = to_text(data, source_file, max_unpacked=max_bytes)
    except FormatError as exc:
        return quarantine(str(exc))
    except Exception as exc:  # a broken file must not stop the batch
        if not (isinstance(exc, _READ_ERRORS) or type(exc).__module__.startswith(_READER_PACKAGES)):
            raise
        return quarantine(f"unreadable document: {type(exc).__name__}: {exc}")
    if converted is not None:
        text, encoding = converted.text, converted.format
    else:
        try:
            decoded = decode_bytes(data)
        except DecodeError as exc:
            return quarantine(str(exc) if exc.kind == "binary" else f"undecodable: {exc}")
        text, encoding = decoded.text, decoded.encoding
    if not text.strip():
        return quarantine("empty file", encoding)
    furniture = boilerplate_spans(text)
    missing = _missing_report_content(text, furniture)
    if missing:
        return quarantine(f"no report content: {missing}", encoding, text)
    try:
        metadata = build_frame(text).metadata
        facts = extract_facts(text, metadata)
        terms = count_terms(text, metadata)
    except _RULE_ERRORS as exc:  # a rule tripping over odd text must not stop the batch
        return quarantine(f"parse error: {type(exc).__name__}: {exc}", encoding, text)
    comparable = comparable_text(text, furniture)
    return ParsedDocument(
        source_file,
        sha,
        len(data),
        "parsed",
        encoding=encoding,
        text=text,
        n_chars=len(text),
        metadata=metadata,
        facts=facts,
        terms=terms,
        text_fingerprint=text_fingerprint(comparable),
        text_signature=text_signature(comparable),
    )


def parse_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse one file. Odd file names (spaces, non-UTF-8 bytes) and unreadable files are handled too; the
    file is read once, safely (`ingest.files`: never a pipe, never through a link, never past the limit)."""
    name = display_name(Path(path))
    try:
        read = read_file(Path(path), max_bytes)
    except OSError as exc:
        return unreadable(name, exc)
    return parse_read(read, name, max_bytes=max_bytes)


def parse_read(read: FileBytes, source_file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse what `ingest.files.read_file` read; a file over the limit was hashed, never kept or decoded."""
    if read.data is None:
        reason = too_large_reason(read.size, max_bytes)
        return ParsedDocument(source_file, read.sha256, read.size, "quarantined", reason=reason)
    return parse_bytes(read.data, source_file, max_bytes=max_bytes)


def unreadable(name: str, exc: OSError) -> ParsedDocument:
    """The row of a file that could not be read: no bytes, so the hash of none."""
    return ParsedDocument(name, EMPTY_SHA256, 0, "quarantined", reason=describe_error(exc))


def too_large_reason(size: int, max_bytes: int) -> str:
    return f"too large: {size} bytes (limit {max_bytes})"


def display_name(path: Path) -> str:
    """The file name as valid UTF-8: bytes that are not UTF-8 (surrogate-escaped by the OS) become U+FFFD."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _missing_report_content(text: str, spans: list[tuple[int, int]]) -> str | None:
    """Why decoded text is not a report (no Chinese prose, or not a single number), else None. `spans`:
    the text's portal furniture (boilerplate_spans)."""
    content = blank_out(matching_view(text), spans)
    # The 20th Chinese character is enough to know: no list of all of them.
    if next(islice(_CJK.finditer(content), _MIN_CJK_CHARS - 1, None), None) is None:
        return "no Chinese text"
    if not _DIGIT.search(content):
        return "no numbers in the text"
    return None
