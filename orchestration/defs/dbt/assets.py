"""Every dbt model, seed and test as Dagster assets and asset checks, run by one `dbt build`."""

from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import dbt_assets

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


@dbt_assets(
    manifest=dbt_project.manifest_path, dagster_dbt_translator=TRANSLATOR, pool=settings.DUCKDB_WRITER_POOL
)
def jiedao_dbt_assets(context: dg.AssetExecutionContext):
    work = settings.work_db_path()
    with writer_lock(work):
        yield from _build(context, work)


def _build(context: dg.AssetExecutionContext, work: Path):
    digest = build_state.current_digest(work, settings.DBT_PROJECT_DIR)
    whole = not context.is_subset  # a run of some models only was asked for: it always runs them
    unchanged = digest == build_state.published_digest(settings.db_path())
    if whole and unchanged and not build_state.force_rebuild():
        # No output: the marts keep their last materialization, and publishing (downstream) is skipped.
        context.log.info(
            "raw tables, dbt project and versions are those of the published build: dbt build skipped "
            f"(set {build_state.FORCE_ENV}=1 or run `jiedao build --force` to rebuild anyway)"
        )
        yield dg.AssetObservation(asset_key=TEST_TALLY_ASSET, metadata={"dbt_build_skipped": True})
        return
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        build_state.forget(con)
    folder = claim(Path(dbt_project.project_dir))
    outcome = yield from run_dbt(context, build_args(), dbt_project, folder, TRANSLATOR)
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
            build_state.record(con, digest)  # what this complete, passing build was made from
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
