"""`jiedao build`: one real Dagster run of the whole graph, then a summary read back from the warehouse."""

from __future__ import annotations

import datetime as dt
import re
import time
import traceback
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.summary import DBT_NOT_RUN, IngestChanges, printable, summarize


def prepare_dbt_manifest() -> None:
    """Parse the dbt project into target/manifest.json; the dbt assets read it when they are defined."""
    from orchestration.defs.dbt.manifest import prepare_manifest
    from orchestration.defs.dbt.resources import dbt_project

    prepare_manifest(dbt_project)


def _instance():
    import dagster as dg

    settings.ensure_dagster_home()
    return dg.DagsterInstance.get()


def _dbt_test_tally(result) -> tuple[int, int, int] | str | None:
    """(tests passed, tests failed, models failed), as the dbt asset recorded them from dbt's results; None
    if the dbt step skipped the build (inputs unchanged since the published build); DBT_NOT_RUN if the
    dbt step never got to run dbt (a step before it failed)."""
    for event in result.all_events:
        if event.event_type_value == "ASSET_OBSERVATION":
            metadata = event.asset_observation_data.asset_observation.metadata
            if "dbt_build_skipped" in metadata:
                return None
            if "dbt_tests_passed" in metadata:
                models_failed = metadata.get("dbt_models_failed")
                return (
                    metadata["dbt_tests_passed"].value,
                    metadata["dbt_tests_failed"].value,
                    models_failed.value if models_failed else 0,
                )
    return DBT_NOT_RUN


def build_warehouse_job():
    """The job, loadable by name from another process (what a multiprocess executor's steps need)."""
    from orchestration.definitions import defs

    return defs.resolve_job_def("build_warehouse")


def _execute(run_config: dict, tags: dict[str, str] | None):
    """One run of the job on the persistent instance, with the executor JIEDAO_EXECUTOR names."""
    import dagster as dg

    from orchestration.defs.jobs import executor_name

    if executor_name() == "in_process":
        return build_warehouse_job().execute_in_process(
            run_config=run_config, instance=_instance(), raise_on_error=False, tags=tags
        )
    # execute_in_process always runs steps in this process; execute_job honours the job's executor.
    job = dg.reconstructable(build_warehouse_job)
    with dg.execute_job(job, _instance(), run_config=run_config, tags=tags) as result:
        return result  # its events are a list in memory; the open context is not needed to read them


def warm_up() -> None:
    """Pay once what the first build of a process pays on top of the work: imports and definitions, the
    extractor's dictionaries, and dbt's first invocation (its parse, macros and the warehouse's catalog),
    so that a long-lived process (`jiedao watch`) builds at the speed of later builds from the start."""
    from ingest.version import parser_fingerprint
    from ingest.warm import warm_up_parser
    from orchestration.defs.dbt.resources import dbt_project
    from orchestration.defs.dbt.runner import warm_up_dbt
    from orchestration.defs.dbt.target import claim
    from orchestration.writer_lock import writer_lock

    parser_fingerprint()  # taken now, with the code just imported (it stamps every document parsed here)
    prepare_dbt_manifest()
    build_warehouse_job()
    warm_up_parser()
    work = settings.work_db_path()
    if work.exists():  # else the first build creates it, and warms dbt up itself
        with writer_lock(work):
            if not warm_up_dbt(dbt_project, claim(Path(dbt_project.project_dir))):
                print("warning: dbt compile failed while warming up; the first build shows why", flush=True)


