"""One file to one ParsedDocument: real seeds parse, bad files are quarantined with a readable reason."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from ingest.boilerplate import boilerplate_spans, in_spans, is_boilerplate_line
from ingest.document import display_name, parse_bytes, parse_path
from ingest.facts import extract_facts
from tests.conftest import SEEDS_DIR

SEED = SEEDS_DIR / "000_58caca1a0e66f9b5.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(SEEDS_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_parses_with_metadata_and_text(path: Path) -> None:
    doc = parse_path(path)
    assert doc.status == "parsed", doc.reason
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.size_bytes == path.stat().st_size
    assert doc.metadata.district
    for fact in doc.facts:
        assert doc.text[fact.char_start : fact.char_end] == fact.number_text


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_legacy_encoded_copy_gives_the_same_document(codec: str) -> None:
    original = parse_bytes(SEED_TEXT.encode("utf-8"), "seed.txt")
    copy = parse_bytes(SEED_TEXT.encode(codec), "seed.txt")
    assert copy.status == "parsed"
    assert copy.text == original.text
    assert copy.metadata == original.metadata
    assert [(f.value, f.char_start) for f in copy.facts] == [(f.value, f.char_start) for f in original.facts]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\x00\x01\x02\x03\x04binary", "not text (binary content"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not text (binary content"),
        (bytes(range(0x80, 0x100)) * 3, "undecodable: "),
        (b"2023-02-24 annual report 12.8 25%", "no report content: no Chinese text"),
        (
            "昌硕街道工作总结。全年财政收入大幅增长,限上服务业营收稳步提升,各项工作取得新成效。".encode(),
            "no report content",
        ),
    ],
)
def test_bad_content_is_quarantined_with_a_reason(data: bytes, reason: str) -> None:
    doc = parse_bytes(data, "bad.txt")
    assert doc.status == "quarantined"
    assert doc.reason is not None and doc.reason.startswith(reason), doc.reason
    assert doc.facts == []
    assert len(doc.content_sha256) == 64


def test_too_large_is_quarantined_before_decoding(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    doc = parse_bytes(data, "seed.txt", max_bytes=1000)
    assert doc.status == "quarantined"
    assert doc.reason == f"too large: {len(data)} bytes (limit 1000)"
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    from_path = parse_path(path, max_bytes=1000)
    assert from_path.reason == doc.reason
    assert from_path.content_sha256 == doc.content_sha256


def test_truncated_multibyte_file_still_parses() -> None:
    data = SEED.read_bytes()[:4001]
    while (data[-1] & 0xC0) == 0x80 or data[-1] < 0x80:
        data = data[:-1]
    doc = parse_bytes(data, "cut.txt")
    assert doc.status == "parsed"
    assert doc.encoding == "utf-8"
    assert doc.metadata.district == "昌硕街道"


def test_random_bytes_never_raise() -> None:
    rng = random.Random(20240224)
    seed_bytes = SEED.read_bytes()
    for size in (1, 2, 3, 7, 64, 513, 4096):
        for _ in range(5):
            parse_bytes(bytes(rng.randrange(256) for _ in range(size)), "random.bin")
            # A real report with a few bytes flipped: decodes one way or another, never raises.
            flipped = bytearray(seed_bytes[: size * 4])
            for _ in range(3):
                if flipped:
                    flipped[rng.randrange(len(flipped))] = rng.randrange(256)
            parse_bytes(bytes(flipped), "flipped.txt")


def test_odd_file_names_are_read_safely(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    for name in ("报告 (1) 2023.txt", "-dash.txt", "a'b\"c;$x.txt", "tab\tname.txt", "no_suffix"):
        path = tmp_path / name
        path.write_bytes(data)
        doc = parse_path(path)
        assert doc.status == "parsed"
        assert doc.source_file == name
    raw_name = os.fsencode(tmp_path) + b"/gbk_" + "报告".encode("gbk") + b".txt"
    with open(raw_name, "wb") as fh:
        fh.write(data)
    path = Path(os.fsdecode(raw_name))
    doc = parse_path(path)
    assert doc.status == "parsed"
    doc.source_file.encode("utf-8")  # storable as UTF-8 even though the name on disk is not
    assert display_name(path).startswith("gbk_")


def test_unreadable_paths_are_quarantined(tmp_path: Path) -> None:
    assert parse_path(tmp_path / "missing.txt").reason.startswith("unreadable: ")
    assert parse_path(tmp_path).status == "quarantined"  # a directory


# --- portal boilerplate -------------------------------------------------------------------------------------

PORTAL_PAGE = """首页 > 政务公开 > 乡镇街道信息公开 > 计划总结
索引号: | 002946000/2022-66777 | 组配分类: | 计划总结 |
发布机构: | 月湖街道 | 发文日期: | 2022-12-22 |
  • 成文日期:
  • 2024-01-24
[ 字体: 大 中 小 ] 【打印】【关闭】
发布日期: 2024- 01- 24 14 : 53 浏览次数: 1234 字体:[ ]
月湖街道2022年工作总结
一、2022年工作总结
全年完成财政收入12.8亿元,增长25%,浏览量大幅提升的“智慧月湖”平台服务居民4600余人。
来源:月湖街道 责任编辑:张三
"""


def test_boilerplate_lines_are_found_and_content_is_not() -> None:
    spans = boilerplate_spans(PORTAL_PAGE)
    flagged = [PORTAL_PAGE[a:b] for a, b in spans]
    assert any("索引号" in line for line in flagged)
    assert any("浏览次数: 1234" in line for line in flagged)
    assert "  • 2024-01-24" in flagged  # the value printed under its key
    assert any("责任编辑" in line for line in flagged)
    assert not any("财政收入" in line or "工作总结" in line for line in flagged)
    for a, b in spans:
        assert "\n" not in PORTAL_PAGE[a:b]
    count = PORTAL_PAGE.index("1234")
    assert in_spans(spans, count)
    assert not in_spans(spans, PORTAL_PAGE.index("12.8"))


def test_boilerplate_works_on_traditional_and_full_width_lines() -> None:
    assert is_boilerplate_line("| 時間:2018-02-20 19:23:54 來源:武進新聞 作者:陽湖網 |")
    assert is_boilerplate_line("发布日期:2025-06-25  浏览次数:-")
    assert not is_boilerplate_line("·完成残疾人家庭无障碍改造18户")


def test_site_footers_and_paywall_notices_are_furniture_for_facts_and_words_alike() -> None:
    # Lines of two scraped pages (shared corpus 112 and 119): their numbers are no report figures, and the
    # fact extractor and the word counts leave them out through the same detector as the metadata.
    paywall = "订阅后可查看全文(剩余80%)"
    footer = "版权所有 ©2020 福建日报 fjdaily.com 闽ICP备15008128号"
    assert is_boilerplate_line(paywall) and is_boilerplate_line(footer)
    text = f"全年完成固定资产投资3.2亿元。\n{paywall}\n{footer}"
    assert [f.number_text for f in extract_facts(text)] == ["3.2"]
    assert not is_boilerplate_line("全年共查看全部32个村的台账。")


def test_boilerplate_spans_on_real_seeds_hold_no_report_figures() -> None:
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for a, b in boilerplate_spans(text):
            line = text[a:b]
            assert not re.search(r"亿元|万元|%", line), (path.name, line)
