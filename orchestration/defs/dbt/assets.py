"""Every dbt model, seed and test as Dagster assets and asset checks, run by one `dbt build`."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.resources import dbt_project
from orchestration.defs.dbt.translator import JiedaoDbtTranslator


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=JiedaoDbtTranslator())
def jiedao_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
