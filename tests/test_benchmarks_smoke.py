"""The benchmarks of issue 7 run and their corpus maker behaves: deterministic, varied, parseable.

No timing is asserted: the figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmarks import bench_extract, bench_load, parse_snapshot
from benchmarks.make_corpus import MANIFEST, Template, generate, load_templates, unit_stems, vary
from ingest.document import parse_path
from tests.conftest import SEEDS_DIR

N = 40


def _reports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _manifest(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "a"
    generate(N, folder, seed=3)
    return folder


def test_same_seed_same_bytes_other_seed_other_bytes(corpus: Path, tmp_path: Path) -> None:
    generate(N, tmp_path / "b", seed=3)
    generate(N, tmp_path / "c", seed=4)
    first = {p.name: p.read_bytes() for p in _reports(corpus)}
    assert first == {p.name: p.read_bytes() for p in _reports(tmp_path / "b")}
    assert first != {p.name: p.read_bytes() for p in _reports(tmp_path / "c")}


def test_writes_n_distinct_files(corpus: Path) -> None:
    files = _reports(corpus)
    assert len(files) == N
    assert len({p.read_bytes() for p in files}) == N  # no duplicate for the inbox to quarantine


def test_varies_names_years_and_numbers(corpus: Path) -> None:
    rows = _manifest(corpus)
    assert any(row["unit_to"] and row["unit_to"] != row["unit_from"] for row in rows)
    assert any(row["year_shift"] != 0 for row in rows)
    assert any(int(row["numbers_changed"]) > 0 for row in rows)
    renamed = next(row for row in rows if row["unit_to"] and str(row["template"]).startswith("seed"))
    text = parse_path(corpus / str(renamed["file"])).text or ""
    assert str(renamed["unit_to"]) in text
    assert str(renamed["unit_from"]) not in text


def test_every_generated_file_parses(corpus: Path) -> None:
    for path in _reports(corpus):
        parsed = parse_path(path)
        assert parsed.status == "parsed", (path.name, parsed.reason)


def test_variation_keeps_formats_and_relations() -> None:
    text = (
        "凤凰街道2022年工作总结和2023年工作计划\n时间:2023-02-24\n"
        "完成财政收入12.80亿元,服务商户4600余人,新建二十个项目,1-5月增长7%,第15届节会,2017-2021年累计。\n"
        "凤凰社区位于凤凰县。"
    )
    template = Template("t", text, ("凤凰",), "街道")
    variant = vary(template, random.Random(1), spread=0.05)
    out, k = variant.text, variant.year_shift
    assert k != 0
    assert f"{2022 + k}年工作总结和{2023 + k}年工作计划" in out  # one year apart, as before
    assert f"{2023 + k}-02-24" in out and f"{2017 + k}-{2021 + k}年" in out
    assert "凤凰" not in out.replace("凤凰县", "")  # the unit renamed everywhere; its namesake county kept
    assert "凤凰县" in out and str(variant.unit_to).endswith("街道")
    assert "二十个" in out and "1-5月" in out and "第15届" in out  # numerals, months, ordinals untouched
    amount = out.split("完成财政收入")[1].split("亿元")[0]
    assert len(amount.partition(".")[2]) == 2 and abs(float(amount) / 12.8 - 1) <= 0.05
    people = out.split("服务商户")[1].split("余人")[0]
    assert people.endswith("00") and abs(int(people) / 4600 - 1) <= 0.06  # round stays round, 余 kept


def test_unit_names_from_the_corpus_index() -> None:
    assert unit_stems("鳳凰街(凤凰街)") == (["鳳凰", "凤凰"], "街")
    assert unit_stems("亭旁镇(正文作“亭旁”)") == (["亭旁"], "镇")
    assert unit_stems("石龍鎮(据URL shilong推断;正文作“我鎮”)") == (["石龍"], "鎮")
    assert any(t.stems for t in load_templates())


def test_bench_extract_prints_its_figures(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_extract.main(["--corpus", str(corpus), "--limit", "20"]) == 0
    out = capsys.readouterr().out
    assert "corpus: 20 docs" in out
    labels = ("extract (1 process)", "parse_bytes", "jieba.lcut", "extract / jieba.lcut", "pool speed-up")
    for label in labels:
        assert label in out


def test_parse_snapshot_finds_no_difference_twice_and_a_changed_fact(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, changed = tmp_path / "first.jsonl", tmp_path / "second.jsonl", tmp_path / "changed.jsonl"
    assert parse_snapshot.main(["dump", str(first), str(SEEDS_DIR)]) == 0
    assert parse_snapshot.main(["dump", str(second), str(SEEDS_DIR)]) == 0
    assert parse_snapshot.main(["diff", str(first), str(second)]) == 0
    assert "5 files" in capsys.readouterr().out

    rows = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert all(row["status"] == "parsed" and row["facts"] and row["terms"] for row in rows)
    rows[2]["facts"][0]["year"] += 1
    changed.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    assert parse_snapshot.main(["diff", str(first), str(changed)]) == 1
    out = capsys.readouterr().out
    assert ".facts[0].year" in out and "1 file(s) differ" in out


def test_bench_load_times_the_loader_on_stored_parses(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench_load.main(["--corpus", str(corpus), "--repeat", "2", "--cache", str(tmp_path)]) == 0
    loads = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("load 1:", "load 2:"))]
    assert len(loads) == 2 and all(f"{N} documents" in line for line in loads)
    assert len(list(tmp_path.glob("jiedao_parses_*.pickle"))) == 1  # parsed once, loaded twice
