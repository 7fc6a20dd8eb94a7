"""The compact copy of a text (no pinyin glosses, no hard wraps) and the mapping back."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.facts import extract_facts
from ingest.textview import _GAP, compact_text, find_gapped, soft_newlines


def test_nothing_to_cut() -> None:
    assert compact_text("完成投资3亿元。") is None


def test_pinyin_glosses_are_cut_and_offsets_map_back() -> None:
    text = "地區(qū)生產(chǎn)總值達(dá)到12.8億元。"
    compact, index = compact_text(text)  # type: ignore[misc]
    assert compact == "地區生產總值達到12.8億元。"
    assert len(index) == len(compact)
    assert all(text[index[i]] == ch for i, ch in enumerate(compact))


def test_facts_keep_glosses_in_metric_and_original_offsets() -> None:
    text = "一、2021年工作回顧\n地區(qū)生產(chǎn)總值達(dá)到12.8億元。\n"
    (fact,) = extract_facts(text)
    assert text[fact.char_start : fact.char_end] == "12.8"
    assert fact.metric_raw == "地區(qū)生產(chǎn)總值"


def test_hard_wrapped_lines_are_joined() -> None:
    lines = [
        "全年完成地区生产总值三十二亿元,同比增长百分之七," * 1,
        "农业总产值十七亿元,增长百分之五,工业",
        "总产值十四亿元,增长百分之九,完成财政",
        "总收入一千万元,实现各项目标任务。",
    ]
    text = "\n".join(lines)
    assert soft_newlines(text)


def test_zero_width_marks_do_not_split_words() -> None:
    text = "一、2022年工作回顾\n全年完成财政收\u200b入12.8亿元,完成限上服务业\u2060营收67.5亿元。\n"
    facts = extract_facts(text)
    assert [(f.metric_raw, f.value) for f in facts] == [("财政收入", 12.8), ("限上服务业营收", 67.5)]
    assert all(text[f.char_start : f.char_end] == f.number_text for f in facts)


# The pattern find_gapped walks by hand: a gloss, a line break or a run of invisible marks allowed between
# the characters of a phrase.
_ALPHABET = "生產总值(（)）chǎnzh\n\u200b\u00ad,"


@settings(max_examples=400, deadline=None)
@given(phrase=st.text(_ALPHABET, min_size=1, max_size=5), source=st.text(_ALPHABET, max_size=30))
def test_find_gapped_finds_what_the_pattern_finds(phrase: str, source: str) -> None:
    m = re.search(_GAP.join(re.escape(ch) for ch in phrase), source)
    assert find_gapped(phrase, source) == (m.span() if m else None)


def test_find_gapped_reads_through_a_gloss_and_a_line_break() -> None:
    source = "地区生產(chǎn)总\n值增长8%"
    assert find_gapped("生產总值", source) == (2, 13)
