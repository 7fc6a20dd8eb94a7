"""The published warehouse as BI tools use it: read-only clients of several kinds, during a refresh.

Each way of connecting that docs/bi.md describes is exercised here against a real build: Python's duckdb,
SQLAlchemy with duckdb-engine (what Superset-style tools use), the DuckDB CLI, a DuckDB 1.4 client (what
Metabase's driver bundles) in a venv of its own, and the Parquet exports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from orchestration.publish import MART_TABLES
from orchestration.settings import parquet_dir
from tests.conftest import SEEDS_DIR, run_jiedao, working_file

pytestmark = pytest.mark.slow

MARTS = ["fct_metric_facts", "dim_documents", "dim_districts", "dim_metrics", "district_year_metrics"]
# A client of the DuckDB generation that Metabase's driver ships, in a venv of its own. Kept between runs
# on one machine, outside the repository (a venv is 80 MB of binaries that must never be committed).
DUCKDB14_VENV = Path(tempfile.gettempdir()) / "jiedao-duckdb14-venv"

# A BI tool's connection, in a process of its own: opened once, kept open, queried on demand.
READER = r"""
import sys, duckdb
path = sys.argv[1]
con = duckdb.connect(path, read_only=True)
print("ready", flush=True)
for line in sys.stdin:
    command = line.strip()
    if command == "count":
        print(con.execute("SELECT count(*) FROM main.dim_documents").fetchone()[0], flush=True)
    elif command == "reconnect":
        con.close()
        con = duckdb.connect(path, read_only=True)
        print("ok", flush=True)
    else:
        break
