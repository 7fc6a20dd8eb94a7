"""Which numbers of a text are quantities at all (GUIDELINE "Not facts"): dates, ordinals, codes, names,
slogans, enumerations and thresholds inside metric names are dropped (portal chrome is ingest.boilerplate's).
"""

from __future__ import annotations

import re

from ingest.clauses import CLAUSE_BOUNDARY
from ingest.numbers import CN_CONCRETE_UNITS, NumberMention, word_set

# Patterns of the rules below, compiled once at import.
_RANGE_WORD_BEFORE_RE = re.compile(r"\d\s*[至到]\s*$")
_SIZE_CLASS_NAME_RE = re.compile(
    r"[级以]?[\u4e00-\u9fff]{0,4}?(?:企业|项目|工程|村|户|大户|规模|产业|集群|平台)"
)
_DIGIT_RE = re.compile(r"\d")

# Words after an 以上/以下 that make the number a threshold inside a metric name (亿元以上项目, 50万元以上村).
_THRESHOLD_TAIL_RE = re.compile(r"(?:以上|以下|以内)(?![的,，。；;、:：)）]|$)")
_THRESHOLD_COMPARE_RE = re.compile(r"(?:低于|高于|不足|超过|大于|小于)$")
_RANK_AFTER_RE = re.compile(r"^[^,，。；;]{0,14}第[\d一二三四五六七八九十]+[位名]")
_EVENT_AFTER_RE = re.compile(r"^(?:会议|全会|代表大会|党代会|人代会|届|产业)")
# Words after a count that make it an enumeration or a name: 四个方面, 两个确立, 三位一体, 八项规定.
_ABSTRACT_AFTER_RE = re.compile(
    r"^(?:方面|确立|维护|坚持|统筹|必须|意识|自信|一号|原则|优先|不|是|要|到位|结合|服从|一体|规定|合一|融合|联动|"
    r"并举|齐抓|同步|协同|清零|全覆盖|之年|战略|精神|攻坚战)"
)
_SLOGAN_MINUTES_RE = re.compile(r"^[^,，。；;]{0,8}圈")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")

# A count of the villages or communities that opens its clause (17个村(社区)集体经营性收入…, 14个村社联合
# 组建…) names the set the clause is about, not a result; the clause's own figure or action is the fact.
_VILLAGES_AS_SUBJECT_RE = re.compile(
    r"(?:行政村|村社|村|社区)(?:[(（]社区[)）])?(?![级民组庄委])[\u4e00-\u9fff]"
)
_SUBJECT_LEAD_RE = re.compile(
    r"\s*(?:截至目前|目前|预计|全镇|全乡|全街道|全区|全县|我镇|我乡|我街道|[\u4e00-\u9fff]{1,4}?(?:镇|乡|街道))?\s*"
)


def _is_clause_subject(view: str, start: int) -> bool:
    """Whether a number opens its clause, after no more than a time, 预计 or the reporting unit's name."""
    lo = max(0, start - 12)
    cut = max(view.rfind(ch, lo, start) for ch in CLAUSE_BOUNDARY)
    if cut < 0 and lo > 0:
        return False  # a long lead: the number is no clause opener
    return bool(_SUBJECT_LEAD_RE.fullmatch(view, cut + 1, start))


def _in_quotes(view: str, start: int, end: int) -> bool:
    """Whether a number sits inside a short quoted name (“20条”, “15分钟品质文化生活圈”)."""
    open_at = view.rfind("“", max(0, start - 12), start)
    if open_at < 0:
        return False
    if view.find("”", open_at, start) >= 0:
        return False
    close_at = view.find("”", end, end + 16)
    return close_at >= 0


_COUNT_UNITS = word_set(
    "个 家 户 人 名 位 项 件 条 处 座 所 宗 批 起 块 份 支 张 只 套 类 轮 场 "
    "场次 次 人次 辆 台 栋 幢 间 村 家次 户次"
)
_BARE_SCALE_NUMERALS = frozenset("十百千万亿")
_MONEY_UNIT_RE = re.compile(r"元$|^(?:万|亿|千万|百万)$")
_MONEY_CLASS_AFTER_RE = re.compile(
    r"(?:级|规模)?(?:项目|企业|大项目|工程)|的?(?:村|社区|企业|项目|户|家)?\d+(?:\.\d+)?(?![\d.]|\s*%)"
)
_ONE_OF_RE = re.compile(r"^[^,，。；;]{0,10}之一")


