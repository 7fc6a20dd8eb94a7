"""Numbers as Chinese reports write them: numerals, scales, units and hedges."""

from __future__ import annotations

import pytest

from ingest.normalize import matching_view
from ingest.numbers import find_numbers, parse_chinese_numeral, parse_number_text, unit_base, unit_scale


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("两", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百二十", 120),
        ("三千五百", 3500),
        ("两万", 20000),
        ("一万二千", 12000),
        ("万", 10000),
        ("千", 1000),
        ("一百零五", 105),
        ("三亿", 300_000_000),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["", "三四", "一二三", "是", "十a"])
def test_not_chinese_numerals(text: str) -> None:
    assert parse_chinese_numeral(text) is None


def test_number_text_full_width_and_commas() -> None:
    assert parse_number_text("４６００") == 4600
    assert parse_number_text("1,234.5") == 1234.5
    assert parse_number_text("三") == 3
    assert parse_number_text("兩萬") == 20000  # traditional numerals read as the rules see them


def _only(text: str):
    found = find_numbers(matching_view(text))
    assert len(found) == 1, found
    return found[0]


def test_scale_stays_with_unit() -> None:
    m = _only("完成财政收入12.8亿元")
    assert (m.value, m.unit, m.comparator) == (12.8, "亿元", "=")
    assert unit_scale(m.unit) == 1e8
    assert unit_base(m.unit) == "元"


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("服务大学生及商户4600余人", 4600, "人", ">="),
        ("3000多名党员干部", 3000, "名", ">="),
        ("投资300多万改造", 300, "万", ">="),
        ("调拨各类防疫物资超5万余件", 5, "万件", ">="),
        ("街道累计筹得资金20余万", 20, "万", ">="),
        ("吸引线下流量突破20万人次", 20, "万人次", ">="),
        ("均超过80万元", 80, "万元", ">="),
        ("增长10%以上", 10, "%", ">="),
        ("控制在28微克/立方米以内", 28, "微克/立方米", "<="),
        ("地区生产总值32亿元左右", 32, "亿元", "~"),
        ("完成人口数据采集和录入工作约4万条", 4, "万条", "~"),
        ("惠及辖区近万名老年群体", 10000, "名", "~"),
        ("高于全省16个百分点", 16, "个百分点", "="),
        ("同比增长77.53 %", 77.53, "%", "="),
        ("四大产业集群总规模突破千亿元", 1000, "亿元", ">="),
        ("完成投资3.5个亿", 3.5, "个亿", "="),
        ("新建道路两万余米", 2, "万米", ">="),
        ("成功招引3个亿元以上项目", 3, "个", "="),
    ],
)
def test_units_and_hedges(text: str, value: float, unit: str, comparator: str) -> None:
    found = [m for m in find_numbers(matching_view(text)) if m.unit]
    m = found[-1]
    assert (m.value, m.unit, m.comparator) == (value, unit, comparator)


def test_signed_word_is_not_a_hedge() -> None:
    # 签约 ends in 约 but is no "about".
    m = _only("完成签约2296户")
    assert m.comparator == "="


def test_offsets_hold_on_full_width_text() -> None:
    text = "完成签约２２９６户"
    m = _only(text)
    assert text[m.start : m.end] == "２２９６"
    assert m.value == 2296


def test_colloquial_hundred_million_scales_like_yi() -> None:
    assert unit_scale("个亿") == 1e8
    assert unit_base("个亿") == ""
