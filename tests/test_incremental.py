"""Incremental refresh, end to end: real `jiedao build` runs on one warehouse while its folder changes.

One scenario, built step by step into a temporary warehouse from a copy of seeds/: add a report, then
change it and remove another. Each step's summary line and published marts are recorded; the tests read
the record.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from ingest.document import parse_path
from ingest.inventory import scan_folder
from orchestration.raw_tables import fact_rows
from tests.conftest import SEEDS_DIR, run_jiedao, working_file

pytestmark = pytest.mark.slow

SEED_FILES = sorted(path.name for path in SEEDS_DIR.glob("*.txt"))
NEW_REPORT = "900_wangjiang_2023.txt"
REMOVED = SEED_FILES[0]
TEMPLATE = SEEDS_DIR / "004_c7e8bd28e2541a55.txt"  # 前江街道: a complete report to derive a new one from


def new_report_text() -> str:
    """Another sub-district's report: other bytes (so not a duplicate), the same kind of facts."""
    return TEMPLATE.read_text(encoding="utf-8").replace("前江", "望江")


def changed_report_text() -> str:
    """A revised version of the new report, cut after its first paragraphs: it states fewer facts."""
    text = new_report_text()
    return text[: text.index("\n", 1000) + 1]


@dataclass
class Step:
    stdout: str
    facts_by_file: dict[str, int]  # fct_metric_facts rows per source file, in the published file
    fact_ids_by_file: dict[str, set[str]] = field(default_factory=dict)
    raw_documents: int = 0
    raw_facts: int = 0
    expected_new_report_ids: set[str] = field(default_factory=set)


def _read(db: Path, stdout: str) -> Step:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_file, fact_id FROM main.fct_metric_facts").fetchall()
    with duckdb.connect(str(working_file(db)), read_only=True) as con:  # the raw tables are not published
        (raw_documents,) = con.execute("SELECT count(*) FROM raw.documents").fetchone()
        (raw_facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
    ids: dict[str, set[str]] = {}
    for source_file, fact_id in rows:
        ids.setdefault(source_file, set()).add(fact_id)
    counts: dict[str, int] = {}
    for source_file, _ in rows:
        counts[source_file] = counts.get(source_file, 0) + 1
    return Step(stdout, counts, ids, raw_documents, raw_facts)


def files_line(stdout: str) -> str:
    """The summary line of what the build found in the folder: "files: N new, N changed, ..."."""
    return next((line for line in stdout.splitlines() if line.startswith("files: ")), "no files line")


def _build(folder: Path, db: Path, home: Path) -> Step:
    result = run_jiedao(
        "build", "--reports-dir", str(folder), "--db", str(db), env={"DAGSTER_HOME": str(home)}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return _read(db, result.stdout)


def _expected_fact_ids(inbox: Path, name: str) -> set[str]:
    """The fact ids a from-scratch parse gives this file: what the warehouse must hold for it, no more."""
    inbox_file = next(f for f in scan_folder(inbox) if f.source_file == name)
    facts = parse_path(inbox_file.path).facts
    return {row[0] for row in fact_rows(inbox_file.document_id, inbox_file.source_file, facts)}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    """Three builds of one warehouse: the seeds; one report added; that report changed and another removed.

    (An unchanged folder parsing nothing is covered by tests/test_pipeline.py's second build.)
    """
    work = tmp_path_factory.mktemp("incremental")
    inbox, db, home = work / "inbox", work / "warehouse" / "jiedao.duckdb", work / "dagster"
    inbox.mkdir()
    for name in SEED_FILES:
        shutil.copyfile(SEEDS_DIR / name, inbox / name)  # copyfile: the seeds are read-only, the copies not
    steps = {"initial": _build(inbox, db, home)}

    (inbox / NEW_REPORT).write_text(new_report_text(), encoding="utf-8")
    steps["added"] = _build(inbox, db, home)

    (inbox / NEW_REPORT).write_text(changed_report_text(), encoding="utf-8")
    (inbox / REMOVED).unlink()
    steps["changed"] = _build(inbox, db, home)
    steps["changed"].expected_new_report_ids = _expected_fact_ids(inbox, NEW_REPORT)
    return steps


def test_the_derived_reports_differ_from_their_template() -> None:
    """Guards the scenario: equal bytes would make the new report a quarantined duplicate."""
    assert new_report_text() != TEMPLATE.read_text(encoding="utf-8")
    assert changed_report_text() != new_report_text()


def test_adding_a_report_parses_only_that_report(scenario: dict[str, Step]) -> None:
    n = len(SEED_FILES)
    assert files_line(scenario["initial"].stdout) == f"files: {n} new, 0 changed, 0 unchanged, 0 removed"
    added = scenario["added"]
    assert files_line(added.stdout) == f"files: 1 new, 0 changed, {n} unchanged, 0 removed"
    assert added.facts_by_file.get(NEW_REPORT, 0) > 0
    # the other files' facts are the very same rows as before
    before = scenario["initial"].fact_ids_by_file
    assert {name: ids for name, ids in added.fact_ids_by_file.items() if name != NEW_REPORT} == before


def test_changing_a_report_replaces_its_facts(scenario: dict[str, Step]) -> None:
    changed, added = scenario["changed"], scenario["added"]
    n = len(SEED_FILES)
    assert files_line(changed.stdout) == f"files: 0 new, 1 changed, {n - 1} unchanged, 1 removed"
    assert 0 < changed.facts_by_file[NEW_REPORT] < added.facts_by_file[NEW_REPORT]
    # no duplicates and nothing of the old version: exactly the facts a fresh parse of the new bytes gives
    assert changed.fact_ids_by_file[NEW_REPORT] == changed.expected_new_report_ids
    assert changed.facts_by_file[NEW_REPORT] == len(changed.expected_new_report_ids)
    assert not changed.fact_ids_by_file[NEW_REPORT] & added.fact_ids_by_file[NEW_REPORT]


def test_removing_a_report_removes_its_rows(scenario: dict[str, Step]) -> None:
    changed, added = scenario["changed"], scenario["added"]
    assert REMOVED not in changed.facts_by_file
    assert changed.raw_documents == len(SEED_FILES)  # the seeds less one, plus the new report
    untouched = {
        name: ids for name, ids in added.fact_ids_by_file.items() if name not in (REMOVED, NEW_REPORT)
    }
    assert {name: ids for name, ids in changed.fact_ids_by_file.items() if name != NEW_REPORT} == untouched
    assert changed.raw_facts == sum(changed.facts_by_file.values())
