"""The chart the report page and the dashboard draw: bars in proportion, round ticks."""

from __future__ import annotations

from console.domain.charts import bar_chart


def test_bars_stand_on_one_baseline_in_proportion_to_their_values() -> None:
    chart = bar_chart(["2017", "2018"], {"Cấp tỉnh": [3, 0], "Cấp khu vực": [6, 1]})
    heights = {b.label: b.height for b in chart.bars}
    assert heights["2017 — Cấp khu vực: 6"] == 2 * heights["2017 — Cấp tỉnh: 3"]
    assert heights["2018 — Cấp tỉnh: 0"] == 0
    assert {round(b.y + b.height, 6) for b in chart.bars} == {chart.baseline}


def test_ticks_are_round_numbers_reaching_the_tallest_bar() -> None:
    chart = bar_chart(["2021"], {"Cấp tỉnh": [37]})
    values = [t.value for t in chart.ticks]
    assert values == [0, 10, 20, 30, 40]


def test_a_chart_without_figures_still_has_an_axis() -> None:
    chart = bar_chart(["2021"], {"Cấp tỉnh": [0]})
    assert [t.value for t in chart.ticks] == [0, 1]
