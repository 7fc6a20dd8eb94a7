"""One file in, one ParsedDocument out: decoded, described and mined for facts, or quarantined.

Nothing a file contains makes these functions raise: every problem becomes a quarantine reason that a
person can act on ("empty file", "not text (binary content: PDF document)", "undecodable: ...",
"too large: N bytes (limit M)", "no report content: ..."). Duplicate detection across files belongs to the
pipeline, which compares `content_sha256`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest.boilerplate import boilerplate_spans
from ingest.decode import DecodeError, decode_bytes
from ingest.facts import extract_facts
from ingest.metadata import extract_metadata
from ingest.models import ParsedDocument
from ingest.normalize import matching_view

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# A report has sentences of Chinese and at least one number outside the page furniture.
_MIN_CJK_CHARS = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9]")


def parse_bytes(data: bytes, source_file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse the bytes of one report file; never raises for bad content, quarantines it instead."""
    sha = hashlib.sha256(data).hexdigest()

    def quarantine(reason: str, encoding: str | None = None, text: str | None = None) -> ParsedDocument:
        return ParsedDocument(
            source_file, sha, len(data), "quarantined", reason=reason, encoding=encoding, text=text
        )

    if len(data) > max_bytes:
        return quarantine(f"too large: {len(data)} bytes (limit {max_bytes})")
    if not data.strip():
        return quarantine("empty file")
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return quarantine(str(exc) if exc.kind == "binary" else f"undecodable: {exc}")
    text = decoded.text
    if not text.strip():
        return quarantine("empty file", decoded.encoding)
    missing = _missing_report_content(text)
    if missing:
        return quarantine(f"no report content: {missing}", decoded.encoding, text)
    try:
        metadata = extract_metadata(text)
        facts = extract_facts(text, metadata)
    except Exception as exc:  # a rule tripping over odd text must not stop the batch
        return quarantine(f"parse error: {type(exc).__name__}: {exc}", decoded.encoding, text)
    return ParsedDocument(
        source_file,
        sha,
        len(data),
        "parsed",
        encoding=decoded.encoding,
        text=text,
        metadata=metadata,
        facts=facts,
    )


def parse_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse one file. Odd file names (spaces, non-UTF-8 bytes) and unreadable files are handled too."""
    path = Path(path)
    name = display_name(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            # Hash without holding the whole file in memory; its content is never decoded.
            return ParsedDocument(
                name,
                _sha256_of_file(path),
                size,
                "quarantined",
                reason=f"too large: {size} bytes (limit {max_bytes})",
            )
        data = path.read_bytes()
    except OSError as exc:
        return ParsedDocument(
            name,
            hashlib.sha256(b"").hexdigest(),
            0,
            "quarantined",
            reason=f"unreadable: {exc.strerror or type(exc).__name__}",
        )
    return parse_bytes(data, name, max_bytes=max_bytes)


def display_name(path: Path) -> str:
    """The file name as valid UTF-8: bytes that are not UTF-8 (surrogate-escaped by the OS) become U+FFFD."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _missing_report_content(text: str) -> str | None:
    """Why decoded text is not a report (no Chinese prose, or not a single number), else None."""
    spans = boilerplate_spans(text)
    body = list(matching_view(text))
    for start, end in spans:
        body[start:end] = " " * (end - start)
    content = "".join(body)
    if len(_CJK.findall(content)) < _MIN_CJK_CHARS:
        return "no Chinese text"
    if not _DIGIT.search(content):
        return "no numbers in the text"
    return None
