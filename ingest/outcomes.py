"""Targets and outcomes stated in one breath: the only way a single report proves a goal met or missed.

- bracketed_task: 引进优强企业21家(任务数18家), 上报到位资金36亿元(任务数34亿元): the bracketed number is the
  goal of the measure just reported;
- completion_of_task: 完成全年目标任务7家的114.29%, 完成年度目标任务42亿元的92.36%, 完成全年任务(8亿元)
  进度的95%: the amount is the goal, the percentage an actual ratio of it;
  为年初预算的135.18% is the same ratio of a budget;
- table_row: 全区生产总值(亿元) 1000 1008.5 完成, a goal and a result in two columns;
- stated_goal_then_result: 固定资产投资目标5亿元,完成5.6亿元: the goal carries the name, the result shares it.

A goal takes the year of the statement (the year under review), not the plan year: it is the goal the
result is measured against. `targets_vs_actuals` pairs them (same metric and year, or same sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.rules import enabled, rule

BRACKETED_TASK = rule("outcomes.bracketed_task", "(任务数18家) after a result is the goal of that measure")
COMPLETION_OF_TASK = rule(
    "outcomes.completion_of_task", "完成目标任务X的Y% / 为年初预算的Y%: X a goal, Y an actual ratio of it"
)
STATED_GOAL = rule("outcomes.stated_goal_then_result", "X目标A,完成B: the goal word is no part of the name")

_GOAL_WORD = r"(?:目标任务|任务数|目标数|目标值|计划数|目标|任务|计划)"
_BRACKETED_GOAL_RE = re.compile(rf"[(（]\s*(?:全年|年度|年)?{_GOAL_WORD}\s*[:：为是]?\s*$")
_COMPLETION_LEAD_RE = re.compile(
    rf"完成(?:了)?(?:全年|年度|年初|全年度)?(?:下达的|确定的)?(?:各项)?{_GOAL_WORD}(?:任务)?\s*[(（]?\s*$"
)
_COMPLETION_TAIL_RE = re.compile(r"\s*[)）]?\s*(?:进度)?的\s*[\d.]+\s*[%％]")
# 的95% after a goal amount (目标任务7家的, 全年任务(8亿元)进度的) or right after the goal words.
_RATIO_OF_GOAL_RE = re.compile(
    rf"(?:{_GOAL_WORD}|预算)(?:任务)?\s*(?:[(（]?\s*[\d.]+\s*[^\d,，。;；、]{{0,4}}?\s*[)）]?)?\s*(?:进度)?的\s*$"
)
# 固定资产投资目标5亿元 names a goal; 完成烟叶生产任务603万公斤 reports a task done, so bare 任务 is no cue.
_GOAL_NAME_TAIL_RE = re.compile(
    r"(?:全年|年度)?(?:目标任务|任务数|目标数|目标值|计划数|目标)\s*(?:为|是|:|：)?\s*$"
)


@dataclass(frozen=True, slots=True)
class Role:
    kind: str  # target or actual
    # The measure is named before 完成 (财政收入完成年度目标任务42亿元的92%) when `names_before` is set;
    # else, with `names_previous`, by the measure just named in the sentence.
    names_previous: bool
    names_before: int | None = None


_WINDOW = 30  # characters before a number where a statement's goal words stand


def role_in_statement(view: str, clause_lo: int, num_lo: int, span_end: int, measure: str) -> Role | None:
    """The kind a number takes from a goal-and-result statement around it; None if it is in none."""
    lo = max(0, num_lo - _WINDOW)
    head = view[lo:num_lo]
    if measure == "level" and _BRACKETED_GOAL_RE.search(head) and enabled(BRACKETED_TASK):
        return Role("target", names_previous=True)
    if measure == "level" and enabled(COMPLETION_OF_TASK):
        lead = _COMPLETION_LEAD_RE.search(head)
        if lead and _COMPLETION_TAIL_RE.match(view, span_end):
            return Role("target", names_previous=True, names_before=lo + lead.start())
    if measure == "ratio_pct" and enabled(COMPLETION_OF_TASK):
        of_goal = _RATIO_OF_GOAL_RE.search(head)
        if of_goal:
            done = view.rfind("完成", lo, lo + of_goal.start() + 1)
            return Role("actual", names_previous=True, names_before=done if done >= clause_lo else None)
    return None


def goal_name_end(prefix: str) -> int:
    """Where the name ends in 固定资产投资目标5亿元: before the goal word (stated_goal_then_result)."""
    m = _GOAL_NAME_TAIL_RE.search(prefix)
    if m and m.start() >= 2 and enabled(STATED_GOAL):
        return m.start()
    return len(prefix)


# --- Goal and result as two columns of a table row ---------------------------------------------------------

TABLE_ROW = rule(
    "outcomes.table_row", "指标(单位) 目标 实际 [完成]: a table row with the goal and the result side by side"
)
# 全区生产总值(亿元) 1000 1008.5 完成: a name, its unit in brackets, two numbers, an optional verdict.
_TABLE_ROW_RE = re.compile(
    r"^[ \t]*(?P<name>[^\d\s()（）:：,，。;；]{2,24}?)[ \t]*[(（](?P<unit>[^()（）\d]{1,8})[)）][ \t]*"
    r"(?P<a>\d[\d,]*(?:\.\d+)?)[ \t]+(?P<b>\d[\d,]*(?:\.\d+)?)"
    r"(?:[ \t]+(?:完成|未完成|超额完成|已完成|达标|未达标))?[ \t]*$",
    re.MULTILINE,
)
# A header naming the result column before the goal column (指标 完成 目标) swaps them.
_RESULT_FIRST_HEADER_RE = re.compile(r"(?:完成|实际|实绩)[^\n]{0,12}(?:目标|计划|任务)")
_GOAL_FIRST_HEADER_RE = re.compile(r"(?:目标|计划|任务)[^\n]{0,12}(?:完成|实际|实绩)")
_GROWTH_NAME_RE = re.compile(r"(?:增长|增速|增幅)$")


@dataclass(frozen=True, slots=True)
class TableRow:
    name: tuple[int, int]
    unit: tuple[int, int]
    goal: tuple[int, int]
    result: tuple[int, int]
    growth: bool  # 生产总值增速(%): the numbers are changes


def table_rows(view: str, is_unit: Callable[[str], bool]) -> list[TableRow]:
    """Rows of a goal-and-result table; the goal column first unless the header says otherwise."""
    if not enabled(TABLE_ROW):
        return []
    rows = []
    for m in _TABLE_ROW_RE.finditer(view):
        if not is_unit(m.group("unit").strip()):
            continue
        header = view[max(0, m.start() - 200) : m.start()]
        last_header = header.rsplit("\n\n", 1)[-1]
        result_first = bool(_RESULT_FIRST_HEADER_RE.search(last_header)) and not _GOAL_FIRST_HEADER_RE.search(
            last_header
        )
        goal, result = (m.span("b"), m.span("a")) if result_first else (m.span("a"), m.span("b"))
        growth = bool(_GROWTH_NAME_RE.search(m.group("name")))
        rows.append(TableRow(m.span("name"), m.span("unit"), goal, result, growth))
    return rows
