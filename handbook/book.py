"""The handbook once loaded: every entry by kind and id, and the lookups pages ask for (built on first use)."""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .citations import all_cites
from .editions import Editions
from .models import Category, Law, Programme, Reference, Source, Synonym, Target, Term
from .text import bare, to_simplified
from .yamlio import LoadedYaml


@dataclass
class Handbook:
    root: Path
    programmes: dict[str, Programme] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    synonyms: dict[str, Synonym] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> path from root
    documents: dict[tuple[str, str], LoadedYaml] = field(default_factory=dict)  # where each entry's keys are
    unreadable: set[str] = field(default_factory=set)  # ids of entry files that failed; not reported again as missing
    unread_folders: set[str] = field(default_factory=set)  # data folders refused unread: their ids are unknown
    editions: Editions = field(default_factory=Editions)  # the published editions and their entries (editions.py)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # see derived()

    # The lookups below are built once, on first use: a handbook is not changed after load_handbook() returns.

    def derived(self, key: str, make: typing.Callable[[], Any]) -> Any:
        """`make()`, computed once per handbook (for callers outside this module, e.g. the open-data export)."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    @functools.cached_property
    def _by_category(self) -> dict[str, list[Programme]]:
        return _grouped(sorted(self.programmes.values(), key=lambda p: p.id), lambda p: [p.category])

    def programmes_in(self, category_id: str) -> list[Programme]:
        return self._by_category.get(category_id, [])

    @functools.cached_property
    def _terms_listing(self) -> dict[str, list[Term]]:
        return _grouped(sorted(self.terms.values(), key=lambda t: t.id), lambda t: dict.fromkeys(t.related))

    def terms_of(self, programme_id: str) -> list[Term]:
        """Glossary terms a programme lists, then those that list the programme."""
        listed = [self.terms[t] for t in self.programmes[programme_id].terms if t in self.terms]
        return listed + [t for t in self._terms_listing.get(programme_id, []) if t not in listed]

    def programmes_of_term(self, term: Term) -> list[Programme]:
        """Programmes that list a term or that the term lists, in the order of data/programmes/."""
        return [p for p in self.programmes.values() if term.id in p.terms or p.id in term.related]

    @functools.cached_property
    def _targets_by_programme(self) -> dict[str, list[Target]]:
        ordered = sorted(self.targets.values(), key=lambda t: (t.year or 0, t.place.zh, t.id))
        return _grouped(ordered, lambda t: [t.programme])

    def targets_of(self, programme_id: str) -> list[Target]:
        return self._targets_by_programme.get(programme_id, [])

    @functools.cached_property
    def _bare_simplified(self) -> dict[str, list[str]]:
        return {
            source_id: [bare(to_simplified(text)) for text in paragraphs]
            for source_id, paragraphs in self.paragraphs.items()
        }

    def mentions(self, programme_id: str) -> dict[str, list[int]]:
        """Paragraphs, by source, whose text names the programme (its Chinese name or an alias), read as Simplified."""
        programme = self.programmes[programme_id]
        names = {bare(n) for n in [programme.name.zh, *programme.aliases.zh] if len(bare(n)) >= 2}
        found: dict[str, list[int]] = {}
        for source_id, paragraphs in self._bare_simplified.items():
            hits = [n for n, text in enumerate(paragraphs, 1) if any(name in text for name in names)]
            if hits:
                found[source_id] = hits
        return found

    @functools.cached_property
    def _cited(self) -> dict[str, frozenset[str]]:
        return {p.id: frozenset(_cited_sources(p)) for p in self.programmes.values()}

    def cited_sources(self, programme_id: str) -> frozenset[str]:
        """Ids of the sources and references a programme cites anywhere, or quotes."""
        return self._cited[programme_id]

    @functools.cached_property
    def _citing(self) -> dict[str, list[Programme]]:
        return _grouped(self.programmes.values(), lambda p: sorted(self._cited[p.id]))

    def programmes_citing(self, source_id: str) -> list[Programme]:
        return self._citing.get(source_id, [])


def _grouped(items, keys_of) -> dict[str, list]:
    """Items by each of their keys, keeping the items' order within a key."""
    groups: dict[str, list] = {}
    for item in items:
        for key in keys_of(item):
            groups.setdefault(key, []).append(item)
    return groups


def _cited_sources(programme: Programme) -> set[str]:
    cites = {c.split("#")[0] for c in all_cites(programme)}
    return cites | {q.source for q in programme.quotes}
