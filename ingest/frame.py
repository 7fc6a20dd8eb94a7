"""The document frame: what a text is, who wrote it, when, and which years its parts cover.

Decided once per document, with the clues that decided it, and read by every later step:

- the unit (name, level, parent) and the publication date come from the head (`ingest.metadata.read_head`);
- the *kind of text*: an annual work report, a plan, a mid-year summary, a five-year review, a budget
  report, a report on the execution of the plan, or a news story about a report or a meeting;
- the *review year* and the *plan year* the text states (one year engine, below): from the title,
  section headings, body cues (2022年工作回顾, 2023年主要预期目标, 力争2024年…, 预算执行情况和…预算草案),
  relative words (一年来, 今年将, 新的一年) read against the publication date, and the Five-Year-Plan
  calendar (“十四五”规划收官之年 is 2025);
- which parts the text has: a text with a plan and no review (a plan, or a news story on the targets of
  the year) is all plan, so its figures are targets of the plan year;
- the *working years* facts fall back on when the text states only one of them (`working_years`).

Every decision carries its evidence: a list of {"field", "value", "clue", "text"} stored as JSON in
dim_documents.frame_evidence, so an analyst can see why a document got its years.

This module owns the words that name a review part and a plan part (REVIEW_WORDS, PLAN_WORDS ...);
`ingest.sections` reads headings with the same lists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ingest.cues import doc_period
from ingest.metadata import _HEADING, _PINYIN_GLOSS, _Page, read_head
from ingest.models import DocumentMetadata
from ingest.normalize import matching_view
from ingest.rules import enabled, rule
from ingest.textview import compact_text

# --------------------------------------------------------------------------------------------------
# Words that name the parts of a report (the only copy: ingest.sections imports them)

# A part that reports on a past period.
REVIEW_WORDS = (
    r"回顾|总结|工作情况|主要成绩|取得的成绩|成效|执行情况|完成情况|过去的一年|过去一年|过去五年|"
    r"工作成效|进展情况|运行情况|发展情况|开展情况|主要做法|亮点|成果|回眸|基本情况"
)
# A part that sets out a coming period.
PLAN_WORDS = (
    r"计划|思路|打算|安排|展望|预期目标|主要目标|目标任务|工作要点|总体要求|努力方向|工作方向|谋划|部署|"
    r"草案|下一步|下步|今后|明年|新的一年|新一年"
)
# Words that head either part (2023年主要工作, 重点工作): the heading's year decides.
EITHER_WORDS = r"主要工作|重点工作|主要任务|工作重点"
# Nouns of aims that, in a heading with a year, open the plan part (2024年重点指标, 2023年目标任务).
GOAL_WORDS = r"目标|任务|重点|要点|方向|指标|预算"

DOCUMENT_KINDS = (
    "annual_report",  # a work report: review of a year, often a plan for the next
    "plan",  # a plan or targets only (工作计划, 工作要点, a story on the year's targets)
    "mid_year_summary",  # 上半年工作总结, 1-6月…执行情况: actuals of the current year
    "five_year_review",  # 十三五工作总结, 过去五年: a review of a five-year period
    "budget_report",  # 预算执行情况和预算草案, 政府预算报告
    "plan_execution_report",  # 国民经济和社会发展计划执行情况与…计划草案
    "news",  # a news story about a report or a meeting
)

# The Five-Year Plans, by their first year: “十四五” runs 2021-2025.
FIVE_YEAR_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One clue behind one decision of the frame."""

    field: str  # district | published_on | document_kind | review_year | plan_year | parts
    value: str
    clue: str  # the rule that fired: title, heading, body:plan-goal, relative:今年将, ...
    text: str  # the words of the report that carry the clue, short


@dataclass(frozen=True, slots=True)
class DocumentFrame:
    metadata: DocumentMetadata
    plan_only: bool  # the text has a plan part and no review part
    evidence: list[Evidence] = field(default_factory=list)


