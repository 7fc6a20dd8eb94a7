"""One writing step at a time on a working file, whichever process runs it.

The pool `duckdb_writer` (granularity run) queues runs launched from the UI, the sensor and the schedule,
but `jiedao build` runs bypass the queue, and DuckDB's own lock lasts only while a connection is open, not
between the steps of a run. An exclusive `flock` on `<working file>.lock`, held by each writing step
(ingest, dbt, publish), serializes them; the kernel releases it when its process dies, even by kill -9.
The same lock keeps two processes from writing the dbt manifest at once (defs/dbt/manifest.py).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writer_lock(work: Path) -> Iterator[None]:
    """Wait until no other process writes `work`, then hold it until the block ends."""
    lock = work.with_name(work.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
