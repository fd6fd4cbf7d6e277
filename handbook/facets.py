"""What the programme list can be narrowed by (category, level, region, year, issuer), per programme, from the
data alone: the levels of its organisers and of its guide's statements; the places its guide's statements and
its cited documents name; the years of those statements and documents and of its start; the bodies that issued
the documents it cites."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Programme
from .store import Handbook

MASKED = ("未载", "遮蔽")  # what a document does not state or masks (原文未载, X市（原文遮蔽）): nothing to filter by


def _plain(text: str) -> bool:
    return not any(mark in text for mark in MASKED)


@dataclass
class Facets:
    category: str
    levels: set[str] = field(default_factory=set)
    places: dict[str, str] = field(default_factory=dict)  # Chinese place → English place
    years: set[int] = field(default_factory=set)
    months: set[int] = field(default_factory=set)  # when in the year the guide says it happens (本月重点)
    issuers: dict[str, str] = field(default_factory=dict)  # Chinese issuer → English issuer


def programme_facets(book: Handbook, programme: Programme) -> Facets:
    facets = Facets(category=programme.category)
    facets.levels.update(organiser.level for organiser in programme.organisers)
    guide = programme.guide
    if guide is not None:
        for section in ("who", "provides", "steps", "when", "materials", "contact"):
            for item in getattr(guide, section):
                facets.levels.add(item.scope.level)
                facets.months.update(item.months)
                facets.years.add(item.scope.year)
                if item.scope.place is not None and _plain(item.scope.place.zh):
                    facets.places[item.scope.place.zh] = item.scope.place.en
    for claim_year in _started_years(programme):
        facets.years.add(claim_year)
    for source in (book.sources[s] for s in book.cited_sources(programme.id) if s in book.sources):
        if _plain(source.place.zh):
            facets.places[source.place.zh] = source.place.en
        if _plain(source.issuer.zh):
            facets.issuers[source.issuer.zh] = source.issuer.en
        if source.date:
            facets.years.add(int(source.date[:4]))
    return facets


def _started_years(programme: Programme) -> list[int]:
    started = programme.started
    if started is None:
        return []
    years = [claim.year for claim in started.contested if claim.year] if started.contested else []
    return years + ([started.year] if started.year else [])
