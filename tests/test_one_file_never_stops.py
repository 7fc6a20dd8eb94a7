"""Issue 17: one file never stops the warehouse. Real `jiedao build`s (Dagster run, dbt build, publish).

- A realistic typo ("同比下降150%") used to fail `assert_growth_rates_are_sane` and block every publish: the
  fact is quarantined (main.fct_quarantined_facts, the summary, a warning check) and the seeds publish.
- A file name with terminal escape codes is printed escaped, so it cannot erase lines of the summary.
- An ingest failure ends in the one line a dbt failure ends in, exit 1, no traceback on the console (it
  goes to the build log), and the published file stays as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.settings import work_dir
from tests.conftest import SEEDS_DIR, copy_seeds, run_jiedao, working_file

pytestmark = pytest.mark.slow

TYPO_REPORT = (
    "新桥镇2023年工作总结和2024年工作思路\n"
    "一、2023年工作回顾\n"
    "全年实现村级集体经营性收入2860万元，同比下降150%。新建农村公路12.5公里，完成老旧小区改造3个。\n"
    "二、2024年工作思路\n"
    "力争村级集体经营性收入增长5%以上。\n"
)
ESCAPE_NAME = "\x1b[2K\x1b[1Aerased.txt"  # erase the line, move the cursor up


def test_a_typo_and_a_hostile_name_do_not_stop_publishing_and_a_failure_ends_in_one_line(
    tmp_path: Path,
) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "wh" / "jiedao.duckdb"
    inbox.mkdir()
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    for seed in seeds:
        shutil.copy(seed, inbox / seed.name)
    (inbox / "typo.txt").write_text(TYPO_REPORT, encoding="utf-8")
    (inbox / ESCAPE_NAME).write_bytes(b"")  # quarantined (empty): its name is printed in the summary
    env = {"DAGSTER_HOME": str(tmp_path / "dagster")}

    built = run_jiedao("build", "--reports-dir", str(inbox), "--db", str(db), env=env)
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-4000:]
    with duckdb.connect(str(working_file(db)), read_only=True) as con:  # raw.facts is not published
        (seed_facts_raw,) = con.execute(
            "SELECT count(*) FROM raw.facts WHERE source_file <> 'typo.txt'"
        ).fetchone()
    with duckdb.connect(str(db), read_only=True) as con:
        quarantined = con.execute(
            "SELECT source_file, number_text, reason FROM main.fct_quarantined_facts"
        ).fetchall()
        (seed_facts_published,) = con.execute(
            "SELECT count(*) FROM main.fct_metric_facts WHERE source_file <> 'typo.txt'"
        ).fetchone()
        typo_published = con.execute(
            "SELECT count(*) FROM main.fct_metric_facts WHERE source_file = 'typo.txt'"
        ).fetchone()[0]
    # Every fact of the seeds is published; the one implausible fact is quarantined, the typo report's
    # other facts are published.
    assert seed_facts_raw > 200 and seed_facts_published == seed_facts_raw
    assert quarantined == [("typo.txt", "150", "growth below -100 %: nothing falls by more than all of it")]
    assert typo_published >= 2
    assert "facts quarantined (implausible, kept out of the marts): 1" in built.stdout
    # The asset check reports it as a warning (the run succeeded: it published).
    evaluation = _latest_check(tmp_path / "dagster", "fct_quarantined_facts", "no_facts_quarantined")
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.metadata["dagster_dbt/failed_row_count"].value == 1
    assert "quarantined fact in typo.txt: 150: growth below -100 %" in built.stdout
    # The hostile name is shown escaped; no escape character reaches the terminal from our lines.
    assert "  quarantined \\x1b[2K\\x1b[1Aerased.txt: empty file" in built.stdout
    summary = built.stdout[built.stdout.index("files: ") :]
    assert "\x1b" not in summary

    # An ingest failure (here: a size limit that is not a number) on a warehouse that exists.
    published = db.read_bytes()
    failed = run_jiedao(
        "build",
        "--reports-dir",
        str(inbox),
        "--db",
        str(db),
        "--force",
        env={**env, "JIEDAO_MAX_FILE_BYTES": "x"},
    )
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output[-4000:]
    assert "Traceback" not in output and "Stack Trace" not in output, output[-4000:]
    last = failed.stdout.strip().splitlines()[-1]
    assert last.startswith("build failed: step raw_reports: ValueError: invalid literal for int()"), last
    assert f"{db} was not replaced" in last
    assert "dbt build not run: a step before it failed" in failed.stdout
    assert db.read_bytes() == published
    log = (work_dir(db) / "build.log").read_text(encoding="utf-8")
    assert "step raw_reports failed" in log and "max_file_bytes" in log  # the traceback went here


def _latest_check(dagster_home: Path, asset: str, check: str) -> dg.AssetCheckEvaluation:
    from dagster._core.instance.ref import InstanceRef

    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home))) as instance:
        record = instance.get_latest_asset_check_evaluation_record(
            dg.AssetCheckKey(dg.AssetKey([asset]), check)
        )
    assert record is not None and record.event is not None
    return record.event.dagster_event.event_specific_data


MARKER = "鲸落湾远洋渔港"  # in no seed: found in the published bytes only while its report is there


def test_a_removed_report_leaves_no_bytes_in_the_published_file(tmp_path: Path) -> None:
    """Probe 5: the published file was a byte copy of the working file, whose freed blocks still held the
    sentences of a removed report (`grep -c` found them). Publishing copies live rows into a new file."""
    inbox, db = tmp_path / "inbox", tmp_path / "wh" / "jiedao.duckdb"
    copy_seeds(inbox)
    removed = inbox / "to_remove.txt"
    removed.write_text(TYPO_REPORT.replace("新建农村公路", f"{MARKER}新建农村公路"), encoding="utf-8")
    env = {"DAGSTER_HOME": str(tmp_path / "dagster")}
    marker = MARKER.encode()

    first = run_jiedao("build", "--reports-dir", str(inbox), "--db", str(db), env=env)
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    assert db.read_bytes().count(marker) > 0  # the check below can see the text when it is there

    removed.unlink()
    second = run_jiedao("build", "--reports-dir", str(inbox), "--db", str(db), env=env)
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "1 removed" in second.stdout
    assert db.read_bytes().count(marker) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM main.dim_documents").fetchone() == (2,)
