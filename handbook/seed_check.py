"""The check that every source text is its verbatim seed, paragraph by paragraph (seeds.py explains the map)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .problems import Problem
from .seed_text import (
    QUOTED,
    Seed,
    SeedUnreadable,
    SpanError,
    joined,
    locate_seeds,
    normalise,
    read_seed,
    trimmed,
    without_spaces,
)
from .yamlio import LoadedYaml

if TYPE_CHECKING:
    from .book import Handbook
    from .models import Source


def check_seeds(book: Handbook, loaded: dict[tuple[str, str], LoadedYaml]) -> list[Problem]:
    """Prove every paragraph of every source text is exactly the seed text its map names, in the seed's order."""
    if not book.sources:
        return []
    folder, missing = locate_seeds(book.root)
    if folder is None:
        return [Problem("data/sources", 1, 1, "", missing)]
    problems: list[Problem] = []
    seeds: dict[str, Seed | str] = {}  # several sources share a seed: each is read once
    for source_id, source in book.sources.items():
        doc = loaded[("sources", source_id)]
        if source.seed not in seeds:
            try:
                seeds[source.seed] = Seed(source.seed, read_seed(folder, source.seed))
            except SeedUnreadable as exc:
                seeds[source.seed] = str(exc)
        seed = seeds[source.seed]
        if isinstance(seed, str):
            problems.append(doc.problem(("seed",), seed))
            continue
        if source_id not in book.paragraphs:
            continue  # no text, or not a regular file: store.py has said so and read nothing
        problems += _check_source(source_id, source, doc, seed, book.paragraphs[source_id])
    return problems


@dataclass
class _Span:
    key: tuple  # where it is in the yml: ("seed_spans", "p3") or ("seed_omitted", 0, "span")
    start: int
    end: int
    paragraph: int | None  # 1-based, None for an omission

    @property
    def label(self) -> str:
        return f"p{self.paragraph}" if self.paragraph else f"seed_omitted.{self.key[1]}"


def _check_source(source_id: str, source: Source, doc: LoadedYaml, seed: Seed, paragraphs: list[str]) -> list[Problem]:
    if not source.seed_spans:
        return [
            doc.problem(
                ("seed_spans",),
                f"no seed spans: map each paragraph to its place in {seed.name} with "
                f"`python -m handbook seed-spans {source_id} --write`, then give a "
                "reason for each omission it lists",
            )
        ]
    problems: list[Problem] = []
    spans: list[_Span] = []
    for number, (key, span) in enumerate(source.seed_spans.items(), 1):
        if key != f"p{number}":
            problems.append(
                doc.problem(
                    ("seed_spans", key),
                    f"key '{key}' where p{number} belongs: the keys are p1, p2, p3 … in order, one per paragraph",
                )
            )
            return problems
        try:
            spans.append(_Span(("seed_spans", key), *seed.offsets(span), number))
        except SpanError as exc:
            problems.append(doc.problem(("seed_spans", key), str(exc)))
    omitted: list[_Span] = []
    for index, omission in enumerate(source.seed_omitted):
        try:
            omitted.append(_Span(("seed_omitted", index, "span"), *seed.offsets(omission.span), None))
        except SpanError as exc:
            problems.append(doc.problem(("seed_omitted", index, "span"), str(exc)))
    if problems:
        return problems
    for before, after in zip(spans, spans[1:], strict=False):
        if after.start < before.end:
            return [
                doc.problem(
                    after.key,
                    f"'{source.seed_spans[after.key[1]]}' starts inside or before p{before.paragraph} "
                    f"('{source.seed_spans[before.key[1]]}'): the spans follow the seed's order, "
                    "each after the one before",
                )
            ]
    ordered = sorted(spans + omitted, key=lambda s: (s.start, s.end))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            first, second = (after, before) if before.paragraph else (before, after)  # name the omission first
            return [
                doc.problem(
                    first.key,
                    f"{first.label} overlaps {second.label} (seed "
                    f"{seed.describe(after.start, min(before.end, after.end))}): each stretch of "
                    "the seed is either a paragraph or omitted, once",
                )
            ]
    problems += _compare(source_id, seed, spans, paragraphs)
    problems += _gaps(doc, seed, spans, ordered)
    return problems


