"""district_year_attention and district_year_keywords on the seeds, built for real (the session's Dagster run
and dbt build of tests/conftest.py): the issue's "done" on every unit-year, grain, ranges, the previews."""

from __future__ import annotations

import duckdb
import pytest

from ingest.normalize import matching_view
from tests.conftest import working_file

# Words of every work report, none of which may be a unit's keyword.
GENERIC = {
    "推进",
    "建设",
    "提升",
    "街道",
    "工作",
    "发展",
    "全面",
    "重点",
    "高质量",
    "群众",
    "社区",
    "项目",
    "服务",
}


@pytest.fixture(scope="module")
def con(seeds_warehouse):
    db, _ = seeds_warehouse
    connection = duckdb.connect(str(db), read_only=True)
    # the raw word tables the marts are checked against stay in the working file (not published)
    connection.execute(f"ATTACH '{working_file(db)}' AS work (READ_ONLY)")
    yield connection
    connection.close()


def _documents(con) -> list[tuple[str, str, int, int]]:
    return con.execute(
        "select document_id, district, review_year, plan_year from main.dim_documents where status = 'parsed'"
    ).fetchall()


def test_the_build_reports_both_marts(seeds_warehouse):
    _, result = seeds_warehouse
    assert "district_year_attention" in result.stdout and "district_year_keywords" in result.stdout


def test_every_unit_year_has_an_environment_row(con):
    documents = _documents(con)
    assert len(documents) == 5
    for document_id, district, review_year, plan_year in documents:
        rows = dict(
            con.execute(
                "select section, year from main.district_year_attention"
                " where document_id = ? and theme = 'environment'",
                [document_id],
            ).fetchall()
        )
        assert rows["document"] == (review_year or plan_year), district
        # each part the report has, with its own year (陶堰街道's seed is a plan only)
        parts = {
            section
            for (section,) in con.execute(
                "select section from work.raw.document_sections"
                " where document_id = ? and section <> 'unknown'",
                [document_id],
            ).fetchall()
        }
        assert parts, district
        years = {"review": review_year, "plan": plan_year}
        assert {section: rows[section] for section in parts} == {section: years[section] for section in parts}


def test_attention_grain_and_ranges(con):
    (n_rows, n_keys, n_themes, bad_share, bad_rate) = con.execute(
        "select count(*), count(distinct (document_id, section, theme)), count(distinct theme),"
        " count(*) filter (where share_of_words not between 0 and 1),"
        " count(*) filter (where per_10k_chars < 0 or n_terms > n_words)"
        " from main.district_year_attention"
    ).fetchone()
    assert n_rows == n_keys and n_themes == 10
    assert bad_share == 0 and bad_rate == 0
    # every section of every document carries every theme, mentioned or not
    (per_section,) = con.execute(
        "select distinct count(*) from main.district_year_attention group by document_id, section"
    ).fetchall()
    assert per_section == (10,)
    # and the environment is mentioned somewhere in every report
    assert con.execute(
        "select min(n_terms) from main.district_year_attention"
        " where section = 'document' and theme = 'environment'"
    ).fetchone() >= (1,)


def test_shares_agree_with_the_raw_counts(con):
    # n_words of a section is the one ingest counted; the whole report adds up its sections
    mismatched = con.execute(
        """
        select a.document_id, a.section
        from main.district_year_attention a
        join (
            select document_id, section, n_words from work.raw.document_sections
            union all
            select document_id, 'document', sum(n_words) from work.raw.document_sections group by document_id
        ) s on a.document_id = s.document_id and a.section = s.section
        where a.n_words <> s.n_words or abs(a.share_of_words - a.n_terms / a.n_words) > 1e-12
        """
    ).fetchall()
    assert mismatched == []


def test_ten_keywords_per_report_none_generic_none_the_units_name(con):
    for document_id, district, _, _ in _documents(con):
        rows = con.execute(
            "select keyword_rank, keyword, evidence_sentence, score, idf from main.district_year_keywords"
            " where document_id = ? order by keyword_rank",
            [document_id],
        ).fetchall()
        assert [rank for rank, *_ in rows] == list(range(1, 11)), district
        stem = district.removesuffix("街道")
        for _, keyword, evidence, score, idf in rows:
            assert keyword not in GENERIC, (district, keyword)
            assert keyword not in district and stem not in keyword, (district, keyword)
            assert keyword in matching_view(evidence), (keyword, evidence)  # quoted from its report
            assert score >= 0 and idf >= 0
        scores = [score for *_, score, _ in rows]
        assert scores == sorted(scores, reverse=True)


def test_keyword_evidence_comes_from_its_own_report(con):
    # the first sentence of the same document that holds the word, whichever section it is in
    (mismatched,) = con.execute(
        "select count(*) from main.district_year_keywords k"
        " left join ("
        "   select document_id, term, arg_min(sentence, char_start) as first_sentence"
        "   from work.raw.term_evidence group by document_id, term"
        " ) e on k.document_id = e.document_id and k.keyword = e.term"
        " where e.first_sentence is distinct from k.evidence_sentence"
    ).fetchone()
    assert mismatched == 0


def test_attention_quotes_a_sentence_of_the_part_it_measures(con):
    rows = con.execute(
        "select a.section, a.terms_found, a.example_sentence from main.district_year_attention a"
        " where a.example_sentence is not null"
    ).fetchall()
    assert len(rows) >= 20
    for section, terms_found, sentence in rows:
        assert terms_found is not None, (section, sentence)  # a theme with a quote has words counted
        words = [item.split("×")[0] for item in terms_found.split("、")]
        assert any(word in matching_view(sentence) for word in words), (terms_found, sentence)


def test_a_word_every_report_uses_has_no_weight(con):
    # the IDF comes from the warehouse: a noun all five reports use scores 0 wherever it stands
    rows = con.execute(
        "select term, count(distinct document_id) from work.raw.document_terms where is_noun"
        " group by term having count(distinct document_id) = 5"
    ).fetchall()
    assert rows, "some noun is in every report"
    (n_scored,) = con.execute(
        "select count(*) from main.district_year_keywords where n_documents_with_keyword = 5 and score > 0"
    ).fetchone()
    assert n_scored == 0


def test_the_asset_pages_show_a_preview(seeds_warehouse):
    import dagster as dg

    db, _ = seeds_warehouse
    instance = dg.DagsterInstance.from_config(str(db.parent.parent / "dagster"))  # conftest.seeds_warehouse
    previews = {}
    for mart in ("district_year_attention", "district_year_keywords"):
        records = instance.fetch_observations(dg.AssetKey([mart]), limit=1).records
        assert records, mart
        previews[mart] = next(iter(records[0].asset_observation.metadata.values())).value
    assert previews["district_year_attention"].startswith("| district | year | section | theme |")
    assert "昌硕街道" in previews["district_year_keywords"]
