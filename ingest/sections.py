"""Where a report reviews the past and where it plans the future, and which years those parts cover.

Reports are built as 一、2022年工作回顾 / 二、2023年工作计划 (or 工作思路, 主要预期目标, 工作打算 ...). Some
excerpts have no headings; then the years come from the metadata or the text, and the kind of a fact is
decided by its own words (see ingest.facts).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from ingest.models import DocumentMetadata

# Sentence ends; list bullets (· ● ◆ ▲ ■) also end an item.
SENTENCE_END = "。！？；!?;\n·•●◆▲■"
_SPLIT_CHAR_RE = re.compile(r"[。！？；!?;\n·•●◆▲■“”]")

_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_ORDINAL = (
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]"
    r"|第[一二三四五六七八九十]{1,3}[部分章]\s*)"
)

_REVIEW_WORDS = (
    r"回顾|总结|工作情况|主要成绩|取得的成绩|成效|执行情况|完成情况|过去的一年|过去一年|过去五年|"
    r"工作成效|进展情况|运行情况|发展情况|开展情况|主要做法|亮点|成果"
)
_PLAN_WORDS = (
    r"计划|思路|打算|安排|展望|预期目标|主要目标|目标任务|工作要点|总体要求|努力方向|工作方向|谋划|部署|"
    r"下一步|下步|今后|明年|新的一年|新一年"
)
# Words that head either part (2023年主要工作, 重点工作): the heading's year decides.
_EITHER_WORDS_RE = re.compile(r"主要工作|重点工作|主要任务|工作重点|工作$")
# A heading run into its paragraph on one line: 一、2022年工作回顾 2022年以来,…
_INLINE_HEADING_RE = re.compile(
    rf"^\s*(?:{_ORDINAL}\s*)?({_YEAR})\s*年度?(?:主要)?工作(回顾|总结|计划|思路|打算|安排|要点)(?=\s)"
)
_REVIEW_HEADING_RE = re.compile(_REVIEW_WORDS)
_WEAK_PLAN_WORDS = frozenset(("下一步", "下步", "今后", "明年", "新的一年", "新一年"))
_PLAN_TOPIC_RE = re.compile(r"工作|重点|任务|方向|目标|展望|举措|措施")
_PLAN_HEADING_RE = re.compile(_PLAN_WORDS)
_HEADING_YEAR_RE = re.compile(rf"({_YEAR})\s*年")
_ORDINAL_RE = re.compile(rf"^\s*{_ORDINAL}")

# Paragraph openers that start the plan part when there are no headings.
_PLAN_OPENER_RE = re.compile(
    rf"^\s*(?:({_YEAR})年(?:是|,|，|我们|街道|全镇|我镇|全区|工作的|的工作|经济社会|主要预期目标|发展的主要预期目标)|"
    r"新的一年|展望(?:新的一年|未来|明年|今年)|今年(?:工作的总体要求|的主要预期目标|主要预期目标|是))"
)
_REVIEW_OPENER_RE = re.compile(
    rf"^\s*(?:过去的一年|一年来|({_YEAR})年(?:以来|,|，|，我们|我们|全年)|今年以来|一年以来)"
)


@dataclass(frozen=True, slots=True)
class SectionSpan:
    start: int
    section: str  # 'review' | 'plan' | 'unknown'
    year: int | None  # the year the section's figures refer to


@dataclass(slots=True)
class SectionMap:
    """The sections of one text, in order; `at(offset)` answers which one covers an offset."""

    spans: list[SectionSpan]
    review_year: int | None
    plan_year: int | None
    headed: bool  # whether real headings were found (else sections come from paragraph cues)

    def at(self, offset: int) -> SectionSpan:
        starts = [s.start for s in self.spans]
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return SectionSpan(0, "unknown", None)
        return self.spans[i]


def iter_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split after 。！？；, newlines and list bullets (end includes the mark).

    A middle dot is a bullet (·完成…) except inside quotes, where it joins a name (“共享社·幸福里”).
    """
    spans = []
    start = 0
    depth = 0
    for m in _SPLIT_CHAR_RE.finditer(text):
        ch = m.group(0)
        if ch == "“":
            depth += 1
            continue
        if ch == "”":
            depth = max(0, depth - 1)
            continue
        if ch == "\n":
            depth = 0  # a quote never runs across lines
        elif ch == "·" and depth:
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _heading_kind(line: str) -> tuple[str | None, int | None]:
    """('review' | 'plan' | 'year' | None, year) for a line that looks like a section heading.

    'year' marks a heading such as 二、2023年工作 whose part is decided by its year once the review year
    is known.
    """
    stripped = line.strip()
    if not stripped:
        return None, None
    inline = _INLINE_HEADING_RE.match(stripped)
    if inline and len(stripped) > 30:
        kind = "review" if inline.group(2) in ("回顾", "总结") else "plan"
        return kind, int(inline.group(1))
    # Section headings are short and carry no sentence punctuation; (一)以…为目标,… is a sub-heading.
    if len(stripped) > 30 or re.search(r"[,，。；;：:！!？?]", stripped):
        return None, None
    # A title naming both parts (2022年工作总结和2023年工作计划) is no section boundary.
    has_review = bool(_REVIEW_HEADING_RE.search(stripped))
    plan_words = set(_PLAN_HEADING_RE.findall(stripped))
    # 明年/今后/下一步 head a part only with a word of work or aims (明年工作打算, 下一步工作重点); a
    # line such as 鸭绿江街北延一期工程明年开建 is a news headline.
    if plan_words and plan_words <= _WEAK_PLAN_WORDS and not _PLAN_TOPIC_RE.search(stripped):
        plan_words = set()
    has_plan = bool(plan_words)
    years = [int(y) for y in _HEADING_YEAR_RE.findall(stripped)]
    if has_review and has_plan:
        return None, None
    if has_review:
        return "review", years[0] if years else None
    if has_plan:
        return "plan", years[-1] if years else None
    ordinal = bool(_ORDINAL_RE.match(stripped))
    if (ordinal or len(stripped) <= 16) and years and _EITHER_WORDS_RE.search(stripped):
        return "year", years[0]
    return None, None


