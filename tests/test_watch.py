"""`jiedao watch`: a process that stays up builds on its own when reports arrive, as Dagster runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.instance.ref import InstanceRef

from tests.conftest import REPO_ROOT, SEEDS_DIR

pytestmark = pytest.mark.slow


def _documents(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [
            name
            for (name,) in con.execute("SELECT source_file FROM main.dim_documents ORDER BY 1").fetchall()
        ]


def test_watch_builds_when_a_report_arrives(tmp_path: Path) -> None:
    inbox, db, home = tmp_path / "inbox", tmp_path / "wh" / "jiedao.duckdb", tmp_path / "dagster"
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    inbox.mkdir()
    for seed in seeds[:-1]:
        shutil.copy(seed, inbox / seed.name)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "DAGSTER_HOME": str(home), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    command = [str(bin_dir / "jiedao"), "watch", "--reports-dir", str(inbox), "--db", str(db)]
    watcher = subprocess.Popen(
        [*command, "--interval", "0.2", "--max-builds", "2"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert watcher.stdout is not None
        for line in watcher.stdout:
            lines.append(line)
            if line.startswith("build "):  # the first build: what was in the folder at start
                assert line.startswith("build finished"), "".join(lines)[-4000:]
                assert _documents(db) == [seed.name for seed in seeds[:-1]]
                shutil.copy(seeds[-1], inbox / seeds[-1].name)
                break
        lines += watcher.stdout.readlines()  # until the second build ends the watcher (--max-builds 2)
        assert watcher.wait(timeout=600) == 0, "".join(lines)[-4000:]
    finally:
        watcher.kill()
    output = "".join(lines)
    assert "1 added, 0 changed, 0 removed" in output, output[-4000:]
    assert output.count("build finished") == 2, output[-4000:]
    assert _documents(db) == [seed.name for seed in seeds]
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        runs = instance.get_runs(dg.RunsFilter(tags={"jiedao/trigger": "watch"}))
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2


def test_the_watcher_sees_a_changed_dbt_project_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What it compares before each build, to restart rather than build with stale definitions.
    from orchestration import settings, watch

    project = tmp_path / "dbt_project"
    shutil.copytree(settings.DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(settings, "DBT_PROJECT_DIR", project)
    before = watch.code_fingerprint()
    assert watch.code_fingerprint() == before
    model = project / "models" / "marts" / "dim_metrics.sql"
    model.write_text(model.read_text() + "\n-- edited\n")
    assert watch.code_fingerprint() != before


def test_watch_refuses_an_interval_that_would_spin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orchestration.cli import main

    assert (
        main(["watch", "--reports-dir", str(tmp_path), "--db", str(tmp_path / "w.duckdb"), "--interval", "0"])
        == 2
    )
    assert "--interval must be a positive number" in capsys.readouterr().err
