"""Asset checks on the ingest side: invariants dbt cannot see, because they are about extraction.

They are evaluated inside the ingest step, on its own connection, so they cost no extra step and never
contend for the DuckDB file lock.
"""

import dagster as dg
import duckdb

RAW_DOCUMENTS = dg.AssetKey(["raw", "documents"])
RAW_FACTS = dg.AssetKey(["raw", "facts"])

CHECK_SPECS = [
    dg.AssetCheckSpec(
        "facts_have_spans", asset=RAW_FACTS, description="Every fact points at a non-empty character span."
    ),
    dg.AssetCheckSpec(
        "parsed_documents_yield_facts",
        asset=RAW_DOCUMENTS,
        description="Every parsed document yields at least one fact (one with none is probably misread).",
    ),
    dg.AssetCheckSpec(
        "quarantined_documents_have_reasons",
        asset=RAW_DOCUMENTS,
        description="Every quarantined document says why.",
    ),
]


def evaluate_checks(con: duckdb.DuckDBPyConnection) -> list[dg.AssetCheckResult]:
    (no_span,) = con.execute(
        "SELECT count(*) FROM raw.facts WHERE char_start IS NULL OR char_end IS NULL"
        " OR char_end <= char_start OR sentence IS NULL OR number_text IS NULL"
    ).fetchone()
    empty = [
        name
        for (name,) in con.execute(
            "SELECT source_file FROM raw.documents WHERE status = 'parsed' AND n_facts = 0 ORDER BY 1"
        ).fetchall()
    ]
    (no_reason,) = con.execute(
        "SELECT count(*) FROM raw.documents WHERE status = 'quarantined' AND coalesce(reason, '') = ''"
    ).fetchone()
    return [
        dg.AssetCheckResult(
            asset_key=RAW_FACTS,
            check_name="facts_have_spans",
            passed=no_span == 0,
            metadata={"facts_without_span": no_span},
        ),
        dg.AssetCheckResult(
            asset_key=RAW_DOCUMENTS,
            check_name="parsed_documents_yield_facts",
            passed=not empty,
            # A warning, not an error: a short notice can legitimately hold no number.
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"documents_without_facts": len(empty), "files": dg.MetadataValue.json(empty[:50])},
        ),
        dg.AssetCheckResult(
            asset_key=RAW_DOCUMENTS,
            check_name="quarantined_documents_have_reasons",
            passed=no_reason == 0,
            metadata={"quarantined_without_reason": no_reason},
        ),
    ]
