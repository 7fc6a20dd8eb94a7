"""Properties of the extractor on random and mutated text: it never raises, offsets slice back to the number
as written, and the number as written parses to the value (modulo sign)."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.facts import extract_facts
from ingest.models import DocumentMetadata
from ingest.numbers import parse_number_text

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def _seed_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for part in text.replace("\n", "。").split("。"):
            if any(ch.isdigit() for ch in part) and 6 <= len(part) <= 200:
                out.append(part + "。")
    return out


SENTENCES = _seed_sentences()
# Characters that matter to the rules: digits (half and full width), Chinese numerals, units, hedges,
# punctuation, traditional forms and pinyin brackets.
ALPHABET = list(
    "0123456789０１２３４５６７８９.,，。；;、%％()（）“”-—～~+ ·"
    "零一二两三四五六七八九十百千万亿億萬元人次个個家户項项亩"
    "年月日第余多近约超以上下内左右增长增長下降同比累计预计力争确保目标达到完成实现财政收入億元\n\tabcdzhǎng"
)
METADATA = st.one_of(
    st.none(),
    st.builds(
        DocumentMetadata,
        review_year=st.one_of(st.none(), st.integers(1990, 2040)),
        plan_year=st.one_of(st.none(), st.integers(1990, 2040)),
    ),
)


def _check(text: str, metadata: DocumentMetadata | None) -> None:
    facts = extract_facts(text, metadata)
    for f in facts:
        assert text[f.char_start : f.char_end] == f.number_text
        assert text[f.sentence_start : f.sentence_start + len(f.sentence)] == f.sentence
        parsed = parse_number_text(f.number_text)
        assert parsed is not None, f
        assert math.isclose(abs(parsed), abs(f.value), rel_tol=1e-9), f
        assert f.kind in ("actual", "target")
        assert f.measure in ("level", "growth_pct", "growth_pp", "ratio_pct")
        assert f.comparator in ("=", ">=", "<=", "~")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), METADATA)
def test_random_unicode_never_breaks(text: str, metadata: DocumentMetadata | None) -> None:
    _check(text, metadata)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300), METADATA)
def test_report_alphabet_never_breaks(text: str, metadata: DocumentMetadata | None) -> None:
    _check(text, metadata)


@st.composite
def mutated_sentences(draw: st.DrawFn) -> str:
    """A few seed sentences joined, then characters inserted, deleted or replaced at random places."""
    parts = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4))
    text = "".join(parts)
    for _ in range(draw(st.integers(0, 8))):
        if not text:
            break
        pos = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        ch = draw(st.sampled_from(ALPHABET))
        if op == "insert":
            text = text[:pos] + ch + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + 1 :]
        else:
            text = text[:pos] + ch + text[pos + 1 :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sentences(), METADATA)
def test_mutated_seed_sentences_never_break(text: str, metadata: DocumentMetadata | None) -> None:
    _check(text, metadata)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sentences())
def test_traditional_and_full_width_variants_find_the_same_numbers(text: str) -> None:
    """Folding a text to full-width digits must not change which numbers are facts."""
    full = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    plain = [(f.char_start, f.value, f.measure, f.kind) for f in extract_facts(text)]
    wide = [(f.char_start, f.value, f.measure, f.kind) for f in extract_facts(full)]
    assert plain == wide
