"""Numbers shared out over lists of metrics: 各/均/等指标, and 分别 or as many numbers as things named."""

from __future__ import annotations

from ingest.lists import distribution_items, respectively


def test_one_number_for_every_item() -> None:
    view = "力争先行联系率、按时办结率均达到100%"
    items = distribution_items(view, 0, view.index("100"))
    assert [view[a:b] for a, b in items or []] == ["先行联系率", "按时办结率"]


def test_counted_things_are_no_list_of_metrics() -> None:
    view = "10个村、17个社区均达到100%"
    assert distribution_items(view, 0, view.index("100")) is None


def test_respectively_gives_the_kth_number_to_the_kth_thing() -> None:
    view = "城乡居民人均可支配收入分别增长6.0%和8.5%"
    memory: dict = {}
    first = respectively(view, 0, view.index("6.0"), view[view.index("6.0") + 4 :], memory)
    second = respectively(view, 0, view.index("8.5"), view[view.index("8.5") + 4 :], memory)
    assert first == ["城镇居民人均可支配收入"]
    assert second == ["农村居民人均可支配收入"]


def test_no_list_no_split() -> None:
    view = "完成财政收入12.8亿元"
    assert respectively(view, 0, view.index("12.8"), "亿元", {}) is None
