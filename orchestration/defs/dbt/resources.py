"""The dbt project, built once (as in dagster-open-platform); runner.py runs dbt on it.

Nothing here changes the environment: dbt finds the file to build through a dbt var that runner.py passes
(profiles.yml), and the manifest is parsed with the dbt beside this interpreter (manifest.py).
"""

from __future__ import annotations

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration import settings
from orchestration.defs.dbt.manifest import prepare_manifest

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is refreshed on load when the project changed (prepare_if_dev, but
# without re-parsing an unchanged project in every run process); `jiedao build` prepares it explicitly.
if using_dagster_dev():
    prepare_manifest(dbt_project)
