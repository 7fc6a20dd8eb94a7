"""Parse the dbt project only when it changed since the manifest was written.

`dbt parse` costs 8-20 s of CPU on these machines, and every Dagster run process (and `jiedao build`)
needs a manifest before it can define the dbt assets. A digest of every file dbt reads, stored beside
the manifest, tells whether the manifest on disk is still the project's.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import yaml
from dagster_dbt import DbtCliResource, DbtProject

from orchestration.writer_lock import writer_lock

_SKIPPED_FOLDERS = {"target", "logs", "dbt_packages"}
_STAMP_NAME = "manifest.sources.sha256"
# The dbt installed beside this interpreter: any shell can call the venv's python directly, without the
# venv's bin folder on PATH (where dagster-dbt's own preparer would look for `dbt`).
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


_PATH_KEYS = ("model-paths", "seed-paths", "test-paths", "macro-paths", "snapshot-paths", "analysis-paths")


def _outside_folders(project_dir: Path) -> list[Path]:
    """Folders dbt_project.yml names outside the project: the metric dictionary seed is the extractor's
    own file (ingest/data/lexicon), and a change to it must reach the digest too."""
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    root = project_dir.resolve()
    folders = []
    for key in _PATH_KEYS:
        for name in config.get(key) or []:
            folder = (project_dir / name).resolve()
            if folder != root and root not in folder.parents:
                folders.append(folder)
    return folders


def _project_files(project_dir: Path) -> list[Path]:
    """The files dbt reads, without descending into dbt's own output: target/ holds one folder of
    compiled SQL per working file and grows to tens of thousands of files, walked for nothing. Hidden
    files are left out (editor swap files, `.user.yml`), but not hidden folders: dbt parses models there."""
    files = []
    for top in [project_dir, *_outside_folders(project_dir)]:
        for folder, subfolders, names in os.walk(top):
            if Path(folder) == top:
                subfolders[:] = [name for name in subfolders if name not in _SKIPPED_FOLDERS]
            # Regular files only (links followed): a dangling link or a pipe is nothing dbt can read.
            files += [Path(folder, name) for name in names if not name.startswith(".")]
    return sorted(path for path in files if path.is_file())


def project_digest(project_dir: Path) -> str:
    """Hash of the files dbt parses: models, tests, macros, seeds, project and profile files."""
    digest = hashlib.sha256()
    for path in _project_files(project_dir):
        name = os.path.relpath(path, project_dir)
        digest.update(Path(name).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def prepare_manifest(project: DbtProject) -> bool:
    """Write target/manifest.json unless it is current; returns whether dbt parse ran."""
    manifest = Path(project.manifest_path)
    stamp = manifest.with_name(_STAMP_NAME)
    digest = project_digest(Path(project.project_dir))

    def current() -> bool:
        return manifest.exists() and stamp.exists() and stamp.read_text() == digest

    if current():
        return False
    # Two builds started together on a stale manifest (two warehouses, parallel tests): dagster-dbt
    # serializes their parses, but both would still parse (8-20 s each). Under this lock the second one
    # re-reads the stamp that the first wrote and finds the manifest current.
    with writer_lock(manifest):
        if current():
            return False
        # what dagster-dbt's preparer runs (the project has no packages to install), with our executable
        DbtCliResource(project_dir=project, dbt_executable=str(DBT_EXECUTABLE)).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()
        stamp.write_text(digest)
    return True
