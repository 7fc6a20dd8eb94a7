"""Extraction throughput in chars/s, against jieba.lcut on the same texts in the same run, and on 2 processes.

What is timed, each over every text of the corpus, one process unless said otherwise:
- extract: `extract_facts(text, metadata)` and `count_terms(text, metadata)` after
  `metadata = extract_metadata(text)`, what the pipeline runs per decoded text;
- parse_bytes: the whole per-file work (hash, decode, metadata, facts) from the raw bytes;
- jieba.lcut: word segmentation of the same texts (dictionary loaded beforehand, timed apart);
- pool: `extract` on a pool of worker processes (texts sent, facts returned, so pickling counts), once the
  workers are up; worker start-up is reported apart.
Figures only, no pass/fail. Issue 7 asks for extract >= 0.5 x jieba.lcut and a speed-up on 2 cores.

    python -m benchmarks.bench_extract --corpus /tmp/corpus_1k
    python -m benchmarks.bench_extract --n 200          # makes a corpus of 200 in a temporary folder
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.decode import DecodeError, decode_bytes
from ingest.document import parse_bytes
from ingest.facts import extract_facts
from ingest.metadata import extract_metadata
from ingest.models import Fact

try:  # the per-section word counts of issue 15; absent from pipelines before them
    from ingest.terms import count_terms
except ImportError:  # pragma: no cover
    count_terms = None


@dataclass(frozen=True, slots=True)
class Sample:
    path: Path
    name: str
    data: bytes
    text: str


@dataclass
class Figures:
    docs: int
    chars: int
    bytes: int
    facts: int
    load_average: float  # 1-minute load when timing began: other work on the 2 cores skews wall times
    extract_s: float
    extract_cpu_s: float
    parse_bytes_s: float
    jieba_load_s: float
    jieba_s: float
    jieba_cpu_s: float
    processes: int
    pool_start_s: float
    pool_s: float
    # ingest.batch.parse_many over the files, as refresh_raw_tables runs it (pool start-up included)
    parse_many_1_s: float | None = None
    parse_many_n_s: float | None = None

    def rate(self, seconds: float) -> float:
        return self.chars / seconds if seconds > 0 else float("inf")

    def derived(self) -> dict[str, float]:
        extract, jieba_rate, pool = self.rate(self.extract_s), self.rate(self.jieba_s), self.rate(self.pool_s)
        return {
            "extract_chars_per_s": extract,
            "parse_bytes_chars_per_s": self.rate(self.parse_bytes_s),
            "jieba_chars_per_s": jieba_rate,
            "extract_vs_jieba": extract / jieba_rate,
            "extract_vs_jieba_cpu": self.jieba_cpu_s / self.extract_cpu_s if self.extract_cpu_s else 0.0,
            "parse_bytes_vs_jieba": self.rate(self.parse_bytes_s) / jieba_rate,
            "pool_chars_per_s": pool,
            "pool_speedup": pool / extract,
            "parse_many_speedup": (
                self.parse_many_1_s / self.parse_many_n_s
                if self.parse_many_1_s and self.parse_many_n_s
                else 0.0
            ),
        }


def load_samples(folder: Path, limit: int | None = None) -> list[Sample]:
    """Report files of `folder` (sorted, hidden files skipped), decoded as the pipeline decodes them."""
    samples: list[Sample] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if limit is not None and len(samples) >= limit:
            break
        data = path.read_bytes()
        try:
            text = decode_bytes(data).text
        except DecodeError:
            continue  # quarantined by the pipeline: no extraction to time
        samples.append(Sample(path, path.name, data, text))
    return samples


def extract_one(text: str) -> list[Fact]:
    """The per-text work of the pipeline, as `ingest.document.parse_bytes` does it: facts, and the words
    of each section (issue 15) when this checkout counts them."""
    metadata = extract_metadata(text)
    facts = extract_facts(text, metadata)
    if count_terms is not None:
        count_terms(text, metadata)
    return facts


def clear_data_caches() -> None:
    """Empty the per-call caches of `ingest` (lru_cache with room for more than one entry).

    The generated corpus repeats the sentences of its templates far more than real reports do, so a
    second pass over it would mostly hit caches. Single-entry caches hold loaded resources (the jieba
    tokenizer, dictionaries) and stay: loading them is start-up, not throughput.
    """
    for name, module in list(sys.modules.items()):
        if name != "ingest" and not name.startswith("ingest."):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and (info().maxsize or 2) > 1:
                value.cache_clear()


_REPO_ROOT = Path(__file__).resolve().parent.parent
_PARSE_MANY_CHILD = """
import sys, time
from pathlib import Path
from ingest.batch import parse_many
if __name__ == "__main__":
    paths = [Path(line) for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()]
    started = time.perf_counter()
    for _ in parse_many(paths, workers=int(sys.argv[2])):
        pass
    print(time.perf_counter() - started)
