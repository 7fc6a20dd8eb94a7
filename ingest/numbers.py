"""Numbers as written in Chinese reports: Arabic and Chinese numerals, scales, units and hedges.

`find_numbers(view)` scans the matching view of a text (half-width, simplified; see ingest.normalize) and
returns every number that carries a unit or could be a quantity, with the unit and the comparator words
around it. Offsets are offsets into the view, which are the offsets into the original text as well.

What is and is not a quantity is decided partly here (dates, years, ordinals, codes, numbers inside
names) and partly in ingest.facts, which sees the sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (keeps long vocabularies compact)."""
    return frozenset(words.split())


# --- Chinese numerals -----------------------------------------------------------------------------------

CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGIT) + "".join(CN_SMALL_UNIT) + "".join(CN_BIG_UNIT)


def parse_chinese_numeral(text: str) -> float | None:
    """The value of a Chinese numeral such as 三, 十五, 两万, 一百二十, 三千五百, 万; None if malformed."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    # A plain run of digits (一二三) is a code or an enumeration, not a quantity, unless it is one char.
    if len(text) > 1 and all(ch in CN_DIGIT for ch in text):
        return None
    total = 0  # completed 万/亿 groups
    section = 0  # the part below the current 万/亿
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGIT:
            if digit is not None and digit != 0 and CN_DIGIT[ch] != 0:
                return None  # two digits in a row (三四) is not a numeral
            digit = CN_DIGIT[ch]
        elif ch in CN_SMALL_UNIT:
            section += (1 if digit is None else digit) * CN_SMALL_UNIT[ch]
            digit = None
        else:  # 万 or 亿
            section += digit or 0
            if section == 0:
                section = 1
            if ch == "亿":
                total = (total + section) * CN_BIG_UNIT[ch]
            else:
                total += section * CN_BIG_UNIT[ch]
            section = 0
            digit = None
    section += digit or 0
    return float(total + section)


def parse_arabic(text: str) -> float | None:
    """'1,234.5' -> 1234.5; None if the text is not a plain Arabic number."""
    cleaned = text.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    # A run of 309+ digits overflows to inf: not a quantity any report states, and never a value to store.
    return value if math.isfinite(value) else None


def parse_number_text(text: str) -> float | None:
    """The value of a number as written (Arabic, full-width Arabic or Chinese); None if not a number."""
    from ingest.normalize import matching_view  # local import keeps this module free of OpenCC at import time

    folded = matching_view(
        text
    )  # full-width digits and traditional numerals (萬, 億, 兩) as the rules saw them
    if folded and (folded[0].isdigit()):
        return parse_arabic(folded)
    return parse_chinese_numeral(folded)


# --- Units ----------------------------------------------------------------------------------------------

# Measure words and units as they follow a number. Longest first so that 万人次 wins over 万人 over 万.
_BASE_UNITS = [
    # money
    "元",
    "美元",
    "欧元",
    # percentages
    "%",
    "‰",
    "个百分点",
    "百分点",
    # areas, lengths, volumes, weights, energy
    "平方公里",
    "平方千米",
    "平方米",
    "㎡",
    "m²",
    "公顷",
    "亩",
    "方",
    "立方米",
    "立方",
    "公里",
    "千米",
    "米",
    "延米",
    "吨",
    "公斤",
    "千克",
    "斤",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "度",
    "标准煤",
    "吨标准煤",
    "标煤",
    "微克/立方米",
    "毫克/立方米",
    "毫克/升",
    "车次",
    "标箱",
    # people and events
    "人次",
    "人",
    "名",
    "位",
    "户次",
    "户",
    "家次",
    "家",
    "个",
    "项",
    "件",
    "条",
    "处",
    "座",
    "所",
    "宗",
    "批次",
    "批",
    "起",
    "块",
    "份",
    "支",
    "张",
    "只",
    "套",
    "类",
    "轮",
    "场次",
    "场",
    "次",
    "期",
    "辆",
    "台",
    "栋",
    "幢",
    "间",
    "床",
    "篇",
    "部",
    "册",
    "株",
    "棵",
    "头",
    "羽",
    "樘",
    "大户",
    "村",
    "镇",
    "所",
    "级",
    "倍",
    "段",
    "单",
    "笔",
    "组",
    "队",
    "班",
    "节",
    "课时",
    "分",
    "岁",
    "年",
    "天",
    "小时",
    "分钟",
    "个月",
    "周",
    "盏",
    "根",
    "杆",
    "口",
    "眼",
    "片",
    "幅",
    "面",
    "封",
    "箱",
    "袋",
    "瓶",
    "餐",
    "桌",
    "趟",
    "架",
    "艘",
    "门",
    "路",
    "颗",
    "本",
    "集",
    "首",
    "帧",
    "亿立方米",
    "万千瓦时",
    *word_set("辆次 艘次 架次 班次 台次 件次 学时 千伏 千伏安 兆伏安 MW kW GW kWh km kV TEU m³"),
]
# A bare scale is a unit too: 投资5028万, 20余万, 6.7亿, 3.5个亿.
_BARE_SCALES = ["千万", "百万", "亿", "万", "个亿"]
_SCALES = ["千万", "百万", "十万", "亿", "万", "千"]


def _build_units() -> list[str]:
    units = set(_BASE_UNITS) | set(_BARE_SCALES)
    for scale in ("亿", "万", "千万", "百万", "十万"):
        for base in _BASE_UNITS:
            if base in {"%", "‰", "个百分点", "百分点", "级", "倍", "岁", "分"}:
                continue
            units.add(scale + base)
    return sorted(units, key=len, reverse=True)


UNITS = _build_units()
UNIT_SET = frozenset(UNITS)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)

# Units for which a Chinese numeral is a quantity (三家, 两户); abstract ones (三个, 四项) are left to
# ingest.facts, which decides with the following words. Durations in Chinese numerals (两个月, 三天) narrate.
CN_CONCRETE_UNITS = word_set(
    "家 户 人 名 位 处 座 所 轮 批 条 宗 只 套 台 辆 栋 幢 间 块 份 件 场 场次 "
    "次 人次 个 项 类 村 亩 吨 元 万元 亿元 万人 万人次 万亩 万 亿 倍"
)

# --- Hedges and comparators -----------------------------------------------------------------------------

# Words right before a number. Longest first; the comparator they imply.
_PREFIX_HEDGES = [
    ("不少于", ">="),
    ("不低于", ">="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("超过", ">="),
    ("突破", ">="),
    ("多达", ">="),
    ("低于", "<="),
    ("不到", "<="),
    ("少于", "<="),
    ("接近", "~"),
    ("大约", "~"),
    ("超", ">="),
    ("逾", ">="),
    ("近", "~"),
    ("约", "~"),
    ("达", "="),
]
# The hedges by their last character, in the order above: the one character before a number picks the few
# that can end there (this runs for every number).
_PREFIX_HEDGES_BY_END = {
    end: [(word, comp) for word, comp in _PREFIX_HEDGES if word[-1] == end]
    for end in {w[-1] for w, _ in _PREFIX_HEDGES}
}
# Words right after a number (and its unit).
_SUFFIX_HEDGES = [("以上", ">="), ("以内", "<="), ("以下", "<="), ("左右", "~"), ("上下", "~")]
_SUFFIX_HEDGE_STARTS = frozenset(word[0] for word, _ in _SUFFIX_HEDGES)

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = f"[{CN_NUMERAL_CHARS}]+"

# A number, optional 余/多, optional unit (possibly with its own scale), optional trailing 余/多.
NUMBER_RE = re.compile(
    rf"(?P<num>{_ARABIC}|{_CN})"
    rf"(?P<approx1>[余多])?"
    rf"(?P<space> ?)"
    rf"(?P<unit>{_UNIT_RE})?"
    rf"(?P<approx2>余|多(?![元个项家]))?"
)
_SCALE_ONLY_RE = re.compile(r"(?P<scale>亿|万)(?P<approx>[余多])(?P<unit>" + _UNIT_RE + r")")


_RANGE_TAIL_RE = re.compile(rf"\s*[-—–~～至到]\s*{_ARABIC}\s*(?P<unit>{_UNIT_RE})")


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number found in the view, with what surrounds it. Offsets are into the view/original text."""

    start: int  # the number itself
    end: int
    value: float
    unit: str  # unit as it stands in the view, without 余/多 ('' if none)
    unit_start: int  # where the unit starts in the text (for copying unit_raw from the original)
    unit_pieces: tuple[tuple[int, int], ...]  # spans of the unit pieces (skipping 余/多)
    span_end: int  # end of number + unit + hedges
    comparator: str
    chinese: bool
    approx: bool  # 余/多 was written


