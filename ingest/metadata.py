"""The head of a report: reporting unit, parent unit, publication date and title (`read_head`).

The years and the kind of text are the document frame's (`ingest.frame`), which reads the head through
this module; `extract_metadata` returns the frame's metadata.

Every rule matches on `matching_view` (half-width, simplified) of the text with pinyin glosses removed
("鎮(zhèn)" → "鎮"), and copies names from the same offsets of the un-simplified text, so a traditional
report keeps its characters (鳳橋鎮). Rules read the page the way a person does: the *head* of the
document (title, disclosure table, byline, speech header) says who and when.

Nothing here is keyed to a district, a file or a sentence: names are found by unit suffixes (街道, 镇,
乡, 区, 县, 市, 新区, 开发区, 自治县, 旗) in the contexts where a report names its own unit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jieba

from ingest.boilerplate import boilerplate_spans, in_spans
from ingest.models import DocumentMetadata
from ingest.normalize import INVISIBLE_RE, matching_view

# --------------------------------------------------------------------------------------------------
# Text preparation

# Pinyin glosses some mirror sites insert after a character: 鎮(zhèn), 區(qū). Only lowercase Latin
# letters with tone marks (or a ? where the mirror lost a character) qualify, so (草案) or (2024年) stay.
_PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü?]{1,7}\)")


@dataclass(frozen=True, slots=True)
class _Page:
    """The text as rules see it: `view` for matching, `text` (same offsets) for copying names out."""

    text: str
    view: str
    lines: list[tuple[int, int]]  # (start, end) of each non-blank line
    boilerplate: list[tuple[int, int]]
    # Mentions of a string in `view`, counted once: the unit rules count the same names line after line.
    _counts: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def count(self, s: str) -> int:
        """How often `s` stands in `view` (str.count, remembered)."""
        n = self._counts.get(s)
        if n is None:
            n = self._counts[s] = self.view.count(s)
        return n

    def line(self, i: int) -> str:
        start, end = self.lines[i]
        return self.view[start:end]

    def raw_line(self, i: int) -> str:
        start, end = self.lines[i]
        return self.text[start:end]

    def is_boilerplate(self, i: int) -> bool:
        return in_spans(self.boilerplate, self.lines[i][0])


_LINE = re.compile(r"[^\r\n]+")


def _page(text: str) -> _Page:
    clean = _PINYIN_GLOSS.sub("", text)
    view = matching_view(clean)
    lines = [m.span() for m in _LINE.finditer(view) if m.group().strip()]
    return _Page(clean, view, lines, boilerplate_spans(clean))


# --------------------------------------------------------------------------------------------------
# Units: names with an administrative suffix

_SUFFIXES = ("自治县", "自治旗", "开发区", "新区", "街道", "镇", "乡", "区", "县", "市", "旗")
_LEVEL_RANK = {"街道": 0, "镇": 0, "乡": 0, "开发区": 1, "新区": 1, "区": 1, "县": 1, "自治县": 1}
_LEVEL_RANK |= {"自治旗": 1, "旗": 1, "市": 2}
_CJK = "\u4e00-\u9fff"
# A suffix, unless the character after it makes a common word of it (区域, 市场, 乡村, 镇域, 县级).
_SUFFIX_RE = re.compile(
    "(?:" + "|".join(_SUFFIXES) + ")(?![域场民块村贤愁土亲风位间容值面貌情内外级属直辖界]|政(?!府))"
)
_UNIT = rf"[{_CJK}]{{2,4}}?(?:{'|'.join(_SUFFIXES)})"  # for patterns that only need the shape

# A name never starts with a function word, and never holds one of these inside.
_LEFT_JUNK = set("在我代表于向由受对为是和与及年的了将把从今该本全各经据至即以并且赴")
# A name does not start with a unit suffix either: 区木洞 in 巴南区木洞镇 is the tail of 巴南区.
_LEFT_JUNK |= set("市区县镇乡旗道省")
_INNER_STOP = set("委府党届的了在是与及年等个这那其所各全本我该")
# Generic nouns shaped like "name + suffix" that are not places.
_NOT_NAMES = {
    "城市",
    "都市",
    "超市",
    "上市",
    "集市",
    "省市",
    "城乡",
    "乡镇",
    "城镇",
    "集镇",
    "小镇",
    "村镇",
    "园区",
    "城区",
    "社区",
    "景区",
    "片区",
    "小区",
    "辖区",
    "街区",
    "地区",
    "山区",
    "矿区",
    "库区",
    "老区",
    "新区",
    "校区",
    "厂区",
    "湾区",
    "郊区",
    "市区",
    "县区",
    "区县",
    "市县",
    "街道",
    "开发区",
}
_NAME_STOP_WORDS = re.compile(
    r"城市|工作|发展|建设|推进|打造|高质量|示范|试点|特色|重点|全面|加快|持续|深入|产业|经济|项目|服务|"
    r"管理|治理|改造|提升|文明|美丽|生态|旅游|农业|工业|商业|乡村|振兴|实施|开展|政府|人民|代表|大会|"
    r"委员|书记|镇长|区长|县长|市长|主任|会议|报告|全省|全国|国家|功能|集聚|保护|先行|样板|核心|中心|"
    r"休闲|体验|试验|实验|农村|居民|住宅|商务|物流|关于|现将|认真|执行|科技|..[园厂校站馆院村组队所局办室科处]$"
)


@dataclass(frozen=True, slots=True)
class _Unit:
    name: str  # as written in the source (may be traditional), suffix included
    norm: str  # simplified form, for counting and comparing
    level: str  # normalized suffix: 街道, 镇, 县, ...
    start: int
    end: int


# jieba part-of-speech tags of verbs, adverbs, adjectives, prepositions, conjunctions, pronouns, numerals,
# time and direction words.
_FUNCTION_TAGS = frozenset({"v", "vd", "vn", "d", "p", "c", "a", "ad", "an", "j", "b", "m", "r", "t", "f"})


@lru_cache(maxsize=1)
def _two_character_words() -> dict[str, tuple[int, str]]:
    """Two-character words of jieba's dictionary (shipped with jieba): word -> (frequency, tag)."""
    words: dict[str, tuple[int, str]] = {}
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            if line[2:3] != " ":
                continue  # not a two-character word; skip the split for speed
            parts = line.split()
            if len(parts) == 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Frequent verbs, adverbs, adjectives and the like from jieba's dictionary: words a place name is not.

    Used only for names seen in weak contexts; a name the report states as its own (人民政府, 第N届,
    a title) is trusted even when it is also a word (胜利街道, 解放街道).
    """
    return frozenset(
        w for w, (freq, tag) in _two_character_words().items() if freq >= 150 and tag in _FUNCTION_TAGS
    )


# Development zones carry long descriptive names: 桐城经济技术开发区, 苏州高新技术产业开发区.
_ZONE_WORDS = re.compile(r"经济|技术|产业|高新|工业|综合|保税|新技术|科技")


_ALL_CJK = re.compile("[\u4e00-\u9fff]+")


def _valid_name(name: str, suffix: str = "", *, junk_start_ok: bool = False) -> bool:
    if len(name) < 2 or not _ALL_CJK.fullmatch(name):
        return False
    if (name[0] in _LEFT_JUNK and not junk_start_ok) or not _INNER_STOP.isdisjoint(name):
        return False
    if suffix in ("开发区", "新区") and _ZONE_WORDS.search(name):
        name = _ZONE_WORDS.sub("", name)  # judge the place part: 桐城 in 桐城经济技术开发区
        if len(name) < 2:
            return False
    if _NAME_STOP_WORDS.search(name):
        return False
    # Longer names must not hold a common verb or adverb (力推城乡, 紧紧围绕市, 截止目前街道).
    common = _common_words()
    return len(name) == 2 or not any(name[i : i + 2] in common for i in range(len(name) - 1))


def _generic_tail(unit: _Unit) -> bool:
    """美城区, 老旧小区, 严寺景区: a modifier before a generic noun (城区, 小区, 景区), not a place."""
    return unit.norm[-len(unit.level) - 1 :] in _NOT_NAMES


# Nouns that are never an administrative unit, whatever stands before them (城区 is: 越城区, 鹿城区).
_NEVER_UNITS = {
    "景区",
    "小区",
    "社区",
    "园区",
    "片区",
    "街区",
    "辖区",
    "校区",
    "厂区",
    "湾区",
    "矿区",
    "库区",
}
_NEVER_UNITS |= {
    "山区",
    "老区",
    "郊区",
    "地区",
    "城市",
    "都市",
    "超市",
    "集市",
    "城镇",
    "集镇",
    "村镇",
    "乡镇",
}


def _unit_before(page: _Page, suffix_start: int, suffix_end: int, floor: int) -> _Unit | None:
    """The unit whose suffix is view[suffix_start:suffix_end], reading its name leftwards.

    Names run 2-4 characters. Of the valid lengths, take the longest that the document writes, with the
    same suffix, at least half as often as the shortest: "推动太平镇" once against "太平镇" ten times gives
    太平镇, while "江川路街道" always written whole gives 江川路街道.
    """
    view = page.view
    suffix = view[suffix_start:suffix_end]
    max_len = {"开发区": 8, "新区": 6, "自治县": 5, "自治旗": 5}.get(suffix, 4)
    options: list[tuple[int, int]] = []
    for size in range(2, max_len + 1):
        start = suffix_start - size
        if start < floor:
            break
        name = view[start:suffix_start]
        # 和平区, 即墨区, 本溪市 start with a function character; the document must also write them alone.
        junk_ok = name[0] in _LEFT_JUNK and _written_standalone(view, name + suffix)
        if not _valid_name(name, suffix, junk_start_ok=junk_ok):
            continue
        if name + suffix in _NOT_NAMES or (name[-1] + suffix) in _NEVER_UNITS:
            continue
        options.append((size, page.count(name + suffix)))
    # A name starting with a function character only when no other reading exists: 和平区, not 为沂水县.
    plain = [(size, count) for size, count in options if view[suffix_start - size] not in _LEFT_JUNK]
    options = plain or options
    if not options:
        return None
    top = max(count for _, count in options)
    # The name must start at a word boundary: after punctuation, a function word or another unit.
    bounded = [
        size
        for size, count in options
        if count * 2 >= top and _starts_at_boundary(view, suffix_start - size, floor)
    ]
    if not bounded:
        return None
    size = max(bounded)
    start = suffix_start - size
    return _Unit(page.text[start:suffix_end], view[start:suffix_end], suffix, start, suffix_end)


def _written_standalone(view: str, unit: str) -> bool:
    """The unit appears somewhere right after punctuation, a space or the start of a line."""
    at = view.find(unit)
    while at != -1:
        if at == 0 or not "\u4e00" <= view[at - 1] <= "\u9fff":
            return True
        at = view.find(unit, at + 1)
    return False


def _starts_at_boundary(view: str, start: int, floor: int) -> bool:
    if start <= floor:
        return True
    before = view[start - 1]
    if before + view[start] in _frequent_words():
        return False  # the name would start inside a word: 会和区 in 全会和区委
    return (
        not ("\u4e00" <= before <= "\u9fff")
        or before in _LEFT_JUNK
        or view[start - 2 : start] in _PREFIX_WORDS
    )


_PREFIX_WORDS = {
    "关于",
    "代表",
    "围绕",
    "推动",
    "全市",
    "全省",
    "全县",
    "全区",
    "助力",
    "支持",
    "驻地",
    "位于",
}


def _chains(page: _Page, start: int, end: int) -> list[list[_Unit]]:
    """Unit paths in view[start:end], each outermost first: [嘉兴市, 南湖区, 凤桥镇], [海曙区]."""
    units = []
    for m in _SUFFIX_RE.finditer(page.view, start, end):
        unit = _unit_before(page, m.start(), m.end(), start)
        if unit is not None:
            units.append(unit)
    chains: list[list[_Unit]] = []
    for unit in units:
        if chains and chains[-1][-1].end == unit.start:
            chains[-1].append(unit)
        elif chains and chains[-1][-1].end > unit.start:
            continue  # overlaps the previous unit: a suffix character inside a name
        else:
            chains.append([unit])
    return chains


# What follows a unit when a report names itself: its government, office, committee or congress.
_SELF_AFTER = re.compile(
    r"人民政府|政府|街道办事处|办事处|党委|党工委|人大|人民代表大会|第[一二三四五六七八九十百〇零\d]+届|"
    r"[一二三四五六七八九十\d]+届(?:人大|人民代表大会)|管委会|党政办|财政所|委(?!员|会)"
)
_AGENCY_KEY = re.compile(r"(?:发布机构|发文机构|发布单位|信息来源|来源)\s*[\]】]?\s*[:|]?\s*\|?\s*")
_BOUNDARY_BEFORE = re.compile(
    r"(?:^|[,。;:!?\s“”《》()、市区县镇乡]|年|以来|在|由|向|对|为|是|与|和|及|关于|代表)$"
)


def _self_named(after: str, unit: _Unit) -> bool:
    """The unit is followed by its government, congress or committee: 白鹤镇人民政府, 德阳市委.

    A bare 委 (party committee) also follows verbs (按照市委, 完成县委), so there the name must not be an
    ordinary word.
    """
    m = _SELF_AFTER.match(after)
    if not m:
        return False
    if m.group().startswith("委"):
        return unit.norm[: -len(unit.level)] not in _dictionary_words()
    return True


_FOLLOWS_BEFORE = re.compile(r"贯彻|落实|按照|根据|围绕|在|紧扣|对标|响应")
_FOLLOWS_AFTER = re.compile(r"^(?:党委|委)[^。,;]{0,10}?(?:领导|部署|决策|精神|全会|要求|号召)")


def _superior(before: str, after: str) -> bool:
    """A unit the report follows (贯彻落实市委决策部署, 在区委的领导下): the reporter's superior."""
    return bool(_FOLLOWS_BEFORE.search(before) and _FOLLOWS_AFTER.match(after))


