"""Resources of the ingest side: where reports come from, and the warehouse they go to."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration import settings
from orchestration.publish import WORK_DB_CONFIG


class ReportsFolder(dg.ConfigurableResource):
    """The inbox: every file below this folder is a report to ingest."""

    path: str

    def root(self) -> Path:
        return Path(self.path).resolve()


def ingest_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "reports_folder": ReportsFolder(path=str(settings.reports_dir())),
        # The first writer creates the working file, in the format the published copy must have.
        "duckdb": DuckDBResource(database=str(settings.work_db_path()), connection_config=WORK_DB_CONFIG),
    }