def infer_years(text: str, view: str, metadata: DocumentMetadata | None) -> tuple[int | None, int | None]:
    """(review_year, plan_year) of a report, from the strongest clue the document gives.

    The fallback chain, each step only for a year still unknown:
      1. the metadata (ingest.metadata read the title, the heading block and the date line);
      2. the title and the first lines: 2022年工作总结, 2023年工作计划;
      3. section headings in the body: 一、2022年工作回顾, 二、2023年工作思路;
      4. the year most mentioned (as N年) in the first pages, a plan year when a plan opener names it;
      5. the published date: a mid-year report (上半年总结, 下半年力争…) covers the year it appears in, an
         annual report published by June reviews the year before, a later one reviews its own year;
      6. one year known gives the other: the plan follows the review, or shares its year in a mid-year
         report (上半年工作总结和下半年工作思路).
    Only a text with no year and no date at all leaves both None.
    """
    review = metadata.review_year if metadata else None
    plan = metadata.plan_year if metadata else None
    if review and plan:
        return review, plan
    title = (metadata.title if metadata else None) or ""
    head = title + "\n" + view[:300]
    if not review:
        m = re.search(
            rf"({_YEAR})\s*年(?:度)?(?:上半年|1[-—至~]\d+月)?(?:工作)?(?:总结|回顾|工作情况|.{{0,12}}执行情况)",
            head,
        )
        if m:
            review = int(m.group(1))
    if not plan:
        m = re.search(rf"({_YEAR})\s*年(?:度)?(?:工作)?(?:计划|思路|打算|要点|安排|方向)", head)
        if m:
            plan = int(m.group(1))
    # Headings inside the body.
    if not (review and plan):
        for _, line in _lines(view):
            kind, year = _heading_kind(line)
            if year and kind == "review" and not review:
                review = year
            elif year and kind == "plan" and not plan:
                plan = year
    if not review and not plan:
        # The most frequent year followed by 年 among the first mentions is the year under review.
        counts = Counter(int(y) for y in re.findall(rf"({_YEAR})年(?!\d)", view[:3000]))
        if counts:
            top = counts.most_common(1)[0][0]
            opener = _PLAN_OPENER_RE.search(view[:200])
            if opener and opener.group(1) and int(opener.group(1)) == top:
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


# A mid-year report: a title on the first half, or a plan for the second half (下半年力争…, 下半年预计…).
_MID_YEAR_RE = re.compile(r"上半年(?:工作)?(?:总结|回顾|情况)|下半年(?:工作)?(?:思路|计划|打算|安排|重点)")
_REST_OF_YEAR_RE = re.compile(r"下半年(?:预计|力争|将|要|计划|继续|重点|争取|确保|拟|工作)")


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


def split_sections(text: str, view: str, metadata: DocumentMetadata | None = None) -> SectionMap:
    """Sections of a text from its headings, or from paragraph cues when it has none."""
    review_year, plan_year = infer_years(text, view, metadata)
    spans: list[SectionSpan] = []
    headed = False
    for pos, line in _lines(view):
        kind, year = _heading_kind(line)
        if kind == "year" and year is not None:
            if plan_year and year == plan_year:
                kind = "plan"
            elif review_year and year == review_year:
                kind = "review"
            else:
                continue
        if kind == "review":
            spans.append(SectionSpan(pos, "review", year or review_year))
            headed = True
        elif kind == "plan":
            # A plan heading for a year before the review (a past plan) is still read as the plan part.
            spans.append(SectionSpan(pos, "plan", year or plan_year))
            headed = True
    if not headed:
        spans = _sections_from_cues(view, review_year, plan_year)
    if not spans or spans[0].start > 0:
        first = spans[0].section if spans else "unknown"
        # Text before the first heading (title, portal header) belongs to nothing, except when the first
        # section is a plan that starts late: the prose before it is then usually a review.
        lead = "unknown" if first != "plan" or not headed else "review"
        spans.insert(0, SectionSpan(0, lead, review_year if lead == "review" else None))
    return SectionMap(spans=spans, review_year=review_year, plan_year=plan_year, headed=headed)


def _sections_from_cues(view: str, review_year: int | None, plan_year: int | None) -> list[SectionSpan]:
    """Without headings: a paragraph opening on 2023年是…/新的一年 starts the plan part."""
    spans: list[SectionSpan] = []
    current = "unknown"
    for pos, line in _lines(view):
        if not line.strip():
            continue
        m = _PLAN_OPENER_RE.search(line)
        if m:
            year = int(m.group(1)) if m.group(1) else plan_year
            if year is None or plan_year is None or year == plan_year:
                if current != "plan":
                    spans.append(SectionSpan(pos, "plan", plan_year))
                    current = "plan"
                continue
        m = _REVIEW_OPENER_RE.search(line)
        if m:
            year = int(m.group(1)) if m.group(1) else review_year
            same_year = year is None or review_year is None or year == review_year
            if same_year and current != "review":
                spans.append(SectionSpan(pos, "review", review_year))
                current = "review"
    return spans
