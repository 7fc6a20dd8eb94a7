"""Mark, in raw.documents, the documents that repeat another's text (ingest.duplicates decides which).

Runs after every refresh over all parsed documents, so the marks are a function of what the warehouse
holds, not of the order files arrived in: a copy parsed before its original is demoted when the original
comes, and promoted back when the original goes. A duplicate keeps its facts and words in the raw tables
(status 'duplicate', `duplicate_of` the kept document's id); dbt leaves them out of every mart, and a
promotion needs no new parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from ingest.duplicates import Candidate, Verdict, decide

_COLUMNS = ("status", "reason", "duplicate_of", "near_duplicate_of", "near_duplicate_similarity")
_UPDATE_SCHEMA = {
    "document_id": pl.String(),
    "status": pl.String(),
    "reason": pl.String(),
    "duplicate_of": pl.String(),
    "near_duplicate_of": pl.String(),
    "near_duplicate_similarity": pl.Float64(),
}


@dataclass
class DuplicateChanges:
    """What marking changed: files that became duplicates, files that count again, and the totals."""

    demoted: list[tuple[str, str]] = field(default_factory=list)  # (copy, the file it repeats)
    promoted: list[str] = field(default_factory=list)  # former copies whose original is gone or changed
    duplicates: int = 0
    near_duplicates: int = 0


def _reason(row: dict, original: Candidate, original_sha: str) -> str:
    how = "the same bytes" if row["content_sha256"] == original_sha else "the same text"
    return f"duplicate of {original.source_file} ({how})"


def mark_duplicates(con: duckdb.DuckDBPyConnection) -> DuplicateChanges:
    """Bring status, reason, duplicate_of and near_duplicate_* of every parsed document up to date, in the
    caller's transaction. Idempotent: a second call changes no row."""
    cursor = con.execute(
        "SELECT document_id, source_file, content_sha256, encoding, text_fingerprint, text_signature,"
        " status, reason, duplicate_of, near_duplicate_of, near_duplicate_similarity FROM raw.documents"
        " WHERE status IN ('parsed', 'duplicate') AND text_fingerprint IS NOT NULL"
    )
    names = [column[0] for column in cursor.description]
    records = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    verdicts = decide(
        Candidate(
            r["document_id"],
            r["source_file"],
            r["encoding"],
            r["text_fingerprint"],
            r["text_signature"] or [],
        )
        for r in records.values()
    )
    changes, updates = DuplicateChanges(), []
    for document_id, verdict in verdicts.items():
        row = records[document_id]
        wanted = _wanted(row, verdict, records)
        changes.duplicates += wanted["status"] == "duplicate"
        changes.near_duplicates += wanted["near_duplicate_of"] is not None
        if all(row[name] == wanted[name] for name in _COLUMNS):
            continue
        updates.append({"document_id": document_id, **wanted})
        if wanted["status"] == "duplicate" and row["status"] != "duplicate":
            changes.demoted.append((row["source_file"], verdict.duplicate_of.source_file))
        elif wanted["status"] == "parsed" and row["status"] == "duplicate":
            changes.promoted.append(row["source_file"])
    if updates:
        con.register(
            "duplicate_updates", pl.DataFrame(updates, schema=_UPDATE_SCHEMA, orient="row").to_arrow()
        )
        con.execute(
            "UPDATE raw.documents SET status = u.status, reason = u.reason, duplicate_of = u.duplicate_of,"
            " near_duplicate_of = u.near_duplicate_of,"
            " near_duplicate_similarity = u.near_duplicate_similarity"
            " FROM duplicate_updates u WHERE raw.documents.document_id = u.document_id"
        )
        con.unregister("duplicate_updates")
    return changes


def _wanted(row: dict, verdict: Verdict, records: dict[str, dict]) -> dict[str, object]:
    if verdict.duplicate_of is not None:
        original = verdict.duplicate_of
        return {
            "status": "duplicate",
            "reason": _reason(row, original, records[original.document_id]["content_sha256"]),
            "duplicate_of": original.document_id,
            "near_duplicate_of": None,
            "near_duplicate_similarity": None,
        }
    near = verdict.near_duplicate_of
    return {
        "status": "parsed",
        "reason": None,
        "duplicate_of": None,
        "near_duplicate_of": near.document_id if near else None,
        "near_duplicate_similarity": verdict.similarity,
    }