# A one-character hedge that is really the end of a word: 签约, 节约, 最近, 附近, 赶超.
_HEDGE_WORD_ENDS = {
    "约": "签节预制合公条履邀相特缔",
    "近": "最附将亲靠邻贴",
    "超": "赶高",
    "达": "到下抵通送表传发",
}


def prefix_hedge(view: str, start: int) -> tuple[str | None, int]:
    """(comparator, start of the hedge word) for the words just before a number; (None, start) if none."""
    if start < 1:
        return None, start
    for word, comp in _PREFIX_HEDGES_BY_END.get(view[start - 1], ()):
        at = start - len(word)
        if at >= 0 and view.startswith(word, at):
            if len(word) == 1 and at > 0 and view[at - 1] in _HEDGE_WORD_ENDS.get(word, ""):
                continue
            return comp, at
    return None, start


_prefix_comparator = prefix_hedge


def _suffix_comparator(view: str, end: int) -> tuple[str | None, int]:
    if view[end : end + 1] not in _SUFFIX_HEDGE_STARTS:
        return None, end  # most numbers: no hedge after them, decided on one character
    for word, comp in _SUFFIX_HEDGES:
        if view.startswith(word, end):
            return comp, end + len(word)
    return None, end


def split_chinese_scale(num: str, rest_unit: str) -> tuple[str, str]:
    """'千亿'+'元' -> ('千', '亿元'): a trailing 万/亿 of a Chinese numeral is read as the unit's scale.

    Reports write 突破千亿元 and mean 1000 亿元; the gold keeps the scale with the unit.
    """
    for scale in ("亿", "万"):
        if num.endswith(scale) and len(num) > len(scale) and (scale + rest_unit) in UNIT_SET:
            return num[: -len(scale)], scale + rest_unit
    return num, rest_unit


