"""Cue words that decide a number's measure and sign, its comparator (预计), its kind (target or actual)
and its period (1-9月, 上半年, 累计), following the conventions of GUIDELINE.md.
"""

from __future__ import annotations

import re

from ingest.clauses import CLAUSE_BOUNDARY, clause_end, clause_start, full_sentence_start
from ingest.metrics import opens_with_noun
from ingest.models import DocumentMetadata
from ingest.numbers import parse_chinese_numeral

# Patterns of the rules below, compiled once at import.
_COMMA_RE = re.compile(r"[,，]")
_SEMICOLON_RE = re.compile(r"[;；]")
_HAS_NUMBER_RE = re.compile(r"\d|[一二两三四五六七八九十]")
_OWN_SUBJECT_RE = re.compile(r"[^共我镇街道全区市县]{2,}$")
_BULLET_RE = re.compile(r"[·•]")
_CLAUSE_SEP_RE = re.compile(r"[,，;；]")

# --- Words that decide measure, sign, comparator, kind and period ---------------------------------------

_GROWTH_LEAD_RE = re.compile(
    r"增长|增速|增幅|下降|下滑|减少|降低|缩短|压缩|提高|提升|上升|回落|负增长|增加|同比|环比|比上年|较上年|比去年|较去年|增|降|涨|减"
)
_GROWTH_AFTER_RE = re.compile(r"^(?:以上|以内|左右)?(?:的)?(?:增速|增幅|增长)")
_NEGATIVE_RE = re.compile(r"下降|下滑|减少|降低|回落|负增长|缩短|压缩|降|减")
_PLAIN_CHANGE_RE = re.compile(r"增长|下降|增速|增幅|提高|降低")
_RATIO_METRIC_RE = re.compile(r"(?:率|比重|占比|比例|份额|覆盖面|达标|水平)$")
_SHARE_LEAD_RE = re.compile(r"占[^,，。；;]{0,20}(?:的)?$")
_CONTINUATION_RE = re.compile(r"^\s*(?:同比|比上年|较上年|比去年|环比|增长|下降|增幅|增速|占|其中|分别)")
# Words that may stand before a 预计 that still opens its clause: a time, the reporting unit.
_FORECAST_OPENER_RE = re.compile(
    r"\s*(?:(?:19|20)\d\d年|全年|今年|年内|下半年|全年度|全镇|我镇|全乡|全街道|街道|全区|全县|全市)*\s*"
)
# A clause after 预计 that states a result of its own: a fresh result verb, or a new time or subject.
_FRESH_VERB_RE = re.compile(
    r"实现|完成|新增|引进|开展|建成|共有|已|截至|目前|全年|今年|(?:19|20)\d\d年|同时|此外|另外"
)
# Cues of a goal in the clause of a number (力争引进…, 确保…, 增长5%以上的目标), and stronger cues that
# open a sentence-long list of goals (主要预期目标是…, 计划…).
_TARGET_CUE_RE = re.compile(
    r"力争|确保|预期|计划|预计到|力求|努力|拟|规划|打算|锚定|(?<![总])目标(?!定位)|"
    # 争取 sets a goal before a verb (争取创建); 向上争取资金 reports money secured.
    r"争取(?=实现|完成|创建|创成|达到|引进|新增|突破|建成|盘活|全年|新建|培育|列入|成功)|"
    # 将/要 mark the future only before a verb (将新建, 要确保); 将5个村纳入 or 主要 do not.
    r"(?:将|要)(?:继续|进一步|全力|加快|力争|确保|实现|完成|新建|推进|打造|建成|达到|突破|保持|新增|引进|培育|实施)"
)
# In a review, a clause that sets a goal for the rest of the year (力争全年完成…) states a target.
_REVIEW_GOAL_RE = re.compile(r"力争|确保")
_TARGET_LIST_CUE_RE = re.compile(
    r"(?:主要|预期|发展|奋斗|工作)目标(?:是|为|:|,|包括|如下)|力争|确保|争取|计划|锚定"
)


def target_cue(
    view: str, full_start: int, clause_start: int, num_lo: int, span_end: int, sent_end: int
) -> bool:
    """Whether a number outside any plan section is a goal by its own words."""
    clause_after = view[span_end : clause_end(view, span_end, sent_end) + 4]
    if _TARGET_CUE_RE.search(view[clause_start:num_lo]) or _TARGET_CUE_RE.search(clause_after):
        return True
    return bool(_TARGET_LIST_CUE_RE.search(view[full_start:clause_start]))


