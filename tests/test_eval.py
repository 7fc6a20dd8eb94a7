"""The eval: floors on the strict figures of the whole shared gold (development data), the strict metric
rule, agreement with the reference scorer's rules, and errors that are never a perfect score."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from ingest.document import parse_path
from ingest.evaluate import EvalReport, GoldError, format_report, metric_names_same, run_eval, same_quantity
from orchestration.cli import main as jiedao

# Floors just under what main reached when they were set (reference scorer on all 87 files: strict recall
# 0.956, strict precision 0.951, strict tier-1 recall 0.982; metadata district 0.954, published 1.0,
# review year 0.989, plan year 1.0; issue 13). Raise them when the extractor improves; never lower them.
STRICT_RECALL_FLOOR = 0.95
STRICT_PRECISION_FLOOR = 0.945
STRICT_TIER1_RECALL_FLOOR = 0.975
METADATA_FLOORS = {"district": 0.95, "published": 0.99, "review_year": 0.98, "plan_year": 0.99}

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SEEDS_DIR = REPO_ROOT / "seeds"
GOLD_DIRS = [SHARED / "gold" / "seeds", SHARED / "gold" / "corpus"]
REPORT_DIRS = [SEEDS_DIR, SHARED / "corpus"]
CORPUS = SHARED / "corpus"
REFERENCE_SCORER = SHARED / "tools" / "score_facts.py"

needs_shared = pytest.mark.skipif(
    not all(p.exists() for p in [*GOLD_DIRS, CORPUS]), reason="shared gold or corpus absent"
)

# A report short enough to read and long enough to be taken for one.
OUTPUT_REPORT = (
    "一、2022年工作回顾\n"
    "过去的一年,全镇上下团结一心,经济社会发展取得新成效。\n"
    "全年完成规上工业总产值12.8亿元。\n"
)
HEADER = "doc,kind,year,period,metric,measure,value,unit,comparator,tier,optional,evidence\n"


@pytest.fixture(scope="module")
def shared_report() -> EvalReport:
    return run_eval(GOLD_DIRS, REPORT_DIRS)


def _toy(tmp_path: Path, text: str, gold_rows: str, name: str = "a.txt") -> tuple[Path, Path]:
    """A one-report gold folder and reports folder."""
    report_dir, gold_dir = tmp_path / "reports", tmp_path / "gold"
    report_dir.mkdir()
    gold_dir.mkdir()
    (report_dir / name).write_text(text, encoding="utf-8")
    (gold_dir / "a.csv").write_text(HEADER + gold_rows, encoding="utf-8")
    return gold_dir, report_dir


# --- Floors on the whole shared gold ---------------------------------------------------------------------


@needs_shared
def test_strict_floors_on_the_whole_shared_gold(shared_report: EvalReport) -> None:
    r = shared_report
    text = format_report(r)[-4000:]
    assert r.gold_count > 1200 and len(r.per_doc) > 80 and not r.missing, text
    assert r.strict_recall >= STRICT_RECALL_FLOOR, text
    assert r.strict_precision >= STRICT_PRECISION_FLOOR, text
    assert r.strict_tier1_recall >= STRICT_TIER1_RECALL_FLOOR, text
    # Strict is lenient with one more condition: never above it.
    assert r.strict_recall <= r.recall and r.strict_precision <= r.precision


@needs_shared
def test_metadata_floors_on_the_whole_shared_gold(shared_report: EvalReport) -> None:
    assert shared_report.metadata["district"][1] == 87
    for name, floor in METADATA_FLOORS.items():
        assert shared_report.metadata_rate(name) >= floor, (name, shared_report.doc_errors)


@needs_shared
def test_json_output_holds_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["eval", "--json"]
    for gold in GOLD_DIRS:
        argv += ["--gold", str(gold)]
    for reports in REPORT_DIRS:
        argv += ["--reports", str(reports)]
    assert jiedao(argv) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("recall", "precision", "strict_recall", "strict_precision", "tier1_recall"):
        assert 0.5 < out[key] <= 1.0, key
    assert out["strict_tier1_recall"] >= STRICT_TIER1_RECALL_FLOOR
    assert set(out["metadata"]) >= {"district", "published", "review_year", "plan_year"}
    assert out["per_doc"]["000_58caca1a0e66f9b5.txt"]["gold"] > 0
    assert set(out["fields"]) >= {"kind", "year", "period", "measure", "comparator", "metric"}
    assert len(out["worst_docs"]) == 5


# --- The reference scorer's rules ------------------------------------------------------------------------


def _reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_facts", REFERENCE_SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="reference scorer absent")
def test_metric_and_quantity_rules_agree_with_the_reference(shared_report: EvalReport) -> None:
    """Over every gold row and every fact of its document: the strict metric rule and the quantity rule give
    what the reference scorer's give (the whole figures are compared on a built warehouse in README)."""
    ref = _reference()
    facts_by_doc: dict[str, list] = {}
    for name, fact in shared_report.predicted_facts:
        facts_by_doc.setdefault(name, []).append(fact)
    checked = 0
    for g in [m.gold for m in shared_report.matches] + shared_report.misses:
        for f in facts_by_doc.get(g.doc, []):
            assert metric_names_same(f.metric_raw, g.metric) == ref.metric_ok(f.metric_raw, g.metric)
            fv, fu = ref.norm_quantity(f.value, f.unit_raw)
            gv, gu = ref.norm_quantity(g.value, g.unit)
            same = abs(fv - gv) <= 1e-6 * max(1.0, abs(gv)) and (
                gu == fu or (gu and fu and (gu in fu or fu in gu))
            )
            assert same_quantity(g, f) == bool(same), (g, f)
            checked += 1
    assert checked > 10_000


