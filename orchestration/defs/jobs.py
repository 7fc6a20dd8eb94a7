"""Jobs over the whole graph, and the executor that runs their steps."""

import os

import dagster as dg

build_warehouse_job = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Ingest the reports folder, rebuild every dbt model with its data tests, publish; dbt and "
    "publishing are skipped when no input changed since the published build.",
)

# JIEDAO_EXECUTOR picks how steps run. The default runs the whole run in one process: a step process
# costs ~6 s of imports on these machines (measured: benchmarks/README.md), the steps form a chain that
# cannot overlap, and every writer to the DuckDB file is then the same process. `multiprocess` (one
# process per step) is the shape that moves to the k8s / celery / docker executors (docs/scaling.md).
EXECUTORS = {"in_process": dg.in_process_executor, "multiprocess": dg.multiprocess_executor}
EXECUTOR_ENV = "JIEDAO_EXECUTOR"


def executor_name() -> str:
    name = os.environ.get(EXECUTOR_ENV) or "in_process"
    if name not in EXECUTORS:
        raise ValueError(f"{EXECUTOR_ENV}={name!r}: expected one of {', '.join(EXECUTORS)}")
    return name


defs = dg.Definitions(jobs=[build_warehouse_job], executor=EXECUTORS[executor_name()])
