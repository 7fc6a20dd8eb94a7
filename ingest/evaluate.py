"""Score the extractor against gold annotations (shared/gold/GUIDELINE.md format).

`run_eval(gold_dir, reports_dir)` parses every report the gold names with `ingest.document.parse_path`, so
it scores exactly what the pipeline produces, and matches predicted facts to gold rows one to one:

  same file, kind, year and measure; the same quantity (value times the 万/亿 scale of the unit, units
  equal once 余/多 and the scale are dropped and traditional characters are simplified); and either the
  fact's number lies inside the gold evidence (located in the file) or the two metrics share at least two
  characters. Optional gold rows count neither way.

It also scores document metadata against the gold documents.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import parse_path
from ingest.models import Fact, ParsedDocument
from ingest.normalize import matching_view, to_simplified
from ingest.numbers import unit_base, unit_scale


@dataclass(frozen=True, slots=True)
class GoldRow:
    doc: str
    kind: str
    year: int | None
    period: str
    metric: str
    measure: str
    value: float
    unit: str
    comparator: str
    tier: int
    optional: bool
    evidence: str


@dataclass(slots=True)
class Match:
    gold: GoldRow
    fact: Fact


@dataclass(slots=True)
class DocScore:
    field: str
    correct: int
    total: int

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass(slots=True)
class EvalReport:
    gold_count: int = 0  # non-optional gold rows
    pred_count: int = 0  # predictions that count (excludes those matching optional rows)
    tp: int = 0
    tier1_gold: int = 0
    tier1_tp: int = 0
    comparator_ok: int = 0
    period_ok: int = 0
    matches: list[Match] = field(default_factory=list)
    misses: list[GoldRow] = field(default_factory=list)
    spurious: list[tuple[str, Fact]] = field(default_factory=list)
    doc_scores: list[DocScore] = field(default_factory=list)
    doc_errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # doc, field, gold, predicted
    documents: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # doc, problem (missing file, quarantined)

    @property
    def recall(self) -> float:
        return self.tp / self.gold_count if self.gold_count else 1.0

    @property
    def precision(self) -> float:
        return self.tp / self.pred_count if self.pred_count else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def tier1_recall(self) -> float:
        return self.tier1_tp / self.tier1_gold if self.tier1_gold else 1.0

    @property
    def comparator_acc(self) -> float:
        return self.comparator_ok / self.tp if self.tp else 1.0

    @property
    def period_acc(self) -> float:
        return self.period_ok / self.tp if self.tp else 1.0

    def doc_rate(self, name: str) -> float:
        for s in self.doc_scores:
            if s.field == name:
                return s.rate
        return 1.0


# --- Gold -----------------------------------------------------------------------------------------------


def _int_or_none(cell: str) -> int | None:
    cell = (cell or "").strip()
    return int(cell) if cell else None


def load_gold(gold_dir: Path) -> list[GoldRow]:
    rows: list[GoldRow] = []
    for path in sorted(gold_dir.glob("*.csv")):
        if path.name == "documents.csv":
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                rows.append(
                    GoldRow(
                        doc=r["doc"].strip(),
                        kind=r["kind"].strip(),
                        year=_int_or_none(r["year"]),
                        period=r["period"].strip(),
                        metric=r["metric"],
                        measure=r["measure"].strip(),
                        value=float(r["value"]),
                        unit=(r["unit"] or "").strip(),
                        comparator=r["comparator"].strip(),
                        tier=int(r["tier"] or 2),
                        optional=(r.get("optional") or "0").strip() == "1",
                        evidence=r["evidence"],
                    )
                )
    return rows


def load_gold_documents(gold_dir: Path) -> list[dict[str, str]]:
    path = gold_dir / "documents.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- Matching -------------------------------------------------------------------------------------------


def _norm_unit(unit: str) -> str:
    return unit_base(to_simplified(unit.strip()))


def _quantity(value: float, unit: str) -> float:
    return value * unit_scale(to_simplified(unit.replace("余", "").replace("多", "")))


def same_quantity(g: GoldRow, f: Fact) -> bool:
    if _norm_unit(g.unit) != _norm_unit(f.unit_raw or f.unit_norm):
        return False
    a, b = _quantity(g.value, g.unit), _quantity(f.value, f.unit_raw or f.unit_norm)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _shared_chars(a: str, b: str) -> int:
    return len(set(to_simplified(a)) & set(to_simplified(b)) - set(" “”\"'()（）、,，"))


def _evidence_spans(text: str, view: str, evidence: str) -> list[tuple[int, int]]:
    """Every place the evidence stands in the text (exactly, else on the simplified/half-width view)."""
    spans = []
    for hay, needle in ((text, evidence), (view, matching_view(evidence))):
        start = hay.find(needle)
        while start >= 0 and needle:
            spans.append((start, start + len(needle)))
            start = hay.find(needle, start + 1)
        if spans:
            break
    return spans


def _compatible(g: GoldRow, f: Fact, spans: list[tuple[int, int]]) -> tuple[bool, int]:
    """(matches?, strength) under the matching rule; strength ranks candidate pairs."""
    if g.kind != f.kind or g.year != f.year or g.measure != f.measure or not same_quantity(g, f):
        return False, 0
    overlap = any(f.char_start < b and a < f.char_end for a, b in spans)
    shared = _shared_chars(g.metric, f.metric_raw)
    if not overlap and shared < 2:
        return False, 0
    return True, (100 if overlap else 0) + shared


def _match_doc(gold: list[GoldRow], facts: list[Fact], text: str) -> tuple[list[Match], list[int], set[int]]:
    """One-to-one matching: returns matches to required rows, indices of facts matched to optional rows,
    and the indices of gold rows matched."""
    view = matching_view(text)
    spans = [_evidence_spans(text, view, g.evidence) for g in gold]
    used_facts: set[int] = set()
    used_gold: set[int] = set()
    matches: list[Match] = []
    optional_hits: list[int] = []
    for want_optional in (False, True):
        pairs = []
        for gi, g in enumerate(gold):
            if g.optional != want_optional:
                continue
            for fi, f in enumerate(facts):
                ok, strength = _compatible(g, f, spans[gi])
                if ok:
                    pairs.append((-strength, gi, fi))
        for _, gi, fi in sorted(pairs):
            if gi in used_gold or fi in used_facts:
                continue
            used_gold.add(gi)
            used_facts.add(fi)
            if want_optional:
                optional_hits.append(fi)
            else:
                matches.append(Match(gold[gi], facts[fi]))
    return matches, optional_hits, used_gold


def run_eval(gold_dir: Path, reports_dir: Path) -> EvalReport:
    """Parse every report the gold names and score its facts and metadata."""
    gold_dir, reports_dir = Path(gold_dir), Path(reports_dir)
    gold_rows = load_gold(gold_dir)
    gold_docs = load_gold_documents(gold_dir)
    names = sorted({g.doc for g in gold_rows} | {d["doc"].strip() for d in gold_docs})
    report = EvalReport()
    parsed: dict[str, ParsedDocument] = {}
    for name in names:
        path = reports_dir / name
        if not path.exists():
            report.errors.append((name, "report file not found"))
            continue
        doc = parse_path(path)
        if doc.status != "parsed":
            report.errors.append((name, f"quarantined: {doc.reason}"))
        parsed[name] = doc

    for name in names:
        rows = [g for g in gold_rows if g.doc == name]
        doc = parsed.get(name)
        facts = doc.facts if doc else []
        text = (doc.text or "") if doc else ""
        required = [g for g in rows if not g.optional]
        report.gold_count += len(required)
        report.tier1_gold += sum(1 for g in required if g.tier == 1)
        matches, optional_hits, used_gold = _match_doc(rows, facts, text)
        matched_facts = {id(m.fact) for m in matches} | {id(facts[i]) for i in optional_hits}
        report.tp += len(matches)
        report.pred_count += len(facts) - len(optional_hits)
        report.matches.extend(matches)
        for m in matches:
            report.tier1_tp += m.gold.tier == 1
            report.comparator_ok += m.gold.comparator == m.fact.comparator
            report.period_ok += m.gold.period == m.fact.period
        for gi, g in enumerate(rows):
            if not g.optional and gi not in used_gold:
                report.misses.append(g)
        for f in facts:
            if id(f) not in matched_facts:
                report.spurious.append((name, f))

    _score_documents(report, gold_docs, parsed)
    return report


def _score_documents(
    report: EvalReport, gold_docs: list[dict[str, str]], parsed: dict[str, ParsedDocument]
) -> None:
    fields = ("district", "published", "review_year", "plan_year")
    counts = {f: [0, 0] for f in fields}
    for row in gold_docs:
        name = row["doc"].strip()
        doc = parsed.get(name)
        if doc is None:
            continue
        report.documents += 1
        md = doc.metadata
        predicted = {
            "district": md.district or "",
            "published": md.published_on.isoformat() if isinstance(md.published_on, dt.date) else "",
            "review_year": str(md.review_year) if md.review_year else "",
            "plan_year": str(md.plan_year) if md.plan_year else "",
        }
        for f in fields:
            gold_value = (row.get(f) or "").strip()
            counts[f][1] += 1
            if gold_value == predicted[f]:
                counts[f][0] += 1
            else:
                report.doc_errors.append((name, f, gold_value, predicted[f]))
    report.doc_scores = [DocScore(f, c, t) for f, (c, t) in counts.items()]


# --- Output ---------------------------------------------------------------------------------------------


def _snippet(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_report(report: EvalReport, *, show_errors: bool = True) -> str:
    lines: list[str] = []
    if show_errors:
        for name, problem in report.errors:
            lines.append(f"ERROR {name}: {problem}")
        if report.misses:
            lines.append(f"-- misses ({len(report.misses)})")
            for g in report.misses:
                lines.append(
                    f"MISS {g.doc} {g.kind} {g.year} {g.period} {g.measure} "
                    f"{g.value:g}{g.unit} {g.comparator} "
                    f"[{g.metric}] « {_snippet(g.evidence)} »"
                )
        if report.spurious:
            lines.append(f"-- spurious ({len(report.spurious)})")
            for name, f in report.spurious:
                ctx = _snippet(f.sentence[max(0, f.char_start - f.sentence_start - 20) :], 50)
                lines.append(
                    f"SPUR {name} {f.kind} {f.year} {f.period} {f.measure} "
                    f"{f.value:g}{f.unit_raw} {f.comparator} "
                    f"[{f.metric_raw}] « {ctx} »"
                )
        wrong = [
            m
            for m in report.matches
            if m.gold.comparator != m.fact.comparator or m.gold.period != m.fact.period
        ]
        if wrong:
            lines.append(f"-- matched with a wrong comparator or period ({len(wrong)})")
            for m in wrong:
                lines.append(
                    f"DIFF {m.gold.doc} comparator {m.gold.comparator}/{m.fact.comparator} "
                    f"period {m.gold.period}/{m.fact.period} « {_snippet(m.gold.evidence)} »"
                )
        if report.doc_errors:
            lines.append(f"-- document metadata errors ({len(report.doc_errors)})")
            for name, fld, gold_value, pred in report.doc_errors:
                lines.append(f"META {name} {fld}: gold {gold_value or '-'} predicted {pred or '-'}")
    lines.append(
        f"facts: recall {report.recall:.2f} precision {report.precision:.2f} f1 {report.f1:.2f} "
        f"tier1_recall {report.tier1_recall:.2f} comparator_acc {report.comparator_acc:.2f} "
        f"period_acc {report.period_acc:.2f} "
        f"(gold {report.gold_count}, pred {report.pred_count}, tp {report.tp})"
    )
    lines.append(
        "documents: "
        + " ".join(f"{s.field} {s.rate:.2f}" for s in report.doc_scores)
        + f" (n {report.documents})"
    )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m ingest.evaluate GOLD_DIR REPORTS_DIR
    import sys

    print(format_report(run_eval(Path(sys.argv[1]), Path(sys.argv[2]))))
