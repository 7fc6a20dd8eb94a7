"""Bad input kinds for the robustness suite: each writes files into a reports folder and says what to expect.

A kind writes one or more files (or links, pipes, folders) into the folder it is given and returns the
rows it expects in `raw.documents`, keyed by source file: parsed, quarantined with a reason naming the
problem, or either. Entries that are not report files by design (hidden files, links leading out of the
folder, loops, pipes) are expected to leave no row, and must not stop the run either.

Some faults happen during the run, not before it: a kind's `during_parse` acts on its file after the
folder was scanned and before the file is parsed (deleted, replaced by a folder, rewritten).

`python -m tests.badinputs` runs every kind through the ingest layer and prints the figures of
docs/robustness.md.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import opencc

from ingest.batch import parse_many
from ingest.models import ParsedDocument
from tests.conftest import SEEDS_DIR
from tests.test_formats import pdf_document, portal_page

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in SEEDS]

PARSED, QUARANTINED, DUPLICATE, ANY = "parsed", "quarantined", "duplicate", "any"


@dataclass(frozen=True, slots=True)
class Expect:
    status: str  # PARSED, QUARANTINED, DUPLICATE or ANY
    words: tuple[
        str, ...
    ] = ()  # when quarantined or a duplicate, the reason contains one of these (any, if empty)


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    make: Callable[[Path], dict[str, Expect]]
    # Applied to the named file (relative to the folder) after the scan, before parsing.
    during_parse: dict[str, Callable[[Path], None]] = field(default_factory=dict)


# --- material -----------------------------------------------------------------------------------------

_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_counter = iter(range(10_000))


def variant(seed: int = 0) -> str:
    """A seed report made unique by a closing line without digits: never a duplicate, the same facts."""
    k = next(_counter)
    mark = _STEMS[k % 10] + _BRANCHES[(k // 10) % 12] + _STEMS[(k // 120) % 10]
    return SEED_TEXTS[seed % len(SEED_TEXTS)] + f"\n（本件为测试副本，编号{mark}。）\n"


def traditional_big5(text: str) -> bytes:
    """The text in traditional characters, Big5-encoded, dropping what Big5 cannot hold (as real files do)."""
    converted = opencc.OpenCC("s2t").convert(text)
    return b"".join(ch.encode("big5") for ch in converted if _in_big5(ch))


def _in_big5(ch: str) -> bool:
    try:
        ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def simple_docx(text: str) -> bytes:
    """A Word file with one paragraph per line of the text."""
    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sprinkle(text: str, chars: str, every: int) -> str:
    """Insert chars[i % len] after every `every` characters."""
    out = []
    for index, ch in enumerate(text):
        out.append(ch)
        if index % every == every - 1:
            out.append(chars[(index // every) % len(chars)])
    return "".join(out)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _one(name: str, data: Callable[[], bytes | str], expect: Expect) -> Callable[[Path], dict[str, Expect]]:
    def make(folder: Path) -> dict[str, Expect]:
        _write(folder, name, data())
        return {name: expect}

    return make


# --- the kinds ----------------------------------------------------------------------------------------

NOT_TEXT = ("not text", "binary", "undecodable")
NO_CONTENT = ("no report content", "empty")


def _truncated_utf8() -> bytes:
    data = variant(0).encode("utf-8")[:5001]
    while data[-1] < 0xC0:  # stop right after the lead byte of a multi-byte character
        data = data[:-1]
    return data


def _duplicate(folder: Path) -> dict[str, Expect]:
    data = variant(1).encode()
    _write(folder, "dup_a_original.txt", data)
    _write(folder, "dup_b_copy.txt", data)
    return {"dup_a_original.txt": Expect(PARSED), "dup_b_copy.txt": Expect(DUPLICATE, ("duplicate of",))}


def _corrupt_docx() -> bytes:
    data = simple_docx(SEED_TEXTS[2])
    # The zip's directory sits at its end: cut it off and flip bytes inside the first member.
    broken = bytearray(data[: len(data) // 2])
    for offset in range(200, min(len(broken), 2000), 97):
        broken[offset] ^= 0xFF
    return bytes(broken)


def _zip_not_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", SEED_TEXTS[0])
    return buffer.getvalue()


def _symlink_outside(folder: Path) -> dict[str, Expect]:
    outside = folder.parent / f"{folder.name}_outside"  # beside the folder: cleaned up with it
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text(variant(0), encoding="utf-8")
    (folder / "link_to_outside_file.txt").symlink_to(outside / "secret.txt")
    (folder / "link_to_outside_dir").symlink_to(outside)
    (folder / "link_to_etc_passwd").symlink_to("/etc/passwd")
    return {}


def _symlink_loop(folder: Path) -> dict[str, Expect]:
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "loop_self_dir").symlink_to(".")
    return {}


def _symlink_inside(folder: Path) -> dict[str, Expect]:
    _write(folder, "link_target.txt", variant(3))
    (folder / "link_target_zz_alias.txt").symlink_to("link_target.txt")
    return {
        "link_target.txt": Expect(PARSED),
        "link_target_zz_alias.txt": Expect(DUPLICATE, ("duplicate",)),
    }


def _dangling_symlink(folder: Path) -> dict[str, Expect]:
    (folder / "dangling.txt").symlink_to("does_not_exist.txt")
    return {}


def _fifo(folder: Path) -> dict[str, Expect]:
    os.mkfifo(folder / "named_pipe.txt")  # reading it would block forever
    return {}


def _subfolder(folder: Path) -> dict[str, Expect]:
    _write(folder, "sub/dir/report in sub.txt", variant(4))
    return {"sub/dir/report in sub.txt": Expect(PARSED)}


def _hidden(folder: Path) -> dict[str, Expect]:
    _write(folder, ".hidden_report.txt", variant(0))
    _write(folder, ".hidden_dir/report.txt", variant(1))
    _write(folder, ".~lock.report.docx#", "lock")
    return {}


def _non_utf8_name(folder: Path) -> dict[str, Expect]:
    raw = os.fsencode(folder) + b"/gbk_name_" + "报告".encode("gbk") + b".txt"
    with open(raw, "wb") as handle:
        handle.write(variant(2).encode())
    return {_stored_name(os.fsdecode(raw), folder): Expect(PARSED)}


def _stored_name(path: str, folder: Path) -> str:
    """How the warehouse should spell a file name whose bytes are not UTF-8: U+FFFD for each bad byte."""
    relative = Path(path).relative_to(folder).as_posix()
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _vanishes(path: Path) -> None:
    path.unlink()


def _becomes_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("这是文件夹里的文件", encoding="utf-8")


def _rewritten(path: Path) -> None:
    path.write_text(variant(1), encoding="utf-8")


def _becomes_fifo(path: Path) -> None:
    """A pipe in place of the file: opening it for reading without O_NONBLOCK blocks forever."""
    path.unlink()
    os.mkfifo(path)


def _becomes_link_to_dev_zero(path: Path) -> None:
    """A link to an endless file: reading it without a limit fills the memory."""
    path.unlink()
    path.symlink_to("/dev/zero")


def _becomes_link_outside(path: Path) -> None:
    """A link to a file outside the folder, swapped in after the scan checked that it is a plain file."""
    outside = path.parent.parent / f"{path.parent.name}_outside_swap.txt"  # beside the folder
    outside.write_text(variant(3), encoding="utf-8")
    path.unlink()
    path.symlink_to(outside)


def _folder_becomes_link_outside(path: Path) -> None:
    """The file's folder moved out and replaced by a link to a folder outside holding a file of that name:
    only the last component of a path is opened with O_NOFOLLOW, so this needs the parse to refuse links
    on the whole way."""
    folder = path.parent
    inbox = folder.parent
    outside = inbox.parent / f"{inbox.name}_outside_folder"
    outside.mkdir(exist_ok=True)
    (outside / path.name).write_text(variant(0), encoding="utf-8")
    folder.rename(inbox.parent / f"{inbox.name}_moved_{folder.name}")
    folder.symlink_to(outside)


DEEP_LEVELS = 1_100


def deep_folder(folder: Path) -> dict[str, Expect]:
    """A report 1,100 folders down: more levels than Python's recursion limit, a path beyond PATH_MAX."""
    parts = ["d"] * DEEP_LEVELS
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:  # created relative to the parent: the full path is too long to name
            os.mkdir(part, dir_fd=fd)
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        report = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(report, variant(0).encode())
        os.close(report)
    finally:
        os.close(fd)
    return {"/".join([*parts, "deep.txt"]): Expect(PARSED)}


