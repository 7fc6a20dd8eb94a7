"""What a report talks about: the words of each of its sections, counted once per document.

The parse step segments the whole text once (jieba's dictionary with the domain words of ingest/data, and
the policy phrases of ingest/data/policy_terms.txt kept whole: 碳汇, 乡村振兴, 适老化) and
keeps, per section (review / plan / unknown):
  - its size: characters and words, the denominators of every share;
  - every word of two characters or more (and every Latin token such as PM2.5, 5G) with its count and
    its dictionary part of speech.
Nothing here knows a theme or a keyword: the theme lexicon and the keyword ranking (TF-IDF against the
warehouse's own documents) are dbt's, so an analyst who edits the lexicon rebuilds dbt models, not the
parse. For the marts to quote the reports without storing whole texts, the document's most salient nouns
(count x rarity in general Chinese, from jieba's word frequencies) and its policy phrases also get the
first sentence they stand in, in each section.

Segmentation is jieba's dictionary mode (`HMM=False`, as `ingest.metrics.segment` uses it), reimplemented
on jieba's own dictionary: the same dynamic programme over the same word frequencies with the logarithms
computed once, ~2.5x faster than `Tokenizer.lcut`, which keeps the extra pass within the throughput
budget of issue 7. tests/test_terms.py checks that both cut the reports the same way.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from heapq import nlargest
from pathlib import Path

from ingest.boilerplate import blank_out, boilerplate_spans
from ingest.metrics import ACTION_VERBS, _pos_tokenizer, _tokenizer
from ingest.models import DocumentMetadata, DocumentTerms, SectionTerms
from ingest.normalize import matching_view
from ingest.sections import iter_sentences, split_sections
from ingest.textview import compact_text

# Dictionary tags of the words a keyword may be: nouns (n), proper and other nouns (nz, nt, ns), verbal
# nouns (vn: 改造, 治理), abbreviations (j: 双减) and Latin tokens (eng: PM2.5, AED). The raw table carries
# the flag from `is_noun`, so this module is the one place that decides.
NOUN_TAGS = ("n", "nz", "nt", "ns", "vn", "j", "eng")


def is_noun(word: str, tag: str) -> bool:
    """A possible keyword: a noun tag, and not one of the action verbs the fact extractor knows (jieba's
    dictionary tags 新建 as a place name and 建设, 服务 as verbal nouns)."""
    return tag in NOUN_TAGS and word not in ACTION_VERBS


POLICY_TERMS = Path(__file__).parent / "data" / "policy_terms.txt"
# How many nouns of a document get an evidence sentence: the keyword mart picks its ten among them.
EVIDENCE_CANDIDATES = 40
MAX_EVIDENCE_CHARS = 200

_TOKEN_RE = re.compile(r"([\u4e00-\u9fff]+)|([A-Za-z0-9][A-Za-z0-9.+]*)")
_HAS_LETTER_RE = re.compile(r"[A-Za-z]")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Dictionary:
    """jieba's dictionary as the dynamic programme needs it, in one table: every word and every prefix of
    one (jieba's FREQ) -> the word's log probability, or None for a prefix that is no word."""

    log_p: dict[str, float | None]
    unknown_log_p: float  # a character that starts no word (jieba scores it as frequency 1)
    tags: dict[str, str]
    user_tags: dict[str, str]
    policy: frozenset[str]  # the phrases of ingest/data/policy_terms.txt

    def tag(self, word: str) -> str:
        if word.isascii():
            return "eng"
        return self.user_tags.get(word) or self.tags.get(word, "x")


def read_policy_terms(path: Path = POLICY_TERMS) -> list[tuple[str, int, str]]:
    """(word, frequency, tag) of each line of a jieba-style word list; '#' starts a comment line."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            freq = int(parts[1]) if len(parts) > 1 else 2000
            entries.append((parts[0], freq, parts[2] if len(parts) > 2 else "n"))
    return entries


@lru_cache(maxsize=1)
def _dictionary() -> _Dictionary:
    """The domain tokenizer's dictionary plus the policy phrases, added as jieba's `add_word` would add
    them (into the total, prefixes with frequency 0), without touching the extractor's tokenizer."""
    tok = _tokenizer()
    added = read_policy_terms()
    total = tok.total + sum(n for _, n, _ in added)  # as add_word counts them, replaced words too
    log_total = math.log(total)
    log_p = {word: (math.log(n) - log_total if n else None) for word, n in tok.FREQ.items()}
    user_tags = dict(tok.user_word_tag_tab)
    for word, n, tag in added:
        for end in range(1, len(word)):
            log_p.setdefault(word[:end], None)
        log_p[word] = math.log(n) - log_total
        user_tags[word] = tag
    policy = frozenset(word for word, _, _ in added)
    return _Dictionary(log_p, -log_total, _pos_tokenizer().word_tag_tab, user_tags, policy)


_ABSENT = 1.0  # no log probability is positive
_NONE = float("-inf")  # no candidate word yet: any score beats it


def cut_han(run: str, d: _Dictionary | None = None) -> list[str]:
    """Words of a run of Chinese characters, exactly as jieba's `lcut(run, HMM=False)` cuts it with the
    same dictionary (the domain tokenizer's, with the policy phrases added).

    jieba's route: from the end of the run back, the best-scoring split of the rest (sum of word
    log-probabilities); ties go to the longer word, and a character heads a one-character word only when
    it is a word itself or starts none.
    """
    d = d or _dictionary()
    get = d.log_p.get  # bound once: this loop runs for every character of every report
    absent = _ABSENT
    n = len(run)
    score = [0.0] * (n + 1)
    nxt = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        single = get(run[i], absent)
        best_end = i + 1
        best = single + score[best_end] if single is not absent and single is not None else _NONE
        if single is not absent:  # the character starts words: try each longer one
            j = i + 2
            while j <= n:
                lp = get(run[i:j], absent)
                if lp is absent:
                    break
                if lp is not None and lp + score[j] >= best:
                    best, best_end = lp + score[j], j
                j += 1
        if best == _NONE:
            best = d.unknown_log_p + score[best_end]
        score[i], nxt[i] = best, best_end
    words = []
    i = 0
    while i < n:
        j = nxt[i]
        words.append(run[i:j])
        i = j
    return words


def words_of(text: str, d: _Dictionary | None = None) -> list[str]:
    """Every word of `text` (a matching view), in order: Chinese words and Latin tokens."""
    d = d or _dictionary()
    out: list[str] = []
    for han, latin in _TOKEN_RE.findall(text):
        if han:
            out += cut_han(han, d)
        elif _HAS_LETTER_RE.search(latin):
            out.append(latin.rstrip(".").upper())
    return out


# Tags and noun flags of the words met so far in this process: the vocabulary of reports is small.
_TAGS: dict[str, str] = {}
_NOUNS: set[str] = set()


def _tag(word: str, d: _Dictionary) -> str:
    tag = _TAGS.get(word)
    if tag is None:
        tag = _TAGS[word] = d.tag(word)
        if is_noun(word, tag):
            _NOUNS.add(word)
    return tag


def count_terms(text: str, metadata: DocumentMetadata | None = None) -> DocumentTerms:
    """Sizes, word counts and evidence of one document's sections (see the module docstring)."""
    compact = compact_text(text)
    written = compact[0] if compact is not None else text
    view = matching_view(written)
    # Portal furniture is no part of what the unit said: the fact extractor's test for it, blanked out.
    view = blank_out(view, boilerplate_spans(view))
    d = _dictionary()
    sections = split_sections(written, view, metadata)
    bounds = [s.start for s in sections.spans] + [len(view)]
    sizes: dict[str, list[int]] = {}
    counts: dict[str, Counter[str]] = {}
    for span, end in zip(sections.spans, bounds[1:], strict=True):
        part = view[span.start : end]
        words = words_of(part, d)
        size = sizes.setdefault(span.section, [0, 0])
        size[0] += len(part) - sum(map(len, _SPACE_RE.findall(part)))
        size[1] += len(words)
        counts.setdefault(span.section, Counter()).update(words)
    # One character is a word of grammar, not of subject matter.
    kept = {section: {t: n for t, n in c.items() if len(t) >= 2} for section, c in counts.items()}
    known = _TAGS.get
    tags = {term: known(term) or _tag(term, d) for words in kept.values() for term in words}
    nouns: Counter[str] = Counter()
    for words in kept.values():
        nouns.update({t: n for t, n in words.items() if t in _NOUNS})
    candidates = _candidates(nouns, d)
    evidence: dict[str, dict[str, tuple[int, str]]] = {}
    if candidates:
        sentences = iter_sentences(view)
        for span, end in zip(sections.spans, bounds[1:], strict=True):
            found = evidence.setdefault(span.section, {})
            for term in candidates:
                if term in found or term not in kept[span.section]:
                    continue
                at = view.find(term, span.start, end)
                if at >= 0:
                    found[term] = (at, _sentence_at(written, sentences, at))
    return DocumentTerms(
        sections=tuple(SectionTerms(s, n_chars, n_words, kept[s]) for s, (n_chars, n_words) in sizes.items()),
        tags=tags,
        evidence={section: found for section, found in evidence.items() if found},
    )


def _candidates(nouns: Counter[str], d: _Dictionary) -> list[str]:
    """The nouns that get evidence: the document's most salient ones, mentions x rarity in general Chinese
    (-log p of the word in jieba's dictionary), which puts 工作, 建设, 街道 last without knowing the
    warehouse (the keyword mart ranks them against the warehouse's own documents), and every policy
    phrase it uses (居家养老, 碳汇), which the attention mart quotes."""
    rare = -d.unknown_log_p / 2  # a Latin token or a domain word outside jieba's base frequencies
    log, log_p = math.log, d.log_p.get
    salience = {
        term: (1 + log(n)) * (-lp if (lp := log_p(term)) is not None else rare) for term, n in nouns.items()
    }
    salient = nlargest(EVIDENCE_CANDIDATES, nouns, key=salience.__getitem__)
    return salient + sorted(term for term in nouns if term in d.policy and term not in salient)


def _sentence_at(written: str, sentences: list[tuple[int, int]], at: int) -> str:
    """The sentence around offset `at`, as written; a window of MAX_EVIDENCE_CHARS in a run-on paragraph."""
    i = max(bisect_right(sentences, (at, len(written) + 1)) - 1, 0)
    start, end = sentences[i]
    sentence = written[start:end].strip()
    if len(sentence) > MAX_EVIDENCE_CHARS:
        lo = max(start, at - MAX_EVIDENCE_CHARS // 2)
        sentence = written[lo : lo + MAX_EVIDENCE_CHARS].strip()
    return sentence
