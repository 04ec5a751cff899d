"""Outcomes over time: attempts per day, stacked by result, as a server-rendered SVG
(geometry computed here, drawn by ``results/includes/day_chart.svg``; colours are CSS
classes, so the page keeps a strict CSP)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import dateformat, timezone
from django.utils.translation import gettext

DEFAULT_DAYS = 14
MAX_DAYS = 92
SERIES = 5  # the most frequent results get a colour each, the rest are "Other"
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 28


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class DayChart:
    first: date
    last: date
    segments: list[Segment]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[tuple[int, str]]
    total: int
    clipped: bool  # the range was longer than MAX_DAYS: only its last days are drawn
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM
    right_x: int = WIDTH - RIGHT


def chart_days(filters) -> tuple[date, date, bool]:
    last = filters.until or timezone.localdate()
    first = filters.since or last - timedelta(days=DEFAULT_DAYS - 1)
    clipped = (last - first).days + 1 > MAX_DAYS
    if clipped:
        first = last - timedelta(days=MAX_DAYS - 1)
    return first, last, clipped


def day_chart(source, *, filters, labels: dict[str, str]) -> DayChart:
    """The attempts per day and result in the drawn days, from ``source``
    (``results.sources``): one grouped query."""
    from results.selectors import UNMAPPED

    first, last, clipped = chart_days(filters)
    counts = source.chart_groups(first, last)
    by_code: dict[str, int] = {}
    for (_, code), count in counts.items():
        by_code[code] = by_code.get(code, 0) + count
    ranked = sorted(by_code, key=lambda code: (-by_code[code], code))
    series = {code: index for index, code in enumerate(ranked[:SERIES])}
    legend = [
        (index, labels.get(code, code) if code else str(UNMAPPED)) for code, index in series.items()
    ]
    if len(ranked) > SERIES:
        legend.append((SERIES, gettext("Other")))
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return _draw(days, counts, series, legend, clipped)


def _draw(days, counts, series, legend, clipped) -> DayChart:
    per_day: dict[date, dict[int, int]] = {day: {} for day in days}
    for (day, code), count in counts.items():
        if day in per_day:
            index = series.get(code, SERIES)
            per_day[day][index] = per_day[day].get(index, 0) + count
    top = max((sum(stack.values()) for stack in per_day.values()), default=0)
    scale_top = _nice(top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    segments = []
    for position, day in enumerate(days):
        base = HEIGHT - BOTTOM
        for index, count in sorted(per_day[day].items()):
            height = plot_h * count / scale_top
            base -= height
            name = legend[index][1] if index < len(legend) else gettext("Other")
            segments.append(
                Segment(
                    round(LEFT + position * slot + slot * 0.1, 1),
                    round(base, 1),
                    round(slot * 0.8, 1),
                    round(height, 1),
                    index,
                    f"{_day(day)}: {count:,} {name}",
                )
            )
    every = math.ceil(len(days) / 8)
    x_ticks = [
        Tick(round(LEFT + (position + 0.5) * slot, 1), _day(day))
        for position, day in enumerate(days)
        if position % every == 0
    ]
    y_ticks = [
        Tick(round(HEIGHT - BOTTOM - plot_h * value / scale_top, 1), f"{value:,}")
        for value in (0, scale_top // 2, scale_top)
    ]
    total = sum(counts.values())
    return DayChart(days[0], days[-1], segments, x_ticks, y_ticks, legend, total, clipped)


def _nice(top: int) -> int:
    """An even axis maximum at or above ``top`` (at least 2, so the middle tick is whole)."""
    if top <= 2:
        return 2
    magnitude = 10 ** (len(str(top)) - 1)
    for step in (1, 2, 4, 5, 10):
        if step * magnitude >= top and (step * magnitude) % 2 == 0:
            return step * magnitude
    return 10 * magnitude


def _day(day: date) -> str:
    return dateformat.format(day, "j M")