def build_frame(text: str) -> DocumentFrame:
    """The frame of one report, read once."""
    head = read_head(text)
    page = head.page
    evidence: list[Evidence] = []
    if head.district is not None:
        clue = head.district_clue or "unit"
        evidence.append(Evidence("district", head.district.name, clue, head.district_line or ""))
    if head.published is not None:
        evidence.append(
            Evidence("published_on", head.published.isoformat(), "date", head.published_line or "")
        )
    years = _years(page, head.title, head.published)
    evidence += years.evidence
    review_year, plan_year = years.review, years.plan
    plan_only = plan_year is not None and review_year is None and years.review_undated is None
    if plan_only:
        evidence.append(Evidence("parts", "plan", "no review part", ""))
    elif years.review_undated is not None:
        evidence.append(Evidence("parts", "review", "undated review cue", years.review_undated))
    kind: str | None
    kind, kind_clue, kind_text = _document_kind(page, head.title, plan_only)
    if kind == "annual_report" and not evidence and head.title is None:
        kind = None  # nothing read at all: no guess either
    else:
        evidence.append(Evidence("document_kind", kind, kind_clue, kind_text))
    metadata = DocumentMetadata(
        district=head.district.name if head.district else None,
        district_level=head.district.level if head.district else None,
        parent_unit=head.parent.name if head.parent else None,
        published_on=head.published,
        review_year=review_year,
        plan_year=plan_year,
        title=head.title,
        document_kind=kind,
        frame_evidence=_as_json(evidence),
    )
    if metadata == DocumentMetadata():
        return DocumentFrame(metadata, plan_only, evidence)
    # The parts of the text as facts will read them: each section's kind, year and default period.
    evidence += _section_evidence(text, metadata)
    return DocumentFrame(replace(metadata, frame_evidence=_as_json(evidence)), plan_only, evidence)


def _as_json(evidence: list[Evidence]) -> str | None:
    return json.dumps([_as_dict(e) for e in evidence], ensure_ascii=False) if evidence else None


_MAX_SECTIONS = 12  # sections listed in the evidence


def _section_evidence(text: str, metadata: DocumentMetadata) -> list[Evidence]:
    """One clue per section (kind, year, default period), on the text as ingest.facts reads it."""
    # ingest.sections reads headings with this module's word lists, so it is imported here, not on top.
    from ingest.sections import split_sections

    compact = compact_text(text)
    body = compact[0] if compact is not None else text
    view = matching_view(body)
    sections = split_sections(body, view, metadata)
    period = doc_period(view, metadata) or "year"
    out = []
    for span in sections.spans[:_MAX_SECTIONS]:
        line_end = view.find("\n", span.start)
        words = view[span.start : line_end if line_end >= 0 else len(view)].strip()
        clue = "heading" if sections.headed else "paragraph cue"
        if span.start == 0 and span.section == "plan" and not sections.headed:
            clue = "all plan"
        default = "year" if span.section == "plan" else period  # goals are for the year unless they say
        value = f"{span.section}, year {span.year or '-'}, period {default}"
        out.append(Evidence("section", value, clue, words))
    return out


def _as_dict(e: Evidence) -> dict[str, str]:
    return {"field": e.field, "value": e.value, "clue": e.clue, "text": e.text[:_MAX_EVIDENCE]}


_MAX_EVIDENCE = 80  # characters of report text kept per clue


def is_plan_only(metadata: DocumentMetadata | None) -> bool:
    """Whether the frame found a plan part and no review part (document_kind plan, or a story on targets)."""
    if metadata is None or metadata.frame_evidence is None:
        return False
    return any(
        e.get("field") == "parts" and e.get("value") == "plan" for e in json.loads(metadata.frame_evidence)
    )


# --------------------------------------------------------------------------------------------------
# Kind of text

