"""What the first parse in a process pays once, on top of the work: jieba's dictionaries (its words, the
domain words, the tag tables) and the extractor's own tables, loaded on first use (~1.2 s)."""

from __future__ import annotations

from ingest.document import parse_bytes

# A sentence of the kind every report has: parsing it loads jieba's dictionaries and the extractor's tables.
WARM_UP_TEXT = "2023年全年实现地区生产总值12.5亿元，同比增长6.2%。2024年目标：一般公共预算收入增长5%左右。"


def warm_up_parser() -> None:
    """Load now what the first parse would load."""
    parse_bytes(WARM_UP_TEXT.encode(), "warm-up.txt")
