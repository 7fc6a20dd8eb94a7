"""The code location: one Definitions object merged from the tool folders under `defs/`."""

import dagster as dg

from orchestration.defs import dbt, ingest, jobs

defs = dg.Definitions.merge(ingest.defs, dbt.defs, jobs.defs)