# A news story opens with its dateline or a reporter: 本报讯, 日前/近日/昨日, 3月3日,…召开.
_NEWS_LEAD = re.compile(
    r"^\s*(?:本报讯|[(【]?[^)】]{0,6}记者|日前|近日|昨日|昨天|\d{1,2}月\d{1,2}日(?:上午|下午|晚)?[,，]|"
    # 2020年12月28日-29日,沈北新区第四届人民代表大会第四次会议胜利召开: a dateline on a meeting.
    r"(?:\d{2,4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日[^。]{0,60}?(?:召开|开幕|举行|闭幕))"
)
_NEWS_BYLINE = re.compile(
    r"本报讯|[(（【][^)）】]{0,6}记者|记者[^,。]{0,6}(?:获悉|了解到|看到)|新闻记者|融媒体中心|报记者"
)
_BUDGET_TITLE = re.compile(r"预算(?:执行情况|草案|报告)|预算报告")
_EXECUTION_TITLE = re.compile(r"计划执行情况")
_MID_YEAR_TITLE = re.compile(r"上半年|1\s*[-—至~]\s*[5-9]\s*月|前三季度")
_FIVE_YEAR_TITLE = re.compile(r"“?十[一二三四五]五”?(?:期间)?(?:工作)?(?:总结|回顾)|过去五年")


_REPORT_WORD = re.compile(r"总结|回顾|报告|情况")


def _document_kind(page: _Page, title: str | None, plan_only: bool) -> tuple[str, str, str]:
    """(kind, clue, text) of a report from its title and its first lines."""
    title_view = matching_view(_PINYIN_GLOSS.sub("", title)) if title else ""
    lead = ""
    for i in range(len(page.lines)):
        if page.is_boilerplate(i):
            continue
        line = page.line(i).strip()
        if line and (len(line) > 30 or "。" in line):  # the first paragraph of prose
            lead = line
            break
    for pattern, kind in (
        (_EXECUTION_TITLE, "plan_execution_report"),
        (_BUDGET_TITLE, "budget_report"),
        (_MID_YEAR_TITLE, "mid_year_summary"),
        (_FIVE_YEAR_TITLE, "five_year_review"),
    ):
        m = pattern.search(title_view)
        if m:
            return kind, "title", title or ""
    if _NEWS_LEAD.match(lead) or _NEWS_BYLINE.search(page.view[:2000]):
        return "news", "news lead", lead[:60]
    head = page.view[:600]
    for pattern, kind in ((_MID_YEAR_TITLE, "mid_year_summary"), (_FIVE_YEAR_TITLE, "five_year_review")):
        m = pattern.search(head)
        line = head[head.rfind("\n", 0, m.start()) + 1 : m.end()] if m else ""
        # "一、2025年及“十四五”工作回顾" reviews a year too: an annual report with a five-year part.
        if (
            m
            and _REPORT_WORD.search(head, m.start(), m.end() + 20)
            and not (kind == "five_year_review" and _HEADING_YEAR.search(line))
        ):
            return kind, "head", head[max(0, m.start() - 10) : m.end() + 20].strip()
    if plan_only:
        return "plan", "no review part", title or ""
    return "annual_report", "default", title or ""


# --------------------------------------------------------------------------------------------------
# Review and plan years: the one year engine

_YEAR = r"(?<!\d)(20\d{2}|19\d{2})\s*年"
_CJK = "\u4e00-\u9fff"
_HEADING_YEAR = re.compile(rf"{_YEAR}")

