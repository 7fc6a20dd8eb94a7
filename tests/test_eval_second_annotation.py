"""The eval on a second annotation of eight development excerpts (tests/gold/second_annotation): how the
strict figures move under another annotator's reading of the guideline. Not held-out data: the excerpts are
in the shared gold the rules were developed on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.evaluate import format_report, run_eval

# Floors just under the figures reached when they were set (strict recall 0.852, strict precision 0.847,
# strict tier-1 recall 0.972).
STRICT_RECALL_FLOOR = 0.83
STRICT_PRECISION_FLOOR = 0.83
STRICT_TIER1_RECALL_FLOOR = 0.95

SECOND_GOLD = Path(__file__).resolve().parent / "gold" / "second_annotation"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_eval_second_annotation_floors() -> None:
    report = run_eval(SECOND_GOLD, CORPUS)
    text = format_report(report)
    assert report.gold_count > 100 and not report.missing, text[-500:]
    assert report.strict_recall >= STRICT_RECALL_FLOOR, text[-3000:]
    assert report.strict_precision >= STRICT_PRECISION_FLOOR, text[-3000:]
    assert report.strict_tier1_recall >= STRICT_TIER1_RECALL_FLOOR, text[-3000:]
