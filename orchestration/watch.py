"""`jiedao watch`: keep the warehouse current from a process that stays up between refreshes.

The sensor's runs (reports_inbox_sensor) each start in a new process, as every Dagster run launched by the
daemon does: ~5 s of imports (Dagster, dagster-dbt, dbt-core) and several more of dbt's first invocation
(loading its parse, compiling its macros, opening the warehouse) before the first model runs, whatever
the size of the change. A watcher pays them once: it looks at the folder every `interval` seconds with the
sensor's own rule (inbox_watch: build once the folder is quiet and differs from the last built-for state)
and runs build_warehouse in this process, as an ordinary run on the Dagster instance (tagged
jiedao/trigger=watch, shown in the UI). Runs never overlap another writer: each step takes the working
file's writer lock, as runs of the daemon do.

The job's definitions (dbt manifest, extraction and orchestration code) are those loaded at start: when the
dbt project or the code changes on disk (checked at every look), the watcher starts itself anew, and its
first build then brings the warehouse in line with them.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orchestration import inbox_watch, settings

TRIGGER_TAGS = {"jiedao/trigger": "watch"}
_PACKAGE_DIR = Path(__file__).resolve().parent


def code_fingerprint(parser: str | None = None) -> str:
    """What definitions loaded now would be made from: the parser's files (or `parser`, the fingerprint the
    loaded parser stamps its documents with), the dbt project, and this package's code."""
    from ingest.version import current_parser_fingerprint
    from orchestration.defs.dbt.manifest import project_digest

    orchestration = hashlib.sha256()
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):
        orchestration.update(path.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    parser = parser or current_parser_fingerprint()
    return parser + project_digest(settings.DBT_PROJECT_DIR) + orchestration.hexdigest()


def _restart() -> None:
    print("code or dbt project changed on disk: the watcher restarts to load it", flush=True)
    # the interpreter's own command line: `jiedao watch ...` and `python -m orchestration.cli watch ...` alike
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def _changed_since(loaded: str) -> bool:
    try:
        return code_fingerprint() != loaded
    except OSError:  # a file removed or replaced while we read it: an edit in progress, look again later
        return False


def watch(
    reports_dir: Path,
    db_path: Path,
    interval: float,
    max_builds: int | None = None,
    log: Callable[[str], None] = print,
) -> int:
    """Build whenever the folder settles on a new state; return the last build's exit code once
    `max_builds` builds ran (never, by default: stop it with Ctrl-C). A build that fails, or raises, is
    reported and the watcher goes on."""
    from ingest.version import parser_fingerprint
    from orchestration.build import run_build, warm_up

    warm_up()
    loaded = code_fingerprint(parser_fingerprint())
    log(f"watching {reports_dir} every {interval:g} s (warehouse {db_path})")
    state, builds, code = inbox_watch.WatchState(), 0, 0
    while max_builds is None or builds < max_builds:
        if _changed_since(loaded):
            _restart()
        decision = inbox_watch.look(state, inbox_watch.snapshot(reports_dir))
        state = decision.next_state
        if not decision.build:
            time.sleep(interval)
            continue
        changes = decision.changes
        log(f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed")
        started = time.perf_counter()
        try:
            code = run_build(reports_dir, db_path, tags=TRIGGER_TAGS)
        except Exception as error:  # e.g. a dbt project that no longer parses: report, keep watching
            log(f"build raised {type(error).__name__}: {error}")
            code = 1
        builds += 1
        log(f"build {'finished' if code == 0 else 'failed'} in {time.perf_counter() - started:.1f} s")
        # no sleep: look again at once, files may have arrived during the build
    return code
