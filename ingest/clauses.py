"""Clause and sentence limits around a number: where the words that qualify it start and end.

A clause ends at punctuation (for lists also at 、); a full sentence ends at 。 or a line break, so periods
and 预计 carry across ；. Every search is bounded by `MAX_LOOKBACK`, so text without punctuation stays cheap.
"""

from __future__ import annotations

import re

CLAUSE_BOUNDARY = ",，:：;；。！？!?\n()（）"
LIST_BOUNDARY = CLAUSE_BOUNDARY + "、"
_LIST_BOUNDARY_RE = re.compile("[" + re.escape(LIST_BOUNDARY) + "]")
FULL_STOPS = "。！？!?\n•●◆▲■"

MAX_LOOKBACK = 400  # chars; bounds the work per number on text without punctuation


# One pattern per set of boundary characters: a greedy `.*` backs off from `pos` to the last of them, one
# C-level search where an rfind per character costs a Python call each (clause_start runs 3 times a number).
_LAST_OF: dict[str, re.Pattern[str]] = {}


def last_of(view: str, chars: str, lo: int, pos: int) -> int:
    """The last index in [lo, pos) holding one of `chars`, or -1."""
    pattern = _LAST_OF.get(chars)
    if pattern is None:
        pattern = _LAST_OF[chars] = re.compile("(?s:.*)[" + re.escape(chars) + "]")
    m = pattern.match(view, lo, pos)
    return m.end() - 1 if m else -1


def clause_start(view: str, lo: int, pos: int, boundaries: str) -> int:
    """Start of the clause that ends at `pos`, not before `lo`."""
    lo = max(lo, pos - MAX_LOOKBACK, 0)
    at = last_of(view, boundaries, lo, pos)
    return at + 1 if at >= 0 else lo


def clause_end(view: str, pos: int, hi: int) -> int:
    """End of the list item or clause that starts at `pos`, not after `hi`."""
    hi = min(hi, pos + MAX_LOOKBACK)
    m = _LIST_BOUNDARY_RE.search(view, pos, hi)
    return m.start() if m else hi


def full_sentence_start(view: str, lo_limit: int, pos: int) -> int:
    """Start of the 。-delimited sentence around pos: periods and 预计 carry across ；."""
    floor = max(lo_limit, pos - MAX_LOOKBACK, 0)
    at = last_of(view, FULL_STOPS, floor, pos)
    return at + 1 if at >= 0 else floor
