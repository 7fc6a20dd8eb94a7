"""Which extraction rules earn their keep: the eval re-run with each rule switched off, in a fresh process.

A rule is *inert* on the gold when switching it off changes neither the set of gold rows found under the
strict rule nor the set of facts predicted: the gold gives no reason to keep it. Each run is a new
interpreter with `JIEDAO_DISABLE_RULES` set (ingest/rules.py reads it once per process), the baseline too,
so no state of one run leaks into another.

    python -m benchmarks.ablate_rules                          # every registered rule, whole shared gold
    python -m benchmarks.ablate_rules --rules lists.fenbie,cues.yuji
    python -m benchmarks.ablate_rules --gold DIR --reports DIR # repeatable, as for `jiedao eval`
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest import rules
from ingest.evaluate import EvalReport, run_eval
from ingest.models import Fact

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
DEFAULT_GOLD = [SHARED / "gold" / "seeds", SHARED / "gold" / "corpus"]
DEFAULT_REPORTS = [REPO_ROOT / "seeds", SHARED / "corpus"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one eval run gives, as sets an ablation can compare."""

    strict_matched: frozenset[str]  # gold rows found under the strict rule, by GoldRow.source
    facts: frozenset[str]  # every fact predicted on the documents the gold names, one key each
    strict_recall: float
    strict_precision: float
    disabled: frozenset[str] = frozenset()  # the rules the run had switched off, as it saw them

    def to_json(self) -> str:
        return json.dumps(
            {
                "strict_matched": sorted(self.strict_matched),
                "facts": sorted(self.facts),
                "strict_recall": self.strict_recall,
                "strict_precision": self.strict_precision,
                "disabled": sorted(self.disabled),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        return cls(
            strict_matched=frozenset(data["strict_matched"]),
            facts=frozenset(data["facts"]),
            strict_recall=data["strict_recall"],
            strict_precision=data["strict_precision"],
            disabled=frozenset(data["disabled"]),
        )


def fact_key(doc: str, f: Fact) -> str:
    """A fact as one comparable string: every field the gold scores, and where it stands."""
    return json.dumps(
        [
            doc,
            f.char_start,
            f.char_end,
            f.kind,
            f.year,
            f.period,
            f.metric_raw,
            f.measure,
            f.value,
            f.unit_raw,
            f.comparator,
        ],
        ensure_ascii=False,
    )


def outcome_of(report: EvalReport) -> Outcome:
    return Outcome(
        strict_matched=report.strictly_matched(),
        facts=frozenset(fact_key(doc, f) for doc, f in report.predicted_facts),
        strict_recall=report.strict_recall,
        strict_precision=report.strict_precision,
        disabled=rules.disabled(),
    )


# disabled rules -> the outcome of an eval run with them switched off
Runner = Callable[[Sequence[str]], Outcome]


def subprocess_runner(gold_dirs: Sequence[Path], report_dirs: Sequence[Path]) -> Runner:
    """Runs the eval in a new interpreter per call, with the given rules switched off."""

    def run(disabled: Sequence[str]) -> Outcome:
        command = [sys.executable, "-m", "benchmarks.ablate_rules", "--worker"]
        for gold in gold_dirs:
            command += ["--gold", str(gold)]
        for reports in report_dirs:
            command += ["--reports", str(reports)]
        env = {**os.environ, rules.DISABLE_ENV: ",".join(disabled)}
        done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"eval with {list(disabled)} off failed:\n{done.stderr[-2000:]}")
        result = Outcome.from_json(done.stdout)
        if result.disabled != frozenset(disabled):  # the switch must reach the child, or nothing is measured
            raise RuntimeError(
                f"asked to switch off {sorted(disabled)}, the run saw {sorted(result.disabled)}"
            )
        return result

    return run


@dataclass(frozen=True, slots=True)
class Ablation:
    rule: str
    lost: frozenset[str]  # gold rows found with the rule, not without
    gained: frozenset[str]  # gold rows found only without it
    facts_removed: int
    facts_added: int
    strict_recall: float
    strict_precision: float

    @property
    def inert(self) -> bool:
        return not (self.lost or self.gained or self.facts_removed or self.facts_added)


def compare(rule: str, base: Outcome, without: Outcome) -> Ablation:
    return Ablation(
        rule=rule,
        lost=base.strict_matched - without.strict_matched,
        gained=without.strict_matched - base.strict_matched,
        facts_removed=len(base.facts - without.facts),
        facts_added=len(without.facts - base.facts),
        strict_recall=without.strict_recall,
        strict_precision=without.strict_precision,
    )


def ablate(rule_names: Sequence[str], run: Runner) -> tuple[Outcome, list[Ablation]]:
    """The baseline (every rule on) and, per rule, what switching it alone off changes."""
    base = run([])
    return base, [compare(name, base, run([name])) for name in rule_names]


def registered_rules() -> dict[str, str]:
    """Every rule the extractor registers (importing it registers them)."""
    import ingest.document  # noqa: F401  (the import is the point: modules register their rules)

    return dict(rules.RULES)


def format_table(base: Outcome, results: Sequence[Ablation], descriptions: dict[str, str]) -> str:
    lines = [
        f"baseline: strict recall {base.strict_recall:.3f} precision {base.strict_precision:.3f}, "
        f"{len(base.strict_matched)} gold rows found, {len(base.facts)} facts",
        f"{'rule':<32} {'lost':>5} {'gained':>6} {'facts -':>7} {'facts +':>7} "
        f"{'strict R':>8} {'strict P':>8}",
    ]
    for a in results:
        lines.append(
            f"{a.rule:<32} {len(a.lost):>5} {len(a.gained):>6} {a.facts_removed:>7} {a.facts_added:>7} "
            f"{a.strict_recall:>8.3f} {a.strict_precision:>8.3f}"
        )
    inert = [a.rule for a in results if a.inert]
    lines.append(f"rules whose removal changes no gold row and no fact ({len(inert)}):")
    lines += [f"  {name}: {descriptions.get(name, '')}" for name in inert]
    return "\n".join(lines)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", help="comma-separated rule names (default: every registered rule)")
    parser.add_argument("--gold", action="append", type=Path, help="gold folder, repeatable")
    parser.add_argument("--reports", action="append", type=Path, help="reports folder, repeatable")
    parser.add_argument("--json", action="store_true", help="the ablations as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)  # one eval run, as JSON
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    gold, reports = args.gold or DEFAULT_GOLD, args.reports or DEFAULT_REPORTS
    if args.worker:
        print(outcome_of(run_eval(gold, reports)).to_json())
        return 0
    known = registered_rules()
    names = [n.strip() for n in args.rules.split(",") if n.strip()] if args.rules else sorted(known)
    unknown = [n for n in names if n not in known]
    if unknown:  # a misspelt rule would switch nothing off and look inert
        print(f"unknown rules: {', '.join(unknown)} (registered: {', '.join(sorted(known)) or 'none'})")
        return 2
    if not names:
        print("no rules registered: nothing to ablate")
        return 0
    base, results = ablate(names, subprocess_runner(gold, reports))
    if args.json:
        rows = [
            {
                "rule": a.rule,
                "inert": a.inert,
                "lost": sorted(a.lost),
                "gained": sorted(a.gained),
                "facts_removed": a.facts_removed,
                "facts_added": a.facts_added,
            }
            for a in results
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(format_table(base, results, known))
    return 0


if __name__ == "__main__":
    sys.exit(main())
