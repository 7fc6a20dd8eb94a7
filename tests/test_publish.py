"""Publishing the working file: what BI tools open must be complete and in the format old clients read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.publish import STORAGE_COMPATIBILITY_VERSION, WORK_DB_CONFIG, publish
from orchestration.settings import parquet_dir, work_db_path_for, work_dir


def _storage_version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        (tags,) = con.execute(
            "SELECT tags FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
    return tags["storage_version"]


def _makework_db_path_for(work: Path, config: dict[str, str]) -> None:
    """A working file as ingest and dbt leave it: a raw table, seeds, a view written with the file's catalog
    name, and a mart with a constraint and the comments dbt writes from its YAML."""
    work.parent.mkdir(parents=True)
    with duckdb.connect(str(work), config=config) as con:
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.facts AS SELECT range AS id, 'a sentence' AS sentence FROM range(500)")
        con.execute("CREATE TABLE main.dim_metrics (id BIGINT NOT NULL CHECK (id >= 0), name VARCHAR)")
        con.execute("INSERT INTO main.dim_metrics SELECT id, 'm' FROM raw.facts")
        con.execute("COMMENT ON TABLE main.dim_metrics IS 'Canonical metrics.'")
        con.execute("COMMENT ON COLUMN main.dim_metrics.name IS 'Chinese name.'")
        con.execute("CREATE SCHEMA staging")
        con.execute(f'CREATE VIEW staging.v AS SELECT * FROM "{work.stem}".main.dim_metrics WHERE id < 10')
        con.execute("CREATE SCHEMA seeds")
        con.execute("CREATE TABLE seeds.theme_lexicon AS SELECT 'environment' AS theme, '生态' AS term")
        con.execute("CREATE TABLE seeds.unit_conversions AS SELECT '亿元' AS unit_norm, 1e8 AS factor")


@pytest.mark.parametrize("config", [WORK_DB_CONFIG, {}], ids=["v1.4 working file", "newest-format file"])
def test_published_file_is_complete_and_in_the_old_format(tmp_path: Path, config: dict[str, str]) -> None:
    work = work_db_path_for(tmp_path / "jiedao.duckdb")
    _makework_db_path_for(work, config)
    published = publish(work, tmp_path / "jiedao.duckdb")

    assert published.tables == {"dim_metrics": 500}
    assert _storage_version(published.path).startswith(STORAGE_COMPATIBILITY_VERSION)
    assert published.parquet_dir == tmp_path / "jiedao.parquet"
    assert (published.parquet_dir / "dim_metrics.parquet").exists()
    assert not list(tmp_path.glob(".*.tmp")), "no partial file is left behind"


def test_only_what_a_bi_user_reads_is_published_with_its_comments_and_constraints(tmp_path: Path) -> None:
    work = work_db_path_for(tmp_path / "jiedao.duckdb")
    _makework_db_path_for(work, WORK_DB_CONFIG)
    published = publish(work, tmp_path / "jiedao.duckdb").path

    with duckdb.connect(str(published), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2").fetchall()
        assert tables == [("main", "dim_metrics"), ("seeds", "theme_lexicon")]
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone() == (0,)
        schemas = {name for (name,) in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
        assert not schemas & {"raw", "staging", "intermediate"}
        assert con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'dim_metrics'"
        ).fetchone() == ("Canonical metrics.",)
        assert con.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'dim_metrics' AND column_name = 'name'"
        ).fetchone() == ("Chinese name.",)
        assert con.execute("SELECT count(*) FROM seeds.theme_lexicon").fetchone() == (1,)
    with duckdb.connect(str(published)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO main.dim_metrics VALUES (-1, 'x')")
    # and the working file keeps everything, for the next build
    with duckdb.connect(str(work), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.facts").fetchone() == (500,)


def test_rows_still_in_the_write_ahead_log_are_published(tmp_path: Path) -> None:
    """A writer that stopped without a checkpoint leaves rows in the .wal file: a byte copy must keep them."""
    work = work_db_path_for(tmp_path / "jiedao.duckdb")
    _makework_db_path_for(work, WORK_DB_CONFIG)
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

    work = work_db_path_for(tmp_path / "jiedao.duckdb")
    _makework_db_path_for(work, WORK_DB_CONFIG)
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        for table in MART_TABLES:  # every mart, so that every export exists
            con.execute(f"CREATE TABLE IF NOT EXISTS main.{table} AS SELECT 1 AS id")
        build_state.record(con, "digest-1")
    published = publish(work, tmp_path / "jiedao.duckdb").path
    assert build_state.published_digest(published) == "digest-1"

    marker = parquet_dir(published) / PARQUET_STATE_FILE
    marker.write_text("another build")
    assert build_state.published_digest(published) is None, "exports of another build"
    marker.write_text("digest-1")
    (parquet_dir(published) / "dim_metrics.parquet").unlink()
    assert build_state.published_digest(published) is None, "an export is missing"

    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        build_state.forget(con)  # what a dbt build does before it starts
    publish(work, published)
    assert build_state.published_digest(published) is None, "a build without a record is never skipped"
    assert not marker.exists()


def test_the_folders_of_a_warehouse_are_named_after_it(tmp_path: Path) -> None:
    from orchestration.settings import WarehousePathError

    published = tmp_path / "some" / "wh.duckdb"
    assert work_dir(published) == tmp_path / "some" / "wh.build"
    assert parquet_dir(published) == tmp_path / "some" / "wh.parquet"
    assert work_dir(tmp_path / "wh") == tmp_path / "wh.build"
    for unusable in ("wh.build", "wh.parquet"):
        with pytest.raises(WarehousePathError, match="cannot end in"):
            work_dir(tmp_path / unusable), parquet_dir(tmp_path / unusable)
