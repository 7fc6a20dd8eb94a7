"""Targets matched to outcomes, end to end: two reports of one sub-district written for the purpose (a plan
for 2023, then the review of 2023), through extraction, Dagster and dbt, to `main.targets_vs_actuals`.

tests/reports/targets/2023_plan.txt sets the 2023 targets; 2024_review.txt reports 2023 and sets one 2024
target. Each status of the mart is reached by a real statement, not by hand-made rows (the dbt unit tests
in dbt_project/ cover the rule's corners).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_jiedao

pytestmark = pytest.mark.slow

REPORTS = Path(__file__).resolve().parent / "reports" / "targets"


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str, str], tuple]:
    work = tmp_path_factory.mktemp("targets")
    db = work / "jiedao.duckdb"
    result = run_jiedao(
        "build", "--reports-dir", str(REPORTS), "--db", str(db), env={"DAGSTER_HOME": str(work / "dh")}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT t.year, f.metric_raw, t.measure, t.status, t.target_value, t.actual_value,"
            " t.completion_ratio, t.district"
            " FROM main.targets_vs_actuals t JOIN main.fct_metric_facts f ON f.fact_id = t.target_fact_id"
        ).fetchall()
    return {(year, metric, measure): rest for year, metric, measure, *rest in rows}


def _status(statuses, year: int, metric: str, measure: str) -> str:
    return statuses[(year, metric, measure)][0]


def test_growth_target_missed(statuses):
    # 财政收入增长8%以上 vs 增长7.5%
    assert _status(statuses, 2023, "财政收入", "growth_pct") == "missed"


def test_growth_target_met(statuses):
    # 限上服务业营业收入增长3%以上 vs 增长5.2%
    assert _status(statuses, 2023, "限上服务业营业收入", "growth_pct") == "met"


def test_less_is_better_target_met(statuses):
    # PM2.5年均值控制在28微克/立方米以内 vs 27
    assert _status(statuses, 2023, "PM2.5年均值", "level") == "met"
    assert _status(statuses, 2023, "空气质量优良率", "ratio_pct") == "met"


def test_partial_year_actual_is_not_comparable(statuses):
    # 固定资产投资完成5亿元 (year) vs 1-11月完成4.8亿元
    assert _status(statuses, 2023, "固定资产投资", "level") == "not_comparable"


def test_target_without_outcome_is_pending(statuses):
    assert _status(statuses, 2023, "口袋公园", "level") == "pending"
    assert _status(statuses, 2024, "财政收入", "growth_pct") == "pending"


@pytest.mark.parametrize(
    ("metric", "status"),
    [
        ("优强企业", "met"),  # 引进优强企业21家(任务数18家)
        ("上报到位资金", "met"),  # 上报到位资金36亿元(任务数34亿元)
        ("工业投资", "missed"),  # 完成年度目标任务42亿元的92.36%
        ("市场主体", "met"),  # 完成全年目标任务7家的114.29%
        ("技改投资", "met"),  # 技改投资目标5亿元,完成5.6亿元
        ("社会消费品零售总额", "met"),  # a table row: 社会消费品零售总额(亿元) 20 21.5 完成
    ],
)
def test_in_text_target_and_outcome(statuses, metric: str, status: str):
    # One report proves a goal met or missed when it states both (ingest/outcomes.py)
    assert _status(statuses, 2023, metric, "level") == status


def test_every_target_is_a_row_of_the_district(statuses):
    assert len(statuses) == 13
    assert {row[-1] for row in statuses.values()} == {"望湖街道"}
