"""dbt definitions: the models as assets, dbt tests as asset checks."""

import dagster as dg

from orchestration.defs.dbt.assets import jiedao_dbt_assets
from orchestration.defs.dbt.resources import dbt_resource

defs = dg.Definitions(assets=[jiedao_dbt_assets], resources={"dbt": dbt_resource})