def _compare(source_id: str, seed: Seed, spans: list[_Span], paragraphs: list[str]) -> list[Problem]:
    """Paragraph N against the seed text of pN; where they part, say how (cut, split, merged, moved, added, lost)."""
    exact = [joined(seed.text[s.start : s.end]) for s in spans]
    if paragraphs == exact:
        return []
    texts = [without_spaces(p) for p in paragraphs]
    wanted = [normalise(seed.text[s.start : s.end]) for s in spans]
    path = f"data/sources/{source_id}.txt"
    counts = f"the text has {len(texts)} paragraphs, seed_spans maps {len(wanted)}"
    renumbers = "every #pN citation after it would point at other text"

    def where(j: int) -> str:
        return f"p{j + 1} ({seed.name} {seed.describe(spans[j].start, spans[j].end)})"

    found: list[tuple[int, str]] = []
    pairs: list[tuple[int, int]] = []  # paragraph and span that stand in the same place but differ
    extra: list[int] = []  # paragraphs with no span
    lost: list[int] = []  # spans with no paragraph
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, texts, wanted, autojunk=False).get_opcodes():
        if tag == "equal":
            found += [
                (
                    i + 1,
                    f"paragraph {i + 1} differs in its spacing from the seed text of {where(j)} "
                    f"{_first_difference(paragraphs[i], exact[j])}; copy the seed's spacing exactly (a "
                    "line break in the seed is joined without a space)",
                )
                for i, j in zip(range(i1, i2), range(j1, j2), strict=False)
                if paragraphs[i] != exact[j]
            ]
            continue
        if tag == "replace" and "".join(texts[i1:i2]) == "".join(wanted[j1:j2]):
            found.append((i1 + 1, _rebroken(seed, spans, i1, i2, j1, j2, renumbers)))
            continue
        size = min(i2 - i1, j2 - j1)
        pairs += zip(range(i1, i1 + size), range(j1, j1 + size), strict=False)
        extra += range(i1 + size, i2)
        lost += range(j1 + size, j2)
    moved: dict[int, int] = {}  # paragraph -> the span whose text it is
    for i in sorted([i for i, _ in pairs] + extra):
        j = next(
            (j for j in sorted([j for _, j in pairs] + lost) if wanted[j] == texts[i] and j not in moved.values()), None
        )
        if j is not None:
            moved[i] = j
            found.append(
                (
                    i + 1,
                    f"paragraph {i + 1} is the seed text of {where(j)}, out of order: the paragraphs "
                    f"follow the seed, so it belongs at paragraph {j + 1}; put the lines back in the seed's order, "
                    f"since citations of #p{min(i, j) + 1} to #p{max(i, j) + 1} would point at other text",
                )
            )
    placed = set(moved.values())
    for i, j in pairs:
        if i in moved and j not in placed:
            lost.append(j)
        elif j in placed and i not in moved:
            extra.append(i)
        elif i not in moved:
            found.append(
                (
                    i + 1,
                    f"paragraph {i + 1} differs from the seed text of {where(j)} "
                    f"{_first_difference(paragraphs[i], exact[j])}; copy the seed's wording exactly",
                )
            )
    for i in extra:
        if i not in moved:
            found.append(
                (
                    i + 1,
                    f"paragraph {i + 1} has no span in the seed map ({counts}): a line added here "
                    f"means {renumbers}; remove it",
                )
            )
    for j in lost:
        if j not in placed:
            before = max((i for i, k in pairs if k < j), default=j - 1)
            line = max(1, min(before + 2, len(texts)))
            found.append(
                (
                    line,
                    f"the seed text of {where(j)}, '{seed.excerpt(spans[j].start, spans[j].end)}', is "
                    f"missing from the text ({counts}): a deleted line means {renumbers}; restore it as "
                    f"paragraph {j + 1}",
                )
            )
    return [Problem(path, line, 1, "", message) for line, message in sorted(found, key=lambda f: f[0])]


