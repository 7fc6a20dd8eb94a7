"""Parse many files: in worker processes when there are enough of them, each under a time limit.

Results come back in input order and one at a time, so a caller can stream them into the warehouse in
batches without holding every text in memory. The decoded text stays in the worker (only its length
travels back): the pipeline stores facts with their sentences, not whole documents.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from ingest.document import EMPTY_SHA256, display_name, parse_path, parse_read, unreadable
from ingest.files import DEFAULT_MAX_BYTES, FileBytes, read_file
from ingest.models import ParsedDocument

DEFAULT_TIME_LIMIT_S = 60.0
# Below this many files a pool costs more to start (imports and the jieba dictionary in each worker)
# than it saves.
MIN_FILES_FOR_POOL = 24


class ParseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` on the way swallows it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise ParseTimeout


def parse_with_limit(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, time_limit_s: float = DEFAULT_TIME_LIMIT_S
) -> ParsedDocument:
    """parse_path under a wall-clock limit; a document that takes longer is quarantined, not waited for.

    The limit uses SIGALRM, which only the main thread of a process can receive; elsewhere (a thread of
    a server) the document is parsed without a limit rather than not at all. When the alarm fires, the
    quarantine row is made from the bytes already read: nothing in this path opens the file again.
    """
    try:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    except ValueError:  # not the main thread
        return _slim(parse_path(path, max_bytes=max_bytes))
    name = display_name(Path(path))
    read: FileBytes | None = None
    try:
        signal.setitimer(signal.ITIMER_REAL, time_limit_s)  # inside the try: it may fire at once
        read = read_file(Path(path), max_bytes, no_links=True)  # the scan's paths are resolved
        return _slim(parse_read(read, name, max_bytes=max_bytes))
    except ParseTimeout:
        sha, size = (read.sha256, read.size) if read is not None else (EMPTY_SHA256, 0)
        reason = f"extraction timed out after {time_limit_s:g} s"
        return ParsedDocument(name, sha, size, "quarantined", reason=reason)
    except OSError as exc:  # vanished, unreadable or not a regular file mid-run: account for it
        return unreadable(name, exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _slim(parsed: ParsedDocument) -> ParsedDocument:
    """Keep the text's length, drop the text: it is not stored, and would only cost memory and IPC."""
    n_chars = len(parsed.text) if parsed.text is not None else None
    return replace(parsed, text=None, n_chars=n_chars)


def _worker_init() -> None:
    # Workers ignore Ctrl-C: the parent decides when the batch stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool_context() -> multiprocessing.context.BaseContext:
    """Where the workers come from: forked from a server process that has imported the extractor and
    loaded its dictionaries once (ingest.parse_server), rather than forking a parent that may hold threads
    and locks (Dagster's) or starting fresh interpreters that would each import and load it all again."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ingest.parse_server"])
    return context


def parse_many(
    paths: Iterable[Path],
    *,
    workers: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Iterator[ParsedDocument]:
    """Parse `paths` in order; with `workers` > 1 and enough files, in a pool of worker processes."""
    paths = list(paths)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(paths) < MIN_FILES_FOR_POOL:
        for path in paths:
            yield parse_with_limit(path, max_bytes=max_bytes, time_limit_s=time_limit_s)
        return
    context = pool_context()
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init) as pool:
            chunksize = max(1, min(32, len(paths) // (workers * 8)))
            limits = ([max_bytes] * len(paths), [time_limit_s] * len(paths))
            for parsed in pool.map(_parse_one, paths, *limits, chunksize=chunksize):
                yield parsed
                done += 1
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish the batch here rather than lose it.
        for path in paths[done:]:
            yield parse_with_limit(path, max_bytes=max_bytes, time_limit_s=time_limit_s)


def _parse_one(path: Path, max_bytes: int, time_limit_s: float) -> ParsedDocument:
    return parse_with_limit(path, max_bytes=max_bytes, time_limit_s=time_limit_s)
