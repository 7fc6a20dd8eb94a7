"""HTML, DOCX and PDF forms of a real seed report give back its text, and so its facts.

Every form is built here from the seeds (seeds/000 for the detailed checks, all five for the facts), the
way people really meet it: a portal page with navigation, scripts and 字体 大 中 小 / 打印 关闭 furniture
(in UTF-8 and in GBK), a Word file made with python-docx, and a PDF with a real text layer (reportlab's
built-in STSong-Light CID font: no font file needed) with a running header and "- N -" page numbers.
Broken files must raise FormatError or give None, nothing else.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import html
import io
import quopri
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.facts import extract_facts
from ingest.formats import FormatError, FormatText, to_text
from ingest.html_text import decode_html
from ingest.metadata import extract_metadata
from tests.conftest import SEEDS_DIR

SEED = SEEDS_DIR / "000_58caca1a0e66f9b5.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
ALL_SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


SEED_LINES = paragraphs(SEED_TEXT)
TITLE = SEED_LINES[0]

# Words of the portal page around the article; none of them occurs in the seed.
PORTAL_WORDS = ("首页", "互动交流", "字体", "打印", "关闭", "当前位置", "版权所有", "主办单位", "来源")
SCRIPT_WORDS = ("siteName", "document.write", "_trackPageview", "font-size", "欢迎访问")
PDF_RUNNING_HEADER = "昌硕街道办事处文件"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def sentences(text: str) -> list[str]:
    pieces = re.split(r"(?<=[。！？；!?;])|\n", text)
    return [squash(piece) for piece in pieces if squash(piece)]


def assert_has_every_sentence(text: str, seed_text: str = SEED_TEXT) -> None:
    flat = squash(text)
    missing = [sentence for sentence in sentences(seed_text) if sentence not in flat]
    assert not missing, f"{len(missing)} seed sentences missing, first: {missing[0][:80]}"


def fact_keys(text: str) -> list[tuple]:
    metadata = extract_metadata(text)
    return [
        (f.kind, f.year, f.period, f.metric_raw, f.measure, f.value, f.unit_raw, f.comparator, f.section)
        for f in extract_facts(text, metadata)
    ]


# --- builders ---------------------------------------------------------------------------------------


def portal_page(charset: str, seed_text: str = SEED_TEXT) -> str:
    """A government portal article page around a seed, as a browser's "save page" keeps it."""
    title, *lines = paragraphs(seed_text)
    rendered = []
    for index, line in enumerate(lines):
        pieces = [line]
        if index % 3 == 0 and len(line) > 200:
            # Hard-wrapped page source: a source line break between two CJK characters is not a space.
            cut = next(
                i for i in range(100, len(line)) if "\u4e00" <= line[i - 1] <= "\u9fff" >= line[i] >= "\u4e00"
            )
            pieces = [line[:cut], line[cut:]]
        body = "\n        ".join(html.escape(piece, quote=False) for piece in pieces)
        body = body.replace("“", "&ldquo;").replace("”", "&rdquo;")
        rendered.append(f'<p style="text-indent:2em;">&nbsp;&nbsp;{body}</p>')
    article = "\n".join(rendered)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_安吉县人民政府</title>