@dataclass
class _Candidate:
    unit: _Unit
    score: float = 0.0
    strong: bool = False  # named in a title, disclosure table or self-naming context
    first: int = 1 << 30  # offset of the first mention
    clues: Counter[str] = field(default_factory=Counter)  # weight per kind of context it was named in


_SELF_LEVEL_WORDS = {
    "街道": r"街道办事处|街道党工委|本街道|我街道|全街道|街道人大|街道各项|街道",
    "镇": r"镇人民政府|镇政府|镇党委|镇人大|全镇|我镇|本镇",
    "乡": r"乡人民政府|乡政府|乡党委|乡人大|全乡|我乡|本乡",
    "县": r"县人民政府|县政府|全县|我县|本县",
    "区": r"区人民政府|区政府|全区|我区|本区",
    "市": r"市人民政府|市政府|全市|我市|本市",
}
_SELF_LEVEL_PATTERNS = {level: re.compile(words) for level, words in _SELF_LEVEL_WORDS.items()}


def _recurring_unit(page: _Page) -> _Unit | None:
    """A unit written once with its suffix whose name the report keeps repeating (三魁镇 … 三魁建设 …
    三魁商贸综合体), at a level the report uses of itself (我镇, 全镇): a short excerpt's own unit.

    Used only when no unit is named in a self-naming context. Checked on the shared gold as if it were the
    only rule: it names 39 units right and 1 wrong (a district named three times in a street's report).
    """
    view = page.view
    levels = {level: len(words.findall(view)) for level, words in _SELF_LEVEL_PATTERNS.items()}
    vocabulary = _dictionary_words()
    found: Counter[tuple[str, int, int]] = Counter()
    for m in _SUFFIX_RE.finditer(view):
        suffix = m.group()
        if not levels.get(suffix):
            continue
        for size in (4, 3, 2):
            name = view[max(0, m.start() - size) : m.start()]
            if len(name) < size or name in vocabulary or not _valid_name(name, suffix):
                continue
            if name + suffix in _NOT_NAMES or (name[-1] + suffix) in _NEVER_UNITS:
                continue
            if page.count(name) >= 3:
                found[(suffix, m.start() - size, m.end())] = page.count(name)
                break
    if not found:
        return None
    (suffix, start, end), _ = found.most_common(1)[0]
    return _Unit(page.text[start:end], view[start:end], suffix, start, end)


