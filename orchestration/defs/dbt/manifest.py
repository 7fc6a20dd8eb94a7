"""Parse the dbt project only when it changed since the manifest was written.

`dbt parse` costs 8-20 s of CPU on these machines, and every Dagster run process (and `jiedao build`)
needs a manifest before it can define the dbt assets. A digest of every file dbt reads, stored beside
the manifest, tells whether the manifest on disk is still the project's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dagster_dbt import DbtProject

_SKIPPED_FOLDERS = {"target", "logs", "dbt_packages"}
_STAMP_NAME = "manifest.sources.sha256"


def project_digest(project_dir: Path) -> str:
    """Hash of the files dbt parses: models, tests, macros, seeds, project and profile files."""
    digest = hashlib.sha256()
    for path in sorted(project_dir.rglob("*")):
        relative = path.relative_to(project_dir)
        if path.is_file() and relative.parts[0] not in _SKIPPED_FOLDERS and not relative.name.startswith("."):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def prepare_manifest(project: DbtProject) -> bool:
    """Write target/manifest.json unless it is current; returns whether dbt parse ran."""
    manifest = Path(project.manifest_path)
    stamp = manifest.with_name(_STAMP_NAME)
    digest = project_digest(Path(project.project_dir))
    if manifest.exists() and stamp.exists() and stamp.read_text() == digest:
        return False
    project.preparer.prepare(project)
    stamp.write_text(digest)
    return True
