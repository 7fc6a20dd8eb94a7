"""Publish definitions: the BI-safe copy of the warehouse."""

import dagster as dg

from orchestration.defs.publish.assets import published_warehouse

defs = dg.Definitions(assets=[published_warehouse])