<script type="text/javascript">var siteName = "安吉县人民政府"; document.write("<b>欢迎访问</b>");</script>
<style>.zoom {{ font-size: 16px; }}</style>
</head><body>
<div id="top"><div class="logo">安吉县人民政府</div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<nav><a href="/">首页</a> | <a href="/bsfw/">办事服务</a></nav>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 工作总结</div>
<div class="main"><div class="left">
<h1 class="article-title">{title}</h1>
<div class="info">发布时间：2023-02-24&nbsp;&nbsp;来源：昌硕街道&nbsp;&nbsp;
字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div id="zoom" class="TRS_Editor">
{article}
</div>
<div class="tools"><a href="javascript:window.print()">【打印】</a>
<a href="javascript:window.close()">【关闭】</a></div>
</div>
<div class="right"><h3>相关链接</h3><ul><li><a href="/a">安吉县2023年政府工作报告</a></li>
<li><a href="/b">递铺街道2022年工作总结</a></li></ul></div></div>
<div id="footer">主办单位：安吉县人民政府办公室 版权所有 浙ICP备05010234号</div>
<script>_trackPageview("article");</script>
<noscript>请开启JavaScript</noscript>
</body></html>
"""


@functools.cache
def word_document(seed_text: str = SEED_TEXT) -> bytes:
    """A seed as a .docx: a title, runs split mid-sentence, part of it inside a one-cell layout table."""
    title, *lines = paragraphs(seed_text)
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "昌硕街道办事处（页眉）"
    document.add_heading(title, level=1)
    frame = None  # paragraphs 10-13 sit in a one-cell layout frame, as in many templates
    for index, line in enumerate(lines):
        if 10 <= index <= 13:
            if frame is None:
                frame = document.add_table(rows=1, cols=1).cell(0, 0)
                paragraph = frame.paragraphs[0]
            else:
                paragraph = frame.add_paragraph()
        else:
            paragraph = document.add_paragraph()
        middle = len(line) // 2
        paragraph.add_run(line[:middle]).bold = index % 2 == 0
        paragraph.add_run(line[middle:])
    data_table = document.add_table(rows=2, cols=2)
    for row, (key, value) in enumerate((("指标", "数值"), ("财政收入", "12.8亿元"))):
        data_table.cell(row, 0).text = key
        data_table.cell(row, 1).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def pdf_document(seed_text: str = SEED_TEXT) -> bytes:
    """A seed typeset on A4 pages: wrapped lines, indented paragraphs, running header, "- N -" footer."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font, size, left, width = "STSong-Light", 11, 60, 470
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    page_number = 1
    y = 0.0

    def new_page() -> float:
        pdf.setFont(font, 9)
        pdf.drawCentredString(A4[0] / 2, A4[1] - 40, PDF_RUNNING_HEADER)
        pdf.drawCentredString(A4[0] / 2, 30, f"- {page_number} -")
        pdf.setFont(font, size)
        return A4[1] - 80

    y = new_page()
    for index, line in enumerate(paragraphs(seed_text)):
        text = line if index == 0 else "\u3000\u3000" + line
        while text:
            cut = len(text)
            while pdfmetrics.stringWidth(text[:cut], font, size) > width:
                cut -= 1
            if y < 60:
                pdf.showPage()
                page_number += 1
                y = new_page()
            pdf.drawString(left, y, text[:cut])
            text = text[cut:]
            y -= size * 1.6
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_portal_page_gives_the_article_only(tmp_path: Path, charset: str) -> None:
    path = tmp_path / f"report_{charset}.html"
    path.write_bytes(portal_page(charset).encode(charset))
    result = to_text(path.read_bytes(), path.name)

    assert result is not None and result.format == "html"
    lines = result.text.splitlines()
    assert lines[0] == TITLE
    assert lines[1] == "发布时间：2023-02-24"
    assert lines[2:] == SEED_LINES[1:]
    assert_has_every_sentence(result.text)
    for word in PORTAL_WORDS + SCRIPT_WORDS:
        assert word not in result.text, word


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda path: path.stem[:3])
def test_portal_page_gives_the_same_facts_as_the_text(seed: Path) -> None:
    seed_text = seed.read_text(encoding="utf-8")
    result = to_text(portal_page("gbk", seed_text).encode("gbk"), "page.html")
    assert result is not None
    assert_has_every_sentence(result.text, seed_text)
    assert fact_keys(result.text) == fact_keys(seed_text)


def test_html_is_found_by_content_not_by_name() -> None:
    page = portal_page("gbk").encode("gbk")
    assert to_text(page, "report.txt") == to_text(page, "report.html")
    # A page saved by Internet Explorer starts with a comment before the doctype.
    saved = b"<!-- saved from url=(0041)http://www.anji.gov.cn/art/2023/2/24/ -->\r\n" + page
    assert to_text(saved, "report.htm") is not None
    # Notepad's UTF-8 with a byte-order mark, and UTF-16 as some Windows tools save.
    utf8 = portal_page("utf-8").encode("utf-8")
    assert to_text(codecs.BOM_UTF8 + utf8, "report.txt") == to_text(utf8, "report.txt")
    utf16 = codecs.BOM_UTF16_LE + portal_page("utf-16").encode("utf-16-le")
    assert to_text(utf16, "report.txt") == to_text(utf8, "report.txt")


def test_charset_from_meta_or_by_trying() -> None:
    page = "<html><head><meta charset='gb2312'></head><body><p>昌硕街道鎔</p></body></html>"
    text, encoding = decode_html(page.encode("gb18030"))
    assert (text.count("昌硕街道鎔"), encoding) == (1, "gb18030")  # gb2312 is read as its superset
    undeclared = "<html><body><p>昌硕街道</p></body></html>".encode("gbk")
    assert decode_html(undeclared) == ("<html><body><p>昌硕街道</p></body></html>", "gb18030")


