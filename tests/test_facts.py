"""Typical sentences of work reports and the facts the extractor reads from them (GUIDELINE.md)."""

from __future__ import annotations

from ingest.facts import extract_facts
from ingest.models import DocumentMetadata, Fact

REVIEW = DocumentMetadata(review_year=2022, plan_year=2023)


def _review(body: str) -> str:
    return "一、2022年工作回顾\n" + body + "\n"


def _plan(body: str) -> str:
    return "一、2022年工作回顾\n完成投资1亿元。\n二、2023年工作计划\n" + body + "\n"


def _rows(facts: list[Fact]) -> list[tuple]:
    return [(f.metric_raw, f.measure, f.value, f.unit_raw, f.comparator) for f in facts]


def _check_offsets(text: str, facts: list[Fact]) -> None:
    for f in facts:
        assert text[f.char_start : f.char_end] == f.number_text
        assert text[f.sentence_start : f.sentence_start + len(f.sentence)] == f.sentence


def test_level_and_growth_in_one_clause() -> None:
    text = _review("全年完成财政收入12.8亿元,增长25%,完成限上服务业营收67.5亿元。")
    facts = extract_facts(text, REVIEW)
    _check_offsets(text, facts)
    assert _rows(facts) == [
        ("财政收入", "level", 12.8, "亿元", "="),
        ("财政收入", "growth_pct", 25.0, "%", "="),
        ("限上服务业营收", "level", 67.5, "亿元", "="),
    ]
    assert all(f.kind == "actual" and f.year == 2022 and f.section == "review" for f in facts)
    assert facts[0].tier == 1


def test_decline_is_negative_and_period_comes_from_sentence() -> None:
    text = _review("1-9月,实现财政总收入7.14亿元,同比下降3.2%。全年新建公园2个。")
    facts = extract_facts(text, REVIEW)
    assert [(f.measure, f.value, f.period) for f in facts] == [
        ("level", 7.14, "ytd:1-9"),
        ("growth_pct", -3.2, "ytd:1-9"),
        ("level", 2.0, "year"),
    ]


def test_ratio_versus_growth_and_points() -> None:
    text = _review("完成签约2296户,签约率99.7%;综合机械化率达90.6%、高于全省16个百分点。")
    facts = extract_facts(text, REVIEW)
    assert [(f.measure, f.value) for f in facts] == [
        ("level", 2296.0),
        ("ratio_pct", 99.7),
        ("ratio_pct", 90.6),
        ("growth_pp", 16.0),
    ]


def test_plan_targets_with_hedges() -> None:
    text = _plan("新增专精特新企业4家以上,规上工业增加值增长10%以上,地区生产总值增长6.5%左右。")
    facts = extract_facts(text, REVIEW)
    assert [(f.kind, f.year, f.value, f.comparator, f.section) for f in facts if f.value != 1] == [
        ("target", 2023, 4.0, ">=", "plan"),
        ("target", 2023, 10.0, ">=", "plan"),
        ("target", 2023, 6.5, "~", "plan"),
    ]


def test_respectively_distributes_over_urban_and_rural() -> None:
    text = _plan("城乡居民人均可支配收入分别增长6.0%和8.5%。")
    facts = [f for f in extract_facts(text, REVIEW) if f.unit_raw == "%"]
    assert [(f.metric_raw, f.measure, f.value) for f in facts] == [
        ("城镇居民人均可支配收入", "growth_pct", 6.0),
        ("农村居民人均可支配收入", "growth_pct", 8.5),
    ]


def test_list_of_indicators_shares_one_rate() -> None:
    text = _review("一般公共预算收入、规下工业营业收入、其他营利性服务业营业收入等指标保持20%以上的增速。")
    facts = extract_facts(text, REVIEW)
    assert [f.metric_raw for f in facts] == [
        "一般公共预算收入",
        "规下工业营业收入",
        "其他营利性服务业营业收入",
    ]
    assert all(f.measure == "growth_pct" and f.value == 20 and f.comparator == ">=" for f in facts)


def test_forecast_covers_its_clause() -> None:
    text = _review("税收预计1700余万元,同比增长10%,固定资产投资完成16679万元。")
    facts = extract_facts(text, REVIEW)
    assert [f.comparator for f in facts] == ["~", "~", "="]


def test_completion_of_target_gives_target_and_ratio() -> None:
    text = _review("完成年度目标任务42亿元的92.36%。")
    facts = extract_facts(text, REVIEW)
    assert [(f.kind, f.measure, f.value) for f in facts] == [
        ("target", "level", 42.0),
        ("actual", "ratio_pct", 92.36),
    ]


def test_cumulative_and_year_wide() -> None:
    text = _review("累计孵化创业项目11个,服务大学生及商户4600余人。全年累计引进外资1017万美元。")
    facts = extract_facts(text, REVIEW)
    assert [f.period for f in facts] == ["cumulative", "cumulative", "year"]


def test_chinese_numerals_only_with_measure_words() -> None:
    text = _review("一是深化改革,实施三大攻坚战,贯彻二十大精神,完成三轮核酸采样,力争创建两家无诈社区。")
    facts = extract_facts(text, REVIEW)
    assert [(f.value, f.unit_raw) for f in facts] == [(3.0, "轮"), (2.0, "家")]


def test_not_facts() -> None:
    text = _review(
        "第十三届邻里节;健全“1+5”协商议事机制;高效完成“3.28”疫情处置;持续推动5189000志愿服务;"
        "空气质量排名上升至全市第19位;2022年10月28日召开会议;咨询电话0572-5123456;"
        "成功招引3个亿元以上项目;注册资金1000万以上29家;确保PM2.5年均值下降。"
    )
    facts = extract_facts(text, REVIEW)
    # Only the counts stand: thresholds belong to their metric.
    assert [(f.value, f.unit_raw, f.metric_raw) for f in facts] == [
        (3.0, "个", "亿元以上项目"),
        (29.0, "家", "注册资金1000万以上"),
    ]