# Only names used the way reports use their own: in slogans (“实力陶堰、美丽陶堰”) and epithets.
_SLOGAN_NAME = re.compile(
    r"(?:美丽|幸福|平安|实力|品质|魅力|大美|和美|活力|美好|数字|法治|文明|生态|宜居|宜业|宜游|共富|智慧|健康)"
    r"([\u4e00-\u9fff]{2})(?=[、”,。\s]|建设|特色|品牌)"
)
# The name may also lead a slogan's phrase: “头雁塔尖、漳浒争先”, “…、西城出彩”.
_LEADING_NAME = re.compile(r"(?<=[“、])([\u4e00-\u9fff]{2})(?:争先|出彩)(?=[、”])")


_CJK_RUN = re.compile(rf"[{_CJK}]+")


def _bare_name_unit(page: _Page) -> _Unit | None:
    """A report that never writes its full name (“实力陶堰、美丽陶堰”, 街道办事处): bare name + level.

    The bare name is the most repeated two-character string that is not a dictionary word; the level is
    the one the report uses of itself most (全镇, 我街道, 镇党委).
    """
    view = page.view
    counts: Counter[str] = Counter()
    for run in _CJK_RUN.findall(view):
        counts.update(map(operator.add, run, run[1:]))  # every two-character string, in C
    vocabulary = _dictionary_words()
    in_slogans = Counter(
        m.group(1) for m in itertools.chain(_SLOGAN_NAME.finditer(view), _LEADING_NAME.finditer(view))
    )
    names = [
        (n, c)
        for n, c in counts.items()
        if (c >= 3 or (c >= 2 and in_slogans[n] >= 1))
        and n in in_slogans
        # A name that is also a word (仙游, 凤凰) must recur: in several slogans, or often with one.
        and (n not in vocabulary or in_slogans[n] >= 2 or c >= 5)
        and _valid_name(n)
    ]
    if not names:
        return None
    name, _ = max(names, key=lambda nc: nc[1])
    levels = {level: len(words.findall(view)) for level, words in _SELF_LEVEL_PATTERNS.items()}
    # 凤凰街围绕区委…: a street office that shortens 街道 to 街 after its name.
    levels["街道"] += len(re.findall(rf"{name}街(?!道|区|巷|头|路)", view))
    level, hits = max(levels.items(), key=lambda kv: kv[1])
    if hits == 0:
        return None
    start = view.find(name)
    return _Unit(page.text[start : start + 2] + level, name + level, level, start, start + 2)


