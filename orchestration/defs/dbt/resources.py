"""The dbt project and the CLI resource that runs it, built once (as in dagster-open-platform)."""

from __future__ import annotations

import os
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.dbt_project import using_dagster_dev
from packaging.version import Version

from orchestration import settings
from orchestration.defs.dbt.manifest import prepare_manifest

# dagster-dbt runs `dbt` from PATH (also when it parses the manifest): put the dbt installed beside this
# interpreter first, so a run works from any shell that calls the venv's python directly.
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


class JiedaoDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, minus 8 s of set-up in every dbt step that this project does not use.

    Before it starts `dbt`, dagster-dbt runs `dbt --version` in a subprocess (5 s of imports on these
    machines) to tell dbt Core from the dbt Fusion engine, and builds a dbt adapter in this process
    (2.8 s) that serves only `fetch_column_metadata` / `fetch_row_counts`. The `dbt` it runs is the one
    installed beside this interpreter (PATH, above), so the installed dbt-core package tells its version;
    and the row counts of the marts are recorded by the publish step, so no adapter is needed.
    """

    @cached_property
    def _cli_version(self) -> Version:  # a private hook of DbtCliResource
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: list[str]) -> None:  # a private hook of DbtCliResource
        return None


# The dbt beside this interpreter, by path: another `dbt` earlier on PATH (another venv, dbt Fusion) must
# not run, since the version above and the build digest name this one.
dbt_resource = JiedaoDbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(_BIN_DIR) / "dbt"))
