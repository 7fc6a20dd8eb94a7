"""`dbt build` in the run's own process, its node results streamed as Dagster events.

dagster-dbt runs dbt as a subprocess: on these machines that costs ~5 s per run (a new interpreter
importing dbt-core and the adapter) that the run process has already paid, since defining the dbt assets
imports dbt. dbt's documented programmatic entry point, `dbtRunner`, runs the same command here, and each
node's result event, turned into the dict that dbt's JSON log line would carry, goes through
dagster-dbt's own `DbtCoreCliEventMessage.to_default_asset_events`: the same materializations, asset
checks and observations as `DbtCliResource.cli(...).stream()`. What this takes from inside dagster-dbt,
dbt and dbt-duckdb is in internals.py, checked against the pinned versions by tests/test_dbt_internals.py.

dbt keeps global state between invocations (and some of its tasks change the working directory); runs are
single-writer (the writer pool and lock) and every path passed here is absolute, so neither reaches
anything else. dbt cannot be stopped from outside its thread: a step that ends early waits for it.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from orchestration import settings
from orchestration.defs.dbt import internals

_FINISHED = object()
# The dbt var that names the file dbt builds into (profiles.yml reads it): the run's working file.
BUILD_DB_VAR = "jiedao_build_db"


def dbt_argv(
    context: dg.AssetExecutionContext,
    args: Sequence[str],
    project: DbtProject,
    target: Path,
    translator: DagsterDbtTranslator,
) -> tuple[list[str], internals.Selection]:
    """The dbt command line for `args` in this context: dagster-dbt's selection of the assets and checks
    the run asked for (as `dbt.cli` computes it), and the folders of this run. Also the selection, whose
    manifest and translator map dbt's events back to assets."""
    chosen = internals.selection(context, args, project, translator)
    return [*chosen.args, *_folder_args(chosen.project_dir, Path(project.profiles_dir), target)], chosen


def _folder_args(project_dir: Path, profiles_dir: Path, target: Path) -> list[str]:
    return [
        *("--project-dir", str(project_dir.resolve()), "--profiles-dir", str(profiles_dir.resolve())),
        *("--target-path", str(target)),
        *("--vars", json.dumps({BUILD_DB_VAR: str(settings.work_db_path())})),
        *_log_args(),
    ]


def _log_args() -> list[str]:
    """Where dbt's node log goes: always to settings.dbt_log_path() (plain text, no colour codes), and to
    the console unless the command asked for quiet; coloured only on a terminal."""
    log = settings.dbt_log_path()
    log.parent.mkdir(parents=True, exist_ok=True)
    # dbt names the file itself (dbt.log in --log-path); its file level follows --log-level unless given.
    args = ["--log-path", str(log.parent), "--log-level-file", "info", "--no-use-colors-file"]
    if settings.env_flag(settings.QUIET_DBT_ENV):
        # No colours either: dbt colours some messages (its closing line) before any logger sees them.
        return [*args, "--log-level", "none", "--no-use-colors"]
    return [*args, "--use-colors" if sys.stdout.isatty() else "--no-use-colors"]


def warm_up_dbt(project: DbtProject, target: Path) -> bool:
    """`dbt compile` in this process, changing nothing in the warehouse: a process that will run dbt again
    (`jiedao watch`) loads dbt's parse, compiles its macros and reads the warehouse's catalog now rather than
    in its first build. Returns whether dbt succeeded."""
    from dbt.cli.main import dbtRunner

    argv = ["compile", "--exclude-resource-type", "unit_test", "--quiet"]
    try:
        return (
            dbtRunner()
            .invoke(argv + _folder_args(Path(project.project_dir), Path(project.profiles_dir), target))
            .success
        )
    finally:
        internals.close_duckdb()


def run_dbt(
    context: dg.AssetExecutionContext,
    args: Sequence[str],
    project: DbtProject,
    target: Path,
    translator: DagsterDbtTranslator,
) -> Generator[Any, None, Any]:
    """Run `dbt <args>` in this process, yielding Dagster events as nodes finish; return dbt's
    `dbtRunnerResult` (`success`, `result`, `exception`)."""
    from dbt.cli.main import dbtRunner  # dbt's CLI module: only the process that builds needs it

    argv, chosen = dbt_argv(context, args, project, target, translator)
    results: queue.SimpleQueue = queue.SimpleQueue()
    outcome: dict[str, Any] = {}

    def on_event(msg: Any) -> None:
        if (raw := internals.result_event(msg)) is not None:
            results.put(raw)

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(callbacks=[on_event]).invoke(argv)
        except BaseException as error:  # re-raised in the step's thread below
            outcome["error"] = error
        finally:
            try:
                internals.close_duckdb()
            except Exception as error:
                outcome.setdefault("error", error)
            finally:
                results.put(_FINISHED)  # always: the step's thread waits for it

    context.log.info("dbt " + " ".join(argv))
    # dbt runs in a thread so that each node's events reach Dagster as it finishes, not at the end.
    worker = threading.Thread(target=invoke, name="dbt", daemon=True)
    worker.start()
    try:
        while (raw := results.get()) is not _FINISHED:
            yield from internals.asset_events(raw, chosen, context, target)
    finally:
        # Also when the step stops early (a terminated run, an event that fails to map): the caller's writer
        # lock must not be released while dbt still writes the working file, so wait for dbt to end.
        worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