def test_mht_web_archive_gives_its_page() -> None:
    # As Internet Explorer saves "Web Archive, single file": the page quoted-printable in its own charset.
    boundary = "----=_NextPart_000_0000_01D9480B.5A3C6B10"
    page = quopri.encodestring(portal_page("gb2312").encode("gb18030"))
    archive = (
        (
            "From: <Saved by Windows Internet Explorer 11>\r\n"
            f"Subject: {TITLE}\r\nMIME-Version: 1.0\r\n"
            f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'
            "This is a multi-part message in MIME format.\r\n\r\n"
            f'--{boundary}\r\nContent-Type: text/html;\r\n\tcharset="gb2312"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "Content-Location: http://www.anji.gov.cn/art/2023/2/24/art_1.html\r\n\r\n"
        ).encode("gb18030")
        + page
        + f"\r\n--{boundary}--\r\n".encode("ascii")
    )
    result = to_text(archive, "report.mht")
    assert result is not None and result.format == "html"
    assert result.text.splitlines()[2:] == SEED_LINES[1:]


def test_page_whose_article_is_loaded_by_script_is_a_format_error() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>某镇2023年工作总结</title></head><body><div id='app'></div>"
        "<script>fetch('/api/article/1').then(r => r.json()).then(render)</script></body></html>"
    )
    with pytest.raises(FormatError, match="no article text"):
        to_text(page.encode("utf-8"), "x.html")


def test_page_without_article_container_keeps_title_and_text() -> None:
    page = (
        "<html><head><title>某镇2023年工作总结 - 某县人民政府</title></head><body>"
        "<table><tr><td><a href='/'>首页</a></td><td><a href='/x'>政务公开</a></td></tr></table>"
        "<table><tr><td>全年实现地区生产总值12.5亿元，增长6.1%。<br>完成固定资产投资3.2亿元。"
        "<br/>新增就业岗位320个。</td></tr></table></body></html>"
    )
    result = to_text(page.encode("utf-8"), "x.html")
    assert result is not None
    assert result.text.splitlines() == [
        "某镇2023年工作总结",
        "全年实现地区生产总值12.5亿元，增长6.1%。",
        "完成固定资产投资3.2亿元。",
        "新增就业岗位320个。",
    ]


# --- DOCX -------------------------------------------------------------------------------------------


def test_docx_gives_paragraphs_in_order(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(word_document())
    result = to_text(path.read_bytes(), path.name)

    assert result is not None and result.format == "docx"
    lines = result.text.splitlines()
    assert lines[: len(SEED_LINES)] == SEED_LINES
    assert lines[len(SEED_LINES) :] == ["指标 数值", "财政收入 12.8亿元"]
    assert "页眉" not in result.text
    assert_has_every_sentence(result.text)
    assert fact_keys("\n".join(lines[: len(SEED_LINES)])) == fact_keys(SEED_TEXT)


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda path: path.stem[:3])
def test_docx_gives_the_same_facts_as_the_text(seed: Path) -> None:
    seed_text = seed.read_text(encoding="utf-8")
    result = to_text(word_document(seed_text), "report.docx")
    assert result is not None
    body = result.text.rsplit("\n", 2)[0]  # without the small data table the builder appends
    assert_has_every_sentence(body, seed_text)
    assert fact_keys(body) == fact_keys(seed_text)


def test_docx_automatic_heading_numbers_are_written_out() -> None:
    # Headings numbered by Word (一、 and (一) as list levels), not typed: the text must show them as typed.
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
        for level, text in ((0, "%1、"), (1, "(%2)"))
    )
    abstract = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'
    numbering.insert(0, parse_xml(abstract))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    ordinal = "[一二三四五六七八九十]+"
    for line in SEED_LINES:
        typed = re.match(rf"{ordinal}、|\({ordinal}\)", line)
        paragraph = document.add_paragraph(line[typed.end() :] if typed else line)
        if typed:
            level = 0 if typed.group().endswith("、") else 1
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    buffer = io.BytesIO()
    document.save(buffer)
    result = to_text(buffer.getvalue(), "numbered.docx")
    assert result is not None
    assert result.text.splitlines() == SEED_LINES


def test_docx_is_found_by_content_not_by_name() -> None:
    result = to_text(word_document(), "report.bin")
    assert result is not None and result.format == "docx"


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_text_layer_is_read_as_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_document())
    assert len(PdfReader(path).pages) >= 3  # the running header and footer repeat

    result = to_text(path.read_bytes(), path.name)
    assert result is not None and result.format == "pdf"
    assert_has_every_sentence(result.text)
    assert PDF_RUNNING_HEADER not in result.text
    assert not re.search(r"^-\s*\d+\s*-$", result.text, re.MULTILINE)
    # Wrapped lines are joined back: every paragraph of the seed is one line again.
    assert result.text.splitlines() == SEED_LINES


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda path: path.stem[:3])
def test_pdf_gives_the_same_facts_as_the_text(seed: Path) -> None:
    seed_text = seed.read_text(encoding="utf-8")
    result = to_text(pdf_document(seed_text), "report.pdf")
    assert result is not None
    assert_has_every_sentence(result.text, seed_text)
    assert fact_keys(result.text) == fact_keys(seed_text)


