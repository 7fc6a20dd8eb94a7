"""Kill `jiedao build` with SIGKILL during ingest, during dbt and during publish; re-run; lose nothing.

One scenario on one warehouse (T), against fresh uninterrupted builds of the same folder (R):

1. T: killed once the ingest starts committing documents (the folder holds more than two batches,
   refresh.BATCH_SIZE): the working file holds whole batches only, each document with all its facts;
   nothing is published.
2. T: killed once dbt has created its first model; still nothing published.
3. T: completes. Its published marts are snapshot S1.
4. A report is added to the folder. T: killed while publishing. The published file is still S1 and opens.
5. T: completes.  6. R: a fresh build of the folder.  7. R again: re-running changes nothing.

The kills are triggered by what the build does, never by elapsed time: pool workers alive and the
working file's WAL grown by a batch and no longer growing (ingest), dbt's "OK created" line in its log
(<stem>.build/dbt.log) since the build started (dbt), the publisher's temporary file next to the published one
(publish). The whole process group dies (start_new_session + killpg), dbt and the pool workers with it.

Marts (in the published file) and raw tables (in the working file) are compared row by row (`SELECT * ...
ORDER BY ALL`), leaving out timestamp columns (dim_documents and raw.documents carry ingested_at, the time
a file was parsed, which differs between warehouses).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import MART_TABLES
from tests.badinputs import SEED_TEXTS
from tests.conftest import REPO_ROOT, SHARED_DIR, working_file

# Small ingest batches keep the folder small (more than two batches is all the ingest kill needs).
BATCH_SIZE = 40

pytestmark = pytest.mark.slow

MARTS = [f"main.{name}" for name in MART_TABLES]  # in the published file
RAW_TABLES = ["raw.documents", "raw.facts"]  # in the working file (not published)
TABLES = MARTS + RAW_TABLES
# Small edits that make a report another file without changing what it says.
_EDITS = ("", "\n（转载）\n", "\n（来源：街道办事处）\n")


def make_inbox(folder: Path) -> int:
    """More than two ingest batches of reports: the seeds and the shared corpus, each in a few copies."""
    texts = list(SEED_TEXTS)
    corpus = SHARED_DIR / "corpus"
    if corpus.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    folder.mkdir(parents=True)
    n = 0
    while n <= 2 * BATCH_SIZE + 20:
        for index, text in enumerate(texts):
            edit = _EDITS[(n // len(texts)) % len(_EDITS)] + "（副本）" * (n // (len(texts) * len(_EDITS)))
            (folder / f"r{n:04d}_{index:03d}.txt").write_text(text + edit, encoding="utf-8")
            n += 1
    return n


# --- running and killing a build ------------------------------------------------------------------------


@dataclass
class Build:
    folder: Path
    db: Path
    home: Path  # DAGSTER_HOME
    log: Path
    outcomes: list[str] = field(default_factory=list)

    @property
    def work_db(self) -> Path:
        return working_file(self.db)

    def start(self) -> subprocess.Popen:
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        env["DAGSTER_HOME"] = str(self.home)
        env["JIEDAO_INGEST_BATCH_SIZE"] = str(BATCH_SIZE)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as out:
            return subprocess.Popen(
                [str(bin_dir / "jiedao"), "build", "--reports-dir", str(self.folder), "--db", str(self.db)],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=REPO_ROOT,
                env=env,
                start_new_session=True,  # its own process group: killpg reaches dbt and the pool workers
            )

    def run(self) -> str:
        process = self.start()
        assert process.wait(timeout=1800) == 0, self.log.read_text()[-4000:]
        return self.log.read_text()

    def kill_when(self, condition: Callable[[subprocess.Popen], bool]) -> bool:
        """Start a build and SIGKILL its whole process group once `condition` holds; False if it never did."""
        process = self.start()
        deadline = time.monotonic() + 1800  # a hung build fails the test rather than the suite
        while process.poll() is None and time.monotonic() < deadline:
            if condition(process):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                _wait_for_group_to_die(process.pid)
                return True
            time.sleep(0.02)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


def _group(pgid: int) -> list[list[str]]:
    """Command lines of the live processes in a process group (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != pgid or fields[0] == "Z":
                continue
            found.append(Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace").split("\0"))
        except (OSError, ValueError, IndexError):
            continue  # exited while we looked
    return found


def _wait_for_group_to_die(pgid: int) -> None:
    """SIGKILL is asynchronous: wait until no member holds the DuckDB file any more."""
    for _ in range(500):
        if not _group(pgid):
            return
        time.sleep(0.02)


def ingest_committed(build: Build) -> Callable[[subprocess.Popen], bool]:
    """Pool workers alive, dbt not started, and the WAL holding a batch of documents (hundreds of KB; the
    empty tables take 2 KB) whose size stayed the same over three looks: the commit is written, the next
    not yet."""
    wal = build.work_db.with_name(build.work_db.name + ".wal")
    seen = {"size": -1, "same": 0}

    def condition(process: subprocess.Popen) -> bool:
        group = _group(process.pid)
        pool = any("forkserver" in " ".join(cmd) for cmd in group)
        if not pool or any(Path(arg).name == "dbt" for cmd in group for arg in cmd):
            return False
        try:
            size = wal.stat().st_size
        except FileNotFoundError:
            return False
        seen["same"] = seen["same"] + 1 if size > 48 * 1024 and size == seen["size"] else 0
        seen["size"] = size
        return seen["same"] >= 3

    return condition


def dbt_created_a_model(build: Build) -> Callable[[subprocess.Popen], bool]:
    """dbt's log (<stem>.build/dbt.log, where `jiedao build` sends dbt's node lines) has a model created since
    this build started: only what the log gained counts, as it keeps earlier builds' lines."""
    log = build.work_db.parent / "dbt.log"
    start = log.stat().st_size if log.exists() else 0

    def condition(process: subprocess.Popen) -> bool:
        try:
            with log.open("rb") as handle:
                handle.seek(start)
                return b"OK created sql" in handle.read()
        except OSError:
            return False

    return condition


def publishing(build: Build) -> Callable[[subprocess.Popen], bool]:
    def condition(process: subprocess.Popen) -> bool:
        return any(build.db.parent.glob(f".{build.db.name}.*.tmp"))

    return condition


# --- reading warehouses ---------------------------------------------------------------------------------


def snapshot(db: Path, names: list[str] = MARTS) -> dict[str, list[tuple]]:
    """The tables `names` of a DuckDB file, sorted, without timestamp columns."""
    tables = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in names:
            schema, name = table.split(".")
            columns = [
                column
                for column, dtype in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns"
                    " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                    [schema, name],
                ).fetchall()
                if not dtype.startswith(("TIMESTAMP", "TIME"))
            ]
            assert columns, f"{table} missing from {db}"
            selected = ", ".join(f'"{column}"' for column in columns)
            tables[table] = con.execute(f"SELECT {selected} FROM {table} ORDER BY ALL").fetchall()
    return tables


def facts_per_document(db: Path) -> dict[str, int]:
    """Fact rows of every document in raw.documents ({} if the ingest never created its tables)."""
    if not db.exists():
        return {}
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            rows = con.execute(
                "SELECT d.document_id, count(f.fact_id) FROM raw.documents d"
                " LEFT JOIN raw.facts f USING (document_id) GROUP BY ALL"
            ).fetchall()
        except duckdb.CatalogException:
            return {}
    return dict(rows)


def leftovers(db: Path) -> list[str]:
    return sorted(path.name for path in db.parent.glob(f".{db.name}.*.tmp"))


@dataclass
class Scenario:
    n_files: int
    killed: dict[str, bool]
    committed_before_kill: dict[str, int]  # facts per document in the working file after the ingest kill
    r_facts_per_document: dict[str, int]
    published_after_early_kills: list[bool]  # did a published file exist after the ingest / dbt kills?
    s1: dict[str, list[tuple]]
    after_publish_kill: dict[str, list[tuple]]
    leftover_after_publish_kill: list[str]
    leftover_after_rerun: list[str]
    t_final: dict[str, list[tuple]]
    t_final_stdout: str
    r_fresh: dict[str, list[tuple]]
    r_rerun: dict[str, list[tuple]]
    r_rerun_stdout: str


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    work = tmp_path_factory.mktemp("faults")
    folder = work / "inbox"
    n_files = make_inbox(folder)
    t = Build(folder, work / "t" / "jiedao.duckdb", work / "t_dagster", work / "logs" / "t.log")
    killed = {"ingest": t.kill_when(ingest_committed(t))}
    committed_before_kill = facts_per_document(t.work_db)
    published_early = [t.db.exists()]
    killed["dbt"] = t.kill_when(dbt_created_a_model(t))
    published_early.append(t.db.exists())
    t.run()
    s1 = snapshot(t.db)

    (folder / "zz_new_report.txt").write_text(SEED_TEXTS[4].replace("前江", "望江"), encoding="utf-8")
    killed["publish"] = t.kill_when(publishing(t))
    after_publish_kill = snapshot(t.db)
    leftover = leftovers(t.db)
    t_final_stdout = t.run()
    t_final = snapshot(t.db) | snapshot(t.work_db, RAW_TABLES)
    leftover_after_rerun = leftovers(t.db)

    r = Build(folder, work / "r" / "jiedao.duckdb", work / "r_dagster", work / "logs" / "r.log")
    r.run()
    r_fresh = snapshot(r.db) | snapshot(r.work_db, RAW_TABLES)
    r_facts = facts_per_document(r.work_db)
    r_rerun_stdout = r.run()
    return Scenario(
        n_files,
        killed,
        committed_before_kill,
        r_facts,
        published_early,
        s1,
        after_publish_kill,
        leftover,
        leftover_after_rerun,
        t_final,
        t_final_stdout,
        r_fresh,
        snapshot(r.db) | snapshot(r.work_db, RAW_TABLES),
        r_rerun_stdout,
    )


def test_each_kill_happened_in_its_phase(scenario: Scenario) -> None:
    print(
        f"\nfault injection: {scenario.n_files} files; kills {scenario.killed}; "
        f"documents committed before the ingest kill: {len(scenario.committed_before_kill)}; "
        f"temporary files left by the publish kill: {scenario.leftover_after_publish_kill}"
    )
    assert scenario.killed == {"ingest": True, "dbt": True, "publish": True}
    # Killed before the last batch; what was committed is whole batches, each document with its facts.
    committed = scenario.committed_before_kill
    assert len(committed) < scenario.n_files
    assert len(committed) % BATCH_SIZE == 0
    assert committed == {doc: scenario.r_facts_per_document[doc] for doc in committed}


def test_nothing_is_published_by_a_build_killed_before_publishing(scenario: Scenario) -> None:
    assert scenario.published_after_early_kills == [False, False]


def test_a_build_killed_while_publishing_leaves_the_previous_file_intact(scenario: Scenario) -> None:
    assert scenario.after_publish_kill == scenario.s1


def test_the_next_build_removes_what_the_killed_publisher_left(scenario: Scenario) -> None:
    assert scenario.leftover_after_rerun == []


def test_after_the_kills_the_warehouse_equals_a_fresh_build(scenario: Scenario) -> None:
    # guards the scenario: the added report is in
    assert {table: scenario.t_final[table] for table in MARTS} != scenario.s1
    for table in TABLES:
        assert scenario.t_final[table] == scenario.r_fresh[table], table


def test_rerunning_a_build_changes_nothing(scenario: Scenario) -> None:
    assert f"files: 0 new, 0 changed, {scenario.n_files + 1} unchanged, 0 removed" in scenario.r_rerun_stdout
    for table in TABLES:
        assert scenario.r_rerun[table] == scenario.r_fresh[table], table
