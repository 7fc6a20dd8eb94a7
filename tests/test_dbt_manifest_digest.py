"""The digest that decides whether dbt must re-parse: every file dbt reads, nothing dbt writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from orchestration.defs.dbt.manifest import project_digest
from tests.conftest import REPO_ROOT


def _copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "dbt_project"
    ignore = shutil.ignore_patterns("target", "logs", "dbt_packages")
    shutil.copytree(REPO_ROOT / "dbt_project", project, ignore=ignore)
    return project


def test_output_folders_hidden_files_and_dangling_links_do_not_count(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    before = project_digest(project)
    for folder in ("target/build-0123/compiled", "logs", "dbt_packages/pkg"):
        (project / folder).mkdir(parents=True)
        (project / folder / "out.sql").write_text("select 1")
    (project / "models" / ".model.sql.swp").write_text("editor state")
    (project / "models" / "gone.sql").symlink_to(tmp_path / "nowhere.sql")
    assert project_digest(project) == before


def test_a_model_in_a_hidden_folder_counts(tmp_path: Path) -> None:
    """dbt parses models in hidden folders too: adding one must re-parse and rebuild."""
    project = _copy_project(tmp_path)
    before = project_digest(project)
    (project / "models" / ".drafts").mkdir()
    (project / "models" / ".drafts" / "draft_model.sql").write_text("select 1 as x")
    assert project_digest(project) != before


def test_a_changed_model_seed_or_nested_file_changes_it(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    seen = {project_digest(project)}
    model = next(project.glob("models/**/*.sql"))
    model.write_text(model.read_text() + "\n-- edited\n")
    seen.add(project_digest(project))
    (project / "models" / "marts" / "nested").mkdir(parents=True, exist_ok=True)
    (project / "models" / "marts" / "nested" / "new_model.sql").write_text("select 1 as x")
    seen.add(project_digest(project))
    seed = next(project.glob("seeds/*.csv"))
    seed.write_text(seed.read_text() + "\n")
    seen.add(project_digest(project))
    assert len(seen) == 4
