"""Ingest definitions: the raw report assets (with their checks) and their resources."""

import dagster as dg

from orchestration.defs.ingest.assets import raw_reports
from orchestration.defs.ingest.resources import ingest_resources

defs = dg.Definitions(assets=[raw_reports], resources=ingest_resources())