def test_portal_boilerplate_is_skipped() -> None:
    text = (
        "索引号: 2953384/2024-00445\n浏览次数:1234次\n- 字体: 【 大 中 小 】\n打印\n"
        "一、2022年工作回顾\n新建公园2个。"
    )
    facts = extract_facts(text, REVIEW)
    assert [(f.value, f.unit_raw) for f in facts] == [(2.0, "个")]


def test_full_width_digits_keep_original_offsets() -> None:
    text = _review("全年完成财政收入１２.８亿元，增长２５％。")
    facts = extract_facts(text, REVIEW)
    _check_offsets(text, facts)
    assert [(f.number_text, f.value, f.unit_raw, f.unit_norm) for f in facts] == [
        ("１２.８", 12.8, "亿元", "亿元"),
        ("２５", 25.0, "％", "%"),
    ]


def test_traditional_text_with_pinyin_glosses() -> None:
    text = "全年實(shí)現(xiàn)規(guī)上工業(yè)總產(chǎn)值91.7億元,同比增長(zhǎng)30%。"
    facts = extract_facts(text, REVIEW)
    _check_offsets(text, facts)
    assert [(f.metric_raw, f.metric_norm, f.measure, f.value, f.unit_raw) for f in facts] == [
        ("規(guī)上工業(yè)總產(chǎn)值", "规上工业总产值", "level", 91.7, "億元"),
        ("規(guī)上工業(yè)總產(chǎn)值", "规上工业总产值", "growth_pct", 30.0, "%"),
    ]
    assert facts[0].tier == 1


def test_hard_wrapped_lines_join_sentences() -> None:
    line = "顺利完成了镇第十九届人民代表大会第一次会议确定的各项目标任务。预计全镇实现工农业总值\n"
    body = "31.88 亿元,增长 7%,其中农业总产值 17.2 亿元,增长\n5.5%,工业总产值 14.68 亿元。\n"
    text = "2022 年工作回顾\n" + (line + body) * 2
    facts = extract_facts(text, REVIEW)
    _check_offsets(text, facts)
    first = facts[0]
    assert (first.metric_raw, first.value, first.comparator) == ("工农业总值", 31.88, "~")
    assert facts[3].measure == "growth_pct" and facts[3].value == 5.5


def test_target_year_named_in_sentence() -> None:
    text = "报告提出,力争到2027年全区经济总量突破1500亿元。"
    facts = extract_facts(text, DocumentMetadata(review_year=2022, plan_year=2023))
    assert [(f.kind, f.year, f.value, f.comparator) for f in facts] == [("target", 2027, 1500.0, ">=")]


def test_empty_and_numberless_text() -> None:
    assert extract_facts("") == []
    assert extract_facts("坚持以习近平新时代中国特色社会主义思想为指导。") == []


def test_ranges_read_as_at_least_their_lower_end() -> None:
    text = _plan("地区生产总值增长5-8%,新增企业3至5家,培育数十家企业。")
    facts = [f for f in extract_facts(text, REVIEW) if f.value != 1]
    assert [(f.number_text, f.unit_raw, f.comparator, f.measure) for f in facts] == [
        ("5", "%", ">=", "growth_pct"),
        ("3", "家", ">=", "level"),
    ]


def test_goal_cues_outside_plan_sections() -> None:
    md = DocumentMetadata(review_year=2022, plan_year=2023)
    text = "主要经济指标稳中有进,完成税收3亿元。向上争取资金340万元。今年将新建公园2个,争取创建示范村1个。"
    facts = extract_facts(text, md)
    assert [(f.value, f.kind, f.year) for f in facts] == [
        (3.0, "actual", 2022),
        (340.0, "actual", 2022),
        (2.0, "target", 2023),
        (1.0, "target", 2023),
    ]


def test_goal_for_rest_of_year_in_a_review() -> None:
    text = _review("上半年完成固定资产投资5亿元,力争全年完成12亿元。")
    facts = extract_facts(text, REVIEW)
    assert [(f.value, f.kind, f.period) for f in facts] == [
        (5.0, "actual", "ytd:1-6"),
        (12.0, "target", "year"),
    ]


def test_forecast_of_a_later_year_in_a_review_is_a_target_of_that_year() -> None:
    text = _review("该项目今年4月开始建设,预计2025年2月建成投产,年营业收入达22.4亿元,纳税1.64亿元。")
    rows = [(f.kind, f.year, f.comparator, f.value) for f in extract_facts(text, REVIEW)]
    assert rows == [("target", 2025, "~", 22.4), ("target", 2025, "~", 1.64)]


def test_second_half_goals_take_that_period() -> None:
    text = _plan("·下半年预计新增9个工业投资项目,总投资24.55亿元\n·力争全年改造完成适老化家庭75户\n")
    rows = [(f.period, f.comparator, f.value) for f in extract_facts(text, REVIEW) if f.kind == "target"]
    assert rows == [("ytd:7-12", "~", 9.0), ("ytd:7-12", "~", 24.55), ("year", "=", 75.0)]


def test_shortened_time_is_a_negative_growth() -> None:
    text = _review("办理手续19件,平均时限缩短40%。")
    growth = [f for f in extract_facts(text, REVIEW) if f.unit_raw == "%"]
    assert [(f.metric_raw, f.measure, f.value) for f in growth] == [("平均时限", "growth_pct", -40.0)]


def test_ordinal_round_is_no_count() -> None:
    text = _review("三是土地二轮延包工作有序开展,全镇开展业务培训5次。")
    assert [f.value for f in extract_facts(text, REVIEW)] == [5.0]
