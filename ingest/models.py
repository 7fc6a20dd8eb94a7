"""Plain data that flows out of the ingest library: a document's metadata and its facts.

These dataclasses are the contract between `ingest/` (which fills them) and `orchestration/` (which writes
them to the raw DuckDB tables that dbt reads). Keep field names in step with `RAW_*_SCHEMA` below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["actual", "target"]
Measure = Literal["level", "growth_pct", "growth_pp", "ratio_pct"]
Comparator = Literal["=", ">=", "<=", "~"]
# 'duplicate' is never the outcome of a parse: the pipeline marks a parsed document that repeats another's
# text (ingest.duplicates) after comparing it with the rest of the warehouse.
DocumentStatus = Literal["parsed", "quarantined", "duplicate"]


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    """What a report says about itself: who wrote it, when, and which years it covers."""

    district: str | None = None  # the reporting unit as written, e.g. 昌硕街道, 鳳橋鎮
    district_level: str | None = None  # 街道 | 镇 | 乡 | 区 | 县 | 市 | ...
    parent_unit: str | None = None  # e.g. 安吉县, when the text names one
    published_on: dt.date | None = None
    review_year: int | None = None  # the year the review part reports on
    plan_year: int | None = None  # the year the plan part sets targets for
    title: str | None = None
    # The kind of text (ingest.frame.DOCUMENT_KINDS): annual_report, plan, mid_year_summary, ...
    document_kind: str | None = None
    # Why the frame decided as it did: a JSON list of {"field", "value", "clue", "text"} (ingest.frame).
    frame_evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One quantitative fact, following shared/gold/GUIDELINE.md.

    `char_start`/`char_end` are Python string offsets into the decoded source text (end exclusive) and
    slice back exactly to `number_text`, the number as written (e.g. "12.8", "三", "４６００").
    """

    kind: Kind
    year: int | None
    period: str  # 'year' | 'ytd:M-N' | 'cumulative'
    metric_raw: str  # the phrase as written in the source text
    measure: Measure
    value: float  # the number as written, unscaled: 12.8 for 12.8亿元
    unit_raw: str  # the unit as written after the number ('' if none)
    comparator: Comparator
    number_text: str
    char_start: int
    char_end: int
    sentence: str
    sentence_start: int
    metric_norm: str = ""  # metric_raw in simplified characters, for dictionary lookups
    unit_norm: str = ""  # unit_raw in simplified characters
    section: str = "unknown"  # 'review' | 'plan' | 'unknown': the section the fact stands in
    tier: int = 2  # 1 for a headline economic or fiscal indicator, as in the guideline


@dataclass(slots=True)
class ParsedDocument:
    """The outcome of reading one file: parsed with metadata and facts, or quarantined with a reason."""

    source_file: str
    content_sha256: str
    size_bytes: int
    status: DocumentStatus
    reason: str | None = None
    encoding: str | None = None
    text: str | None = None
    n_chars: int | None = None  # length of `text`, kept when the text itself is dropped to save memory
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    facts: list[Fact] = field(default_factory=list)
    terms: DocumentTerms | None = None  # the words of each section (ingest.terms), None when quarantined
    # What duplicates are decided on (ingest.duplicates): the hash of the body's comparable text, and the
    # MinHash of its sentences ([] when too short); None when quarantined
    text_fingerprint: str | None = None
    text_signature: list[int] | None = None


# --- What a report talks about (ingest.terms): sizes and word counts per section ------------------------


@dataclass(frozen=True, slots=True)
class SectionTerms:
    """One section's size and words. Plain dicts, not an object per word: a report has ~1,000 words, and
    they travel from the parse workers to the writer."""

    section: str  # 'review' | 'plan' | 'unknown'
    n_chars: int  # characters of the section, whitespace and portal furniture left out
    n_words: int  # its words: jieba's tokens of Chinese text and Latin tokens, numbers and punctuation not
    counts: dict[str, int]  # word of 2+ characters (simplified; Latin upper-cased) -> mentions


@dataclass(frozen=True, slots=True)
class DocumentTerms:
    sections: tuple[SectionTerms, ...]
    tags: dict[str, str]  # jieba's dictionary tag of every counted word ('x' when it has none)
    # section -> keyword candidate -> (offset of its first mention in the section, the sentence around it
    # as written); offsets index the text with pinyin glosses and soft line breaks taken out
    evidence: dict[str, dict[str, tuple[int, str]]]