def _rebroken(seed: Seed, spans: list[_Span], i1: int, i2: int, j1: int, j2: int, renumbers: str) -> str:
    """Paragraphs i1..i2 hold exactly the seed text of spans j1..j2, with the line breaks moved."""
    where = f"{seed.name} {seed.describe(spans[j1].start, spans[j2 - 1].end)}"
    if i2 - i1 == 1:
        keys = " and ".join(f"p{j + 1}" for j in range(j1, j2))
        return (
            f"paragraph {i1 + 1} joins the seed texts of {keys} ({where}): put each on a line of its own "
            f"again, since {renumbers}"
        )
    numbers = " and ".join(str(i + 1) for i in range(i1, i2)) if i2 - i1 == 2 else f"{i1 + 1}-{i2}"
    if j2 - j1 == 1:
        return (
            f"paragraphs {numbers} are the seed text of p{j1 + 1} ({where}) cut into {i2 - i1} lines: join "
            f"them into one line again, since {renumbers.replace('after it', 'after them')}"
        )
    return (
        f"paragraphs {numbers} hold the seed text of p{j1 + 1}-p{j2} ({where}) with the lines broken in other "
        f"places: one paragraph per span, since {renumbers}"
    )


def _first_difference(text: str, seed: str) -> str:
    """Where a paragraph stops matching its seed text, quoting a few characters of both."""
    common = 0
    for a, b in zip(text, seed, strict=False):
        if a != b:
            break
        common += 1
    if common == 0:
        return f"from its first character: the seed has '{seed[:QUOTED]}', the paragraph has '{text[:QUOTED]}'"
    before = f"after '{text[max(0, common - QUOTED) : common]}'"
    if common == len(text):
        return f"{before}: the seed continues '{seed[common : common + QUOTED]}', the paragraph ends there"
    if common == len(seed):
        return f"{before}: the seed text ends there, the paragraph continues '{text[common : common + QUOTED]}'"
    seed_has, text_has = seed[common : common + QUOTED], text[common : common + QUOTED]
    return f"{before}: the seed has '{seed_has}', the paragraph has '{text_has}'"


def _gaps(doc: LoadedYaml, seed: Seed, spans: list[_Span], ordered: list[_Span]) -> list[Problem]:
    """Non-blank seed text inside the document (first span's line to last span's line) that no span holds."""
    problems = []
    first_line_start, _ = seed.line_bounds(ordered[0].start)
    _, last_line_end = seed.line_bounds(ordered[-1].end - 1)
    stretches: list[tuple[int, int, _Span | None, _Span | None]] = [
        (first_line_start, ordered[0].start, None, ordered[0])
    ]
    stretches += [(a.end, b.start, a, b) for a, b in zip(ordered, ordered[1:], strict=False)]
    stretches.append((ordered[-1].end, last_line_end, ordered[-1], None))
    for start, end, before, after in stretches:
        if end <= start or not normalise(seed.text[start:end]):
            continue
        start, end = trimmed(seed.text, start, end)
        between = _between(start, spans)
        problems.append(
            doc.problem(
                (before or after).key,  # type: ignore[union-attr]  # every stretch has a span on one side
                f"seed {seed.describe(start, end)} ('{seed.excerpt(start, end)}') is left out of the "
                f"text {between}: add it to the text, or declare it in seed_omitted with the span "
                f"'{seed.span(start, end)}' and a reason",
            )
        )
    return problems


def _between(offset: int, spans: list[_Span]) -> str:
    before = [s.paragraph for s in spans if s.end <= offset]
    after = [s.paragraph for s in spans if s.start >= offset]
    if not before:
        return f"before paragraph {after[0]}"
    if not after:
        return f"after paragraph {before[-1]}"
    return f"between paragraphs {before[-1]} and {after[0]}"


# --- writing a map ---------------------------------------------------------------------------------------------
