"""The dbt project, built once (as in dagster-open-platform); runner.py runs dbt on it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration import settings
from orchestration.defs.dbt.manifest import prepare_manifest

# dagster-dbt runs `dbt parse` from PATH when it prepares the manifest: put the dbt installed beside this
# interpreter first, so it works from any shell that calls the venv's python directly.
_BIN_DIR = str(Path(sys.executable).parent)
if _BIN_DIR not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_BIN_DIR, os.environ.get("PATH", "")])

# dbt reads its file from the environment (profiles.yml): the working file that the ingest assets write.
os.environ["JIEDAO_BUILD_DB"] = str(settings.work_db_path())

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is refreshed on load when the project changed (prepare_if_dev, but
# without re-parsing an unchanged project in every run process); `jiedao build` prepares it explicitly.
if using_dagster_dev():
    prepare_manifest(dbt_project)