_TARGET_LEAD_RE = re.compile(r"(?:目标任务|目标|计划|任务|年度任务|年计划)(?:数)?$")
_TO_LEVEL_RE = re.compile(
    r"(?:提高|提升|增长|增加|上升|下降|降低|减少|增|降)(?:到|至)\s*$|由[^,，]*(?:提高|提升|增长|增加|上升|下降|降低|减少)$"
)
_COMPLETION_RE = re.compile(
    r"(?:完成|超额完成|超|为|达)(?:了)?(?:年度|全年|年)?(?:目标|计划|任务)(?:任务)?(?:的)?\s*$"
)
_PLANNED_RE = re.compile(
    r"(?:^|其中|年|年度|全年|今年|并|还|同时|将)(?:计划|目标|预期)(?:实施|投资|完成|新增|引进|建设)?$"
)
_TARGET_YEAR_RE = re.compile(r"到\s*((?:19|20)\d\d)\s*年")

_PERIOD_RANGE_RE = re.compile(r"(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月")
_PERIOD_UNTIL_RE = re.compile(
    r"截[至止](?:今年|(?:19|20)\d\d年)?(\d{1,2})月(?:底|末|份)?|前(\d{1,2}|[二三四五六七八九十]{1,2})个月"
)
_PERIOD_WORDS = {
    "前三季度": "ytd:1-9",
    "上半年": "ytd:1-6",
    "半年度": "ytd:1-6",
    "一季度": "ytd:1-3",
    "第一季度": "ytd:1-3",
}
_PERIOD_WORD_RE = re.compile("|".join(_PERIOD_WORDS))
# Parts of the year a goal may be set for (下半年力争新增…: the rest of the year).
_PLAN_PERIOD_WORDS = {"下半年": "ytd:7-12", "上半年": "ytd:1-6", "一季度": "ytd:1-3", "第一季度": "ytd:1-3"}
_PLAN_PERIOD_WORD_RE = re.compile("|".join(_PLAN_PERIOD_WORDS))
# Words that set a goal back to the whole year (力争全年…); 当年 (当年注册当年纳税) means "the same year".
_GOAL_YEAR_RE = re.compile(r"全年|年内|今年")
_CUMULATIVE_RE = re.compile(r"累计")
# A figure over several years in its own clause: an average per year (年均增长, not PM2.5年均值 or 年均浓度),
# or a change since the end of the last Five-Year Plan (较“十二五”末增长27%).
# A span of years (2021-2022年投资约3500万元) is a total over them too.
_MULTI_YEAR_RE = re.compile(
    r"年均(?!值|浓度)|较[“\"]?十[一二三四五]五[”\"]?(?:时期)?末|"
    r"(?:19|20)\d\d\s*年?\s*[-—~至到]\s*(?:19|20)\d\d\s*年"
)
# A sentence on the last five years: its figures are totals over them.
_FIVE_YEARS_RE = re.compile(r"五年来|过去五年|近五年")
_YEAR_NAMED_RE = re.compile(r"(?:19|20)\d\d\s*年")
_YEAR_WIDE_RE = re.compile(r"全年|今年以来|今年|年内|当年|本年|年度|(?:19|20)\d\d\s*年(?!以来|来)")

_DOC_PERIOD_RE = re.compile(
    r"(?P<year>(?:19|20)\d\d\s*年)?\s*(?:(?P<first>\d{1,2})\s*[-—–~至到]\s*(?P<last>\d{1,2})\s*月|(?P<word>上半年|前三季度|一季度))"
    r"(?:份)?[^。\n]{0,20}?(?:工作)?(?:总结|回顾|执行情况|完成情况|运行情况|情况|报告)"
)


def doc_period(view: str, metadata: DocumentMetadata | None) -> str | None:
    """A report on 1-6月 or 上半年 of a year (its title says so) gives that period to its whole review.

    A title may leave the year out (街道上半年工作总结); such a phrase counts only as a title or a heading
    line of its own, not inside a paragraph (上半年疫情防控情况…).
    """
    title = metadata.title if metadata and metadata.title else ""
    for head in (title, view[:800]):
        for m in _DOC_PERIOD_RE.finditer(head):
            if not m.group("year"):
                line_lo = head.rfind("\n", 0, m.start()) + 1
                line_hi = head.find("\n", m.end())
                if len(head[line_lo : line_hi if line_hi >= 0 else len(head)].strip()) > 40:
                    continue
            if m.group("first"):
                return range_period(int(m.group("first")), int(m.group("last")))
            return _PERIOD_WORDS[m.group("word")]
    return None


def range_period(a: int, b: int) -> str:
    if a == 1 and b == 12:
        return "year"
    return f"ytd:{a}-{b}"


