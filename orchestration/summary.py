"""The closing summary of `jiedao build`: what this build changed, what the warehouse now holds, what was
left out and why. Short whatever the folder holds (lists are cut to their first lines, with a count and
where the rest is), and safe to print (names from files are escaped)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.publish import MART_TABLES

DBT_NOT_RUN = "not run"
MAX_LISTED = 10  # quarantined files, duplicates and quarantined facts shown by name; the rest are counted

# Characters that move the cursor or recolour a terminal when printed: C0/C1 controls (escape sequences,
# carriage return, newline) and format characters (bidi overrides that reorder what follows).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from files (names, reasons that quote them) made safe to print: control and bidi characters
    become escapes such as \\x1b, so a file name can neither erase lines of the summary nor split one."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


@dataclass
class IngestChanges:
    """What the ingest step of this run changed, from its materialization metadata."""

    facts_added: int = 0
    facts_removed: int = 0
    duplicates_marked: int = 0  # files this build found to repeat another
    counted_again: list[str] = field(default_factory=list)  # former copies that count now (the first few)
    n_counted_again: int = 0


def summarize(
    work_db: Path,
    checks: tuple[int, int, int] | str | None,
    counts: dict[str, int] | None,
    changes: IngestChanges | None = None,
) -> str:
    """What this build did, read from the working file (which holds it even when publishing was skipped).
    `checks`: (tests passed, failed, models failed), None when dbt was skipped, DBT_NOT_RUN when a step
    before it failed; `counts`: files new/changed/...; `changes`: None when the ingest step did not run."""
    with duckdb.connect(str(work_db), read_only=True) as con:
        present = _tables(con)
        if "raw.documents" not in present:  # the ingest failed before its first commit
            return "documents: none ingested"
        lines = _changes_lines(counts, changes)
        lines += _documents_lines(con)
        lines += _dbt_lines(checks)
        lines += _left_out_lines(con, present)
        lines.append(
            "marts: " + ", ".join(f"{name} {'-' if n is None else n}" for name, n in _counts(con).items())
        )
        if "main.targets_vs_actuals" in present:
            lines.append(_targets_line(con))
    return "\n".join(lines)


def _changes_lines(counts: dict[str, int] | None, changes: IngestChanges | None) -> list[str]:
    lines = []
    if counts is not None:
        shown = [f"{count} {name}" for name, count in counts.items() if name != "unreadable"]
        if counts.get("unreadable"):  # files the warehouse holds that cannot be read now: rows kept
            shown.append(f"{counts['unreadable']} unreadable (their rows kept)")
        lines.append("files: " + ", ".join(shown))
    if changes is None:
        return lines
    line = (
        f"this build: {changes.facts_added} facts extracted,"
        f" {changes.facts_removed} dropped with removed or changed files"
    )
    if changes.duplicates_marked:
        line += f"; {changes.duplicates_marked} file(s) found to repeat another"
    if changes.n_counted_again:
        shown = ", ".join(changes.counted_again[:3]) + (" ..." if changes.n_counted_again > 3 else "")
        line += (
            f"; {changes.n_counted_again} former duplicate(s) counted again (their original went): {shown}"
        )
    lines.append(printable(line))
    return lines


def _documents_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    docs = dict(con.execute("SELECT status, count(*) FROM raw.documents GROUP BY ALL").fetchall())
    line = f"documents: {docs.get('parsed', 0)} parsed, {docs.get('quarantined', 0)} quarantined"
    if docs.get("duplicate"):
        line += f", {docs['duplicate']} duplicates (counted once, as the file they repeat)"
    (near,) = con.execute("SELECT count(*) FROM raw.documents WHERE near_duplicate_of IS NOT NULL").fetchone()
    if near:  # reported, not decided: both count
        line += f"; {near} near-duplicates, counted (main.dim_documents.near_duplicate_of)"
    lines = [line]
    for status in ("duplicate", "quarantined"):
        rows = con.execute(
            "SELECT source_file, reason FROM raw.documents WHERE status = ? ORDER BY source_file LIMIT ?",
            [status, MAX_LISTED + 1],
        ).fetchall()
        lines += [printable(f"  {status} {name}: {reason}") for name, reason in rows[:MAX_LISTED]]
        if docs.get(status, 0) > MAX_LISTED:
            more = docs[status] - MAX_LISTED
            lines.append(f"  ... and {more} more: main.dim_documents where status = '{status}'")
    return lines


def _dbt_lines(checks: tuple[int, int, int] | str | None) -> list[str]:
    if checks is None:
        return ["dbt build skipped: nothing changed since the published build (--force rebuilds)"]
    if checks == DBT_NOT_RUN:
        return ["dbt build not run: a step before it failed"]
    lines = [f"dbt tests: {checks[0]} passed, {checks[1]} failed"]
    if checks[2]:  # a model, seed or snapshot that failed (a row its contract refuses, an SQL error)
        lines.append(f"dbt models failed: {checks[2]} (their tests did not run)")
    return lines


def _left_out_lines(con: duckdb.DuckDBPyConnection, present: set[str]) -> list[str]:
    """Facts of counted reports that some mart leaves out, and why."""
    lines = []
    if "main.fct_quarantined_facts" in present:
        # Facts that fail a plausibility rule (int_facts_screened): kept out of the marts, not a failure.
        (n_implausible,) = con.execute("SELECT count(*) FROM main.fct_quarantined_facts").fetchone()
        implausible = con.execute(
            "SELECT source_file, number_text, reason FROM main.fct_quarantined_facts"
            " ORDER BY source_file, char_start LIMIT ?",
            [MAX_LISTED],
        ).fetchall()
        lines.append(f"facts quarantined (implausible, kept out of the marts): {n_implausible}")
        lines += [
            printable(f"  quarantined fact in {name}: {_excerpt(number)}: {reason}")
            for name, number, reason in implausible
        ]
        if n_implausible > MAX_LISTED:
            lines.append(f"  ... and {n_implausible - MAX_LISTED} more in main.fct_quarantined_facts")
    if "main.fct_metric_facts" in present:
        no_year, no_unit = con.execute(
            "SELECT count(*) FILTER (WHERE year IS NULL), count(*) FILTER (WHERE district IS NULL)"
            " FROM main.fct_metric_facts"
        ).fetchone()
        lines.append(
            f"facts in fct_metric_facts but not in district_year_metrics: {no_year} without a year,"
            f" {no_unit} without a reporting unit"
        )
    return lines


def _targets_line(con: duckdb.DuckDBPyConnection) -> str:
    by_status = dict(
        con.execute("SELECT status, count(*) FROM main.targets_vs_actuals GROUP BY ALL").fetchall()
    )
    order = ("met", "missed", "pending", "not_comparable")
    shown = [f"{by_status.get(status, 0)} {status.replace('_', ' ')}" for status in order]
    shown += [f"{n} {status}" for status, n in sorted(by_status.items()) if status not in order]
    return "targets: " + ", ".join(shown)


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    present = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return {
        name: con.execute(f"SELECT count(*) FROM main.{name}").fetchone()[0] if name in present else None
        for name in MART_TABLES
    }


def _excerpt(text: str, width: int = 24) -> str:
    """A number as written, cut short: a five-million-digit one must not fill the terminal."""
    return text if len(text) <= width else f"{text[:width]}... ({len(text)} characters)"


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables").fetchall()
    return {name for (name,) in rows}
