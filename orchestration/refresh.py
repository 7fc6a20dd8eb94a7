"""Bring the raw tables in step with the reports folder: parse what is new or changed, drop what is gone."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from ingest.batch import parse_many
from ingest.inventory import InboxDiff, InboxFile, diff_inbox, scan_folder
from ingest.models import ParsedDocument
from ingest.version import parser_fingerprint
from orchestration import raw_tables, raw_terms
from orchestration.progress import ParseProgress
from orchestration.raw_duplicates import DuplicateChanges, mark_duplicates

# Documents per insert and commit: bounds memory on large folders while keeping inserts few.
BATCH_SIZE = int(os.environ.get("JIEDAO_INGEST_BATCH_SIZE") or 200)


@dataclass
class RefreshResult:
    diff: InboxDiff
    parsed: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (source_file, reason)
    facts: int = 0  # facts extracted by this refresh (new and changed files)
    facts_removed: int = 0  # facts that went with removed files and the old versions of changed ones
    duplicates: DuplicateChanges = field(default_factory=DuplicateChanges)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.diff.new),
            "changed": len(self.diff.changed),
            "unchanged": len(self.diff.unchanged),
            "removed": len(self.diff.removed),
            "unreadable": len(self.diff.unreadable),
        }


def _unparsed(inbox_file: InboxFile) -> ParsedDocument:
    """The row of a file the scan could not read: it is not parsed."""
    return ParsedDocument(
        inbox_file.source_file,
        inbox_file.content_sha256,
        inbox_file.size_bytes,
        "quarantined",
        reason=inbox_file.error,
    )


def _parsed_in_order(
    files: list[InboxFile], parse_files: Callable[[list[Path]], Iterator[ParsedDocument]]
) -> Iterator[tuple[InboxFile, ParsedDocument]]:
    """Each file with its outcome, in order; unreadable files are recorded, not parsed.

    A file is stored under the hash of the bytes its parse read: a file rewritten (or swapped) between
    the scan and the parse is described by what was actually parsed, and the next scan sees it as it is.
    """
    originals = parse_files([f.path for f in files if f.error is None])
    for inbox_file in files:
        if inbox_file.error:
            yield inbox_file, _unparsed(inbox_file)
            continue
        parsed = next(originals)
        yield replace(inbox_file, content_sha256=parsed.content_sha256, size_bytes=parsed.size_bytes), parsed


def _counted(
    pairs: Iterator[tuple[InboxFile, ParsedDocument]], progress: ParseProgress
) -> Iterator[tuple[InboxFile, ParsedDocument]]:
    """The pairs, counted as each parse comes back (a batch is written only once it is full)."""
    for pair in pairs:
        progress.advance()
        yield pair


# DuckDB's settings while the workers parse and the batches go in (restored afterwards):
# - one thread: the inserts are small and many, and a second thread only competes with the workers for a core;
# - a checkpoint every 128 MB of write-ahead log instead of 16 MB: each checkpoint costs more as the tables
#   grow (10,000 reports: 4.9 s in 50 commits instead of 3.1 s). A committed batch is as durable either way
#   (the log is replayed on the next open); what is not checkpointed yet stays in memory (+20 MB at 10k).
LOAD_SETTINGS = {"threads": "1", "checkpoint_threshold": "128MB"}
_SET = {"threads": "SET threads = ?", "checkpoint_threshold": "SET checkpoint_threshold = ?"}


@contextmanager
def _load_settings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    saved = {name: con.execute("SELECT current_setting(?)", [name]).fetchone()[0] for name in LOAD_SETTINGS}
    for name, value in LOAD_SETTINGS.items():
        con.execute(_SET[name], [value])
    try:
        yield
    finally:
        for name, value in saved.items():
            con.execute(_SET[name], [value])


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _batches(
    pairs: Iterator[tuple[InboxFile, ParsedDocument]], size: int
) -> Iterator[list[tuple[InboxFile, ParsedDocument]]]:
    batch: list[tuple[InboxFile, ParsedDocument]] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh_raw_tables(
    con: duckdb.DuckDBPyConnection,
    reports_dir: Path,
    parse_files: Callable[[list[Path]], Iterator[ParsedDocument]] = parse_many,
) -> RefreshResult:
    """Idempotent: a second call on an unchanged folder parses nothing and changes no row.

    Stale rows go first, then each batch of documents is committed with its facts, then the duplicates
    of the whole warehouse are marked again (raw_duplicates). A run killed half-way leaves only whole
    documents behind, and the next run picks up the files it never reached and marks duplicates anew.
    """
    raw_tables.ensure_raw_tables(con)
    version = parser_fingerprint()
    diff = diff_inbox(scan_folder(reports_dir), raw_tables.known_documents(con), version)
    result = RefreshResult(diff)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with _transaction(con):
        result.facts_removed = raw_tables.delete_documents(con, diff.delete_ids)
    progress = ParseProgress(len(diff.to_parse))
    parsed_files = _counted(_parsed_in_order(diff.to_parse, parse_files), progress)
    try:
        with _load_settings(con):
            for batch in _batches(parsed_files, BATCH_SIZE):
                rows, terms = raw_tables.RawRows(version, now), raw_terms.TermRows()
                for inbox_file, parsed in batch:
                    if parsed.status == "parsed":
                        result.parsed += 1
                    else:
                        result.quarantined.append((inbox_file.source_file, parsed.reason or ""))
                    document_id = inbox_file.document_id  # a hash: computed once for all the document's rows
                    rows.add(inbox_file, parsed, document_id)
                    terms.add(parsed, document_id)
                result.facts += rows.n_facts
                with _transaction(con):
                    raw_tables.insert_batch(con, rows)
                    raw_terms.insert(con, terms)
    finally:
        progress.finish()  # also after a failure: the terminal line ends, the count says how far it got
    with _transaction(con):
        result.duplicates = mark_duplicates(con)
    return result
