"""Static SVG charts built at build time: readable offline, printable, no script and nothing from other hosts.
Every chart carries a title and a description, and the page beside it has the same figures as a table.

Drawn for a phone first: the picture is 360 units wide, about a phone's width, so 14-unit text shows at 12 px
or more there (CSS caps its width on a wide screen); each bar's label sits above its bar, so a long one has the
whole width. A chart holds values of one unit only: bars of different units would look comparable."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 360
FONT = 14
LABEL_CHARS = 24  # longer labels are shortened in the picture; the full text is in the tooltip and the table
ROW = 46  # a label line, then its bar
BAR_HEIGHT = 14
VALUE_SPACE = 80  # room after the longest bar for its value


def _role(links) -> str:
    """role=img hides what is inside it, so a chart whose bars or events are links is a group instead."""
    return "group" if any(links) else "img"


def _short(text: str, chars: int = LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    href: str = ""


def bar_svg(svg_id: str, title: str, description: str, bars: list[Bar], scale_max: float | None = None) -> Markup:
    """Horizontal bars of one unit; `scale_max` fixes the scale (100 for percentages), else the largest value."""
    top = max([scale_max or 0] + [b.value for b in bars]) or 1
    area = WIDTH - VALUE_SPACE
    rows = []
    for i, bar in enumerate(bars):
        y = 4 + i * ROW
        length = max(1.0, area * bar.value / top)
        label = Markup('<text x="0" y="{}" class="hb-chart-label">{}<title>{}</title></text>').format(
            y + FONT, _short(bar.label), bar.label
        )
        if bar.href:
            label = Markup('<a href="{}">{}</a>').format(bar.href, label)
        rows.append(
            label
            + Markup(
                '<rect x="0" y="{}" width="{:.1f}" height="{}" class="hb-chart-bar"><title>{}: {}</title></rect>'
                '<text x="{:.1f}" y="{}" class="hb-chart-value">{}</text>'
            ).format(
                y + FONT + 6,
                length,
                BAR_HEIGHT,
                bar.label,
                bar.value_text,
                length + 6,
                y + FONT + 6 + 12,
                bar.value_text,
            )
        )
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" font-size="{font}" role="{role}" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}</svg>'
    ).format(
        id=svg_id,
        w=WIDTH,
        h=len(bars) * ROW + 8,
        font=FONT,
        role=_role(bar.href for bar in bars),
        title=title,
        desc=description,
        rows=Markup("").join(rows),
    )


def figure(chart_id: str, caption: str, pictures: list[tuple[str, Markup]]) -> Markup:
    """A figure of one or more charts, each with its own heading (its unit)."""
    body = Markup("").join(
        (Markup('<p class="hb-chart-unit">{}</p>').format(heading) if heading else Markup("")) + picture
        for heading, picture in pictures
    )
    return Markup('<figure class="hb-chart" id="{}">{}<figcaption>{}</figcaption></figure>').format(
        chart_id, body, caption
    )


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], scale_max: float | None = None) -> Markup:
    return figure(chart_id, title, [("", bar_svg(chart_id + "-svg", title, description, bars, scale_max))])


@dataclass(frozen=True)
class Event:
    year: int
    label: str
    kind: str  # programme / law / source: a CSS class
    href: str = ""


def timeline(
    chart_id: str, title: str, description: str, events: list[Event], legend: dict[str, str] | None = None
) -> Markup:
    """A vertical time axis: one row per event, years down the left, a legend of the kinds of event on top."""
    row, left, legend_height = 26, 52, 30 if legend else 0
    ordered = sorted(events, key=lambda e: (e.year, e.kind, e.label))
    height = row * len(ordered) + 20 + legend_height
    parts = []
    x = 0.0
    for kind, name in (legend or {}).items():
        parts.append(
            Markup(
                '<circle cx="{}" cy="12" r="6" class="hb-dot-{}"/><text x="{}" y="17" class="hb-chart-label">{}</text>'
            ).format(x + 6, kind, x + 16, name)
        )
        x += 26 + len(name) * (FONT if any("\u4e00" <= c <= "\u9fff" for c in name) else FONT * 0.55)
    parts.append(
        Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="hb-timeline-axis"/>').format(
            left, legend_height + 10, left, height - 10
        )
    )
    previous_year = None
    for i, event in enumerate(ordered):
        y = legend_height + 20 + i * row
        if event.year != previous_year:
            parts.append(
                Markup('<text x="{}" y="{}" text-anchor="end" class="hb-timeline-year">{}</text>').format(
                    left - 10, y + 5, event.year
                )
            )
            previous_year = event.year
        label = Markup('<text x="{}" y="{}" class="hb-timeline-label">{}<title>{}</title></text>').format(
            left + 14, y + 5, _short(event.label, 20), event.label
        )
        if event.href:
            label = Markup('<a href="{}">{}</a>').format(event.href, label)
        parts.append(Markup('<circle cx="{}" cy="{}" r="6" class="hb-dot-{}"/>').format(left, y, event.kind) + label)
    return Markup(
        '<figure class="hb-chart hb-timeline" id="{id}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'font-size="{font}" role="{role}" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{parts}</svg></figure>'
    ).format(
        id=chart_id,
        w=WIDTH,
        h=height,
        font=FONT,
        role=_role(event.href for event in events),
        title=title,
        desc=description,
        parts=Markup("").join(parts),
    )


__all__ = ["Bar", "Event", "bar_chart", "bar_svg", "figure", "timeline", "escape"]
