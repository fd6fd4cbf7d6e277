"""Page bodies that combine several kinds of data (charts, timeline, matrix, pending list)."""

from __future__ import annotations

from markupsafe import Markup

from handbook.kinds import BY_NAME
from handbook.store import Handbook

from .charts import Bar, Event, bar_chart, bar_svg, figure, timeline
from .render import Renderer, name_of, relative_url

# The kinds the status page lists, in its order: every kind with a translation to keep up and a review date
# (tests/test_kinds.py checks it is all of them).
STATUS_KINDS = ("programme", "law", "source", "term")


def entry_url(renderer: Renderer, here: str, kind: str, entry_id: str) -> str:
    """The link from page `here` to where an entry of a kind is shown (its page, or its anchor on a shared one)."""
    src, anchor = BY_NAME[kind].page_of(entry_id)
    return relative_url(src, here, renderer.use_directory_urls, anchor)


def target_charts(book: Handbook, renderer: Renderer, programme_id: str, here: str) -> Markup:
    """One chart of percentages (on a 0–100 scale) and one figure of counts, a chart per unit: bars of different
    units are never drawn side by side as if comparable, and a unit with a single value is left to the table."""
    name = renderer.tr(book.programmes[programme_id].name)
    numeric = [t for t in book.targets_of(programme_id) if t.value is not None]
    percent = [t for t in numeric if t.unit.zh.strip() in ("%", "％")]
    by_unit: dict[str, list] = {}
    for target in numeric:
        if target not in percent:
            by_unit.setdefault(renderer.tr(target.unit).strip(), []).append(target)

    def bars(group) -> list[Bar]:
        return [
            Bar(
                f"{renderer.tr(t.place)} {t.year or ''} · {renderer.tr(t.indicator)}".replace("  ", " "),
                t.value or 0.0,  # the chart groups hold targets with a value only
                t.value_text,
                "#" + t.id,
            )
            for t in group
        ]

    charts = []
    if percent:
        charts.append(
            bar_chart(
                f"chart-{programme_id}-percent",
                renderer.t("percent_chart", name=name),
                renderer.t("chart_desc", n=len(percent)),
                bars(percent),
                100.0,
            )
        )
    shared = {unit: group for unit, group in by_unit.items() if len(group) > 1}
    if shared:
        chart_id = f"chart-{programme_id}-count"
        title = renderer.t("count_chart", name=name)
        pictures = [
            (
                renderer.t("chart_unit", unit=unit),
                bar_svg(f"{chart_id}-{n}", f"{title} ({unit})", renderer.t("chart_desc", n=len(group)), bars(group)),
            )
            for n, (unit, group) in enumerate(shared.items(), 1)
        ]
        charts.append(figure(chart_id, title, pictures))
    masked = [t for t in book.targets_of(programme_id) if t.value is None]
    links = Markup("").join(Markup('<a href="#{}">{}</a> ').format(t.id, t.value_text) for t in masked)
    html = Markup("\n").join(charts)
    if masked:
        html += Markup('\n<p class="hb-note">{} {}</p>').format(
            renderer.t("masking") + (": " if renderer.lang == "en" else "："), links
        )
    return html or Markup("<p></p>")


def timeline_events(book: Handbook, renderer: Renderer, here: str) -> list[Event]:
    def url(kind: str, entry_id: str) -> str:
        return entry_url(renderer, here, kind, entry_id)

    events = []
    for p in book.programmes.values():
        href = url("programme", p.id)
        for fact, key in ((p.started, ""), (p.first_named, "first_named")):
            years = fact.years if fact else []
            for year in years:
                notes = [renderer.t(k) for k in (key, "contested" if len(years) > 1 else "") if k]
                label = renderer.tr(p.name) + "".join(
                    f"{renderer.t('paren_open')}{n}{renderer.t('paren_close')}" for n in notes
                )
                events.append(Event(year, label, "programme", href))
    events += [
        Event(int(law.adopted[:4]), renderer.tr(law.name), "law", url("law", law.id))
        for law in book.laws.values()
        if law.adopted
    ]
    events += [
        Event(int(s.date[:4]), renderer.tr(s.short), "source", url("source", s.id))
        for s in book.sources.values()
        if s.date
    ]
    return sorted(events, key=lambda e: (e.year, e.kind, e.label))


