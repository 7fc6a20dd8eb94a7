"""The commands and examples of the README and the docs run as written, or name the test that runs them.

docs/bi.md is run whole against a real build of the seeds, in a folder laid out like the repository
(`warehouse/jiedao.duckdb`, `.venv` linked to this venv): every Python, SQL and shell block, the SQLAlchemy
URI and the inline `SELECT`s. The only substitution is the placeholder `/absolute/path/to/`, which becomes
that folder. The README's query and dbt_project/README.md's dbt block run the same way (the dbt block on
a scratch folder instead of /tmp/jiedao-dev). Every other shell, Python or SQL block of a README or a doc
is listed in ELSEWHERE with the test that runs it (the test must exist) or why none can: a new command in
the docs fails `test_every_command_of_the_docs_is_run_somewhere` until it is run or accounted for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.conftest import REPO_ROOT, working_file

pytestmark = pytest.mark.slow

DOCS = [
    REPO_ROOT / "README.md",
    *sorted((REPO_ROOT / "docs").glob("*.md")),
    REPO_ROOT / "dbt_project" / "README.md",
    REPO_ROOT / "benchmarks" / "README.md",
]
COMMAND_LANGUAGES = {"bash", "sh", "python", "sql"}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
INLINE_SELECT = re.compile(r"`(SELECT [^`]+)`")
PLACEHOLDER = "/absolute/path/to/"
DBT_SCRATCH = "/tmp/jiedao-dev"

# Blocks run by this module, by document and first line.
RUN_HERE = {
    ("docs/bi.md", "*"): "test_bi_examples_run_as_written",
    ("README.md", ".venv/bin/python -c"): "test_readme_query_runs_as_written",
    ("dbt_project/README.md", "# the file to build into"): "test_dbt_readme_block_runs_as_written",
    ("README.md", "make run"): "test_make_targets_the_readme_names_exist",
    ("docs/automation.md", "dagster sensor start"): "test_automation_commands_run_as_written",
}
# Blocks run elsewhere (test file::test name), or why no test runs them ("not run: ...").
ELSEWHERE = {
    ("README.md", ".venv/bin/jiedao ui"): "tests/test_ui.py::test_the_asset_graph_lists_the_assets",
    (
        "README.md",
        "jiedao eval --gold ../shared/gold/seeds",
    ): "tests/test_eval.py::test_strict_floors_on_the_whole_shared_gold",
    ("README.md", "mkdir -p /tmp/g/reports"): (
        "not run: builds the 87 shared reports and runs the reference scorers of ../shared (outside the "
        "project); tests/test_eval.py::test_metric_and_quantity_rules_agree_with_the_reference checks the "
        "rules agree"
    ),
    (
        "docs/automation.md",
        ".venv/bin/jiedao watch",
    ): "tests/test_watch.py::test_watch_builds_when_a_report_arrives",
    ("docs/automation.md", "@dg.multi_asset"): "not run: excerpts of three decorators, not a command",
    ("benchmarks/README.md", ".venv/bin/python -m benchmarks.make_corpus"): (
        "tests/test_benchmarks_smoke.py::test_writes_n_distinct_files"
    ),
    ("benchmarks/README.md", ".venv/bin/python -m benchmarks.bench_extract"): (
        "tests/test_benchmarks_smoke.py::test_bench_extract_prints_its_figures"
    ),
    ("benchmarks/README.md", ".venv/bin/python -m benchmarks.bench_build"): (
        "not run: benchmarks take minutes to hours and print figures, they pass or fail nothing"
    ),
    ("benchmarks/README.md", ".venv/bin/python -m benchmarks.bench_load"): (
        "tests/test_benchmarks_smoke.py::test_bench_load_times_the_loader_on_stored_parses"
    ),
    ("benchmarks/README.md", ".venv/bin/python -m benchmarks.parse_snapshot"): (
        "tests/test_benchmarks_smoke.py::test_parse_snapshot_finds_no_difference_twice_and_a_changed_fact"
    ),
    ("benchmarks/README.md", ".venv/bin/python -m benchmarks.ablate_rules"): (
        "tests/test_ablate_rules.py::test_each_run_is_a_fresh_process_with_its_own_switch"
    ),
}


def _blocks(path: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block of a Markdown file."""
    return [(match.group(1), match.group(2)) for match in FENCE.finditer(path.read_text(encoding="utf-8"))]


def _key(path: Path, code: str) -> tuple[str, str]:
    return path.relative_to(REPO_ROOT).as_posix(), code.strip().splitlines()[0]


def _accounted(key: tuple[str, str], table: dict[tuple[str, str], str]) -> str | None:
    document, first_line = key
    for (doc, prefix), where in table.items():
        if doc == document and (prefix == "*" or first_line.startswith(prefix)):
            return where
    return None


def test_every_command_of_the_docs_is_run_somewhere() -> None:
    unaccounted = []
    for path in DOCS:
        for language, code in _blocks(path):
            if language not in COMMAND_LANGUAGES:
                continue
            key = _key(path, code)
            if _accounted(key, RUN_HERE) is None and _accounted(key, ELSEWHERE) is None:
                unaccounted.append(key)
    assert unaccounted == [], "run these in a test, or list them in ELSEWHERE with the test that does"
    this_module = Path(__file__).read_text(encoding="utf-8")
    for name in RUN_HERE.values():
        assert f"def {name}(" in this_module, name
    for where in ELSEWHERE.values():
        if where.startswith("not run: "):
            continue
        file, test = where.split("::")
        assert f"def {test}(" in (REPO_ROOT / file).read_text(encoding="utf-8"), where


