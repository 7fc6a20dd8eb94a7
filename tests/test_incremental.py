"""Incremental refresh, end to end: real `jiedao build` runs on one warehouse while its folder changes.

One scenario, built step by step into a temporary warehouse from a copy of seeds/: add a report, change
it, remove another, build once more with nothing changed; and a fresh build of the changed folder to
compare with. Each step's summary line and published marts are recorded; the tests read the record.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS_DIR, run_jiedao

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


def _read(db: Path, stdout: str) -> Step:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_file, fact_id FROM main.fct_metric_facts").fetchall()
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


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    work = tmp_path_factory.mktemp("incremental")
    inbox, db, home = work / "inbox", work / "warehouse" / "jiedao.duckdb", work / "dagster"
    inbox.mkdir()
    for name in SEED_FILES:
        shutil.copyfile(SEEDS_DIR / name, inbox / name)  # copyfile: the seeds are read-only, the copies not
    steps = {"initial": _build(inbox, db, home)}

    (inbox / NEW_REPORT).write_text(new_report_text(), encoding="utf-8")
    steps["added"] = _build(inbox, db, home)

    (inbox / NEW_REPORT).write_text(changed_report_text(), encoding="utf-8")
    steps["changed"] = _build(inbox, db, home)

    fresh_inbox = work / "fresh_inbox"
    shutil.copytree(inbox, fresh_inbox)
    steps["fresh"] = _build(fresh_inbox, work / "fresh" / "jiedao.duckdb", work / "fresh_dagster")

    (inbox / REMOVED).unlink()
    steps["removed"] = _build(inbox, db, home)

    steps["unchanged"] = _build(inbox, db, home)
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
    changed, fresh = scenario["changed"], scenario["fresh"]
    assert files_line(changed.stdout) == f"files: 0 new, 1 changed, {len(SEED_FILES)} unchanged, 0 removed"
    assert 0 < changed.facts_by_file[NEW_REPORT] < scenario["added"].facts_by_file[NEW_REPORT]
    # no duplicates and nothing of the old version: exactly what a fresh build of the same folder holds
    assert changed.facts_by_file == fresh.facts_by_file
    assert changed.fact_ids_by_file == fresh.fact_ids_by_file
    assert not changed.fact_ids_by_file[NEW_REPORT] & scenario["added"].fact_ids_by_file[NEW_REPORT]
    assert (changed.raw_documents, changed.raw_facts) == (fresh.raw_documents, fresh.raw_facts)


def test_removing_a_report_removes_its_rows(scenario: dict[str, Step]) -> None:
    removed = scenario["removed"]
    assert files_line(removed.stdout) == f"files: 0 new, 0 changed, {len(SEED_FILES)} unchanged, 1 removed"
    assert REMOVED not in removed.facts_by_file
    assert removed.raw_documents == len(SEED_FILES)
    expected = {name: n for name, n in scenario["changed"].facts_by_file.items() if name != REMOVED}
    assert removed.facts_by_file == expected


def test_an_unchanged_folder_parses_nothing(scenario: dict[str, Step]) -> None:
    unchanged, removed = scenario["unchanged"], scenario["removed"]
    assert files_line(unchanged.stdout) == f"files: 0 new, 0 changed, {len(SEED_FILES)} unchanged, 0 removed"
    assert unchanged.fact_ids_by_file == removed.fact_ids_by_file
    assert (unchanged.raw_documents, unchanged.raw_facts) == (removed.raw_documents, removed.raw_facts)
