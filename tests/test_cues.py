"""Cue words for comparator (预计), period (累计, 下半年) and forecasts of a later year."""

from __future__ import annotations

from ingest.cues import doc_period, forecast_covers, forecast_year, period_of


def _head(sentence: str, number: str) -> str:
    return sentence[: sentence.index(number)]


def test_forecast_opening_a_list_covers_items_without_their_own_verb() -> None:
    s = "预计2025年2月建成投产,年营业收入达22.4亿元,纳税1.64亿元。"
    assert forecast_covers(_head(s, "22.4"))
    assert forecast_covers(_head(s, "1.64"))


def test_forecast_list_ends_at_a_fresh_verb() -> None:
    s = "全年预计实现地区生产总值32亿元左右,实现公共财政总收入5.53亿元"
    assert forecast_covers(_head(s, "32"))
    assert not forecast_covers(_head(s, "5.53"))


def test_forecast_after_its_subject_covers_only_that_subject() -> None:
    s = "居民人均可支配收入预计4.6万元,增长10%;城镇登记失业率为2.3%"
    assert forecast_covers(_head(s, "10%"))
    assert not forecast_covers(_head(s, "2.3"))
    s = "小春粮食作物产量预计增长10%,稻茬小麦最高单产688.9公斤"
    assert not forecast_covers(_head(s, "688.9"))


def test_forecast_breakdown_after_qizhong_stays_in_scope() -> None:
    s = "预计17个村(社区)全年经营性收入1316.5万元,其中,达到100万元的村2个,90-100万元的2个"
    assert forecast_covers(_head(s, "2个"))


def test_forecast_in_a_later_clause_ends_at_semicolon() -> None:
    s = "其中工业项目4个,预计总投资1亿元;农业项目5个"
    assert not forecast_covers(_head(s, "5个"))


def test_forecast_of_a_later_year() -> None:
    assert forecast_year("今年4月开始建设,预计2025年2月建成投产,年营业收入达", 2023) == 2025
    assert forecast_year("预计2021年,全区地区生产总值完成", 2021) is None  # the year under review
    assert forecast_year("预计全年实现", 2021) is None


def test_cumulative_run_of_clauses_sharing_the_subject() -> None:
    s = "累计摸排住户482户,收集证件1200余件。"
    assert period_of(s, 0, s.index("1200"), None, "review") == "cumulative"


def test_cumulative_ends_at_a_clause_with_its_own_subject() -> None:
    s = "累计出栏生猪86501头、肉牛5141头,肉类总产量10130.34吨,畜牧业总产值达4.68亿元。"
    assert period_of(s, 0, s.index("5141"), None, "review") == "cumulative"
    assert period_of(s, 0, s.index("10130"), None, "review") == "year"
    assert period_of(s, 0, s.index("4.68"), None, "review") == "year"


def test_cumulative_ends_at_semicolon_and_the_report_period_applies() -> None:
    s = "累计办理手续19件,平均时限缩短40%;协助84家企业整理材料。"
    assert period_of(s, 0, s.index("19"), "ytd:1-6", "review") == "cumulative"
    assert period_of(s, 0, s.index("84"), "ytd:1-6", "review") == "ytd:1-6"


def test_goal_for_the_second_half() -> None:
    s = "下半年力争新增企业70户,实现新增税收2000万元"
    assert period_of(s, 0, s.index("2000"), None, "plan") == "ytd:7-12"
    s = "力争全年新增企业70户"
    assert period_of(s, 0, s.index("70"), None, "plan") == "year"


def test_report_period_from_its_title_or_heading() -> None:
    assert doc_period("2025年1-5月工作总结\n", None) == "ytd:1-5"
    assert doc_period("中都街道上半年工作总结\n今年以来,各项工作取得成效。", None) == "ytd:1-6"
    # Inside a paragraph a yearless 上半年…情况 is no title.
    long_line = "今年以来,全镇上半年疫情防控情况良好,经济运行平稳有序,各项事业健康发展,群众获得感不断增强。"
    assert doc_period(long_line, None) is None


def test_figures_over_several_years_are_cumulative() -> None:
    # 东石镇 (年均增长, a result and a goal of five years), 沂南县 and 弥勒市 (较“十X五”末).
    s = "2020年,东石镇实现工业总产值365.74亿元(人民币,下同),年均增长8.88%;财政年均收入8.22亿元。"
    assert period_of(s, 0, s.index("365.74"), None, "review") == "year"
    assert period_of(s, 0, s.index("8.88"), None, "review") == "cumulative"
    assert period_of(s, 0, s.index("8.22"), None, "review") == "cumulative"
    goal = "力争到2025年,全镇实现工农业总产值556.36亿元,年均增长8.33%。"
    assert period_of(goal, 0, goal.index("556.36"), None, "plan") == "year"
    assert period_of(goal, 0, goal.index("8.33"), None, "plan") == "cumulative"
    s = "2020年,全县完成地区生产总值233亿元、较“十二五”末增长27%,实现一般公共预算收入16.4亿元。"
    assert [period_of(s, 0, s.index(n), None, "review") for n in ("233", "27", "16.4")] == [
        "year",
        "cumulative",
        "year",
    ]
    s = "城乡常住居民人均可支配收入较“十三五”末分别增加9784元、7408元。"
    assert period_of(s, 0, s.index("7408"), None, "review") == "cumulative"
    s = "PM2.5年均值控制在28微克/立方米以内。"
    assert period_of(s, 0, s.index("28"), None, "plan") == "year"  # an annual mean: a metric, not a period


def test_sentence_on_five_years_and_spans_of_years_are_cumulative() -> None:
    # Five-year reviews of 杨庄镇 and 高庄镇 (060, 061) and a span of years (049).
    s = "五年来,共引进过亿元招商引资项目18个,总投资超40亿元。"
    assert period_of(s, 0, s.index("18"), None, "review") == "cumulative"
    assert period_of(s, 0, s.index("40"), None, "review") == "cumulative"
    s = "五年来,全镇新增工业投入20.1亿元,2020年,全镇共完成固定资产投资6.7亿元,同比增长25.4%。"
    assert period_of(s, 0, s.index("20.1"), None, "review") == "cumulative"
    assert period_of(s, 0, s.index("6.7"), None, "review") == "year"  # a year named ends the five years
    s = "2021-2022年投资约3500万元实施的34个驻镇帮镇扶村项目,截至目前已完工32个。"
    assert period_of(s, 0, s.index("3500"), None, "review") == "cumulative"


def test_a_year_named_before_cumulative_makes_it_that_year() -> None:
    # 凤凰街 (034): "2021年,累計申報…19個" is the year's total, as 全年累计 is (GUIDELINE); 累计 alone is not.
    s = "2021年,累计申报老旧小区改造项目19个,总投资2.22亿元。"
    assert period_of(s, 0, s.index("19"), None, "review") == "year"
    s = "围绕产业链招商,累计引进总部经济企业449家。"
    assert period_of(s, 0, s.index("449"), None, "review") == "cumulative"
    s = "2022年以来,累计引进企业12家。"
    assert period_of(s, 0, s.index("12"), None, "review") == "cumulative"  # since a year: a start, not a year
