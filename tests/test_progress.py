"""The parse's progress: a few plain lines when piped (never one per file), one redrawn line on a terminal."""

from __future__ import annotations

import io

from orchestration.progress import PIPED_INTERVAL_S, ParseProgress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(total: int, seconds_per_file: float, stream: io.StringIO) -> str:
    clock = Clock()
    progress = ParseProgress(total, stream, clock=clock)
    for _ in range(total):
        clock.now += seconds_per_file
        progress.advance()
    progress.finish()
    return stream.getvalue()


def test_piped_a_long_parse_prints_a_line_per_tenth_at_most():
    output = _run(10_000, 0.01, io.StringIO())  # 100 s
    lines = output.splitlines()
    assert 2 <= len(lines) <= 11, lines
    assert lines[0].startswith("parsing: ") and " of 10000 files, " in lines[0]
    assert lines[-1] == "parsed 10000 files in 100.0 s (100.0 files/s)"
    assert "\x1b" not in output and "\r" not in output


def test_piped_a_quick_parse_prints_one_line():
    lines = _run(5, PIPED_INTERVAL_S / 100, io.StringIO()).splitlines()
    assert lines == ["parsed 5 files in 0.5 s (10.0 files/s)"]


def test_nothing_to_parse_prints_nothing():
    assert _run(0, 1.0, io.StringIO()) == ""


def test_on_a_terminal_one_line_is_redrawn_and_ends_with_the_total():
    output = _run(1000, 0.01, Terminal())
    assert output.count("\n") == 1  # one line, redrawn in place
    assert "parsing [" in output and "/1000 files" in output
    assert output.endswith("\r\x1b[2Kparsed 1000 files in 10.0 s (100.0 files/s)\n")
