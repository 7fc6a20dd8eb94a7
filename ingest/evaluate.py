"""Score the extractor against gold annotations (shared/gold/GUIDELINE.md format).

`run_eval(gold_dirs, report_dirs)` parses every report the gold names with `ingest.document.parse_path`, so
it scores exactly what the pipeline produces. The matching rules are those of the reference scorer the
project's figures are checked with (`shared/tools/score_facts.py` and `score_docs.py`, over a built
warehouse); both must give the same figures on the same gold.

Facts, per document, gold rows in file order, each taking the first unused predicted fact (ordered by
position) that has the same kind, measure and year (any year when the gold leaves it empty), the same
quantity (value times the 万/亿 scale of the unit; units equal, or one containing the other, once 余/多 and
the scale are dropped and traditional characters simplified), and either its number inside the gold
evidence or a metric sharing a run of two characters with the gold metric. That is the *lenient* match.

A lenient match is *strict* when the metric names the same thing (`metric_names_same`). Optional gold rows
count neither way: a fact matched to one leaves the precision denominator, an optional row left unmatched is
no miss. Document metadata: district (simplified, one containing the other), published date, review year
and plan year, exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import parse_path
from ingest.models import Fact, ParsedDocument
from ingest.normalize import matching_view, to_simplified
from ingest.numbers import unit_base, unit_scale

METADATA_FIELDS = ("district", "published", "review_year", "plan_year")
# Fields compared on facts located by their number (see `FieldAccuracy`).
FACT_FIELDS = ("kind", "year", "period", "measure", "comparator", "metric")
# Documents with fewer required gold rows than this are too small for a per-document F1 to mean much.
MIN_ROWS_FOR_DOC_F1 = 5
WORST_DOCS = 5


class GoldError(ValueError):
    """The gold cannot be scored: a folder is missing or holds no gold rows. Never a perfect score."""


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
    source: str = ""  # "folder/file.csv:line", stable across runs: names the row in ablation comparisons


@dataclass(frozen=True, slots=True)
class Match:
    gold: GoldRow
    fact: Fact
    strict: bool  # the metric names the same thing, not only the same number at the same place


@dataclass(slots=True)
class DocResult:
    """One document's counts; `predicted` leaves out facts matched to optional gold rows."""

    gold: int = 0
    predicted: int = 0
    found: int = 0
    strict_found: int = 0

    def f1(self, *, strict: bool) -> float:
        return _f1(self.strict_found if strict else self.found, self.gold, self.predicted)


@dataclass(slots=True)
class FieldAccuracy:
    """Field by field, over required gold rows paired with a fact that carries the same quantity inside the
    gold evidence, whatever its other fields: where the number is right, which fields go wrong."""

    located: int = 0
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FACT_FIELDS, 0))

    def rate(self, name: str) -> float:
        return _rate(self.agree[name], self.located)


