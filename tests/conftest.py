"""Shared fixtures: paths to the embedded seeds and gold, and one real build of the seeds per session."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
GOLD_SEEDS_DIR = Path(__file__).resolve().parent / "gold" / "seeds"
SHARED_DIR = REPO_ROOT.parent / "shared"


def read_gold(folder: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.csv")):
        if path.name != "documents.csv":
            with path.open(encoding="utf-8") as handle:
                rows.extend(csv.DictReader(handle))
    return rows


def copy_seeds(folder: Path, n: int = 2) -> Path:
    """`folder`, created, holding copies of the first `n` seed reports: a small real inbox."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS_DIR.glob("*.txt"))[:n]:
        shutil.copy(path, folder / path.name)
    return folder


def working_file(db: Path) -> Path:
    """The pipeline's working file of a published warehouse: the raw tables live there, not in `db`."""
    from orchestration.settings import work_db_path_for

    return work_db_path_for(db)


def run_jiedao(
    *args: str, env: dict[str, str] | None = None, timeout: int = 900
) -> subprocess.CompletedProcess:
    """Run the installed `jiedao` console script, with the venv's bin on PATH so dbt is found."""
    bin_dir = Path(sys.executable).parent
    full_env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})}
    return subprocess.run(
        [str(bin_dir / "jiedao"), *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=REPO_ROOT,
    )


@pytest.fixture(scope="session")
def seeds_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """The seeds built once, for real (Dagster run + dbt build), into a temporary warehouse laid out as the
    repository's (`<work>/warehouse/jiedao.duckdb`), so that the docs' relative paths work from `<work>`."""
    work = tmp_path_factory.mktemp("seeds_build")
    db = work / "warehouse" / "jiedao.duckdb"
    result = run_jiedao(
        "build", "--reports-dir", str(SEEDS_DIR), "--db", str(db), env={"DAGSTER_HOME": str(work / "dagster")}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return db, result


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules with slow tests first, each module still in one piece. `make test` spreads whole modules
    over workers (pytest-xdist, --dist loadfile) in this order: the long ones (real builds, minutes each)
    start early, and the short ones fill the gaps, so the workers finish together."""
    slow_files = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow_files)