def _long_path(folder: Path) -> dict[str, Expect]:
    """A path of 5,000 bytes through 20 folders with 250-byte names (each name within NAME_MAX)."""
    parts = [f"{index:02d}" + "长" * 82 for index in range(20)]  # 2 + 82 * 3 = 248 bytes
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            os.mkdir(part, dir_fd=fd)
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        report = os.open("long.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(report, variant(1).encode())
        os.close(report)
    finally:
        os.close(fd)
    return {"/".join([*parts, "long.txt"]): Expect(PARSED)}


def _name_kind(name: str, label: str, seed: int) -> Kind:
    return Kind(f"file name: {label}", _one(name, lambda: variant(seed), Expect(PARSED)))


def _mixed_endings() -> str:
    lines = variant(3).split("\n")
    return "".join(line + ("\r\n", "\r", "\n")[index % 3] for index, line in enumerate(lines))


def _no_numbers() -> str:
    return "".join(ch for ch in variant(0) if not ch.isdigit() and ch not in "%％.")


def _deep_html() -> str:
    body = "".join(f"<p>{line}</p>" for line in variant(1).splitlines())  # a variant: no duplicate of seed 1
    depth = 50_000
    return "<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>"


def _html_with_scripts() -> str:
    page = portal_page("utf-8", variant(4))
    evil = (
        "<script>for(var i=0;i<100;i++){document.write('全年财政收入999亿元，增长99%');}</script>"
        "<script type='text/template'><p>模板里的财政收入888亿元</p></script>"
        "<style>p:after{content:'增长77%'}</style><iframe src='javascript:alert(1)'></iframe>"
    )
    return page.replace("</head>", evil + "</head>").replace("</body>", evil + "</body>")


def _html_charset_lie() -> bytes:
    return portal_page("utf-8", variant(2)).encode("gbk", "replace")


def _mixed_encodings() -> bytes:
    text = variant(0)
    half = len(text) // 2
    return text[:half].encode("utf-8") + text[half:].encode("gbk", "replace")


KINDS: list[Kind] = [
    Kind("truncated multi-byte UTF-8", _one("truncated_utf8.txt", _truncated_utf8, Expect(PARSED))),
    Kind(
        "random bytes",
        _one("random.bin", lambda: random.Random(7).randbytes(4096), Expect(QUARANTINED, NOT_TEXT)),
    ),
    Kind(
        "PNG header",
        _one(
            "image.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, Expect(QUARANTINED, ("PNG",))
        ),
    ),
    Kind(
        "ELF header",
        _one("program.txt", lambda: b"\x7fELF\x02\x01\x01" + bytes(2000), Expect(QUARANTINED, NOT_TEXT)),
    ),
    Kind("empty file", _one("empty.txt", lambda: b"", Expect(QUARANTINED, ("empty",)))),
    Kind(
        "whitespace only",
        _one("blank.txt", lambda: " \t\r\n\u3000\u00a0\n" * 50, Expect(QUARANTINED, ("empty",))),
    ),
    Kind("UTF-8 BOM only", _one("bom_only.txt", lambda: b"\xef\xbb\xbf", Expect(QUARANTINED, ("empty",)))),
    Kind("1-byte file", _one("one_byte.txt", lambda: b"x", Expect(QUARANTINED, NO_CONTENT))),
    Kind(
        "zero-width characters",
        _one(
            "zero_width.txt",
            lambda: sprinkle(variant(1), "\u200b\u200c\u200d\u2060\ufeff\u00ad", 7),
            Expect(PARSED),
        ),
    ),
    Kind(
        "50 MB file (over the size limit)",
        _one(
            "huge_50mb.txt",
            lambda: (SEED_TEXTS[0] * 3000).encode()[: 50 * 2**20],
            Expect(QUARANTINED, ("too large",)),
        ),
    ),
    Kind("HTML with scripts", _one("page_with_scripts.html", _html_with_scripts, Expect(PARSED))),
    Kind("deeply nested HTML", _one("deep.html", _deep_html, Expect(ANY, ("html", "HTML", "page")))),
    Kind("HTML whose charset lies", _one("charset_lie.htm", _html_charset_lie, Expect(ANY))),
    Kind("GBK copy", _one("copy_gbk.txt", lambda: variant(0).encode("gbk"), Expect(PARSED))),
    Kind(
        "GB18030 (beyond GBK)",
        _one("copy_gb18030.txt", lambda: (variant(1) + "\n𠀀𪚥€\n").encode("gb18030"), Expect(PARSED)),
    ),
    Kind("Big5 (traditional)", _one("copy_big5.txt", lambda: traditional_big5(variant(2)), Expect(PARSED))),
    Kind("UTF-16 with BOM", _one("copy_utf16.txt", lambda: variant(3).encode("utf-16"), Expect(PARSED))),
    Kind(
        "UTF-16 without BOM",
        _one("copy_utf16le_nobom.txt", lambda: variant(3).encode("utf-16-le"), Expect(ANY, NOT_TEXT)),
    ),
    Kind("UTF-32 with BOM", _one("copy_utf32.txt", lambda: variant(4).encode("utf-32"), Expect(PARSED))),
    Kind("UTF-8 BOM", _one("copy_utf8_bom.txt", lambda: variant(4).encode("utf-8-sig"), Expect(PARSED))),
    Kind("half UTF-8, half GBK", _one("mixed_encodings.txt", _mixed_encodings, Expect(ANY, NOT_TEXT))),
    Kind(
        "Windows-1252 English",
        _one(
            "english.txt",
            lambda: "Caf\u00e9 report: revenue grew 12.5% to \u20ac3m.\n".encode("cp1252") * 20,
            Expect(QUARANTINED, ("no Chinese", "undecodable", "no report content")),
        ),
    ),
    Kind("duplicate (same bytes, other name)", _duplicate),
    Kind("mixed line endings", _one("mixed_endings.txt", _mixed_endings, Expect(PARSED))),
    Kind("report with no numbers", _one("no_numbers.txt", _no_numbers, Expect(QUARANTINED, ("no numbers",)))),
    Kind(
        "only numbers",
        _one(
            "only_numbers.txt",
            lambda: "12.8 25% 3,456 2023-01-01\n" * 200,
            Expect(QUARANTINED, ("no Chinese",)),
        ),
    ),
    Kind(
        "extremely long single line",
        _one("long_line.txt", lambda: variant(0).replace("\n", "") * 20, Expect(ANY, ("timed out",))),
    ),
    Kind(
        "corrupt .docx",
        _one("corrupt.docx", _corrupt_docx, Expect(QUARANTINED, ("docx", "Word", "ZIP", "zip"))),
    ),
    Kind(
        "truncated PDF",
        _one(
            "truncated.pdf", lambda: pdf_document(SEED_TEXTS[1])[:3000], Expect(QUARANTINED, ("PDF", "pdf"))
        ),
    ),
    Kind("ZIP that is not a .docx", _one("archive.zip", _zip_not_docx, Expect(QUARANTINED, ("ZIP", "zip")))),
    Kind("plain text named .docx", _one("plain_text.docx", lambda: variant(1), Expect(PARSED))),
    Kind(
        "NUL bytes inside text",
        _one(
            "nul_bytes.txt",
            lambda: sprinkle(variant(2), "\x00", 500),
            Expect(ANY, ("NUL", "not text", "binary")),
        ),
    ),
    Kind(
        "control characters",
        _one(
            "controls.txt", lambda: sprinkle(variant(3), "\x01\x07\x1b\x7f\x85", 300), Expect(ANY, NOT_TEXT)
        ),
    ),
    Kind(
        "boilerplate only (字体 大 中 小 打印 关闭)",
        _one(
            "boilerplate.txt",
            lambda: "[ 字体：大 中 小 ] 【打印】【关闭】\n首页 > 政务公开\n" * 40,
            Expect(QUARANTINED, NO_CONTENT),
        ),
    ),
    _name_kind("报告 2023 (副本).txt", "spaces and parentheses", 0),
    _name_kind('it\'s "quoted" `x`.txt', "quotes", 1),
    _name_kind("昌硕街道2022年工作总结.txt", "Chinese", 2),
    _name_kind("a;b;rm -rf x.txt", "semicolon", 3),
    _name_kind("-leading-dash.txt", "leading dash", 4),
    _name_kind("'; DROP TABLE raw.facts; --", "SQL: '; DROP TABLE raw.facts; --", 0),
    _name_kind("x'); DROP TABLE raw.facts; --.txt", "SQL: x'); DROP TABLE raw.facts; --", 1),
    _name_kind("line\nbreak\ttab.txt", "newline and tab", 2),
    _name_kind("$(touch pwned) ${HOME}.txt", "shell expansions", 3),
    Kind("file name: non-UTF-8 bytes", _non_utf8_name),
    Kind("symlink pointing outside the folder", _symlink_outside),
    Kind("symlink inside the folder (alias of a report)", _symlink_inside),
    Kind("symlink loop", _symlink_loop),
    Kind("dangling symlink", _dangling_symlink),
    Kind("named pipe (FIFO)", _fifo),
    Kind("subfolder", _subfolder),
    Kind("hidden files and folders", _hidden),
    Kind(
        "file vanishes mid-run",
        _one("vanishes.txt", lambda: variant(0), Expect(QUARANTINED, ("unreadable", "No such file"))),
        during_parse={"vanishes.txt": _vanishes},
    ),
    Kind(
        "file replaced by a directory mid-run",
        _one("becomes_dir.txt", lambda: variant(1), Expect(QUARANTINED, ("unreadable", "directory"))),
        during_parse={"becomes_dir.txt": _becomes_directory},
    ),
    Kind(
        "file replaced by a named pipe mid-run",
        _one("becomes_fifo.txt", lambda: variant(2), Expect(QUARANTINED, ("named pipe",))),
        during_parse={"becomes_fifo.txt": _becomes_fifo},
    ),
    Kind(
        "file replaced by a link to /dev/zero mid-run",
        _one("becomes_dev_zero.txt", lambda: variant(3), Expect(QUARANTINED, ("symbolic link",))),
        during_parse={"becomes_dev_zero.txt": _becomes_link_to_dev_zero},
    ),
    Kind(
        "file replaced by a link to a file outside the folder mid-run",
        _one("becomes_outside_link.txt", lambda: variant(4), Expect(QUARANTINED, ("symbolic link",))),
        during_parse={"becomes_outside_link.txt": _becomes_link_outside},
    ),
    Kind(
        "folder replaced by a link to a folder outside mid-run",
        _one("swapped_dir/report.txt", lambda: variant(1), Expect(QUARANTINED, ("symbolic link",))),
        during_parse={"swapped_dir/report.txt": _folder_becomes_link_outside},
    ),
    Kind(f"folders nested {DEEP_LEVELS} deep", deep_folder),
    Kind("path longer than PATH_MAX (5,000 bytes)", _long_path),
    Kind(
        "file rewritten between scan and parse",
        _one("rewritten.txt", lambda: variant(2), Expect(PARSED)),
        during_parse={"rewritten.txt": _rewritten},
    ),
]


def make_folder(
    folder: Path, kinds: list[Kind]
) -> tuple[dict[str, Expect], dict[str, Callable[[Path], None]]]:
    """Write every kind into `folder`: the expected rows and the mid-run faults, by source file."""
    expected: dict[str, Expect] = {}
    faults: dict[str, Callable[[Path], None]] = {}
    for kind in kinds:
        rows = kind.make(folder)
        assert not set(rows) & set(expected), f"{kind.name}: a file name is used twice"
        expected |= rows
        faults |= kind.during_parse
    return expected, faults


def faulty_parse(folder: Path, faults: dict[str, Callable[[Path], None]]):
    """A `parse_files` for refresh_raw_tables that applies the faults first, then parses as usual."""

    def parse(paths: list[Path]) -> Iterator[ParsedDocument]:
        for path in paths:
            fault = faults.get(path.relative_to(folder).as_posix())
            if fault:
                fault(path)
        return parse_many(paths)

    return parse


def regular_files(folder: Path) -> set[str]:
    """Non-hidden regular files below `folder`, and links to such files inside it: each must have a row.

    Links that leave the folder, dangling links and loops are not report files; neither are pipes.
    Listed by find(1), not by the code under test (nor os.walk, which recurses and fails on paths beyond
    PATH_MAX): find walks any depth.
    """
    listing = subprocess.run(
        ["find", "-P", ".", "-mindepth", "1", "-name", ".*", "-prune", "-o", "-printf", "%y%p\\0"],
        cwd=folder,
        capture_output=True,
        check=True,
    ).stdout
    found = set()
    for raw in filter(None, listing.split(b"\0")):
        kind, relative = raw[:1], os.fsdecode(raw[3:])  # the type letter, then the path without "./"
        path = folder / relative
        if kind == b"l" and not (_inside(os.path.realpath(path), folder) and path.is_file()):
            continue
        if kind in (b"f", b"l"):
            found.add(_stored_name(str(path), folder))
    return found


def remove_tree(path: Path) -> None:
    """rm -rf: shutil.rmtree recurses, and fails on the 1,100-deep folder (so would pytest's own cleanup
    of old temporary folders, later)."""
    subprocess.run(["rm", "-rf", "--", str(path)], check=False)


def _inside(target: str, folder: Path) -> bool:
    return Path(target).is_relative_to(folder.resolve())


# --- figures ------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    crashed: str | None = None  # the exception, if the run raised
    lost: list[str] = field(default_factory=list)  # regular files without a row
    unexpected: list[str] = field(default_factory=list)  # rows that break the kind's expectation
    rows: list[tuple[str, str, str | None]] = field(default_factory=list)  # (file, status, reason)


def check_rows(
    expected: dict[str, Expect], present_before: set[str], rows: list[tuple[str, str, str | None]]
) -> tuple[list[str], list[str]]:
    """(files lost, broken expectations) for the rows that one run left in raw.documents."""
    by_file = {name: (status, reason) for name, status, reason in rows}
    problems = []
    if len(by_file) != len(rows):
        problems.append("a source file has more than one row")
    lost = sorted(name for name in present_before | set(expected) if name not in by_file)
    for name in sorted(set(by_file) - set(expected)):
        problems.append(f"unexpected row {name!r}")
    for name, expect in expected.items():
        if name not in by_file:
            continue
        status, reason = by_file[name]
        if expect.status != ANY and status != expect.status:
            problems.append(f"{name!r}: {status} ({reason}), expected {expect.status}")
        if status in (QUARANTINED, DUPLICATE):
            if not (reason or "").strip():
                problems.append(f"{name!r}: {status} without a reason")
            elif expect.words and not any(word in reason for word in expect.words):
                problems.append(f"{name!r}: reason {reason!r} names none of {expect.words}")
    return lost, problems


def run_kind(kind: Kind, workdir: Path) -> Outcome:
    """One kind alone in a fresh folder and an in-memory warehouse, through refresh_raw_tables."""
    import duckdb

    from orchestration.refresh import refresh_raw_tables

    folder = workdir / "inbox"
    outcome = Outcome(kind.name)
    try:
        folder.mkdir(parents=True)
        expected, faults = make_folder(folder, [kind])
        before = regular_files(folder)
        with duckdb.connect() as con:
            refresh_raw_tables(con, folder, parse_files=faulty_parse(folder, faults))
            outcome.rows = con.execute("SELECT source_file, status, reason FROM raw.documents").fetchall()
    except Exception as exc:
        outcome.crashed = "".join(traceback.format_exception_only(exc)).strip().splitlines()[-1]
        # A run that raises stores nothing (and `jiedao build` publishes nothing): every file is lost.
        outcome.lost = sorted(regular_files(folder)) if folder.is_dir() else []
        return outcome
    outcome.lost, outcome.unexpected = check_rows(expected, before, outcome.rows)
    return outcome


def main() -> int:
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="jiedao_bad_") as tmp:
        for index, kind in enumerate(KINDS):
            outcome = run_kind(kind, Path(tmp) / f"k{index:02d}")
            remove_tree(Path(tmp) / f"k{index:02d}")
            outcomes.append(outcome)
    print("| kind | outcome |")
    print("|---|---|")
    for outcome in outcomes:
        if outcome.crashed:
            shown = f"**CRASH** {outcome.crashed}"
        elif not outcome.rows:
            shown = "no row (not a report file)"
        else:
            shown = "; ".join(
                f"{status}" + (f": {reason}" if reason else "") for _, status, reason in sorted(outcome.rows)
            )
        if outcome.lost or outcome.unexpected:
            shown += f" — LOST {outcome.lost} UNEXPECTED {outcome.unexpected}"
        print(f"| {outcome.kind} | {shown.replace('|', '/')} |")
    crashes = sum(1 for o in outcomes if o.crashed)
    lost = sum(len(o.lost) for o in outcomes)
    print(f"\nkinds tried: {len(outcomes)}, crashes: {crashes}, files lost: {lost}")
    return 1 if crashes or lost else 0


if __name__ == "__main__":
    sys.exit(main())
