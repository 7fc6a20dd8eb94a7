"""Review and plan parts of a report, and the years they cover."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.frame import working_years
from ingest.models import DocumentMetadata
from ingest.normalize import matching_view
from ingest.sections import iter_sentences, split_sections

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

HEADED = """某某街道2022年工作总结和2023年工作计划
一、2022年工作回顾
全年完成财政收入12.8亿元,增长25%。
二、2023年工作思路
力争财政收入增长8%。
"""


def test_headings_split_review_and_plan() -> None:
    smap = split_sections(HEADED, matching_view(HEADED))
    assert (smap.review_year, smap.plan_year) == (2022, 2023)
    assert smap.at(HEADED.index("12.8")).section == "review"
    assert smap.at(HEADED.index("8%")).section == "plan"
    assert smap.at(HEADED.index("8%")).year == 2023
    assert smap.at(0).section == "unknown"  # the title is no part


def test_bare_year_heading_after_review_is_the_plan() -> None:
    text = "一、2022年工作回顾\n完成投资3亿元。\n二、2023年工作\n新建公园2个。\n"
    smap = split_sections(text, matching_view(text))
    assert smap.at(text.index("2个")).section == "plan"


def test_sub_heading_sentence_is_no_section() -> None:
    text = "一、2022年工作回顾\n(五)以人民幸福为目标,办实事、惠民生,努力取得社会事业新成效\n完成投资3亿元。\n"
    smap = split_sections(text, matching_view(text))
    assert smap.at(text.index("3亿元")).section == "review"


def test_plan_without_headings_from_opening_cue() -> None:
    text = "2022年是党的二十大召开之年。\n全年力争引进千万元以上项目1只。\n"
    smap = split_sections(text, matching_view(text))
    assert smap.plan_year == 2022
    assert smap.at(text.index("1只")).section == "plan"


def test_metadata_years_win() -> None:
    text = "一年来,我们完成投资3亿元。"
    md = DocumentMetadata(review_year=2020, plan_year=2021)
    assert working_years(matching_view(text), md) == (2020, 2021)


def test_half_year_review_plans_the_same_year() -> None:
    text = "庄桥街道2021年上半年工作总结和下半年工作思路\n2021年,街道完成投资3亿元。"
    assert working_years(matching_view(text), None) == (2021, 2021)


def test_traditional_headings() -> None:
    text = "一、2022年工作回顧\n完成投資3億元。\n二、2023年工作計劃\n新建公園2個。\n"
    smap = split_sections(text, matching_view(text))
    assert smap.at(text.index("3億元")).section == "review"
    assert smap.at(text.index("2個")).section == "plan"


def test_sentences_cover_text() -> None:
    text = "完成投资3亿元,增长5%。新建公园2个;改造道路\n3条"
    spans = iter_sentences(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert text[spans[0][0] : spans[0][1]] == "完成投资3亿元,增长5%。"


def test_seed_reports_have_both_parts() -> None:
    for name in ("000_58caca1a0e66f9b5.txt", "002_df0c3f96d6c64cab.txt", "003_0ef6b7f4fd2eafd3.txt"):
        text = (SEEDS / name).read_text(encoding="utf-8")
        smap = split_sections(text, matching_view(text))
        kinds = {s.section for s in smap.spans}
        assert {"review", "plan"} <= kinds, name


def test_bullets_end_items_but_not_quoted_names() -> None:
    text = "新增人才公寓房源242间·完成“共享社·幸福里”4个"
    spans = iter_sentences(text)
    assert [text[a:b] for a, b in spans] == ["新增人才公寓房源242间·", "完成“共享社·幸福里”4个"]


def test_dateless_year_chain_uses_the_published_date() -> None:
    # No year in the text: a plan for the second half takes the year the report appeared in.
    text = "集聚科创要素\n·下半年预计新增9个工业投资项目\n·力争新建避难场所2.95万平方米\n"
    md = DocumentMetadata(published_on=dt.date(2023, 8, 9))
    assert working_years(matching_view(text), md) == (2023, 2023)


def test_dateless_annual_report_from_published_month() -> None:
    text = "过去的一年,我们完成投资3亿元。\n新的一年,力争完成投资4亿元。\n"
    early = DocumentMetadata(published_on=dt.date(2024, 2, 27))
    late = DocumentMetadata(published_on=dt.date(2024, 12, 20))
    assert working_years(matching_view(text), early) == (2023, 2024)
    assert working_years(matching_view(text), late) == (2024, 2025)


def test_no_clue_leaves_years_unknown() -> None:
    text = "·力争新建避难场所2.95万平方米\n"
    assert working_years(matching_view(text), None) == (None, None)


def test_news_headline_with_mingnian_is_no_plan_heading() -> None:
    text = "鸭绿江街北延一期工程明年开建\n2020年,全年预计实现地区生产总值增长1%。\n"
    smap = split_sections(text, matching_view(text))
    assert smap.at(text.index("1%")).section != "plan"
    text = "一、2022年工作回顾\n完成投资3亿元。\n二、明年工作打算\n新建公园2个。\n"
    smap = split_sections(text, matching_view(text))
    assert smap.at(text.index("2个")).section == "plan"
