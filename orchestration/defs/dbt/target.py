"""The dbt target folder of a working file: one per file, reused by every run, pruned when the file is gone.

dbt's partial parse is only valid for the connection it was saved with (the file path is part of the
profile hash): a fresh folder per run, dagster-dbt's default, re-parses the whole project (5-8 s) whenever
the path differs from the one `dbt parse` saw, and leaves one folder (~10 MB) per run behind. Runs on one
file never overlap (the writer pool), so they can share its folder.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from orchestration import settings

_OWNER_FILE = "working_file.txt"


def target_path() -> Path:
    """The folder, relative to the dbt project, of the current working file (settings.work_db_path)."""
    key = hashlib.sha256(str(settings.work_db_path()).encode()).hexdigest()[:12]
    return Path("target") / f"build-{key}"


def claim(project_dir: Path) -> Path:
    """Create the current folder, note whose it is, and remove the folders of files that no longer exist
    (scratch warehouses of tests and benchmarks, moved warehouses)."""
    folder = project_dir / target_path()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _OWNER_FILE).write_text(str(settings.work_db_path()), encoding="utf-8")
    for other in folder.parent.glob("build-*"):
        if other == folder:
            continue
        try:
            owner = Path((other / _OWNER_FILE).read_text(encoding="utf-8"))
        except OSError:  # not claimed yet, or being removed by another build's sweep right now
            continue
        if not owner.exists():
            shutil.rmtree(other, ignore_errors=True)
    return folder
