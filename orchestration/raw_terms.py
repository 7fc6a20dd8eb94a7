"""The raw tables of what each report talks about (issue 15), written beside raw.documents and raw.facts.

- raw.document_sections: one row per document x section (review / plan / unknown): characters and words;
- raw.document_terms: one row per document x section x word (2+ characters): mentions, tag, noun flag;
- raw.term_evidence: one row per document x section x noun that gets evidence (the document's most salient
  nouns and its policy phrases): the first sentence of the section the word stands in.

They follow raw.documents: written in the same transaction as the document's row, deleted with it, and
rebuilt by re-parsing when their layout changes. Rows go in as columns (no dict per row): a report has
~1,000 words.
"""

from __future__ import annotations

from itertools import repeat

import duckdb
import polars as pl

from ingest.models import ParsedDocument
from ingest.terms import is_noun
from orchestration.raw_schema import DUCKDB_TYPES, raw_columns

SECTIONS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.String(),
    "section": pl.String(),
    "n_chars": pl.Int32(),
    "n_words": pl.Int32(),
}
TERMS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.String(),
    "section": pl.String(),
    "term": pl.String(),
    "pos": pl.String(),
    "is_noun": pl.Boolean(),
    "n_mentions": pl.Int32(),
}
EVIDENCE_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.String(),
    "section": pl.String(),
    "term": pl.String(),
    "char_start": pl.Int32(),
    "sentence": pl.String(),
}
# table -> (schema, the columns that identify a row). No PRIMARY KEY: DuckDB's index on it would take 7x
# the space of the rows (33 MB of 38 at 1,000 reports). Rows are unique by construction (a Counter's keys
# per section), and dbt's staging tests check the keys.
TABLES: dict[str, tuple[dict[str, pl.DataType], str]] = {
    "document_sections": (SECTIONS_SCHEMA, "document_id, section"),
    "document_terms": (TERMS_SCHEMA, "document_id, section, term"),
    "term_evidence": (EVIDENCE_SCHEMA, "document_id, section, term"),
}


def ensure_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the tables; when one is missing or has other columns, all of them are dropped and created
    empty, and True says that every document must be parsed again (their rows only come from parsing)."""
    if all(raw_columns(con, table) == list(schema) for table, (schema, _) in TABLES.items()):
        return False
    for table, (schema, _) in TABLES.items():
        con.execute(f"DROP TABLE IF EXISTS raw.{table}")
        columns = ", ".join(f"{name} {DUCKDB_TYPES[dtype]}" for name, dtype in schema.items())
        con.execute(f"CREATE TABLE raw.{table} ({columns})")
    return True


def drop_orphans(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the rows of documents raw.documents no longer holds (it is rebuilt when its layout changes)."""
    for table in TABLES:
        con.execute(
            f"DELETE FROM raw.{table} WHERE document_id NOT IN (SELECT document_id FROM raw.documents)"
        )


def delete_documents(con: duckdb.DuckDBPyConnection, stale_view: str) -> None:
    """Delete the rows of the documents listed in the registered relation `stale_view` (document_id)."""
    for table in TABLES:
        con.execute(f"DELETE FROM raw.{table} WHERE document_id IN (SELECT document_id FROM {stale_view})")


class TermRows:
    """Columns of the three tables for one batch of documents."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list]] = {
            table: {name: [] for name in schema} for table, (schema, _) in TABLES.items()
        }

    def add(self, parsed: ParsedDocument, document_id: str) -> None:
        terms = parsed.terms
        if terms is None:
            return
        sections, words, evidence = (self.columns[t] for t in TABLES)
        tag_of = terms.tags.__getitem__
        # extend from iterators, not append per word: a batch of 200 reports has ~65,000 words
        for part in terms.sections:
            sections["document_id"].append(document_id)
            sections["section"].append(part.section)
            sections["n_chars"].append(part.n_chars)
            sections["n_words"].append(part.n_words)
            n = len(part.counts)
            tags = list(map(tag_of, part.counts))
            words["document_id"].extend(repeat(document_id, n))
            words["section"].extend(repeat(part.section, n))
            words["term"].extend(part.counts)
            words["pos"].extend(tags)
            words["is_noun"].extend(map(is_noun, part.counts, tags))
            words["n_mentions"].extend(part.counts.values())
        for section, found in terms.evidence.items():
            for term, (at, sentence) in found.items():
                evidence["document_id"].append(document_id)
                evidence["section"].append(section)
                evidence["term"].append(term)
                evidence["char_start"].append(at)
                evidence["sentence"].append(sentence)

    def __len__(self) -> int:
        return len(self.columns["document_terms"]["term"])


def insert(con: duckdb.DuckDBPyConnection, rows: TermRows) -> None:
    """Insert a batch through Arrow, in the caller's transaction."""
    for table, (schema, _) in TABLES.items():
        frame = pl.DataFrame(rows.columns[table], schema=schema)
        if frame.is_empty():
            continue
        con.register("batch_terms", frame.to_arrow())
        con.execute(f"INSERT INTO raw.{table} SELECT * FROM batch_terms")
        con.unregister("batch_terms")
