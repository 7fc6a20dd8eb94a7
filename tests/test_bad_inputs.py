"""Nothing lost, nothing crashes: every bad input kind of tests/badinputs.py goes through the real ingest.

Each kind runs alone through `refresh_raw_tables` on a real DuckDB (so one failure names its kind), then
all of them together in one folder through the worker pool, as a real inbox would hold them; the forms of
a seed (GBK, HTML, Word, PDF, BOMs, UTF-16, mixed line endings, zero-width characters) must give the
warehouse the same facts as its UTF-8 text; and one real `jiedao build` over seeds mixed with bad files
must succeed, list the quarantined files and publish one row per file. The figures (kinds tried,
crashes, files lost) are printed and kept in docs/robustness.md.
"""

from __future__ import annotations

import ast
import faulthandler
import functools
import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from ingest.batch import MIN_FILES_FOR_POOL, parse_many
from orchestration.refresh import refresh_raw_tables
from orchestration.summary import MAX_LISTED, printable
from tests import badinputs
from tests.badinputs import KINDS, Outcome, check_rows, faulty_parse, make_folder, regular_files
from tests.conftest import REPO_ROOT, run_jiedao
from tests.test_formats import pdf_document, portal_page


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every kind alone, in its own folder and in-memory warehouse."""
    # A kind that hangs the ingest (the pipe swapped in after the scan did, before issue 17) must fail the
    # suite with a traceback, not stall it: every kind together takes well under a minute.
    faulthandler.dump_traceback_later(600, exit=True)
    results = {}
    for index, kind in enumerate(KINDS):
        workdir = tmp_path_factory.mktemp(f"kind{index:02d}")
        results[kind.name] = badinputs.run_kind(kind, workdir)
        badinputs.remove_tree(workdir)  # the 50 MB file goes at once, and the 1,100-deep folder
    faulthandler.cancel_dump_traceback_later()
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


def test_every_kind_in_one_folder(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    # pytest's own cleanup of old temporary folders recurses: never leave the 1,100-deep folder behind
    request.addfinalizer(lambda: badinputs.remove_tree(folder))
    expected, faults = make_folder(folder, KINDS)
    for seed in badinputs.SEEDS:
        shutil.copyfile(seed, folder / seed.name)
        expected[seed.name] = badinputs.Expect(badinputs.PARSED)
    before = regular_files(folder)
    assert len(before) >= MIN_FILES_FOR_POOL  # so the worker pool parses them, as in a real build

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    first = refresh_raw_tables(con, folder, parse_files=faulty_parse(folder, faults))
    lost, problems = check_rows(expected, before, _documents(con))
    assert not lost and not problems, (lost, problems)
    assert first.parsed + len(first.quarantined) == len(expected)
    assert first.duplicates.duplicates == 2  # the copy, and the link to a report of the folder

    # Facts belong to parsed documents only (a duplicate keeps its own, which no mart reads), and the file
    # named like SQL is data like any other.
    (orphans,) = con.execute(
        "SELECT count(*) FROM raw.facts f LEFT JOIN raw.documents d USING (document_id)"
        " WHERE d.status IS DISTINCT FROM 'parsed' AND d.status IS DISTINCT FROM 'duplicate'"
    ).fetchone()
    assert orphans == 0
    (sql_named,) = con.execute(
        "SELECT count(*) FROM raw.facts WHERE source_file = ?", ["x'); DROP TABLE raw.facts; --.txt"]
    ).fetchone()
    assert sql_named > 0

    # The rewritten file is stored under the hash of the bytes that were parsed, not the scan's.
    (stored_sha,) = con.execute(
        "SELECT content_sha256 FROM raw.documents WHERE source_file = 'rewritten.txt'"
    ).fetchone()
    assert stored_sha == hashlib.sha256((folder / "rewritten.txt").read_bytes()).hexdigest()

    # Next run: the vanished file, the file turned folder and the files swapped for a pipe or links are
    # gone (none is a report file now), the folder's content is new, the rewritten file is unchanged (it
    # was stored as parsed); the run after that finds nothing to do.
    second = refresh_raw_tables(con, folder)
    assert second.diff.removed == sorted(
        [
            "vanishes.txt",
            "becomes_dir.txt",
            "becomes_fifo.txt",
            "becomes_dev_zero.txt",
            "becomes_outside_link.txt",
            "swapped_dir/report.txt",
        ]
    )
    assert [f.source_file for f in second.diff.new] == ["becomes_dir.txt/inside.txt"]
    assert second.diff.changed == []
    rows = _documents(con)
    assert {name for name, _, _ in rows} == regular_files(folder)
    third = refresh_raw_tables(con, folder)
    assert third.counts() == {"new": 0, "changed": 0, "unchanged": len(rows), "removed": 0, "unreadable": 0}
    assert _documents(con) == rows
    con.close()


# --- the forms of a seed give the warehouse the same facts ------------------------------------------


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
INVISIBLE = re.compile(f"[{ZERO_WIDTH}]")


def _mixed_line_endings(text: str) -> str:
    return "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(text.split("\n")))


def _in_gbk(ch: str) -> bool:
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def test_forms_of_a_seed_give_the_same_facts_as_its_utf8_text(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    forms = {
        "utf8.txt": lambda text: text.encode("utf-8"),
        "gbk.txt": lambda text: text.encode("gbk"),
        "page.html": lambda text: portal_page("utf-8", text).encode("utf-8"),
        "page_gbk.html": lambda text: portal_page("gbk", text).encode("gbk"),
        "word.docx": badinputs.simple_docx,
        "print.pdf": pdf_document,
        # Disguises of the same text that scraped files carry: the facts must not change either.
        "utf8_bom.txt": lambda text: text.encode("utf-8-sig"),
        "utf16.txt": lambda text: text.encode("utf-16"),
        "mixed_endings.txt": lambda text: _mixed_line_endings(text).encode("utf-8"),
        "zero_width.txt": lambda text: badinputs.sprinkle(text, ZERO_WIDTH, 7).encode("utf-8"),
    }
    for seed, text in zip(badinputs.SEEDS, badinputs.SEED_TEXTS, strict=True):
        # A real GBK file holds no character GBK lacks (seed 004 has a no-break space): all forms get the
        # text a GBK file could hold.
        text = "".join(ch if _in_gbk(ch) else " " for ch in text)
        for form, encode in forms.items():
            (folder / f"{seed.stem[:3]}_{form}").write_bytes(encode(text))
    con = duckdb.connect()
    refresh_raw_tables(con, folder)
    documents = con.execute("SELECT source_file, status, district FROM raw.documents").fetchall()
    assert len(documents) == len(forms) * len(badinputs.SEEDS)
    # Every form is the same report: one document per seed (UTF-8 text, the first by name), the others
    # its duplicates.
    assert sorted(name for name, status, _ in documents if status == "parsed") == sorted(
        f"{seed.stem[:3]}_mixed_endings.txt" for seed in badinputs.SEEDS
    )
    kept_of = dict(
        con.execute(
            "SELECT d.source_file, k.source_file FROM raw.documents d"
            " JOIN raw.documents k ON d.duplicate_of = k.document_id WHERE d.status = 'duplicate'"
        ).fetchall()
    )
    assert kept_of == {
        f"{seed.stem[:3]}_{form}": f"{seed.stem[:3]}_mixed_endings.txt"
        for seed in badinputs.SEEDS
        for form in forms
        if form != "mixed_endings.txt"
    }
    districts = {name: district for name, _, district in documents}
    facts: dict[str, dict[str, Counter]] = {}
    for source_file, kind, year, measure, value, metric_raw in con.execute(
        "SELECT source_file, kind, year, measure, value, metric_raw FROM raw.facts"
    ).fetchall():
        seed, form = source_file.split("_", 1)
        # A metric written with invisible marks inside is still the same metric.
        key = (kind, year, measure, value, INVISIBLE.sub("", metric_raw))
        facts.setdefault(seed, {}).setdefault(form, Counter())[key] += 1
    for seed, by_form in facts.items():
        reference = by_form["utf8.txt"]
        assert reference, seed
        for form in forms:
            assert districts[f"{seed}_{form}"] == districts[f"{seed}_utf8.txt"], f"{seed} {form}: district"
            got = by_form.get(form)
            assert got == reference, f"{seed} {form}: {_difference(got, reference)}"


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
        "build",
        "--reports-dir",
        str(folder),
        "--db",
        str(db),
        env={"DAGSTER_HOME": str(tmp_path / "dagster")},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_file, status, reason FROM main.dim_documents").fetchall()
        (facts,) = con.execute("SELECT count(*) FROM main.fct_metric_facts").fetchone()
    # One row per file, and each kind as it behaves through the ingest layer.
    assert sorted(name for name, _, _ in rows) == sorted(files)
    lost, problems = check_rows(expected, set(expected), [row for row in rows if row[0] in expected])
    assert not lost and not problems, (lost, problems)
    assert facts > 0
    # The summary counts the quarantined files and the duplicates, and lists the first of each with the
    # reason (the rest are counted, with the query that lists them).
    by_status = {
        status: sorted((name, reason) for name, s, reason in rows if s == status)
        for status in ("parsed", "quarantined", "duplicate")
    }
    n_parsed, n_quarantined, n_duplicates = (
        len(by_status[s]) for s in ("parsed", "quarantined", "duplicate")
    )
    assert n_quarantined and n_duplicates
    assert (
        f"documents: {n_parsed} parsed, {n_quarantined} quarantined, {n_duplicates} duplicates"
        in result.stdout
    )
    for status in ("quarantined", "duplicate"):
        for name, reason in by_status[status][:MAX_LISTED]:
            assert reason and printable(f"  {status} {name}: {reason}") in result.stdout, name
    if n_quarantined > MAX_LISTED:
        more = f"  ... and {n_quarantined - MAX_LISTED} more: main.dim_documents where status = 'quarantined'"
        assert more in result.stdout


# --- security: where the UI listens, and no SQL made from what a file holds ------------------------------

# Modules allowed to build SQL text, and what they interpolate: publish.py paths as escaped string literals
# and the catalog and table names of our own warehouse; build.py the fixed list of mart names.
# Modules that build SQL text from identifiers they own (table names of their own constants), never values.
SQL_TEXT_ALLOWED = {
    "orchestration/publish.py",
    "orchestration/summary.py",  # row counts of the marts, named in publish.MART_TABLES
    "orchestration/raw_terms.py",  # the three word tables of issue 15, named in its TABLES
    "orchestration/defs/ingest/terms.py",  # row counts of those tables
}


def test_ui_listens_on_this_machine_only_unless_told_otherwise() -> None:
    from orchestration.cli import build_parser

    assert build_parser().parse_args(["ui"]).host == "127.0.0.1"
    assert build_parser().parse_args(["ui", "--host", "0.0.0.0"]).host == "0.0.0.0"
    source = (REPO_ROOT / "orchestration" / "cli.py").read_text(encoding="utf-8")
    assert '"--host",\n        args.host' in source  # the address reaches `dagster dev`


def test_no_sql_text_is_assembled_outside_the_allowed_modules() -> None:
    """Every execute/sql/query call elsewhere passes a constant string (values travel as parameters)."""
    offenders = []
    for path in sorted([*REPO_ROOT.glob("ingest/**/*.py"), *REPO_ROOT.glob("orchestration/**/*.py")]):
        relative = path.relative_to(REPO_ROOT).as_posix()
        if relative in SQL_TEXT_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr in ("execute", "executemany", "sql", "query") and node.args:
                first = node.args[0]
                built = isinstance(first, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(first, ast.Call)
                    and isinstance(first.func, ast.Attribute)
                    and first.func.attr == "format"
                )
                if built:
                    offenders.append(f"{relative}:{node.lineno}")
    assert not offenders, f"SQL text built from values (use ? parameters): {offenders}"


def test_a_file_named_like_sql_is_only_data(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    names = ["x'); DROP TABLE raw.facts; --.txt", "'; DELETE FROM raw.documents; --", 'a"b\\"; --.txt']
    for index, name in enumerate(names):
        (folder / name).write_text(badinputs.variant(index), encoding="utf-8")
    con = duckdb.connect()
    refresh_raw_tables(con, folder)
    refresh_raw_tables(con, folder)  # names also flow through the diff and the delete of a second run
    (folder / names[1]).unlink()
    refresh_raw_tables(con, folder)
    rows = con.execute("SELECT source_file, status FROM raw.documents ORDER BY 1").fetchall()
    assert rows == sorted((name, "parsed") for name in names if name != names[1])
    assert con.execute("SELECT count(DISTINCT source_file) FROM raw.facts").fetchone()[0] == 2


def test_the_size_limit_is_a_parameter_of_the_ingest(tmp_path: Path) -> None:
    """`parse_many(max_bytes=...)` reaches every file; `jiedao build` itself has no setting for it yet."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "report.txt").write_text(badinputs.variant(0), encoding="utf-8")
    con = duckdb.connect()
    refresh_raw_tables(con, folder, parse_files=functools.partial(parse_many, max_bytes=1000))
    ((status, reason),) = con.execute("SELECT status, reason FROM raw.documents").fetchall()
    assert status == "quarantined" and reason.startswith("too large: ") and reason.endswith("(limit 1000)")