# Words of intent; 要 and 计划 only as verbs (not 主要, 重要, 计划生育, 计划执行情况).
_FUTURE = r"(?:将|(?<![主重需只纪概])要|力争|确保|争取|计划(?!生育|执行|单列))"
# Body cues, in the order of their strength, with the name recorded as evidence.
_REVIEW_CUES = (
    ("body:looking-back", re.compile(rf"(?:回顾了?|回眸|刚刚过去的|过去的|刚过去的)\s*{_YEAR}"), 3),
    ("body:year-summary", re.compile(rf"{_YEAR}(?:度)?(?:上半年)?(?:主要)?工作(?:总结|回顾)"), 2),
    # 2024年计划执行情况, 2013年财政预算执行情况: a report on how a year's plan or budget went.
    # No other year between: "2025年计划草案和2024年预算执行情况" reviews 2024.
    ("body:execution", re.compile(rf"{_YEAR}(?:(?!\d{{4}}\s*年)[^。,]){{0,24}}?(?:计划|预算)执行情况"), 3),
    # 2025年上半年经济发展工作专项报告, 2025年1—6月…执行情况: a report on part of a year.
    (
        "body:part-year-report",
        re.compile(
            rf"{_YEAR}(?:度)?(?:上半年|前三季度|1\s*[-—至]\s*\d{{1,2}}\s*月)[^。,]{{0,16}}?(?:报告|总结|情况)"
        ),
        3,
    ),
    (
        "body:year-opener",
        re.compile(
            rf"(?:^|[。!])\s*{_YEAR}(?:度)?(?:上半年)?,(?![^。]{{0,30}}(?:将|力争|确保|计划|要|目标))"
        ),
        1,
    ),
    (
        "body:year-result",
        re.compile(rf"{_YEAR}[^。]{{0,30}}?(?:预计|实现|完成|达到|同比增长|比上年|取得)"),
        1,
    ),
)
_PLAN_CUES = (
    (
        "body:plan-goal",
        re.compile(
            rf"{_YEAR}(?:是)?[^。,]{{0,16}}?(?:工作的?)?(?:总体要求|指导思想|主要预期目标|预期目标|发展目标|目标任务|工作安排|工作思路|主要任务|重点工作)"
        ),
        3,
    ),
    # 2022年,炮台街道确定的主要经济发展目标为: the goals a year is given.
    ("body:goals-are", re.compile(rf"{_YEAR},?[^。]{{0,16}}?(?:目标|指标)(?:为|是)"), 3),
    # 2014年预算草案, 2025年计划草案: the draft for the coming year.
    ("body:draft", re.compile(rf"{_YEAR}(?:(?!\d{{4}}\s*年)[^。,]){{0,16}}?(?:计划|预算)\(?草案"), 3),
    ("body:aim-at", re.compile(rf"(?:锚定|力争|确保|谋划|展望|部署){_YEAR}[^。]{{0,30}}?目标"), 3),
    # 展望2024年, 谋划我镇2021年项目建设: the unit may stand between the verb and the year.
    ("body:look-ahead", re.compile(rf"(?:谋划|展望|部署)(?:[我全本][镇乡区县市]|我街道|全街道)?{_YEAR}"), 2),
    # 力争2024年规上工业总产值达102亿元: a goal set for a year.
    ("body:strive-for", re.compile(rf"(?:力争|确保|争取)(?:到)?{_YEAR}"), 2),
    ("body:year-will", re.compile(rf"{_YEAR},?[{_CJK}]{{0,8}}?{_FUTURE}"), 2),
)
# Undated words of a review part and of a plan part.
# Every body cue is a named rule (frame.body:...), so that an ablation can switch it off.
for _name, _pattern, _strength in (*_REVIEW_CUES, *_PLAN_CUES):
    rule(f"frame.{_name}", f"year cue of strength {_strength}: {_pattern.pattern[:60]}")

_RELATIVE_REVIEW = re.compile(r"一年来|过去一年|去年|上一年|今年以来|今年来|刚刚过去的一年")
_RELATIVE_PLAN = re.compile(rf"(?:今年|明年|新的一年)[,]?[{_CJK}]{{0,10}}?{_FUTURE}")
# Words that show a text has a review part even when no year is written with them: looking back, or
# results counted to a date (截至目前, 已完成, 累计完成), which a plan never states.
_UNDATED_REVIEW = re.compile(
    r"一年来|过去一年|过去的一年|今年以来|刚刚过去的|五年来|过去五年|上半年[,，]|"
    r"截[至止](?:目前|\d{1,2}月)|已完成|累计完成"
)
# Words that show a text has a plan part without a year: 新的一年…将, 主要预期目标是.
_UNDATED_PLAN = re.compile(
    rf"(?:今年|新的一年)[,]?[{_CJK}]{{0,10}}?{_FUTURE}|(?:预期目标|主要目标|发展目标)(?:是|为)"
)
# “十四五”规划收官之年, “十三五”开局之年: the calendar of the Five-Year Plans names the year.
_FIVE_YEAR_YEAR = re.compile(
    r"[“\"]?(十[一二三四五]五)[”\"]?(?:规划)?(?:实施)?(?:的)?(收官|开局|起步)(?:之年|年)"
)


