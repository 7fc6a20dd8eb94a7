"""What a number measures: the metric phrase next to it, and the dictionary of headline metrics.

The phrase is found with jieba (plus a domain user dictionary in ingest/data/) on the short clause around a
number: walking back from the number over the words of the clause until a framing verb (完成, 实现, 累计,
新增 ...), a time or subject word (全年, 街道, 我镇 ...) or the clause start. When nothing names the measure
before the number (完成256家企业亩均税收调查), the phrase after the unit is taken instead.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jieba

from ingest.numbers import unit_base, word_set

# Patterns of the rules below, compiled once at import.
_NUMBER_WORD_RE = re.compile(r"[\d.\-—~至]+|\d+[年月日号]")

if TYPE_CHECKING:
    import jieba.posseg

_DATA_DIR = Path(__file__).parent / "data"
USER_DICT = _DATA_DIR / "jieba_user_dict.txt"
# The metric dictionary is the extractor's own data; dbt loads the same file as its seed metric_dictionary
# (dbt_project.yml: seed-paths), so the lexicon has one owner.
METRIC_DICTIONARY = _DATA_DIR / "lexicon" / "metric_dictionary.csv"


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer for the process, initialized quietly with the domain dictionary."""
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    if USER_DICT.exists():
        tok.load_userdict(str(USER_DICT))
    return tok


@lru_cache(maxsize=8192)
def segment(text: str) -> tuple[str, ...]:
    """jieba words of a short clause (cached: the same clause is asked for once per number in it)."""
    return tuple(_tokenizer().lcut(text, HMM=False))


_NOUN_FLAGS = ("n", "nz", "nt", "b")


@lru_cache(maxsize=1)
def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    # Imported on first use: loading jieba's tag tables takes ~1 s, which every process that imports the
    # extractor (Dagster's code server, a run that finds nothing new to parse) would pay for nothing.
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_tokenizer())


@lru_cache(maxsize=4096)
def opens_with_noun(clause: str) -> bool:
    """Whether a clause opens with a noun or a noun attribute (肉类总产量…, 总投资…): it then has a subject
    of its own, unlike a clause that opens with a verb (收集证件…) and shares the subject before it."""
    words = _pos_tokenizer().lcut(clause.strip(), HMM=False)
    if not words:
        return False
    if words[0].word in ACTION_VERBS:
        return False  # 新建泥结石路: jieba may tag a verb as a name (新建 as a place)
    if words[0].flag in _NOUN_FLAGS or words[0].word == "总":
        return True
    # An adjective before a noun (平均时限) is an attribute of the subject.
    return words[0].flag == "a" and len(words) > 1 and words[1].flag in _NOUN_FLAGS


# --- Phrase boundaries ----------------------------------------------------------------------------------

