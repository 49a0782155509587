"""Server-drawn SVG charts for the dashboard: no script, readable by a screen reader.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words
what it shows; the dashboard also prints the numbers in a table. Colours come from classes the
stylesheet sets (light and dark), so the markup carries no style attributes the site's Content
Security Policy would block.
"""

import datetime
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str


OUTCOMES = [
    Series("approved", "Approved", "chart-approved"),
    Series("pending", "Held", "chart-held"),
    Series("spam", "Spam", "chart-spam"),
    Series("removed", "Removed", "chart-removed"),
]


def _n(value: float) -> str:
    return f"{value:.1f}"


def _joined(parts: list[SafeString]) -> SafeString:
    """Pieces each built by ``format_html`` (so already escaped), as one."""
    return SafeString("".join(parts))


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 4), for the axis."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= max(value, 4):
                return step * factor
        step *= 10


def daily_outcomes(
    days: list[datetime.date], per_day: dict[datetime.date, dict[str, int]], *, chart_id: str
) -> SafeString:
    """A stacked bar per day: comments that arrived that day, by what became of them."""
    width, height, left, bottom, top = 720, 240, 40, 28, 10
    plot_h = height - bottom - top
    top_value = _nice_max(max((sum(per_day[d].values()) for d in days), default=0))
    slot = (width - left) / max(len(days), 1)
    bar = max(slot * 0.7, 1)
    bars = []
    for index, day in enumerate(days):
        x = left + index * slot + (slot - bar) / 2
        y = height - bottom
        for series in OUTCOMES:
            count = per_day[day].get(series.key, 0)
            if not count:
                continue
            h = plot_h * count / top_value
            y -= h
            bars.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} {}</title></rect>",
                    series.css, _n(x), _n(y), _n(bar), _n(h), day.strftime("%d %b"), count,
                    series.label.lower(),
                )
            )  # fmt: skip
    ticks = [
        format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
            '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
            left, width, _n(y), _n(y), left - 6, _n(y + 4), value,
        )
        for value, y in (
            (v, height - bottom - plot_h * v / top_value) for v in (0, top_value // 2, top_value)
        )
    ]  # fmt: skip
    labels = [
        format_html(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
            _n(left + i * slot + slot / 2), height - 8, day.strftime("%d %b"),
        )
        for i, day in enumerate(days)
        if (len(days) - 1 - i) % 7 == 0
    ]  # fmt: skip
    totals = {s.label: sum(per_day[d].get(s.key, 0) for d in days) for s in OUTCOMES}
    summary = ", ".join(f"{count} {label.lower()}" for label, count in totals.items())
    first, last = (days[0], days[-1]) if days else (None, None)
    description = (
        f"Comments that arrived each day from {first:%d %B} to {last:%d %B %Y}, stacked by "
        f"outcome. In all: {summary}."
        if days
        else "No days to show."
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">Comments per day by outcome, last {} days</title>'
        '<desc id="{}-desc">{}</desc>{}{}{}</svg>',
        width, height, chart_id, chart_id, chart_id, len(days), chart_id, description,
        _joined(ticks), _joined(bars), _joined(labels),
    )  # fmt: skip


def horizontal_bars(
    rows: list[tuple[str, int]], *, chart_id: str, title: str, empty: str
) -> SafeString:
    """One labelled bar per row, longest first, for counts such as the top reasons."""
    if not rows:
        return format_html('<p class="empty">{}</p>', empty)
    row_h, label_w, width = 28, 300, 720
    height = row_h * len(rows) + 8
    top_value = max(count for _, count in rows)
    bars = format_html_join(
        "",
        '<text class="chart-label" x="0" y="{}">{}</text>'
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart-axis" x="{}" y="{}">{}</text>',
        (
            (
                i * row_h + 19, label, label_w, i * row_h + 6,
                _n((width - label_w - 50) * count / top_value), row_h - 10,
                _n(label_w + (width - label_w - 50) * count / top_value + 6), i * row_h + 19,
                count,
            )
            for i, (label, count) in enumerate(rows)
        ),
    )  # fmt: skip
    description = "; ".join(f"{label}: {count}" for label, count in rows)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width, height, chart_id, chart_id, chart_id, title, chart_id, description, bars,
    )  # fmt: skip
