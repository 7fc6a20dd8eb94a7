"""The eval on the shared gold: floors just under the figures the extractor reaches, and a clean run of
every corpus excerpt."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import parse_path
from ingest.evaluate import format_report, run_eval

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SEEDS_DIR = REPO_ROOT / "seeds"
# The shared gold when present, else the copy embedded in tests/gold.
GOLD_SEEDS = (
    SHARED / "gold" / "seeds"
    if (SHARED / "gold" / "seeds").exists()
    else REPO_ROOT / "tests" / "gold" / "seeds"
)
GOLD_CORPUS = SHARED / "gold" / "corpus"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(
    not (GOLD_CORPUS.exists() and CORPUS.exists()), reason="shared corpus absent"
)


def test_eval_seeds_floors() -> None:
    report = run_eval(GOLD_SEEDS, SEEDS_DIR)
    text = format_report(report)
    assert report.gold_count > 200, text[-500:]
    # Reached: recall 1.00, precision 1.00, tier-1 recall 1.00, comparator 1.00, period 1.00.
    assert report.recall >= 0.98, text[-3000:]
    assert report.precision >= 0.98, text[-3000:]
    assert report.tier1_recall >= 0.99, text[-3000:]
    assert report.comparator_acc >= 0.98, text[-3000:]
    assert report.period_acc >= 0.98, text[-3000:]


@needs_corpus
def test_eval_corpus_floors() -> None:
    report = run_eval(GOLD_CORPUS, CORPUS)
    text = format_report(report)
    assert report.gold_count > 100, text[-500:]
    # Reached: recall 0.99, precision 1.00, tier-1 recall 0.98, comparator 1.00, period 1.00.
    assert report.recall >= 0.97, text[-3000:]
    assert report.precision >= 0.97, text[-3000:]
    assert report.tier1_recall >= 0.96, text[-3000:]
    assert report.comparator_acc >= 0.97, text[-3000:]
    assert report.period_acc >= 0.97, text[-3000:]


def test_report_ends_with_summary_block() -> None:
    report = run_eval(GOLD_SEEDS, SEEDS_DIR)
    lines = format_report(report, show_errors=False).splitlines()
    assert lines[-2].startswith("facts: recall ")
    assert "tier1_recall" in lines[-2] and "comparator_acc" in lines[-2] and "period_acc" in lines[-2]
    assert lines[-1].startswith("documents: district ")
    assert f"(n {report.documents})" in lines[-1]


def test_optional_rows_count_neither_way(tmp_path: Path) -> None:
    """A prediction matching an optional row is no false positive, and an unmatched optional row no miss."""
    report_dir = tmp_path / "reports"
    gold_dir = tmp_path / "gold"
    report_dir.mkdir()
    gold_dir.mkdir()
    (report_dir / "a.txt").write_text(
        "一、2022年工作回顾\n完成签约2296户,签约率99.7%。新增专精特新企业4家。\n", encoding="utf-8"
    )
    (gold_dir / "a.csv").write_text(
        "doc,kind,year,period,metric,measure,value,unit,comparator,tier,optional,evidence\n"
        "a.txt,actual,2022,year,签约,level,2296,户,=,2,0,完成签约2296户\n"
        "a.txt,actual,2022,year,签约率,ratio_pct,99.7,%,=,2,1,签约率99.7%\n"
        "a.txt,actual,2022,year,某某,level,7,个,=,2,1,不存在的证据\n"
        "a.txt,actual,2022,year,专精特新企业,level,4,家,=,2,0,新增专精特新企业4家\n",
        encoding="utf-8",
    )
    (gold_dir / "documents.csv").write_text(
        "doc,district,parent,published,review_year,plan_year,title\na.txt,,,,2022,2023,\n", encoding="utf-8"
    )
    report = run_eval(gold_dir, report_dir)
    assert (report.gold_count, report.tp, report.pred_count) == (2, 2, 2)
    assert report.misses == [] and report.spurious == []


def test_traditional_units_equal_simplified(tmp_path: Path) -> None:
    report_dir = tmp_path / "reports"
    gold_dir = tmp_path / "gold"
    report_dir.mkdir()
    gold_dir.mkdir()
    body = (
        "一、2022年工作回顧\n過去的一年,全鎮上下團結一心,經濟社會發展取得新成效。\n全年財政總收入4.04億元。\n"
    )
    (report_dir / "b.txt").write_text(body * 3, encoding="utf-8")
    (gold_dir / "b.csv").write_text(
        "doc,kind,year,period,metric,measure,value,unit,comparator,tier,optional,evidence\n"
        "b.txt,actual,2022,year,財政總收入,level,40400,万元,=,1,0,全年財政總收入4.04億元\n",
        encoding="utf-8",
    )
    report = run_eval(gold_dir, report_dir)
    assert report.tp == 1  # 4.04億元 == 40400万元: same quantity, units equal once scaled and simplified


@needs_corpus
def test_every_corpus_excerpt_parses_without_exception() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        doc = parse_path(path)
        assert doc.status in ("parsed", "quarantined"), path.name
        text = doc.text or ""
        for f in doc.facts:
            assert text[f.char_start : f.char_end] == f.number_text, (path.name, f)
            assert text[f.sentence_start : f.sentence_start + len(f.sentence)] == f.sentence, (path.name, f)
            assert f.section in ("review", "plan", "unknown")
            assert f.kind in ("actual", "target")