# --- The strict rule -------------------------------------------------------------------------------------


def test_strict_rejects_a_right_number_with_a_wrong_metric(tmp_path: Path) -> None:
    assert not metric_names_same("加快", "规上工业总产值")
    gold_dir, report_dir = _toy(
        tmp_path,
        OUTPUT_REPORT,
        "a.txt,actual,2022,year,加快,level,12.8,亿元,=,1,0,完成规上工业总产值12.8亿元\n",
    )
    report = run_eval(gold_dir, report_dir)
    # The number sits inside the evidence: found leniently, not strictly, as the metrics name other things.
    assert (report.tp, report.strict_tp) == (1, 0)
    assert (report.recall, report.strict_recall, report.strict_tier1_recall) == (1.0, 0.0, 0.0)
    assert report.strictly_matched() == frozenset()


def test_strict_accepts_traditional_and_simplified_forms() -> None:
    assert metric_names_same("規上工業總產值", "规上工业总产值")
    assert metric_names_same("规上工业总产值", "規上工業總產值")
    # Whitespace and punctuation do not count.
    assert metric_names_same("“规上”工业 总产值", "规上工业总产值")


def test_strict_accepts_containment_either_way() -> None:
    assert metric_names_same("工业总产值", "规上工业总产值")
    assert metric_names_same("全年规上工业总产值", "规上工业总产值")


def test_strict_wants_a_shared_run_of_sixty_percent_of_the_gold_metric() -> None:
    # Gold 规上工业总产值 has 7 characters: a run of ceil(4.2) = 5 is enough, 4 is not.
    assert metric_names_same("新增规上工业总", "规上工业总产值")  # 规上工业总: 5
    assert not metric_names_same("新增规上工业", "规上工业总产值")  # 规上工业: 4
    # Scattered shared characters are no run.
    assert not metric_names_same("工总规值", "规上工业总产值")


def test_strict_found_rows_are_named_for_ablation(tmp_path: Path) -> None:
    gold_dir, report_dir = _toy(
        tmp_path,
        OUTPUT_REPORT,
        "a.txt,actual,2022,year,规上工业总产值,level,12.8,亿元,=,1,0,完成规上工业总产值12.8亿元\n",
    )
    report = run_eval(gold_dir, report_dir)
    assert report.strictly_matched() == frozenset({"gold/a.csv:2"})
    assert report.strict_tier1_recall == 1.0


# --- Lenient matching ------------------------------------------------------------------------------------


def test_optional_rows_count_neither_way(tmp_path: Path) -> None:
    """A prediction matching an optional row is no false positive, and an unmatched optional row no miss."""
    gold_dir, report_dir = _toy(
        tmp_path,
        "一、2022年工作回顾\n完成签约2296户,签约率99.7%。新增专精特新企业4家。\n",
        "a.txt,actual,2022,year,签约,level,2296,户,=,2,0,完成签约2296户\n"
        "a.txt,actual,2022,year,签约率,ratio_pct,99.7,%,=,2,1,签约率99.7%\n"
        "a.txt,actual,2022,year,某某,level,7,个,=,2,1,不存在的证据\n"
        "a.txt,actual,2022,year,专精特新企业,level,4,家,=,2,0,新增专精特新企业4家\n",
    )
    (gold_dir / "documents.csv").write_text(
        "doc,district,parent,published,review_year,plan_year,title\na.txt,,,,2022,2023,\n", encoding="utf-8"
    )
    report = run_eval(gold_dir, report_dir)
    assert (report.gold_count, report.tp, report.pred_count) == (2, 2, 2)
    assert report.misses == [] and report.spurious == []