def period_of(view: str, sent_start: int, num_start: int, doc_period: str | None, section: str) -> str:
    """The period of a number from its own sentence (GUIDELINE conventions).

    `section` is 'plan' for every goal: a goal is for the whole year unless its own sentence names a part
    of it (下半年力争新增…); month ranges and 累计 in a goal do not describe a period already past.
    """
    if _MULTI_YEAR_RE.search(view, clause_start(view, sent_start, num_start, CLAUSE_BOUNDARY), num_start):
        return "cumulative"  # 年均增长8%, 较“十三五”末增加9784元: a change over several years
    five = _FIVE_YEARS_RE.search(view, full_sentence_start(view, 0, num_start), num_start)
    if five and not _YEAR_NAMED_RE.search(view, five.end(), num_start):
        # 五年来,共引进过亿元招商引资项目18个,总投资超40亿元; a year named later (…,2020年,全镇共完成固定
        # 资产投资6.7亿元) ends the five years.
        return "cumulative"
    if section == "plan":
        # The last period named before the number wins: 上半年完成5亿元,力争全年完成12亿元 sets a goal
        # for the year.
        found_word = None
        for m in _PLAN_PERIOD_WORD_RE.finditer(view, sent_start, num_start):
            found_word = m.group(0)
        last_year_wide = max(
            (m.start() for m in _GOAL_YEAR_RE.finditer(view, sent_start, num_start)), default=-1
        )
        if found_word is None or last_year_wide > view.rfind(found_word, sent_start, num_start):
            return "year"
        return _PLAN_PERIOD_WORDS[found_word]
    head = view[full_sentence_start(view, 0, num_start) : num_start]
    found: tuple[int, str] | None = None
    for m in _PERIOD_RANGE_RE.finditer(head):
        found = (m.start(), range_period(int(m.group(1)), int(m.group(2))))
    for m in _PERIOD_UNTIL_RE.finditer(head):
        months = m.group(1) or m.group(2)
        n = int(months) if months.isdigit() else int(parse_chinese_numeral(months) or 0)
        if 1 <= n <= 12 and (found is None or m.start() > found[0]):
            found = (m.start(), range_period(1, n))
    for m in _PERIOD_WORD_RE.finditer(head):
        if found is None or m.start() > found[0]:
            found = (m.start(), _PERIOD_WORDS[m.group(0)])
    if found:
        return found[1]
    cum = None
    for m in _CUMULATIVE_RE.finditer(head):
        cum = m
    if cum is not None:
        before = head[: cum.start()]
        clause_lead = before[clause_start(before, 0, len(before), CLAUSE_BOUNDARY) :]
        # 全年累计 / 今年以来累计 is the year; 固定资产投资累计完成 accumulates over the year too.
        # 累计 governs its own clause with the list it opens (累计出栏生猪…、肉牛…) and the run of
        # comma-joined clauses that share its subject (累计摸排住户482户,收集证件1200余件). A clause with a
        # subject of its own (肉类总产量…), a clause without a number, or a ； ends the run.
        tail = head[cum.end() :]
        clauses = _COMMA_RE.split(tail)
        run_unbroken = (
            not _SEMICOLON_RE.search(tail)
            and all(_HAS_NUMBER_RE.search(c) for c in clauses[:-1])
            and not any(opens_with_noun(c) and not _CONTINUATION_RE.match(c) for c in clauses[1:])
        )
        if run_unbroken and not _YEAR_WIDE_RE.search(before) and not _OWN_SUBJECT_RE.search(clause_lead):
            return "cumulative"
    return doc_period if (doc_period and section != "plan") else "year"


def forecast_covers(head: str) -> bool:
    """Whether a 预计 before the number still governs it (GUIDELINE: 预计 covers the clause or the list it
    opens, up to the next 。 or a fresh verb such as 实现/完成).

    `head` runs from the start of the 。-sentence to the number. A 预计 that opens its clause (预计…,
    全年预计…) opens a list: later clauses stay in its scope until one opens with its own result verb
    (实现…, 完成…) or a new time (截至目前). A 预计 after its subject (税收预计1700万元) covers that
    subject's clause and the clauses that only continue it (同比增长…).
    """
    if "预计" not in head:
        return False  # the common case, decided before any split
    head = _BULLET_RE.split(head)[-1]  # a bullet (·下半年预计…) starts a sentence of its own
    at = head.rfind("预计")
    if at < 0:
        return False
    clauses = _CLAUSE_SEP_RE.split(head[at + 2 :])
    lead = _CLAUSE_SEP_RE.split(head[:at])[-1]
    if _FORECAST_OPENER_RE.fullmatch(lead):
        # A 预计 that opens the sentence heads a list across ；; one that opens a later clause
        # (…其中工业项目4个,预计总投资1亿元;农业项目5个) ends at the next ；.
        if _SEMICOLON_RE.search(head[at:]) and _CLAUSE_SEP_RE.search(head[:at]):
            return False
        return not any(_FRESH_VERB_RE.search(clause) for clause in clauses[1:])
    return all(_CONTINUATION_RE.match(clause) for clause in clauses[1:])


