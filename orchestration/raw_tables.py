"""The raw tables the ingest assets write (schema `raw`), and the one way rows get into them.

Rows are gathered as columns and inserted in batches through Arrow: no row-by-row inserts, and no SQL
assembled from file content (values travel as data, never as SQL text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping

import duckdb
import polars as pl

from ingest.inventory import InboxFile, KnownDocument
from ingest.models import Fact, ParsedDocument
from ingest.normalize import to_simplified
from orchestration import raw_terms
from orchestration.raw_schema import DUCKDB_TYPES, raw_columns

DOCUMENTS_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.String(),
    "source_file": pl.String(),
    "content_sha256": pl.String(),
    "size_bytes": pl.Int64(),
    "encoding": pl.String(),
    "status": pl.String(),
    "reason": pl.String(),
    "duplicate_of": pl.String(),  # document_id of the document whose text this one repeats (raw_duplicates)
    "near_duplicate_of": pl.String(),  # document_id of the document whose sentences it mostly shares
    "near_duplicate_similarity": pl.Float64(),
    "text_fingerprint": pl.String(),  # ingest.duplicates: what duplicates are decided on
    "text_signature": pl.List(pl.Int64()),
    "district": pl.String(),
    "district_norm": pl.String(),
    "district_level": pl.String(),
    "parent_unit": pl.String(),
    "published_on": pl.Date(),
    "review_year": pl.Int32(),
    "plan_year": pl.Int32(),
    "title": pl.String(),
    "document_kind": pl.String(),
    "frame_evidence": pl.String(),
    "n_chars": pl.Int32(),
    "n_facts": pl.Int32(),
    "parser_version": pl.String(),
    "ingested_at": pl.Datetime("us"),
}

FACTS_SCHEMA: dict[str, pl.DataType] = {
    "fact_id": pl.String(),
    "document_id": pl.String(),
    "source_file": pl.String(),
    "kind": pl.String(),
    "year": pl.Int32(),
    "period": pl.String(),
    "metric_raw": pl.String(),
    "metric_norm": pl.String(),
    "measure": pl.String(),
    "value": pl.Float64(),
    "unit_raw": pl.String(),
    "unit_norm": pl.String(),
    "comparator": pl.String(),
    "number_text": pl.String(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "sentence": pl.String(),
    "sentence_start": pl.Int32(),
    "section": pl.String(),
    "tier": pl.Int32(),
}


def _ddl(table: str, schema: Mapping[str, pl.DataType], key: str) -> str:
    columns = ", ".join(f"{name} {DUCKDB_TYPES[dtype]}" for name, dtype in schema.items())
    return f"CREATE TABLE IF NOT EXISTS raw.{table} ({columns}, PRIMARY KEY ({key}))"


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; a table whose columns no longer match is dropped, and refilled by re-parsing."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, schema in (("documents", DOCUMENTS_SCHEMA), ("facts", FACTS_SCHEMA)):
        existing = raw_columns(con, table)
        if existing and existing != list(schema):
            # raw is derived from the files alone; an old layout is cheaper to rebuild than to migrate
            con.execute("DROP TABLE IF EXISTS raw.facts")
            con.execute("DROP TABLE IF EXISTS raw.documents")
    con.execute(_ddl("documents", DOCUMENTS_SCHEMA, "document_id"))
    con.execute(_ddl("facts", FACTS_SCHEMA, "fact_id"))
    if raw_terms.ensure_tables(con):  # new or changed word tables, whose rows only come from parsing
        con.execute("DELETE FROM raw.facts")
        con.execute("DELETE FROM raw.documents")
    raw_terms.drop_orphans(con)  # of documents dropped above, when raw.documents changed its layout


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, KnownDocument]:
    rows = con.execute("SELECT source_file, document_id, parser_version FROM raw.documents").fetchall()
    return {name: KnownDocument(doc_id, version) for name, doc_id, version in rows}


def delete_documents(con: duckdb.DuckDBPyConnection, document_ids: Iterable[str]) -> int:
    """Delete the documents and everything of theirs; the number of facts that went with them."""
    ids = pl.DataFrame({"document_id": list(document_ids)}, schema={"document_id": pl.String()})
    if ids.is_empty():
        return 0
    con.register("stale_ids", ids)
    (n_facts,) = con.execute(
        "SELECT count(*) FROM raw.facts WHERE document_id IN (SELECT document_id FROM stale_ids)"
    ).fetchone()
    con.execute("DELETE FROM raw.facts WHERE document_id IN (SELECT document_id FROM stale_ids)")
    con.execute("DELETE FROM raw.documents WHERE document_id IN (SELECT document_id FROM stale_ids)")
    raw_terms.delete_documents(con, "stale_ids")
    con.unregister("stale_ids")
    return n_facts


def fact_id(document_id: str, fact: Fact) -> str:
    """Stable across re-runs: the same fact of the same file version always gets the same id."""
    key = "\0".join(
        [document_id, fact.kind, fact.measure, fact.metric_raw, str(fact.char_start), str(fact.char_end)]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def fact_rows(document_id: str, source_file: str, facts: Iterable[Fact]) -> list[tuple]:
    """The rows of raw.facts for one document, as tuples in FACTS_SCHEMA's column order."""
    rows, seen = [], set()
    for fact in facts:
        fid = fact_id(document_id, fact)
        if fid in seen:  # the extractor stated the same fact twice; keep one
            continue
        seen.add(fid)
        rows.append(
            (
                fid,
                document_id,
                source_file,
                fact.kind,
                fact.year,
                fact.period,
                fact.metric_raw,
                fact.metric_norm or to_simplified(fact.metric_raw),
                fact.measure,
                fact.value,
                fact.unit_raw,
                fact.unit_norm or to_simplified(fact.unit_raw),
                fact.comparator,
                fact.number_text,
                fact.char_start,
                fact.char_end,
                fact.sentence,
                fact.sentence_start,
                fact.section,
                fact.tier,
            )
        )
    return rows


