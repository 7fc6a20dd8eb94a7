"""The document frame: kind of text, years of its parts and evidence, on short sentences of real reports."""

from __future__ import annotations

import json

from ingest.facts import extract_facts
from ingest.frame import DOCUMENT_KINDS, build_frame, meeting_year


def _clues(text: str, field: str) -> list[str]:
    evidence = json.loads(build_frame(text).metadata.frame_evidence or "[]")
    return [e["clue"] for e in evidence if e["field"] == field]


# --- a text with a plan and no review is all plan ---------------------------------------------------------


def test_targets_without_a_review_are_targets_of_the_plan_year() -> None:
    # A party secretary's article (天门日报) and a story on a town's indicators (东莞): plans, no review.
    article = (
        "发布日期:\n2024年04月12日\n勇立潮头 跨越赶超 奋力打造全市高质量发展重要增长极\n"
        "多祥镇将立足自身优势,着力打造全市高质量发展重要增长极。力争2024年规上工业总产值达102亿元,增长17%。\n"
    )
    story = (
        "茶山镇党委书记黄锦发表示,2024年,茶山将全力以赴抓招商、上项目、增投资。\n"
        "2024年重点指标\n◆GDP同比增长5%;规上工业总产值431亿元;工业投资35.9亿元。\n"
    )
    for text, value in ((article, 102.0), (story, 431.0)):
        frame = build_frame(text)
        assert (frame.metadata.review_year, frame.metadata.plan_year) == (None, 2024)
        assert frame.plan_only
        fact = next(f for f in extract_facts(text, frame.metadata) if f.value == value)
        assert (fact.kind, fact.year) == ("target", 2024)


def test_goals_a_year_is_given_make_a_plan() -> None:
    text = (
        "近日,金普新区炮台街道召开誓师大会。\n"
        "2022年,炮台街道确定的主要经济发展目标为:全年完成一般财政预算收入2.2亿元,同比增长10%;"
        "固定资产投资2.5亿元。\n"
    )
    md = build_frame(text).metadata
    assert (md.review_year, md.plan_year, md.document_kind) == (None, 2022, "news")
    assert "body:goals-are" in _clues(text, "plan_year")
    assert {(f.kind, f.year) for f in extract_facts(text, md)} == {("target", 2022)}


def test_an_undated_review_keeps_the_review_part() -> None:
    # 仙游县 (a story on the county's report): 过去一年 shows a review; its figures stay actuals.
    text = (
        "12月24日,县十八届人大五次会议开幕。2025年我县取得了哪些成绩?2026年又有哪些工作安排?"
        "从8个关键字里感受过去一年。\n完成18个乡镇综治中心规范化建设。\n"
    )
    frame = build_frame(text)
    assert (frame.metadata.review_year, frame.metadata.plan_year) == (2025, 2026)
    assert not frame.plan_only


# --- year clues ---------------------------------------------------------------------------------------------


def test_execution_and_draft_name_review_and_plan_years() -> None:
    budget = "审查和批准镇2013年财政预算执行情况和2014年预算草案的报告,补选镇政府副镇长1名。\n"
    plan = "关于沈河区2021年国民经济和社会发展计划执行情况与2022年国民经济和社会发展计划(草案)的报告\n"
    for text, years in ((budget, (2013, 2014)), (plan, (2021, 2022))):
        md = build_frame(text).metadata
        assert (md.review_year, md.plan_year) == years


def test_part_year_report_gives_the_review_year() -> None:
    for text in (
        "8月27日,鸿山镇第六届人民代表大会第八次会议召开,听取并审议通过镇政府2025年上半年经济发展工作专项报告。\n",
        "关于广汉市2025年1—6月国民经济和社会发展计划执行情况的报告\n",
    ):
        assert build_frame(text).metadata.review_year == 2025


def test_five_year_plan_calendar_and_looking_ahead_give_the_plan_year() -> None:
    text = (
        "1月9日,济南市历城区第十九届人民代表大会第四次会议召开。\n"
        "今年是实施“十四五”规划的收官之年,做好各项工作责任重大。\n"
        "新的一年,历城区将坚持稳中求进工作总基调。经济社会发展主要预期目标是:地区生产总值增长5.6%以上。\n"
    )
    md = build_frame(text).metadata
    assert (md.review_year, md.plan_year) == (None, 2025)
    assert "five-year-plan calendar + undated plan" in _clues(text, "plan_year")
    fact = extract_facts(text, md)[0]
    assert (fact.kind, fact.year, fact.value) == ("target", 2025, 5.6)


