"""A compact copy of a text for the rules, with offsets mapped back to the original.

Some portals put pinyin glosses after characters (生產(chǎn)總值) or zero-width marks inside words, and PDF
text is hard-wrapped mid-sentence. All of them split words, so the rules run on a copy without them;
`remap_fact` turns a fact found on the copy into one that indexes the original text, with metric and unit
as written (glosses included, invisible marks left out).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ingest.models import Fact
from ingest.normalize import INVISIBLE_RE

# Patterns of the rules below, compiled once at import.
_LINE_BREAK_RE = re.compile(r"\s*\n\s*")

# Pinyin glosses some portals put after characters: 生產(chǎn)總值.
_PINYIN_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]")
_GAP = "(?:[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]|\n|[\u00ad\u200b-\u200d\u2060\ufeff]+)?"

_ORDINAL_LINE_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+)"
)
_WRAP_END_RE = re.compile(r"[\u4e00-\u9fff\dA-Za-z%,，、“(（]$")


def soft_newlines(text: str) -> list[tuple[int, int]]:
    """Line breaks of a hard-wrapped page (PDF text) that fall inside a sentence.

    A page counts as hard-wrapped when many of its long lines end mid-sentence; a break is soft when the
    line before is long, ends mid-sentence and is no heading, and the next line is no heading either.
    """
    lines = text.split("\n")
    long_lines = [ln.rstrip() for ln in lines if len(ln.strip()) >= 15]
    if len(long_lines) < 4:
        return []
    wrapped = sum(1 for ln in long_lines if _WRAP_END_RE.search(ln))
    if wrapped < 0.3 * len(long_lines):
        return []
    spans = []
    pos = 0
    for i, line in enumerate(lines[:-1]):
        end = pos + len(line)
        nxt = lines[i + 1]
        stripped = line.strip()
        if (
            len(stripped) >= 15
            and _WRAP_END_RE.search(stripped)
            and not _ORDINAL_LINE_RE.match(stripped)
            and nxt.strip()
            and not _ORDINAL_LINE_RE.match(nxt)
        ):
            spans.append((end, end + 1))
        pos = end + 1
    return spans


@lru_cache(maxsize=4)
def compact_text(text: str) -> tuple[str, list[int]] | None:
    """(the text without glosses and soft line breaks, original offset of each of its chars), or None when
    there is nothing to cut.

    Cached for the document at hand: the frame, the facts and the word counts each start from it (callers
    only read the offsets)."""
    cuts = sorted(
        [g.span() for g in _PINYIN_RE.finditer(text)]
        + [z.span() for z in INVISIBLE_RE.finditer(text)]
        + soft_newlines(text)
    )
    if not cuts:
        return None
    index: list[int] = []
    pieces: list[str] = []
    pos = 0
    for a, b in cuts:
        if a < pos:
            continue
        pieces.append(text[pos:a])
        index.extend(range(pos, a))
        pos = b
    pieces.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(pieces), index


def _orig_span(index: list[int], start: int, end: int) -> tuple[int, int]:
    if end <= start:
        o = index[start] if start < len(index) else (index[-1] + 1 if index else 0)
        return o, o
    return index[start], index[end - 1] + 1


def _with_glosses(phrase: str, source: str) -> str:
    """The phrase as it stands in the source, pinyin glosses included (生產(chǎn)總值)."""
    if not phrase or phrase in source:
        return phrase  # the common case: nothing was cut inside the phrase
    span = find_gapped(phrase, source)
    return source[span[0] : span[1]] if span else phrase


def find_gapped(phrase: str, source: str) -> tuple[int, int] | None:
    """The first span of `source` that reads `phrase` with an optional gloss, line break or run of
    invisible marks between its characters: what the pattern `c1 GAP? c2 GAP? ... cn` finds (_GAP),
    matched by hand because compiling such a pattern costs milliseconds, more than a whole fact.

    The walk tries what the pattern would, in its order: the leftmost start; after each character a gap
    before no gap, and a run of invisible marks longest first."""
    first, n = phrase[0], len(phrase)
    start = source.find(first)
    while start >= 0:
        # Depth-first over (index of the next phrase character, position in source, options left there).
        stack = [(1, start + 1)]
        while stack:
            k, pos = stack.pop()
            if k == n:
                return start, pos
            for at in reversed(_after_gap(source, pos)):  # pushed reversed: the pattern's first choice on top
                if source.startswith(phrase[k], at):
                    stack.append((k + 1, at + 1))
        start = source.find(first, start + 1)
    return None


_GAP_RE = re.compile(_GAP[3:-2])  # one gap: a gloss, a line break, or a run of invisible marks


def _after_gap(source: str, pos: int) -> list[int]:
    """Where the next phrase character may stand, in the pattern's order of trying: after a gap at `pos`
    (a run of invisible marks: each shorter run too), then at `pos` itself."""
    m = _GAP_RE.match(source, pos)
    if m is None:
        return [pos]
    if source[pos] in "(（\n":
        return [m.end(), pos]
    return [*range(m.end(), pos, -1), pos]


def remap_fact(f: Fact, text: str, index: list[int]) -> Fact:
    """A fact found on the compact copy, with offsets, sentence, metric and unit of the original text."""
    cs, ce = _orig_span(index, f.char_start, f.char_end)
    ss, se = _orig_span(index, f.sentence_start, f.sentence_start + len(f.sentence))
    sentence = text[ss:se]
    # As written, glosses included, but without the line breaks of a hard-wrapped page or invisible marks.
    metric_raw = INVISIBLE_RE.sub("", _LINE_BREAK_RE.sub("", _with_glosses(f.metric_raw, sentence)))
    unit_raw = _with_glosses(f.unit_raw, text[ce : ce + 20]) if f.unit_raw else f.unit_raw
    return replace(
        f,
        char_start=cs,
        char_end=ce,
        number_text=text[cs:ce],
        sentence=sentence,
        sentence_start=ss,
        metric_raw=metric_raw,
        unit_raw=INVISIBLE_RE.sub("", _LINE_BREAK_RE.sub("", unit_raw)),
    )
