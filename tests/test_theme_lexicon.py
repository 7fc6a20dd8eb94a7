"""The theme lexicon seed (dbt_project/seeds/theme_lexicon.csv) and the keyword boilerplate list: their shape,
and that every term is a word the counts of ingest.terms can see."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from ingest.normalize import matching_view
from ingest.terms import words_of

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
THEMES = {
    "environment",
    "innovation",
    "digital_economy",
    "common_prosperity",
    "safety",
    "elderly_care",
    "investment",
    "party_building",
    "rural_revitalization",
    "urban_renewal",
}


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def lexicon() -> list[dict[str, str]]:
    return _rows("theme_lexicon.csv")


def test_columns_and_themes(lexicon):
    assert list(lexicon[0]) == ["theme", "term", "weight", "note"]
    sizes = Counter(row["theme"] for row in lexicon)
    assert set(sizes) == THEMES
    assert all(20 <= n <= 60 for n in sizes.values()), sizes


def test_terms_are_unique_clean_and_weighted(lexicon):
    pairs = [(row["theme"], row["term"]) for row in lexicon]
    assert len(pairs) == len(set(pairs))
    for row in lexicon:
        term = row["term"]
        assert term == term.strip() and len(term) >= 2, row
        assert matching_view(term) == term, f"{term}: write terms in simplified characters, Latin upper-cased"
        weight = float(row["weight"] or 1)
        assert 0 < weight <= 1, row


def test_every_term_is_one_word_to_the_counts(lexicon):
    # A report's word counts for a theme when it contains a term; a term the segmentation cuts in two
    # (碳汇 -> 碳 / 汇) would never be contained in one word: such terms go to ingest/data/policy_terms.txt.
    cut = {row["term"]: words_of(row["term"]) for row in lexicon}
    split = {term: words for term, words in cut.items() if words != [term]}
    assert not split, f"add these to ingest/data/policy_terms.txt: {split}"


def test_the_issue_examples_are_environment_terms(lexicon):
    environment = {row["term"] for row in lexicon if row["theme"] == "environment"}
    assert {"环保", "污染", "能耗", "减排", "生态", "绿色", "低碳", "PM2.5"} <= environment


def test_boilerplate_words_are_unique_and_hold_the_generic_report_words():
    words = [row["term"] for row in _rows("report_boilerplate_words.csv")]
    assert len(words) == len(set(words))
    assert {"推进", "建设", "提升", "街道", "工作", "发展"} <= set(words)
