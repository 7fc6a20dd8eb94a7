"""Length-preserving text normalization, so that offsets found on the normalized text hold on the original.

Rules match on a *view* of the text: full-width ASCII folded to half-width, traditional characters mapped
to simplified. Both maps are one character to one character, so index i of the view is index i of the
source and every span found on the view slices the source text unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Full-width forms U+FF01..U+FF5E map to ASCII by a fixed offset; U+3000 is the ideographic space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Look-alikes that scraped pages use in place of ASCII, each one character for one character:
# no-break and typographic spaces, the ratio colon ∶ written as a colon, small ﹪, wave dash 〜.
_FULLWIDTH |= {0x00A0: 0x20, 0x2236: 0x3A, 0xFE6A: 0x25, 0x301C: 0x7E}
_FULLWIDTH |= {cp: 0x20 for cp in range(0x2002, 0x200B)}
_FULLWIDTH_TABLE = str.maketrans({chr(k): chr(v) for k, v in _FULLWIDTH.items()})


# Invisible characters some pages scatter inside words (soft hyphen, zero-width space/joiners, word joiner,
# a BOM in mid-text). They carry no meaning; rules that need no offsets simply drop them.
INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]+")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (same length)."""
    return text.translate(_FULLWIDTH_TABLE)


@lru_cache(maxsize=65536)
def _simplify_char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional to simplified characters through OpenCC, keeping the length of the text.

    OpenCC converts phrases, which can change length in rare cases; when it does, fall back to
    character-by-character conversion so offsets never drift.
    """
    if text.isascii():
        return text
    out = _converter().convert(text)
    if len(out) == len(text):
        return out
    return "".join(_simplify_char(ch) for ch in text)


@lru_cache(maxsize=128)
def matching_view(text: str) -> str:
    """The text as the rules see it: half-width and simplified, index-aligned with `text`.

    Cached: metadata, the frame, the facts and the word counts each need the view of the whole text, and a
    document's short lines (boilerplate checks) pass through here too; 128 entries outlive one document."""
    view = to_simplified(fold_width(text))
    assert len(view) == len(text)
    return view