"""


def _parse_many_in_child(paths: Sequence[Path], workers: int) -> float:
    """Seconds of `parse_many` in a fresh interpreter, as a pipeline run meets it: the jieba dictionaries
    not yet loaded and no cache warm, on 1 worker as on several (this process has both by now)."""
    with tempfile.TemporaryDirectory() as scratch:
        listing, script = Path(scratch, "paths.txt"), Path(scratch, "child.py")
        listing.write_text("\n".join(str(path) for path in paths), encoding="utf-8")
        script.write_text(_PARSE_MANY_CHILD, encoding="utf-8")
        command = [sys.executable, str(script), str(listing), str(workers)]
        # This checkout's `ingest`, whichever copy of the code the benchmark runs from.
        path = os.pathsep.join(filter(None, [str(_REPO_ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"parse_many on {workers} worker(s) failed:\n{done.stderr[-4000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def _warm(_: int) -> None:
    extract_one("示例街道2023年工作总结\n全年完成财政收入1.2亿元,增长5%。")


def _timed(work: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and CPU seconds of `work()`: on a shared machine CPU time is the steadier 1-process figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(samples: Sequence[Sample], processes: int = 2, start_method: str | None = None) -> Figures:
    import jieba

    texts = [s.text for s in samples]
    _warm(0)  # compiled regexes, cached dictionaries: a one-off cost, not throughput
    load = os.getloadavg()[0]
    extract_s, extract_cpu_s, facts = _timed(lambda: [extract_one(t) for t in texts])
    clear_data_caches()
    parse_s, _, _ = _timed(lambda: [parse_bytes(s.data, s.name) for s in samples])

    jieba.setLogLevel(60)  # silence "Building prefix dict..." on stderr
    jieba_load_s, _, _ = _timed(jieba.initialize)
    jieba_s, jieba_cpu_s, _ = _timed(lambda: [jieba.lcut(t) for t in texts])

    # forkserver by default, as ingest.batch: workers start with empty caches, as in the pipeline
    context = multiprocessing.get_context(start_method or "forkserver")
    pool_start = time.perf_counter()
    with context.Pool(processes) as pool:
        pool.map(_warm, range(processes))  # every worker up and its imports done
        pool_start_s = time.perf_counter() - pool_start
        chunksize = max(1, len(texts) // (processes * 16))  # small chunks: documents vary 100x in length
        pool_s, _, _ = _timed(lambda: pool.map(extract_one, texts, chunksize=chunksize))

    many_1_s = many_n_s = None
    if importlib.util.find_spec("ingest.batch") is not None:  # absent from pipelines before the batch parser
        paths = [s.path for s in samples]
        many_1_s = _parse_many_in_child(paths, 1)
        many_n_s = _parse_many_in_child(paths, processes)

    return Figures(
        parse_many_1_s=many_1_s,
        parse_many_n_s=many_n_s,
        docs=len(samples),
        chars=sum(len(t) for t in texts),
        bytes=sum(len(s.data) for s in samples),
        facts=sum(len(f) for f in facts),  # type: ignore[union-attr]
        load_average=load,
        extract_s=extract_s,
        extract_cpu_s=extract_cpu_s,
        parse_bytes_s=parse_s,
        jieba_load_s=jieba_load_s,
        jieba_s=jieba_s,
        jieba_cpu_s=jieba_cpu_s,
        processes=processes,
        pool_start_s=pool_start_s,
        pool_s=pool_s,
    )


def report(figures: Figures) -> str:
    f, d = figures, figures.derived()

    def timing(label: str, seconds: float, note: str = "") -> str:
        return f"{label:<26}{seconds:8.2f} s  {f.rate(seconds):12,.0f} chars/s{note}"

    lines = [
        f"load average at start: {f.load_average:.2f} on {os.cpu_count()} cores",
        f"corpus: {f.docs} docs, {f.chars:,} chars, {f.bytes / 1e6:.1f} MB; {f.facts:,} facts extracted",
        timing("extract (1 process):", f.extract_s),
        timing("parse_bytes (1 process):", f.parse_bytes_s),
        timing("jieba.lcut (1 process):", f.jieba_s, f"  (dictionary load {f.jieba_load_s:.2f} s apart)"),
        f"extract / jieba.lcut:     {d['extract_vs_jieba']:8.2f}     (issue 7 target >= 0.5; "
        f"on CPU time {d['extract_vs_jieba_cpu']:.2f})",
        f"parse_bytes / jieba.lcut: {d['parse_bytes_vs_jieba']:8.2f}",
        timing(
            f"extract ({f.processes} processes):",
            f.pool_s,
            f"  (worker start-up {f.pool_start_s:.2f} s, not counted)",
        ),
        f"pool speed-up:            {d['pool_speedup']:8.2f}x    ({f.processes} processes vs 1)",
    ]
    if f.parse_many_1_s and f.parse_many_n_s:
        lines += [
            timing("parse_many, 1 worker:", f.parse_many_1_s, "  (ingest.batch, new interpreter)"),
            timing(f"parse_many, {f.processes} workers:", f.parse_many_n_s, "  (the same; pool start-up in)"),
            f"parse_many speed-up:      {d['parse_many_speedup']:8.2f}x",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--corpus", type=Path, help="folder of report files (e.g. from make_corpus)")
    source.add_argument("--n", type=int, default=1000, help="else: make a corpus of N in a temporary folder")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated corpus")
    parser.add_argument("--limit", type=int, help="time only the first LIMIT files")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--start-method", choices=multiprocessing.get_all_start_methods())
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jiedao_bench_") as scratch:
        folder = args.corpus
        if folder is None:
            from benchmarks.make_corpus import generate

            folder = Path(scratch) / "corpus"
            generate(args.n, folder, args.seed)
        samples = load_samples(folder, args.limit)
        if not samples:
            print(f"error: no decodable report in {folder}", file=sys.stderr)
            return 2
        # inside the block: parse_many reads the files again
        figures = measure(samples, args.processes, args.start_method)
    if args.json:
        print(json.dumps({**asdict(figures), **figures.derived()}, indent=2))
    else:
        print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
