"""Everything the parse produces for a set of files, as one JSONL line per file, and a diff of two such dumps.

A speed change must leave what the parse produces as it was: the metadata, every fact and the words of
every section (`raw.documents`, `raw.facts`, `raw.document_terms`). Dump before the change, dump after,
and compare; every difference must be zero or explained.

    python -m benchmarks.parse_snapshot dump /tmp/before.jsonl seeds ../shared/seeds ../shared/corpus
    python -m benchmarks.parse_snapshot dump /tmp/after.jsonl seeds ../shared/seeds ../shared/corpus
    python -m benchmarks.parse_snapshot diff /tmp/before.jsonl /tmp/after.jsonl

`diff` prints the files whose output differs and, per file, the first differing fields; it exits 1 when
anything differs. Figures only in the sense of the benchmarks: nothing here is a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.document import parse_path


def _plain(value: object) -> object:
    """JSON-ready copy of a parse result: dataclasses as dicts, dates as ISO strings, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def report_files(folders: Iterable[Path]) -> Iterator[Path]:
    """The report files of each folder, sorted, hidden files and the corpus index left out."""
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.suffix != ".jsonl":
                yield path


def dump(out: Path, folders: list[Path]) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as sink:
        for path in report_files(folders):
            doc = parse_path(path)
            row = _plain(doc)
            row["text"] = None  # the input, not an output; n_chars stays
            row["source_file"] = str(path)  # two folders may hold files of the same name
            sink.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    print(f"{n} files parsed into {out}")
    return 0


def _read(path: Path) -> dict[str, dict]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {row["source_file"]: row for row in rows}


def _differences(a: object, b: object, where: str = "") -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _differences(a.get(key), b.get(key), f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{where}[{i}]")
    elif a != b:
        yield f"{where}: {_short(a)} -> {_short(b)}"


def _short(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)[:200]


def diff(before: Path, after: Path, show: int = 5) -> int:
    old, new = _read(before), _read(after)
    changed = 0
    for name in sorted(set(old) | set(new)):
        found = list(_differences(old.get(name), new.get(name)))
        if found:
            changed += 1
            print(f"{name}: {len(found)} difference(s)")
            for line in found[:show]:
                print(f"  {line}")
    facts = sum(len(r.get("facts") or []) for r in new.values())
    print(f"{len(new)} files, {facts} facts: {changed} file(s) differ")
    return 1 if changed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="parse every file of FOLDER... into OUT (JSONL)")
    d.add_argument("out", type=Path)
    d.add_argument("folders", type=Path, nargs="+")
    c = sub.add_parser("diff", help="compare two dumps; exit 1 if they differ")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--show", type=int, default=5, help="differences printed per file")
    args = parser.parse_args(argv)
    if args.command == "dump":
        return dump(args.out, args.folders)
    return diff(args.before, args.after, args.show)


if __name__ == "__main__":
    sys.exit(main())
