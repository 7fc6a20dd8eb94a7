"""The published warehouse: what BI tools open, replaced atomically once every dbt test has passed."""

import dagster as dg

from orchestration import settings
from orchestration.publish import MART_TABLES, publish
from orchestration.writer_lock import writer_lock


@dg.asset(
    key=["published_warehouse"],
    deps=[dg.AssetKey([name]) for name in MART_TABLES],
    group_name="publish",
    pool=settings.DUCKDB_WRITER_POOL,
    kinds={"duckdb", "parquet"},
    owners=["team:jiedao"],
    description="The file BI tools open read-only (DuckDB readable by 1.4 clients): the marts, described by "
    "table and column comments, the build record and the theme lexicon; and Parquet exports of the marts. "
    "Runs only after the dbt build and all its tests succeeded.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with writer_lock(settings.work_db_path()):
        result = publish(settings.work_db_path(), settings.db_path())
    context.log.info(f"published {result.path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "parquet_dir": dg.MetadataValue.path(str(result.parquet_dir)),
            **{f"rows_{name}": count for name, count in result.tables.items()},
        }
    )
