"""What the published warehouse was built from, so that a run on unchanged inputs skips dbt and publishing.

The marts are a function of the raw tables (which documents, parsed by which parser version, when) and
of the dbt project (models, tests, seeds), run by given versions of dbt and DuckDB, and published in a
given format. The dbt step digests those inputs before it builds, and writes the digest into the working
file (`meta.build_state`) only after a complete `dbt build` passed; publishing copies it with the file,
and writes it last into the Parquet folder. A later run whose inputs have the same digest as both the
published file and the Parquet folder skips dbt and publishing: they are what a rebuild would produce.
The record also names the run that built it and what each of its asset checks said, so that a skipping
run can say which build its data and check results come from. The run config `force: true` of the dbt
step (`jiedao build --force`, or the launchpad) rebuilds anyway; a run of some dbt models only never skips.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from orchestration.publish import (
    MART_TABLES,
    PARQUET_STATE_FILE,
    PUBLISHED_EXTRAS,
    STORAGE_COMPATIBILITY_VERSION,
    recorded_digest,
)
from orchestration.settings import parquet_dir

_VERSIONED_PACKAGES = ("dbt-core", "dbt-adapters", "dbt-duckdb", "duckdb")


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What one asset check said in the build that made a warehouse."""

    asset_key: tuple[str, ...]
    check_name: str
    passed: bool
    severity: str  # dagster's AssetCheckSeverity name: ERROR or WARN


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """meta.build_state of a warehouse: what it was built from, when, by which run, with which results."""

    digest: str
    built_at: dt.datetime
    run_id: str | None
    checks: tuple[CheckOutcome, ...] | None  # None: recorded before check results were kept


def inputs_digest(con: duckdb.DuckDBPyConnection, project_digest: str) -> str:
    """Digest of the raw tables' documents (order-free, with their duplicate marks) and facts count, the
    dbt project, the versions."""
    documents = con.execute(
        "SELECT count(*), coalesce(bit_xor(hash(document_id, content_sha256, status, parser_version,"
        " ingested_at, duplicate_of, near_duplicate_of)), 0) FROM raw.documents"
    ).fetchone()
    (facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
    versions = [version(package) for package in _VERSIONED_PACKAGES]
    extras = [".".join(name) for name in PUBLISHED_EXTRAS]
    published_as = [STORAGE_COMPATIBILITY_VERSION, *MART_TABLES, *extras]
    payload = json.dumps([*documents, facts, project_digest, *versions, *published_as], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def current_digest(work: Path, project_dir: Path) -> str:
    """The digest of what a build from the working file would now be made of."""
    from orchestration.defs.dbt.manifest import project_digest

    with duckdb.connect(str(work), read_only=True) as con:
        return inputs_digest(con, project_digest(project_dir))


def published_digest(published: Path) -> str | None:
    """The digest both the published file and its Parquet exports were built from, or None."""
    if not published.exists():
        return None
    try:
        digest = recorded_digest(published)
    except duckdb.Error:
        return None  # not a DuckDB file a reader can open: rebuild and publish over it
    exports = parquet_dir(published)
    marker = exports / PARQUET_STATE_FILE
    complete = all((exports / f"{table}.parquet").exists() for table in MART_TABLES)
    if digest is None or not complete or not marker.exists() or marker.read_text().strip() != digest:
        return None
    return digest


def published_record(published: Path) -> BuildRecord | None:
    """The record of the published file, if its Parquet exports belong to the same build; else None."""
    digest = published_digest(published)
    if digest is None:
        return None
    with duckdb.connect(str(published), read_only=True) as con:
        columns = {
            name
            for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns()"
                " WHERE schema_name = 'meta' AND table_name = 'build_state'"
            ).fetchall()
        }
        if {"run_id", "checks"} <= columns:
            built_at, run_id, checks = con.execute(
                "SELECT built_at, run_id, checks FROM meta.build_state"
            ).fetchone()
        else:  # a file recorded before runs and check results were kept
            built_at, run_id, checks = con.execute(
                "SELECT built_at, NULL, NULL FROM meta.build_state"
            ).fetchone()
    outcomes = None
    if checks is not None:
        outcomes = tuple(
            CheckOutcome(tuple(c["asset_key"]), c["check_name"], c["passed"], c["severity"])
            for c in json.loads(checks)
        )
    return BuildRecord(digest, built_at, run_id, outcomes)


def forget(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the record before dbt rebuilds: a build that fails half-way must not look complete."""
    con.execute("DROP TABLE IF EXISTS meta.build_state")


def record(
    con: duckdb.DuckDBPyConnection,
    digest: str,
    run_id: str | None = None,
    checks: list[CheckOutcome] | None = None,
) -> None:
    """Store the digest of the inputs a complete, passing dbt build was made from, the run that made it
    and what its asset checks said."""
    payload = None if checks is None else json.dumps([_outcome_json(c) for c in checks], ensure_ascii=False)
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(
        "CREATE OR REPLACE TABLE meta.build_state AS SELECT ?::VARCHAR AS inputs_digest, now() AS built_at,"
        " ?::VARCHAR AS run_id, ?::JSON AS checks",
        [digest, run_id, payload],
    )
    # described like the marts, since it is published with them
    con.execute(
        "COMMENT ON TABLE meta.build_state IS 'The build this file comes from: one row, written after every"
        " dbt test passed.'"
    )
    con.execute(
        "COMMENT ON COLUMN meta.build_state.inputs_digest IS 'Digest of what the marts were built from: the"
        " raw tables, the dbt project, the versions of dbt and DuckDB.'"
    )
    con.execute("COMMENT ON COLUMN meta.build_state.built_at IS 'When the dbt build of the marts ended.'")
    con.execute("COMMENT ON COLUMN meta.build_state.run_id IS 'The Dagster run that built the marts.'")
    con.execute(
        "COMMENT ON COLUMN meta.build_state.checks IS 'What each asset check of that run said (JSON); a run"
        " that skips dbt re-emits these, marked not re-evaluated.'"
    )


def _outcome_json(outcome: CheckOutcome) -> dict:
    return {
        "asset_key": list(outcome.asset_key),
        "check_name": outcome.check_name,
        "passed": outcome.passed,
        "severity": outcome.severity,
    }
