"""Jobs over the whole graph."""

import dagster as dg

build_warehouse_job = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Ingest the reports folder and rebuild every dbt model, with all tests.",
)

# One process for the whole run: a step process costs seconds of imports on small machines, and every
# writer to the DuckDB file must be the same process anyway.
defs = dg.Definitions(jobs=[build_warehouse_job], executor=dg.in_process_executor)
