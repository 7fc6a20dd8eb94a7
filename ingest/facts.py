"""Quantitative facts from report text, following shared/gold/GUIDELINE.md.

The pipeline for one text:
  1. `matching_view` folds full-width forms and traditional characters (same length, same offsets);
  2. `split_sections` finds the review and plan parts and their years;
  3. `find_numbers` finds numbers with units and hedges; `_is_quantity` drops dates, ordinals, codes,
     thresholds inside metric names and portal boilerplate;
  4. each kept number gets its sentence, metric phrase, measure, sign, period, comparator, kind and year.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from ingest.metrics import ACTION_VERBS, clean_metric, metric_after, metric_before, metric_tier, segment
from ingest.models import DocumentMetadata, Fact
from ingest.normalize import matching_view, to_simplified
from ingest.numbers import (
    CN_CONCRETE_UNITS,
    NumberMention,
    find_numbers,
    parse_chinese_numeral,
    prefix_hedge,
    word_set,
)
from ingest.sections import SectionMap, iter_sentences, split_sections

# --- What is not a quantity -----------------------------------------------------------------------------

# Portal chrome around a report: header tables, font switches, share/print links, view counters.
_BOILERPLATE_LINE_RE = re.compile(
    r"索引号|发文日期|成文日期|发布日期|发布时间|发文时间|发布机构|文号[:：\s]|主题分类|体裁分类|登记号|有效性[:：\s]|"
    r"公开方式|公开范围|浏览次数|访问次数|阅读次数|点击数|点击率|浏览量|阅读量|字体[:：\s]|【\s*大\s*中\s*小\s*】|"
    r"来源[:：]|当前位置|本页位置|责任编辑|编辑[:：]|(?:电话|传真|邮编|邮箱|地址)[:：]|版权所有|ICP备|网站标识码|"
    r"公网安备|查看全文|阅读全文|展开全文|下载文档|页数[:：]|大小[:：]|格式[:：]|扫一扫|二维码"
)
# Link words that are boilerplate only when they stand (nearly) alone on a line.
_SHORT_CHROME_RE = re.compile(r"打印|关闭|分享|收藏|订阅|返回顶部|上一篇|下一篇|纠错")
_CLAUSE_BOUNDARY = ",，:：;；。！？!?\n()（）"
_LIST_BOUNDARY = _CLAUSE_BOUNDARY + "、"
# Words after an 以上/以下 that make the number a threshold inside a metric name (亿元以上项目, 50万元以上村).
_THRESHOLD_TAIL_RE = re.compile(r"(?:以上|以下|以内)(?![的,，。；;、:：)）]|$)")
_THRESHOLD_COMPARE_RE = re.compile(r"(?:低于|高于|不足|超过|大于|小于)$")
_RANK_AFTER_RE = re.compile(r"^[^,，。；;]{0,14}第[\d一二三四五六七八九十]+[位名]")
_EVENT_AFTER_RE = re.compile(r"^(?:会议|全会|代表大会|党代会|人代会|届|产业)")
# Words after a count that make it an enumeration or a name: 四个方面, 两个确立, 三位一体, 八项规定.
_ABSTRACT_AFTER_RE = re.compile(
    r"^(?:方面|确立|维护|坚持|统筹|必须|意识|自信|一号|原则|优先|不|是|要|到位|结合|服从|一体|规定|合一|融合|联动|"
    r"并举|齐抓|同步|协同|清零|全覆盖|之年|战略|精神|攻坚战)"
)
_SLOGAN_MINUTES_RE = re.compile(r"^[^,，。；;]{0,8}圈")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")

# --- Words that decide measure, sign, comparator, kind and period ---------------------------------------

_GROWTH_LEAD_RE = re.compile(
    r"增长|增速|增幅|下降|下滑|减少|降低|提高|提升|上升|回落|负增长|增加|同比|环比|比上年|较上年|比去年|较去年|增|降|涨|减"
)
_GROWTH_AFTER_RE = re.compile(r"^(?:以上|以内|左右)?(?:的)?(?:增速|增幅|增长)")
_NEGATIVE_RE = re.compile(r"下降|下滑|减少|降低|回落|负增长|降|减")
_RATIO_METRIC_RE = re.compile(r"(?:率|比重|占比|比例|份额|覆盖面|达标|水平)$")
_SHARE_LEAD_RE = re.compile(r"占[^,，。；;]{0,20}(?:的)?$")
_FORECAST_RE = re.compile(r"预计")
_CONTINUATION_RE = re.compile(r"^\s*(?:同比|比上年|较上年|比去年|环比|增长|下降|增幅|增速|占|其中|分别)")
# Cues of a goal in the clause of a number (力争引进…, 确保…, 增长5%以上的目标), and stronger cues that
# open a sentence-long list of goals (主要预期目标是…, 计划…).
_TARGET_CUE_RE = re.compile(
    r"力争|确保|预期|计划|预计到|力求|努力|拟|规划|打算|锚定|(?<![总])目标(?!定位)|"
    # 争取 sets a goal before a verb (争取创建); 向上争取资金 reports money secured.
    r"争取(?=实现|完成|创建|创成|达到|引进|新增|突破|建成|盘活|全年|新建|培育|列入|成功)|"
    # 将/要 mark the future only before a verb (将新建, 要确保); 将5个村纳入 or 主要 do not.
    r"(?:将|要)(?:继续|进一步|全力|加快|力争|确保|实现|完成|新建|推进|打造|建成|达到|突破|保持|新增|引进|培育|实施)"
)
# In a review, a clause that sets a goal for the rest of the year (力争全年完成…) states a target.
_REVIEW_GOAL_RE = re.compile(r"力争|确保")
_TARGET_LIST_CUE_RE = re.compile(
    r"(?:主要|预期|发展|奋斗|工作)目标(?:是|为|:|,|包括|如下)|力争|确保|争取|计划|锚定"
)


def _target_cue(
    view: str, full_start: int, clause_start: int, num_lo: int, span_end: int, sent_end: int
) -> bool:
    """Whether a number outside any plan section is a goal by its own words."""
    clause_after = view[span_end : _clause_end(view, span_end, sent_end) + 4]
    if _TARGET_CUE_RE.search(view[clause_start:num_lo]) or _TARGET_CUE_RE.search(clause_after):
        return True
    return bool(_TARGET_LIST_CUE_RE.search(view[full_start:clause_start]))


_TARGET_LEAD_RE = re.compile(r"(?:目标任务|目标|计划|任务|年度任务|年计划)(?:数)?$")
_TO_LEVEL_RE = re.compile(
    r"(?:提高|提升|增长|增加|上升|下降|降低|减少|增|降)(?:到|至)\s*$|由[^,，]*(?:提高|提升|增长|增加|上升|下降|降低|减少)$"
)
_COMPLETION_RE = re.compile(
    r"(?:完成|超额完成|超|为|达)(?:了)?(?:年度|全年|年)?(?:目标|计划|任务)(?:任务)?(?:的)?\s*$"
)
_PLANNED_RE = re.compile(
    r"(?:^|其中|年|年度|全年|今年|并|还|同时|将)(?:计划|目标|预期)(?:实施|投资|完成|新增|引进|建设)?$"
)
_TARGET_YEAR_RE = re.compile(r"到\s*((?:19|20)\d\d)\s*年")

_PERIOD_RANGE_RE = re.compile(r"(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月")
_PERIOD_UNTIL_RE = re.compile(
    r"截[至止](?:今年|(?:19|20)\d\d年)?(\d{1,2})月(?:底|末|份)?|前(\d{1,2}|[二三四五六七八九十]{1,2})个月"
)
_PERIOD_WORDS = {
    "前三季度": "ytd:1-9",
    "上半年": "ytd:1-6",
    "半年度": "ytd:1-6",
    "一季度": "ytd:1-3",
    "第一季度": "ytd:1-3",
}
_PERIOD_WORD_RE = re.compile("|".join(_PERIOD_WORDS))
_CUMULATIVE_RE = re.compile(r"累计")
_YEAR_WIDE_RE = re.compile(r"全年|今年以来|今年|年内|当年|本年|年度")

_DIST_CUE_RE = re.compile(r"(?:等(?:[\d一二三四五六七八九十]+[项个])?(?:主要|核心|经济)?指标)|各|均|都")
_LIST_SPLIT_RE = re.compile(r"、|和|及|与")


@dataclass(slots=True)
class _Context:
    text: str
    view: str
    sections: SectionMap
    sentence_starts: list[int]
    sentences: list[tuple[int, int]]
    doc_period: str | None


_DOC_PERIOD_RE = re.compile(
    r"(?:19|20)\d\d\s*年\s*(?:(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月|(上半年|前三季度|一季度))"
    r"(?:份)?[^。\n]{0,20}?(?:工作)?(?:总结|回顾|执行情况|完成情况|运行情况|情况|报告)"
)


def _doc_period(view: str, metadata: DocumentMetadata | None) -> str | None:
    """A report on 1-6月 or 上半年 of a year (its title says so) gives that period to its whole review."""
    title = metadata.title if metadata and metadata.title else ""
    for head in (title, view[:800]):
        m = _DOC_PERIOD_RE.search(head)
        if m and m.group(1):
            return _range_period(int(m.group(1)), int(m.group(2)))
        if m:
            return _PERIOD_WORDS[m.group(3)]
    return None


def _range_period(a: int, b: int) -> str:
    if a == 1 and b == 12:
        return "year"
    return f"ytd:{a}-{b}"


def _boilerplate_spans(view: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in view.split("\n"):
        stripped = line.strip()
        # Portal chrome is short and no prose: a line of sentences that mentions a phone stays.
        chrome = (
            len(stripped) < 80
            and ("。" not in stripped or len(stripped) < 30)
            and _BOILERPLATE_LINE_RE.search(stripped)
        )
        if stripped and (chrome or (len(stripped) <= 20 and _SHORT_CHROME_RE.search(stripped))):
            spans.append((pos, pos + len(line)))
        elif "|" in stripped and stripped.count("|") >= 2 and len(stripped) < 120:
            spans.append((pos, pos + len(line)))  # portal metadata tables rendered with pipes
        pos += len(line) + 1
    return spans


def _in_quotes(view: str, start: int, end: int) -> bool:
    """Whether a number sits inside a short quoted name (“20条”, “15分钟品质文化生活圈”)."""
    open_at = view.rfind("“", max(0, start - 12), start)
    if open_at < 0:
        return False
    if view.find("”", open_at, start) >= 0:
        return False
    close_at = view.find("”", end, end + 16)
    return close_at >= 0


_COUNT_UNITS = word_set(
    "个 家 户 人 名 位 项 件 条 处 座 所 宗 批 起 块 份 支 张 只 套 类 轮 场 "
    "场次 次 人次 辆 台 栋 幢 间 村 家次 户次"
)
_BARE_SCALE_NUMERALS = frozenset("十百千万亿")
_MONEY_UNIT_RE = re.compile(r"元$|^(?:万|亿|千万|百万)$")
_MONEY_CLASS_AFTER_RE = re.compile(
    r"(?:级|规模)?(?:项目|企业|大项目|工程)|的?(?:村|社区|企业|项目|户|家)?\d+(?:\.\d+)?(?![\d.]|\s*%)"
)
_ONE_OF_RE = re.compile(r"^[^,，。；;]{0,10}之一")


def _is_quantity(view: str, m: NumberMention) -> bool:
    before = view[max(0, m.start - 2) : m.start]
    after = view[m.span_end : m.span_end + 16]
    prev = view[m.start - 1] if m.start > 0 else ""
    if before.endswith(("第", "前", "No", ".")) or view.startswith("连续", m.start - 2):
        return False
    if prev and (prev.isdigit() or prev in "+/-—–~～·:" or (prev.isascii() and prev.isalpha())):
        return False  # 1+5, PM2.5, 5G, 3.28, the upper end of 5-8% ...
    if re.search(r"\d\s*[至到]\s*$", view[max(0, m.start - 4) : m.start]):
        return False  # the upper end of 3至5家, read with its lower end
    if prev in ("数", "几", "若") and m.chinese:
        return False  # 数十家, 几百人: no number stated
    if view[m.end : m.end + 1] in ("+", "/", ":", ".") and not m.unit:
        return False
    if not m.unit:
        # A bare Arabic number counts only as N大 (8大服务平台); a Chinese one never does.
        return not m.chinese and view.startswith("大", m.end) and 1 <= m.value <= 99
    if m.chinese:
        if m.unit not in CN_CONCRETE_UNITS and not m.unit.startswith(("万", "亿")):
            return False  # 三大, 四方, 两年 are no quantities; 两万余米 is
        if prev in ("周", "初", "星", "期", "礼", "之", "万", "千", "百", "一", "十"):
            return False
        numeral = view[m.start : m.end]
        if numeral == "一" and (
            m.unit not in ("家", "所", "座", "名", "位", "户") or prev in "漏落每一" or after.startswith("一")
        ):
            return False  # 一批, 每一户, 不漏一户, 一户一档: no count
        # 三个“一号工程”, 两个先行, 四个平台: a Chinese count before a noun names a set; a count that
        # follows its noun (管护资金项目两个) is a quantity.
        if m.unit == "个" and after[:1] and (after[0] == "“" or "\u4e00" <= after[0] <= "\u9fff"):
            return False
        # 万亩连片, 千亩高产: a bare scale is a size class, unless hedged (近万名, 超千家).
        if numeral in _BARE_SCALE_NUMERALS and m.comparator == "=" and not view.startswith("达", m.start - 1):
            return False
        # 超亿元企业, 千万元项目: a size class inside a name, not an amount.
        if numeral in _BARE_SCALE_NUMERALS and re.match(
            r"[级以]?[\u4e00-\u9fff]{0,4}?(?:企业|项目|工程|村|户|大户|规模|产业|集群|平台)", after
        ):
            return False
    if _ABSTRACT_AFTER_RE.match(after):
        return False
    if m.unit in ("年", "年度", "周") or view.startswith("年", m.end):
        return False  # years, 过去5年, 75周年; 连续N年 is optional at most
    if _YEAR_RE.fullmatch(view[m.start : m.end]) and not m.unit:
        return False
    if _EVENT_AFTER_RE.match(after) and m.unit in ("次", "届"):
        return False
    if m.unit in ("小时",) and m.value == 24:
        return False  # 24小时值班/在线: a slogan, not a measurement
    if m.unit == "分钟" and _SLOGAN_MINUTES_RE.match(after):
        return False
    if _in_quotes(view, m.start, m.end):
        return False
    # A threshold inside a metric name: 亿元以上项目, 50万元以上村数, 注册资金1000万以上29家. A count
    # before 以上 is the fact itself (3家以上企业).
    tail = view[m.end : m.span_end + 2]
    if (
        _THRESHOLD_TAIL_RE.search(tail)
        and m.comparator in (">=", "<=")
        and m.unit not in _COUNT_UNITS
        and m.unit not in ("%", "‰")
    ):
        return False
    if _THRESHOLD_COMPARE_RE.search(view[max(0, m.start - 3) : m.start]) and after.startswith("的"):
        return False
    if m.unit in _COUNT_UNITS and _THRESHOLD_TAIL_RE.search(tail):
        # 50头以上黄牛养殖企业共有42家: a count class when the clause goes on to give the count.
        rest = view[m.span_end : m.span_end + 20]
        rest = rest[: next((i for i, ch in enumerate(rest) if ch in _CLAUSE_BOUNDARY), len(rest))]
        if re.search(r"\d", rest):
            return False
    if _MONEY_UNIT_RE.search(m.unit) and _MONEY_CLASS_AFTER_RE.match(view, m.span_end):
        return False  # 过10亿元项目6个, 达到100万元的村2个: a size class, the count is the fact
    if view.startswith("年产", m.start - 2) and after[:1] and "\u4e00" <= after[0] <= "\u9fff":
        return False  # 年产200万吨机制砂项目: a plant's capacity inside its name
    if _ONE_OF_RE.match(after):
        return False  # 为全国15个县市区之一
    # The count of a ranking's field (排名146个监测县第1位).
    return not (
        m.unit in ("个", "家") and _RANK_AFTER_RE.match(after) and "排" in view[max(0, m.start - 8) : m.start]
    )


# --- Building facts -------------------------------------------------------------------------------------


def _last_of(view: str, chars: str, lo: int, pos: int) -> int:
    """The last index in [lo, pos) holding one of `chars`, or -1 (a few C-level rfinds, no Python loop)."""
    return max(view.rfind(ch, lo, pos) for ch in chars)


def _clause_start(view: str, lo: int, pos: int, boundaries: str) -> int:
    lo = max(lo, pos - _MAX_LOOKBACK, 0)
    at = _last_of(view, boundaries, lo, pos)
    return at + 1 if at >= 0 else lo


_LIST_BOUNDARY_RE = re.compile("[" + re.escape(_LIST_BOUNDARY) + "]")


def _clause_end(view: str, pos: int, hi: int) -> int:
    hi = min(hi, pos + _MAX_LOOKBACK)
    m = _LIST_BOUNDARY_RE.search(view, pos, hi)
    return m.start() if m else hi


_MAX_LOOKBACK = 400  # chars; bounds the work per number on text without punctuation
_MAX_SENTENCE = 1000  # chars of a sentence kept on a fact
_FULL_STOPS = "。！？!?\n•●◆▲■"


def _full_sentence_start(view: str, lo_limit: int, pos: int) -> int:
    """Start of the 。-delimited sentence around pos: periods and 预计 carry across ；."""
    floor = max(lo_limit, pos - _MAX_LOOKBACK, 0)
    at = _last_of(view, _FULL_STOPS, floor, pos)
    return at + 1 if at >= 0 else floor


def _period(view: str, sent_start: int, num_start: int, ctx: _Context, section: str) -> str:
    """The period of a number from its own sentence (GUIDELINE conventions)."""
    if section == "plan":
        return "year"
    head = view[_full_sentence_start(view, 0, num_start) : num_start]
    found: tuple[int, str] | None = None
    for m in _PERIOD_RANGE_RE.finditer(head):
        found = (m.start(), _range_period(int(m.group(1)), int(m.group(2))))
    for m in _PERIOD_UNTIL_RE.finditer(head):
        months = m.group(1) or m.group(2)
        n = int(months) if months.isdigit() else int(parse_chinese_numeral(months) or 0)
        if 1 <= n <= 12 and (found is None or m.start() > found[0]):
            found = (m.start(), _range_period(1, n))
    for m in _PERIOD_WORD_RE.finditer(head):
        if found is None or m.start() > found[0]:
            found = (m.start(), _PERIOD_WORDS[m.group(0)])
    if found:
        return found[1]
    cum = None
    for m in _CUMULATIVE_RE.finditer(head):
        cum = m
    if cum is not None:
        before = head[: cum.start()]
        clause_lead = before[_clause_start(before, 0, len(before), _CLAUSE_BOUNDARY) :]
        # 全年累计 / 今年以来累计 is the year; 固定资产投资累计完成 accumulates over the year too.
        # 累计 governs the run of result clauses it opens; a clause without a number ends the run.
        between = re.split(r"[,，;；]", head[cum.end() :])[:-1]
        run_unbroken = all(re.search(r"\d|[一二两三四五六七八九十]", c) for c in between)
        if (
            run_unbroken
            and not _YEAR_WIDE_RE.search(before)
            and not re.search(r"[^共我镇街道全区市县]{2,}$", clause_lead)
        ):
            return "cumulative"
    return ctx.doc_period if (ctx.doc_period and section != "plan") else "year"


def _sentence_of(ctx: _Context, pos: int) -> tuple[int, int]:
    i = bisect_right(ctx.sentence_starts, pos) - 1
    return ctx.sentences[max(i, 0)]


def _distribution_items(view: str, comma_start: int, num_start: int) -> list[tuple[int, int]] | None:
    """Metrics a number is shared by: 'A、B、C等指标保持20%以上' or '月湖、护城河河长巡河各40次'."""
    prefix = view[comma_start:num_start]
    if "、" not in prefix and "和" not in prefix:
        return None
    cue = None
    for m in _DIST_CUE_RE.finditer(prefix):
        cue = m
    n_of = re.search(r"\d+个$", prefix)
    if cue is None and n_of is None:
        return None
    cut = cue.start() if cue is not None else n_of.start()  # type: ignore[union-attr]
    list_text = prefix[:cut]
    if "、" not in list_text:
        return None
    items: list[tuple[int, int]] = []
    pos = 0
    for part in re.split(r"(、)", list_text):
        if part != "、" and part.strip():
            items.append((comma_start + pos, comma_start + pos + len(part)))
        pos += len(part)
    if len(items) < 2 or any(re.search(r"\d", view[a:b]) for a, b in items):
        return None  # counted things (10个A、17个B均…) are no list of metrics
    # The first item may carry the clause's verb (开展月湖): keep only its metric words.
    first_start, first_end = items[0]
    span = metric_before(view[first_start:first_end])
    if span:
        items[0] = (first_start + span[0], first_start + span[1])
    return items


def _metric_for(
    view: str, clause_lo: int, num_start: int, after_start: int, after_end: int
) -> tuple[tuple[int, int] | None, int]:
    """(metric span, end of the metric in the prefix) for a number; the span may lie after the number."""
    prefix = view[clause_lo:num_start]
    span = metric_before(prefix)
    after_span = metric_after(view[after_start:after_end])
    trimmed = prefix.rstrip()
    prefers_after = trimmed.endswith("等") or trimmed.endswith("的") or not trimmed
    if span is not None and after_span is not None:
        # A phrase ending in an action (投资, 粤港澳大湾区建设) names the activity, not what is counted:
        # 建设38项重点工作 counts the 重点工作 after the number.
        words = segment(prefix[span[0] : span[1]])
        if words and words[-1] in ACTION_VERBS:
            prefers_after = True
    if (span is None or prefers_after) and after_span is not None:
        return (after_start + after_span[0], after_start + after_span[1]), len(prefix)
    if span is None and not prefix.strip() and clause_lo > 0 and view[clause_lo - 1] in ")）":
        # 限额以上企业销售额(营业额)6.24亿元: the metric stands before a bracketed gloss.
        window = max(0, clause_lo - 30)
        open_at = max(view.rfind("(", window, clause_lo), view.rfind("（", window, clause_lo))
        if open_at > 0:
            lo2 = _clause_start(view, max(0, open_at - _MAX_LOOKBACK), open_at, _LIST_BOUNDARY)
            span2 = metric_before(view[lo2:open_at])
            if span2 is not None:
                return (lo2 + span2[0], lo2 + span2[1]), len(prefix)
    if span is None:
        return None, len(prefix)
    return (clause_lo + span[0], clause_lo + span[1]), span[1]


# Pinyin glosses some portals put after characters: 生產(chǎn)總值. They split words, so rules run on a
# copy without them and offsets are mapped back.
_PINYIN_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]")


_ORDINAL_LINE_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+)"
)
_WRAP_END_RE = re.compile(r"[\u4e00-\u9fff\dA-Za-z%,，、“(（]$")


def _soft_newlines(text: str) -> list[tuple[int, int]]:
    """Line breaks of a hard-wrapped page (PDF text) that fall inside a sentence.

    A page counts as hard-wrapped when many of its long lines end mid-sentence; a break is soft when the
    line before is long, ends mid-sentence and is no heading, and the next line is no heading either.
    """
    lines = text.split("\n")
    long_lines = [ln.rstrip() for ln in lines if len(ln.strip()) >= 15]
    if len(long_lines) < 4:
        return []
    wrapped = sum(1 for ln in long_lines if _WRAP_END_RE.search(ln))
    if wrapped < 0.3 * len(long_lines):
        return []
    spans = []
    pos = 0
    for i, line in enumerate(lines[:-1]):
        end = pos + len(line)
        nxt = lines[i + 1]
        stripped = line.strip()
        if (
            len(stripped) >= 15
            and _WRAP_END_RE.search(stripped)
            and not _ORDINAL_LINE_RE.match(stripped)
            and nxt.strip()
            and not _ORDINAL_LINE_RE.match(nxt)
        ):
            spans.append((end, end + 1))
        pos = end + 1
    return spans


def extract_facts(text: str, metadata: DocumentMetadata | None = None) -> list[Fact]:
    """Every quantitative fact of `text`, in text order."""
    if not text:
        return []
    # Pinyin glosses and hard line wraps are cut out before the rules run; offsets are mapped back.
    cuts = sorted([g.span() for g in _PINYIN_RE.finditer(text)] + _soft_newlines(text))
    if not cuts:
        return _extract(text, metadata)
    index: list[int] = []
    pieces: list[str] = []
    pos = 0
    for a, b in cuts:
        if a < pos:
            continue
        pieces.append(text[pos:a])
        index.extend(range(pos, a))
        pos = b
    pieces.append(text[pos:])
    index.extend(range(pos, len(text)))
    compact = "".join(pieces)
    return [_remap(f, text, index) for f in _extract(compact, metadata)]


def _orig_span(index: list[int], start: int, end: int) -> tuple[int, int]:
    if end <= start:
        o = index[start] if start < len(index) else (index[-1] + 1 if index else 0)
        return o, o
    return index[start], index[end - 1] + 1


def _with_glosses(phrase: str, source: str) -> str:
    """The phrase as it stands in the source, pinyin glosses included (生產(chǎn)總值)."""
    if not phrase:
        return phrase
    gap = "(?:[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]|\n)?"
    pattern = gap.join(re.escape(ch) for ch in phrase)
    m = re.search(pattern, source)
    return m.group(0) if m else phrase


def _remap(f: Fact, text: str, index: list[int]) -> Fact:
    cs, ce = _orig_span(index, f.char_start, f.char_end)
    ss, se = _orig_span(index, f.sentence_start, f.sentence_start + len(f.sentence))
    sentence = text[ss:se]
    # As written, glosses included, but without the line breaks of a hard-wrapped page.
    metric_raw = re.sub(r"\s*\n\s*", "", _with_glosses(f.metric_raw, sentence))
    return replace(
        f,
        char_start=cs,
        char_end=ce,
        number_text=text[cs:ce],
        sentence=sentence,
        sentence_start=ss,
        metric_raw=metric_raw,
        unit_raw=_with_glosses(f.unit_raw, text[ce : ce + 20]) if f.unit_raw else f.unit_raw,
    )


def _extract(text: str, metadata: DocumentMetadata | None) -> list[Fact]:
    view = matching_view(text)
    sections = split_sections(text, view, metadata)
    sentences = iter_sentences(view)
    ctx = _Context(
        text=text,
        view=view,
        sections=sections,
        sentence_starts=[s for s, _ in sentences],
        sentences=sentences,
        doc_period=_doc_period(view, metadata),
    )
    boiler = _boilerplate_spans(view)
    mentions = [m for m in find_numbers(view) if _is_quantity(view, m)]
    if boiler:
        starts = [a for a, _ in boiler]

        def in_chrome(pos: int) -> bool:
            i = bisect_right(starts, pos) - 1
            return i >= 0 and pos < boiler[i][1]

        mentions = [m for m in mentions if not in_chrome(m.start)]
    facts: list[Fact] = []
    prev_end_in_sentence: dict[int, int] = {}
    last_metric_in_sentence: dict[int, dict] = {}
    for m in mentions:
        sent_start, sent_end = _sentence_of(ctx, m.start)
        lo = max(sent_start, prev_end_in_sentence.get(sent_start, sent_start))
        prev_end_in_sentence[sent_start] = m.span_end
        facts.extend(_facts_for(ctx, m, sent_start, sent_end, lo, last_metric_in_sentence))
    return facts


def _pre_hedge_start(view: str, start: int) -> int:
    """Where the words in front of a number end once hedges (超过, 近, 约 ...) are taken off."""
    comp, at = prefix_hedge(view, start)
    return at if comp is not None and comp != "=" else start


def _facts_for(
    ctx: _Context,
    m: NumberMention,
    sent_start: int,
    sent_end: int,
    lo: int,
    last_metric: dict[int, dict],
) -> list[Fact]:
    view, text = ctx.view, ctx.text
    num_lo = _pre_hedge_start(view, m.start)
    clause_lo = _clause_start(view, lo, num_lo, _LIST_BOUNDARY)
    comma_lo = _clause_start(view, lo, num_lo, _CLAUSE_BOUNDARY)
    comma_full = _clause_start(view, sent_start, num_lo, _CLAUSE_BOUNDARY)
    after_end = _clause_end(view, m.span_end, sent_end)
    metric_span, metric_end_in_prefix = _metric_for(view, clause_lo, num_lo, m.span_end, after_end)
    prefix = view[clause_lo:num_lo]
    if metric_span is not None and metric_span[0] < m.start:
        lead = prefix[metric_end_in_prefix:]
        metric_raw = clean_metric(text[metric_span[0] : metric_span[1]])
    elif metric_span is not None:
        lead = prefix
        metric_raw = clean_metric(text[metric_span[0] : metric_span[1]])
    else:
        lead = prefix
        metric_raw = ""
    unit_raw = "".join(text[a:b] for a, b in m.unit_pieces)
    unit_norm = "".join(view[a:b] for a, b in m.unit_pieces)

    # Measure and sign.
    after = view[m.span_end : m.span_end + 6]
    measure = "level"
    sign = 1.0
    if unit_norm in ("个百分点", "百分点"):
        measure = "growth_pp"
    elif unit_norm in ("%", "‰"):
        if not lead.strip(" 和、及与或"):
            lead = view[comma_full:num_lo]  # 分别增长6.0%和8.5%: the second number shares the verb
        ratio_metric = bool(_RATIO_METRIC_RE.search((metric_raw and to_simplified(metric_raw)) or ""))
        growth_lead = bool(_GROWTH_LEAD_RE.search(lead)) or bool(_GROWTH_AFTER_RE.match(after))
        if _SHARE_LEAD_RE.search(view[comma_lo:num_lo]) and not growth_lead:
            measure = "ratio_pct"
        elif _TO_LEVEL_RE.search(lead):
            measure = "ratio_pct"  # 由48%提高到60%: the new level, not a change
        elif growth_lead and not (ratio_metric and not re.search(r"增长|下降|增速|增幅|提高|降低", lead)):
            measure = "growth_pct"
        else:
            measure = "ratio_pct"
    if measure in ("growth_pct", "growth_pp") and _NEGATIVE_RE.search(lead):
        sign = -1.0
    if not metric_raw:
        # 比上年增加14545元, 同比增长8%, 比上年提高2.1个百分点: the metric named just before.
        mem = last_metric.get(sent_start, {})
        metric_raw = (mem.get("ratio_metric") if measure == "growth_pp" else None) or mem.get("metric", "")

    # Comparator: 预计 covers its clause or list up to a fresh verb.
    comparator = m.comparator
    full_start = _full_sentence_start(view, 0, num_lo)
    if _forecast_covers(view[full_start:num_lo]):
        comparator = "~"

    # Section, kind and year.
    span = ctx.sections.at(m.start)
    section = span.section
    review_year, plan_year = ctx.sections.review_year, ctx.sections.plan_year
    # A run-on "sentence" (a page without punctuation) is clipped to a window around the number, so the
    # work per number stays bounded.
    out_start = (
        max(sent_start, m.start - _MAX_SENTENCE // 2) if sent_end - sent_start > _MAX_SENTENCE else sent_start
    )
    out_end = min(sent_end, out_start + _MAX_SENTENCE)
    sentence_text = view[out_start:out_end]
    if section == "plan":
        kind = "target"
    elif section == "review":
        # 完成年度目标42亿元的92%: the 42亿元 is the target, the 92% an actual ratio.
        planned = metric_span is not None and _PLANNED_RE.search(
            view[clause_lo : min(metric_span[0], num_lo)]
        )
        targetish = _TARGET_LEAD_RE.search(lead.rstrip("的")) or planned
        kind = "target" if measure == "level" and targetish else "actual"
        if _REVIEW_GOAL_RE.search(view[comma_full:num_lo]):
            kind = "target"
    else:
        kind = (
            "target" if _target_cue(view, full_start, comma_full, num_lo, m.span_end, sent_end) else "actual"
        )
        if measure == "ratio_pct" and _COMPLETION_RE.search(view[comma_full:num_lo]):
            kind = "actual"  # 完成年度目标的108%: how much of the goal was met
        if kind == "actual" and measure == "level" and _TARGET_LEAD_RE.search(lead.rstrip("的")):
            kind = "target"
    if kind == "target":
        year = span.year if section == "plan" and span.year else plan_year
        if section == "review":
            year = span.year or review_year
        ty = _TARGET_YEAR_RE.search(sentence_text)
        if ty:
            year = int(ty.group(1))
    else:
        year = span.year if section == "review" and span.year else review_year
    period = _period(view, sent_start, m.start, ctx, section if kind == "actual" else "plan")

    number_text = text[m.start : m.end]
    sentence = text[out_start:out_end].rstrip("\n")
    base = {
        "kind": kind,
        "year": year,
        "period": period,
        "measure": measure,
        "value": m.value * sign,
        "unit_raw": unit_raw,
        "comparator": comparator,
        "number_text": number_text,
        "char_start": m.start,
        "char_end": m.end,
        "sentence": sentence,
        "sentence_start": out_start,
        "unit_norm": unit_norm,
        "section": section,
    }
    metrics: list[str] = []
    dist = _distribution_items(view, comma_full, num_lo) if measure != "level" or m.unit else None
    if dist:
        for a, b in dist:
            raw = clean_metric(text[a:b])
            raw = re.sub(r"(?:等.*|各|均|都|分别.*)$", "", raw)
            if raw:
                metrics.append(raw)
    memory = last_metric.setdefault(sent_start, {})
    split = _respectively(view, comma_full, num_lo, view[m.span_end : m.span_end + 40], memory)
    if split:
        metrics = split
    if not metrics:
        metrics = [metric_raw]
    if metric_raw:
        # A ratio's metric (为年初预算的135%) is not what a later growth refers to, but points may be.
        memory["ratio_metric" if measure == "ratio_pct" else "metric"] = metric_raw
        if measure == "level":
            memory.setdefault("level_metrics", []).append(metric_raw)
    out = []
    for raw in metrics:
        norm = to_simplified(raw)
        out.append(Fact(metric_raw=raw, metric_norm=norm, tier=metric_tier(norm), **base))
    return out


def _forecast_covers(head: str) -> bool:
    """Whether a 预计 before the number still governs it: its own clause, a list it opens, and clauses that
    only continue it (同比增长…); a clause with a fresh verb or its own subject ends it."""
    at = head.rfind("预计")
    if at < 0:
        return False
    rest = head[at + 2 :]
    clauses = re.split(r"[,，;；]", rest)
    return all(_CONTINUATION_RE.match(clause) for clause in clauses[1:])


_SUBJECT_LEAD_RE = re.compile(
    r"^(?:其中|预计|全年|今年|年末|全镇|全县|全市|全区|全乡|全街道|街道|我镇|我县|完成|实现|累计|共|\s)+"
)
_SUBJECTLESS_RE = re.compile(
    r"^(?:同比|比上年|较上年|分别|增长|下降|增速|增幅|达到|达|为|完成|实现|[\d.%、和\s]|个百分点)*$"
)
# Qualifiers that share the head noun written once after the last of them: 城镇和农村居民人均可支配收入.
_SHARED_HEAD_QUALIFIERS = word_set("城镇 农村 城市 乡村 城乡 进口 出口 存款 贷款 男性 女性 一般")


def _split_subject(subject: str) -> list[str] | None:
    subject = _SUBJECT_LEAD_RE.sub("", subject).strip()
    if not subject:
        return None
    if subject.startswith("城乡") and len(subject) > 2:
        return ["城镇" + subject[2:], "农村" + subject[2:]]
    parts = [p.strip() for p in _LIST_SPLIT_RE.split(subject) if p.strip()]
    if len(parts) < 2:
        return None
    last = parts[-1]
    out = []
    for p in parts[:-1]:
        if p in _SHARED_HEAD_QUALIFIERS and last[: len(p)] in _SHARED_HEAD_QUALIFIERS:
            p = p + last[len(p) :]
        out.append(p)
    out.append(last)
    return out


_NUM_IN_LIST = r"\s*\d+(?:\.\d+)?\s*(?:%|个百分点|[\u4e00-\u9fff]{0,3}?)"
_IMPLICIT_LIST_RE = re.compile(
    r"^(?P<subj>.*?[\u4e00-\u9fff])(?:达到|达|为|完成|实现|增长|下降|均)*"
    rf"(?P<rest>(?:{_NUM_IN_LIST}\s*[、和及])*)\s*$"
)
_LIST_TAIL_RE = re.compile(rf"(?:\s*[、和及]{_NUM_IN_LIST}(?![\d.]))*")


def _respectively(view: str, comma_lo: int, num_lo: int, tail: str, memory: dict) -> list[str] | None:
    """'A和B分别达X元、Y元, 分别增长6.0%和8.5%': the k-th number of a list goes to the k-th thing named.

    The things are named before 分别, or before a verb followed by exactly as many numbers as things
    (城乡居民人均可支配收入达到38504元、15326元); a later clause of the same sentence that lists numbers
    without a subject (增长4.8%、7.5%) refers to the same things. `tail` is the text after the number's unit.
    """
    prefix = view[comma_lo:num_lo]
    following = len(re.findall(r"\d+(?:\.\d+)?", _LIST_TAIL_RE.match(tail).group(0)))  # type: ignore[union-attr]
    at = prefix.find("分别")
    exact = False
    if at >= 0:
        rest = prefix[at + 2 :]
        items = _split_subject(prefix[:at])
        if items:
            memory["items"] = items
        else:
            items = memory.get("items")
        if not items:
            # 发生事故2起, 死亡1人, 同比分别下降33.3%和50%: the things are the last ones counted.
            total = len(re.findall(r"\d+(?:\.\d+)?", rest)) + 1 + following
            named = memory.get("level_metrics", [])
            if total >= 2 and len(named) >= total:
                items = named[-total:]
    elif memory.get("items") and _SUBJECTLESS_RE.match(prefix):
        rest = prefix
        items = memory["items"]
        exact = True
    else:
        m = _IMPLICIT_LIST_RE.match(prefix) if len(prefix) <= 80 else None
        if m is None:
            return None
        rest = m.group("rest")
        items = _split_subject(m.group("subj"))
        if not items:
            return None
        exact = True
    if not items:
        return None
    k = len(re.findall(r"\d+(?:\.\d+)?", rest))
    if exact and k + 1 + following != len(items):
        return None  # only a list of exactly as many numbers as things is distributed
    if at < 0 and exact and items is not memory.get("items"):
        memory["items"] = items
    if k >= len(items):
        return None
    return [items[k]]