@lru_cache(maxsize=1)
def _frequent_words() -> frozenset[str]:
    """Two-character dictionary words met often enough (freq >= 300) to be ordinary words, not places."""
    return frozenset(w for w, (freq, tag) in _two_character_words().items() if freq >= 300 and tag != "ns")


@lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    """Two-character dictionary words that are not place names (tag ns)."""
    return frozenset(w for w, (_, tag) in _two_character_words().items() if tag != "ns")


# A heading printed with its characters spaced out (沂 水 镇, 政 府 工 作 报 告), as PDF and scanned pages do.
_SPACED_LINE = re.compile(rf"^\s*(?:[{_CJK}][ \u3000]+)+[{_CJK}]\s*$")


def _spaced_head_units(page: _Page, head_end: int) -> list[_Unit]:
    """A unit standing alone as a spaced-out line in the head ("沂 水 镇"): the report names itself."""
    units = []
    for i, (start, _) in enumerate(page.lines):
        if start >= head_end:
            break
        line = page.line(i)
        if not _SPACED_LINE.match(line):
            continue
        norm = re.sub(r"[ \u3000]", "", line)
        raw = re.sub(r"[ \u3000]", "", page.raw_line(i)).strip()
        level = next((s for s in _SUFFIXES if norm.endswith(s)), None)
        if level and 2 <= len(norm) - len(level) <= 4 and _valid_name(norm[: -len(level)], level):
            units.append(_Unit(raw, norm, level, start, start + len(page.raw_line(i))))
    return units


