"""Every dbt model, seed and test as Dagster assets and asset checks, run by one `dbt build`."""

from collections import Counter
from collections.abc import Generator
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import dbt_assets
from pydantic import Field

from orchestration import build_state, settings
from orchestration.defs.dbt.previews import mart_previews
from orchestration.defs.dbt.resources import dbt_project
from orchestration.defs.dbt.runner import run_dbt
from orchestration.defs.dbt.target import claim
from orchestration.defs.dbt.translator import JiedaoDbtTranslator
from orchestration.publish import WORK_DB_CONFIG
from orchestration.writer_lock import writer_lock

# The tally of dbt tests is recorded against the central fact table, where a reader looks first.
TEST_TALLY_ASSET = dg.AssetKey(["fct_metric_facts"])
# dbt's unit tests check model logic on fixed inputs: they run in `make test` (a plain `dbt build`), and
# a pipeline run skips them, as dbt advises for production; JIEDAO_DBT_UNIT_TESTS=1 runs them here too.
UNIT_TESTS_ENV = "JIEDAO_DBT_UNIT_TESTS"
# unique_id prefixes of dbt's data and unit tests (the other nodes are models, seeds, snapshots)
_TEST_PREFIXES = ("test.", "unit_test.")


def build_args() -> list[str]:
    if settings.env_flag(UNIT_TESTS_ENV):
        return ["build"]
    return ["build", "--exclude-resource-type", "unit_test"]


TRANSLATOR = JiedaoDbtTranslator()
# The asset that publishing materializes: a skipped dbt step says on its page why it did not run either.
PUBLISHED_ASSET = dg.AssetKey(["published_warehouse"])
# How a person forces a rebuild, quoted wherever a run says it skipped.
HOW_TO_FORCE = (
    "run config `ops: {jiedao_dbt_assets: {config: {force: true}}}` in the launchpad, "
    "or `jiedao build --force`"
)


class DbtBuildConfig(dg.Config):
    """Run config of the dbt step (the launchpad shows it under ops.jiedao_dbt_assets.config)."""

    force: bool = Field(
        default=False,
        description="Run dbt build and publish even when no input changed since the published build.",
    )


@dbt_assets(
    manifest=dbt_project.manifest_path, dagster_dbt_translator=TRANSLATOR, pool=settings.DUCKDB_WRITER_POOL
)
def jiedao_dbt_assets(context: dg.AssetExecutionContext, config: DbtBuildConfig):
    work = settings.work_db_path()
    with writer_lock(work):
        yield from _build(context, work, config.force)


def _build(context: dg.AssetExecutionContext, work: Path, force: bool):
    digest = build_state.current_digest(work, settings.DBT_PROJECT_DIR)
    whole = not context.is_subset  # a run of some models only was asked for: it always runs them
    published = build_state.published_record(settings.db_path())
    # A record without check results (written before they were kept) cannot vouch for the checks: rebuild.
    unchanged = published is not None and published.digest == digest and published.checks is not None
    if whole and unchanged and not force:
        yield from _skipped(context, published)
        return
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        build_state.forget(con)
    folder = claim(Path(dbt_project.project_dir))
    checks: list[build_state.CheckOutcome] = []
    events = run_dbt(context, build_args(), dbt_project, folder, TRANSLATOR)
    outcome = yield from _noting_checks(events, checks)
    if outcome.result is None:
        raise dg.Failure(f"dbt could not run: {outcome.exception}")
    # Not every dbt test maps to an asset check (tests on sources or on several models don't), so the
    # complete tally comes from dbt's own results.
    results = [(r.node.unique_id, str(r.status)) for r in outcome.result.results]
    tests = Counter(status for unique_id, status in results if unique_id.startswith(_TEST_PREFIXES))
    failed = [unique_id for unique_id, status in results if status in ("fail", "error")]
    models_failed = sum(1 for unique_id in failed if not unique_id.startswith(_TEST_PREFIXES))
    context.log.info(f"dbt tests: {dict(tests)}")
    if whole and outcome.success:
        with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
            # what this complete, passing build was made from, and what its checks said
            build_state.record(con, digest, context.run_id, checks)
    yield dg.AssetObservation(
        asset_key=TEST_TALLY_ASSET,
        metadata={
            "dbt_tests_passed": tests.get("pass", 0),
            "dbt_tests_failed": tests.get("fail", 0) + tests.get("error", 0),
            "dbt_tests_warned": tests.get("warn", 0),
            "dbt_models_failed": models_failed,
        },
    )
    if not outcome.success:
        raise dg.Failure(
            _failure_summary([r for r in outcome.result.results if r.node.unique_id in failed]),
            metadata={"failed_nodes": dg.MetadataValue.json(failed)},
        )
    # The attention and keyword marts show what they hold on their asset pages.
    yield from mart_previews(work)