@dataclass(slots=True)
class _Clue:
    strength: int  # 9 title, 6 heading, 1-3 body cues
    year: int
    clue: str
    text: str


@dataclass(slots=True)
class _Years:
    review: int | None
    plan: int | None
    evidence: list[Evidence]
    review_undated: str | None  # an undated review cue (一年来 ...), when the text has one


def _snippet(line: str, start: int, end: int) -> str:
    return line[max(0, start - 4) : min(len(line), end + 12)].strip()


def _years(page: _Page, title: str | None, published: dt.date | None) -> _Years:
    review: list[_Clue] = []
    plan: list[_Clue] = []
    if title:
        _years_from_title(matching_view(_PINYIN_GLOSS.sub("", title)), review, plan)
    relative_headings: set[str] = set()  # "review", "plan", "plan-h2": top headings that name no year
    review_undated: str | None = None
    plan_undated: str | None = None
    year_is: list[_Clue] = []
    review_cues = [cue for cue in _REVIEW_CUES if enabled(f"frame.{cue[0]}")]
    plan_cues = [cue for cue in _PLAN_CUES if enabled(f"frame.{cue[0]}")]
    for i in range(len(page.lines)):
        if page.is_boilerplate(i):
            continue
        line = page.line(i).strip()
        if _is_heading(line):
            _years_from_heading(line, review, plan)
            relative_headings |= _relative_heading(line)
            continue
        # Every body cue holds a year (_YEAR): most lines have none, and a search for one saves the twelve.
        if _HEADING_YEAR.search(line):
            for name, pattern, strength in review_cues:
                for m in pattern.finditer(line):
                    review.append(_Clue(strength, int(m.group(1)), name, _snippet(line, m.start(), m.end())))
            for name, pattern, strength in plan_cues:
                for m in pattern.finditer(line):
                    plan.append(_Clue(strength, int(m.group(1)), name, _snippet(line, m.start(), m.end())))
        if review_undated is None and (m := _UNDATED_REVIEW.search(line)):
            review_undated = _snippet(line, m.start(), m.end())
        if plan_undated is None and (m := _UNDATED_PLAN.search(line)):
            plan_undated = _snippet(line, m.start(), m.end())
        for m in _FIVE_YEAR_YEAR.finditer(line):
            # “十四五”规划收官之年 names the year it stands in: 2025.
            first = FIVE_YEAR_PLANS[m.group(1)]
            year = first + 4 if m.group(2) == "收官" else first
            year_is.append(_Clue(1, year, "five-year-plan calendar", _snippet(line, m.start(), m.end())))
    if "review" in relative_headings and review_undated is None:
        review_undated = "a review heading"
    if published is not None:
        _relative_years(page, published, review, plan)
    if plan_undated and not review_undated:
        # “2025年是…收官之年” in a text that only looks ahead (新的一年,历城区将…) names the plan year.
        for clue in year_is:
            text = f"{clue.text[:36]} / {plan_undated[:36]}"
            plan.append(_Clue(2, clue.year, clue.clue + " + undated plan", text))
    review_year = _pick(review, published, is_plan=False)
    plan_year = _pick(plan, published, is_plan=True)
    # "二、下一步工作打算" / "一、主要工作完成情况": a part the report has, its year read from the other part.
    derived: list[Evidence] = []
    if plan_year is None and relative_headings & {"plan", "plan-h2"} and review_year is not None:
        plan_year = review_year if "plan-h2" in relative_headings else review_year + 1
        derived.append(Evidence("plan_year", str(plan_year), "plan heading without a year", ""))
    if review_year is None and "review" in relative_headings and plan_year is not None:
        review_year = plan_year if "plan-h2" in relative_headings else plan_year - 1
        derived.append(Evidence("review_year", str(review_year), "review heading without a year", ""))
    if review_year is not None and review_year == plan_year and not derived:
        # One year cannot be both, except a half-year report (上半年 review, 下半年 plan) that says so.
        r = max(c.strength for c in review if c.year == review_year)
        p = max(c.strength for c in plan if c.year == plan_year)
        if not (r >= 6 and p >= 6):
            if p > r:
                review_year = None
            else:
                plan_year = None
    evidence = derived + _winning("review_year", review, review_year) + _winning("plan_year", plan, plan_year)
    return _Years(review_year, plan_year, evidence, review_undated)