_UNIT_CHAIN = re.compile(rf"(?:{_UNIT})+")


def _find_district(
    page: _Page, title_span: tuple[int, int] | None
) -> tuple[_Unit | None, _Unit | None, str | None]:
    """The reporting unit, the unit directly above it when the text names it, and the kind of context that
    named the unit (title, disclosure table, self-naming, ...), for the frame's evidence."""
    view = page.view
    candidates: dict[str, _Candidate] = {}
    parent_votes: dict[str, Counter] = {}
    above: set[str] = set()
    superiors: set[str] = set()
    head_end = _head_end(page)

    def vote(chain: list[_Unit], weight: float, strong: bool, clue: str) -> None:
        own = chain[-1]
        cand = candidates.setdefault(own.norm, _Candidate(own))
        cand.score += weight
        cand.clues[clue] += weight
        cand.first = min(cand.first, own.start)
        cand.strong = cand.strong or strong
        for outer, inner in itertools.pairwise(chain):
            above.add(outer.norm)
            parent_votes.setdefault(inner.norm, Counter())[outer.norm] += weight
            candidates.setdefault(outer.norm, _Candidate(outer)).strong |= strong

    for unit in _spaced_head_units(page, head_end):
        vote([unit], 8.0, True, "spaced-out head line")
    for i, (start, end) in enumerate(page.lines):
        in_title = title_span is not None and title_span[0] <= start < title_span[1]
        in_head = start < head_end
        line = view[start:end]
        agency_spans = []
        for m in _AGENCY_KEY.finditer(line):
            chain_m = _UNIT_CHAIN.match(line[m.end() :])
            if chain_m:
                agency_spans.append((start + m.end(), start + m.end() + chain_m.end()))
        skip = page.is_boilerplate(i) and not agency_spans
        if skip:
            continue
        for chain in _chains(page, start, end):
            first, last = chain[0], chain[-1]
            after = view[last.end : last.end + 8]
            before = view[max(start, first.start - 3) : first.start]
            if in_title:
                vote(chain, 8.0, True, "title")
            elif any(a <= first.start and last.end <= b for a, b in agency_spans):
                vote(chain, 6.0 if in_head else 2.0, True, "disclosure table")
            elif _superior(view[max(start, first.start - 8) : first.start], view[last.end : last.end + 16]):
                # "贯彻落实省委、德阳市委全会的决策部署": the unit above, whose line the reporter follows.
                above.add(last.norm)
                superiors.add(last.norm)
                candidates.setdefault(last.norm, _Candidate(last)).strong = True
            elif _self_named(after, last):
                vote(chain, 4.0 if in_head else 2.0, True, "self-naming (人民政府, 党委, 人大, 第N届)")
            elif page.is_boilerplate(i):
                continue
            elif _BOUNDARY_BEFORE.search(before) or first.start == start:
                vote(chain, 1.0, False, "mentions")
    common = _common_words()
    pool = [
        c
        for c in candidates.values()
        if c.strong or (c.unit.norm[: -len(c.unit.level)] not in common and not _generic_tail(c.unit))
    ]
    for cand in pool:
        name = cand.unit.norm[: -len(cand.unit.level)]
        # Reports call themselves by the bare name too (“美好陶堰”, 陶堰新一届政府); count it lightly.
        cand.score += 0.3 * min(page.count(name), 20)
        if cand.unit.norm in above:
            cand.score -= 6.0  # a unit others sit under (嘉兴市 in 嘉兴市南湖区凤桥镇) is a parent
    # One passing mention in a sentence is not enough to name the reporter, and a name that is also an
    # ordinary word (分步, 棚户) needs to recur.
    vocabulary = _dictionary_words()
    opening = head_end + 300  # the opening paragraph, where a news item or summary names its subject

    def enough(c: _Candidate) -> bool:
        if c.strong:
            return True
        needed = 2.0 if c.unit.norm[: -len(c.unit.level)] in vocabulary else 1.6
        return c.score >= needed or (c.first < opening and c.score >= 1.3)

    parent_pool = pool
    pool = [c for c in pool if enough(c)]
    if not pool:
        recurring = _recurring_unit(page)
        if recurring is not None:
            return recurring, None, "name recurring after one full mention"
        bare = _bare_name_unit(page)
        return bare, None, "bare name in slogans" if bare is not None else None
    best = max(pool, key=lambda c: (c.score, -_LEVEL_RANK.get(c.unit.level, 1)))
    # A town report names its county strongly too (在县委县政府领导下 rarely names it, but 东莞市第十七届
    # 人民代表大会 does): among strongly named units, the smallest is the reporter.
    strong = [
        c for c in pool if c.strong and c.score >= max(3.0, 0.4 * best.score) and c.unit.norm not in above
    ]
    smaller = [c for c in strong if _LEVEL_RANK.get(c.unit.level, 1) < _LEVEL_RANK.get(best.unit.level, 1)]
    if smaller:
        best = max(smaller, key=lambda c: c.score)
    district = best.unit
    clue = best.clues.most_common(1)[0][0] if best.clues else "mentions"
    votes = parent_votes.get(district.norm)
    if votes:
        parent_norm = votes.most_common(1)[0][0]
        return district, candidates[parent_norm].unit, clue
    rank = _LEVEL_RANK.get(district.level, 1)
    higher = [
        c
        for c in parent_pool
        if c.unit.norm != district.norm
        and (c.score >= 1.0 or c.unit.norm in superiors)
        and (c.strong or c.unit.norm[: -len(c.unit.level)] not in vocabulary)
        # A 市 reporting (county-level city) names its prefecture-level 市 as 德阳市委 or in a unit path.
        and (_LEVEL_RANK.get(c.unit.level, 1) > rank or (rank == 2 and c.strong))
    ]
    if not higher:
        return district, None, clue
    # The nearest level above first (a town's 区/县/county-level 市), then the most often named.
    parent = min(higher, key=lambda c: (_LEVEL_RANK.get(c.unit.level, 1), -c.score)).unit
    return district, parent, clue