# --- files and folders that cannot be read (needs a process without CAP_DAC_OVERRIDE) --------------------

_AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
_REFRESH_AS_NOBODY = """
import json, sys
from pathlib import Path
import duckdb
from orchestration.refresh import refresh_raw_tables
folder, db = Path(sys.argv[1]), sys.argv[2]
with duckdb.connect(db) as con:
    result = refresh_raw_tables(con, folder)
    rows = con.execute("SELECT source_file, status, reason, n_facts FROM raw.documents ORDER BY 1").fetchall()
    (facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
out = {"counts": result.counts(), "unreadable": result.diff.unreadable, "rows": rows, "facts": facts}
print(json.dumps(out))
"""


def _refresh_as_nobody(folder: Path, db: Path) -> dict:
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [*_AS_NOBODY, sys.executable, "-c", _REFRESH_AS_NOBODY, str(folder), str(db)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is needed to drop root")
def test_unreadable_files_and_folders_get_a_row_and_known_ones_keep_theirs() -> None:
    """Probe 4: the scan's `except OSError: continue` gave an unreadable file no row, and deleted the rows of
    a file the warehouse held ("1 removed", exit 0). Run as nobody: root reads every file regardless."""
    import os
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="jiedao_perm_"))
    try:
        base.chmod(0o777)
        folder = base / "inbox"
        (folder / "locked").mkdir(parents=True)
        for name, seed in (("a.txt", 0), ("b.txt", 1), ("locked/c.txt", 2)):
            (folder / name).write_text(badinputs.variant(seed), encoding="utf-8")
        for path in (folder, folder / "locked"):
            path.chmod(0o777)
        db = base / "warehouse.duckdb"

        first = _refresh_as_nobody(folder, db)
        assert [(name, status) for name, status, _, _ in first["rows"]] == [
            ("a.txt", "parsed"),
            ("b.txt", "parsed"),
            ("locked/c.txt", "parsed"),
        ]

        # b.txt and the folder locked/ become unreadable; a new file is unreadable from the start.
        os.chmod(folder / "b.txt", 0)
        os.chmod(folder / "locked", 0)
        (folder / "new.txt").write_text(badinputs.variant(3), encoding="utf-8")
        os.chmod(folder / "new.txt", 0)
        second = _refresh_as_nobody(folder, db)
        assert second["counts"] == {"new": 2, "changed": 0, "unchanged": 1, "removed": 0, "unreadable": 2}
        assert second["unreadable"] == ["b.txt", "locked/c.txt"]
        rows = {name: (status, reason, n_facts) for name, status, reason, n_facts in second["rows"]}
        # The rows of what the warehouse held stay, facts included.
        assert rows["b.txt"] == tuple(first["rows"][1][1:])
        assert rows["locked/c.txt"] == tuple(first["rows"][2][1:])
        assert second["facts"] == first["facts"]
        # What was never read gets a row that says why.
        assert rows["new.txt"] == ("quarantined", "unreadable: Permission denied", 0)
        assert rows["locked/"] == ("quarantined", "unreadable folder: Permission denied", 0)

        # Readable again: the new file is parsed; the folder's row goes, its file was kept all along.
        for path in (folder / "b.txt", folder / "new.txt", folder / "locked"):
            os.chmod(path, 0o777)
        third = _refresh_as_nobody(folder, db)
        assert third["counts"] == {"new": 0, "changed": 1, "unchanged": 3, "removed": 1, "unreadable": 0}
        assert {name: status for name, status, _, _ in third["rows"]} == {
            "a.txt": "parsed",
            "b.txt": "parsed",
            "locked/c.txt": "parsed",
            "new.txt": "parsed",
        }
    finally:
        badinputs.remove_tree(base)


