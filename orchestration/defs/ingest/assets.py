"""Raw report files → `raw.documents` and `raw.facts` in DuckDB, through the `ingest` library."""

import contextlib
import functools
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ingest.batch import parse_many
from orchestration import settings
from orchestration.defs.ingest.checks import CHECK_SPECS, RAW_DOCUMENTS, RAW_FACTS, evaluate_checks
from orchestration.defs.ingest.resources import ReportsFolder
from orchestration.defs.ingest.terms import TERM_SPECS, term_materializations
from orchestration.refresh import RefreshResult, refresh_raw_tables
from orchestration.writer_lock import writer_lock


def _newest_facts_markdown(con, limit: int = 10) -> str:
    rows = con.execute(
        "SELECT f.source_file, f.kind, f.year, f.metric_raw, f.measure, f.comparator, f.value, f.unit_raw"
        " FROM raw.facts f JOIN raw.documents d USING (document_id)"
        " ORDER BY d.ingested_at DESC, f.source_file, f.char_start LIMIT ?",
        [limit],
    ).fetchall()
    lines = ["| file | kind | year | metric | measure | value |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {file} | {kind} | {year} | {metric} | {measure} | {comp} {value:g} {unit} |"
        for file, kind, year, metric, measure, comp, value, unit in rows
    ]
    return "\n".join(lines)


_MAX_LISTED = 50  # files named in the metadata of one materialization; the counts are complete


def _quarantine_markdown(result: RefreshResult) -> str:
    if not result.quarantined:
        return "No file quarantined in this run."
    lines = ["| file | reason |", "|---|---|"]
    lines += [f"| {name} | {reason} |" for name, reason in result.quarantined]
    return "\n".join(lines)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RAW_DOCUMENTS,
            description="One row per file in the reports folder: parsed with its metadata, or quarantined "
            "with the reason.",
            group_name="ingest",
            kinds={"python", "duckdb"},
            owners=["team:jiedao"],
        ),
        dg.AssetSpec(
            RAW_FACTS,
            description="One row per quantitative fact extracted from the parsed documents, with its "
            "sentence and character span.",
            group_name="ingest",
            kinds={"python", "jieba", "duckdb"},
            owners=["team:jiedao"],
        ),
        *TERM_SPECS,
    ],
    check_specs=CHECK_SPECS,
    can_subset=False,
    pool=settings.DUCKDB_WRITER_POOL,
)
def raw_reports(context: dg.AssetExecutionContext, reports_folder: ReportsFolder, duckdb: DuckDBResource):
    """Parse new and changed files of the reports folder and drop the rows of removed ones."""
    root = reports_folder.root()
    if not root.is_dir():
        raise dg.Failure(f"reports folder {root} does not exist")
    # The working file's folder exists after `jiedao build`, not before a first run from the UI or a sensor.
    Path(duckdb.database).parent.mkdir(parents=True, exist_ok=True)
    # closing(): DuckDBResource.get_connection closes only when its block ends without an exception. A
    # failed ingest would leave the connection open (its traceback holds it), and this process could then
    # open the working file no other way (ConnectionException instead of the build summary).
    with writer_lock(Path(duckdb.database)), duckdb.get_connection() as con, contextlib.closing(con):
        limit = settings.max_file_bytes()
        parse_files = functools.partial(parse_many, max_bytes=limit) if limit else parse_many
        result = refresh_raw_tables(con, root, parse_files=parse_files)
        n_documents, n_quarantined = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'quarantined') FROM raw.documents"
        ).fetchone()
        (n_facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
        newest = _newest_facts_markdown(con)
        check_results = evaluate_checks(con)
        term_results = term_materializations(con)
    context.log.info(f"inbox: {result.counts()}; quarantined this run: {len(result.quarantined)}")
    yield dg.MaterializeResult(
        asset_key=RAW_DOCUMENTS,
        metadata={
            "dagster/row_count": n_documents,
            "quarantined": n_quarantined,
            **{f"files_{name}": count for name, count in result.counts().items()},
            "quarantined_this_run": dg.MetadataValue.md(_quarantine_markdown(result)),
            # copies of another report (counted once, as that one) and what this run changed about them
            "duplicates": result.duplicates.duplicates,
            "near_duplicates": result.duplicates.near_duplicates,
            "duplicates_marked_this_run": len(result.duplicates.demoted),
            "duplicates_counted_again_this_run": len(result.duplicates.promoted),
            "duplicates_changed_this_run": dg.MetadataValue.json(
                {
                    "marked": [list(pair) for pair in result.duplicates.demoted[:_MAX_LISTED]],
                    "counted_again": result.duplicates.promoted[:_MAX_LISTED],
                }
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=RAW_FACTS,
        metadata={
            "dagster/row_count": n_facts,
            "facts_added": result.facts,
            "facts_removed": result.facts_removed,
            "facts_per_parsed_document": round(n_facts / max(n_documents - n_quarantined, 1), 1),
            "newest_facts": dg.MetadataValue.md(newest),
        },
    )
    yield from term_results
    yield from check_results