# Words that frame a quantity without naming it; the metric lies after them.
FRAME_WORDS = word_set(
    "完成 实现 累计 新增 共 共计 合计 总计 达 达到 达成 为 是 有 共有 拥有 其中 全年 "
    "今年 去年 年内 当年 本年 一年来 预计 力争 确保 争取 计划 目标 预期 要 将 力求 "
    "努力 继续 持续 进一步 全力 全面 成功 顺利 已 已经 均 都 各 分别 同比 上年 "
    "比上年 较上年 环比 增长 下降 增加 减少 提高 降低 上升 提升 回落 下滑 缩短 压缩 缩减 增速 增幅 "
    "增至 降至 保持 保持在 稳定 稳定在 控制 控制在 超过 突破 超 约 近 逾 全镇 全区 "
    "全市 全县 全街道 街道 我镇 我街道 我区 本镇 全乡 我乡 了 的 在 "
    "和 与 及 以及 并 等 以 通过 围绕 其 该 此 上半年 下半年 前三季度 一季度 截至 "
    "目前 底 月底 年底 以来 期间 同期 全省 全国 首次 再次 再 又 还 也 共计 年度 度 "
    "年 月 日 末 至 到"
)
# Action verbs that end a metric phrase going backwards once something has been collected.
ACTION_VERBS = word_set(
    "吸引 带动 惠及 服务 帮助 解决 帮扶 走访 开展 举办 组织 组建 建成 建设 新建 打造 "
    "创建 创成 引进 招引 招商 培育 推动 推进 实施 落实 投入 投资 发放 受理 办理 处置 "
    "拆除 清除 整治 整改 排查 签订 签定 签约 成立 设立 建立 打通 申报 认定 获评 入选 "
    "获得 荣获 争取 争创 盘活 出清 腾退 流转 接种 检测 培训 慰问 救助 走访 召开 开出 "
    "接回 调解 化解 摸排 收集 清理 处理 关停 立案 提供 完善 改造 提升 新增 储备 开工 "
    "竣工 投产 落地 上市 注册 发生 举行 参与 参加 增配 配备 配置 安装 增设 购置 铺设"
)
_BOUNDARY_CHARS = set(",，、：:;；。！？!?()（）[]【】《》 \t\n·•●◆▲■")
_TRAILING_LINK_RE = re.compile(
    r"(?:负增长|与\d{4}年相比|与上年相比|与去年相比|相比|比\d{4}年|同比|比上年|较上年|比去年|较去年|环比|分别|均|都|各|已|共|累计|达到|达|为|至|到|增至|降至|增长了|增长|下降了|下降|"
    r"增加|减少|提高|降低|上升|提升了|回落|下滑|缩短|压缩|缩减|增速为|增速|增幅为|增幅|保持在|保持|稳定在|控制在|完成|实现|共计|合计|总计|"
    r"超过|突破|超|约|近|逾|多达|接近|大约|不少于|不低于|不超过|占比|占|有|是|了|的|在|"
    r"预计全年|预计|力争|确保|争取|计划|预期|可|能|将|要|由|从|全部|全都|\s)+$"
)
_CODE_LEAD_RE = re.compile(r"[A-Za-z][A-Za-z\d]*\.?$")
_THRESHOLD_HEAD_RE = re.compile(r"(?:[万亿千百]?元|万|亿|亩|平方米)?(?:以上|以下)")
# The reporting unit written before a measure: 我镇/全区/本县, or a town's name (中疃镇, 济沁河乡).
_PLACE = (
    r"(?:我|本|全|该)(?:镇|乡|区|县|市|街道)"
    r"|[\u4e00-\u9fff]{1,4}?(?:(?<![城乡村集小古重强名])镇|(?<![城下返家])乡|街道)"
)
_LEADING_PLACE_RE = re.compile(rf"({_PLACE})")
_PLACE_ONLY_RE = re.compile(_PLACE)
# Words ending like a town that are part of a measure: 城镇居民, 乡镇企业, 特色小镇 ...
_NOT_PLACES = word_set(
    "城镇 乡镇 村镇 城乡 下乡 返乡 家乡 集镇 小城镇 小镇 特色小镇 古镇 重镇 强镇 名镇 城关镇"
)
_LEADING_JUNK_RE = re.compile(
    r"^(?:其中|并|且|和|与|及|等|的|了|在|对|将|把|向|由|从|为|以|共|已|均|都|也|还|又)+"
)
_QUOTE_OPEN = '“‘「『"'
_QUOTE_CLOSE = '”’」』"'


def _strip_unbalanced_quotes(phrase: str) -> str:
    """Drop a quote mark left dangling at either end of a phrase cut out of a longer clause."""
    opens = sum(phrase.count(q) for q in "“‘「『")
    closes = sum(phrase.count(q) for q in "”’」』")
    if closes > opens and phrase and phrase[0] in _QUOTE_CLOSE:
        phrase = phrase[1:]
    if opens > closes and phrase and phrase[-1] in _QUOTE_OPEN:
        phrase = phrase[:-1]
    if phrase.count("“") > phrase.count("”") and phrase.startswith("“"):
        phrase = phrase[1:]
    if phrase.count("”") > phrase.count("“") and phrase.endswith("”"):
        phrase = phrase[:-1]
    return phrase


