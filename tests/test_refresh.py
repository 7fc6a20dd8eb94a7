"""refresh_raw_tables around the parse: the DuckDB connection it is lent comes back as it was."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from ingest.batch import parse_with_limit
from orchestration.refresh import refresh_raw_tables
from tests.conftest import SEEDS_DIR


@pytest.fixture()
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(SEEDS_DIR.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    return folder


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT current_setting('threads')").fetchone()[0])


def test_the_load_runs_duckdb_on_one_thread_and_gives_the_setting_back(tmp_path, reports):
    seen: list[int] = []

    def parse_files(paths):
        for path in paths:
            seen.append(_threads(con))  # while the documents are parsed and written
            yield parse_with_limit(path)

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("SET threads = 3")
        result = refresh_raw_tables(con, reports, parse_files=parse_files)
        assert result.parsed == 2
        assert seen == [1, 1]
        assert _threads(con) == 3


def test_a_failed_parse_gives_the_setting_back_and_keeps_the_documents_written_before(tmp_path, reports):
    def parse_files(paths):
        yield parse_with_limit(paths[0])
        raise RuntimeError("the parse broke")

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("SET threads = 3")
        with pytest.raises(RuntimeError, match="the parse broke"):
            refresh_raw_tables(con, reports, parse_files=parse_files)
        assert _threads(con) == 3
        # the batch in progress was never committed: no half-written document, nor one of its facts
        assert con.execute("SELECT count(*) FROM raw.documents").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM raw.facts").fetchone() == (0,)
        # and the next refresh picks every file up
        assert (
            refresh_raw_tables(con, reports, parse_files=lambda paths: map(parse_with_limit, paths)).parsed
            == 2
        )
