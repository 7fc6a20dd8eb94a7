"""Publishing the working file: what BI tools open must be complete and in the format old clients read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.publish import STORAGE_COMPATIBILITY_VERSION, WORK_DB_CONFIG, publish


def _storage_version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        (tags,) = con.execute(
            "SELECT tags FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
    return tags["storage_version"]


def _make_work_file(work: Path, config: dict[str, str]) -> None:
    """A working file as dbt leaves it: a mart table and a view written with the file's catalog name."""
    work.parent.mkdir(parents=True)
    with duckdb.connect(str(work), config=config) as con:
        con.execute("CREATE TABLE main.dim_metrics AS SELECT range AS id, 'm' AS name FROM range(500)")
        con.execute("CREATE SCHEMA staging")
        con.execute(f'CREATE VIEW staging.v AS SELECT * FROM "{work.stem}".main.dim_metrics WHERE id < 10')


@pytest.mark.parametrize("config", [WORK_DB_CONFIG, {}], ids=["v1.4 working file", "newest-format file"])
def test_published_file_is_complete_and_in_the_old_format(tmp_path: Path, config: dict[str, str]) -> None:
    work = tmp_path / ".build" / "jiedao.duckdb"
    _make_work_file(work, config)
    published = publish(work, tmp_path / "jiedao.duckdb")

    assert published.tables == {"dim_metrics": 500}
    assert _storage_version(published.path).startswith(STORAGE_COMPATIBILITY_VERSION)
    with duckdb.connect(str(published.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM staging.v").fetchone() == (10,)
    assert (published.parquet_dir / "dim_metrics.parquet").exists()
    assert not list(tmp_path.glob(".*.tmp")), "no partial file is left behind"


def test_rows_still_in_the_write_ahead_log_are_published(tmp_path: Path) -> None:
    """A writer that stopped without a checkpoint leaves rows in the .wal file: a byte copy must keep them."""
    work = tmp_path / ".build" / "jiedao.duckdb"
    _make_work_file(work, WORK_DB_CONFIG)
    con = duckdb.connect(str(work), config=WORK_DB_CONFIG)
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("INSERT INTO main.dim_metrics SELECT 1000 + range, 'late' FROM range(7)")
    con.close()
    assert work.with_name(work.name + ".wal").exists(), "the setup should leave a write-ahead log"

    published = publish(work, tmp_path / "jiedao.duckdb")
    assert published.tables == {"dim_metrics": 507}


def test_a_build_is_skippable_only_with_its_record_and_complete_exports(tmp_path: Path) -> None:
    from orchestration import build_state
    from orchestration.publish import MART_TABLES, PARQUET_STATE_FILE

    work = tmp_path / ".build" / "jiedao.duckdb"
    _make_work_file(work, WORK_DB_CONFIG)
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        for table in MART_TABLES:  # every mart, so that every export exists
            con.execute(f"CREATE TABLE IF NOT EXISTS main.{table} AS SELECT 1 AS id")
        build_state.record(con, "digest-1")
    published = publish(work, tmp_path / "jiedao.duckdb").path
    assert build_state.published_digest(published) == "digest-1"

    marker = published.parent / "parquet" / PARQUET_STATE_FILE
    marker.write_text("another build")
    assert build_state.published_digest(published) is None, "exports of another build"
    marker.write_text("digest-1")
    (published.parent / "parquet" / "dim_metrics.parquet").unlink()
    assert build_state.published_digest(published) is None, "an export is missing"

    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        build_state.forget(con)  # what a dbt build does before it starts
    publish(work, published)
    assert build_state.published_digest(published) is None, "a build without a record is never skipped"
    assert not marker.exists()