def _noting_checks(
    events: Generator, sink: list[build_state.CheckOutcome]
) -> Generator[object, None, object]:
    """Pass dbt's events on, noting each asset check result in `sink`; return what `events` returns."""
    try:
        while True:
            try:
                event = next(events)
            except StopIteration as stop:
                return stop.value
            if isinstance(event, dg.AssetCheckResult) and event.asset_key and event.check_name:
                sink.append(
                    build_state.CheckOutcome(
                        tuple(event.asset_key.path), event.check_name, event.passed, event.severity.value
                    )
                )
            yield event
    finally:
        events.close()  # a step stopped early: let run_dbt wait for dbt before the writer lock goes


def _skipped(context: dg.AssetExecutionContext, published: build_state.BuildRecord):
    """A run on unchanged inputs: no dbt build and no publishing, and every asset it was asked for says why.

    The marts keep their last materialization (publishing, downstream, is skipped because dbt yields no
    output). Each dbt asset, and the published warehouse, gets an observation with the reason and the
    digest; each asset check gets the result it had in the build that made the published file, marked as
    not re-evaluated, rather than no result at all."""
    built_at = f"{published.built_at:%Y-%m-%d %H:%M:%S %Z}".strip()
    since = f"run {published.run_id} ({built_at})"
    reason = (
        f"inputs unchanged since {since}: raw tables, dbt project and versions digest {published.digest[:12]}"
    )
    context.log.info(f"dbt build and publishing skipped: {reason}; to rebuild anyway: {HOW_TO_FORCE}")
    metadata = {
        "dbt_build_skipped": reason,
        "inputs_digest": published.digest,
        "built_by_run": published.run_id or "",
        "built_at": built_at,
        "to_rebuild_anyway": HOW_TO_FORCE,
    }
    for key in sorted(context.selected_asset_keys, key=lambda key: key.to_user_string()):
        yield dg.AssetObservation(asset_key=key, metadata=metadata)
    yield dg.AssetObservation(asset_key=PUBLISHED_ASSET, metadata={**metadata, "publish_skipped": reason})
    last = {(outcome.asset_key, outcome.check_name): outcome for outcome in published.checks or ()}
    for check_key in sorted(context.selected_asset_check_keys, key=lambda key: key.to_user_string()):
        outcome = last.get((tuple(check_key.asset_key.path), check_key.name))
        if outcome is None:  # a check the published build did not evaluate: no result to carry
            continue
        said = "passed" if outcome.passed else "failed"
        yield dg.AssetCheckResult(
            asset_key=check_key.asset_key,
            check_name=check_key.name,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity(outcome.severity),
            description=f"not re-evaluated: inputs unchanged since {since}; last result {said}",
            metadata={"re_evaluated": False, "result_of_run": published.run_id or "", **metadata},
        )


_MAX_MESSAGE = 400


def _failure_summary(failed: list) -> str:
    """One line for the console (dbt's own log is not printed there): the first failed node's error, and
    where dbt's log holds the rest. `failed` holds dbt's results of the nodes that failed."""
    if not failed:  # dbt failed outside any node (its parse, a connection): its log says why
        return f"dbt build failed (see {settings.dbt_log_path()})"
    first = failed[0]
    message = " ".join((first.message or str(first.status)).split())  # dbt's messages span lines
    if len(message) > _MAX_MESSAGE:  # an SQL error may quote a whole statement
        message = message[:_MAX_MESSAGE] + "..."
    more = f"; {len(failed) - 1} more failed" if len(failed) > 1 else ""
    return f"dbt build failed: {first.node.name}: {message}{more} (see {settings.dbt_log_path()})"