def test_pdf_encrypted_only_against_copying_is_read() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_document()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = to_text(buffer.getvalue(), "locked.pdf")
    assert result is not None
    assert_has_every_sentence(result.text)


def test_pdf_with_an_open_password_is_a_format_error() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_document()))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(FormatError, match="password"):
        to_text(buffer.getvalue(), "secret.pdf")


def test_scanned_pdf_has_no_text_layer() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(2):
        pdf.rect(50, 50, 400, 600, fill=1)  # stands in for the page image of a scan
        pdf.showPage()
    pdf.save()
    with pytest.raises(FormatError, match=r"no text layer \(scanned\?\)"):
        to_text(buffer.getvalue(), "scan.pdf")


# --- broken files -----------------------------------------------------------------------------------


def test_truncated_pdf_is_a_format_error() -> None:
    data = pdf_document()
    with pytest.raises(FormatError, match="truncated"):
        to_text(data[: len(data) * 2 // 3], "report.pdf")


def test_corrupt_docx_is_a_format_error() -> None:
    data = word_document()
    with pytest.raises(FormatError, match="DOCX"):
        to_text(data[: len(data) // 2], "report.docx")


def test_empty_docx_is_a_format_error() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(FormatError, match="no text"):
        to_text(buffer.getvalue(), "empty.docx")


def test_docx_with_broken_xml_is_a_format_error() -> None:
    source = io.BytesIO(word_document())
    target = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]
            new.writestr(item, content)
    with pytest.raises(FormatError, match="DOCX"):
        to_text(target.getvalue(), "report.docx")


def test_other_zip_archives_are_not_a_format_of_ours() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert to_text(buffer.getvalue(), "table.xlsx") is None


@pytest.mark.parametrize(
    "prefix, name",
    [
        (b"", "noise.bin"),
        (b"%PDF-1.7\n", "noise.pdf"),
        (b"PK\x03\x04", "noise.docx"),
        (b"PK\x03\x04", "x.zip"),
    ],
)
def test_random_bytes_never_raise_anything_but_format_error(prefix: bytes, name: str) -> None:
    rng = random.Random(6)
    for _ in range(20):
        data = prefix + rng.randbytes(rng.randrange(0, 4000))
        try:
            result = to_text(data, name)
        except FormatError:
            continue
        assert result is None or isinstance(result, FormatText)


def test_pathological_html_is_read_without_error() -> None:
    # Unclosed <font> tags by the thousand and stray end tags, as old portal editors leave them.
    paragraphs = "".join(f"<font color=red><p>第{i}段，全年完成投资{i}万元。" for i in range(3000))
    page = f"<html><body></div></span>{paragraphs}</td></tr></body></html>".encode()
    result = to_text(page, "deep.html")
    assert result is not None
    assert "第2999段，全年完成投资2999万元。" in result.text.splitlines()
    # Markup debris: broken declarations ("<![", "<!x") made html.parser assert before we guarded it.
    tokens = ["<![", "<!", "<?", "]]>", "-->", "<!--", "<p>", "</div>", "&#x", "&amp", "中文，", "。"]
    tokens += ["<br/>", "<table><tr><td>", " ", "\n", "<a href='", "'>", "<title>", "<script>"]
    tokens += ["<![if !IE]>", "<![endif]>"]
    rng = random.Random(8)
    for _ in range(300):
        noise = "".join(rng.choice(tokens) for _ in range(rng.randrange(300)))
        with contextlib.suppress(FormatError):  # a page of noise may well have no article text
            to_text(b"<!DOCTYPE html>" + noise.encode("utf-8"), "noise.html")


def test_damaged_pdf_body_never_raises_anything_but_format_error() -> None:
    data = bytearray(pdf_document())
    rng = random.Random(7)
    for _ in range(10):
        damaged = bytearray(data)
        for _ in range(30):
            damaged[rng.randrange(len(damaged) - 100)] = rng.randrange(256)
        try:
            result = to_text(bytes(damaged), "damaged.pdf")
        except FormatError:
            continue
        assert result is not None and result.format == "pdf"


def test_plain_text_is_not_a_format_of_ours() -> None:
    assert to_text(SEED.read_bytes(), SEED.name) is None
    assert to_text(SEED_TEXT.encode("gbk"), "x.html") is None