class RawRows:
    """The columns of raw.documents and raw.facts for one batch of documents.

    Values go straight into one list per column, and each table into DuckDB as one Arrow table: a dict per
    row, turned back into columns by polars, cost as much as the inserts themselves (10,000 reports:
    220,000 facts). The values are listed in the schemas' column order; `strict` zips catch a count that
    no longer matches."""

    def __init__(self, parser_version: str, ingested_at: dt.datetime) -> None:
        self.parser_version, self.ingested_at = parser_version, ingested_at
        self.documents: dict[str, list] = {name: [] for name in DOCUMENTS_SCHEMA}
        self.facts: dict[str, list] = {name: [] for name in FACTS_SCHEMA}
        self.n_facts = 0

    def add(self, inbox_file: InboxFile, parsed: ParsedDocument, document_id: str) -> None:
        """One document's row and its facts' rows; `document_id` is `inbox_file.document_id`, a hash the
        caller computes once for all the tables of the document."""
        facts = fact_rows(document_id, inbox_file.source_file, parsed.facts)
        meta = parsed.metadata
        values = (  # in DOCUMENTS_SCHEMA's order
            document_id,
            inbox_file.source_file,
            inbox_file.content_sha256,
            inbox_file.size_bytes,
            parsed.encoding,
            parsed.status,
            parsed.reason,
            # a fresh parse counts until raw_duplicates compares it with the rest of the warehouse
            None,  # duplicate_of
            None,  # near_duplicate_of
            None,  # near_duplicate_similarity
            parsed.text_fingerprint,
            parsed.text_signature,
            meta.district,
            to_simplified(meta.district) if meta.district else None,
            meta.district_level,
            meta.parent_unit,
            meta.published_on,
            meta.review_year,
            meta.plan_year,
            meta.title,
            meta.document_kind,
            meta.frame_evidence,
            len(parsed.text) if parsed.text is not None else parsed.n_chars,
            len(parsed.facts),  # n_facts: as extracted, a fact stated twice counted twice
            self.parser_version,
            self.ingested_at,
        )
        for column, value in zip(self.documents.values(), values, strict=True):
            column.append(value)
        if facts:
            for column, fact_values in zip(self.facts.values(), zip(*facts, strict=True), strict=True):
                column.extend(fact_values)
        self.n_facts += len(facts)


def insert_batch(con: duckdb.DuckDBPyConnection, rows: RawRows) -> None:
    """Insert one batch of documents and their facts through Arrow, in the caller's transaction."""
    con.register("batch_documents", pl.DataFrame(rows.documents, schema=DOCUMENTS_SCHEMA).to_arrow())
    con.register("batch_facts", pl.DataFrame(rows.facts, schema=FACTS_SCHEMA).to_arrow())
    con.execute("INSERT INTO raw.documents SELECT * FROM batch_documents")
    con.execute("INSERT INTO raw.facts SELECT * FROM batch_facts")
    con.unregister("batch_documents")
    con.unregister("batch_facts")
