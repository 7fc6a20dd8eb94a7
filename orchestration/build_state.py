"""What the published warehouse was built from, so that a run on unchanged inputs skips dbt and publishing.

The marts are a function of the raw tables (which documents, parsed by which parser version, when) and
of the dbt project (models, tests, seeds), run by given versions of dbt and DuckDB, and published in a
given format. The dbt step digests those inputs before it builds, and writes the digest into the working
file (`meta.build_state`) only after a complete `dbt build` passed; publishing copies it with the file,
and writes it last into the Parquet folder. A later run whose inputs have the same digest as both the
published file and the Parquet folder skips dbt and publishing: they are what a rebuild would produce.
JIEDAO_FORCE_REBUILD=1 (`jiedao build --force`) rebuilds anyway; a run of some dbt models only never skips.
"""

from __future__ import annotations

import hashlib
import json
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
from orchestration.settings import env_flag, parquet_dir

FORCE_ENV = "JIEDAO_FORCE_REBUILD"
_VERSIONED_PACKAGES = ("dbt-core", "dbt-adapters", "dbt-duckdb", "duckdb")


def force_rebuild() -> bool:
    return env_flag(FORCE_ENV)


def inputs_digest(con: duckdb.DuckDBPyConnection, project_digest: str) -> str:
    """Digest of the raw tables' documents (order-free) and facts count, the dbt project, the versions."""
    documents = con.execute(
        "SELECT count(*), coalesce(bit_xor(hash(document_id, content_sha256, status, parser_version,"
        " ingested_at)), 0) FROM raw.documents"
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


def forget(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the record before dbt rebuilds: a build that fails half-way must not look complete."""
    con.execute("DROP TABLE IF EXISTS meta.build_state")


def record(con: duckdb.DuckDBPyConnection, digest: str) -> None:
    """Store the digest of the inputs a complete, passing dbt build was made from."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(
        "CREATE OR REPLACE TABLE meta.build_state AS SELECT ?::VARCHAR AS inputs_digest, now() AS built_at",
        [digest],
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