def _winning(name: str, clues: list[_Clue], year: int | None) -> list[Evidence]:
    """The strongest clues (up to three) for the chosen year."""
    if year is None:
        return []
    chosen = sorted((c for c in clues if c.year == year), key=lambda c: -c.strength)[:3]
    return [Evidence(name, str(year), c.clue, c.text) for c in chosen]


_YEAR_HEADING = re.compile(rf"^\s*(?:{_YEAR}|“十[一二三四五]五”)")
_COMMA_OR_SEMICOLON = re.compile(r"[,;]")


def _is_heading(line: str) -> bool:
    if len(line) > 45 or "。" in line:
        return False
    if _HEADING.match(line):
        return True
    return bool(_YEAR_HEADING.match(line)) and not _COMMA_OR_SEMICOLON.search(line)


_TOP_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.,]|第[一二三四五六七八九十]+部分)")
_RELATIVE_REVIEW_HEADING = re.compile(
    r"(?:今年以来|去年|过去一年|一年来|上半年|前三季度|本年度?)?.{0,6}?(?:工作回顾|工作总结|完成情况|工作情况|"
    r"主要工作|主要成效|工作成效)"
)
_RELATIVE_PLAN_HEADING = re.compile(
    r"下一步|明年|今年|新的一年|下半年|下阶段|工作(?:思路|打算|计划|安排|要点|重点)|目标任务|主要任务|发展目标"
)


_REVIEW_HEADING_WORD = re.compile(r"完成情况|回顾|总结")


def _relative_heading(line: str) -> set[str]:
    """Kinds of top-level section a heading without a year opens: review, plan, or a second-half plan."""
    if not _TOP_HEADING.match(line) or _HEADING_YEAR.search(line):
        return set()
    if _RELATIVE_PLAN_HEADING.search(line) and not _REVIEW_HEADING_WORD.search(line):
        return {"plan-h2"} if "下半年" in line else {"plan"}
    if _RELATIVE_REVIEW_HEADING.search(line):
        return {"review"}
    return set()


_TITLE_YEAR = re.compile(rf"{_YEAR}(?:度)?((?:(?!\d{{4}}\s*年).){{0,40}})")
_TITLE_REVIEW = re.compile(rf"{REVIEW_WORDS}|1\s*[-—至]\s*\d+月|上半年")
_SECOND_HALF_PLAN = re.compile(r"下半年(?:工作)?(?:思路|计划|打算|安排|重点)")
_PLAN_OR_GOAL = re.compile(f"{PLAN_WORDS}|{GOAL_WORDS}")


def _years_from_title(title: str, review: list[_Clue], plan: list[_Clue]) -> None:
    for m in _TITLE_YEAR.finditer(title):
        year, words = int(m.group(1)), m.group(2)
        if _TITLE_REVIEW.search(words):
            review.append(_Clue(9, year, "title", title))
            # "2021年上半年工作总结和下半年工作思路": the plan is for the same year.
            if _SECOND_HALF_PLAN.search(words):
                plan.append(_Clue(9, year, "title", title))
        elif _PLAN_OR_GOAL.search(words):
            plan.append(_Clue(9, year, "title", title))


_YEAR_SPAN_START = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年?\s*[-—~至到]\s*(?=(?:19|20)\d{2}\s*年)")
_HEADING_REVIEW = re.compile(rf"{REVIEW_WORDS}|主要工作")


def _years_from_heading(line: str, review: list[_Clue], plan: list[_Clue]) -> None:
    # A span of years reviews up to its end: "一、2021—2023年工作回顾" is about 2023.
    line = _YEAR_SPAN_START.sub("", line)
    years = [(m.start(), int(m.group(1))) for m in _HEADING_YEAR.finditer(line)]
    if not years:
        return
    if len(years) >= 2 and _PLAN_OR_GOAL.search(line, years[1][0]):
        # "一、2023年工作回顾和2024年工作安排": one heading for both parts.
        review.append(_Clue(6, years[0][1], "heading", line))
        plan.append(_Clue(6, years[1][1], "heading", line))
        return
    year = years[0][1]
    if _HEADING_REVIEW.search(line):
        review.append(_Clue(6, year, "heading", line))
    elif _PLAN_OR_GOAL.search(line):
        plan.append(_Clue(6, year, "heading", line))


