"""The published warehouse: what BI tools open, replaced atomically once every dbt test has passed."""

import dagster as dg
import duckdb

from orchestration import build_state, settings
from orchestration.publish import MART_TABLES, WORK_DB_CONFIG, publish


@dg.asset(
    key=["published_warehouse"],
    deps=[dg.AssetKey([name]) for name in MART_TABLES],
    group_name="publish",
    pool=settings.DUCKDB_WRITER_POOL,
    kinds={"duckdb", "parquet"},
    owners=["team:jiedao"],
    description="The read-only copy BI tools open (DuckDB readable by 1.4 clients), and Parquet exports of "
    "the marts. Runs only after the dbt build and all its tests succeeded.",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    work = settings.work_db_path()
    digest = build_state.current_digest(work, settings.DBT_PROJECT_DIR)
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        build_state.record(con, digest)  # lets the next run on the same inputs skip dbt and publishing
    result = publish(work, settings.db_path())
    context.log.info(f"published {result.path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "parquet_dir": dg.MetadataValue.path(str(result.parquet_dir)),
            **{f"rows_{name}": count for name, count in result.tables.items()},
        }
    )