# --------------------------------------------------------------------------------------------------
# Head of the document and its title

_BODY_LINE = re.compile(r"[。;]|,.*,")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.,]|[(\(][一二三四五六七八九十\d]+[)\)]|\d+[、.]|第[一二三四五六七八九十]+部分)"
)
_SALUTATION = re.compile(r"^\s*(?:各位代表|同志们|各位委员|市人大常委会|县人大常委会|区人大常委会)")
_MEETING_LINE = re.compile(r"(?:在.{2,30}(?:代表大会|会议|大会)|会议上|次会议)")
_TITLE_WORDS = re.compile(
    r"工作总结|工作计划|工作报告|工作思路|工作方向|工作要点|工作安排|工作打算|政府工作报告|执行情况|"
    r"预算报告|的报告|计划草案|年度报告"
)
_TITLE_END = re.compile(
    r"(?:报告|总结|计划|思路|方向|要点|安排|打算|通知|\(草案\)|草案\)?|全文\)?|\(全文\))\s*$"
)
_NOT_TITLE = re.compile(r"公开|规章库|首页|位置|网站|欢迎|导航|菜单|浏览|登录|注册|特推|分享|数字报|版$")
_REVIEW_HEADING_ONLY = re.compile(
    r"^\s*\d{4}年(?:度)?(?:上半年|下半年|主要)?(?:工作)?"
    r"(?:回顾|总结|情况|完成情况|主要工作回顾|目标任务|目标|任务|重点|思路|安排|打算)\s*$"
)


def _head_end(page: _Page) -> int:
    """Offset where the body starts: the first line that reads as prose, or the first section heading."""
    for i in range(len(page.lines)):
        line = page.line(i)
        if page.is_boilerplate(i):
            continue
        if _HEADING.match(line) or (_BODY_LINE.search(line) and len(line.strip()) > 40):
            return page.lines[i][0]
    return len(page.view)