def _docx_with_image_part(text: str, image_bytes: int) -> bytes:
    """A real .docx plus one image part of `image_bytes` zeros: 2 GiB deflates to 2 MB."""
    import io
    import zipfile

    buffer = io.BytesIO(badinputs.simple_docx(text))
    with (
        zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.png", "w", force_zip64=True) as part,
    ):
        block = bytes(1 << 20)
        for _ in range(image_bytes >> 20):
            part.write(block)
    return buffer.getvalue()


def test_a_docx_whose_image_part_unpacks_to_2_gib_is_quarantined_unread(tmp_path: Path) -> None:
    """Probe 6: the size limit covered document.xml only, and python-docx reads every part: 4.1 GB peak
    memory for a 2 MB file. Every member is size-checked from the zip directory before anything is read."""
    import subprocess
    import sys

    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_with_image_part(badinputs.variant(0), 2 << 30))
    assert path.stat().st_size < 5 * 2**20
    # Peak memory from VmHWM, which starts afresh at exec (ru_maxrss would carry the forking pytest's).
    probe = (
        "import re, sys; from pathlib import Path; from ingest.document import parse_path;"
        "doc = parse_path(Path(sys.argv[1])); print(doc.status, doc.reason, sep='|');"
        "print(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    verdict, peak_kib = done.stdout.strip().splitlines()
    assert verdict == (
        "quarantined|too large: DOCX part word/media/image1.png unpacks to 2147483648 bytes (limit 20971520)"
    )
    assert int(peak_kib) < 200 * 1024  # 34 MiB here: the interpreter and imports, not the image


def test_a_five_million_digit_number_never_becomes_inf(tmp_path: Path) -> None:
    """Probe 10: float() of 5,000,000 digits is inf, and inf was published as a value. It is no quantity:
    the number is not read as one, the report's other facts are (and int_facts_screened would quarantine
    any non-finite value that still came through)."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    huge = "5" * 5_000_000
    text = badinputs.variant(0) + f"\n全年完成村级集体经营性收入{huge}万元，同比增长8%。\n"
    (folder / "huge_number.txt").write_text(text, encoding="utf-8")
    con = duckdb.connect()
    refresh_raw_tables(con, folder)
    assert con.execute("SELECT status FROM raw.documents").fetchall() == [("parsed",)]
    n_facts, n_not_finite, largest = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT isfinite(value)), max(abs(value)) FROM raw.facts"
    ).fetchone()
    assert n_facts > 50 and n_not_finite == 0 and largest < 1e15
    assert con.execute("SELECT count(*) FROM raw.facts WHERE number_text = ?", [huge]).fetchone() == (0,)


def test_the_summary_counts_unreadable_files_and_escapes_names(tmp_path: Path) -> None:
    """Probes 4 and 8 in the build summary: files whose rows were kept are counted, and a name with escape
    codes or a newline is printed escaped, on one line."""
    from orchestration.summary import summarize

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a\x1b[2K\x1b[1Ab\nc.txt").write_bytes(b"")
    db = tmp_path / "work.duckdb"
    with duckdb.connect(str(db)) as con:
        refresh_raw_tables(con, folder)
    counts = {"new": 1, "changed": 0, "unchanged": 0, "removed": 0, "unreadable": 2}
    text = summarize(db, None, counts)
    assert "files: 1 new, 0 changed, 0 unchanged, 0 removed, 2 unreadable (their rows kept)" in text
    assert "  quarantined a\\x1b[2K\\x1b[1Ab\\nc.txt: empty file" in text.splitlines()
    assert "\x1b" not in text


def test_the_summary_lists_the_first_quarantined_files_and_counts_the_rest(tmp_path: Path) -> None:
    from orchestration.summary import summarize

    folder = tmp_path / "inbox"
    folder.mkdir()
    for index in range(MAX_LISTED + 3):
        (folder / f"empty_{index:02d}.txt").write_bytes(b"")
    db = tmp_path / "work.duckdb"
    with duckdb.connect(str(db)) as con:
        refresh_raw_tables(con, folder)
    lines = summarize(db, None, None).splitlines()
    listed = [line for line in lines if line.startswith("  quarantined empty_")]
    assert listed == [f"  quarantined empty_{index:02d}.txt: empty file" for index in range(MAX_LISTED)]
    assert "  ... and 3 more: main.dim_documents where status = 'quarantined'" in lines