def test_title_year_stands_against_a_later_posting_date() -> None:
    text = "庄桥街道2021年上半年工作总结和下半年工作思路\n时间:2023-05-02\n一、上半年工作\n完成投资3亿元。\n"
    md = build_frame(text).metadata
    assert (md.review_year, md.plan_year, md.document_kind) == (2021, 2021, "mid_year_summary")


# --- goal lists inside a story ------------------------------------------------------------------------------


def test_goal_list_paragraph_of_a_story_is_plan() -> None:
    congress = (
        "昨日,高埗镇召开第十六届人民代表大会第三次会议。审查和批准镇2013年财政预算执行情况和2014年预算草案的报告。\n"
        "《报告》指出,2013年全镇生产总值101.95亿元,增长11.8%。\n"
        "综合考虑各方面因素,今年高埗镇提出的发展预期目标是:2014年生产总值115亿元,增长9%。各项税收14.3亿元,增长8%。\n"
        "会议公布了补选结果。\n"
    )
    facts = {f.value: f for f in extract_facts(congress, build_frame(congress).metadata)}
    assert (facts[101.95].kind, facts[101.95].year) == ("actual", 2013)
    assert (facts[14.3].kind, facts[14.3].year) == ("target", 2014)
    five_years = (
        "本报讯 5月30日上午,东石镇第十三次党代会召开。过去五年,东石镇较好完成了“十三五”确定的各项目标任务。"
        "2020年,东石镇实现工业总产值365.74亿元。\n"
        "会议提出,今后五年,东石镇经济社会发展的主要目标是:力争到2025年,全镇实现工农业总产值556.36亿元。"
        "其中,工业总产值548.03亿元,年均增长8%。\n"
    )
    facts = {f.value: f for f in extract_facts(five_years, build_frame(five_years).metadata)}
    assert (facts[365.74].kind, facts[365.74].year) == ("actual", 2020)
    assert (facts[548.03].kind, facts[548.03].year) == ("target", 2025)


# --- kind of text and evidence ------------------------------------------------------------------------------


def test_kinds_of_text() -> None:
    cases = [
        (
            "新篁镇“十一五”工作总结及“十二五”工作规划\n一、主要成绩\n五年来,全镇完成投资30亿元。\n",
            "five_year_review",
        ),
        ("蠡园街道2022年上半年工作总结\n上半年,完成投资3亿元。\n", "mid_year_summary"),
        ("珠溪镇人民政府2024年政府预算报告\n一、2023年预算执行情况\n收入3亿元。\n", "budget_report"),
        ("日前,记者在盐城万达广场看到促销活动。今年1至10月份,该街道已实现财政总收入52421.7万元。\n", "news"),
        ("高湖镇2024年工作总结和2025年工作计划\n一、2024年工作回顾\n全镇完成投资3亿元。\n", "annual_report"),
    ]
    for text, kind in cases:
        assert build_frame(text).metadata.document_kind == kind, text
    assert {kind for _, kind in cases} <= set(DOCUMENT_KINDS)


def test_evidence_names_the_clue_and_the_words() -> None:
    text = "高湖镇2024年工作总结和2025年工作计划\n一、2024年工作回顾\n全镇完成投资3亿元。\n"
    evidence = json.loads(build_frame(text).metadata.frame_evidence or "[]")
    review = [e for e in evidence if e["field"] == "review_year"]
    assert review[0] == {
        "field": "review_year",
        "value": "2024",
        "clue": "title",
        "text": "高湖镇2024年工作总结和2025年工作计划",
    }
    assert any(e["clue"] == "heading" and e["text"] == "一、2024年工作回顾" for e in review)
    assert {e["field"] for e in evidence} >= {"district", "review_year", "plan_year", "document_kind"}


# --- a fact's own year --------------------------------------------------------------------------------------


