"""The whole pipeline on the seeds: a real Dagster run, a real `dbt build`, facts checked against gold."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import work_dir
from tests.conftest import GOLD_SEEDS_DIR, SEEDS_DIR, read_gold, run_jiedao, working_file

pytestmark = pytest.mark.slow


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


# One line of dbt's node log, as in "12 of 110 PASS unique_fct_metric_facts_fact_id ..."
def _run_events(dagster_home: Path) -> dict[str, list]:
    """The events of the latest run of the instance in `dagster_home`, by type."""
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home))) as instance:
        [run] = instance.get_runs(limit=1)
        by_type: dict[str, list] = {}
        for record in instance.all_logs(run.run_id):
            if record.dagster_event is not None:
                by_type.setdefault(record.dagster_event.event_type_value, []).append(record)
    return by_type


DBT_NODE_LINE = re.compile(r"\b\d+ of \d+ (START|PASS|OK)\b")


def test_build_prints_a_summary(seeds_warehouse):
    db, result = seeds_warehouse
    with duckdb.connect(str(working_file(db)), read_only=True) as con:  # raw.facts is not published
        (n_facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
    with duckdb.connect(str(db), read_only=True) as con:
        targets = dict(
            con.execute("SELECT status, count(*) FROM main.targets_vs_actuals GROUP BY ALL").fetchall()
        )
        (n_metrics,) = con.execute("SELECT count(*) FROM main.district_year_metrics").fetchone()
    lines = result.stdout.splitlines()
    # what this build changed
    assert "files: 5 new, 0 changed, 0 unchanged, 0 removed" in lines
    assert f"this build: {n_facts} facts extracted, 0 dropped with removed or changed files" in lines
    assert "documents: 5 parsed, 0 quarantined" in lines
    assert "dbt tests:" in result.stdout and " 0 failed" in result.stdout
    # what is in the marts now, what was left out of them and why, and how the targets stand
    assert f"district_year_metrics {n_metrics}" in next(line for line in lines if line.startswith("marts: "))
    assert "facts quarantined (implausible, kept out of the marts): 0" in lines
    assert "facts in fct_metric_facts but not in district_year_metrics: 0 without a year," in result.stdout
    assert (
        f"targets: {targets.get('met', 0)} met, {targets.get('missed', 0)} missed,"
        f" {targets.get('pending', 0)} pending, {targets.get('not_comparable', 0)} not comparable"
    ) in lines
    # where the file is, and how long it took
    assert re.search(
        rf"^warehouse published: {re.escape(str(db))} \(.*; build took \d+\.\d s\)$", result.stdout, re.M
    )
    # progress while parsing, piped: one plain line for five files
    progress = [line for line in result.stderr.splitlines() if line.startswith(("parsing", "parsed"))]
    assert len(progress) == 1 and re.fullmatch(
        r"parsed 5 files in \d+\.\d s \(\d+\.\d files/s\)", progress[0]
    )


def test_build_output_is_short_and_plain_and_dbt_logs_to_a_file(seeds_warehouse):
    db, result = seeds_warehouse
    output = result.stdout + result.stderr
    # Piped (as here), the console gets the summary alone: no escape codes, no dbt node lines, no warnings.
    assert "\x1b" not in output
    assert not DBT_NODE_LINE.search(output), output[-3000:]
    assert "WARNING" not in output, output[-3000:]
    assert len(output.splitlines()) <= 40, output
    # dbt's node log is in its file beside the working file, in plain text
    log = (work_dir(db) / "dbt.log").read_text(encoding="utf-8")
    assert DBT_NODE_LINE.search(log) and "PASS assert_mart_rows_trace_to_documents" in log
    assert "\x1b" not in log


def test_every_seed_file_is_a_document(seeds_warehouse):
    db, _ = seeds_warehouse
    rows = _query(db, "SELECT source_file, status FROM main.dim_documents ORDER BY 1")
    assert rows == [(path.name, "parsed") for path in sorted(SEEDS_DIR.glob("*.txt"))]


def test_changshuo_fiscal_revenue_actual_and_target(seeds_warehouse):
    db, _ = seeds_warehouse
    actual = _query(
        db,
        "SELECT value, unit_raw, value_base, unit_base, comparator FROM main.fct_metric_facts"
        " WHERE district = '昌硕街道' AND kind = 'actual' AND year = 2022 AND measure = 'level'"
        " AND metric_raw LIKE '%财政收入%'",
    )
    assert any(
        value == 12.8 and unit == "亿元" and abs(base - 1.28e9) < 1 and unit_base == "yuan" and comp == "="
        for value, unit, base, unit_base, comp in actual
    ), actual
    target = _query(
        db,
        "SELECT value, comparator FROM main.fct_metric_facts"
        " WHERE district = '昌硕街道' AND kind = 'target' AND year = 2023 AND measure = 'growth_pct'"
        " AND metric_raw LIKE '%财政收入%'",
    )
    assert (8.0, ">=") in target


def test_most_gold_facts_reach_the_mart(seeds_warehouse):
    """Every non-optional gold fact of the seeds, looked up by file, kind, year, measure and value."""
    db, _ = seeds_warehouse
    gold = [row for row in read_gold(GOLD_SEEDS_DIR) if row["optional"] == "0"]
    found = {
        (f, k, y, m, round(v, 6))
        for f, k, y, m, v in _query(
            db, "SELECT source_file, kind, year, measure, value FROM main.fct_metric_facts"
        )
    }
    hits = [
        (row["doc"], row["kind"], int(row["year"]), row["measure"], round(float(row["value"]), 6)) in found
        for row in gold
    ]
    assert sum(hits) / len(hits) >= 0.85


def test_every_mart_fact_traces_to_its_span(seeds_warehouse):
    db, _ = seeds_warehouse
    rows = _query(db, "SELECT source_file, char_start, char_end, sentence FROM main.fct_metric_facts")
    assert rows
    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS_DIR.glob("*.txt")}
    for source_file, start, end, sentence in rows:
        text = texts[source_file]
        assert 0 <= start < end <= len(text)
        assert text[start:end] in sentence


def test_marts_exist_and_have_rows(seeds_warehouse):
    db, _ = seeds_warehouse
    for mart in ("district_year_metrics", "targets_vs_actuals", "dim_districts", "dim_metrics"):
        assert _query(db, f"SELECT count(*) FROM main.{mart}")[0][0] > 0, mart


def test_second_build_is_idempotent(seeds_warehouse, tmp_path):
    db, _ = seeds_warehouse
    tables = ["main.dim_documents", "main.fct_metric_facts", "main.district_year_metrics"]
    before = {t: _query(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    raw_tables = ["raw.documents", "raw.facts"]  # in the working file: the published one holds the marts
    raw_before = {t: _query(working_file(db), f"SELECT count(*) FROM {t}")[0][0] for t in raw_tables}
    ids_before = _query(db, "SELECT fact_id FROM main.fct_metric_facts ORDER BY 1")
    published_inode = db.stat().st_ino
    again = run_jiedao(
        "build", "--reports-dir", str(SEEDS_DIR), "--db", str(db), env={"DAGSTER_HOME": str(tmp_path)}
    )
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "0 new, 0 changed, 5 unchanged, 0 removed" in again.stdout
    # a no-op build says so in a few lines: nothing parsed, no fact added or dropped, no escape codes
    output = again.stdout + again.stderr
    assert len(output.splitlines()) <= 15, output
    assert "\x1b" not in output
    assert "this build: 0 facts extracted, 0 dropped with removed or changed files" in again.stdout
    assert not re.search(r"^pars(ing|ed) ", again.stderr, re.M)
    assert re.search(
        rf"^warehouse unchanged: {re.escape(str(db))} \(build took \d+\.\d s\)$", again.stdout, re.M
    )
    # nothing changed: no dbt build, and the published file is the one BI tools already have open
    assert "dbt build skipped: nothing changed since the published build" in again.stdout
    assert db.stat().st_ino == published_inode
    # a healthy no-op warns about nothing, and its run says why it skipped and leaves no check without result
    noise = again.stdout + again.stderr
    assert "emitted no result" not in noise and "did not yield" not in noise, noise
    events = _run_events(tmp_path)
    planned = {
        e.dagster_event.event_specific_data.asset_check_key for e in events["ASSET_CHECK_EVALUATION_PLANNED"]
    }
    evaluated = {
        e.dagster_event.event_specific_data.asset_check_key for e in events["ASSET_CHECK_EVALUATION"]
    }
    assert len(planned) > 50 and evaluated == planned
    skipped = [
        e.dagster_event.event_specific_data.asset_observation.metadata
        for e in events["ASSET_OBSERVATION"]
        if "dbt_build_skipped" in e.dagster_event.event_specific_data.asset_observation.metadata
    ]
    assert skipped and all(
        m["dbt_build_skipped"].value.startswith("inputs unchanged since run") for m in skipped
    )
    assert {t: _query(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before
    assert {t: _query(working_file(db), f"SELECT count(*) FROM {t}")[0][0] for t in raw_tables} == raw_before
    assert _query(db, "SELECT fact_id FROM main.fct_metric_facts ORDER BY 1") == ids_before

    args = ("build", "--force", "--verbose", "--reports-dir", str(SEEDS_DIR), "--db", str(db))
    forced = run_jiedao(*args, env={"DAGSTER_HOME": str(tmp_path)})
    assert forced.returncode == 0, forced.stdout[-3000:] + forced.stderr[-3000:]
    assert "dbt tests:" in forced.stdout and " 0 failed" in forced.stdout
    # --verbose prints dbt's node log too, uncoloured when piped
    assert DBT_NODE_LINE.search(forced.stdout) and "\x1b" not in forced.stdout
    assert db.stat().st_ino != published_inode, "--force builds and publishes a new file"
    assert _query(db, "SELECT fact_id FROM main.fct_metric_facts ORDER BY 1") == ids_before
