"""One report, counted once: which documents repeat another's text, exactly or nearly.

The same report saved as UTF-8 and GB18030 text, as a web page, a .docx or a PDF decodes to the same
words with different whitespace, punctuation widths or character forms. Two documents are *duplicates*
when their `comparable_text` (the report body: portal furniture left out, whitespace and invisible marks
removed, punctuation widths folded, traditional characters simplified) is equal: `text_fingerprint`.
Of each group of duplicates one is the document (the best format, then the first path), the others point
at it; which one is a function of the set of documents alone, so adding or removing a copy later gives
the same answer as a fresh build.

*Near-duplicates* (the same report republished with another header or footer) are only reported: a
MinHash signature of the body's sentences estimates how many sentences two documents share, and
locality-sensitive hashing (bands of the signature) keeps the comparison far below all pairs.
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.boilerplate import boilerplate_spans
from ingest.normalize import INVISIBLE_RE, matching_view

# Which copy of a report is the document: plain text first (its offsets are the cleanest), then the
# formats whose conversion to text may drop or reflow something.
_FORMAT_RANK = {"utf-8": 0, "docx": 2, "html": 3, "pdf": 4}
_PLAIN_TEXT_RANK = 1  # utf-16, gb18030, big5, ...: plain text in another encoding

# CJK punctuation that `matching_view` leaves alone, folded to the ASCII the view uses for the rest, so
# "12.5。" and "12.5." compare equal. One character each.
_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"'})
_PUNCTUATION |= str.maketrans({"」": '"', "『": '"', "』": '"', "《": "<", "》": ">", "—": "-", "–": "-"})
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])")

SIGNATURE_SIZE = 64
_BANDS, _ROWS = 16, 4  # 16 bands of 4: a pair sharing 80 % of its sentences meets in a band 99.9 % of times
# The 64 hash functions are the 64 four-byte words of one SHAKE-128 output per sentence: hashed, unpacked and
# reduced to per-position minima in C (a linear hash per function in Python cost 1 ms a document).
_SIGNATURE_WORDS = struct.Struct(f"<{SIGNATURE_SIZE}I")
NEAR_DUPLICATE_SIMILARITY = 0.8
_MIN_SENTENCES = 5  # fewer sentences than this make a similarity estimate noise


def comparable_text(text: str, furniture: Iterable[tuple[int, int]] | None = None) -> str:
    """The body of a text as duplicates are compared: invisible marks removed, portal furniture cut
    (`furniture`: boilerplate_spans(text) when the caller has them already), then the rules' view
    (half-width, simplified) without whitespace, CJK punctuation folded.

    Invisible marks go first: one inside a metadata line would hide the line from the boilerplate rules."""
    visible = INVISIBLE_RE.sub("", text)
    if furniture is None or len(visible) != len(text):
        furniture = boilerplate_spans(visible)
    view = matching_view(visible)
    pieces, position = [], 0
    for start, end in sorted(furniture):
        if start >= position:
            pieces.append(view[position:start])
            position = end
    pieces.append(view[position:])
    return _WHITESPACE.sub("", "".join(pieces)).translate(_PUNCTUATION)


def text_fingerprint(comparable: str) -> str:
    return hashlib.sha256(comparable.encode("utf-8")).hexdigest()


def text_signature(comparable: str) -> list[int]:
    """MinHash of the body's sentences (64 values); [] when the body has too few sentences to compare."""
    sentences = {s for s in _SENTENCE_END.split(comparable) if len(s) > 1}
    if len(sentences) < _MIN_SENTENCES:
        return []
    size = _SIGNATURE_WORDS.size
    hashes = [_SIGNATURE_WORDS.unpack(hashlib.shake_128(s.encode("utf-8")).digest(size)) for s in sentences]
    return list(map(min, zip(*hashes, strict=True)))


def similarity(left: list[int], right: list[int]) -> float:
    """The estimated share of sentences two documents have in common (Jaccard), from their signatures."""
    if len(left) != len(right):
        raise ValueError(f"signatures of {len(left)} and {len(right)} values cannot be compared")
    # map in C, not a generator: marking duplicates compares ~60 pairs per document of a 10k warehouse
    return sum(map(operator.eq, left, right)) / SIGNATURE_SIZE


def format_rank(encoding: str | None) -> int:
    return _FORMAT_RANK.get(encoding or "", _PLAIN_TEXT_RANK)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A parsed document, as the duplicate decision sees it."""

    document_id: str
    source_file: str
    encoding: str | None
    fingerprint: str
    signature: list[int]

    @property
    def rank(self) -> tuple[int, list[str]]:
        return format_rank(self.encoding), self.source_file.split("/")


@dataclass(frozen=True, slots=True)
class Verdict:
    duplicate_of: Candidate | None = None  # the document this one repeats, word for word
    near_duplicate_of: Candidate | None = None  # the document whose sentences it mostly shares
    similarity: float | None = None


def decide(candidates: Iterable[Candidate]) -> dict[str, Verdict]:
    """document_id -> verdict, for every candidate. Within a group of equal fingerprints the best-ranked
    is the document; a document that is no duplicate is a near-duplicate of the most similar better-ranked
    document (itself no duplicate) with a similarity of 0.8 or more."""
    ordered = sorted(candidates, key=lambda c: c.rank)
    verdicts: dict[str, Verdict] = {}
    kept: dict[str, Candidate] = {}
    buckets: dict[tuple[int, tuple[int, ...]], list[Candidate]] = defaultdict(list)
    for candidate in ordered:
        original = kept.setdefault(candidate.fingerprint, candidate)
        if original is not candidate:
            verdicts[candidate.document_id] = Verdict(duplicate_of=original)
            continue
        keys = _band_keys(candidate.signature)  # once: they look up the buckets, then join them
        verdicts[candidate.document_id] = _nearest(candidate, keys, buckets)
        for key in keys:
            buckets[key].append(candidate)
    return verdicts


def _band_keys(signature: list[int]) -> list[tuple[int, tuple[int, ...]]]:
    if not signature:
        return []
    return [(band, tuple(signature[band * _ROWS : (band + 1) * _ROWS])) for band in range(_BANDS)]


def _nearest(
    candidate: Candidate,
    keys: list[tuple[int, tuple[int, ...]]],
    buckets: dict[tuple[int, tuple[int, ...]], list[Candidate]],
) -> Verdict:
    best: tuple[float, Candidate] | None = None
    seen: set[str] = set()
    for key in keys:
        for other in buckets.get(key, ()):
            if other.document_id in seen:
                continue
            seen.add(other.document_id)
            score = similarity(candidate.signature, other.signature)
            if score >= NEAR_DUPLICATE_SIMILARITY and (best is None or score > best[0]):
                best = (score, other)
    if best is None:
        return Verdict()
    return Verdict(near_duplicate_of=best[1], similarity=round(best[0], 3))
