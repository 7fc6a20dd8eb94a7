"""Parsing many files: the per-document time limit, and the same results with or without worker processes."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor

from ingest.batch import MIN_FILES_FOR_POOL, parse_many, parse_with_limit, pool_context
from tests.conftest import SEEDS_DIR


def test_a_document_over_the_time_limit_is_quarantined_not_waited_for():
    seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
    parsed = parse_with_limit(seed, time_limit_s=0.000_001)
    assert parsed.status == "quarantined"
    assert parsed.reason is not None and "timed out" in parsed.reason
    # and the limit is lifted afterwards: the same file parses normally
    assert parse_with_limit(seed).status == "parsed"


def test_pool_and_single_process_give_the_same_documents(tmp_path):
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    paths = []
    for index in range(MIN_FILES_FOR_POOL):
        target = tmp_path / f"{index:03d}_{seeds[index % len(seeds)].name}"
        shutil.copyfile(seeds[index % len(seeds)], target)
        paths.append(target)
    serial = list(parse_many(paths, workers=1))
    pooled = list(parse_many(paths, workers=2))
    assert [p.source_file for p in pooled] == [p.source_file for p in serial]
    assert [p.facts for p in pooled] == [p.facts for p in serial]
    assert all(p.text is None and p.n_chars for p in pooled)  # texts stay in the workers


def _tokenizers_loaded(_: int) -> int:
    """In a pool worker that has parsed nothing: how many jieba tokenizers it holds already."""
    from ingest.metrics import _tokenizer

    return _tokenizer.cache_info().currsize


def test_pool_workers_start_with_the_dictionaries_loaded():
    with ProcessPoolExecutor(max_workers=1, mp_context=pool_context()) as pool:
        loaded = pool.submit(_tokenizers_loaded, 0).result(timeout=120)
    assert loaded == 1  # jieba's dictionary came with the fork: the first parse does not load it
