"""ingest.rules: the registry of named rules and the switch that turns them off for a process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from ingest import rules


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees an empty registry and reads the environment anew."""
    monkeypatch.setattr(rules, "RULES", {})
    monkeypatch.delenv(rules.DISABLE_ENV, raising=False)
    rules.disabled.cache_clear()
    yield
    rules.disabled.cache_clear()


def test_rule_registers_and_returns_its_name() -> None:
    assert rules.rule("lists.fenbie", "分别 hands one value to each item") == "lists.fenbie"
    assert rules.RULES == {"lists.fenbie": "分别 hands one value to each item"}
    # A module imported again registers the same rule again: no error.
    assert rules.rule("lists.fenbie", "分别 hands one value to each item") == "lists.fenbie"


def test_one_name_for_two_rules_is_refused() -> None:
    rules.rule("cues.yuji", "预计 marks an estimate")
    with pytest.raises(ValueError, match="registered twice"):
        rules.rule("cues.yuji", "something else")


@pytest.mark.parametrize("name", ["", "a,b", " a"])
def test_names_that_the_switch_could_not_carry_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        rules.rule(name, "x")


def test_every_rule_is_on_by_default() -> None:
    assert rules.enabled("lists.fenbie") and rules.disabled() == frozenset()


def test_the_environment_switches_rules_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rules.DISABLE_ENV, "lists.fenbie, cues.yuji,")
    assert not rules.enabled("lists.fenbie")
    assert not rules.enabled("cues.yuji")
    assert rules.enabled("metrics.dictionary")


def test_the_environment_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process never sees a rule switch mid-run: the first read holds."""
    assert rules.enabled("lists.fenbie")
    monkeypatch.setenv(rules.DISABLE_ENV, "lists.fenbie")
    assert rules.enabled("lists.fenbie")


def test_a_child_process_reads_its_own_switch() -> None:
    code = "from ingest.rules import enabled; print(enabled('a'), enabled('b'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, rules.DISABLE_ENV: "b"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["True", "False"]
