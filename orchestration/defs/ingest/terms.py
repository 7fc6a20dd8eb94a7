"""The raw word tables of issue 15 as assets of the ingest step (written by the same parse, see
orchestration/raw_terms.py): their specs and what each materialization records."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration import raw_terms

_DESCRIPTIONS = {
    "document_sections": "One row per parsed document x section (review / plan / unknown): its size in "
    "characters and words, the denominators of the attention shares.",
    "document_terms": "One row per parsed document x section x word of 2+ characters (jieba with the domain "
    "dictionary): mentions, dictionary tag, noun flag. dbt matches the theme lexicon and computes the IDF "
    "of keywords from it.",
    "term_evidence": "One row per document x section x noun that gets evidence (the document's most salient "
    "nouns and its policy phrases): the first sentence of the section it stands in, quoted by the marts.",
}
TERM_KEYS = {table: dg.AssetKey(["raw", table]) for table in raw_terms.TABLES}
TERM_SPECS = [
    dg.AssetSpec(
        TERM_KEYS[table],
        description=_DESCRIPTIONS[table],
        group_name="ingest",
        kinds={"python", "jieba", "duckdb"},
        owners=["team:jiedao"],
    )
    for table in raw_terms.TABLES
]


def term_materializations(con: duckdb.DuckDBPyConnection) -> list[dg.MaterializeResult]:
    results = []
    for table, key in TERM_KEYS.items():
        (n_rows,) = con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()
        results.append(dg.MaterializeResult(asset_key=key, metadata={"dagster/row_count": n_rows}))
    return results
