"""Every dbt model, seed and test as Dagster assets and asset checks, run by one `dbt build`."""

from collections import Counter

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration import settings
from orchestration.defs.dbt.resources import dbt_project
from orchestration.defs.dbt.translator import JiedaoDbtTranslator

# The tally of dbt tests is recorded against the central fact table, where a reader looks first.
TEST_TALLY_ASSET = dg.AssetKey(["fct_metric_facts"])


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=JiedaoDbtTranslator(),
    pool=settings.DUCKDB_WRITER_POOL,
)
def jiedao_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    yield from invocation.stream()
    # Not every dbt test maps to an asset check (tests on sources or on several models don't), so the
    # complete tally comes from dbt's own run_results.json.
    results = invocation.get_artifact("run_results.json")["results"]
    tests = Counter(r["status"] for r in results if r["unique_id"].startswith(("test.", "unit_test.")))
    failed = [r["unique_id"] for r in results if r["status"] in ("fail", "error")]
    context.log.info(f"dbt tests: {dict(tests)}")
    yield dg.AssetObservation(
        asset_key=TEST_TALLY_ASSET,
        metadata={
            "dbt_tests_passed": tests.get("pass", 0),
            "dbt_tests_failed": tests.get("fail", 0) + tests.get("error", 0),
            "dbt_tests_warned": tests.get("warn", 0),
        },
    )
    if not invocation.is_successful():
        raise dg.Failure("dbt build failed", metadata={"failed_nodes": dg.MetadataValue.json(failed)})
