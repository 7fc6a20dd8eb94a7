"""refresh_raw_tables around the parse: the DuckDB connection it is lent comes back as it was."""

from __future__ import annotations

import duckdb
import pytest

from ingest.batch import parse_with_limit
from orchestration.refresh import refresh_raw_tables
from tests.conftest import copy_seeds


@pytest.fixture()
def reports(tmp_path):
    return copy_seeds(tmp_path / "reports")


def _settings(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    query = "SELECT current_setting('threads'), current_setting('checkpoint_threshold')"
    return con.execute(query).fetchone()


def test_the_load_runs_with_its_duckdb_settings_and_gives_them_back(tmp_path, reports):
    seen: list[tuple[str, str]] = []

    def parse_files(paths):
        for path in paths:
            seen.append(_settings(con))  # while the documents are parsed and written
            yield parse_with_limit(path)

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("SET threads = 3")
        before = _settings(con)
        result = refresh_raw_tables(con, reports, parse_files=parse_files)
        assert result.parsed == 2
        assert seen == [(1, "122.0 MiB")] * 2  # one thread, a checkpoint every 128 MB (122 MiB) of log
        assert _settings(con) == before == (3, "16.0 MiB")


def test_a_failed_parse_gives_the_setting_back_and_keeps_the_documents_written_before(tmp_path, reports):
    def parse_files(paths):
        yield parse_with_limit(paths[0])
        raise RuntimeError("the parse broke")

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        before = _settings(con)
        with pytest.raises(RuntimeError, match="the parse broke"):
            refresh_raw_tables(con, reports, parse_files=parse_files)
        assert _settings(con) == before
        # the batch in progress was never committed: no half-written document, nor one of its facts
        assert con.execute("SELECT count(*) FROM raw.documents").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM raw.facts").fetchone() == (0,)
        # and the next refresh picks every file up
        assert (
            refresh_raw_tables(con, reports, parse_files=lambda paths: map(parse_with_limit, paths)).parsed
            == 2
        )