MAX_METRIC_CHARS = 20


def metric_before(prefix: str) -> tuple[int, int] | None:
    """The metric in the clause text before a number, as (start, end) offsets into `prefix`; None if none.

    `prefix` is the view of the clause up to the number (hedge words already removed by the caller).
    """
    trimmed = _TRAILING_LINK_RE.sub("", prefix)
    # Drop a leading period phrase (1-9月, 截至10月底, 2022年) and subject words before segmenting.
    end = len(trimmed)
    if end == 0:
        return None
    words = segment(trimmed)
    # Offsets of each word in `trimmed`.
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w)
    collected_start = end
    i = len(words) - 1
    while i >= 0:
        w = words[i]
        if not _BOUNDARY_CHARS.isdisjoint(w):
            break
        if (
            _NUMBER_WORD_RE.fullmatch(w)
            and not _THRESHOLD_HEAD_RE.match(trimmed, starts[i] + len(w))
            and not _CODE_LEAD_RE.search(trimmed, 0, starts[i])
        ):
            break  # a number ends the phrase, unless it is a threshold (注册资金1000万以上) or a code (PM2.5)
        if w in FRAME_WORDS:
            break
        # An action verb right before two or more collected characters ends the phrase (吸引|线下流量).
        if w in ACTION_VERBS and end - collected_start >= 2:
            break
        collected_start = starts[i]
        if end - collected_start >= MAX_METRIC_CHARS:
            break
        i -= 1
    if collected_start >= end:
        # Nothing but framing words: the last action verb names the measure (投资5028万, 签约2296户).
        last = words[-1]
        if last in ACTION_VERBS or (len(last) >= 2 and last not in FRAME_WORDS):
            return (end - len(last), end)
        return None
    start = collected_start
    lead = _LEADING_JUNK_RE.match(trimmed[start:end])
    if lead:
        start += lead.end()
    # The reporting unit is the subject, not part of the measure: 我镇财政收入, 中疃镇土地确权面积.
    place = _LEADING_PLACE_RE.match(trimmed, start, end)
    if place and place.group(1) not in _NOT_PLACES and end - place.end() >= 2:
        start = place.end()
    if _PLACE_ONLY_RE.fullmatch(trimmed, start, end) and trimmed[start:end] not in _NOT_PLACES:
        return None  # only a place name before the number (中疃镇17个村): the measure follows it
    if end - start < 1:
        return None
    return (start, end)


_AFTER_STOP_RE = re.compile(
    r"[,，、：:;；。！？!?()（）\[\]【】《》\s·•●◆▲■]|等(?!级|奖)|逐一|全部|(?<![人户亩])均|已|相继|同步|分别|成功|完成|实现|入选|获评|荣获|通过|开展|"
    r"实行|进行|得到|参加|参与|获得|提供|联合|组建|下沉|共计|共|达|为|的|和|与|及|或|累计|正|按|在|被|纳入|列入|建成|投入|"
    r"顺利|正式|有效|持续|稳步|不断|加快|积极|全面|率先|首次|集中|陆续|先后|基本|已经|得以"
)


# A second measure of the same things between a count and what it counts: 11条15.36公里的“五彩共富路”.
_SECOND_MEASURE_RE = re.compile(r"(?:约|近|超)?[\d.]+[余多]?[\u4e00-\u9fff]{1,4}?的")


