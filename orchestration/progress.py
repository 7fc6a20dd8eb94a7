"""Progress of the parse, for a person watching: one line that updates in place on a terminal, a few plain
lines when the output goes to a file or a pipe (never one per file).

Inside a Dagster step, stderr is the step's captured output (a pipe, mirrored to the console): the CLI,
which sees the real console, says by PROGRESS_ON_TERMINAL_ENV whether it is a terminal, and the bar is
then drawn on the terminal itself, so the captured log (the UI's) gets no redraws.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TextIO

from orchestration.settings import PROGRESS_ON_TERMINAL_ENV, env_flag

# Piped: a line when another tenth of the files is done, at most every PIPED_INTERVAL_S seconds.
PIPED_INTERVAL_S = 10.0
_TERMINAL_INTERVAL_S = 0.2  # redraws of the terminal line
_BAR_WIDTH = 24


class ParseProgress:
    """Counts files as they are parsed: `advance()` per file, `finish()` once at the end."""

    def __init__(self, total: int, stream: TextIO | None = None, *, clock=time.monotonic) -> None:
        self.total, self.done = total, 0
        self._terminal = _open_terminal() if stream is None and total else None
        self.stream = stream or self._terminal or sys.stderr
        self.clock = clock
        self.started = self._last_shown = clock()
        self._last_done = 0
        self.interactive = is_terminal(self.stream)

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if self.interactive:
            if now - self._last_shown >= _TERMINAL_INTERVAL_S:
                self._draw(now)
        elif (
            self.done < self.total  # the last file: finish() says it
            and self.done - self._last_done >= self.total / 10
            and now - self._last_shown >= PIPED_INTERVAL_S
        ):
            self._write(f"parsing: {self.done} of {self.total} files, {self._rate(now)}\n")
            self._last_done, self._last_shown = self.done, now

    def finish(self) -> None:
        """One closing line with the rate (none when there was nothing to parse); a terminal's bar is
        replaced by it."""
        if self.total == 0:
            return
        now = self.clock()
        files = f"{self.done} file{'' if self.done == 1 else 's'}"
        line = f"parsed {files} in {now - self.started:.1f} s ({self._rate(now)})"
        self._write(f"\r\x1b[2K{line}\n" if self.interactive else f"{line}\n")
        if self._terminal is not None:
            with contextlib.suppress(OSError):
                self._terminal.close()

    def _draw(self, now: float) -> None:
        filled = int(_BAR_WIDTH * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        self._write(f"\r\x1b[2Kparsing [{bar}] {self.done}/{self.total} files, {self._rate(now)}")
        self._last_shown = now

    def _rate(self, now: float) -> str:
        elapsed = now - self.started
        return f"{self.done / elapsed:.1f} files/s" if elapsed > 0 else "- files/s"

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken console must not fail the build
            pass


def _open_terminal() -> TextIO | None:
    """The controlling terminal, when the CLI said its console is one (None otherwise, or if it cannot be
    opened: a daemon, a container without a tty)."""
    if not env_flag(PROGRESS_ON_TERMINAL_ENV):
        return None
    try:
        return open("/dev/tty", "w", encoding="utf-8")
    except OSError:
        return None


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
