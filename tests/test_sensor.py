"""The inbox sensor: pure folder-watching logic, then the real sensor over real ticks on a real folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dagster as dg
import pytest

from ingest.inventory import is_report_file
from orchestration import inbox_watch
from orchestration.defs.automation.definitions import defs as automation_defs
from orchestration.defs.automation.sensors import reports_inbox_sensor
from orchestration.inbox_watch import FileState, WatchState

# mtimes set explicitly, so a test never depends on the filesystem's timestamp granularity
T0 = 1_700_000_000_000_000_000


def _write(path: Path, text: str, mtime_ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


# --- inbox_watch: snapshots and their comparison -------------------------------------------------------


def test_snapshot_lists_reports_and_skips_hidden_files(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "甲", T0)
    _write(tmp_path / "sub" / "b.html", "<p>乙</p>", T0 + 1)
    _write(tmp_path / ".a.txt.partial", "rsync writes here first", T0)
    _write(tmp_path / ".git" / "HEAD", "ref", T0)
    (tmp_path / "link-out").symlink_to("/etc/hostname")
    states = inbox_watch.snapshot(tmp_path)
    assert states == {
        "a.txt": FileState(len("甲".encode()), T0),
        "sub/b.html": FileState(len("<p>乙</p>".encode()), T0 + 1),
    }


def test_snapshot_lists_exactly_the_files_the_inventory_takes_for_reports(tmp_path: Path) -> None:
    # The snapshot walks with os.scandir for speed; what it lists must be what is_report_file accepts.
    _write(tmp_path / "a.txt", "甲", T0)
    _write(tmp_path / "sub" / "deeper" / "c.txt", "丙", T0 + 2)
    _write(tmp_path / "sub" / ".hidden" / "d.txt", "丁", T0)
    (tmp_path / "link-in.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "link-dir").symlink_to(tmp_path / "sub")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "empty").mkdir()
    expected = {
        path.relative_to(tmp_path).as_posix(): FileState(path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(tmp_path.rglob("*"))
        if is_report_file(path, tmp_path)
    }
    assert set(expected) == {"a.txt", "link-in.txt", "sub/deeper/c.txt"}
    assert inbox_watch.snapshot(tmp_path) == expected


def test_snapshot_walks_a_folder_nested_deeper_than_the_recursion_limit(tmp_path: Path) -> None:
    """The watcher and the sensor look at the folder every few seconds: a deep folder must not stop them."""
    from tests import badinputs

    (deep_name,) = badinputs.deep_folder(tmp_path)
    try:
        assert list(inbox_watch.snapshot(tmp_path)) == [deep_name]
    finally:
        badinputs.remove_tree(tmp_path)


def test_compare_reports_only_changes_that_held_still() -> None:
    settled = {"kept.txt": FileState(10, T0), "edited.txt": FileState(5, T0), "gone.txt": FileState(7, T0)}
    previous = {
        "kept.txt": FileState(10, T0),
        "edited.txt": FileState(6, T0 + 5),
        "new.txt": FileState(3, T0 + 5),
        "growing.txt": FileState(100, T0 + 5),
        "vanishing.txt": FileState(1, T0),
    }
    current = {
        "kept.txt": FileState(10, T0),
        "edited.txt": FileState(6, T0 + 5),
        "new.txt": FileState(3, T0 + 5),
        "growing.txt": FileState(200, T0 + 9),
    }
    changes = inbox_watch.compare(previous, current, settled)
    assert changes.added == ["new.txt"]
    assert changes.changed == ["edited.txt"]
    assert changes.removed == ["gone.txt"]
    assert changes.settling == ["growing.txt", "vanishing.txt"]
    assert changes.any and not changes.ready


def test_a_touched_file_of_the_same_size_is_a_change() -> None:
    settled = {"a.txt": FileState(10, T0)}
    seen_twice = {"a.txt": FileState(10, T0 + 1)}
    changes = inbox_watch.compare(seen_twice, seen_twice, settled)
    assert changes.changed == ["a.txt"] and changes.ready


def test_look_builds_once_per_quiet_state_and_again_when_a_file_comes_back() -> None:
    one = {"a.txt": FileState(10, T0)}
    state = WatchState()
    first = inbox_watch.look(state, one)  # first look: everything is new, so everything is settling
    assert not first.build and first.changes.settling == ["a.txt"]
    second = inbox_watch.look(first.next_state, one)
    assert second.build and second.changes.added == ["a.txt"]
    assert not inbox_watch.look(second.next_state, one).build
    # removed (seen absent twice), then back with the very same size and mtime: two builds, two run keys
    gone = inbox_watch.look(inbox_watch.look(second.next_state, {}).next_state, {})
    assert gone.build and gone.changes.removed == ["a.txt"]
    back = inbox_watch.look(inbox_watch.look(gone.next_state, one).next_state, one)
    assert back.build and back.changes.added == ["a.txt"]
    assert len({second.run_key, gone.run_key, back.run_key}) == 3


def test_watch_state_survives_json_and_a_broken_cursor_starts_afresh() -> None:
    state = WatchState({"a.txt": FileState(1, T0)}, {"b.txt": FileState(2, T0 + 1)}, 3)
    assert WatchState.from_json(state.to_json()) == state
    assert WatchState.from_json(None) == WatchState()
    assert WatchState.from_json("{not json") == WatchState()
    assert WatchState.from_json('{"v": 1}') == WatchState()


def test_fingerprint_depends_on_every_file_state() -> None:
    base = {"a.txt": FileState(1, T0), "b.txt": FileState(2, T0)}
    assert inbox_watch.fingerprint(base) == inbox_watch.fingerprint(dict(reversed(base.items())))
    assert inbox_watch.fingerprint(base) != inbox_watch.fingerprint({**base, "b.txt": FileState(2, T0 + 1)})


# --- the Dagster sensor, evaluated tick by tick against a real (temporary) instance ---------------------


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("JIEDAO_REPORTS_DIR", str(folder))
    return folder


def _tick(instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(instance=instance, cursor=cursor)
    result = reports_inbox_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def test_sensor_waits_while_a_file_grows_then_fires_once(inbox: Path) -> None:
    report = inbox / "000_new_report.txt"
    with dg.instance_for_test() as instance:
        _write(report, "一、2023年工作回顾\n", T0)
        first = _tick(instance, None)
        assert not first.run_requests and "waiting for 1 file" in first.skip_reason.skip_message

        # the copy goes on: the file grew since the last look
        with report.open("a", encoding="utf-8") as handle:
            handle.write("全年实现财政收入12.8亿元。\n")
        os.utime(report, ns=(T0 + 10**9, T0 + 10**9))
        growing = _tick(instance, first.cursor)
        assert not growing.run_requests and "000_new_report.txt" in growing.skip_reason.skip_message

        # the copy is done: same size and mtime as at the last look
        stable = _tick(instance, growing.cursor)
        assert len(stable.run_requests) == 1
        request = stable.run_requests[0]
        assert request.run_key and request.run_key.startswith("inbox-1-")
        assert request.tags["jiedao/files_added"] == "1"
        [partitions_request] = stable.dynamic_partitions_requests
        assert partitions_request.partitions_def_name == "documents"
        assert list(partitions_request.partition_keys) == ["000_new_report.txt"]

        again = _tick(instance, stable.cursor)
        assert not again.run_requests and "no change" in again.skip_reason.skip_message


def test_sensor_fires_for_an_edit_and_a_removal(inbox: Path) -> None:
    a, b = inbox / "a.txt", inbox / "b.txt"
    _write(a, "甲街道", T0)
    _write(b, "乙街道", T0)
    with dg.instance_for_test() as instance:
        built = _tick(instance, _tick(instance, None).cursor)
        assert len(built.run_requests) == 1

        _write(a, "甲街道2024", T0 + 1)
        b.unlink()
        seen = _tick(instance, built.cursor)
        assert not seen.run_requests  # both just moved: wait one more look
        settled = _tick(instance, seen.cursor)
        [request] = settled.run_requests
        assert request.tags["jiedao/files_changed"] == "1" and request.tags["jiedao/files_removed"] == "1"
        assert request.run_key != built.run_requests[0].run_key
        assert not settled.dynamic_partitions_requests  # no new arrival to record


def test_sensor_skips_when_the_folder_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIEDAO_REPORTS_DIR", str(tmp_path / "nowhere"))
    with dg.instance_for_test() as instance:
        result = _tick(instance, None)
    assert not result.run_requests and "does not exist" in result.skip_reason.skip_message


@pytest.mark.slow
def test_automation_is_off_by_default_and_targets_the_build_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """Merged with the project's code location, as orchestration/definitions.py does (dbt parse first)."""
    from orchestration.build import prepare_dbt_manifest

    # the dbt resource looks for `dbt` on PATH, as under `make test` or `jiedao`
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    prepare_dbt_manifest()
    from orchestration.definitions import defs as project_defs

    merged = dg.Definitions.merge(project_defs, automation_defs)
    dg.Definitions.validate_loadable(merged)
    sensor = merged.resolve_sensor_def("reports_inbox_sensor")
    schedule = merged.resolve_schedule_def("daily_refresh")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.minimum_interval_seconds == 30
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "0 6 * * *" and schedule.execution_timezone == "Asia/Shanghai"
    assert sensor.job_name == schedule.job_name == "build_warehouse"