@dataclass(slots=True)
class EvalReport:
    gold_count: int = 0  # required (non-optional) gold rows
    pred_count: int = 0  # predictions that count: those matched to optional rows are left out
    tp: int = 0  # lenient matches of required rows
    strict_tp: int = 0
    tier1_gold: int = 0
    tier1_tp: int = 0
    tier1_strict_tp: int = 0
    matches: list[Match] = field(default_factory=list)
    misses: list[GoldRow] = field(default_factory=list)
    spurious: list[tuple[str, Fact]] = field(default_factory=list)
    per_doc: dict[str, DocResult] = field(default_factory=dict)
    fields: FieldAccuracy = field(default_factory=FieldAccuracy)
    predicted_facts: list[tuple[str, Fact]] = field(default_factory=list)  # every fact scored, with its doc
    metadata: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> (correct, total)
    doc_errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # doc, field, gold, predicted
    missing: list[str] = field(default_factory=list)  # reports the gold names but no folder holds
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # doc, reason

    @property
    def recall(self) -> float:
        return _rate(self.tp, self.gold_count)

    @property
    def precision(self) -> float:
        return _rate(self.tp, self.pred_count)

    @property
    def f1(self) -> float:
        return _f1(self.tp, self.gold_count, self.pred_count)

    @property
    def strict_recall(self) -> float:
        return _rate(self.strict_tp, self.gold_count)

    @property
    def strict_precision(self) -> float:
        return _rate(self.strict_tp, self.pred_count)

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_tp, self.gold_count, self.pred_count)

    @property
    def tier1_recall(self) -> float:
        return _rate(self.tier1_tp, self.tier1_gold)

    @property
    def strict_tier1_recall(self) -> float:
        return _rate(self.tier1_strict_tp, self.tier1_gold)

    # The next four are over lenient matches, as the reference scorer reports them.
    @property
    def comparator_acc(self) -> float:
        return _rate(sum(m.gold.comparator == m.fact.comparator for m in self.matches), self.tp)

    @property
    def period_acc(self) -> float:
        return _rate(sum(_same_period(m.gold, m.fact) for m in self.matches), self.tp)

    @property
    def metric_exact(self) -> float:
        return _rate(sum(m.gold.metric == m.fact.metric_raw for m in self.matches), self.tp)

    @property
    def metric_ok(self) -> float:
        return _rate(self.strict_tp, self.tp)

    def metadata_rate(self, name: str) -> float:
        correct, total = self.metadata.get(name, (0, 0))
        return _rate(correct, total)

    def strictly_matched(self) -> frozenset[str]:
        """The gold rows found under the strict rule, by `GoldRow.source`: what an ablation compares."""
        return frozenset(m.gold.source for m in self.matches if m.strict)

    def worst_docs(self, n: int = WORST_DOCS) -> list[tuple[str, float]]:
        """The `n` documents of lowest strict F1 among those with enough gold rows for F1 to mean much."""
        scored = [
            (name, r.f1(strict=True)) for name, r in self.per_doc.items() if r.gold >= MIN_ROWS_FOR_DOC_F1
        ]
        return sorted(scored, key=lambda item: (item[1], item[0]))[:n]

    def docs_below_half(self) -> list[tuple[str, float]]:
        """Documents whose lenient F1 is under 0.5, as the reference lists them: usually a whole document
        framed wrong (its years, or review read as plan)."""
        return [
            (name, r.f1(strict=False))
            for name, r in self.per_doc.items()
            if r.gold >= MIN_ROWS_FOR_DOC_F1 and r.f1(strict=False) < 0.5
        ]


def _rate(n: int, d: int) -> float:
    # Nothing to score scores 0, never a perfect 1: an empty denominator is a problem to see.
    return n / d if d else 0.0


def _f1(found: int, gold: int, predicted: int) -> float:
    r, p = _rate(found, gold), _rate(found, predicted)
    return 2 * p * r / (p + r) if p + r else 0.0


# --- Gold -----------------------------------------------------------------------------------------------


def _int_or_none(cell: str | None) -> int | None:
    cell = (cell or "").strip()
    return int(cell) if cell else None


def _is_documents_file(path: Path) -> bool:
    return path.name.startswith("documents")


def _check_gold_dir(gold_dir: Path) -> None:
    if not gold_dir.is_dir():
        raise GoldError(f"gold folder not found: {gold_dir}")


def load_gold(gold_dir: Path) -> list[GoldRow]:
    """The fact rows of every CSV of `gold_dir` but documents*.csv, in file order."""
    rows: list[GoldRow] = []
    for path in sorted(gold_dir.glob("*.csv")):
        if _is_documents_file(path):
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            # Line 1 is the header: the first row is line 2, as an editor shows it.
            for line, r in enumerate(csv.DictReader(fh), start=2):
                rows.append(
                    GoldRow(
                        doc=r["doc"].strip(),
                        kind=r["kind"].strip(),
                        year=_int_or_none(r["year"]),
                        period=(r["period"] or "").strip() or "year",
                        metric=r["metric"],
                        measure=r["measure"].strip(),
                        value=float(r["value"]),
                        unit=(r["unit"] or "").strip(),
                        comparator=r["comparator"].strip(),
                        tier=int(r["tier"] or 2),
                        optional=(r.get("optional") or "0").strip() == "1",
                        evidence=r["evidence"],
                        source=f"{gold_dir.name}/{path.name}:{line}",
                    )
                )
    return rows


