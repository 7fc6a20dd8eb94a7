"""What a published warehouse says about the build that made it: the digest of its inputs, the run, and
what each asset check said (a run on unchanged inputs re-emits those results instead of none)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration import build_state
from orchestration.publish import MART_TABLES, WORK_DB_CONFIG, publish


def _work_file(tmp_path: Path) -> Path:
    work = tmp_path / ".build" / "jiedao.duckdb"
    work.parent.mkdir(parents=True)
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        for table in MART_TABLES:  # every mart, so that every export exists
            con.execute(f"CREATE TABLE main.{table} AS SELECT 1 AS id")
    return work


def test_the_record_names_the_run_and_keeps_each_check_result(tmp_path: Path) -> None:
    work = _work_file(tmp_path)
    checks = [
        build_state.CheckOutcome(("fct_metric_facts",), "unique_fct_metric_facts_fact_id", True, "ERROR"),
        build_state.CheckOutcome(("raw", "documents"), "a_warning", False, "WARN"),
    ]
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        build_state.record(con, "digest-1", "run-1", checks)
    record = build_state.published_record(publish(work, tmp_path / "jiedao.duckdb").path)
    assert record is not None
    assert (record.digest, record.run_id, record.checks) == ("digest-1", "run-1", tuple(checks))
    assert record.built_at is not None


def test_a_record_without_check_results_vouches_for_no_check(tmp_path: Path) -> None:
    """A file recorded before check results were kept: the dbt step rebuilds rather than skip with checks
    left without a result."""
    work = _work_file(tmp_path)
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        con.execute("CREATE SCHEMA meta")
        con.execute("CREATE TABLE meta.build_state AS SELECT 'digest-0' AS inputs_digest, now() AS built_at")
    record = build_state.published_record(publish(work, tmp_path / "jiedao.duckdb").path)
    assert record is not None and record.digest == "digest-0"
    assert record.run_id is None and record.checks is None


def test_no_record_without_a_published_file(tmp_path: Path) -> None:
    assert build_state.published_record(tmp_path / "absent.duckdb") is None
