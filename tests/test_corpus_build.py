"""The whole pipeline on the seeds plus the 82 real corpus excerpts: every dbt test passes there too."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import SEEDS_DIR, SHARED_DIR, run_jiedao

CORPUS_DIR = SHARED_DIR / "corpus"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason=f"{CORPUS_DIR} not present"),
]


def test_seeds_and_corpus_build_with_every_test_passing(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for path in [*SEEDS_DIR.glob("*.txt"), *CORPUS_DIR.glob("*.txt")]:
        shutil.copy(path, reports / path.name)
    db = tmp_path / "jiedao.duckdb"
    result = run_jiedao(
        "build", "--reports-dir", str(reports), "--db", str(db), env={"DAGSTER_HOME": str(tmp_path / "dh")}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " 0 failed" in result.stdout
    n_files = len(list(reports.iterdir()))
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT status, count(*) FROM main.dim_documents GROUP BY ALL").fetchall()
        statuses = dict(rows)
        (n_facts,) = con.execute("SELECT count(*) FROM main.fct_metric_facts").fetchone()
        (with_code,) = con.execute(
            "SELECT count(*) FROM main.fct_metric_facts WHERE metric_code IS NOT NULL"
        ).fetchone()
    assert sum(statuses.values()) == n_files
    assert statuses.get("parsed") == n_files, statuses
    assert n_facts > 10 * n_files
    assert with_code > 0