def load_gold_documents(gold_dir: Path) -> list[dict[str, str]]:
    """The rows of every documents*.csv of `gold_dir` (document metadata)."""
    rows: list[dict[str, str]] = []
    for path in sorted(gold_dir.glob("documents*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


# --- Matching -------------------------------------------------------------------------------------------


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest substring the two strings share."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def _metric_key(metric: str) -> str:
    """The metric as compared: half-width, simplified, without whitespace or punctuation."""
    return "".join(
        ch
        for ch in matching_view(metric)
        if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )


def metric_names_same(predicted: str, gold: str) -> bool:
    """The strict rule: one metric contains the other, or they share a run of at least 60 % of the gold
    metric's length (never fewer than two characters), once both are keyed by `_metric_key`."""
    a, b = _metric_key(predicted or ""), _metric_key(gold or "")
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return longest_common_run(a, b) >= max(2, -(-3 * len(b) // 5))  # ceil(0.6 * len) in integers


def _quantity(value: float, unit: str) -> tuple[float, str]:
    """(12.8, '亿元') -> (1.28e9, '元'); (3, '万余人') -> (30000.0, '人')."""
    u = to_simplified(matching_view(unit).replace(" ", ""))
    return value * unit_scale(u.replace("余", "").replace("多", "")), unit_base(u)


def same_quantity(g: GoldRow, f: Fact) -> bool:
    gv, gu = _quantity(g.value, g.unit)
    fv, fu = _quantity(f.value, f.unit_raw)
    if abs(fv - gv) > 1e-6 * max(1.0, abs(gv)):
        return False
    # 人 and 人次, 个 and 个村: a unit written longer still names the same quantity.
    return gu == fu or bool(gu and fu and (gu in fu or fu in gu))


def _same_period(g: GoldRow, f: Fact) -> bool:
    return g.period == (f.period or "year")


def _evidence_span(text: str, evidence: str) -> tuple[int, int] | None:
    start = text.find(evidence) if evidence else -1
    return (start, start + len(evidence)) if start >= 0 else None


def _inside(f: Fact, span: tuple[int, int] | None) -> bool:
    return span is not None and f.char_start < span[1] and f.char_end > span[0]


def lenient_match(g: GoldRow, f: Fact, span: tuple[int, int] | None) -> bool:
    """Same kind, measure, year and quantity, and the number inside the evidence or a metric sharing a run
    of two characters (as written) with the gold's."""
    if f.kind != g.kind or f.measure != g.measure:
        return False
    if g.year is not None and f.year != g.year:
        return False
    if not same_quantity(g, f):
        return False
    return _inside(f, span) or longest_common_run(f.metric_raw or "", g.metric) >= min(2, len(g.metric))


def _fact_order(f: Fact) -> tuple[int, int, str, str, float, str]:
    # The reference reads facts in this order and each gold row takes the first that fits.
    return (f.char_start, f.char_end, f.kind, f.measure, f.value, f.metric_raw)


def _score_doc(report: EvalReport, name: str, rows: list[GoldRow], facts: list[Fact], text: str) -> None:
    facts = sorted(facts, key=_fact_order)
    used = [False] * len(facts)
    result = DocResult(gold=sum(not g.optional for g in rows))
    optional_hits = 0
    for g in rows:
        span = _evidence_span(text, g.evidence)
        hit = next((i for i, f in enumerate(facts) if not used[i] and lenient_match(g, f, span)), None)
        if hit is not None:
            used[hit] = True
        if g.optional:
            optional_hits += hit is not None
            continue
        report.tier1_gold += g.tier == 1
        if hit is None:
            report.misses.append(g)
            continue
        match = Match(g, facts[hit], metric_names_same(facts[hit].metric_raw, g.metric))
        report.matches.append(match)
        result.found += 1
        result.strict_found += match.strict
        report.tier1_tp += g.tier == 1
        report.tier1_strict_tp += g.tier == 1 and match.strict
    result.predicted = len(facts) - optional_hits
    report.per_doc[name] = result
    report.gold_count += result.gold
    report.pred_count += result.predicted
    report.tp += result.found
    report.strict_tp += result.strict_found
    report.spurious.extend((name, f) for i, f in enumerate(facts) if not used[i])
    report.predicted_facts.extend((name, f) for f in facts)
    _locate_fields(report.fields, [g for g in rows if not g.optional], facts, text)


def _locate_fields(acc: FieldAccuracy, rows: list[GoldRow], facts: list[Fact], text: str) -> None:
    """Pair each required gold row with the first unpaired fact of the same quantity inside its evidence,
    whatever the other fields, and count which fields agree."""
    used = [False] * len(facts)
    for g in rows:
        span = _evidence_span(text, g.evidence)
        hit = next(
            (i for i, f in enumerate(facts) if not used[i] and _inside(f, span) and same_quantity(g, f)), None
        )
        if hit is None:
            continue
        used[hit] = True
        f = facts[hit]
        acc.located += 1
        agree = {
            "kind": f.kind == g.kind,
            "year": g.year is None or f.year == g.year,
            "period": _same_period(g, f),
            "measure": f.measure == g.measure,
            "comparator": f.comparator == g.comparator,
            "metric": metric_names_same(f.metric_raw, g.metric),
        }
        for name, ok in agree.items():
            acc.agree[name] += ok


# --- Metadata -------------------------------------------------------------------------------------------


def _predicted_metadata(doc: ParsedDocument | None) -> dict[str, str]:
    md = doc.metadata if doc is not None else None
    if md is None:
        return dict.fromkeys(METADATA_FIELDS, "")
    return {
        "district": md.district or "",
        "published": md.published_on.isoformat() if isinstance(md.published_on, dt.date) else "",
        "review_year": str(md.review_year) if md.review_year else "",
        "plan_year": str(md.plan_year) if md.plan_year else "",
    }


def _metadata_agrees(name: str, gold: str, predicted: str) -> bool:
    gold, predicted = to_simplified(gold), to_simplified(predicted)
    if gold == predicted:
        return True
    # 龙游县 and 浙江省龙游县 name one unit: a district is right when one name contains the other.
    return name == "district" and bool(gold and predicted and (gold in predicted or predicted in gold))


def _score_metadata(
    report: EvalReport, gold_docs: list[dict[str, str]], parsed: dict[str, ParsedDocument]
) -> None:
    counts = {name: [0, 0] for name in METADATA_FIELDS}
    for row in gold_docs:
        doc_name = row["doc"].strip()
        predicted = _predicted_metadata(parsed.get(doc_name))
        for name in METADATA_FIELDS:
            gold_value = (row.get(name) or "").strip()
            counts[name][1] += 1
            if _metadata_agrees(name, gold_value, predicted[name]):
                counts[name][0] += 1
            else:
                report.doc_errors.append((doc_name, name, gold_value, predicted[name]))
    report.metadata = {name: (c, t) for name, (c, t) in counts.items()}


# --- Running --------------------------------------------------------------------------------------------


def _as_paths(folders: Path | str | Iterable[Path | str]) -> list[Path]:
    if isinstance(folders, (str, Path)):
        return [Path(folders)]
    return [Path(f) for f in folders]


def _find_report(name: str, report_dirs: Sequence[Path]) -> Path | None:
    # Like PATH: the first folder, in the order given, that holds the file.
    return next((d / name for d in report_dirs if (d / name).is_file()), None)


def run_eval(
    gold_dirs: Path | str | Iterable[Path | str], report_dirs: Path | str | Iterable[Path | str]
) -> EvalReport:
    """Parse every report the gold folders name (looked up in `report_dirs`) and score facts and metadata.

    Raises GoldError when a gold folder is missing or the folders hold no gold fact rows.
    """
    golds, reports = _as_paths(gold_dirs), _as_paths(report_dirs)
    if not golds:
        raise GoldError("no gold folder given")
    gold_rows: list[GoldRow] = []
    gold_docs: list[dict[str, str]] = []
    for gold_dir in golds:
        _check_gold_dir(gold_dir)
        gold_rows += load_gold(gold_dir)
        gold_docs += load_gold_documents(gold_dir)
    if not gold_rows:
        raise GoldError("no gold fact rows in " + ", ".join(map(str, golds)))

    report = EvalReport()
    parsed: dict[str, ParsedDocument] = {}
    by_doc: dict[str, list[GoldRow]] = {}
    for g in gold_rows:
        by_doc.setdefault(g.doc, []).append(g)
    for name in sorted(set(by_doc) | {row["doc"].strip() for row in gold_docs}):
        path = _find_report(name, reports)
        if path is None:
            report.missing.append(name)
            continue
        doc = parse_path(path)
        if doc.status != "parsed":
            report.quarantined.append((name, doc.reason or ""))
        parsed[name] = doc

    for name, rows in sorted(by_doc.items()):
        doc = parsed.get(name)
        _score_doc(report, name, rows, doc.facts if doc else [], (doc.text or "") if doc else "")
    _score_metadata(report, gold_docs, parsed)
    return report


# --- Output ---------------------------------------------------------------------------------------------


def to_json(report: EvalReport) -> dict[str, object]:
    """The figures as one JSON-ready object (the names the reference scorer uses, where it has them)."""

    def r4(x: float) -> float:
        return round(x, 4)

    return {
        "recall": r4(report.recall),
        "precision": r4(report.precision),
        "f1": r4(report.f1),
        "strict_recall": r4(report.strict_recall),
        "strict_precision": r4(report.strict_precision),
        "strict_f1": r4(report.strict_f1),
        "tier1_recall": r4(report.tier1_recall),
        "strict_tier1_recall": r4(report.strict_tier1_recall),
        "comparator_acc": r4(report.comparator_acc),
        "period_acc": r4(report.period_acc),
        "metric_exact": r4(report.metric_exact),
        "metric_ok": r4(report.metric_ok),
        "gold": report.gold_count,
        "system": len(report.predicted_facts),
        "system_counted": report.pred_count,
        "found": report.tp,
        "strict_found": report.strict_tp,
        "fields": {
            "located": report.fields.located,
            **{name: r4(report.fields.rate(name)) for name in FACT_FIELDS},
        },
        "metadata": {
            "documents": max((t for _, t in report.metadata.values()), default=0),
            **{name: r4(report.metadata_rate(name)) for name in METADATA_FIELDS},
        },
        "per_doc": {
            name: {
                "gold": r.gold,
                "predicted": r.predicted,
                "found": r.found,
                "strict_found": r.strict_found,
                "f1": r4(r.f1(strict=False)),
                "strict_f1": r4(r.f1(strict=True)),
            }
            for name, r in report.per_doc.items()
        },
        "worst_docs": [[name, r4(f1)] for name, f1 in report.worst_docs()],
        "docs_below_half": [[name, r4(f1)] for name, f1 in report.docs_below_half()],
        "missing_reports": report.missing,
        "quarantined": [[name, reason] for name, reason in report.quarantined],
    }


def _snippet(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _gold_line(g: GoldRow) -> str:
    return (
        f"{g.doc} {g.kind} {g.year} {g.period} {g.measure} {g.value:g}{g.unit} {g.comparator} "
        f"[{g.metric}] « {_snippet(g.evidence)} »"
    )


def _fact_line(name: str, f: Fact) -> str:
    ctx = _snippet(f.sentence[max(0, f.char_start - f.sentence_start - 20) :], 50)
    return (
        f"{name} {f.kind} {f.year} {f.period} {f.measure} {f.value:g}{f.unit_raw} {f.comparator} "
        f"[{f.metric_raw}] « {ctx} »"
    )


def _error_lines(report: EvalReport) -> list[str]:
    lines = [f"ERROR {name}: report file not found" for name in report.missing]
    lines += [f"QUARANTINED {name}: {reason}" for name, reason in report.quarantined]
    sections: list[tuple[str, list[str]]] = [
        ("misses", [f"MISS {_gold_line(g)}" for g in report.misses]),
        ("spurious", [f"SPUR {_fact_line(name, f)}" for name, f in report.spurious]),
        (
            "matched by number, metric names something else (not found under the strict rule)",
            [
                f"METRIC [{m.fact.metric_raw}] for {_gold_line(m.gold)}"
                for m in report.matches
                if not m.strict
            ],
        ),
        (
            "matched with a wrong comparator or period",
            [
                f"DIFF {m.gold.doc} comparator {m.gold.comparator}/{m.fact.comparator} "
                f"period {m.gold.period}/{m.fact.period} « {_snippet(m.gold.evidence)} »"
                for m in report.matches
                if m.gold.comparator != m.fact.comparator or not _same_period(m.gold, m.fact)
            ],
        ),
        (
            "document metadata errors",
            [
                f"META {name} {fld}: gold {gold or '-'} predicted {pred or '-'}"
                for name, fld, gold, pred in report.doc_errors
            ],
        ),
    ]
    for title, body in sections:
        if body:
            lines += [f"-- {title} ({len(body)})", *body]
    return lines


def format_report(report: EvalReport, *, show_errors: bool = True) -> str:
    lines = _error_lines(report) if show_errors else []
    fields = report.fields
    lines += [
        f"facts, strict: recall {report.strict_recall:.3f} precision {report.strict_precision:.3f} "
        f"f1 {report.strict_f1:.3f} tier1_recall {report.strict_tier1_recall:.3f} "
        f"(gold {report.gold_count}, predicted {report.pred_count}, found {report.strict_tp})",
        f"facts, lenient: recall {report.recall:.3f} precision {report.precision:.3f} "
        f"f1 {report.f1:.3f} tier1_recall {report.tier1_recall:.3f} (found {report.tp})",
        f"fields of {fields.located} gold facts located by number: "
        + " ".join(f"{name} {fields.rate(name):.3f}" for name in FACT_FIELDS),
        "worst documents (strict F1): "
        + (", ".join(f"{name} {f1:.2f}" for name, f1 in report.worst_docs()) or "-"),
        "documents: "
        + " ".join(f"{name} {report.metadata_rate(name):.3f}" for name in METADATA_FIELDS)
        + f" (n {report.metadata.get('district', (0, 0))[1]})",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m ingest.evaluate GOLD_DIR REPORTS_DIR
    import sys

    print(format_report(run_eval(Path(sys.argv[1]), Path(sys.argv[2]))))
