"""A dbt failure in a pipeline run (dbt runs in the step's process) fails the run and publishes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_seeds, run_jiedao, working_file

pytestmark = pytest.mark.slow


def test_a_row_the_marts_refuse_fails_the_build_and_keeps_the_published_file(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "wh" / "jiedao.duckdb"
    copy_seeds(inbox)
    env = {"DAGSTER_HOME": str(tmp_path / "dagster")}
    first = run_jiedao("build", "--reports-dir", str(inbox), "--db", str(db), env=env)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    published = db.read_bytes()

    # A fact no extractor writes (comparator 'x'), slipped into the working file's raw table: the ingest
    # keeps it (its document is unchanged), and fct_metric_facts' contract refuses it.
    with duckdb.connect(str(working_file(db))) as con:
        con.execute(
            "INSERT INTO raw.facts SELECT * REPLACE (fact_id || '-bad' AS fact_id, 'x' AS comparator)"
            " FROM raw.facts LIMIT 1"
        )
    second = run_jiedao("build", "--reports-dir", str(inbox), "--db", str(db), "--force", env=env)
    output = second.stdout + second.stderr
    assert second.returncode == 1, output[-4000:]
    assert "build failed" in output and "was not replaced" in output, output[-4000:]
    assert "CHECK constraint failed" in output and "fct_metric_facts" in output, output[-4000:]
    assert "dbt models failed: 1" in output, output[-4000:]
    # dbt's own log is not on the console: the failure line names it, and it holds dbt's error
    dbt_log = working_file(db).parent / "dbt.log"
    assert f"(see {dbt_log})" in output and "\x1b" not in output, output[-4000:]
    assert "CHECK constraint failed" in dbt_log.read_text(encoding="utf-8")
    assert db.read_bytes() == published