def is_quantity(view: str, m: NumberMention) -> bool:
    before = view[max(0, m.start - 2) : m.start]
    after = view[m.span_end : m.span_end + 16]
    prev = view[m.start - 1] if m.start > 0 else ""
    if before.endswith(("第", "前", "No", ".")) or view.startswith("连续", m.start - 2):
        return False
    if m.value < 0 and prev in "-−":
        pass  # a signed change (同比-6.2%), not a range or a code
    elif prev and (prev.isdigit() or prev in "+/-—–~～·:" or (prev.isascii() and prev.isalpha())):
        return False  # 1+5, PM2.5, 5G, 3.28, the upper end of 5-8% ...
    if _RANGE_WORD_BEFORE_RE.search(view[max(0, m.start - 4) : m.start]):
        return False  # the upper end of 3至5家, read with its lower end
    if prev in ("数", "几", "若") and m.chinese:
        return False  # 数十家, 几百人: no number stated
    if view[m.end : m.end + 1] in ("+", "/", ":", ".") and not m.unit:
        return False
    if not m.unit:
        # A bare Arabic number counts only as N大 (8大服务平台); a Chinese one never does.
        return not m.chinese and view.startswith("大", m.end) and 1 <= m.value <= 99
    if m.chinese:
        if m.unit not in CN_CONCRETE_UNITS and not m.unit.startswith(("万", "亿")):
            return False  # 三大, 四方, 两年 are no quantities; 两万余米 is
        if prev in ("周", "初", "星", "期", "礼", "之", "万", "千", "百", "一", "十"):
            return False
        numeral = view[m.start : m.end]
        if numeral == "一" and (
            m.unit not in ("家", "所", "座", "名", "位", "户") or prev in "漏落每一" or after.startswith("一")
        ):
            return False  # 一批, 每一户, 不漏一户, 一户一档: no count
        if numeral == "二" and m.unit not in ("万", "亿") and not m.unit.startswith(("万", "亿")):
            # Chinese counts two things with 两 (两轮, 两个); a lone 二 before a classifier is an ordinal
            # or a name: 二轮延包 (the second round of leases), 二次供水, 二级.
            return False
        # 三个“一号工程”, 两个先行, 四个平台: a Chinese count before a noun names a set; a count that
        # follows its noun (管护资金项目两个) is a quantity. (五项企业保障举措 stays: the gold counts it.)
        if m.unit == "个" and after[:1] and (after[0] == "“" or "\u4e00" <= after[0] <= "\u9fff"):
            return False
        # 万亩连片, 千亩高产: a bare scale is a size class, unless hedged (近万名, 超千家).
        if numeral in _BARE_SCALE_NUMERALS and m.comparator == "=" and not view.startswith("达", m.start - 1):
            return False
        # 超亿元企业, 千万元项目: a size class inside a name, not an amount.
        if numeral in _BARE_SCALE_NUMERALS and _SIZE_CLASS_NAME_RE.match(after):
            return False
    if _ABSTRACT_AFTER_RE.match(after):
        return False
    if m.unit in ("年", "年度", "周") or view.startswith("年", m.end):
        return False  # years, 过去5年, 75周年; 连续N年 is optional at most
    if _YEAR_RE.fullmatch(view[m.start : m.end]) and not m.unit:
        return False
    if _EVENT_AFTER_RE.match(after) and m.unit in ("次", "届"):
        return False
    if m.unit == "分钟" and _SLOGAN_MINUTES_RE.match(after):
        return False
    if _in_quotes(view, m.start, m.end):
        return False
    # A threshold inside a metric name: 亿元以上项目, 50万元以上村数, 注册资金1000万以上29家. A count
    # before 以上 is the fact itself (3家以上企业).
    tail = view[m.end : m.span_end + 2]
    if (
        _THRESHOLD_TAIL_RE.search(tail)
        and m.comparator in (">=", "<=")
        and m.unit not in _COUNT_UNITS
        and m.unit not in ("%", "‰")
    ):
        return False
    if _THRESHOLD_COMPARE_RE.search(view[max(0, m.start - 3) : m.start]) and after.startswith("的"):
        return False
    if m.unit in _COUNT_UNITS and _THRESHOLD_TAIL_RE.search(tail):
        # 50头以上黄牛养殖企业共有42家: a count class when the clause goes on to give the count.
        rest = view[m.span_end : m.span_end + 20]
        rest = rest[: next((i for i, ch in enumerate(rest) if ch in CLAUSE_BOUNDARY), len(rest))]
        if _DIGIT_RE.search(rest):
            return False
    if _MONEY_UNIT_RE.search(m.unit) and _MONEY_CLASS_AFTER_RE.match(view, m.span_end):
        return False  # 过10亿元项目6个, 达到100万元的村2个: a size class, the count is the fact
    if view.startswith("年产", m.start - 2) and after[:1] and "\u4e00" <= after[0] <= "\u9fff":
        return False  # 年产200万吨机制砂项目: a plant's capacity inside its name
    if _ONE_OF_RE.match(after):
        return False  # 为全国15个县市区之一
    if m.unit == "个" and _VILLAGES_AS_SUBJECT_RE.match(after) and _is_clause_subject(view, m.start):
        return False  # 17个村(社区)网签合同工作正有序推进: the villages are what the clause is about
    # The count of a ranking's field (排名146个监测县第1位).
    return not (
        m.unit in ("个", "家") and _RANK_AFTER_RE.match(after) and "排" in view[max(0, m.start - 8) : m.start]
    )
