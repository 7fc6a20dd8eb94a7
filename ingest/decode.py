"""Bytes to text: pick the encoding a report was saved in, or say clearly why none fits.

Order of decisions:
1. A byte-order mark settles it (UTF-8, UTF-16, UTF-32).
2. Known binary formats (PDF, Office, images, archives) and NUL or control bytes are "not text".
3. Strict UTF-8 wins when it decodes: legacy Chinese encodings almost never form valid UTF-8 by chance.
4. Otherwise GB18030 (a superset of GBK and GB2312) and Big5 compete. Both decode many byte strings
   without error, so we keep the one whose characters read as ordinary Chinese: the share of CJK
   characters that (after folding traditional to simplified) belong to the 3755 most common characters
   (GB2312 level 1). Right decodings score above 0.8; mojibake stays far below.
5. A UTF-8 file cut off inside its last character keeps its complete part plus U+FFFD, rather than being
   misread as GB18030.

`text` is exactly the decoded text (only a BOM is removed): no newline or whitespace normalization, so
character offsets found later index the text as stored.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize import to_simplified


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept.

    `kind` is "binary" for content that is not text at all and "undecodable" for text in no encoding we
    can read, so that callers can word their quarantine reason.
    """

    def __init__(self, message: str, kind: str = "undecodable") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


# Magic numbers of the binary formats a scraper most often saves under a .txt name.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"{\\rtf", "RTF document"),
)

# C0 controls that plain text files legitimately contain: tab, LF, VT, FF, CR, and ESC is not one of them.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r")
# The control characters no text file holds, as bytes and as characters: one C-level pass over a file
# instead of a Python test per byte.
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS) + b"\x7f"
_NOT_BINARY_CONTROL = bytes(b for b in range(256) if b not in _BINARY_CONTROLS)
_BINARY_CONTROL_RE = re.compile("[" + re.escape(_BINARY_CONTROLS.decode("ascii")) + "]")
_MAX_CONTROL_SHARE = 0.01  # a stray control byte or two is tolerated; more means binary

# Below this share of common characters a legacy decoding is judged mojibake.
_MIN_PLAUSIBILITY = 0.5


def decode_bytes(data: bytes) -> Decoded:
    """Decode report bytes, or raise DecodeError saying why they are not readable text."""
    bom = _decode_with_bom(data)
    if bom is not None:
        return bom
    bomless = _bomless_utf16(data)
    if bomless is not None:
        return bomless
    _reject_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc

    candidates: list[tuple[float, Decoded]] = []
    truncated = _utf8_cut_in_last_char(data, utf8_error)
    if truncated is not None:
        return truncated
    damaged = _utf8_with_few_bad_bytes(data)
    if damaged is not None:
        candidates.append((plausibility(damaged.text), damaged))
    for label, codec_names in (("gb18030", ("gb18030",)), ("big5", ("big5", "cp950", "big5hkscs"))):
        for codec in codec_names:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            candidates.append((plausibility(text), Decoded(text, label)))
            break
        else:
            # A legacy file cut inside its last character, or with a damaged byte or two.
            text = data.decode(codec_names[-1], errors="replace")
            if _few_replacements(text, data):
                candidates.append((plausibility(text), Decoded(text, label)))
    if not candidates:
        raise DecodeError(
            f"invalid byte sequence at byte {utf8_error.start} for UTF-8, and not valid GB18030 or Big5"
        )
    score, best = max(candidates, key=lambda c: c[0])
    if score < _MIN_PLAUSIBILITY:
        tried = ", ".join(f"{d.encoding} {s:.0%}" for s, d in candidates)
        raise DecodeError(
            "not UTF-8, and no legacy Chinese encoding reads as ordinary Chinese "
            f"(common-character share: {tried})"
        )
    return best


