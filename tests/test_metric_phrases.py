"""The metric-phrase grammar on real sentences of the shared corpus: a metric names what is counted or
measured, never the verb, adverb or place written before the number (issue 13).

Each rule is shown on sentences of two documents or more; the file each sentence comes from is named."""

from __future__ import annotations

import pytest

from ingest.facts import extract_facts
from ingest.models import DocumentMetadata

REVIEW = DocumentMetadata(review_year=2022, plan_year=2023)


def _metrics(sentence: str) -> list[tuple[str, float]]:
    text = "一、2022年工作回顾\n" + sentence + "\n"
    return [(f.metric_raw, f.value) for f in extract_facts(text, REVIEW)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # count_names_follow: the thing counted follows the classifier (seed 000, seed 001, corpus 004, 112)
        ("完成辖区11台AED设备铺设。", [("AED设备铺设", 11.0)]),
        ("出清38家省市县高耗低效工业企业。", [("省市县高耗低效工业企业", 38.0)]),
        ("加快6个竹材分解点建设。", [("竹材分解点建设", 6.0)]),
        ("强化1.55万亩粮食生产功能区长效管护。", [("粮食生产功能区长效管护", 1.55)]),
        ("惠及辖区近万名老年群体。", [("老年群体", 10000.0)]),
        ("理清8类服务事项。", [("服务事项", 8.0)]),
        # 人均/户均/亩均 open a measure: 均 is no stop there (seed 000, corpus 023)
        ("完成256家企业亩均税收调查。", [("企业亩均税收调查", 256.0)]),
    ],
)
def test_count_names_follow(sentence: str, expected: list[tuple[str, float]]) -> None:
    assert _metrics(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a second measure between the count and the thing, then 的 (seed 000 twice, corpus 117)
        ("确保建成11条15.36公里的“五彩共富路”。", [("“五彩共富路”", 11.0), ("“五彩共富路”", 15.36)]),
        (
            "完成了8条约60公里的“四好农村路”建设任务。",
            [("“四好农村路”建设任务", 8.0), ("“四好农村路”建设任务", 60.0)],
        ),
        # a measure, then 的 (seed 001)
        ("建设一处面积3000余方的文化旅游综合体。", [("文化旅游综合体", 3000.0)]),
    ],
)
def test_count_then_de_names_the_thing(sentence: str, expected: list[tuple[str, float]]) -> None:
    assert _metrics(sentence) == expected


def test_an_action_after_the_count_leaves_the_name_before() -> None:
    # 整改 is what was done to the 30 problems, not what they are (seed 002)
    assert _metrics("发现水域问题30处整改30处。")[0] == ("发现水域问题", 30.0)


def test_a_framing_verb_is_no_name_for_a_count() -> None:
    # count_subject_before_verb (corpus 073, corpus 063)
    assert _metrics("规上工业企业新增1家。") == [("规上工业企业", 1.0)]
    assert _metrics("高新技术企业由14家发展到36家。")[0] == ("高新技术企业", 14.0)


def test_money_keeps_its_name_before_the_number() -> None:
    # money and rates name their measure before the number, whatever follows
    assert _metrics("设立专项资金500万元支持制造业。") == [("专项资金", 500.0)]
    assert _metrics("全年完成财政收入12.8亿元,增长25%。")[0] == ("财政收入", 12.8)


def test_a_noun_after_a_verb_is_still_a_thing() -> None:
    # 参评项目 is a thing though jieba tags 参评 a verb (corpus 007); 均已挂牌 is an action (seed 002)
    assert _metrics("区“新城杯”竞赛中3个参评项目成功入围。") == [("参评项目", 3.0)]


def test_fused_pair_gives_each_number_its_own_thing() -> None:
    # 城乡 = 城镇 + 农村 (corpus 099 and others), 存贷款 = 存款 + 贷款 (corpus 051)
    assert _metrics("金融机构存贷款余额达到831.8亿元、406.7亿元,分别增长13%、7.9%。") == [
        ("金融机构存款余额", 831.8),
        ("金融机构贷款余额", 406.7),
        ("金融机构存款余额", 13.0),
        ("金融机构贷款余额", 7.9),
    ]
    assert _metrics("城乡居民人均可支配收入分别增长6%、9%以上。") == [
        ("城镇居民人均可支配收入", 6.0),
        ("农村居民人均可支配收入", 9.0),
    ]
    # one number: the fused word names one measure
    assert _metrics("外贸进出口总额15亿元,增长8%。")[0] == ("外贸进出口总额", 15.0)


def test_distributive_word_inside_a_name_shares_nothing() -> None:
    # 都 of 阳都健华 is part of a name (corpus 063); 各 right before the number shares it (seed 002)
    assert _metrics("新增东岳机械、阳都健华2家外国院士工作站。") == [("外国院士工作站", 2.0)]
    assert _metrics("开展月湖、护城河河长巡河各40次。") == [("月湖", 40.0), ("护城河河长巡河", 40.0)]


def test_signed_changes() -> None:
    # A minus sign is a sign, 负增长 a decline (a miss class of reports kept outside the project,
    # shared/SCORES.md); a dash between numbers stays a range.
    assert _metrics("规上工业产值、营业收入同比分别-6.2%、-19.3%。") == [
        ("规上工业产值", -6.2),
        ("营业收入", -19.3),
    ]
    assert _metrics("实现税收收入1.2亿元,同比负增长3.4%。") == [("税收收入", 1.2), ("税收收入", -3.4)]
    assert _metrics("固定资产投资同比下降12.5%,其中工业投资增长-3.2%。")[1] == ("工业投资", -3.2)
    assert _metrics("限上销售额增长5-8%。") == [("限上销售额", 5.0)]
