"""benchmarks/ablate_rules.py: which rules change no gold row, on a toy registry and a toy gold."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from benchmarks import ablate_rules
from benchmarks.ablate_rules import Outcome, ablate, subprocess_runner
from ingest import rules

TOY_RULES = {
    "toy.needed": "finds a gold row nothing else finds",
    "toy.noise": "adds a fact no gold row wants",
    "toy.dead": "changes nothing",
}


def _toy_runner(calls: list[list[str]]) -> ablate_rules.Runner:
    """An eval whose outcome depends on the toy rules as their descriptions say."""

    def run(disabled: Sequence[str]) -> Outcome:
        calls.append(list(disabled))
        matched = {"g/a.csv:2"} | (set() if "toy.needed" in disabled else {"g/a.csv:3"})
        facts = {"f1", "f2"} | (set() if "toy.noise" in disabled else {"f3"})
        return Outcome(frozenset(matched), frozenset(facts), len(matched) / 2, 2 / len(facts))

    return run


def test_only_rules_that_change_nothing_are_inert() -> None:
    calls: list[list[str]] = []
    base, results = ablate(sorted(TOY_RULES), _toy_runner(calls))
    assert calls == [
        [],
        ["toy.dead"],
        ["toy.needed"],
        ["toy.noise"],
    ]  # a baseline, then one rule off at a time
    by_rule = {a.rule: a for a in results}
    assert [a.rule for a in results if a.inert] == ["toy.dead"]
    assert by_rule["toy.needed"].lost == {"g/a.csv:3"} and by_rule["toy.needed"].facts_removed == 0
    # A rule that only adds a fact no gold row wants is not inert either: switching it off changes the facts.
    assert by_rule["toy.noise"].lost == frozenset() and by_rule["toy.noise"].facts_removed == 1
    table = ablate_rules.format_table(base, results, TOY_RULES)
    assert table.splitlines()[-1] == "  toy.dead: changes nothing"


def test_unknown_rules_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(rules, "RULES", dict(TOY_RULES))
    assert ablate_rules.main(["--rules", "toy.dead,toy.typo"]) == 2
    assert "unknown rules: toy.typo" in capsys.readouterr().out


def test_each_run_is_a_fresh_process_with_its_own_switch(tmp_path: Path) -> None:
    """The real runner: a new interpreter per run sees exactly the rules asked off, and the eval's sets come
    back whole (no rule is wired into the extractor yet, so switching one off changes nothing)."""
    reports, gold = tmp_path / "reports", tmp_path / "gold"
    reports.mkdir()
    gold.mkdir()
    (reports / "a.txt").write_text(
        "一、2022年工作回顾\n过去的一年,全镇上下团结一心,经济社会发展取得新成效。\n全年完成规上工业总产值12.8亿元。\n",
        encoding="utf-8",
    )
    (gold / "a.csv").write_text(
        "doc,kind,year,period,metric,measure,value,unit,comparator,tier,optional,evidence\n"
        "a.txt,actual,2022,year,规上工业总产值,level,12.8,亿元,=,1,0,完成规上工业总产值12.8亿元\n",
        encoding="utf-8",
    )
    run = subprocess_runner([gold], [reports])
    base = run([])
    assert base.strict_matched == {"gold/a.csv:2"} and len(base.facts) == 1 and base.disabled == frozenset()
    without = run(["toy.dead", "toy.noise"])
    assert without.disabled == {"toy.dead", "toy.noise"}
    assert (without.strict_matched, without.facts) == (base.strict_matched, base.facts)
