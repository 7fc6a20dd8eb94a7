"""The dbt project, built for real on a scratch DuckDB of hand-written raw rows.

Two reports of one sub-district: the 2022 review with the 2023 plan (targets for 2023), and the 2023 review
(actuals for 2023, published a year later), plus a December 2023 interim report with 预计 and 1-11月
figures and a quarantined file. `dbt build` runs in a subprocess with JIEDAO_DB pointing at the scratch
file and its own target/log paths, so parallel runs don't collide and nothing is needed but a fresh clone.
The assertions look facts up by fact_id, never by metric_code, so the metric dictionary may grow freely.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"

RAW_DDL = """
create schema raw;
create table raw.documents (
    document_id varchar primary key, source_file varchar, content_sha256 varchar, size_bytes bigint,
    encoding varchar, status varchar, reason varchar, duplicate_of varchar, near_duplicate_of varchar,
    near_duplicate_similarity double, text_fingerprint varchar, text_signature bigint[],
    district varchar, district_norm varchar,
    district_level varchar, parent_unit varchar, published_on date, review_year integer, plan_year integer,
    title varchar, document_kind varchar, frame_evidence varchar,
    n_chars integer, n_facts integer, parser_version varchar, ingested_at timestamp
);
create table raw.facts (
    fact_id varchar primary key, document_id varchar, source_file varchar, kind varchar, year integer,
    period varchar, metric_raw varchar, metric_norm varchar, measure varchar, value double, unit_raw varchar,
    unit_norm varchar, comparator varchar, number_text varchar, char_start integer, char_end integer,
    sentence varchar, sentence_start integer, section varchar, tier integer
);
"""
# The word tables of issue 15 (orchestration/raw_terms.py), empty here: tests/test_attention_marts.py
# checks the marts built on them.
RAW_DDL += """
create table raw.document_sections (document_id varchar, section varchar, n_chars integer, n_words integer);
create table raw.document_terms (
    document_id varchar, section varchar, term varchar, pos varchar, is_noun boolean, n_mentions integer
);
create table raw.term_evidence (
    document_id varchar, section varchar, term varchar, char_start integer, sentence varchar
);
"""

# document_id | source_file | status | reason | district as written | parent | published_on | review | plan
DOCUMENTS_TABLE = """
plan23    | a.txt | parsed      |                   | 昌硕街道 | 安吉县       | 2023-02-24 | 2022 | 2023
interim23 | b.txt | parsed      |                   | 昌硕街道 | 安吉县       | 2023-12-20 | 2023 | 2024
review23  | c.txt | parsed      |                   | 昌碩街道 | 湖州市安吉县 | 2024-02-20 | 2023 | 2024
broken    | d.txt | quarantined | undecodable bytes |          |              |            |      |
"""

# fact_id|document_id|kind|year|period|metric|measure|value as written|unit|comparator|sentence
FACTS_TABLE = """
t_ge|plan23|target|2023|year|财政收入|growth_pct|8|%|>=|力争财政收入增长8%以上
t_le|plan23|target|2023|year|PM2.5平均浓度|level|28|微克/立方米|<=|PM2.5平均浓度控制在28微克/立方米以内
t_eq|plan23|target|2023|year|一般公共预算收入|growth_pct|6|%|=|一般公共预算收入增长6%
t_partial|plan23|target|2023|year|固定资产投资|level|10|亿元|>=|完成固定资产投资10亿元以上
t_pending|plan23|target|2023|year|新增市场主体测试项|level|500|户|>=|新增市场主体测试项500户以上
t_approx|plan23|target|2023|year|财政收入|level|13|亿元|~|财政收入达到13亿元左右
gdp22_first|plan23|actual|2022|year|地区生产总值|level|49.8|亿元|=|实现地区生产总值49.8亿元
fr23_estimate|interim23|actual|2023|year|财政收入|level|13.5|亿元|~|预计全年财政收入13.5亿元
fr23_jan_nov|interim23|actual|2023|ytd:1-11|财政收入|level|12.1|亿元|=|1-11月完成财政收入12.1亿元
fai23_jan_sep|interim23|actual|2023|ytd:1-9|固定资产投资|level|12|亿元|=|1-9月完成固定资产投资12亿元
fr23_final|review23|actual|2023|year|财政收入|level|12.8|亿元|=|全年完成财政收入12.8亿元,增长7.5%
fr23_growth|review23|actual|2023|year|财政收入|growth_pct|7.5|%|=|全年完成财政收入12.8亿元,增长7.5%
pm23|review23|actual|2023|year|PM2.5平均浓度|level|27|微克/立方米|=|PM2.5平均浓度27微克/立方米
gbr23|review23|actual|2023|year|一般公共预算收入|growth_pct|6.5|%|=|一般公共预算收入增长6.5%
t_done|review23|target|2023|year|税收收入|level|4.5|亿元|=|税收收入完成年计划4.5亿元的93.3%
done_pct|review23|actual|2023|year|税收收入|ratio_pct|93.3|%|=|税收收入完成年计划4.5亿元的93.3%
gdp22_restated|review23|actual|2022|year|地区生产总值|level|50.1|亿元|=|2022年地区生产总值核定为50.1亿元
typo150|review23|actual|2023|year|村级集体经营性收入|growth_pct|-150|%|=|村级集体经营性收入同比下降150%
"""
# Facts that fail a plausibility rule (int_facts_screened): in fct_quarantined_facts, in no other mart.
QUARANTINED = {"typo150": "growth below -100 %: nothing falls by more than all of it"}


def _table(text: str) -> list[list[str | None]]:
    return [[cell.strip() or None for cell in line.split("|")] for line in text.strip().splitlines()]


DOCUMENTS = _table(DOCUMENTS_TABLE)
FACTS = _table(FACTS_TABLE)


def _raw_rows():
    """Documents and facts as raw rows, with consistent offsets: each sentence at its own place."""
    simplified = {"昌碩街道": "昌硕街道"}
    documents = []
    for i, (doc_id, source_file, status, reason, district, parent, published, review, plan) in enumerate(
        DOCUMENTS
    ):
        n_facts = sum(1 for f in FACTS if f[1] == doc_id)
        encoding = "utf-8" if status == "parsed" else None
        level = "街道" if district else None
        published_on = dt.date.fromisoformat(published) if published else None
        years = [int(y) if y else None for y in (review, plan)]
        district_norm = simplified.get(district, district)
        ingested_at = dt.datetime(2024, 3, 1, 12, 0)
        duplicate_columns = [None, None, None, f"text{i}" if status == "parsed" else None, None]
        file_columns = [
            doc_id,
            source_file,
            f"sha{i}",
            1000 + i,
            encoding,
            status,
            reason,
            *duplicate_columns,
        ]
        unit_columns = [district, district_norm, level, parent, published_on, *years]
        frame_columns = ["annual_report" if status == "parsed" else None, None]
        documents.append(
            [*file_columns, *unit_columns, None, *frame_columns, 1000, n_facts, "test", ingested_at]
        )
    facts = []
    sentence_starts: dict[tuple[str, str], int] = {}
    for n, fact in enumerate(FACTS):
        fact_id, doc_id, kind, year, period, metric, measure, number, unit, comparator, sentence = fact
        start = sentence_starts.setdefault((doc_id, sentence), 100 * (n + 1))
        char_start = start + sentence.index(number.lstrip("-"))
        source_file = next(d[1] for d in DOCUMENTS if d[0] == doc_id)
        section = "plan" if kind == "target" else "review"
        what = [fact_id, doc_id, source_file, kind, int(year), period, metric, metric, measure]
        number_columns = [float(number), unit or "", unit or "", comparator, number]
        where = [char_start, char_start + len(number), sentence, start, section, 1]
        facts.append([*what, *number_columns, *where])
    return documents, facts


def _dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("dbt_project")
    db_path = tmp / "jiedao.duckdb"
    documents, facts = _raw_rows()
    with duckdb.connect(str(db_path)) as con:
        con.execute(RAW_DDL)
        con.executemany(f"insert into raw.documents values ({', '.join('?' * 26)})", documents)
        con.executemany(f"insert into raw.facts values ({', '.join('?' * 20)})", facts)

    env = {
        **os.environ,
        "JIEDAO_DB": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PARTIAL_PARSE": "false",
    }
    command = [
        _dbt_executable(),
        "build",
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--target-path",
        str(tmp / "target"),
        "--log-path",
        str(tmp / "logs"),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=tmp)
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"

    con = duckdb.connect(str(db_path), read_only=True)
    yield con
    con.close()


def _status(con, target_fact_id: str) -> dict:
    cursor = con.execute("select * from main.targets_vs_actuals where target_fact_id = ?", [target_fact_id])
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{target_fact_id}: {rows}"
    return dict(zip(names, rows[0], strict=True))


def test_marts_land_in_main_and_staging_in_staging(warehouse):
    tables = set(
        warehouse.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    )
    tables = {t[0] for t in tables}
    for mart in (
        "fct_metric_facts",
        "dim_documents",
        "district_year_metrics",
        "targets_vs_actuals",
        "dim_districts",
        "dim_metrics",
        "fct_quarantined_facts",
    ):
        assert f"main.{mart}" in tables
    assert {"staging.stg_raw__documents", "staging.stg_raw__facts"} <= tables


def test_every_fact_and_document_reaches_the_marts(warehouse):
    kept = len(FACTS) - len(QUARANTINED)
    assert warehouse.execute("select count(*) from main.fct_metric_facts").fetchone()[0] == kept
    assert warehouse.execute("select count(*) from main.dim_documents").fetchone()[0] == len(DOCUMENTS)
    assert warehouse.execute(
        "select status, reason from main.dim_documents where document_id = 'broken'"
    ).fetchone() == ("quarantined", "undecodable bytes")
    n_targets = sum(1 for f in FACTS if f[2] == "target")
    assert warehouse.execute("select count(*) from main.targets_vs_actuals").fetchone()[0] == n_targets


def test_an_implausible_fact_is_quarantined_and_the_build_passes(warehouse):
    """下降150% makes growth_pct -150: the build (which passed, see the fixture) keeps it out of the marts
    and lists it with the rule it fails; its document counts it."""
    quarantined = dict(warehouse.execute("select fact_id, reason from main.fct_quarantined_facts").fetchall())
    assert quarantined == QUARANTINED
    for mart, column in (("fct_metric_facts", "fact_id"), ("district_year_metrics", "fact_id")):
        found = warehouse.execute(f"select count(*) from main.{mart} where {column} = 'typo150'").fetchone()
        assert found == (0,), mart
    assert warehouse.execute(
        "select n_facts_loaded, n_facts_quarantined from main.dim_documents where document_id = 'review23'"
    ).fetchone() == (sum(1 for f in FACTS if f[1] == "review23"), 1)


@pytest.mark.parametrize(
    ("mart", "column", "bad_value"),
    [
        ("fct_metric_facts", "comparator", "'x'"),  # accepted values: a check constraint
        ("fct_metric_facts", "value", "null"),  # not null
        ("fct_metric_facts", "period_end_month", "13"),  # a range
        ("targets_vs_actuals", "status", "'pending'"),  # a rule across columns (on a row with an actual)
    ],
)
def test_the_marts_refuse_rows_their_contracts_forbid(warehouse, tmp_path, mart, column, bad_value):
    # Checks that a single row can fail are constraints of the mart's contract, enforced by DuckDB when dbt
    # fills the table: no query after the fact, and a violating build stops before anything is published.
    (built,) = warehouse.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    copy = tmp_path / "copy.duckdb"
    shutil.copy(built, copy)
    with duckdb.connect(str(copy)) as con:
        changed = (
            f"select * replace ({bad_value} as {column}) from main.{mart}"
            f" where {column} is distinct from {bad_value}"
        )
        assert con.execute(f"select count(*) from ({changed})").fetchone()[0] > 0
        with pytest.raises(duckdb.ConstraintException):
            con.execute(f"insert into main.{mart} {changed} limit 1")


def test_units_convert_to_base_units(warehouse):
    value_base, unit_base = warehouse.execute(
        "select value_base, unit_base from main.fct_metric_facts where fact_id = 'fr23_final'"
    ).fetchone()
    assert unit_base == "yuan"
    assert value_base == pytest.approx(1.28e9)


def test_district_dimension_takes_the_latest_parent(warehouse):
    rows = warehouse.execute("select district, parent_unit, n_documents from main.dim_districts").fetchall()
    assert rows == [("昌硕街道", "湖州市安吉县", 3)]


def test_status_missed_under_at_least(warehouse):
    row = _status(warehouse, "t_ge")  # >= 8 % growth, actual 7.5 %
    assert (row["status"], row["actual_fact_id"]) == ("missed", "fr23_growth")
    assert row["gap"] == pytest.approx(-0.5)


def test_status_met_under_at_most(warehouse):
    row = _status(warehouse, "t_le")  # <= 28 µg/m³, actual 27
    assert (row["status"], row["actual_fact_id"]) == ("met", "pm23")


def test_status_met_for_a_plain_target_reached(warehouse):
    row = _status(warehouse, "t_eq")  # growth 6 %, actual 6.5 %
    assert (row["status"], row["actual_fact_id"]) == ("met", "gbr23")


def test_status_met_for_an_approximate_target_within_tolerance(warehouse):
    # ~13 亿元; the final 12.8 (not the later-published interim 预计 13.5) answers, within 5 %
    row = _status(warehouse, "t_approx")
    assert (row["status"], row["actual_fact_id"]) == ("met", "fr23_final")
    assert row["completion_ratio"] == pytest.approx(12.8 / 13)


def test_status_not_comparable_for_a_partial_year_actual(warehouse):
    row = _status(warehouse, "t_partial")  # full-year level target, only a 1-9月 actual
    assert (row["status"], row["actual_fact_id"]) == ("not_comparable", "fai23_jan_sep")
    assert row["gap"] is None


def test_status_pending_without_an_actual(warehouse):
    row = _status(warehouse, "t_pending")
    assert row["status"] == "pending"
    assert row["actual_fact_id"] is None


def test_status_from_the_same_sentence_completion(warehouse):
    row = _status(warehouse, "t_done")  # 完成年计划4.5亿元的93.3%
    assert (row["status"], row["actual_fact_id"], row["match_method"]) == (
        "missed",
        "done_pct",
        "same_sentence_completion",
    )
    assert row["completion_ratio"] == pytest.approx(0.933)
    assert row["actual_value"] == pytest.approx(4.5e8 * 0.933)


def _dym(con, fact_id: str) -> dict:
    cursor = con.execute("select * from main.district_year_metrics where fact_id = ?", [fact_id])
    names = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{fact_id}: {rows}"
    return dict(zip(names, rows[0], strict=True))


def test_disagreement_final_beats_a_later_estimate(warehouse):
    row = _dym(warehouse, "fr23_final")
    assert (row["n_statements"], row["n_reports"], row["has_disagreement"]) == (2, 2, True)
    assert row["is_preferred"] and row["period"] == "year"
    assert row["value_base"] == pytest.approx(1.28e9)
    estimate_kept = warehouse.execute(
        "select count(*) from main.district_year_metrics where fact_id = 'fr23_estimate'"
    ).fetchone()[0]
    assert estimate_kept == 0
    # the estimate stays visible in the fact table
    assert warehouse.execute(
        "select is_chosen from main.fct_metric_facts where fact_id = 'fr23_estimate'"
    ).fetchone() == (False,)


def test_disagreement_full_year_preferred_over_partial(warehouse):
    partial = _dym(warehouse, "fr23_jan_nov")
    assert partial["period"] == "ytd:1-11"
    assert partial["is_preferred"] is False
    # with only a partial year, the partial figure is the preferred one
    assert _dym(warehouse, "fai23_jan_sep")["is_preferred"] is True


def test_disagreement_later_report_wins(warehouse):
    row = _dym(warehouse, "gdp22_restated")
    assert (row["year"], row["n_statements"]) == (2022, 2)
    assert row["value_base"] == pytest.approx(50.1e8)
    assert (
        warehouse.execute(
            "select count(*) from main.district_year_metrics where fact_id = 'gdp22_first'"
        ).fetchone()[0]
        == 0
    )


def test_marts_say_whether_a_metric_is_canonical_with_the_dictionarys_tier_and_category(warehouse):
    """metric_source separates canonical metrics from phrases as written; tier and category are the
    dictionary's, resolved by the rule the extractor uses too (ingest.metrics.lookup_metric)."""
    from ingest.metrics import lookup_metric

    rows = warehouse.execute(
        """
        select m.fact_id, f.metric_norm, m.metric_code, m.metric_name, m.metric_source, m.metric_tier,
               m.metric_category
        from main.district_year_metrics as m inner join main.fct_metric_facts as f using (fact_id)
        union all
        select t.target_fact_id, f.metric_norm, t.metric_code, t.metric_name, t.metric_source, t.metric_tier,
               t.metric_category
        from main.targets_vs_actuals as t
        inner join main.fct_metric_facts as f on t.target_fact_id = f.fact_id
        """
    ).fetchall()
    sources = set()
    for fact_id, norm, code, name, source, tier, category in rows:
        entry = lookup_metric(norm)
        if entry is None:
            expected = (None, norm, "as_written", 2, None)
        else:
            expected = (entry.code, entry.name_zh, "dictionary", entry.tier, entry.category)
        assert (code, name, source, tier, category) == expected, fact_id
        sources.add(source)
    assert sources == {"dictionary", "as_written"}


def test_marts_carry_their_yaml_descriptions_as_comments(warehouse):
    """persist_docs: what a SQL client shows for a mart is what its YAML says."""
    import yaml

    for path in sorted((DBT_PROJECT / "models" / "marts").glob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            (comment,) = warehouse.execute(
                "select comment from duckdb_tables() where schema_name = 'main' and table_name = ?",
                [model["name"]],
            ).fetchone()
            assert comment and comment.strip() == model["description"].strip(), model["name"]
            columns = dict(
                warehouse.execute(
                    "select column_name, comment from duckdb_columns()"
                    " where schema_name = 'main' and table_name = ?",
                    [model["name"]],
                ).fetchall()
            )
            for column in model["columns"]:
                comment = (columns[column["name"]] or "").strip()
                assert comment == column["description"].strip(), (model["name"], column["name"])