@pytest.fixture(scope="module")
def docs_root(seeds_warehouse: tuple[Path, subprocess.CompletedProcess]) -> Path:
    """The folder the docs' relative paths start from: `warehouse/` is the seeds build, `.venv` this venv,
    and the dbt project and the lexicon it loads seeds from (`../ingest/data/lexicon`) are the repo's."""
    db, _ = seeds_warehouse
    root = db.parent.parent
    links = {".venv": Path(sys.executable).parent.parent, "dbt_project": REPO_ROOT / "dbt_project"}
    links["ingest"] = REPO_ROOT / "ingest"
    for name, target in links.items():
        if not (root / name).exists():
            (root / name).symlink_to(target, target_is_directory=True)
    return root


def _env() -> dict[str, str]:
    bin_dir = Path(sys.executable).parent
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def _shell(code: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _sql_rows(root: Path, sql: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    monkeypatch.chdir(root)  # read_parquet('warehouse/...') is relative to the reader's folder
    with duckdb.connect("warehouse/jiedao.duckdb", read_only=True) as con:
        return con.execute(sql).fetchall()


def test_bi_examples_run_as_written(docs_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = REPO_ROOT / "docs" / "bi.md"
    text = path.read_text(encoding="utf-8")
    ran = []
    for language, code in _blocks(path):
        code = code.replace(PLACEHOLDER, f"{docs_root}/")
        if language == "python":
            done = subprocess.run(
                [sys.executable, "-c", code], cwd=docs_root, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, (code, done.stderr[-3000:])
        elif language == "sql":
            assert _sql_rows(docs_root, code, monkeypatch), f"no rows on the seeds: {code}"
        elif language == "sh":
            if shutil.which("duckdb", path=_env()["PATH"]) is None:
                continue  # the CLI is a dev dependency: tests/test_bi_clients.py says so when it skips
            done = _shell(code, docs_root)
            assert done.returncode == 0 and done.stdout.strip(), (code, done.stderr[-3000:])
        elif language == "text" and code.startswith("duckdb:///"):
            engine = sa.create_engine(code.strip(), poolclass=NullPool)
            try:
                with engine.connect() as con:
                    assert (
                        con.execute(sa.text("SELECT current_setting('access_mode')")).scalar() == "read_only"
                    )
            finally:
                engine.dispose()
        else:
            continue
        ran.append(language)
    for sql in INLINE_SELECT.findall(text):
        assert _sql_rows(docs_root, sql, monkeypatch), f"no rows on the seeds: {sql}"
        ran.append("inline sql")
    assert ran.count("python") >= 3 and ran.count("sql") >= 6 and "text" in ran, ran


def test_readme_query_runs_as_written(docs_root: Path) -> None:
    blocks = [code for _, code in _blocks(REPO_ROOT / "README.md") if code.startswith(".venv/bin/python -c")]
    assert blocks
    for code in blocks:
        done = _shell(code, docs_root)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "target_fact_id" in done.stdout


def test_dbt_readme_block_runs_as_written(docs_root: Path, tmp_path: Path) -> None:
    """The advice for working on the models with dbt alone: a scratch copy of the working file, never the
    published one (which it leaves untouched)."""
    (block,) = [
        code
        for _, code in _blocks(REPO_ROOT / "dbt_project" / "README.md")
        if code.startswith("# the file to build into")
    ]
    scratch = tmp_path / "jiedao-dev"
    published = docs_root / "warehouse" / "jiedao.duckdb"
    before = published.stat().st_mtime_ns, published.stat().st_ino
    env = {k: v for k, v in _env().items() if k != "JIEDAO_BUILD_DB"}
    # dbt's own files go to this test's folder, not into the repository's dbt_project/target
    env |= {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    done = _shell(block.replace(DBT_SCRATCH, str(scratch)), docs_root, env)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert (published.stat().st_mtime_ns, published.stat().st_ino) == before
    assert working_file(published).exists()
    with duckdb.connect(str(scratch / "jiedao.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM main.district_year_metrics").fetchone()[0] > 0
    assert (tmp_path / "target" / "catalog.json").exists(), "dbt docs generate wrote the catalog"


def test_make_targets_the_readme_names_exist() -> None:
    (block,) = [code for _, code in _blocks(REPO_ROOT / "README.md") if code.startswith("make run")]
    targets = [line.split()[1] for line in block.splitlines() if line.startswith("make ")]
    assert targets == ["run", "test"]
    # a dry run: make knows each target and what it runs (running them is what every session starts with)
    for target, command in zip(targets, ("bin/jiedao build", "python -m pytest"), strict=True):
        done = subprocess.run(
            ["make", "-n", target], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and command in done.stdout, (
            target,
            done.stdout[-2000:],
            done.stderr[-2000:],
        )


def test_automation_commands_run_as_written(tmp_path: Path) -> None:
    """Turning the sensor and the schedule on from a terminal, and one evaluation of the sensor."""
    from orchestration.settings import DAGSTER_YAML

    (block,) = [
        code for _, code in _blocks(REPO_ROOT / "docs" / "automation.md") if code.startswith("dagster sensor")
    ]
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    env = _env() | {"DAGSTER_HOME": str(home), "JIEDAO_DB": str(tmp_path / "warehouse" / "jiedao.duckdb")}
    done = _shell(block, REPO_ROOT, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Started sensor reports_inbox_sensor" in done.stdout
    assert "Started schedule daily_refresh" in done.stdout
    assert "reports_inbox_sensor" in done.stdout.split("Started schedule daily_refresh")[1], done.stdout