def _relative_years(page: _Page, published: dt.date, review: list[_Clue], plan: list[_Clue]) -> None:
    """Cues with no year written (一年来, 今年将…) read against the publication date."""
    early = published.month <= 6  # a report published early in the year reviews the year before
    for i in range(len(page.lines)):
        if page.is_boilerplate(i):
            continue
        line = page.line(i)
        for m in _RELATIVE_REVIEW.finditer(line):
            word = m.group()
            year = published.year if word in ("今年以来", "今年来") or not early else published.year - 1
            review.append(_Clue(1, year, f"relative:{word} + date", _snippet(line, m.start(), m.end())))
        for m in _RELATIVE_PLAN.finditer(line):
            word = m.group()
            if word.startswith("明年"):
                year = published.year + 1
            elif word.startswith("新的一年"):
                year = published.year if early else published.year + 1
            else:
                year = published.year
            plan.append(_Clue(2, year, f"relative:{word[:4]} + date", _snippet(line, m.start(), m.end())))


def _pick(clues: list[_Clue], published: dt.date | None, *, is_plan: bool) -> int | None:
    """The year with the strongest clues, then the most votes; years that contradict the date drop.

    A year the title or a heading states stands whatever the date: a page re-posted two years later
    (2021年上半年工作总结…, 发布 2023-05-02) is still about 2021.
    """
    if published is not None:
        clues = [
            c
            for c in clues
            if c.strength >= 6
            or (published.year - 1 <= c.year <= published.year + 1 if is_plan else c.year <= published.year)
        ]
    if not clues:
        return None
    top = max(c.strength for c in clues)
    votes = Counter(c.year for c in clues if c.strength == top)
    return max(votes.items(), key=lambda kv: (kv[1], -kv[0] if not is_plan else kv[0]))[0]


# --------------------------------------------------------------------------------------------------
# A fact's own year

# A clause that opens on a year, or a span of years (2021-2022年…: its end), not on 以来 or 是 (2022年以来
# and 2023年是… set a period or a scene, not the year of the figure).
_CLAUSE_YEAR_RE = re.compile(
    r"^\s*(?:(?:19|20)\d\d\s*年?\s*[-—~至到]\s*)?((?:19|20)\d\d)\s*年(?!以来|来|是|起|度?(?:计划|目标))"
)


def stated_year(clause: str) -> int | None:
    """The year a clause states for its own figures when it opens on one, else None."""
    m = _CLAUSE_YEAR_RE.match(clause)
    return int(m.group(1)) if m else None


# A sentence about the meeting a story reports on: it opens, its delegates gather, it elects.
_MEETING_SENTENCE_RE = re.compile(
    r"(?:会议|大会|党代会)(?:在[^。,]{0,20})?(?:召开|开幕|闭幕|举行)|齐聚一堂|补选|选举产生"
)
_MEETING_DATE_RE = re.compile(r"(\d{1,2})月\d{1,2}日")


def meeting_year(sentence: str, review_year: int | None, plan_year: int | None) -> int | None:
    """The year a meeting sentence's own figures belong to (105名人大代表齐聚一堂), else None.

    A congress early in the year (4月3日…会议召开, or no date: 昨日) meets in the year it plans; one late
    in the year (12月24日…会议开幕) in the year it reviews.
    """
    if not _MEETING_SENTENCE_RE.search(sentence) or plan_year is None:
        return None
    date = _MEETING_DATE_RE.search(sentence)
    if date and int(date.group(1)) > 6:
        return review_year
    return plan_year


# --------------------------------------------------------------------------------------------------
# Working years: the years facts fall back on

