"""Portal boilerplate: the lines a government website or document mirror wraps around a report.

Scraped reports carry an information-disclosure table (索引号 / 发布机构 / 文号 / 成文日期), page furniture
(字体 大 中 小, 【打印】【关闭】, 浏览次数, 分享), bylines (来源:, 责任编辑) and download-site notices. Their
numbers (index codes, view counts, file sizes, phone numbers) are not facts about the reporting unit, so
the fact extractor skips every number inside a span returned by `boilerplate_spans`.

A line is judged as a whole, on its `matching_view` (half-width, simplified), so traditional-character
pages and full-width colons match the same rules. Spans are offsets into the original text, end exclusive,
and never include the line break.
"""

from __future__ import annotations

import bisect
import re

from ingest.normalize import matching_view

# Patterns of the rules below, compiled once at import.
_PAGE_NUMBER_RE = re.compile(r"^第\s*[\w]{1,4}\s*版")
_DOCUMENT_NUMBER_RE = re.compile(r"[〔\[(]\s*\d{4}\s*[〕\])]\s*\d+\s*号$")
_IMAGE_NAME_RE = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp)$", re.IGNORECASE)
_LINE_RE = re.compile(r"[^\r\n]+")

# Keys of the disclosure table (政府信息公开) and of article headers. A line that starts with one of them,
# followed by a separator, is a metadata row whatever its length.
METADATA_KEYS = (
    "信息索引号",
    "索引号",
    "发布机构",
    "发文机构",
    "发布单位",
    "发文单位",
    "生成机构",
    "发文字号",
    "文号",
    "主题分类",
    "组配分类",
    "体裁分类",
    "主题(一级)",
    "主题(二级)",
    "公文目录",
    "公开方式",
    "公开范围",
    "公开日期",
    "公开时限",
    "公开形式",
    "公开程序",
    "成文日期",
    "发文日期",
    "发布日期",
    "发布时间",
    "发文时间",
    "生成日期",
    "印发日期",
    "有效性",
    "有效期",
    "效力状况",
    "登记号",
    "规范性文件登记号",
    "文件登记号",
    "统一编号",
    "文件编号",
    "主题词",
    "关键词",
    "名称",
    "标题",
    "分类",
    "体裁",
    "内容概述",
    "文件下载",
    "信息来源",
    "来源",
    "作者",
    "时间",
    "日期",
    "浏览次数",
    "浏览",
    "点击数",
    "阅读数",
    "责任编辑",
    "编辑",
    "审核",
    "校对",
    "字体",
    "字号",
    "ID",
    "大小",
    "页数",
    "格式",
    "网站客服",
    "文章字数",
    "当前版",
    "当前位置",
    "您的位置",
    "本页位置",
    "所在位置",
)
# Keys specific to the disclosure table: at the start of a short line they mark a row even with no
# separator ("索引号1133102200268512x4/2023-113279", "- 发布机构弥勒市政府办公室").
STRONG_KEYS = (
    "信息索引号",
    "索引号",
    "发布机构",
    "发文机构",
    "发布单位",
    "发文字号",
    "文号",
    "主题分类",
    "组配分类",
    "体裁分类",
    "公文目录",
    "公开方式",
    "公开范围",
    "公开日期",
    "公开时限",
    "成文日期",
    "发文日期",
    "发布日期",
    "发布时间",
    "发文时间",
    "生成日期",
    "有效性",
    "登记号",
    "统一编号",
    "主题词",
    "浏览次数",
)


def _spaced(words: tuple[str, ...]) -> str:
    """Alternation of `words`, each allowed blanks between its characters ("索  引  号", "标       题")."""
    return "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(words, key=len, reverse=True))


