"""Nothing lost, nothing crashes: every bad input kind of tests/badinputs.py goes through the real ingest.

Each kind runs alone through `refresh_raw_tables` on a real DuckDB (so one failure names its kind), then
all of them together in one folder through the worker pool, as a real inbox would hold them; the forms of
a seed (GBK, HTML, Word, PDF) must give the warehouse the same facts as its UTF-8 text; and one real
`jiedao build` over seeds mixed with bad files must succeed, list the quarantined files and publish one
row per file. The figures (kinds tried, crashes, files lost) are printed and kept in docs/robustness.md.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from orchestration.refresh import refresh_raw_tables
from tests import badinputs
from tests.badinputs import KINDS, Outcome, check_rows, faulty_parse, make_folder, regular_files
from tests.conftest import SEEDS_DIR, run_jiedao
from tests.test_formats import pdf_document, portal_page


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every kind alone, in its own folder and in-memory warehouse."""
    results = {}
    for index, kind in enumerate(KINDS):
        workdir = tmp_path_factory.mktemp(f"kind{index:02d}")
        results[kind.name] = badinputs.run_kind(kind, workdir)
        shutil.rmtree(workdir, ignore_errors=True)  # the 50 MB file goes at once
    return results


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_bad_input_kind_is_accounted_for(kind: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[kind]
    assert outcome.crashed is None, f"the ingest raised: {outcome.crashed}"
    assert not outcome.lost, f"files without a row: {outcome.lost}"
    assert not outcome.unexpected, outcome.unexpected


def test_figures(outcomes: dict[str, Outcome]) -> None:
    """kinds tried, crashes, files lost: the numbers quoted in docs/robustness.md."""
    crashes = [name for name, outcome in outcomes.items() if outcome.crashed]
    lost = sum(len(outcome.lost) for outcome in outcomes.values())
    statuses = Counter(status for outcome in outcomes.values() for _, status, _ in outcome.rows)
    print(
        f"\nbad inputs: kinds tried {len(outcomes)}, crashes {len(crashes)}, files lost {lost}, "
        f"rows {dict(statuses)}"
    )
    assert len(outcomes) >= 25
    assert not crashes, crashes
    assert lost == 0


# --- every kind in one folder, through the pool, and the warehouse heals afterwards ---------------------


def _documents(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    return con.execute("SELECT source_file, status, reason FROM raw.documents ORDER BY 1").fetchall()


def test_every_kind_in_one_folder(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    expected, faults = make_folder(folder, KINDS)
    for seed in badinputs.SEEDS:
        shutil.copyfile(seed, folder / seed.name)
        expected[seed.name] = badinputs.Expect(badinputs.PARSED)
    before = regular_files(folder)
    assert len(before) >= 60  # enough files for the worker pool (ingest.batch.MIN_FILES_FOR_POOL)

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    first = refresh_raw_tables(con, folder, parse_files=faulty_parse(folder, faults))
    lost, problems = check_rows(expected, before, _documents(con))
    assert not lost and not problems, (lost, problems)
    assert first.parsed + len(first.quarantined) == len(expected)

    # Facts belong to parsed documents only, and the file named like SQL is data like any other.
    (orphans,) = con.execute(
        "SELECT count(*) FROM raw.facts f LEFT JOIN raw.documents d USING (document_id)"
        " WHERE d.status IS DISTINCT FROM 'parsed'"
    ).fetchone()
    assert orphans == 0
    (sql_named,) = con.execute(
        "SELECT count(*) FROM raw.facts WHERE source_file = ?", ["x'); DROP TABLE raw.facts; --.txt"]
    ).fetchone()
    assert sql_named > 0

    # Next run: the vanished file and the file turned folder are gone, the folder's content is new, the
    # rewritten file is parsed again; the run after that finds nothing to do.
    second = refresh_raw_tables(con, folder)
    assert second.counts()["removed"] == 2
    assert [f.source_file for f in second.diff.new] == ["becomes_dir.txt/inside.txt"]
    assert [f.source_file for f in second.diff.changed] == ["rewritten.txt"]
    rows = _documents(con)
    assert {name for name, _, _ in rows} == regular_files(folder)
    third = refresh_raw_tables(con, folder)
    assert third.counts() == {"new": 0, "changed": 0, "unchanged": len(rows), "removed": 0}
    assert _documents(con) == rows
    con.close()


# --- the forms of a seed give the warehouse the same facts ------------------------------------------


def test_gbk_html_docx_pdf_forms_give_the_same_facts_as_the_utf8_text(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    forms = {
        "utf8.txt": lambda text: text.encode("utf-8"),
        "gbk.txt": lambda text: text.encode("gbk"),
        "page.html": lambda text: portal_page("utf-8", text).encode("utf-8"),
        "page_gbk.html": lambda text: portal_page("gbk", text).encode("gbk"),
        "word.docx": badinputs.simple_docx,
        "print.pdf": pdf_document,
    }
    for seed, text in zip(badinputs.SEEDS, badinputs.SEED_TEXTS, strict=True):
        for form, encode in forms.items():
            (folder / f"{seed.stem[:3]}_{form}").write_bytes(encode(text))
    con = duckdb.connect()
    refresh_raw_tables(con, folder)
    assert con.execute("SELECT count(*) FROM raw.documents WHERE status = 'parsed'").fetchone()[0] == len(
        forms
    ) * len(badinputs.SEEDS)
    facts: dict[str, dict[str, Counter]] = {}
    for source_file, *key in con.execute(
        "SELECT source_file, kind, year, measure, value, metric_raw FROM raw.facts"
    ).fetchall():
        seed, form = source_file.split("_", 1)
        facts.setdefault(seed, {}).setdefault(form, Counter())[tuple(key)] += 1
    for seed, by_form in facts.items():
        reference = by_form["utf8.txt"]
        assert reference, seed
        for form in forms:
            assert by_form.get(form) == reference, f"{seed} {form}: {_difference(by_form.get(form), reference)}"


def _difference(got: Counter | None, want: Counter) -> str:
    got = got or Counter()
    return f"missing {list((want - got).elements())[:3]}, extra {list((got - want).elements())[:3]}"


# --- one real build over seeds mixed with bad files ---------------------------------------------------

BUILD_KINDS = (
    "empty file",
    "random bytes",
    "PNG header",
    "duplicate (same bytes, other name)",
    "report with no numbers",
    "only numbers",
    "corrupt .docx",
    "truncated PDF",
    "file name: SQL: x'); DROP TABLE raw.facts; --",
    "subfolder",
    "hidden files and folders",
    "symlink pointing outside the folder",
    "symlink loop",
    "file name: non-UTF-8 bytes",
    "NUL bytes inside text",
)


@pytest.mark.slow
def test_jiedao_build_over_seeds_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for seed in badinputs.SEEDS:
        shutil.copyfile(seed, folder / seed.name)
    kinds = [kind for kind in KINDS if kind.name in BUILD_KINDS]
    assert len(kinds) == len(BUILD_KINDS)
    expected, _ = make_folder(folder, kinds)
    files = regular_files(folder)
    db = tmp_path / "warehouse" / "jiedao.duckdb"

    result = run_jiedao(
        "build", "--reports-dir", str(folder), "--db", str(db), env={"DAGSTER_HOME": str(tmp_path / "dagster")}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    quarantined = sorted(name for name, expect in expected.items() if expect.status == badinputs.QUARANTINED)
    parsed = len(files) - len(quarantined)
    assert f"documents: {parsed} parsed, {len(quarantined)} quarantined" in result.stdout
    for name in quarantined:
        assert f"  quarantined {name}: " in result.stdout, name
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_file, status, reason FROM main.dim_documents").fetchall()
        (facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
    assert sorted(name for name, _, _ in rows) == sorted(files)
    assert all(reason for _, status, reason in rows if status == "quarantined")
    assert facts > 0
