"""Clause and sentence limits around a number."""

from __future__ import annotations

from ingest.clauses import CLAUSE_BOUNDARY, LIST_BOUNDARY, clause_end, clause_start, full_sentence_start


def test_clause_start_stops_at_punctuation() -> None:
    view = "全年完成财政收入12.8亿元,增长25%"
    assert view[clause_start(view, 0, view.index("25"), CLAUSE_BOUNDARY) :].startswith("增长")


def test_list_clause_stops_at_enumeration_comma() -> None:
    view = "新增A企业3家、B企业5家"
    assert view[clause_start(view, 0, view.index("5"), LIST_BOUNDARY) :].startswith("B企业")
    assert clause_end(view, 0, len(view)) == view.index("、")


def test_full_sentence_runs_across_semicolons() -> None:
    view = "上年完成1亿元。预计实现2亿元;财政收入3亿元"
    assert view[full_sentence_start(view, 0, view.index("3亿")) :].startswith("预计")