def _find_title(page: _Page) -> tuple[str, tuple[int, int]] | None:
    candidates: list[tuple[float, int]] = []
    for i in range(min(len(page.lines), 40)):
        line = page.line(i).strip()
        # The title stands above the first paragraph of prose (a table of contents may come first).
        if not page.is_boilerplate(i) and _BODY_LINE.search(line) and len(line) > 40:
            break
        if page.is_boilerplate(i):
            continue
        joined = _joined_title(page, i)
        if joined is not None:
            line = joined
        if not _title_shaped(line):
            continue
        score = 0.0
        if _TITLE_WORDS.search(line):
            score += 3
        elif re.search(r"报告|总结|计划", line):
            score += 2
        if re.search(rf"(?:{_UNIT})", line) or re.search(r"\d{4}年", line):
            score += 1
        if len(line) >= 8:
            score += 1
        candidates.append((score, i))
    if not candidates:
        return None
    best_score = max(s for s, _ in candidates)
    if best_score < 2:
        return None
    i = next(i for s, i in candidates if s == best_score)
    start, end = page.lines[i]
    if _joined_title(page, i) is not None:
        raw = page.raw_line(i).strip() + page.raw_line(i + 1).strip()
        return _tidy_title(raw), (start, page.lines[i + 1][1])
    return _tidy_title(page.raw_line(i)), (start, end)


def _joined_title(page: _Page, i: int) -> str | None:
    """A title broken over two lines (PDF or fixed-width pages): this line and the next, which ends it."""
    line = page.line(i).strip()
    if _TITLE_END.search(line) or i + 1 >= len(page.lines) or _HEADING.match(line):
        return None
    nxt = page.line(i + 1).strip()
    if ":" in line or re.search(r"\d{4}\s*年", nxt):
        return None  # a byline ("县长:孙德士") or a next line that is a title of its own
    if len(nxt) <= 30 and _TITLE_END.search(nxt) and not _HEADING.match(nxt) and not _BODY_LINE.search(nxt):
        return line + nxt
    return None