def metric_after(text: str, counted: bool = False) -> tuple[int, int] | None:
    """The metric right after a number's unit ('企业亩均税收调查' in 256家企业亩均税收调查), as offsets.

    `counted`: the unit counts or measures things (see `counts_things`), so "的" after it, or after a
    second measure of the same things, leads to the thing itself (3000余方的文化旅游综合体).
    """
    lead = 0
    if counted:
        second = _SECOND_MEASURE_RE.match(text)
        if second:
            lead = second.end()
        elif text.startswith("的"):
            lead = 1
        if lead:
            span = metric_after(text[lead:])
            return (lead + span[0], lead + span[1]) if span else None
    if not text or text[0] in _BOUNDARY_CHARS or text[0] == "的":
        return None  # 以88.2%的增长率…: what follows 的 describes the number, the metric stands before
    # A stop word ends the phrase only after its first character: 集中式饮用水水源地 starts with 集中.
    m = _AFTER_STOP_RE.search(text, 1)
    end = m.start() if m else len(text)
    end = min(end, MAX_METRIC_CHARS)
    if end <= 0:
        return None
    phrase = text[:end]
    # Keep a quoted name whole: “无诈社区” or 绍外“三返”人员.
    if phrase.count("“") > phrase.count("”"):
        close = text.find("”", end)
        if 0 <= close < MAX_METRIC_CHARS + 4:
            end = close + 1
    return (0, end)


# Units whose thing stands before the number: money (元 and bare scales: 投资5028万), rates, multiples,
# durations and ages. Every other unit counts or measures a thing, which the text names after the unit.
_THING_BEFORE_UNITS = word_set("元 美元 欧元 % ‰ 个百分点 百分点 倍 年 天 小时 分钟 个月 周 岁 分 级 度")


def counts_things(unit: str) -> bool:
    """Whether a unit counts or measures things (台, 家, 亩, 公里): 完成辖区11台AED设备铺设 counts AED设备."""
    base = unit_base(unit)
    return bool(base) and base not in _THING_BEFORE_UNITS and not base.endswith("元")


_THING_FLAGS = ("vn", "eng", "j", "an")


@lru_cache(maxsize=4096)
def names_an_action(phrase: str) -> bool:
    """Whether a phrase names only an action (整改, 均已挂牌): no noun, unlike 参评项目 or AED设备铺设."""
    words = _pos_tokenizer().lcut(phrase.strip(), HMM=False)
    return not any(w.flag.startswith("n") or w.flag in _THING_FLAGS for w in words)


def clean_metric(phrase: str) -> str:
    """Tidy a phrase cut from a clause: unbalanced quotes and stray link characters at the ends."""
    phrase = phrase.strip(" \t-—·.")
    phrase = _strip_unbalanced_quotes(phrase)
    return phrase


# --- Metric dictionary ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetricEntry:
    code: str
    name_zh: str
    synonyms: tuple[str, ...]
    category: str
    unit_family: str
    direction: str
    tier: int


@lru_cache(maxsize=1)
def load_metric_dictionary(path: Path = METRIC_DICTIONARY) -> tuple[MetricEntry, ...]:
    """The metric dictionary (ingest/data/lexicon/metric_dictionary.csv); empty if it is missing."""
    if not path.exists():
        return ()
    entries = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            synonyms = tuple(s.strip() for s in row["synonyms"].split("|") if s.strip())
            entries.append(
                MetricEntry(
                    code=row["metric_code"],
                    name_zh=row["name_zh"],
                    synonyms=synonyms or (row["name_zh"],),
                    category=row["category"],
                    unit_family=row["unit_family"],
                    direction=row["direction"],
                    tier=int(row["tier"] or 2),
                )
            )
    return tuple(entries)


@lru_cache(maxsize=1)
def _synonym_index() -> tuple[tuple[str, MetricEntry], ...]:
    pairs = [(syn.upper(), entry) for entry in load_metric_dictionary() for syn in entry.synonyms]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@lru_cache(maxsize=16384)
def lookup_metric(metric_norm: str) -> MetricEntry | None:
    """The dictionary metric whose longest synonym is contained in `metric_norm` (as the dbt model does)."""
    key = metric_norm.upper()
    for syn, entry in _synonym_index():
        if syn in key:
            return entry
    return None


def metric_tier(metric_norm: str) -> int:
    entry = lookup_metric(metric_norm)
    return entry.tier if entry else 2
