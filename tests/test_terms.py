"""The words of each section (ingest.terms): jieba's cut, the counts of a hand-counted report, evidence."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import jieba
import pytest

from ingest.document import parse_bytes
from ingest.metadata import extract_metadata
from ingest.metrics import USER_DICT
from ingest.terms import POLICY_TERMS, count_terms, cut_han, is_noun, read_policy_terms, words_of
from tests.conftest import SEEDS_DIR

HEADING_REVIEW = "一、2022年工作回顾"
REVIEW = "全年推进垃圾分类，建成碳汇林2片。碳汇交易带动增收300万元，PM2.5浓度下降。"
HEADING_PLAN = "二、2023年工作计划"
PLAN = "深化居家养老服务，新建老年食堂1个。"
REPORT = f"示例街道2022年工作总结和2023年工作计划\n{HEADING_REVIEW}\n{REVIEW}\n{HEADING_PLAN}\n{PLAN}\n"


@pytest.fixture(scope="module")
def counted():
    return {s.section: s for s in count_terms(REPORT, extract_metadata(REPORT)).sections}


def test_a_hand_counted_review(counted):
    review = counted["review"]
    # 一 / 年 / 工作 / 回顾, then 全年 推进 垃圾分类 建成 碳汇 林 片 碳汇 交易 带动 增收 万元 PM2.5 浓度 下降
    assert review.n_words == 4 + 15
    assert review.n_chars == len(HEADING_REVIEW) + len(REVIEW)  # the line break is no character
    assert review.counts["碳汇"] == 2  # a policy phrase kept whole (jieba alone cuts 碳 / 汇)
    assert review.counts["垃圾分类"] == 1
    assert review.counts["PM2.5"] == 1  # a Latin token, upper-cased, the decimal point kept
    assert "林" not in review.counts and "片" not in review.counts  # one character is no counted word
    assert "2022" not in review.counts  # nor a number


def test_a_hand_counted_plan(counted):
    plan = counted["plan"]
    # 二 / 年 / 工作 / 计划, then 深化 居家养老 服务 新建 老年食堂 个
    assert plan.n_words == 4 + 6
    assert plan.n_chars == len(HEADING_PLAN) + len(PLAN)
    assert plan.counts == {
        "工作": 1,
        "计划": 1,
        "深化": 1,
        "居家养老": 1,
        "服务": 1,
        "新建": 1,
        "老年食堂": 1,
    }
    # the title line stands before the first heading
    assert counted["unknown"].counts["示例"] == 1


def test_evidence_is_the_first_sentence_of_a_salient_noun_in_each_section():
    terms = count_terms(REPORT, extract_metadata(REPORT))
    review, plan = terms.evidence["review"], terms.evidence["plan"]
    at, sentence = review["碳汇"]
    assert sentence == "全年推进垃圾分类，建成碳汇林2片。" and REPORT[at : at + 2] == "碳汇"
    assert plan["老年食堂"][1] == PLAN and plan["居家养老"][1] == PLAN  # policy phrases are always quoted
    assert "新建" not in plan  # tagged a place name by jieba, but an action verb
    for found in terms.evidence.values():
        assert all(term in sentence for term, (_, sentence) in found.items())


def test_nouns_are_noun_tags_without_action_verbs():
    assert is_noun("碳汇", "n") and is_noun("PM2.5", "eng")
    assert not is_noun("新建", "ns") and not is_noun("推进", "v")


def test_traditional_text_is_counted_in_simplified_characters():
    text = "鳳橋鎮2023年工作總結\n一、2023年工作回顧\n推進垃圾分類，垃圾分類覆蓋率100%。\n"
    counts = {s.section: s.counts for s in count_terms(text, extract_metadata(text)).sections}
    assert counts["review"]["垃圾分类"] == 2


def _jieba_with_the_same_words(tmp_path: Path) -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(USER_DICT))
    plain = tmp_path / "policy_terms.txt"  # jieba's reader knows no comment lines
    plain.write_text("".join(f"{w} {n} {t}\n" for w, n, t in read_policy_terms()), encoding="utf-8")
    tok.load_userdict(str(plain))
    return tok


def test_the_cut_is_jiebas_on_every_seed(tmp_path):
    # The fast cut reimplements jieba's dictionary mode; it must agree word for word.
    tok = _jieba_with_the_same_words(tmp_path)
    runs = [
        run
        for path in sorted(SEEDS_DIR.glob("*.txt"))
        for run in re.findall(r"[\u4e00-\u9fff]+", path.read_text())
    ]
    assert len(runs) > 500
    assert [cut_han(run) for run in runs] == [tok.lcut(run, HMM=False) for run in runs]


def test_policy_terms_are_read_with_defaults():
    entries = read_policy_terms(POLICY_TERMS)
    assert ("碳汇", 2000, "n") in entries
    assert all(not word.startswith("#") for word, _, _ in entries)
    assert words_of("推进碳汇和乡村振兴") == ["推进", "碳汇", "和", "乡村振兴"]


def test_parse_bytes_attaches_the_counts_and_a_quarantine_has_none():
    parsed = parse_bytes(REPORT.encode(), "r.txt")
    assert parsed.status == "parsed" and parsed.terms is not None
    assert {s.section for s in parsed.terms.sections} == {"unknown", "review", "plan"}
    assert parse_bytes(b"", "empty.txt").terms is None