def run_build(
    reports_dir: Path, db_path: Path, tags: dict[str, str] | None = None, force: bool = False
) -> int:
    """Materialize every asset in one Dagster run; exit code 0 only if the run succeeded. `force` runs
    dbt and publishing even when no input changed (the dbt step's run config `force`).

    `reports_dir` and `db_path` reach the assets through JIEDAO_REPORTS_DIR and JIEDAO_DB (set by the CLI).
    A failure ends in one line naming the failed steps; their tracebacks go to the build log.
    """
    started = time.monotonic()
    settings.work_db_path().parent.mkdir(parents=True, exist_ok=True)
    prepare_dbt_manifest()
    # Step events go to the instance's event log (the UI shows them). The console gets none of Dagster's
    # lines: a failed step's traceback goes to the build log, and this function prints one line for it.
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    if force:
        run_config["ops"] = {"jiedao_dbt_assets": {"config": {"force": True}}}
    result = _execute(run_config, tags)
    checks = _dbt_test_tally(result)
    counts, changes = _ingest_report(result)
    work_db = settings.work_db_path()
    if work_db.exists():
        try:
            print(summarize(work_db, checks, counts, changes))
        except duckdb.Error as exc:  # a working file left unreadable by the failure: say so, go on
            log_failure("the build summary could not be read", exc)
            print(f"summary unavailable: {_first_line(str(exc))}")
    if not result.success:
        return build_failed(db_path, "; ".join(_failed_steps(result)) or "the run failed")
    took = f"build took {time.monotonic() - started:.1f} s"
    if checks is None:
        print(f"warehouse unchanged: {db_path} ({took})")
    else:
        print(f"warehouse published: {db_path} (Parquet exports in {settings.parquet_dir(db_path)}; {took})")
    return 0


def _ingest_report(result) -> tuple[dict[str, int] | None, IngestChanges | None]:
    """Files new/changed/... and what the ingest step changed, from its materializations (None when it
    did not run)."""
    metadata = {
        tuple(event.materialization.asset_key.path): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    documents, facts = metadata.get(("raw", "documents")), metadata.get(("raw", "facts"))
    if documents is None:
        return None, None
    counts = {
        name: documents[f"files_{name}"].value
        for name in ("new", "changed", "unchanged", "removed", "unreadable")
        if f"files_{name}" in documents
    }
    named = documents.get("duplicates_changed_this_run")
    changes = IngestChanges(
        facts_added=_value(facts, "facts_added"),
        facts_removed=_value(facts, "facts_removed"),
        duplicates_marked=_value(documents, "duplicates_marked_this_run"),
        counted_again=list(named.value.get("counted_again", [])) if named is not None else [],
        n_counted_again=_value(documents, "duplicates_counted_again_this_run"),
    )
    return counts, changes


def _value(metadata, key: str) -> int:
    entry = metadata.get(key) if metadata is not None else None
    return entry.value if entry is not None else 0


def build_failed(db_path: Path, why: str) -> int:
    """The one line every failed build ends with, whatever failed (ingest, dbt, publish, the CLI itself)."""
    log = settings.build_log_path()
    print(printable(f"build failed: {why}; {db_path} was not replaced (details in {log})"), flush=True)
    return 1


def log_failure(what: str, error: BaseException | str) -> None:
    """Append a failure with its traceback to the build log (the console gets one line)."""
    if isinstance(error, BaseException):
        error = "".join(traceback.format_exception(error))
    log = settings.build_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC: {what}\n{error}\n")
    except OSError:
        pass  # a full disk may be why the build failed: the run's event log holds the error all the same


def _failed_steps(result) -> list[str]:
    """One line per failed step (its own exception, not Dagster's wrapper); the whole error to the log."""
    lines = []
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        error = event.step_failure_data.error
        log_failure(f"run {result.run_id}: step {event.step_key} failed", error.to_string())
        while error.cause is not None:  # the innermost cause is what the step's code raised
            error = error.cause
        lines.append(f"step {event.step_key}: {_first_line(error.message)}")
    return lines


def _first_line(message: str) -> str:
    line = next((line.strip() for line in message.splitlines() if line.strip()), "")
    return re.sub(r"^(?:\w+\.)+(\w+): ", r"\1: ", line)  # dagster._core...Failure: x -> Failure: x
