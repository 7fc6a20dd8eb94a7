"""Goals and results stated in one breath (ingest/outcomes.py), on sentences of real reports: the forms
quoted in issue 13 from reports outside the project, and the corpus's own (corpus 032, 046, 091)."""

from __future__ import annotations

import pytest

from ingest.facts import extract_facts
from ingest.models import DocumentMetadata

REVIEW = DocumentMetadata(review_year=2023, plan_year=2024)


def _facts(sentence: str) -> list[tuple[str, str, str, float, int | None]]:
    text = "一、2023年工作回顾\n" + sentence + "\n二、2024年工作计划\n力争财政收入增长6%。\n"
    return [(f.kind, f.metric_raw, f.measure, f.value, f.year) for f in extract_facts(text, REVIEW)][:-1]


@pytest.mark.parametrize(
    ("sentence", "goal"),
    [
        ("引进优强企业21家(任务数18家)。", ("target", "优强企业", "level", 18.0, 2023)),
        ("上报到位资金36亿元(任务数34亿元)。", ("target", "上报到位资金", "level", 34.0, 2023)),
    ],
)
def test_bracketed_task_is_the_goal_of_the_measure_before(sentence: str, goal: tuple) -> None:
    actual, target = _facts(sentence)
    assert actual[0] == "actual" and actual[1] == goal[1]
    assert target == goal


def test_completion_of_task_gives_a_goal_and_an_actual_ratio() -> None:
    assert _facts("工业投资完成年度目标任务42亿元的92.36%。") == [
        ("target", "工业投资", "level", 42.0, 2023),
        ("actual", "工业投资", "ratio_pct", 92.36, 2023),
    ]
    assert _facts("引进项目9个,完成全年目标任务7家的114.29%。")[1:] == [
        ("target", "项目", "level", 7.0, 2023),
        ("actual", "项目", "ratio_pct", 114.29, 2023),
    ]


def test_completion_ratio_is_named_by_the_measure_before_wancheng() -> None:
    # corpus 032
    assert _facts("服务业投入完成年度目标的113%。") == [("actual", "服务业投入", "ratio_pct", 113.0, 2023)]


def test_stated_goal_then_result() -> None:
    assert _facts("技改投资目标5亿元,完成5.6亿元。") == [
        ("target", "技改投资", "level", 5.0, 2023),
        ("actual", "技改投资", "level", 5.6, 2023),
    ]


@pytest.mark.parametrize("sentence", ["完成协议投资额任务2.55亿元。", "完成烟叶生产任务603万公斤。"])
def test_a_task_done_is_an_actual(sentence: str) -> None:
    # corpus 046 and 091: 完成…任务N reports what was done
    assert [row[0] for row in _facts(sentence)] == ["actual"]


def test_ratio_of_the_budget_is_named_by_the_measure_reported() -> None:
    # corpus 122 (a budget report), the same form as 完成年度目标的113% (corpus 032)
    facts = _facts("政府性基金预算财政拨款收入完成4.5万元,为年初预算的100%。")
    assert facts[1] == ("actual", "政府性基金预算财政拨款收入", "ratio_pct", 100.0, 2023)


def test_table_row_gives_goal_and_result() -> None:
    # The table form of issue 13 (全区生产总值(亿元) 1000 1008.5 完成), as a .docx or a page table reads
    text = (
        "一、2023年主要指标完成情况\n指标 年度目标 完成 情况\n全区生产总值(亿元) 1000 1008.5 完成\n"
        "生产总值增速(%) 6.5 7.2 完成\n"
    )
    facts = [
        (f.kind, f.metric_raw, f.measure, f.value, f.unit_raw, f.year) for f in extract_facts(text, REVIEW)
    ]
    assert facts == [
        ("target", "全区生产总值", "level", 1000.0, "亿元", 2023),
        ("actual", "全区生产总值", "level", 1008.5, "亿元", 2023),
        ("target", "生产总值", "growth_pct", 6.5, "%", 2023),
        ("actual", "生产总值", "growth_pct", 7.2, "%", 2023),
    ]


def test_table_header_with_the_result_first_swaps_the_columns() -> None:
    text = "一、2023年工作回顾\n指标 完成值 目标值\n一般公共预算收入(万元) 4980 5200\n"
    facts = [(f.kind, f.value) for f in extract_facts(text, REVIEW)]
    assert facts == [("actual", 4980.0), ("target", 5200.0)]
