"""What the published warehouse was built from, so that a run on unchanged inputs skips dbt and publishing.

The marts are a function of the raw tables (which documents, parsed by which parser version, when) and
of the dbt project (models, tests, seeds), run by given versions of dbt and DuckDB. The publish step
stores a digest of those inputs in the published file (`meta.build_state`); the dbt step compares it
with the digest of the current inputs. Equal digests mean the published marts are what a rebuild would
produce: the daily refresh of an unchanged folder then costs a scan of the folder, not a dbt build.
JIEDAO_FORCE_REBUILD=1 (`jiedao build --force`) rebuilds anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path

import duckdb

FORCE_ENV = "JIEDAO_FORCE_REBUILD"
_VERSIONED_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


def force_rebuild() -> bool:
    return os.environ.get(FORCE_ENV, "").strip().lower() in ("1", "true", "yes")


def inputs_digest(con: duckdb.DuckDBPyConnection, project_digest: str) -> str:
    """Digest of the raw tables' documents (order-free) and facts count, the dbt project, the versions."""
    documents = con.execute(
        "SELECT count(*), coalesce(bit_xor(hash(document_id, content_sha256, status, parser_version,"
        " ingested_at)), 0) FROM raw.documents"
    ).fetchone()
    (facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
    versions = [version(package) for package in _VERSIONED_PACKAGES]
    payload = json.dumps([*documents, facts, project_digest, *versions], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def published_digest(published: Path) -> str | None:
    """The digest the published file was built from; None if there is no file or it predates the record."""
    if not published.exists():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            row = con.execute("SELECT inputs_digest FROM meta.build_state").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def record(con: duckdb.DuckDBPyConnection, digest: str) -> None:
    """Store the digest in the working file, just before it is published."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(
        "CREATE OR REPLACE TABLE meta.build_state AS SELECT ?::VARCHAR AS inputs_digest, now() AS built_at",
        [digest],
    )


def current_digest(work: Path, project_dir: Path) -> str:
    """The digest of what a build from the working file would now be made of."""
    from orchestration.defs.dbt.manifest import project_digest

    with duckdb.connect(str(work), read_only=True) as con:
        return inputs_digest(con, project_digest(project_dir))
