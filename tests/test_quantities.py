"""Which numbers are quantities at all (GUIDELINE "Not facts")."""

from __future__ import annotations

from ingest.boilerplate import boilerplate_spans
from ingest.numbers import find_numbers
from ingest.quantities import is_quantity


def _kept(text: str) -> list[str]:
    return [text[m.start : m.end] for m in find_numbers(text) if is_quantity(text, m)]


def test_lone_er_before_a_classifier_is_an_ordinal() -> None:
    # Chinese counts two things with 两; 二轮延包 is the second round of land leases.
    assert _kept("三是土地二轮延包工作有序开展。") == []
    assert _kept("为顺利完成二轮土地延保任务,全镇开展业务培训5次。") == ["5"]
    assert _kept("开展两轮集中整治。") == ["两"]


def test_compound_numerals_with_er_stay_counts() -> None:
    assert _kept("新建公园十二个。") == ["十二"]


def test_villages_as_the_subject_of_a_clause_are_no_result() -> None:
    assert _kept("截至目前,中疃镇17个村(社区)网签合同工作正按计划有序推进。") == []
    assert "17" not in _kept("预计17个村(社区)全年经营性收入1316.5万元。")


def test_villages_counted_as_a_result_stay() -> None:
    assert _kept("完成11个村土地权属界线勘定。") == ["11"]
    assert _kept("23个村级检查点严防严控。") == ["23"]


def test_portal_chrome_lines() -> None:
    text = "发布日期:2023-08-09 浏览次数:1024\n全年完成投资3亿元。"
    spans = boilerplate_spans(text)
    assert spans and spans[0][0] == 0 and text[spans[0][1]] == "\n"