def plausibility(text: str) -> float:
    """Share of the CJK characters of `text` that are common Chinese characters (0..1).

    Text with no CJK character at all scores 1.0 when it is plain ASCII (nothing to misread) and 0.0
    otherwise (a legacy decoding that produced only symbols and kana is mojibake).
    """
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if not cjk:
        return 1.0 if text.isascii() else 0.0
    others = sum(1 for ch in text if not ch.isascii() and not _is_cjk_or_common_punct(ch))
    simplified = to_simplified("".join(cjk))
    common = sum(1 for ch in simplified if _is_common_hanzi(ch))
    return common / (len(cjk) + others)


def _is_cjk_or_common_punct(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x3000 <= cp <= 0x303F  # CJK punctuation: 。、「」《》
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms: ,:;()
        or 0x2010 <= cp <= 0x206F  # general punctuation: —…“”‘’
        or 0x2460 <= cp <= 0x24FF  # circled numbers ①
        or 0x25A0 <= cp <= 0x25FF  # geometric shapes ■●◆
        or cp in (0x00B7, 0x00D7, 0x00B0)  # · × °
    )


@lru_cache(maxsize=8192)
def _is_common_hanzi(ch: str) -> bool:
    """True for the 3755 level-1 characters of GB2312 (rows 16-55), the core of everyday Chinese."""
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def _decode_with_bom(data: bytes) -> Decoded | None:
    # UTF-32 LE's BOM starts with UTF-16 LE's, so test the longer marks first.
    for bom, codec, label in (
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                # Cut inside the last character, or a damaged byte or two: keep the rest.
                text = body.decode(codec, errors="replace")
                if not _few_replacements(text, body):
                    raise DecodeError(
                        f"starts with a {label} byte-order mark but is not valid {label}"
                    ) from exc
            # FF FE also starts many binary files: the decoded text must still read as text.
            if codec != "utf-8" and (_has_binary_controls(text) or plausibility(text) < _MIN_PLAUSIBILITY):
                raise DecodeError(f"starts with a {label} byte-order mark but does not read as text")
            return Decoded(text, label)
    return None


def _bomless_utf16(data: bytes) -> Decoded | None:
    """UTF-16 saved without a byte-order mark: NUL bytes, but an even length that reads as Chinese."""
    if b"\x00" not in data or len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if (
            not _has_binary_controls(text)
            and any("\u4e00" <= ch <= "\u9fff" for ch in text)
            and plausibility(text) >= 0.8
        ):
            return Decoded(text, "utf-16")
    return None


def _has_binary_controls(text: str) -> bool:
    return _BINARY_CONTROL_RE.search(text) is not None


def _reject_binary(data: bytes) -> None:
    for signature, name in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DecodeError(f"not text (binary content: {name})", kind="binary")
    if b"\x00" in data:
        raise DecodeError("not text (binary content: contains NUL bytes)", kind="binary")
    controls = len(data.translate(None, _NOT_BINARY_CONTROL))  # what is left once the rest is deleted
    if controls > max(2, _MAX_CONTROL_SHARE * len(data)):
        raise DecodeError(f"not text (binary content: {controls} control bytes)", kind="binary")


_MAX_BAD_UTF8_SHARE = 0.001  # one damaged byte per thousand: a copy error, not another encoding


def _utf8_with_few_bad_bytes(data: bytes) -> Decoded | None:
    """UTF-8 with a stray damaged byte or two, each shown as U+FFFD, rather than mojibake of the rest."""
    text = data.decode("utf-8", errors="replace")
    return Decoded(text, "utf-8") if _few_replacements(text, data) else None


def _few_replacements(text: str, data: bytes) -> bool:
    return text.count("\ufffd") <= max(2, _MAX_BAD_UTF8_SHARE * len(data))


def _utf8_cut_in_last_char(data: bytes, error: UnicodeDecodeError) -> Decoded | None:
    """A UTF-8 file whose only fault is an incomplete final character (a file cut at a byte limit)."""
    if error.reason != "unexpected end of data" or len(data) - error.start > 3:
        return None
    try:
        head = data[: error.start].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return Decoded(head + "\ufffd", "utf-8")
