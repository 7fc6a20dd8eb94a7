"""Numbers shared out over lists of metrics.

- 'A、B、C等指标保持20%以上' and '月湖、护城河河长巡河各40次': one number for every item of the list;
- 'A和B分别达X元、Y元' and '城乡居民人均可支配收入达到38504元、15326元': the k-th number for the k-th item.
"""

from __future__ import annotations

import re

from ingest.metrics import metric_before
from ingest.numbers import word_set
from ingest.rules import enabled, rule

# Patterns of the rules below, compiled once at import.
_N_OF_RE = re.compile(r"\d+个$")
_ENUMERATION_RE = re.compile(r"(、)")
_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

# 各/均/都 share a number out only when they stand right before it, or before its verb (均实现100%): inside a
# name (阳都健华2家) they share nothing.
_DIST_CUE_RE = re.compile(
    r"(?:等(?:[\d一二三四五六七八九十]+[项个])?(?:主要|核心|经济)?指标)"
    r"|(?:各|均|都)(?=(?:已|已经|实现|达到|达|为|在|超过|超|完成|增长|下降|保持|有|是|提高到|提升到)?\s*$)"
)
_LIST_SPLIT_RE = re.compile(r"、|和|及|与")


def distribution_items(view: str, comma_start: int, num_start: int) -> list[tuple[int, int]] | None:
    """Metrics a number is shared by: 'A、B、C等指标保持20%以上' or '月湖、护城河河长巡河各40次'."""
    prefix = view[comma_start:num_start]
    if "、" not in prefix and "和" not in prefix:
        return None
    cue = None
    for m in _DIST_CUE_RE.finditer(prefix):
        cue = m
    n_of = _N_OF_RE.search(prefix)
    if cue is None and n_of is None:
        return None
    cut = cue.start() if cue is not None else n_of.start()  # type: ignore[union-attr]
    list_text = prefix[:cut]
    if "、" not in list_text:
        return None
    items: list[tuple[int, int]] = []
    pos = 0
    for part in _ENUMERATION_RE.split(list_text):
        if part != "、" and part.strip():
            items.append((comma_start + pos, comma_start + pos + len(part)))
        pos += len(part)
    if len(items) < 2 or any(_DIGIT_RE.search(view, a, b) for a, b in items):
        return None  # counted things (10个A、17个B均…) are no list of metrics
    # The first item may carry the clause's verb (开展月湖): keep only its metric words.
    first_start, first_end = items[0]
    span = metric_before(view[first_start:first_end])
    if span:
        items[0] = (first_start + span[0], first_start + span[1])
    return items


_SUBJECT_LEAD_RE = re.compile(
    r"^(?:其中|预计|全年|今年|年末|全镇|全县|全市|全区|全乡|全街道|街道|我镇|我县|完成|实现|累计|共|\s)+"
)
_SUBJECT_TAIL_RE = re.compile(r"(?:同比|环比|比上年|较上年|比去年|较去年|\s)+$")
_SUBJECTLESS_RE = re.compile(
    r"^(?:同比|比上年|较上年|分别|增长|下降|增速|增幅|达到|达|为|完成|实现|[\d.%、和\s]|个百分点)*$"
)
# Qualifiers that share the head noun written once after the last of them: 城镇和农村居民人均可支配收入.
_SHARED_HEAD_QUALIFIERS = word_set("城镇 农村 城市 乡村 城乡 进口 出口 存款 贷款 男性 女性 一般")


# Two things fused into one word (城乡居民 = 城镇居民 and 农村居民; 存贷款余额 = 存款余额 and 贷款余额):
# with two numbers, each number goes to one of them.
FUSED_PAIRS = rule(
    "lists.fused_pairs", "城乡/存贷款/进出口 with two numbers: one number for each of the pair"
)
_FUSED_PAIRS = {"城乡": ("城镇", "农村"), "存贷款": ("存款", "贷款"), "进出口": ("进口", "出口")}


def _split_subject(subject: str) -> list[str] | None:
    subject = _SUBJECT_LEAD_RE.sub("", subject).strip()
    if not subject:
        return None
    for fused, pair in _FUSED_PAIRS.items() if enabled(FUSED_PAIRS) else ():
        at = subject.find(fused)
        if at >= 0 and len(subject) > len(fused):
            head, tail = subject[:at], subject[at + len(fused) :]
            return [head + pair[0] + tail, head + pair[1] + tail]
    subject = _SUBJECT_TAIL_RE.sub("", subject)
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


def respectively(view: str, comma_lo: int, num_lo: int, tail: str, memory: dict) -> list[str] | None:
    """'A和B分别达X元、Y元, 分别增长6.0%和8.5%': the k-th number of a list goes to the k-th thing named.

    The things are named before 分别, or before a verb followed by exactly as many numbers as things
    (城乡居民人均可支配收入达到38504元、15326元); a later clause of the same sentence that lists numbers
    without a subject (增长4.8%、7.5%) refers to the same things. `tail` is the text after the number's unit.
    """
    prefix = view[comma_lo:num_lo]
    following = len(_NUMBER_RE.findall(_LIST_TAIL_RE.match(tail).group(0)))  # type: ignore[union-attr]
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
            total = len(_NUMBER_RE.findall(rest)) + 1 + following
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
    k = len(_NUMBER_RE.findall(rest))
    if exact and k + 1 + following != len(items):
        return None  # only a list of exactly as many numbers as things is distributed
    if at < 0 and exact and items is not memory.get("items"):
        memory["items"] = items
    if k >= len(items):
        return None
    return [items[k]]