def _title_shaped(line: str) -> bool:
    if not 4 <= len(line) <= 90 or _BODY_LINE.search(line) or line.count(",") >= 2:
        return False
    if _HEADING.match(line) or _SALUTATION.match(line) or _NOT_TITLE.search(line):
        return False
    if _MEETING_LINE.search(line) or line.startswith(("—", "─", "-", "(")):
        return False
    starting_date = _find_date(line)
    if starting_date and starting_date[1] <= 1:
        return False  # "2021年2月9日在白鹤镇": the speech header, cut by a line break
    if _REVIEW_HEADING_ONLY.match(line):
        return False  # "2022年主要工作回顾" opens a section; it is not the report's title
    if _find_date(line) and len(re.sub(r"[\d\s年月日:\-./]", "", line)) < 4:
        return False
    cjk = sum(1 for ch in line if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 4


def _tidy_title(raw: str) -> str:
    title = raw.strip().strip("|").strip()
    title = re.sub(r"\.(?:docx?|pdf|wps|txt)$", "", title, flags=re.IGNORECASE)
    return title.strip()


# --------------------------------------------------------------------------------------------------
# Dates

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_NUM = "〇零○一二三四五六七八九十"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(rf"([{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,2}})月([{_CN_NUM}]{{1,3}})日"),
)


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def _find_date(text: str) -> tuple[dt.date, int] | None:
    """The first valid calendar date written in `text`, with its offset."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                y, mo, d = (int(g) if g.isdigit() else _cn_number(g) for g in m.groups())
                date = dt.date(y, mo, d)
            except (ValueError, KeyError):
                continue
            if 1990 <= date.year <= 2100:
                found.append((m.start(), date))
    if not found:
        return None
    pos, date = min(found)
    return date, pos


_DATE_KEYS = (
    ("发布日期", 0),
    ("发布时间", 0),
    ("发文日期", 1),
    ("发文时间", 1),
    ("公开日期", 2),
    ("成文日期", 3),
    ("印发日期", 3),
    ("生成日期", 4),
    ("时间", 5),
    ("日期", 5),
)
_DATE_KEY_RE = re.compile("|".join(r"\s*".join(k) for k, _ in _DATE_KEYS))


def _find_published(page: _Page, head_end: int) -> dt.date | None:
    keyed: list[tuple[int, int, dt.date]] = []
    for i in range(len(page.lines)):
        start = page.lines[i][0]
        line = page.line(i)
        for m in _DATE_KEY_RE.finditer(line):
            if m.start() > 0 and not re.search(r"[\s|\[\]【】()•·\-:,]$|日|号", line[: m.start()]):
                continue  # a key begins a table cell or a line, not the middle of a sentence (第一时间)
            key = re.sub(r"\s", "", m.group())
            rank = dict(_DATE_KEYS)[key]
            rest = line[m.end() :]
            value = re.match(r"\s*[\]】]?\s*[:|]?\s*\|?\s*(.{0,24})", rest)
            date = _find_date(value.group(1)) if value else None
            if date and date[1] <= 3:
                keyed.append((rank, start, date[0]))
            elif not rest.strip(" :|]】") and i + 1 < len(page.lines):
                # The value printed on the next line ("发布日期:" / "2024年04月12日").
                nxt = _find_date(page.line(i + 1))
                if nxt and nxt[1] <= 4:
                    keyed.append((rank, start, nxt[0]))
    if keyed:
        return min(keyed)[2]
    # A byline in the head: "2023年02月07日来源:沈河区发改局", or a date standing alone in the head.
    for i in range(len(page.lines)):
        start = page.lines[i][0]
        if start >= head_end:
            break
        line = page.line(i).strip()
        date = _find_date(line)
        if not date:
            continue
        if page.is_boilerplate(i) or _date_only(line) or _MEETING_LINE.search(line):
            return date[0]
        if date[1] <= 3 and re.match(r"\s*在", line[date[1] :].split("日", 1)[-1]):
            return date[0]  # "——2024年1月18日在牟定县第十八届", the speech header cut by a line break
    # A speech header run into the text of a scanned page: "政 府 工 作 报 告 2022年12月28日在新民市第四届
    # 人民代表大会第五次会议上" (the header "——2023年2月28日在凤桥镇第十八届人民代表大会…" of its own line).
    speech = _SPEECH_DATE.search(page.view, 0, head_end + 1500)
    if speech:
        found = _find_date(speech.group(1))
        if found:
            return found[0]
    # The signature of an official document: the issuing body, then the date, at the very end.
    tail = list(range(max(0, len(page.lines) - 6), len(page.lines)))
    for i in reversed(tail):
        line = page.line(i).strip()
        date = _find_date(line)
        if date and _date_only(line) and i > 0 and _SIGNATORY.search(page.line(i - 1).strip()):
            return date[0]
    return None


_SPEECH_DATE = re.compile(
    r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*在[^。,;]{2,40}?(?:人民代表大会|代表大会|会议)[^。,;]{0,16}?上"
)
_SIGNATORY = re.compile(r"(?:人民政府|办事处|委员会|党委|党工委|街道|镇|乡|局|办公室)$")


def _date_only(line: str) -> bool:
    """A line holding a date and nothing else of substance: "2021年2月7日", "(2023年1月31日)"."""
    rest = re.sub(rf"[\d\s年月日:\-./()〇○{_CN_NUM}——─]|星期[一二三四五六日天]", "", line)
    return len(rest) <= 2


# --------------------------------------------------------------------------------------------------


_MAX_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Head:
    """What the head of a report says about itself: its title, unit and date, with the lines that say so.

    The years and the kind of the report are decided by `ingest.frame`, which reads this first.
    """

    page: _Page
    title: str | None
    district: _Unit | None
    parent: _Unit | None
    published: dt.date | None
    district_clue: str | None  # the kind of context that named the unit (title, self-naming, ...)
    district_line: str | None  # the line that names the unit first (evidence)
    published_line: str | None  # the line the date was read from (evidence)


def read_head(text: str) -> Head:
    """Read the reporting unit, its parent, the publication date and the title of a report."""
    # What a report says about itself stands in its head and headings; a cap keeps pathological inputs cheap.
    # No offsets are kept here, so invisible characters inside names can simply go.
    text = INVISIBLE_RE.sub("", text[:_MAX_CHARS])
    page = _page(text)
    head_end = _head_end(page)
    found_title = _find_title(page)
    title_span = found_title[1] if found_title else None
    title = found_title[0] if found_title else None
    if title is not None:
        # The title keeps the characters as written, pinyin glosses included: copy it from the source.
        title = _title_as_written(text, title)
    district, parent, district_clue = _find_district(page, title_span)
    published = _find_published(page, head_end)
    district_line = published_line = None
    for i in range(len(page.lines)):
        line = page.line(i).strip()
        if district is not None and district_line is None and district.norm in line:
            district_line = page.raw_line(i).strip()[:80]
        found = _find_date(line) if published is not None and published_line is None else None
        if found is not None and found[0] == published:
            published_line = page.raw_line(i).strip()[:80]
    return Head(page, title, district, parent, published, district_clue, district_line, published_line)


def extract_metadata(text: str) -> DocumentMetadata:
    """Read what a report says about itself: reporting unit, parent, date, years, kind and title."""
    # The years and the kind belong to the document frame, which reads the head through this module.
    from ingest.frame import build_frame

    return build_frame(text).metadata


def _title_as_written(text: str, clean_title: str) -> str:
    """Find the title in the original text (with its pinyin glosses) when glosses were removed: the text
    without glosses, with each of its characters' offset in the original, is searched for the clean title
    (one pass; a regex built per title cost a compile of ~4 ms a document)."""
    kept: list[str] = []
    offsets: list[int] = []
    pos = 0
    for gloss in _PINYIN_GLOSS.finditer(text):
        kept.append(text[pos : gloss.start()])
        offsets.extend(range(pos, gloss.start()))
        pos = gloss.end()
    kept.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    at = "".join(kept).find(clean_title)
    if at < 0 or not clean_title:
        return clean_title  # a title joined from two lines: keep the clean form
    return text[offsets[at] : offsets[at + len(clean_title) - 1] + 1]
