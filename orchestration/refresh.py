"""Bring the raw tables in step with the reports folder: parse what is new or changed, drop what is gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.document import parse_path
from ingest.inventory import InboxDiff, InboxFile, diff_inbox, scan_folder
from ingest.models import ParsedDocument
from ingest.version import parser_fingerprint
from orchestration import raw_tables

BATCH_SIZE = 200  # documents per insert: bounds memory on large folders while keeping inserts few


@dataclass
class RefreshResult:
    diff: InboxDiff
    parsed: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (source_file, reason)
    facts: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.diff.new),
            "changed": len(self.diff.changed),
            "unchanged": len(self.diff.unchanged),
            "removed": len(self.diff.removed),
        }


def _parse(inbox_file: InboxFile, parse: Callable[[Path], ParsedDocument]) -> ParsedDocument:
    if inbox_file.duplicate_of is not None:
        return ParsedDocument(
            inbox_file.source_file,
            inbox_file.content_sha256,
            inbox_file.size_bytes,
            "quarantined",
            reason=f"duplicate of {inbox_file.duplicate_of}",
        )
    try:
        return parse(inbox_file.path)
    except OSError as exc:  # vanished or unreadable mid-run: account for it, don't die
        return ParsedDocument(
            inbox_file.source_file,
            inbox_file.content_sha256,
            inbox_file.size_bytes,
            "quarantined",
            reason=f"unreadable: {exc.strerror or exc}",
        )


def refresh_raw_tables(
    con: duckdb.DuckDBPyConnection,
    reports_dir: Path,
    parse: Callable[[Path], ParsedDocument] = parse_path,
) -> RefreshResult:
    """Idempotent: a second call on an unchanged folder parses nothing and changes no row."""
    raw_tables.ensure_raw_tables(con)
    version = parser_fingerprint()
    diff = diff_inbox(scan_folder(reports_dir), raw_tables.known_documents(con), version)
    result = RefreshResult(diff)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    try:
        raw_tables.delete_documents(con, diff.delete_ids)
        documents: list[dict[str, object]] = []
        facts: list[dict[str, object]] = []
        for inbox_file in diff.to_parse:
            parsed = _parse(inbox_file, parse)
            if parsed.status == "parsed":
                result.parsed += 1
            else:
                result.quarantined.append((inbox_file.source_file, parsed.reason or ""))
            documents.append(raw_tables.document_row(inbox_file, parsed, version, now))
            rows = raw_tables.fact_rows(inbox_file, parsed)
            result.facts += len(rows)
            facts.extend(rows)
            if len(documents) >= BATCH_SIZE:
                raw_tables.insert_batch(con, documents, facts)
                documents, facts = [], []
        raw_tables.insert_batch(con, documents, facts)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result