"""


def _count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0]


class Reader:
    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", READER, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.ask(None) == "ready"

    def ask(self, command: str | None) -> str:
        assert self.process.stdin and self.process.stdout
        if command is not None:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"reader exited with {self.process.poll()}"
        return line.strip()

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin
            self.process.stdin.close()
            self.process.wait(timeout=60)


@pytest.fixture
def reader_factory() -> Iterator[type[Reader]]:
    readers: list[Reader] = []

    class Tracked(Reader):
        def __init__(self, db: Path) -> None:
            super().__init__(db)
            readers.append(self)

    yield Tracked
    for reader in readers:
        reader.close()


def test_an_open_reader_does_not_block_a_refresh(tmp_path: Path, reader_factory: type[Reader]) -> None:
    inbox, db, home = tmp_path / "inbox", tmp_path / "warehouse" / "jiedao.duckdb", tmp_path / "dagster"
    inbox.mkdir()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copyfile(path, inbox / path.name)
    args = ("build", "--reports-dir", str(inbox), "--db", str(db))
    first = run_jiedao(*args, env={"DAGSTER_HOME": str(home)})
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    before = _count(db, "dim_documents")

    reader = reader_factory(db)
    assert reader.ask("count") == str(before)
    engine = sa.create_engine(f"duckdb:///{db}?access_mode=read_only", poolclass=NullPool)

    template = SEEDS_DIR / "004_c7e8bd28e2541a55.txt"
    new_text = template.read_text(encoding="utf-8").replace("前江", "望江")
    (inbox / "900_wangjiang_2023.txt").write_text(new_text, encoding="utf-8")
    refresh = run_jiedao(*args, env={"DAGSTER_HOME": str(home)})
    assert refresh.returncode == 0, refresh.stdout[-3000:] + refresh.stderr[-3000:]

    # the open connection still reads the file it opened: a consistent old snapshot, never a torn one
    assert reader.ask("count") == str(before)
    assert reader.ask("reconnect") == "ok"
    assert reader.ask("count") == str(before + 1)
    # SQLAlchemy without a pool opens the file per connection, so it sees the refresh at once
    with engine.connect() as con:
        assert con.execute(sa.text("SELECT count(*) FROM main.dim_documents")).scalar() == before + 1
    engine.dispose()


def test_python_read_only_connection_reads_and_cannot_write(seeds_warehouse) -> None:
    db, _ = seeds_warehouse
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM main.fct_metric_facts").fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("CREATE TABLE main.scratch (a INTEGER)")


@pytest.mark.parametrize("style", ["url", "connect_args"])
def test_sqlalchemy_duckdb_engine_read_only(seeds_warehouse, style: str) -> None:
    db, _ = seeds_warehouse
    if style == "url":  # what a BI tool's "SQLAlchemy URI" field takes
        engine = sa.create_engine(f"duckdb:///{db}?access_mode=read_only", poolclass=NullPool)
    else:
        engine = sa.create_engine(f"duckdb:///{db}", connect_args={"read_only": True}, poolclass=NullPool)
    try:
        with engine.connect() as con:
            assert con.execute(sa.text("SELECT current_setting('access_mode')")).scalar() == "read_only"
            rows = con.execute(
                sa.text("SELECT district, count(*) FROM main.fct_metric_facts GROUP BY 1 ORDER BY 1")
            ).all()
            assert rows and all(n > 0 for _, n in rows)
            assert "fct_metric_facts" in sa.inspect(con).get_table_names(schema="main")
            with pytest.raises(sa.exc.DBAPIError):
                con.execute(sa.text("CREATE TABLE main.scratch (a INTEGER)"))
    finally:
        engine.dispose()


def _duckdb_cli() -> str | None:
    venv_bin = str(Path(sys.executable).parent)
    return shutil.which("duckdb", path=f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")


def test_duckdb_cli_read_only(seeds_warehouse) -> None:
    cli = _duckdb_cli()
    if cli is None:
        pytest.skip("duckdb CLI not installed: pip install duckdb-cli (a dev dependency) provides it")
    db, _ = seeds_warehouse
    query = "SELECT count(*) FROM main.fct_metric_facts"
    done = subprocess.run(
        [cli, "-readonly", "-csv", "-noheader", str(db), "-c", query],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == _count(db, "fct_metric_facts")
    write = subprocess.run(
        [cli, "-readonly", str(db), "-c", "CREATE TABLE main.scratch (a INTEGER)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert write.returncode != 0 or "read-only" in (write.stdout + write.stderr)


def _duckdb14_python() -> Path:
    """A venv with duckdb 1.4.x only, made once and reused (rebuilt if it is broken or of another version)."""
    python = DUCKDB14_VENV / "bin" / "python"
    probe = [str(python), "-c", "import duckdb; print(duckdb.__version__)"]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.startswith("1.4."):
            return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(DUCKDB14_VENV)], check=True, timeout=300)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "duckdb==1.4.*"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    return python


def test_a_duckdb_1_4_client_opens_the_published_file(seeds_warehouse) -> None:
    db, _ = seeds_warehouse
    python = _duckdb14_python()
    script = (
        "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(duckdb.__version__); "
        "print(con.execute('SELECT count(*) FROM main.fct_metric_facts').fetchone()[0]); "
        "print(con.execute('SELECT count(*) FROM main.targets_vs_actuals').fetchone()[0])"
    )
    done = subprocess.run([str(python), "-c", script, str(db)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    version, facts, targets = done.stdout.split()
    assert version.startswith("1.4.")
    assert int(facts) == _count(db, "fct_metric_facts")
    assert int(targets) == _count(db, "targets_vs_actuals")


def test_parquet_exports_match_the_marts(seeds_warehouse) -> None:
    db, _ = seeds_warehouse
    for mart in MARTS:
        frame = pl.read_parquet(parquet_dir(db) / f"{mart}.parquet")
        assert frame.height == _count(db, mart), mart
    facts = pl.read_parquet(parquet_dir(db) / "fct_metric_facts.parquet")
    assert {"fact_id", "source_file", "district", "value"} <= set(facts.columns)


def test_the_published_file_describes_its_marts_and_holds_nothing_else(seeds_warehouse) -> None:
    """What a BI tool sees: the marts, every one with a comment and every column with one (the dbt YAML);
    the build record and the theme lexicon; no raw, staging or intermediate object."""
    db, _ = seeds_warehouse
    with duckdb.connect(str(db), read_only=True) as con:
        tables = dict(
            con.execute(
                "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables()"
                " WHERE database_name = current_database()"
            ).fetchall()
        )
        columns = con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns()"
            " WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
        views = con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal"
        ).fetchall()
    extras = {"meta.build_state", "seeds.theme_lexicon"}
    assert set(tables) == {f"main.{mart}" for mart in MART_TABLES} | extras
    assert views == []
    assert all(comment and comment.strip() for comment in tables.values()), tables
    described = sum(1 for _, _, comment in columns if comment and comment.strip())
    print(f"\nmart columns with a comment: {described} of {len(columns)}")
    assert [(table, column) for table, column, comment in columns if not (comment or "").strip()] == []
    assert described >= 0.9 * len(columns) and len(columns) > 150


def test_a_build_writes_only_what_is_named_after_its_file(seeds_warehouse) -> None:
    """`--db <dir>/jiedao.duckdb` leaves jiedao.duckdb, jiedao.build/ and jiedao.parquet/ in <dir>, nothing
    with a generic name (.build/, parquet/) and no temporary file."""
    db, _ = seeds_warehouse
    names = sorted(path.name for path in db.parent.iterdir())
    assert names == ["jiedao.build", "jiedao.duckdb", "jiedao.parquet"]
    assert working_file(db).exists() and (working_file(db).parent / "dbt.log").exists()
    assert sorted(path.name for path in parquet_dir(db).glob("*.parquet")) == sorted(
        f"{mart}.parquet" for mart in MART_TABLES
    )
