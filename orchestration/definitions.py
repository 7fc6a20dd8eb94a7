"""The code location: one Definitions object merged from the tool folders under `defs/`."""

import dagster as dg

from orchestration.defs import jobs
from orchestration.defs.automation import definitions as automation_definitions
from orchestration.defs.dbt import definitions as dbt_definitions
from orchestration.defs.ingest import definitions as ingest_definitions
from orchestration.defs.publish import definitions as publish_definitions

defs = dg.Definitions.merge(
    ingest_definitions.defs,
    dbt_definitions.defs,
    publish_definitions.defs,
    automation_definitions.defs,
    jobs.defs,
)
