"""One file in, one ParsedDocument out: decoded, described and mined for facts, or quarantined."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.decode import DecodeError, decode_bytes
from ingest.facts import extract_facts
from ingest.metadata import extract_metadata
from ingest.models import ParsedDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def parse_bytes(data: bytes, source_file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse the bytes of one report file; never raises for bad content, quarantines it instead."""
    sha = hashlib.sha256(data).hexdigest()

    def quarantine(reason: str, encoding: str | None = None) -> ParsedDocument:
        return ParsedDocument(source_file, sha, len(data), "quarantined", reason=reason, encoding=encoding)

    if not data.strip():
        return quarantine("empty file")
    if len(data) > max_bytes:
        return quarantine(f"too large: {len(data)} bytes (limit {max_bytes})")
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return quarantine(f"undecodable: {exc}")
    metadata = extract_metadata(decoded.text)
    facts = extract_facts(decoded.text, metadata)
    return ParsedDocument(
        source_file, sha, len(data), "parsed", encoding=decoded.encoding, text=decoded.text,
        metadata=metadata, facts=facts,
    )


def parse_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    return parse_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)