def _is_minus_sign(view: str, start: int) -> bool:
    """A minus right before a number that is no range dash or code: nothing alphanumeric before it."""
    if start < 1 or view[start - 1] not in "-−":
        return False
    before = view[start - 2] if start >= 2 else ""
    return not (before.isascii() and before.isalnum())  # 5-8% is a range, G-2 a code


def find_numbers(view: str) -> list[NumberMention]:
    """Every candidate number of the view with its unit and comparator; filtering is left to the caller."""
    out: list[NumberMention] = []
    for m in NUMBER_RE.finditer(view):
        num = m.group("num")
        start, num_end = m.span("num")
        chinese = not num[0].isdigit()
        unit = m.group("unit") or ""
        unit_pieces: list[tuple[int, int]] = [m.span("unit")] if unit else []
        approx = bool(m.group("approx1") or m.group("approx2"))
        span_end = m.end()
        if chinese:
            # 三四 or 第一 are handled by callers; here only the numeral and its scale.
            num2, unit2 = split_chinese_scale(num, unit)
            if num2 != num:
                num_end = start + len(num2)
                unit_pieces = [(num_end, num_end + len(num) - len(num2)), *unit_pieces]
                num, unit = num2, unit2
            value = parse_chinese_numeral(num)
        else:
            value = parse_arabic(num)
            if unit == "个亿" and view.startswith("元", m.end("unit")):
                # 3个亿元以上项目: a count of 个 before a size class, not 3个亿.
                u0 = m.start("unit")
                unit, unit_pieces, span_end = "个", [(u0, u0 + 1)], u0 + 1
            # 5万余件: the scale sits before 余 and the unit after it.
            if unit in {"万", "亿"} and m.group("approx2"):
                tail = _SCALE_ONLY_RE.match(view, m.start("unit"))
                if tail:
                    unit = tail.group("scale") + tail.group("unit")
                    unit_pieces = [tail.span("scale"), tail.span("unit")]
                    span_end = tail.end()
        if value is None:
            continue
        if not chinese and _is_minus_sign(view, start) and unit in ("%", "个百分点", "百分点"):
            value = -value  # 同比分别-6.2%、-19.3%, 增长-3.2%: a signed change
        range_tail = None if (unit or chinese) else _RANGE_TAIL_RE.match(view, span_end)
        if range_tail:
            # 增长5-8%, 3至5家: the range is read as "at least" its lower end, in the upper end's unit.
            unit = range_tail.group("unit")
            unit_pieces = [range_tail.span("unit")]
            span_end = range_tail.end()
        comparator = "="
        if approx or range_tail:
            comparator = ">="
        pre, _ = _prefix_comparator(view, start)
        if pre == "<=" and unit.endswith("百分点"):
            pre = None  # 低于全市2个百分点 states a gap, not a ceiling
        post, post_end = _suffix_comparator(view, span_end)
        if post:
            span_end = post_end
        for candidate in (post, pre):
            if candidate and candidate != "=":
                comparator = candidate
                break
        unit_start = unit_pieces[0][0] if unit_pieces else num_end
        out.append(
            NumberMention(
                start=start,
                end=num_end,
                value=value,
                unit=unit,
                unit_start=unit_start,
                unit_pieces=tuple(unit_pieces),
                span_end=span_end,
                comparator=comparator,
                chinese=chinese,
                approx=approx,
            )
        )
    return out


def unit_scale(unit: str) -> float:
    """The multiplier a unit's scale prefix carries: 亿元 -> 1e8, 万人次 -> 1e4, 元 -> 1."""
    for scale, factor in (
        ("千万", 1e7),
        ("百万", 1e6),
        ("十万", 1e5),
        ("个亿", 1e8),
        ("亿", 1e8),
        ("万", 1e4),
    ):
        if unit.startswith(scale):
            return factor
    return 1.0


def unit_base(unit: str) -> str:
    """A unit without its scale prefix and without 余/多: 万余人次 -> 人次, 亿元 -> 元."""
    unit = unit.replace("余", "").replace("多", "")
    for scale in ("千万", "百万", "十万", "个亿", "亿", "万"):
        if unit.startswith(scale):
            return unit[len(scale) :]
    return unit
