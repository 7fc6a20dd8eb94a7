"""Decoding real reports saved in every encoding a Chinese government site or office PC produces."""

from __future__ import annotations

import codecs

import opencc
import pytest

from ingest.decode import DecodeError, decode_bytes, plausibility
from tests.conftest import SEEDS_DIR

SEED_TEXT = (SEEDS_DIR / "000_58caca1a0e66f9b5.txt").read_text(encoding="utf-8")
SEED_002 = (SEEDS_DIR / "002_df0c3f96d6c64cab.txt").read_text(encoding="utf-8")


def _traditional_big5_text() -> str:
    """Seed 000 in traditional characters, keeping only what Big5 can encode (as a Big5 file would)."""
    traditional = opencc.OpenCC("s2t").convert(SEED_TEXT)
    kept = []
    for ch in traditional:
        try:
            ch.encode("big5")
        except UnicodeEncodeError:
            continue
        kept.append(ch)
    return "".join(kept)


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # with BOM, native order
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
    ],
)
def test_seed_in_each_encoding_decodes_to_the_same_text(codec: str, label: str) -> None:
    for text in (SEED_TEXT, SEED_002):
        decoded = decode_bytes(text.encode(codec))
        assert decoded.text == text
        assert decoded.encoding == label


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_either_byte_order_mark(bom: bytes) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    decoded = decode_bytes(bom + SEED_TEXT.encode(codec))
    assert decoded.text == SEED_TEXT
    assert decoded.encoding == "utf-16"


def test_utf16_without_byte_order_mark_is_still_read() -> None:
    decoded = decode_bytes(SEED_TEXT.encode("utf-16-le"))
    assert decoded.text == SEED_TEXT


def test_big5_is_told_from_gbk_by_the_characters_it_yields() -> None:
    text = _traditional_big5_text()
    data = text.encode("big5")
    data.decode("gb18030")  # the same bytes are valid GB18030 too: only plausibility can decide
    decoded = decode_bytes(data)
    assert decoded.encoding == "big5"
    assert decoded.text == text


def test_gbk_is_not_taken_for_big5() -> None:
    data = SEED_TEXT.encode("gbk")
    decoded = decode_bytes(data)
    assert decoded.encoding == "gb18030"
    assert plausibility(decoded.text) > 0.9


def test_text_is_kept_exactly_as_stored() -> None:
    text = "昌硕街道2022年工作总结\r\n一、2022年工作回顾\r\n全年完成财政收入12.8亿元。\r\n"
    for codec in ("utf-8", "gbk"):
        assert decode_bytes(text.encode(codec)).text == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode()).text == text  # only the BOM goes


def test_utf8_cut_inside_its_last_character_keeps_the_complete_part() -> None:
    data = SEED_TEXT.encode("utf-8")
    cut = data[:1001]
    while (cut[-1] & 0xC0) == 0x80 or cut[-1] < 0x80:  # end inside a multi-byte character
        cut = cut[:-1]
    decoded = decode_bytes(cut)
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("\ufffd")
    assert SEED_TEXT.startswith(decoded.text[:-1])


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "正文".encode() + bytes(range(1, 9)) * 20,
    ],
)
def test_binary_content_is_not_text(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.kind == "binary"
    assert str(info.value).startswith("not text (binary content")


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\xfd\xfc" * 10,  # a UTF-16 BOM followed by nothing readable
        bytes(range(0x80, 0x100)) * 4,
        "café crème brûlée, ça coûte 3 €".encode("cp1252"),
    ],
)
def test_undecodable_bytes_raise_a_clear_error(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.kind == "undecodable"
    assert str(info.value)


def test_plain_ascii_decodes_as_utf8() -> None:
    assert decode_bytes(b"2023-02-24 report").encoding == "utf-8"


@pytest.mark.parametrize(("codec", "label"), [("gbk", "gb18030"), ("utf-16", "utf-16")])
def test_legacy_file_cut_inside_a_character_keeps_the_rest(codec: str, label: str) -> None:
    data = SEED_TEXT.encode(codec)[:1001]  # an odd cut falls inside a two-byte character
    decoded = decode_bytes(data)
    assert decoded.encoding == label
    assert decoded.text.endswith("\ufffd")
    assert SEED_TEXT.startswith(decoded.text[:-1])


def test_utf8_with_one_damaged_byte_is_still_utf8() -> None:
    data = bytearray(SEED_TEXT.encode("utf-8"))
    data[500] = 0xFF
    decoded = decode_bytes(bytes(data))
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") <= 3
