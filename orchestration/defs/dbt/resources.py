"""The dbt project and the CLI resource that runs it, built once (as in dagster-open-platform)."""

from __future__ import annotations

import os

from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings

# dbt reads the warehouse path from the environment (profiles.yml); give it the same file Dagster writes.
os.environ.setdefault("JIEDAO_DB", str(settings.db_path()))

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is re-parsed on load; `jiedao build` and the tests parse it explicitly.
dbt_project.prepare_if_dev()

dbt_resource = DbtCliResource(project_dir=dbt_project)
