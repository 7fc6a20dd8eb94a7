"""Quantitative facts from report text, following shared/gold/GUIDELINE.md.

The pipeline for one text, one module a step:
  1. `textview.compact_text` cuts pinyin glosses, zero-width marks and hard line wraps (offsets are mapped
     back at the end);
  2. `normalize.matching_view` folds full-width forms and traditional characters (same length, same offsets);
  3. `sections.split_sections` finds the review and plan parts and their years;
  4. `numbers.find_numbers` finds numbers with units and hedges; `quantities.is_quantity` drops dates,
     ordinals, codes, thresholds inside metric names, and `boilerplate.boilerplate_spans` portal chrome
     (the one detector the metadata, the duplicate check and the word counts use too);
  5. each kept number gets its clause (`clauses`), metric phrase (`metrics`), measure, sign, comparator,
     kind and period (`cues`), year (`sections`), and is shared out over lists of metrics (`lists`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ingest import cues, outcomes
from ingest.boilerplate import boilerplate_spans
from ingest.clauses import (
    CLAUSE_BOUNDARY,
    LIST_BOUNDARY,
    MAX_LOOKBACK,
    clause_end,
    clause_start,
    full_sentence_start,
)
from ingest.frame import meeting_year, stated_year
from ingest.lists import distribution_items, respectively
from ingest.metrics import (
    ACTION_VERBS,
    FRAME_WORDS,
    clean_metric,
    counts_things,
    metric_after,
    metric_before,
    metric_tier,
    names_an_action,
    segment,
)
from ingest.models import DocumentMetadata, Fact
from ingest.normalize import matching_view, to_simplified
from ingest.numbers import UNIT_SET, NumberMention, find_numbers, prefix_hedge
from ingest.quantities import is_quantity
from ingest.rules import enabled, rule
from ingest.sections import SectionMap, iter_sentences, split_sections
from ingest.textview import compact_text, remap_fact

_MAX_SENTENCE = 1000  # chars of a sentence kept on a fact
_LIST_TRAILERS_RE = re.compile(r"(?:等.*|各|均|都|分别.*)$")


@dataclass(slots=True)
class _Context:
    text: str
    view: str
    sections: SectionMap
    sentence_starts: list[int]
    sentences: list[tuple[int, int]]
    doc_period: str | None
    news: bool  # the frame read the text as a news story about a report or a meeting


def extract_facts(text: str, metadata: DocumentMetadata | None = None) -> list[Fact]:
    """Every quantitative fact of `text`, in text order."""
    if not text:
        return []
    compact = compact_text(text)
    if compact is None:
        facts = _extract(text, metadata)
    else:
        view_text, index = compact
        facts = [remap_fact(f, text, index) for f in _extract(view_text, metadata)]
    # Table rows are read on the text as written: their line breaks are what makes them rows.
    view = matching_view(text)
    rows = outcomes.table_rows(view, lambda unit: unit in UNIT_SET)
    if rows:
        years = (metadata.review_year or metadata.plan_year) if metadata else None
        facts.extend(fact for row in rows for fact in _table_facts(text, view, row, years))
        facts.sort(key=lambda f: f.char_start)
    return facts


def _extract(text: str, metadata: DocumentMetadata | None) -> list[Fact]:
    view = matching_view(text)
    sections = split_sections(text, view, metadata)
    sentences = iter_sentences(view)
    ctx = _Context(
        text=text,
        view=view,
        sections=sections,
        sentence_starts=[s for s, _ in sentences],
        sentences=sentences,
        doc_period=cues.doc_period(view, metadata),
        news=metadata is not None and metadata.document_kind == "news",
    )
    boiler = boilerplate_spans(view)
    mentions = [m for m in find_numbers(view) if is_quantity(view, m)]
    if boiler:
        starts = [a for a, _ in boiler]

        def in_chrome(pos: int) -> bool:
            i = bisect_right(starts, pos) - 1
            return i >= 0 and pos < boiler[i][1]

        mentions = [m for m in mentions if not in_chrome(m.start)]
    facts: list[Fact] = []
    prev_end_in_sentence: dict[int, int] = {}
    last_metric_in_sentence: dict[int, dict] = {}
    for m in mentions:
        sent_start, sent_end = _sentence_of(ctx, m.start)
        lo = max(sent_start, prev_end_in_sentence.get(sent_start, sent_start))
        prev_end_in_sentence[sent_start] = m.span_end
        facts.extend(_facts_for(ctx, m, sent_start, sent_end, lo, last_metric_in_sentence))
    return facts


def _table_facts(text: str, view: str, row: outcomes.TableRow, year: int | None) -> list[Fact]:
    """A goal and a result of one table row (outcomes.table_row), for the year the report reviews."""
    metric_raw = clean_metric(text[row.name[0] : row.name[1]])
    unit_raw, unit_norm = text[row.unit[0] : row.unit[1]].strip(), view[row.unit[0] : row.unit[1]].strip()
    if row.growth:
        metric_raw = re.sub(r"(?:增长|增速|增幅)$", "", metric_raw)
    measure = "growth_pct" if row.growth else ("ratio_pct" if unit_norm in ("%", "‰") else "level")
    line_start = view.rfind("\n", 0, row.name[0]) + 1
    line_end = view.find("\n", row.result[1])
    line_end = len(view) if line_end < 0 else line_end
    norm = to_simplified(metric_raw)
    out = []
    for kind, (a, b) in (("target", row.goal), ("actual", row.result)):
        out.append(
            Fact(
                kind=kind,
                year=year,
                period="year",
                metric_raw=metric_raw,
                measure=measure,
                value=float(view[a:b].replace(",", "")),
                unit_raw=unit_raw,
                comparator="=",
                number_text=text[a:b],
                char_start=a,
                char_end=b,
                sentence=text[line_start:line_end],
                sentence_start=line_start,
                metric_norm=norm,
                unit_norm=unit_norm,
                section="review",
                tier=metric_tier(norm),
            )
        )
    return out


def _sentence_of(ctx: _Context, pos: int) -> tuple[int, int]:
    i = bisect_right(ctx.sentence_starts, pos) - 1
    return ctx.sentences[max(i, 0)]


def _metric_for(
    view: str, clause_lo: int, num_start: int, after_start: int, after_end: int, unit: str
) -> tuple[tuple[int, int] | None, int]:
    """(metric span, end of the metric in the prefix) for a number; the span may lie after the number."""
    prefix = view[clause_lo:num_start]
    span = metric_before(prefix[: outcomes.goal_name_end(prefix)])
    counted = counts_things(unit)
    after_span = metric_after(view[after_start:after_end], counted=counted)
    trimmed = prefix.rstrip()
    prefers_after = trimmed.endswith("等") or trimmed.endswith("的") or not trimmed
    if counted and after_span is not None and enabled(COUNT_NAMES_FOLLOW):
        # Rule count_names_follow: what a count counts is written after its classifier (完成辖区11台AED设备
        # 铺设, 出清38家省市县高耗低效工业企业); the words before are a verb or a place. Not when what
        # follows is an action (发现问题30处整改30处).
        a, b = after_start + after_span[0], after_start + after_span[1]
        names_action = names_an_action(view[a:b]) or _NUMBER_FIRST_RE.match(view, a, b)
        prefers_after = prefers_after or not names_action
    if (
        counted
        and span is not None
        and not prefers_after
        and prefix[span[0] : span[1]] in FRAME_WORDS
        and enabled(COUNT_SUBJECT_BEFORE_VERB)
    ):
        # Rule count_subject_before_verb: a framing verb is no name for a count (规上工业企业新增1家,
        # 企业数量增加到12家): the noun phrase before it is.
        span = metric_before(prefix[: span[0]]) or span
    if span is not None and after_span is not None:
        # A phrase ending in an action (投资, 粤港澳大湾区建设) names the activity, not what is counted:
        # 建设38项重点工作 counts the 重点工作 after the number.
        words = segment(prefix[span[0] : span[1]])
        if words and words[-1] in ACTION_VERBS:
            prefers_after = True
    if (span is None or prefers_after) and after_span is not None:
        return (after_start + after_span[0], after_start + after_span[1]), len(prefix)
    if span is None and not prefix.strip() and clause_lo > 0 and view[clause_lo - 1] in ")）":
        # 限额以上企业销售额(营业额)6.24亿元: the metric stands before a bracketed gloss.
        window = max(0, clause_lo - 30)
        open_at = max(view.rfind("(", window, clause_lo), view.rfind("（", window, clause_lo))
        if open_at > 0:
            lo2 = clause_start(view, max(0, open_at - MAX_LOOKBACK), open_at, LIST_BOUNDARY)
            span2 = metric_before(view[lo2:open_at])
            if span2 is not None:
                return (lo2 + span2[0], lo2 + span2[1]), len(prefix)
    if span is None:
        return None, len(prefix)
    return (clause_lo + span[0], clause_lo + span[1]), span[1]


COUNT_NAMES_FOLLOW = rule(
    "metrics.count_names_follow", "a count's thing follows its classifier (完成辖区11台AED设备铺设)"
)
COUNT_SUBJECT_BEFORE_VERB = rule(
    "metrics.count_subject_before_verb", "a framing verb is no name for a count (规上工业企业新增1家)"
)

# A phrase after a count that reaches another number before any quote is a second quantity, no thing.
_NUMBER_FIRST_RE = re.compile(r"[^“\"‘]*\d")


def _pre_hedge_start(view: str, start: int) -> int:
    """Where the words in front of a number end once hedges (超过, 近, 约 ...) are taken off."""
    comp, at = prefix_hedge(view, start)
    return at if comp is not None and comp != "=" else start


def _facts_for(
    ctx: _Context,
    m: NumberMention,
    sent_start: int,
    sent_end: int,
    lo: int,
    last_metric: dict[int, dict],
) -> list[Fact]:
    view, text = ctx.view, ctx.text
    num_lo = _pre_hedge_start(view, m.start)
    if m.value < 0:
        num_lo -= 1  # the minus sign of 同比-6.2% belongs to the number, not to the words before it
    clause_lo = clause_start(view, lo, num_lo, LIST_BOUNDARY)
    comma_lo = clause_start(view, lo, num_lo, CLAUSE_BOUNDARY)
    comma_full = clause_start(view, sent_start, num_lo, CLAUSE_BOUNDARY)
    after_end = clause_end(view, m.span_end, sent_end)
    metric_span, metric_end_in_prefix = _metric_for(view, clause_lo, num_lo, m.span_end, after_end, m.unit)
    prefix = view[clause_lo:num_lo]
    if metric_span is not None and metric_span[0] < m.start:
        lead = prefix[metric_end_in_prefix:]
        metric_raw = clean_metric(text[metric_span[0] : metric_span[1]])
    elif metric_span is not None:
        lead = prefix
        metric_raw = clean_metric(text[metric_span[0] : metric_span[1]])
    else:
        lead = prefix
        metric_raw = ""
    unit_raw = "".join(text[a:b] for a, b in m.unit_pieces)
    unit_norm = "".join(view[a:b] for a, b in m.unit_pieces)

    # Measure and sign.
    measure, sign = cues.measure_and_sign(
        view,
        unit_norm,
        lead,
        to_simplified(metric_raw),
        comma_lo,
        comma_full,
        num_lo,
        view[m.span_end : m.span_end + 6],
    )
    role = outcomes.role_in_statement(view, clause_lo, num_lo, m.span_end, measure)
    if role is not None and role.names_previous:
        # (任务数18家): the goal of the measure just named; 财政收入完成…: the measure before 完成.
        metric_raw = ""
        if role.names_before:
            name_lo = clause_start(view, sent_start, role.names_before, CLAUSE_BOUNDARY)
            before = metric_before(view[name_lo : role.names_before])
            metric_raw = clean_metric(text[name_lo + before[0] : name_lo + before[1]]) if before else ""
    if not metric_raw:
        # 比上年增加14545元, 同比增长8%, 比上年提高2.1个百分点: the metric named just before.
        mem = last_metric.get(sent_start, {})
        metric_raw = (mem.get("ratio_metric") if measure == "growth_pp" else None) or mem.get("metric", "")

    # Comparator: 预计 covers its clause or list up to a fresh verb.
    comparator = m.comparator
    full_start = full_sentence_start(view, 0, num_lo)
    if cues.forecast_covers(view[full_start:num_lo]):
        comparator = "~"

    # Section, kind and year.
    span = ctx.sections.at(m.start)
    section = span.section
    review_year, plan_year = ctx.sections.review_year, ctx.sections.plan_year
    # A run-on "sentence" (a page without punctuation) is clipped to a window around the number, so the
    # work per number stays bounded.
    out_start = (
        max(sent_start, m.start - _MAX_SENTENCE // 2) if sent_end - sent_start > _MAX_SENTENCE else sent_start
    )
    out_end = min(sent_end, out_start + _MAX_SENTENCE)
    if section == "plan":
        kind = "target"
    elif section == "review":
        metric_lo = metric_span[0] if metric_span is not None else None
        kind = cues.review_kind(view, lead, measure, clause_lo, metric_lo, comma_full, num_lo)
    else:
        kind = cues.unheaded_kind(view, lead, measure, full_start, comma_full, num_lo, m.span_end, sent_end)
    if role is not None:
        kind = role.kind
    future = (
        cues.forecast_year(view[full_start:num_lo], span.year or review_year) if comparator == "~" else None
    )
    if future is not None and section != "plan":
        kind = "target"  # 预计2025年建成投产, 年营业收入达22.4亿元: a forecast for a later year
    if kind == "target":
        year = span.year if section == "plan" and span.year else plan_year
        if section == "review":
            year = span.year or review_year
        year = future or cues.target_year(view[out_start:out_end]) or year
    else:
        year = span.year if section == "review" and span.year else review_year
        # A clause that opens on an earlier year (2023年我镇地区生产总值修订为…, 2021-2022年投资…) says so.
        stated = stated_year(view[comma_full:num_lo])
        if stated is not None and year is not None and stated < year:
            year = stated
        if ctx.news:
            # A story on a meeting (105名人大代表齐聚一堂, 补选镇政府副镇长1名): its figures are of the year
            # the meeting is held in.
            year = meeting_year(view[sent_start:sent_end], review_year, plan_year) or year
    period = cues.period_of(
        view, sent_start, m.start, ctx.doc_period, section if kind == "actual" else "plan"
    )

    number_text = text[m.start : m.end]
    sentence = text[out_start:out_end].rstrip("\n")
    base = {
        "kind": kind,
        "year": year,
        "period": period,
        "measure": measure,
        "value": m.value * sign,
        "unit_raw": unit_raw,
        "comparator": comparator,
        "number_text": number_text,
        "char_start": m.start,
        "char_end": m.end,
        "sentence": sentence,
        "sentence_start": out_start,
        "unit_norm": unit_norm,
        "section": section,
    }
    metrics: list[str] = []
    dist = distribution_items(view, comma_full, num_lo) if measure != "level" or m.unit else None
    if dist:
        for a, b in dist:
            raw = clean_metric(text[a:b])
            raw = _LIST_TRAILERS_RE.sub("", raw)
            if raw:
                metrics.append(raw)
    memory = last_metric.setdefault(sent_start, {})
    split = respectively(view, comma_full, num_lo, view[m.span_end : m.span_end + 40], memory)
    if split:
        metrics = split
    if not metrics:
        metrics = [metric_raw]
    if metric_raw:
        # A ratio's metric (为年初预算的135%) is not what a later growth refers to, but points may be.
        memory["ratio_metric" if measure == "ratio_pct" else "metric"] = metric_raw
        if measure == "level":
            memory.setdefault("level_metrics", []).append(metric_raw)
    out = []
    for raw in metrics:
        norm = to_simplified(raw)
        out.append(Fact(metric_raw=raw, metric_norm=norm, tier=metric_tier(norm), **base))
    return out