def timeline_page(book: Handbook, renderer: Renderer, here: str) -> Markup:
    events = timeline_events(book, renderer, here)
    legend = {kind: renderer.t(f"kind_name.{kind}s") for kind in ("programme", "law", "source")}
    chart = timeline(
        "timeline-chart", renderer.t("timeline"), renderer.t("timeline_desc", n=len(events)), events, legend
    )
    intro = Markup("<p>{}</p>").format(renderer.t("timeline_intro"))
    return intro + chart + renderer.render("timeline_list.html", here, events=events)


def matrix_page(book: Handbook, renderer: Renderer, here: str) -> Markup:
    """Programmes × documents: how many paragraphs of each document name the programme (read as Simplified),
    and whether the programme's entry cites that document."""
    counts: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    cited: set[tuple[str, str]] = set()
    for programme in book.programmes.values():
        for source_id, hits in book.mentions(programme.id).items():
            counts[(programme.id, source_id)] = len(hits)
            first[(programme.id, source_id)] = hits[0]
        cited |= {(programme.id, s) for s in book.cited_sources(programme.id)}
    sources = sorted(book.sources.values(), key=lambda s: (s.date or "9999", s.id))
    programmes = sorted(book.programmes.values(), key=lambda p: (list(book.categories).index(p.category), p.id))
    intro = Markup("<p>{}</p>").format(renderer.t("matrix_intro"))
    return intro + renderer.render(
        "matrix.html", here, sources=sources, programmes=programmes, counts=counts, first=first, cited=cited
    )


def pending_page(book: Handbook, renderer: Renderer, here: str) -> Markup:
    def url(kind: str, entry_id: str) -> str:
        return entry_url(renderer, here, kind, entry_id)

    other = "en" if renderer.lang == "zh" else "zh"
    questions = [
        (url("programme", p.id), renderer.tr(p.name), q)
        for p in sorted(book.programmes.values(), key=lambda p: p.id)
        for q in p.open_questions
    ]
    questions += [
        (url("law", law.id), renderer.tr(law.name), q)
        for law in sorted(book.laws.values(), key=lambda law: law.id)
        for q in law.open_questions
    ]
    unofficial = [
        (url("programme", p.id), renderer.tr(p.name), getattr(p.name, other))
        for p in sorted(book.programmes.values(), key=lambda p: p.id)
        if not p.name.en_source
    ]
    unofficial += [
        (url("term", t.id), renderer.tr(t.term), getattr(t.term, other))
        for t in sorted(book.terms.values(), key=lambda t: t.id)
        if not t.term.en_source
    ]
    unstarted = [p for p in sorted(book.programmes.values(), key=lambda p: p.id) if not p.started]
    intro = Markup("<p>{}</p>").format(renderer.t("pending_intro"))
    return intro + renderer.render(
        "pending.html", here, questions=questions, unofficial=unofficial, unstarted=unstarted
    )


def reference_date():
    """The date the status page measures review ages against: the build's SOURCE_DATE_EPOCH (the last
    commit's time, set by scripts/build_site.py) so that two builds of one commit are identical."""
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def status_page(book: Handbook, renderer: Renderer, here: str, max_age: int) -> Markup:
    import datetime as dt

    from handbook.translation import translation_status

    today = reference_date()

    rows = []
    for kind in (BY_NAME[name] for name in STATUS_KINDS):
        for entry in sorted(getattr(book, kind.plural).values(), key=lambda e: e.id):
            age = (today - dt.date.fromisoformat(entry.reviewed.date)).days
            rows.append(
                {
                    "kind": kind.plural,
                    "id": entry.id,
                    "name": renderer.tr(name_of(entry)),
                    "href": entry_url(renderer, here, kind.name, entry.id),
                    "status": translation_status(entry),
                    "reviewed": entry.reviewed,
                    "stale": age > max_age,
                }
            )
    counts = {key: sum(r["status"] == key for r in rows) for key in ("complete", "pending", "outdated")}
    return renderer.render(
        "status.html",
        here,
        rows=rows,
        counts=counts,
        today=today.isoformat(),
        max_age=max_age,
        stale_count=sum(r["stale"] for r in rows),
    )


def guide_status_page(book: Handbook, renderer: Renderer, here: str) -> Markup:
    """Per programme: how many guide items have a source, which sections are open, and the newest source date."""
    from handbook.guide import guide_status

    guides = [
        (p, entry_url(renderer, here, "programme", p.id), guide_status(book, p)) for p in book.programmes.values()
    ]
    guides.sort(key=lambda row: (-len(row[2].filled), row[0].id))
    return renderer.render("guide_status.html", here, guides=guides)