def measure_and_sign(
    view: str,
    unit_norm: str,
    lead: str,
    metric_raw: str,
    comma_lo: int,
    comma_full: int,
    num_lo: int,
    after: str,
) -> tuple[str, float]:
    """(measure, sign) of a number from its unit and the words around it.

    `lead` holds the words between the metric and the number (增长, 占…的, 由…提高到); `after` the few
    characters after the unit (以上的增速).
    """
    if unit_norm in ("个百分点", "百分点"):
        return "growth_pp", -1.0 if _NEGATIVE_RE.search(lead) else 1.0
    if unit_norm in ("%", "‰"):
        if not lead.strip(" 和、及与或"):
            lead = view[comma_full:num_lo]  # 分别增长6.0%和8.5%: the second number shares the verb
        ratio_metric = bool(_RATIO_METRIC_RE.search(metric_raw))
        after_minus = view[num_lo] in "-−"  # a signed percentage is a change: 同比-6.2%
        growth_lead = bool(_GROWTH_LEAD_RE.search(lead)) or bool(_GROWTH_AFTER_RE.match(after))
        if _SHARE_LEAD_RE.search(view[comma_lo:num_lo]) and not growth_lead:
            measure = "ratio_pct"
        elif _TO_LEVEL_RE.search(lead):
            measure = "ratio_pct"  # 由48%提高到60%: the new level, not a change
        elif after_minus or (growth_lead and not (ratio_metric and not _PLAIN_CHANGE_RE.search(lead))):
            measure = "growth_pct"
        else:
            measure = "ratio_pct"
    else:
        return "level", 1.0
    sign = -1.0 if measure == "growth_pct" and _NEGATIVE_RE.search(lead) else 1.0
    return measure, sign


def review_kind(
    view: str, lead: str, measure: str, clause_lo: int, metric_lo: int | None, comma_full: int, num_lo: int
) -> str:
    """Kind of a number in a review section: an actual, unless its words make it a goal.

    完成年度目标42亿元的92%: the 42亿元 is the target, the 92% an actual ratio; 力争全年完成… sets a goal
    for the rest of the year.
    """
    planned = metric_lo is not None and _PLANNED_RE.search(view[clause_lo : min(metric_lo, num_lo)])
    targetish = _TARGET_LEAD_RE.search(lead.rstrip("的")) or planned
    if _REVIEW_GOAL_RE.search(view[comma_full:num_lo]):
        return "target"
    return "target" if measure == "level" and targetish else "actual"


def unheaded_kind(
    view: str,
    lead: str,
    measure: str,
    full_start: int,
    comma_full: int,
    num_lo: int,
    span_end: int,
    sent_end: int,
) -> str:
    """Kind of a number outside any review or plan section, decided by its own words."""
    kind = "target" if target_cue(view, full_start, comma_full, num_lo, span_end, sent_end) else "actual"
    if measure == "ratio_pct" and _COMPLETION_RE.search(view[comma_full:num_lo]):
        return "actual"  # 完成年度目标的108%: how much of the goal was met
    if kind == "actual" and measure == "level" and _TARGET_LEAD_RE.search(lead.rstrip("的")):
        return "target"
    return kind


def target_year(sentence: str) -> int | None:
    """The year a goal names for itself (到2025年…)."""
    m = _TARGET_YEAR_RE.search(sentence)
    return int(m.group(1)) if m else None


_FORECAST_YEAR_RE = re.compile(r"预计[^,，;；。]{0,6}?((?:19|20)\d\d)\s*年")


def forecast_year(head: str, review_year: int | None) -> int | None:
    """The year of a forecast that names a year after the one under review (预计2025年2月建成投产,
    年营业收入达22.4亿元): its figures are goals of that year, not results of the review year."""
    at = head.rfind("预计")
    if at < 0 or review_year is None:
        return None
    m = _FORECAST_YEAR_RE.match(head, at)
    if m and int(m.group(1)) > review_year:
        return int(m.group(1))
    return None
