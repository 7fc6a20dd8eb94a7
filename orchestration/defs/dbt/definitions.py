"""dbt definitions: the models as assets, dbt tests as asset checks (dbt runs in the step: runner.py)."""

import dagster as dg

from orchestration.defs.dbt.assets import jiedao_dbt_assets

defs = dg.Definitions(assets=[jiedao_dbt_assets])
