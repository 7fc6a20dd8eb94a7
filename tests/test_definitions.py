"""The Dagster code location as a reader of the UI sees it: assets, groups, lineage, checks and jobs.

A snapshot of names, as in dagster-open-platform: an accidental rename shows up here in review.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.publish import MART_TABLES


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.build import prepare_dbt_manifest

    prepare_dbt_manifest()
    from orchestration.definitions import defs

    return defs


def _graph(defs: dg.Definitions):
    return defs.resolve_asset_graph()


def test_asset_keys_and_groups(defs):
    graph = _graph(defs)
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw/documents"] == "ingest"
    assert groups["raw/facts"] == "ingest"
    assert groups["published_warehouse"] == "publish"
    for mart in MART_TABLES:
        assert groups[mart] == "marts", mart
    assert groups["stg_raw__facts"] == "staging"
    assert groups["metric_dictionary"] == "dictionaries"


def test_dbt_sources_hang_off_the_ingest_assets(defs):
    graph = _graph(defs)
    staging = graph.get(dg.AssetKey(["stg_raw__facts"]))
    assert dg.AssetKey(["raw", "facts"]) in staging.parent_keys
    published = graph.get(dg.AssetKey(["published_warehouse"]))
    assert dg.AssetKey(["targets_vs_actuals"]) in published.parent_keys


def test_checks_cover_ingest_and_dbt_tests(defs):
    check_keys = {key.to_user_string() for key in _graph(defs).asset_check_keys}
    assert "raw/facts:facts_have_spans" in check_keys
    assert "raw/documents:parsed_documents_yield_facts" in check_keys
    assert any(key.startswith("fct_metric_facts:") for key in check_keys)
    assert any(key.startswith("targets_vs_actuals:") for key in check_keys)
    # quarantined facts are reported by a check (a warning), not by a failed build
    assert "fct_quarantined_facts:no_facts_quarantined" in check_keys


def test_the_singular_test_of_several_marts_is_a_blocking_check_of_one(defs):
    # Without meta.dagster.ref it would be no check at all, and every build would log a warning about it.
    key = dg.AssetCheckKey(dg.AssetKey(["fct_metric_facts"]), "assert_mart_rows_trace_to_documents")
    graph = _graph(defs)
    assert key in graph.asset_check_keys
    assert graph.get_check_spec(key).blocking  # an error in dbt: a failure stops the publish as before


def test_every_asset_is_described_and_owned(defs):
    graph = _graph(defs)
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_materializable:
            assert node.description, key
            assert node.owners, key


def test_jobs_sensors_schedules(defs):
    assert defs.resolve_job_def("build_warehouse") is not None
    sensor = defs.resolve_sensor_def("reports_inbox_sensor")
    schedule = defs.resolve_schedule_def("daily_refresh")
    # both off until someone turns them on
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED


def test_runs_execute_in_one_process_unless_told_otherwise(defs, monkeypatch):
    from orchestration.defs.jobs import EXECUTOR_ENV, executor_name

    assert defs.resolve_job_def("build_warehouse").executor_def.name == "in_process"
    monkeypatch.setenv(EXECUTOR_ENV, "multiprocess")
    assert executor_name() == "multiprocess"
    monkeypatch.setenv(EXECUTOR_ENV, "threads")
    with pytest.raises(ValueError, match="expected one of"):
        executor_name()


def test_pipeline_dbt_runs_skip_unit_tests_and_reuse_one_target_folder(defs, monkeypatch):
    from orchestration.defs.dbt.assets import UNIT_TESTS_ENV, build_args
    from orchestration.defs.dbt.target import target_path

    assert build_args() == ["build", "--exclude-resource-type", "unit_test"]
    monkeypatch.setenv(UNIT_TESTS_ENV, "1")
    assert build_args() == ["build"]
    # one folder per working file, the same for every run on it (dbt's partial parse stays valid)
    first = target_path()
    assert target_path() == first
    monkeypatch.setenv("JIEDAO_DB", "/elsewhere/jiedao.duckdb")
    assert target_path() != first


def test_target_folders_of_vanished_working_files_are_removed(tmp_path, monkeypatch):
    from orchestration.defs.dbt.target import claim

    project = tmp_path / "dbt_project"
    monkeypatch.setenv("JIEDAO_DB", str(tmp_path / "gone" / "jiedao.duckdb"))
    gone = claim(project)
    kept_db = tmp_path / "kept" / "jiedao.build" / "jiedao.duckdb"
    kept_db.parent.mkdir(parents=True)
    kept_db.touch()
    monkeypatch.setenv("JIEDAO_DB", str(tmp_path / "kept" / "jiedao.duckdb"))
    kept = claim(project)
    unowned = project / "target" / "build-by-hand"
    unowned.mkdir()
    # Another build's sweep removes a folder between this one's listing and its reading the owner file.
    unreadable = project / "target" / "build-being-removed"
    unreadable.mkdir()
    (unreadable / "working_file.txt").write_text(str(tmp_path / "elsewhere.duckdb"))
    read_text = Path.read_text

    def vanishing(self: Path, *args, **kwargs) -> str:
        if self.parent == unreadable:
            raise FileNotFoundError(self)
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", vanishing)

    monkeypatch.setenv("JIEDAO_DB", str(tmp_path / "third" / "jiedao.duckdb"))
    third = claim(project)
    assert not gone.exists(), "its working file never existed"
    assert kept.exists() and third.exists() and unowned.exists() and unreadable.exists()