_YEAR_ONLY = r"(?:19[89]\d|20[0-4]\d)"
# A mid-year report: a title on the first half, or a plan for the second half (下半年力争…, 下半年预计…).
_MID_YEAR_RE = re.compile(r"上半年(?:工作)?(?:总结|回顾|情况)|下半年(?:工作)?(?:思路|计划|打算|安排|重点)")
_REST_OF_YEAR_RE = re.compile(r"下半年(?:预计|力争|将|要|计划|继续|重点|争取|确保|拟|工作)")
_PLAN_OPENER_YEAR_RE = re.compile(
    rf"^\s*({_YEAR_ONLY})\s*年\s*(?:是|,|，|我们|街道|全镇|我镇|全区|工作的|的工作|经济社会|主要预期目标|"
    r"发展的主要预期目标)"
)


_HEAD_REVIEW_YEAR = re.compile(
    rf"({_YEAR_ONLY})\s*年(?:度)?(?:上半年|1[-—至~]\d+月)?(?:工作)?(?:{REVIEW_WORDS}|.{{0,12}}执行情况)"
)
_HEAD_PLAN_YEAR = re.compile(rf"({_YEAR_ONLY})\s*年(?:度)?(?:工作)?(?:{PLAN_WORDS}|{GOAL_WORDS})")
_YEAR_MENTION = re.compile(rf"({_YEAR_ONLY})年(?!\d)")


def working_years(view: str, metadata: DocumentMetadata | None) -> tuple[int | None, int | None]:
    """(review_year, plan_year) facts fall back on, from the frame and, where it is silent, the text.

    The chain, each step only for a year still unknown:
      1. the frame (the title, headings, body cues and date; see `_years`); a text the frame found to be
         all plan keeps no review year;
      2. the title and the first lines: 2022年工作总结, 2023年工作计划;
      3. the year most mentioned (as N年) in the first pages, a plan year when a plan opener names it;
      4. the published date: a mid-year report (上半年总结, 下半年力争…) covers the year it appears in, an
         annual report published by June reviews the year before, a later one reviews its own year;
      5. one year known gives the other: the plan follows the review, or shares its year in a mid-year
         report (上半年工作总结和下半年工作思路).
    Only a text with no year and no date at all leaves both None.
    """
    review = metadata.review_year if metadata else None
    plan = metadata.plan_year if metadata else None
    if review and plan:
        return review, plan
    if plan and is_plan_only(metadata):
        return None, plan
    title = (metadata.title if metadata else None) or ""
    head = title + "\n" + view[:300]
    if not review:
        m = _HEAD_REVIEW_YEAR.search(head)
        if m:
            review = int(m.group(1))
    if not plan:
        m = _HEAD_PLAN_YEAR.search(head)
        if m:
            plan = int(m.group(1))
    if not review and not plan:
        # The most frequent year followed by 年 among the first mentions is the year under review.
        counts = Counter(int(y) for y in _YEAR_MENTION.findall(view, 0, 3000))
        if counts:
            top = counts.most_common(1)[0][0]
            opener = _PLAN_OPENER_YEAR_RE.search(view[:200])
            if opener and int(opener.group(1)) == top:
                plan = top
            else:
                review = top
    mid_year = bool(_MID_YEAR_RE.search(head) or _REST_OF_YEAR_RE.search(view))
    if not review and not plan and metadata and metadata.published_on:
        review, plan = _years_from_published(metadata.published_on, mid_year)
    if review and not plan:
        # 2021年上半年工作总结和下半年工作思路: the plan covers the rest of the same year.
        plan = review if mid_year else review + 1
    if plan and not review:
        review = plan if mid_year else plan - 1
    return review, plan


def _years_from_published(published: dt.date, mid_year: bool) -> tuple[int, int]:
    """(review_year, plan_year) of a report that names no year, from the day it was published.

    A mid-year report reviews the first half and plans the second half of the year it appears in; an
    annual report published in the first half of a year reviews the year before and plans this one;
    one published later (a year-end summary) reviews this year and plans the next.
    """
    if mid_year:
        return published.year, published.year
    if published.month <= 6:
        return published.year - 1, published.year
    return published.year, published.year + 1