_STRONG_ALTERNATION = _spaced(STRONG_KEYS)
_STRONG_ROW = re.compile(rf"^[\s•·\-\*\|\[【]*(?:{_STRONG_ALTERNATION})")
_STRONG_ANY = re.compile(_STRONG_ALTERNATION)
_KEY_ALTERNATION = _spaced(METADATA_KEYS)
# Optional list bullet or table bracket, the key, then a separator (colon, pipe, closing bracket).
_KEY_ROW = re.compile(rf"^[\s•·\-\*\|\[【]*(?:{_KEY_ALTERNATION})\s*[\]】]?\s*(?::|\||$)")
# A key with its separator anywhere in a line ("2023年02月07日来源:沈河区发改局").
_KEY_INLINE = re.compile(rf"(?:{_KEY_ALTERNATION})\s*[\]】]?\s*:")

# Page furniture words that stand alone or in short runs.
_FURNITURE_WORDS = (
    "打印",
    "关闭",
    "分享",
    "收藏",
    "下载",
    "下载文档",
    "首页",
    "返回",
    "顶部",
    "返回顶部",
    "上一篇",
    "下一篇",
    "上一版",
    "下一版",
    "首版",
    "末版",
    "放大",
    "缩小",
    "默认",
    "大",
    "中",
    "小",
    "扫一扫",
    "微信",
    "微博",
    "手机版",
    "长者模式",
    "无障碍浏览",
    "无障碍",
    "搜索",
    "海报",
    "侵权投诉",
    "导航菜单",
    "打印本页",
    "关闭窗口",
    "字体",
    "色调调节",
    "访客",
    "注册",
    "登录",
    "用户中心",
    "规章库",
    "相关附件",
    "附件",
    "网站首页",
    "数字报首页",
    "往期浏览",
    "常见问题",
    "使用说明",
    "文章标题",
    "文章内容",
    "文章作者",
    "扫描二维码",
    "数字报纸",
)
_FURNITURE_TOKEN = _spaced(_FURNITURE_WORDS)
# A line made only of furniture words, brackets, separators and blanks: "【打印】【关闭】",
# "[ 字体: 大 中 小 ]".
_FURNITURE_LINE = re.compile(rf"^(?:[\s\[\]【】()<>|:·•\-_/]|{_FURNITURE_TOKEN})+$")
# Short lines with one of these are page furniture even amid other words.
_FURNITURE_MARKERS = re.compile(
    r"浏览次数|【打印】|【关闭】|\[打印\]|打印本页|关闭窗口|字体:|字号:|责任编辑|分享到|扫一扫|"
    r"来源:|信息来源|作者:|编辑:|阅读量|点击量|访问量|返回顶部|无障碍浏览|无障碍辅助|"
    r"(?:记者|通讯员|摄影)\s*[\u4e00-\u9fff]{2,3}(?:\s|$)|\s摄$"
)
# Notices of document-sharing and download sites, at any length.
_SITE_NOTICE = re.compile(
    r"温馨提示|本文档由|由会员分享|珍藏版|网站客服|版权归属|侵权投诉|下载文档|付费|联系客服|"
    r"请输入验证码|在线阅读|需要先登录|分享赚钱|分享文档|VIP|可在线阅读|文档下载|本站|新闻报料|Original URL|"
    r"查看全文|阅读全文|展开全文|版权所有|ICP备|公网安备|网站标识码"
)
# Breadcrumbs: "首页 > 政务公开 > 规划信息".
_BREADCRUMB = re.compile(r"(?:^|\s)(?:>>?|»|›)\s*\S+.*(?:>>?|»|›)")
# Lines that hold only a date, a file size, a page count or a view counter ("999+").
_LONE_STAMP = re.compile(
    r"^[\s•·\-]*(?:\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d+(?:\.\d+)?\s*(?:KB|MB|GB|K|M)|\d+\s*页|\d+\+)\s*$",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+")
_SENTENCE_END = re.compile(r"[。;!?]")

_SHORT = 60  # furniture markers only count on short lines: a sentence of content can mention 来源
_VALUE_MAX = 40  # the value printed on the line below a bare key


def is_boilerplate_line(line: str) -> bool:
    """True when a whole line is portal furniture or document metadata rather than report content."""
    view = matching_view(line).strip()
    if not view:
        return False
    if _KEY_ROW.match(view) and not _reads_as_sentence(view):
        return True
    if len(view) <= _SHORT and _STRONG_ROW.match(view):
        return True
    if len(view) < 120 and len(set(_STRONG_ANY.findall(view))) >= 2:
        return True
    if _FURNITURE_LINE.match(view):
        return True
    if _SITE_NOTICE.search(view) and len(view) < 200:
        return True
    if len(view) <= _SHORT and (_FURNITURE_MARKERS.search(view) or _KEY_INLINE.search(view)):
        return True
    if _BREADCRUMB.search(view) and len(view) < 120 and not _SENTENCE_END.search(view):
        return True
    if len(view) <= _SHORT and _PAGE_NUMBER_RE.match(view):
        return True  # a newspaper page header: "第14版:今日开发区·特别报道"
    if len(view) <= 30 and _DOCUMENT_NUMBER_RE.search(view):
        return True  # a document number on its own line: "城发改委发〔2025〕4号"
    if len(view) <= _SHORT and _IMAGE_NAME_RE.search(view):
        return True  # an image file name left where the picture was
    if _LONE_STAMP.match(view):
        return True
    return bool(_URL_LINE.match(view) and len(view) < 120)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of every boilerplate line of `text`, in order, end exclusive.

    Besides lines that are boilerplate on their own, a short value line right below a bare key line
    (a disclosure table printed one cell per line: "• 成文日期:" then "• 2024-01-24") is boilerplate.
    """
    spans: list[tuple[int, int]] = []
    previous_was_bare_key = False
    for match in _LINE_RE.finditer(text):
        line = match.group()
        view = matching_view(line).strip()
        if not view.strip("\t •·-|"):
            continue  # blank or bullet-only lines do not break a key/value pair
        if is_boilerplate_line(line):
            spans.append(match.span())
            previous_was_bare_key = _is_bare_key(view)
        elif previous_was_bare_key and _looks_like_cell_value(view):
            spans.append(match.span())
            previous_was_bare_key = False
        else:
            previous_was_bare_key = False
    return spans


def blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span (sorted, not overlapping) replaced by as many spaces: offsets stay valid."""
    if not spans:
        return text
    pieces, pos = [], 0
    for start, end in spans:
        pieces += [text[pos:start], " " * (end - start)]
        pos = end
    return "".join(pieces) + text[pos:]


def in_spans(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when `offset` falls inside one of `spans` (sorted, non-overlapping, as returned above)."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _is_bare_key(view: str) -> bool:
    """A disclosure-table key with nothing after it: "发布机构:" or "• 成文日期:"."""
    match = _STRONG_ROW.match(view)
    return bool(match) and not view[match.end() :].strip(" |:]】")


# A date cell: 2024-01-24, 2024年04月12日.
_DATE_CELL = re.compile(r"^[\s•·\-]*\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?[\d:\s]*$")
_TITLE_WORDS = re.compile(r"报告|总结|计划|工作|要点|规划|通知|意见|方案")


def _looks_like_cell_value(view: str) -> bool:
    """The value of a table cell printed on its own line: a code, a date or a short name, not a title."""
    if len(view) > _VALUE_MAX or _reads_as_sentence(view):
        return False
    if _DATE_CELL.match(view):
        return True
    cjk = sum(1 for ch in view if "\u4e00" <= ch <= "\u9fff")
    return cjk == 0 or (cjk <= 12 and not _TITLE_WORDS.search(view))


def _reads_as_sentence(view: str) -> bool:
    """Content prose: long, with clause punctuation. Metadata rows are short cells without it."""
    return len(view) > 80 and view.count(",") + view.count("。") >= 3
