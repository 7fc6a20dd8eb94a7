"""The dbt project and the CLI resource that runs it, built once (as in dagster-open-platform)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings

# dagster-dbt runs `dbt` from PATH (also when it parses the manifest): put the dbt installed beside this
# interpreter first, so a run works from any shell that calls the venv's python directly.
_BIN_DIR = str(Path(sys.executable).parent)
if _BIN_DIR not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_BIN_DIR, os.environ.get("PATH", "")])

# dbt reads its file from the environment (profiles.yml): the working file that the ingest assets write.
os.environ["JIEDAO_BUILD_DB"] = str(settings.work_db_path())

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is re-parsed on load; `jiedao build` and the tests parse it explicitly.
dbt_project.prepare_if_dev()

dbt_resource = DbtCliResource(project_dir=dbt_project)
