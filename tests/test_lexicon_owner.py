"""The metric dictionary has one owner: the extractor's data file, which dbt loads as its seed."""

from __future__ import annotations

from pathlib import Path

from ingest.metrics import METRIC_DICTIONARY, load_metric_dictionary
from orchestration.defs.dbt.manifest import _project_files

REPO = Path(__file__).resolve().parent.parent


def test_ingest_reads_no_file_of_the_dbt_project() -> None:
    for path in (REPO / "ingest").rglob("*.py"):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if "#" not in line)
        assert '"dbt_project"' not in code, path


def test_dbt_seeds_the_extractors_dictionary() -> None:
    assert METRIC_DICTIONARY.is_relative_to(REPO / "ingest" / "data")
    assert load_metric_dictionary()  # the extractor reads it
    # dbt reads it through seed-paths, and the project digest covers it (a change rebuilds the marts)
    assert METRIC_DICTIONARY.resolve() in {p.resolve() for p in _project_files(REPO / "dbt_project")}
    assert not (REPO / "dbt_project" / "seeds" / "metric_dictionary.csv").exists()
