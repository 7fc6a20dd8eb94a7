"""Start a build when the reports folder has changed and every file in it has stopped moving."""

from __future__ import annotations

import dagster as dg

from orchestration import inbox_watch, settings

# Defined in orchestration/defs/jobs.py; named, not imported, so this folder exports only what it defines.
BUILD_JOB = "build_warehouse"

# Every file that arrived is also recorded as a key of this dynamic partitions set: the instance keeps the
# list of arrivals (`instance.get_dynamic_partitions("documents")`). No asset is partitioned by it: the
# ingest keeps one incremental run over the whole folder (see docs/automation.md).
documents_partitions = dg.DynamicPartitionsDefinition(name="documents")

# Longer than a local copy of a report takes to finish between two looks, short enough to feel prompt.
INTERVAL_SECONDS = 30


def _valid_partition_key(name: str) -> bool:
    return not any(bad in name for bad in ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0"))


def _summary(changes: inbox_watch.InboxChanges) -> str:
    return f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed"


@dg.sensor(
    name="reports_inbox_sensor",
    job_name=BUILD_JOB,
    minimum_interval_seconds=INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Watches the reports folder (JIEDAO_REPORTS_DIR) and starts build_warehouse once files were "
    "added, changed or removed and every file has kept its size and mtime between two looks, so a file "
    "still being copied is not parsed. Off by default: turn it on under Automation.",
)
def reports_inbox_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    root = settings.reports_dir()
    state = inbox_watch.WatchState.from_json(context.cursor)
    if not root.is_dir():
        return dg.SensorResult(skip_reason=f"reports folder {root} does not exist", cursor=context.cursor)
    decision = inbox_watch.look(state, inbox_watch.snapshot(root))
    changes = decision.changes
    cursor = decision.next_state.to_json()
    if not decision.build:
        if changes.settling:
            shown = ", ".join(changes.settling[:5]) + (" ..." if len(changes.settling) > 5 else "")
            reason = f"waiting for {len(changes.settling)} file(s) to stop changing: {shown}"
        else:
            reason = f"no change in {root}"
        return dg.SensorResult(skip_reason=reason, cursor=cursor)
    context.log.info(f"inbox {root}: {_summary(changes)}; starting {BUILD_JOB} ({decision.run_key})")
    arrivals = [name for name in changes.added if _valid_partition_key(name)]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=decision.run_key,
                tags={
                    "jiedao/trigger": "reports_inbox_sensor",
                    "jiedao/files_added": str(len(changes.added)),
                    "jiedao/files_changed": str(len(changes.changed)),
                    "jiedao/files_removed": str(len(changes.removed)),
                },
            )
        ],
        dynamic_partitions_requests=([documents_partitions.build_add_request(arrivals)] if arrivals else []),
        cursor=cursor,
    )