def test_a_clause_opening_on_an_earlier_year_gives_its_figures_that_year() -> None:
    text = (
        "2024年工作总结\n一、2024年工作回顾\n"
        "2024年,全镇实现地区生产总值140.33亿元。根据第五次全国经济普查结果,2023年我镇地区生产总值修订为138.17亿元。\n"
        "截至6月底已完成投资2.59亿元。2021-2022年投资约3500万元实施的34个驻镇帮镇扶村项目已完工。\n"
        "2022年以来,累计新增企业12家。\n"
    )
    facts = {f.value: f for f in extract_facts(text, build_frame(text).metadata)}
    assert facts[140.33].year == 2024
    assert facts[138.17].year == 2023
    assert (facts[3500].year, facts[34].year) == (2022, 2022)
    assert facts[12].year == 2024  # 2022年以来 sets a period, not the year


def test_results_counted_to_a_date_keep_the_review_part() -> None:
    # 049: a plan figure of the year next to results counted to a date: the text is no plan.
    text = "全力推动7个区级重点项目建设,项目2023年计划投资9.1亿元。截至6月底已完成投资2.59亿元。\n"
    frame = build_frame(text)
    assert frame.metadata.plan_year == 2023
    assert not frame.plan_only
    fact = next(f for f in extract_facts(text, frame.metadata) if f.value == 2.59)
    assert fact.kind == "actual"


def test_evidence_lists_each_section_with_its_year_and_default_period() -> None:
    text = (
        "庄桥街道2021年上半年工作总结和下半年工作思路\n一、2021年上半年工作回顾\n完成投资3亿元。\n"
        "二、下半年工作思路\n力争完成投资4亿元。\n"
    )
    evidence = json.loads(build_frame(text).metadata.frame_evidence or "[]")
    sections = [(e["value"], e["text"]) for e in evidence if e["field"] == "section"]
    assert ("review, year 2021, period ytd:1-6", "一、2021年上半年工作回顾") in sections
    assert ("plan, year 2021, period year", "二、下半年工作思路") in sections


def test_a_meeting_story_gives_the_meeting_figures_its_year() -> None:
    # 马港镇 (4月3日, 105名人大代表) and 高埗镇 (昨日, 补选副镇长1名): congresses in the year they plan.
    story = (
        "【全媒体记者 吴雷】4月3日,通城县马港镇第十届人民代表大会第八次会议召开,"
        "来自全镇各条战线的105名人大代表齐聚一堂。\n"
        "2024年,马港镇经济发展稳中向好,全镇完成规上工业产值12亿元。2025年,马港镇将力争规上工业产值增长10%。\n"
    )
    md = build_frame(story).metadata
    assert (md.document_kind, md.review_year, md.plan_year) == ("news", 2024, 2025)
    facts = {f.value: f for f in extract_facts(story, md)}
    assert (facts[105].kind, facts[105].year) == ("actual", 2025)
    assert (facts[12].kind, facts[12].year) == ("actual", 2024)
    assert meeting_year("大会听取和审议镇政府工作报告,补选镇政府副镇长1名。", 2013, 2014) == 2014
    assert meeting_year("12月24日,县十八届人大五次会议开幕。", 2025, 2026) == 2025  # a year-end congress
    assert meeting_year("全年完成规上工业产值12亿元。", 2024, 2025) is None


def test_news_datelines_and_five_year_parts() -> None:
    dateline = (
        "鸭绿江街北延一期工程明年开建\n"
        "2020 年 12 月 28 日 -29 日 , 沈北新区第四届人民代表大会第四次会议胜利召开 。"
        "政府工作报告回顾了 2020 年工作 。\n"
    )
    assert build_frame(dateline).metadata.document_kind == "news"
    annual = (
        "2026年黄龙县政府工作报告\n一、2025年及“十四五”工作回顾\n2025年,全县完成投资30亿元。\n"
        "二、“十五五”发展目标和主要任务\n"
    )
    assert build_frame(annual).metadata.document_kind == "annual_report"


def test_unit_evidence_names_the_context() -> None:
    text = (
        "索引号: 113310230026834587/2025-131372\n发布机构: 天台县白鹤镇人民政府 发文日期: 2025-03-12\n"
        "2025年白鹤镇政府工作报告\n一、2024年工作回顾\n2024年,全镇实现产值23.07亿元,增长8.7%。\n"
    )
    evidence = json.loads(build_frame(text).metadata.frame_evidence or "[]")
    unit = next(e for e in evidence if e["field"] == "district")
    assert unit["value"] == "白鹤镇"
    assert unit["clue"] in ("title", "disclosure table")
    published = next(e for e in evidence if e["field"] == "published_on")
    assert (published["value"], published["clue"]) == ("2025-03-12", "date")
