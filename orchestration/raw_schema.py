"""What the raw tables of both writers (raw_tables: documents and facts; raw_terms: the word tables) share:
the DuckDB type of each polars type, and the columns a raw table has now."""

from __future__ import annotations

import duckdb
import polars as pl

DUCKDB_TYPES = {
    pl.String(): "VARCHAR",
    pl.Int64(): "BIGINT",
    pl.Int32(): "INTEGER",
    pl.Float64(): "DOUBLE",
    pl.Boolean(): "BOOLEAN",
    pl.Date(): "DATE",
    pl.Datetime("us"): "TIMESTAMP",
    pl.List(pl.Int64()): "BIGINT[]",
}


def raw_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The columns of raw.<table> in order ([] when it does not exist)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in rows]
