"""The loader's own cost: refresh_raw_tables with every parse already done, in this process.

`bench_build --ingest-only` times the whole ingest, where the two parse workers and the loading process
share the cores (and, on a shared machine, everyone else's work): the load's figure there is wall time
taken from the parse. Here the corpus is parsed once (results kept in a pickle next to it, keyed by the
parser fingerprint) and then `refresh_raw_tables` runs on a fresh DuckDB file with `parse_files` handing
back the stored results: what is timed is the scan, building the rows, the inserts and commits, and marking
duplicates, on one core. Run it as a file to time another copy of the code:

    .venv/bin/python -m benchmarks.bench_load --corpus /tmp/corpus_1k
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/bench_load.py --corpus /tmp/corpus_1k   # old code

The parses are those of the code run; `--parses FILE` names the file they are kept in, so that two copies
of the code (whose parser fingerprints differ) load the same stored results.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import duckdb


def stored_parses(corpus: Path, cache_dir: Path, cache: Path | None = None) -> dict[Path, object]:
    """path -> ParsedDocument of every file of `corpus`, parsed once by the worker pool and kept in `cache`
    (by default a file of `cache_dir` named after the corpus and the parser fingerprint)."""
    from ingest.batch import parse_many
    from ingest.inventory import scan_folder
    from ingest.version import parser_fingerprint

    if cache is None:
        key = hashlib.sha256(f"{corpus.resolve()}\0{parser_fingerprint()}".encode()).hexdigest()[:16]
        cache = cache_dir / f"jiedao_parses_{key}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    files = [f for f in scan_folder(corpus) if f.error is None]
    parses = dict(zip((f.path for f in files), parse_many([f.path for f in files]), strict=True))
    cache.write_bytes(pickle.dumps(parses, pickle.HIGHEST_PROTOCOL))
    return parses


def time_load(corpus: Path, parses: dict[Path, object], db: Path) -> dict[str, float]:
    from orchestration.raw_duplicates import mark_duplicates
    from orchestration.refresh import refresh_raw_tables

    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    cpu, wall = time.process_time(), time.perf_counter()
    with duckdb.connect(str(db)) as con:
        result = refresh_raw_tables(con, corpus, parse_files=lambda paths: (parses[p] for p in paths))
        figures = {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}
        # marking again changes nothing and costs what the last step of the load cost
        cpu = time.process_time()
        mark_duplicates(con)
        figures["mark_duplicates_cpu_s"] = time.process_time() - cpu
    figures["facts"] = result.facts
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of reports (make_corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="loads into a fresh file, one after another")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()), help="parses kept here")
    parser.add_argument(
        "--parses", type=Path, help="keep the parses in this file: two copies of the code, one same input"
    )
    args = parser.parse_args(argv)

    import orchestration.refresh

    print(f"code: {Path(orchestration.refresh.__file__).parent.parent}", flush=True)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    parses = stored_parses(args.corpus, args.cache, args.parses)
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(1, args.repeat + 1):
            f = time_load(args.corpus, parses, Path(scratch) / "load.duckdb")
            print(
                f"load {run}: {len(parses)} documents, {f['facts']:.0f} facts: CPU {f['cpu_s']:.2f} s, "
                f"wall {f['wall_s']:.2f} s; marking duplicates alone: CPU {f['mark_duplicates_cpu_s']:.2f} s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
