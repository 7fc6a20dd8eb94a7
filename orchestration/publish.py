"""Publish the built warehouse to the file BI tools read, atomically, in a format old clients open.

DuckDB lets one read-write process lock out every reader, and a reader blocks a writer. So the pipeline
builds into a working file (`<dir>/<stem>.build/<name>`, orchestration/settings.py) and, once every dbt
test has passed, copies it into a fresh file next to the published path and renames it over that path.
A BI tool holding the old file open keeps reading the old inode; it sees the new data when it reconnects.
A failed build never gets here.

The copy is table by table into a new file, never a byte copy of the working file: DuckDB reuses freed
blocks without clearing them, so the working file still holds the text of removed reports (their
sentences in raw.facts), and a byte copy would publish it. A fresh file holds only the live rows: a
removed report leaves no byte behind (issue 17; its cost at 1k and 10k reports is in docs/robustness.md).
The new file is created in the storage format of old clients.

Only what a BI user reads is published (published_tables()): the marts, with the table and column comments
dbt wrote from its YAML (`persist_docs`), the build record and the theme lexicon the attention figures
were computed with. The raw tables, the staging and intermediate models and the other seeds stay in the
working file: the marts carry every figure's provenance (document, sentence, character span) themselves.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.settings import parquet_dir

# Clients that bundle an older DuckDB (the Metabase driver ships 1.4.x) cannot open a file in the newest
# storage format; this setting only takes effect when a file is created (the working file, or the copy
# that publishing makes of an older working file).
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"
# Written last into the Parquet folder: the build digest (meta.build_state) the exports belong to.
PARQUET_STATE_FILE = "_build_state.txt"
# How every writer opens the working file, so that it is created in that format too.
WORK_DB_CONFIG = {"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION}
# The tables BI tools read (schema main), all built by dbt; publishing waits for every one of them.
MART_TABLES = (
    "fct_metric_facts",
    "dim_documents",
    "dim_districts",
    "dim_metrics",
    "district_year_metrics",
    "targets_vs_actuals",
    "fct_quarantined_facts",
    "district_year_attention",
    "district_year_keywords",
)
# Besides every table of schema main: what else a BI user needs, as (schema, table).
PUBLISHED_EXTRAS = (
    ("meta", "build_state"),  # when the file was built, and from what
    ("seeds", "theme_lexicon"),  # the terms behind district_year_attention (its lexicon_version)
)


@dataclass(frozen=True, slots=True)
class Published:
    path: Path
    tables: dict[str, int]  # mart table -> row count
    parquet_dir: Path


def _literal(path: Path) -> str:
    """A path as a SQL string literal (paths are ours, but a quote in a folder name must not break SQL)."""
    return "'" + str(path).replace("'", "''") + "'"


def _mart_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY 1",
        [catalog],
    ).fetchall()
    return [name for (name,) in rows]


def _durable_replace(partial: Path, final: Path) -> None:
    """Rename `partial` over `final` once its bytes are on disk, then make the rename itself durable: a
    power cut right after a bare rename can leave `final` empty on some filesystems."""
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, final)
    try:
        folder = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as exc:
        # Some network and FUSE filesystems cannot sync a folder; the file is published all the same.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES):
            raise


def _export_parquet(con: duckdb.DuckDBPyConnection, catalog: str, target: Path) -> None:
    """One Parquet file per mart, each written beside its final name and renamed into place."""
    target.mkdir(parents=True, exist_ok=True)
    for table in _mart_tables(con, catalog):
        final = target / f"{table}.parquet"
        partial = target / f".{table}.parquet.tmp"
        con.execute(f'COPY "{catalog}".main."{table}" TO {_literal(partial)} (FORMAT parquet)')
        _durable_replace(partial, final)  # on disk before the marker vouches for it


def _remove_stale_partials(published: Path) -> None:
    """A publisher killed mid-copy leaves `.<name>.<pid>.tmp` behind: remove those whose process is gone."""
    for stale in published.parent.glob(f".{published.name}.*.tmp"):
        pid = stale.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def published_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    """The (schema, table) pairs of `catalog` that go into the published file."""
    rows = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1, 2", [catalog]
    ).fetchall()
    return [(schema, name) for schema, name in rows if schema == "main" or (schema, name) in PUBLISHED_EXTRAS]


def _copy_database(con: duckdb.DuckDBPyConnection, catalog: str, partial: Path) -> None:
    """The published tables, live rows only, into a new file created in the old clients' format.

    DuckDB's own schema copy makes the tables with their constraints and comments; what is not published
    is dropped while it is still empty, and the published tables are then filled one by one."""
    keep = published_tables(con, catalog)
    con.execute(f"ATTACH {_literal(partial)} AS dst (STORAGE_VERSION '{STORAGE_COMPATIBILITY_VERSION}')")
    con.execute(f'COPY FROM DATABASE "{catalog}" TO dst (SCHEMA)')
    for schema, view in con.execute(
        "SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'dst' AND NOT internal"
    ).fetchall():
        con.execute(f'DROP VIEW dst."{schema}"."{view}"')
    for schema, table in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'dst'"
    ).fetchall():
        if (schema, table) not in keep:
            con.execute(f'DROP TABLE dst."{schema}"."{table}"')
    for (schema,) in con.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'dst' AND schema_name <> 'main'"
        " AND schema_name NOT IN (SELECT schema_name FROM duckdb_tables() WHERE database_name = 'dst')"
    ).fetchall():
        con.execute(f'DROP SCHEMA dst."{schema}"')
    for schema, table in keep:
        con.execute(f'INSERT INTO dst."{schema}"."{table}" SELECT * FROM "{catalog}"."{schema}"."{table}"')
    con.execute("DETACH dst")


def recorded_digest(database: Path) -> str | None:
    """The build digest recorded in a DuckDB file (meta.build_state), or None if it holds none."""
    with duckdb.connect(str(database), read_only=True) as con:
        has_record = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'build_state'"
        ).fetchone()[0]
        row = con.execute("SELECT inputs_digest FROM meta.build_state").fetchone() if has_record else None
    return row[0] if row else None


def _mark_exports(published: Path) -> None:
    """Tell which build the Parquet files belong to, once they and the published file are in place."""
    marker = parquet_dir(published) / PARQUET_STATE_FILE
    digest = recorded_digest(published)
    if digest is None:
        marker.unlink(missing_ok=True)
        return
    partial = marker.with_name(f".{marker.name}.tmp")
    partial.write_text(digest, encoding="utf-8")
    _durable_replace(partial, marker)


def publish(work: Path, published: Path) -> Published:
    """Copy `work` into a new file and rename it over `published` (atomic on one filesystem)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(published)
    partial = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    # The exports are about to change: until the new marker is written, they belong to no build.
    (parquet_dir(published) / PARQUET_STATE_FILE).unlink(missing_ok=True)
    # The source is attached under the catalog name that its views were written with (the file stem); no
    # other step writes `work` now (writer_lock), and a read-only attach replays its write-ahead log.
    catalog = work.stem
    con = duckdb.connect()
    try:
        con.execute(f'ATTACH {_literal(work)} AS "{catalog}" (READ_ONLY)')
        _copy_database(con, catalog, partial)
        _export_parquet(con, catalog, parquet_dir(published))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    _durable_replace(partial, published)
    _mark_exports(published)
    with duckdb.connect(str(published), read_only=True) as check:
        names = [
            name
            for (name,) in check.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1"
            ).fetchall()
        ]
        counts = {name: check.execute(f'SELECT count(*) FROM main."{name}"').fetchone()[0] for name in names}
    return Published(published, counts, parquet_dir(published))
