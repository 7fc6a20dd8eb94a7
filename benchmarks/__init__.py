"""Benchmarks of issue 7 ("Fast at 10,000 reports"): a corpus maker, extraction and build timings."""
