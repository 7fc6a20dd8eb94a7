"""`jiedao watch`: keep the warehouse current from a process that stays up between refreshes.

The sensor's runs (reports_inbox_sensor) each start in a new process, as every Dagster run launched by the
daemon does: ~5 s of imports (Dagster, dagster-dbt, dbt-core) and several more of dbt's first invocation
(loading its parse, compiling its macros, opening the warehouse) before the first model runs, whatever
the size of the change. A watcher pays them once: it looks at the folder every `interval` seconds with the
sensor's own rule (inbox_watch: build once the folder is quiet and differs from the last built-for state)
and runs build_warehouse in this process, as an ordinary run on the Dagster instance (tagged
jiedao/trigger=watch, shown in the UI). Runs never overlap another writer: each step takes the working
file's writer lock, as runs of the daemon do.

The job's definitions (dbt manifest, extraction code) are those loaded at start: when the dbt project or
the parser's code changes on disk, the watcher starts itself anew so the next build uses them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orchestration import inbox_watch, settings

TRIGGER_TAGS = {"jiedao/trigger": "watch"}


def code_fingerprint() -> str:
    """What the loaded definitions were made from: the parser's code and dictionaries, and the dbt project."""
    from ingest.version import current_parser_fingerprint
    from orchestration.defs.dbt.manifest import project_digest

    return current_parser_fingerprint() + project_digest(settings.DBT_PROJECT_DIR)


def _restart() -> None:
    print("code or dbt project changed on disk: the watcher restarts to load it", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "orchestration.cli", *sys.argv[1:]])


def watch(
    reports_dir: Path,
    db_path: Path,
    interval: float,
    max_builds: int | None = None,
    log: Callable[[str], None] = print,
) -> int:
    """Build whenever the folder settles on a new state; return the last build's exit code once
    `max_builds` builds ran (never, by default: stop it with Ctrl-C)."""
    from orchestration.build import run_build, warm_up

    loaded = code_fingerprint()
    warm_up()
    log(f"watching {reports_dir} every {interval:g} s (warehouse {db_path})")
    state, builds, code = inbox_watch.WatchState(), 0, 0
    while max_builds is None or builds < max_builds:
        decision = inbox_watch.look(state, inbox_watch.snapshot(reports_dir))
        state = decision.next_state
        if decision.build:
            if code_fingerprint() != loaded:
                _restart()
            changes = decision.changes
            log(f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed")
            started = time.perf_counter()
            code = run_build(reports_dir, db_path, tags=TRIGGER_TAGS)
            builds += 1
            log(f"build {'finished' if code == 0 else 'failed'} in {time.perf_counter() - started:.1f} s")
            continue  # look again at once: files may have arrived during the build
        time.sleep(interval)
    return code