def test_traditional_units_equal_simplified(tmp_path: Path) -> None:
    body = (
        "一、2022年工作回顧\n過去的一年,全鎮上下團結一心,經濟社會發展取得新成效。\n全年財政總收入4.04億元。\n"
    )
    gold_dir, report_dir = _toy(
        tmp_path,
        body * 3,
        "a.txt,actual,2022,year,財政總收入,level,40400,万元,=,1,0,全年財政總收入4.04億元\n",
    )
    report = run_eval(gold_dir, report_dir)
    assert report.tp == 1  # 4.04億元 == 40400万元: same quantity, units equal once scaled and simplified


# --- Errors, never a perfect score -----------------------------------------------------------------------


def test_a_missing_gold_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(GoldError, match="not found"):
        run_eval(tmp_path / "nowhere", SEEDS_DIR)
    assert jiedao(["eval", "--gold", str(tmp_path / "nowhere"), "--reports", str(SEEDS_DIR)]) != 0
    assert "gold folder not found" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, HEADER], ids=["no-csv", "header-only"])
def test_an_empty_gold_folder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    if content is not None:
        (gold_dir / "a.csv").write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match="no gold fact rows"):
        run_eval(gold_dir, SEEDS_DIR)
    assert jiedao(["eval", "--json", "--gold", str(gold_dir), "--reports", str(SEEDS_DIR)]) != 0
    captured = capsys.readouterr()
    assert "no gold fact rows" in captured.err and captured.out == ""


def test_reports_missing_from_every_folder_fail_the_command(tmp_path: Path) -> None:
    gold_dir, _ = _toy(tmp_path, "", "a.txt,actual,2022,year,x,level,1,个,=,2,0,x1个\n")
    assert jiedao(["eval", "--gold", str(gold_dir), "--reports", str(tmp_path / "elsewhere")]) == 1
    report = run_eval(gold_dir, tmp_path / "elsewhere")
    assert report.missing == ["a.txt"] and report.recall == 0.0


def test_reports_are_looked_up_in_the_folders_in_order(tmp_path: Path) -> None:
    gold_dir, first = _toy(
        tmp_path,
        OUTPUT_REPORT,
        "a.txt,actual,2022,year,规上工业总产值,level,12.8,亿元,=,1,0,完成规上工业总产值12.8亿元\n",
    )
    second = tmp_path / "second"
    second.mkdir()
    (second / "a.txt").write_text(OUTPUT_REPORT.replace("12.8", "9.9"), encoding="utf-8")
    (second / "b.txt").write_text(OUTPUT_REPORT, encoding="utf-8")
    (gold_dir / "b.csv").write_text(
        HEADER + "b.txt,actual,2022,year,规上工业总产值,level,12.8,亿元,=,1,0,完成规上工业总产值12.8亿元\n",
        encoding="utf-8",
    )
    # a.txt from the first folder that has it (12.8, found), b.txt from the only one that does.
    report = run_eval(gold_dir, [first, second])
    assert (report.tp, report.strict_tp, report.missing) == (2, 2, [])
    assert run_eval(gold_dir, [second, first]).tp == 1


def test_summary_block_ends_the_report(tmp_path: Path) -> None:
    gold_dir, report_dir = _toy(
        tmp_path,
        OUTPUT_REPORT,
        "a.txt,actual,2022,year,规上工业总产值,level,12.8,亿元,=,1,0,完成规上工业总产值12.8亿元\n",
    )
    lines = format_report(run_eval(gold_dir, report_dir), show_errors=False).splitlines()
    assert lines[0].startswith("facts, strict: recall 1.000 precision 1.000")
    assert lines[1].startswith("facts, lenient: recall ")
    assert lines[2].startswith("fields of 1 gold facts located by number: kind 1.000")
    assert lines[-1].startswith("documents: district ")


@needs_shared
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
