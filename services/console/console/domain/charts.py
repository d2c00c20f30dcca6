"""A grouped bar chart's geometry, drawn as SVG by the templates: the page shows its chart
without JavaScript or a chart library, and the table beside it stays the readable source."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 240, 16, 32  # room for the axis, the legend and the years


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int
    label: str  # "2019 — Cấp tỉnh: 3", for screen readers and tooltips


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Group:
    x: float  # the middle of the group, where its name is written
    name: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    plot_right: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    groups: tuple[Group, ...]
    series: tuple[str, ...]


def bar_chart(groups: list[str], series: dict[str, list[int]]) -> BarChart:
    """One group per entry of ``groups``, one bar per series in each (values in group order)."""
    top = max((v for values in series.values() for v in values), default=0)
    step = _step(top)
    ceiling = max(step, -(-top // step) * step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    group_w = plot_w / max(len(groups), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    bars = []
    for s, (name, values) in enumerate(series.items()):
        for g, value in enumerate(values):
            height = plot_h * value / ceiling
            x = LEFT + g * group_w + group_w * 0.1 + s * bar_w
            label = f"{groups[g]} — {name}: {value}"
            bars.append(Bar(x, baseline - height, bar_w, height, value, s, label))
    ticks = tuple(Tick(baseline - plot_h * v / ceiling, v) for v in range(0, ceiling + 1, step))
    named = tuple(Group(LEFT + (g + 0.5) * group_w, n) for g, n in enumerate(groups))
    return BarChart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, tuple(bars), ticks, named, tuple(series)
    )


def _step(top: int) -> int:
    """A round tick step giving at most about five ticks."""
    step = 1
    while top / step > 5:
        for factor in (2, 5, 10):
            if top / (step * factor) <= 5:
                return step * factor
        step *= 10
    return step
