"""The raw word tables (orchestration/raw_terms.py) on a real DuckDB file: filled by the refresh with the
documents, deleted with them, and rebuilt whenever their layout or raw.documents' changes."""

from __future__ import annotations

import duckdb
import pytest

from orchestration import raw_tables, raw_terms
from orchestration.refresh import refresh_raw_tables
from tests.conftest import copy_seeds

TABLES = list(raw_terms.TABLES)


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in ["documents", *TABLES]}


@pytest.fixture()
def refreshed(tmp_path):
    reports = copy_seeds(tmp_path / "reports")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    refresh_raw_tables(con, reports, parse_files=lambda paths: map(_parse, paths))
    yield con, reports
    con.close()


def _parse(path):
    from ingest.batch import parse_with_limit

    return parse_with_limit(path)


def test_the_refresh_writes_every_table_and_deletes_with_the_document(refreshed):
    con, reports = refreshed
    counts = _counts(con)
    assert counts["documents"] == 2 and all(counts[t] > 0 for t in TABLES), counts
    # each parsed document has its sections, and the noun flag follows ingest.terms
    assert con.execute("select count(distinct document_id) from raw.document_sections").fetchone() == (2,)
    assert con.execute(
        "select bool_and(not is_noun) from raw.document_terms where term = '推进'"
    ).fetchone() == (True,)
    first = sorted(reports.iterdir())[0]
    first.unlink()
    refresh_raw_tables(con, reports, parse_files=lambda paths: map(_parse, paths))
    (doc_ids,) = con.execute("select list(distinct document_id) from raw.document_terms").fetchone()
    assert len(doc_ids) == 1
    assert _counts(con)["documents"] == 1


def test_a_new_layout_of_raw_documents_leaves_no_orphan_words(refreshed):
    con, _ = refreshed
    con.execute("alter table raw.documents add column something_new varchar")  # another layout
    raw_tables.ensure_raw_tables(con)
    assert _counts(con) == dict.fromkeys(["documents", *TABLES], 0)


def test_a_new_layout_of_a_word_table_parses_everything_again(refreshed):
    con, reports = refreshed
    con.execute("alter table raw.term_evidence drop column char_start")
    raw_tables.ensure_raw_tables(con)
    assert _counts(con) == dict.fromkeys(["documents", *TABLES], 0)
    refresh_raw_tables(con, reports, parse_files=lambda paths: map(_parse, paths))
    assert _counts(con)["documents"] == 2 and _counts(con)["term_evidence"] > 0
