"""Run a server process (`dagster dev`) so that stopping its parent stops it and everything it started.

`dagster dev` starts a webserver, a daemon and code servers, and its runs start processes of their own.
Stopped by its PID, a parent that merely waits (`subprocess.call`) dies alone and leaves them serving the
port. Here the server gets a process group of its own; SIGTERM or SIGINT to the parent asks the server to
shut down as Ctrl-C would (SIGINT: dagster dev stops its children cleanly), and whatever of its group or of
its process tree is still alive after a grace period is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# Seconds dagster dev gets to stop its daemon, webserver and code servers after SIGINT, then after SIGTERM.
GRACE_SECONDS = (20.0, 5.0)
_PROC = Path("/proc")


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`, from /proc (empty where /proc is missing)."""
    parents: dict[int, list[int]] = {}
    for entry in _PROC.glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone while we looked
            continue
        # the command name, in parentheses, may hold spaces: fields after its closing parenthesis
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in parents.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _kill(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _exited(child: subprocess.Popen, timeout: float) -> bool:
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return False
    return True


def _stop(child: subprocess.Popen) -> None:
    """SIGINT to the server (its own clean shutdown), SIGTERM to its group, then SIGKILL for the rest."""
    tree = descendants(child.pid)  # now: once the leader is gone its orphans are out of reach
    if child.poll() is None:
        child.send_signal(signal.SIGINT)
        if not _exited(child, GRACE_SECONDS[0]):
            tree |= descendants(child.pid)
            _signal_group(child.pid, signal.SIGTERM)
            _exited(child, GRACE_SECONDS[1])
    # children finishing their own shutdown get a moment; then nothing of the server may remain
    alive(tree, deadline=GRACE_SECONDS[1])
    _signal_group(child.pid, signal.SIGKILL)
    _kill(alive(tree, deadline=0))
    if child.poll() is None:
        child.wait()


def run_supervised(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Run `command` until it exits or this process gets SIGTERM/SIGINT; then stop all of it. Returns the
    command's exit code, or 0 when it was stopped on request."""
    stop_requested: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        stop_requested.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        child = subprocess.Popen(list(command), cwd=cwd, env=env, start_new_session=True)
        try:
            while not stop_requested:
                try:
                    code = child.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    continue
                return code
            return 0
        finally:
            _stop(child)  # also when the server exited on its own: what it started must not outlive it
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def alive(pids: set[int], deadline: float = 0) -> set[int]:
    """The processes of `pids` still running (zombies count as gone) after up to `deadline` seconds."""
    end = time.monotonic() + deadline
    while True:
        running = {pid for pid in pids if _running(pid)}
        if not running or time.monotonic() >= end:
            return running
        time.sleep(0.2)


def _running(pid: int) -> bool:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
