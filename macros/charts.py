"""Static SVG charts built at build time: readable offline, printable, no script and nothing from other hosts.
Every chart carries a title and a description, and the page beside it has the same figures as a table."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 420
LABEL_CHARS = 30  # longer labels are shortened in the picture; the full text is in the tooltip and the table
BAR_AREA = 300
VALUE_WIDTH = 90


def _role(links) -> str:
    """role=img hides what is inside it, so a chart whose bars or events are links is a group instead."""
    return "group" if any(links) else "img"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    href: str = ""


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], scale_max: float | None = None) -> Markup:
    """A horizontal bar chart; `scale_max` fixes the scale (100 for percentages), else the largest value."""
    top = max([scale_max or 0] + [b.value for b in bars]) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    rows = []
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = max(1.0, BAR_AREA * bar.value / top)
        short = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
        label = Markup(
            '<text x="{}" y="{}" text-anchor="end" class="hb-chart-label">{}<title>{}</title></text>'
        ).format(LABEL_WIDTH - 8, y + BAR_HEIGHT * 0.7, short, bar.label)
        if bar.href:
            label = Markup('<a href="{}">{}</a>').format(bar.href, label)
        rows.append(
            label
            + Markup(
                '<rect x="{}" y="{}" width="{:.1f}" height="{}" class="hb-chart-bar"><title>{}: {}</title></rect>'
                '<text x="{:.1f}" y="{}" class="hb-chart-value">{}</text>'
            ).format(
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                bar.label,
                bar.value_text,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT * 0.7,
                bar.value_text,
            )
        )
    return Markup(
        '<figure class="hb-chart" id="{id}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'role="{role}" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}</svg>'
        "<figcaption>{title}</figcaption></figure>"
    ).format(
        id=chart_id,
        w=width,
        h=height,
        role=_role(bar.href for bar in bars),
        title=title,
        desc=description,
        rows=Markup("").join(rows),
    )


@dataclass(frozen=True)
class Event:
    year: int
    label: str
    kind: str  # programme / law / source: a CSS class
    href: str = ""


def timeline(chart_id: str, title: str, description: str, events: list[Event]) -> Markup:
    """A vertical time axis: one row per event, years down the left."""
    row = 26
    width, left = 760, 90
    ordered = sorted(events, key=lambda e: (e.year, e.kind, e.label))
    height = row * len(ordered) + 20
    parts = [Markup('<line x1="{}" y1="10" x2="{}" y2="{}" class="hb-timeline-axis"/>').format(left, left, height - 10)]
    previous_year = None
    for i, event in enumerate(ordered):
        y = 20 + i * row
        if event.year != previous_year:
            parts.append(
                Markup('<text x="{}" y="{}" text-anchor="end" class="hb-timeline-year">{}</text>').format(
                    left - 14, y + 5, event.year
                )
            )
            previous_year = event.year
        label = Markup('<text x="{}" y="{}" class="hb-timeline-label">{}</text>').format(left + 16, y + 5, event.label)
        if event.href:
            label = Markup('<a href="{}">{}</a>').format(event.href, label)
        parts.append(Markup('<circle cx="{}" cy="{}" r="6" class="hb-dot-{}"/>').format(left, y, event.kind) + label)
    return Markup(
        '<figure class="hb-chart hb-timeline" id="{id}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'role="{role}" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{parts}</svg></figure>'
    ).format(
        id=chart_id,
        w=width,
        h=height,
        role=_role(event.href for event in events),
        title=title,
        desc=description,
        parts=Markup("").join(parts),
    )


__all__ = ["Bar", "Event", "bar_chart", "timeline", "escape"]
