"""Where a report reviews the past and where it plans the future, and which years those parts cover.

Reports are built as 一、2022年工作回顾 / 二、2023年工作计划 (or 工作思路, 主要预期目标, 工作打算 ...). Some
excerpts have no headings; then the years come from the document frame (ingest.frame), and the kind of a
fact is decided by its own words (see ingest.facts).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ingest.frame import EITHER_WORDS, PLAN_WORDS, REVIEW_WORDS, is_plan_only, working_years
from ingest.models import DocumentMetadata

# Patterns of the rules below, compiled once at import.
_PUNCTUATION_RE = re.compile(r"[,，。；;：:！!？?]")

# Sentence ends; list bullets (· ● ◆ ▲ ■) also end an item.
SENTENCE_END = "。！？；!?;\n·•●◆▲■"
_SPLIT_CHAR_RE = re.compile(r"[。！？；!?;\n·•●◆▲■“”]")

_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_ORDINAL = (
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）]"
    r"|第[一二三四五六七八九十]{1,3}[部分章]\s*)"
)

# Words that head either part (2023年主要工作, 重点工作): the heading's year decides.
_EITHER_WORDS_RE = re.compile(rf"{EITHER_WORDS}|工作$")
# A heading run into its paragraph on one line: 一、2022年工作回顾 2022年以来,…
_INLINE_HEADING_RE = re.compile(
    rf"^\s*(?:{_ORDINAL}\s*)?({_YEAR})\s*年度?(?:主要)?工作(回顾|总结|计划|思路|打算|安排|要点)(?=\s)"
)
_REVIEW_HEADING_RE = re.compile(REVIEW_WORDS)
_WEAK_PLAN_WORDS = frozenset(("下一步", "下步", "今后", "明年", "新的一年", "新一年"))
_PLAN_TOPIC_RE = re.compile(r"工作|重点|任务|方向|目标|展望|举措|措施")
_PLAN_HEADING_RE = re.compile(PLAN_WORDS)
_HEADING_YEAR_RE = re.compile(rf"({_YEAR})\s*年")
_ORDINAL_RE = re.compile(rf"^\s*{_ORDINAL}")

# Paragraph openers that start the plan part when there are no headings.
_PLAN_OPENER_RE = re.compile(
    rf"^\s*(?:({_YEAR})\s*年\s*(?:是|,|，|我们|街道|全镇|我镇|全区|工作的|的工作|经济社会|主要预期目标|发展的主要预期目标)|"
    r"新的一年|展望(?:新的一年|未来|明年|今年)|今年(?:工作的总体要求|的主要预期目标|主要预期目标|是))"
)
_REVIEW_OPENER_RE = re.compile(
    rf"^\s*(?:过去的一年|一年来|({_YEAR})年(?:以来|,|，|，我们|我们|全年)|今年以来|一年以来)"
)


# A sentence that opens a list of goals: 主要预期目标是:, 发展目标为:.
_GOAL_LIST_RE = re.compile(r"(?:预期目标|主要目标|发展目标|奋斗目标)(?:是|为)[:：]?")
_TARGET_YEAR_RE = re.compile(rf"到\s*({_YEAR})\s*年")


def _year_of(section: str, review_year: int | None, plan_year: int | None) -> int | None:
    return review_year if section == "review" else plan_year if section == "plan" else None


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
    if len(stripped) > 30 or _PUNCTUATION_RE.search(stripped):
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


def split_sections(text: str, view: str, metadata: DocumentMetadata | None = None) -> SectionMap:
    """Sections of a text from its headings, or from paragraph cues when it has none."""
    review_year, plan_year = working_years(view, metadata)
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
    if not headed and review_year is None and plan_year is not None and is_plan_only(metadata):
        # The frame found a plan and no review (a plan, a story on the year's targets): all of it is plan.
        spans = [SectionSpan(0, "plan", plan_year)]
    elif not headed:
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
        goals = _GOAL_LIST_RE.search(line)
        if goals and current != "plan" and not _PLAN_OPENER_RE.search(line):
            # 今后五年…主要目标是:力争到2025年… in a paragraph of a story: that paragraph lists targets,
            # of the year it names (到2025年) or the plan year; the text after it goes on as before.
            named = _TARGET_YEAR_RE.search(line, goals.end())
            spans.append(SectionSpan(pos, "plan", int(named.group(1)) if named else plan_year))
            spans.append(SectionSpan(pos + len(line) + 1, current, _year_of(current, review_year, plan_year)))
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
