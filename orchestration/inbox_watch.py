"""When is the reports folder worth a build? Snapshots of the folder, compared tick to tick (no Dagster).

A file being copied in grows between two looks at it, so it is "settling": nothing is started while any
file of the folder settles. Once every file has kept its size and mtime across two consecutive looks, the
folder is quiet, and if it differs from the state the last build was started for, one build is due. The
build then parses only what is new or changed (by content hash, in `ingest.inventory`); this module only
decides when to start one, from cheap `stat` calls, without reading any file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.inventory import is_report_file, stored_name, walk_folder


@dataclass(frozen=True, slots=True)
class FileState:
    size: int
    mtime_ns: int


Snapshot = dict[str, FileState]  # path relative to the folder (POSIX style) -> its state


def snapshot(root: Path) -> Snapshot:
    """Size and mtime of every report file below `root`; a file that vanishes while listed is left out.

    One `stat` per entry from `os.scandir`: a watcher looks every few seconds, and `Path.rglob` with
    separate link and file tests took ~1 s per look at 10,000 files. Links go through `is_report_file`.
    """
    states: Snapshot = {}
    for item in walk_folder(root):  # iterative, relative to folder descriptors: any depth
        entry = item.entry
        if entry is None:  # a folder that cannot be listed: the build reports it, the look goes on
            continue
        try:
            if entry.is_symlink():
                if not is_report_file(root.joinpath(*item.parts), root):
                    continue
                stat = entry.stat()
            elif entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
            else:
                continue
        except OSError:
            continue
        states[stored_name(item.parts)] = FileState(stat.st_size, stat.st_mtime_ns)
    return dict(sorted(states.items()))


def fingerprint(states: Snapshot) -> str:
    """A short stable digest of a whole snapshot: equal snapshots give equal fingerprints."""
    canonical = json.dumps(sorted((name, s.size, s.mtime_ns) for name, s in states.items()))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class InboxChanges:
    """What differs between the last built-for state and a folder seen twice, and what is still moving."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # appeared, grew, vanished or was touched since the last look
    settling: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def ready(self) -> bool:
        """A build is due: something changed and nothing is in the middle of being written."""
        return self.any and not self.settling


def compare(previous: Snapshot, current: Snapshot, settled: Snapshot) -> InboxChanges:
    """Stable changes of `current` against `settled` (the state the last build was started for).

    `previous` is the look before this one: a path counts only once its state (present with a size and
    mtime, or absent) is the same in both looks. Everything else is listed as settling.
    """
    names = previous.keys() | current.keys()
    settling = sorted(name for name in names if previous.get(name) != current.get(name))
    moving = set(settling)
    added = sorted(name for name in current if name not in moving and name not in settled)
    changed = sorted(
        name for name in current if name not in moving and name in settled and settled[name] != current[name]
    )
    removed = sorted(name for name in settled if name not in current and name not in moving)
    return InboxChanges(added, changed, removed, settling)


@dataclass(frozen=True, slots=True)
class WatchState:
    """What a watcher carries from one look to the next (a Dagster sensor keeps it as its cursor)."""

    seen: Snapshot = field(default_factory=dict)  # the folder at the last look
    settled: Snapshot = field(default_factory=dict)  # the folder when the last build was started
    # Builds started so far; part of the run key, so that a folder returning to an earlier state (a file
    # removed, then put back) still gets a build.
    builds: int = 0

    def to_json(self) -> str:
        def encode(states: Snapshot) -> dict[str, list[int]]:
            return {name: [s.size, s.mtime_ns] for name, s in sorted(states.items())}

        data = {"v": 1, "seen": encode(self.seen), "settled": encode(self.settled), "builds": self.builds}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str | None) -> WatchState:
        """The state of a cursor; a missing or unreadable one starts afresh (every file counts as new)."""
        if not text:
            return cls()
        try:
            data = json.loads(text)

            def decode(raw: dict[str, list[int]]) -> Snapshot:
                return {name: FileState(int(size), int(mtime)) for name, (size, mtime) in raw.items()}

            return cls(decode(data["seen"]), decode(data["settled"]), int(data["builds"]))
        except (ValueError, KeyError, TypeError):
            return cls()


@dataclass(frozen=True, slots=True)
class Look:
    """One look at the folder: what changed, whether to build, and the state to carry to the next look."""

    changes: InboxChanges
    build: bool
    run_key: str | None
    next_state: WatchState


def look(state: WatchState, current: Snapshot) -> Look:
    """Decide on one look: build once the folder is quiet and differs from the last built-for state."""
    changes = compare(state.seen, current, state.settled)
    if not changes.ready:
        return Look(changes, False, None, WatchState(current, state.settled, state.builds))
    run_key = f"inbox-{state.builds + 1}-{fingerprint(current)}"
    return Look(changes, True, run_key, WatchState(current, current, state.builds + 1))
