"""Prove that every source text is its verbatim seed, paragraph by paragraph, in the seed's order.

A source's data/sources/<id>.yml names its seed, a file in the seeds folder (../shared/seeds, or $HANDBOOK_SEEDS),
and maps each paragraph of data/sources/<id>.txt to the stretch of the seed it was taken from:

    seed_spans:
      p1: "2"              # seed line 2, whole
      p2: "25-26"          # seed lines 25 to 26, joined (a paragraph broken across lines)
      p3: "86:1-86:41"     # characters 1 to 41 of line 86 (a line holding several paragraphs)
      p4: "86:42-86"       # character 42 of line 86 to the end of the line
    seed_omitted:          # seed text inside the document that the text leaves out, each with a reason
      - span: "105"
        reason: {zh: …, en: …}

The check: paragraph N is the seed text of span pN with its line breaks and "—N—" page markers removed (and no
spaces at either end); there is one span per paragraph, spans follow the seed's order without overlapping, and every bit of
non-blank seed text from the first span's line to the last span's line is in a paragraph or in seed_omitted. So a
cut, a split, a merge, a reordering or an added or deleted line (which would move what a #pN citation points at)
all fail, and so does a map edited to hide a cut (the cut-off text becomes an undeclared omission).

`derive_map` writes such a map from a text and its seed (`python -m handbook seed-spans <id>`).
"""
from __future__ import annotations

import difflib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .yamlio import LoadedYaml, Problem

if TYPE_CHECKING:  # store.py imports this module
    from .models import Source
    from .store import Handbook

SEEDS_VARIABLE = "HANDBOOK_SEEDS"
DEFAULT_SEEDS = "../shared/seeds"
PAGE_MARKER = re.compile(r"—\d+—")  # page numbers left inside the text of a PDF copy
WHITESPACE = re.compile(r"\s+")
KEY_PATTERN = r"^p[1-9][0-9]*$"
SPAN_PATTERN = r"^[1-9][0-9]*(?::[1-9][0-9]*)?(?:-[1-9][0-9]*(?::[1-9][0-9]*)?)?$"
SPAN_FORMS = 'LINE, FIRST-LAST (lines joined) or LINE:CHAR-LINE:CHAR (1-based), e.g. "12", "25-26", "86:1-86:41"'
MAX_SEED_BYTES = 16 * 1024 * 1024  # the largest seed is about 50 KB
QUOTED = 10  # characters quoted where two texts part


# --- where the seeds are ---------------------------------------------------------------------------------------

def seeds_dir(root: Path) -> Path | None:
    """The seeds folder ($HANDBOOK_SEEDS, else ../shared/seeds beside the project), or None if it is not a folder."""
    folder, _ = locate_seeds(root)
    return folder


def locate_seeds(root: Path) -> tuple[Path | None, str]:
    """(the resolved seeds folder, "") or (None, why it was not found and what to do)."""
    configured = os.environ.get(SEEDS_VARIABLE)
    candidate = Path(configured) if configured else Path(root).resolve().parent / "shared" / "seeds"
    if candidate.is_dir():
        return candidate.resolve(), ""
    what = "is not a folder" if candidate.exists() else "does not exist"
    where = f"{SEEDS_VARIABLE}={configured} {what}" if configured else f"the seed folder {DEFAULT_SEEDS} ({candidate}) {what}"
    return None, (f"{where}, so the source texts cannot be proved verbatim: put the seed documents in {DEFAULT_SEEDS} "
                  f"beside the project, or set {SEEDS_VARIABLE} to the folder that holds them")


def seed_name_problem(name: str) -> str | None:
    """Why `name` is not a plain file name in the seeds folder, or None (used by the model)."""
    if (not name or name != name.strip() or name.startswith(".") or any(c in name for c in "/\\:")
            or any(ord(c) < 32 or ord(c) == 127 for c in name) or len(name.encode("utf-8")) > 255):
        return (f"{name!r} is not a plain file name: write only the name of a file in the seeds folder "
                f"({DEFAULT_SEEDS}), e.g. 003_589617b821fc1365.txt, with no folder, '..' or leading dot")
    return None


class SeedUnreadable(ValueError):
    """The seed a source names cannot be used; the message says why and what to do."""


def read_seed(folder: Path, name: str) -> str:
    """The text of seed `name`: a regular file directly inside `folder` (not a link, a folder or a device)."""
    problem = seed_name_problem(name)
    if problem:
        raise SeedUnreadable(problem)
    path = folder / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise SeedUnreadable(f"no seed file '{name}' in {folder}: name one of the files there "
                             f"({_listing(folder)})") from None
    except OSError as exc:
        raise SeedUnreadable(f"seed file '{name}' in {folder} cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise SeedUnreadable(f"'{name}' in {folder} is a symbolic link: a seed must be the verbatim file itself, "
                             "so copy the document into the seeds folder")
    if stat.S_ISDIR(info.st_mode):
        raise SeedUnreadable(f"'{name}' in {folder} is a folder: name the seed's text file")
    if not stat.S_ISREG(info.st_mode):
        raise SeedUnreadable(f"'{name}' in {folder} is not a regular file: name the seed's text file")
    if path.resolve().parent != folder.resolve():  # cannot happen after the checks above; kept as the last word
        raise SeedUnreadable(f"'{name}' resolves outside the seeds folder {folder}: name a file inside it")
    if info.st_size > MAX_SEED_BYTES:
        raise SeedUnreadable(f"'{name}' in {folder} is {info.st_size} bytes, more than a seed document can be "
                             f"({MAX_SEED_BYTES} bytes): name the seed's text file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise SeedUnreadable(f"seed file '{name}' in {folder} cannot be read ({exc.strerror})") from None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # swapped since lstat
            raise SeedUnreadable(f"'{name}' in {folder} is not a regular file: name the seed's text file")
        raw = file.read(MAX_SEED_BYTES + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedUnreadable(f"seed file '{name}' is not UTF-8 text (byte {exc.start}): seeds are kept as UTF-8") from None


def _listing(folder: Path) -> str:
    try:
        names = sorted(p.name for p in folder.iterdir()
                       if p.suffix == ".txt" and not p.name.startswith(".") and stat.S_ISREG(p.lstat().st_mode))
    except OSError:
        return "none readable"
    if not names:
        return "it holds no .txt files"
    return ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")


# --- spans of a seed -------------------------------------------------------------------------------------------

class SpanError(ValueError):
    """A span that does not fit its seed (a line or a character that does not exist, or an end before its start)."""


def parse_span(text: str) -> tuple[tuple[int, int | None], tuple[int, int | None]]:
    """'86:1-86:41' -> ((86, 1), (86, 41)); a missing character means the start or end of that line."""
    if not re.fullmatch(SPAN_PATTERN, text):
        raise SpanError(f"{text!r} is not a seed span: write {SPAN_FORMS}")
    first, _, last = text.partition("-")

    def point(part: str) -> tuple[int, int | None]:
        line, _, char = part.partition(":")
        return int(line), int(char) if char else None

    return point(first), point(last or first)


class Seed:
    """A seed's text with its lines, so spans (1-based lines and characters) become offsets and back."""

    def __init__(self, name: str, text: str):
        self.name, self.text = name, text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offsets(self, span: str) -> tuple[int, int]:
        """[start, end) of a span in the text; SpanError if it does not fit this seed."""
        (line_a, char_a), (line_b, char_b) = parse_span(span)
        for line in (line_a, line_b):
            if line > len(self.lines):
                raise SpanError(f"'{span}': {self.name} has {len(self.lines)} lines, not {line}")
        for line, char in ((line_a, char_a), (line_b, char_b)):
            if char is not None and char > len(self.lines[line - 1]):
                raise SpanError(f"'{span}': line {line} of {self.name} has {len(self.lines[line - 1])} characters, "
                                f"not {char}")
        start = self.starts[line_a - 1] + (char_a - 1 if char_a else 0)
        end = self.starts[line_b - 1] + (char_b if char_b else len(self.lines[line_b - 1]))
        if end <= start:
            raise SpanError(f"'{span}' ends before it starts: write the earlier place first")
        return start, end

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, character) of an offset."""
        line = _bisect(self.starts, offset)
        return line + 1, offset - self.starts[line] + 1

    def line_bounds(self, offset: int) -> tuple[int, int]:
        line = _bisect(self.starts, offset)
        return self.starts[line], self.starts[line] + len(self.lines[line])

    def span(self, start: int, end: int) -> str:
        """The shortest span for [start, end): whole lines where what is left out of them is blank."""
        (line_a, char_a), (line_b, char_b) = self.position(start), self.position(end - 1)
        whole_start = not normalise(self.text[self.starts[line_a - 1]:start])
        whole_end = not normalise(self.text[end:self.starts[line_b - 1] + len(self.lines[line_b - 1])])
        first = f"{line_a}" if whole_start else f"{line_a}:{char_a}"
        last = f"{line_b}" if whole_end else f"{line_b}:{char_b}"
        return first if first == last and whole_start else f"{first}-{last}"

    def describe(self, start: int, end: int) -> str:
        """Where [start, end) is, in words: 'line 21', 'lines 25-26', 'line 86, characters 1-41'."""
        span = self.span(start, end)
        (line_a, char_a), (line_b, char_b) = parse_span(span)
        if char_a is None and char_b is None:
            return f"line {line_a}" if line_a == line_b else f"lines {line_a}-{line_b}"
        char_a = char_a or 1
        char_b = char_b or len(self.lines[line_b - 1])
        if line_a == line_b:
            return f"line {line_a}, characters {char_a}-{char_b}"
        return f"line {line_a} character {char_a} to line {line_b} character {char_b}"

    def excerpt(self, start: int, end: int) -> str:
        text = WHITESPACE.sub(" ", PAGE_MARKER.sub("", self.text[start:end])).strip()
        return text if len(text) <= QUOTED + 2 else text[:QUOTED] + "…"


def _bisect(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def normalise(seed_text: str) -> str:
    """Seed text as it is compared: without whitespace and without the page markers of a PDF copy."""
    return WHITESPACE.sub("", PAGE_MARKER.sub("", seed_text))


def joined(seed_text: str) -> str:
    """Seed text as a paragraph must copy it: line breaks and page markers removed, no spaces at either end."""
    return PAGE_MARKER.sub("", seed_text.replace("\r", "").replace("\n", "")).strip()


def without_spaces(paragraph: str) -> str:
    """A paragraph as it is compared: without whitespace (page markers do not belong in the text)."""
    return WHITESPACE.sub("", paragraph)


# --- the check -------------------------------------------------------------------------------------------------

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


def _not_a_regular_file(path: Path) -> str:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "cannot be read"
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    return "" if stat.S_ISREG(mode) else "is not a regular file"


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
        return [doc.problem(("seed_spans",), f"no seed spans: map each paragraph to its place in {seed.name} with "
                                             f"`python -m handbook seed-spans {source_id} --write`, then give a "
                                             "reason for each omission it lists")]
    problems: list[Problem] = []
    spans: list[_Span] = []
    for number, (key, span) in enumerate(source.seed_spans.items(), 1):
        if key != f"p{number}":
            problems.append(doc.problem(("seed_spans", key), f"key '{key}' where p{number} belongs: the keys are "
                                                              "p1, p2, p3 … in order, one per paragraph"))
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
    for before, after in zip(spans, spans[1:]):
        if after.start < before.end:
            return [doc.problem(after.key, f"'{source.seed_spans[after.key[1]]}' starts inside or before p{before.paragraph} "
                                           f"('{source.seed_spans[before.key[1]]}'): the spans follow the seed's order, "
                                           "each after the one before")]
    ordered = sorted(spans + omitted, key=lambda s: (s.start, s.end))
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.end:
            first, second = (after, before) if before.paragraph else (before, after)  # name the omission first
            return [doc.problem(first.key, f"{first.label} overlaps {second.label} (seed "
                                           f"{seed.describe(after.start, min(before.end, after.end))}): each stretch of "
                                           "the seed is either a paragraph or omitted, once")]
    problems += _compare(source_id, seed, spans, paragraphs)
    problems += _gaps(doc, seed, spans, ordered)
    return problems


def _compare(source_id: str, seed: Seed, spans: list[_Span], paragraphs: list[str]) -> list[Problem]:
    """Paragraph N against the seed text of pN; where they part, say how (cut, split, merged, moved, added, lost)."""
    exact = [joined(seed.text[s.start:s.end]) for s in spans]
    if paragraphs == exact:
        return []
    texts = [without_spaces(p) for p in paragraphs]
    wanted = [normalise(seed.text[s.start:s.end]) for s in spans]
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
            found += [(i + 1, f"paragraph {i + 1} differs in its spacing from the seed text of {where(j)} "
                              f"{_first_difference(paragraphs[i], exact[j])}; copy the seed's spacing exactly (a "
                              "line break in the seed is joined without a space)")
                      for i, j in zip(range(i1, i2), range(j1, j2)) if paragraphs[i] != exact[j]]
            continue
        if tag == "replace" and "".join(texts[i1:i2]) == "".join(wanted[j1:j2]):
            found.append((i1 + 1, _rebroken(seed, spans, i1, i2, j1, j2, renumbers)))
            continue
        size = min(i2 - i1, j2 - j1)
        pairs += zip(range(i1, i1 + size), range(j1, j1 + size))
        extra += range(i1 + size, i2)
        lost += range(j1 + size, j2)
    moved: dict[int, int] = {}  # paragraph -> the span whose text it is
    for i in sorted([i for i, _ in pairs] + extra):
        j = next((j for j in sorted([j for _, j in pairs] + lost) if wanted[j] == texts[i] and j not in moved.values()), None)
        if j is not None:
            moved[i] = j
            found.append((i + 1, f"paragraph {i + 1} is the seed text of {where(j)}, out of order: the paragraphs "
                                 f"follow the seed, so it belongs at paragraph {j + 1}; put the lines back in the seed's order, "
                                 f"since citations of #p{min(i, j) + 1} to #p{max(i, j) + 1} would point at other text"))
    placed = set(moved.values())
    for i, j in pairs:
        if i in moved and j not in placed:
            lost.append(j)
        elif j in placed and i not in moved:
            extra.append(i)
        elif i not in moved:
            found.append((i + 1, f"paragraph {i + 1} differs from the seed text of {where(j)} "
                                 f"{_first_difference(paragraphs[i], exact[j])}; copy the seed's wording exactly"))
    for i in extra:
        if i not in moved:
            found.append((i + 1, f"paragraph {i + 1} has no span in the seed map ({counts}): a line added here "
                                 f"means {renumbers}; remove it"))
    for j in lost:
        if j not in placed:
            before = max((i for i, k in pairs if k < j), default=j - 1)
            line = max(1, min(before + 2, len(texts)))
            found.append((line, f"the seed text of {where(j)}, '{seed.excerpt(spans[j].start, spans[j].end)}', is "
                                f"missing from the text ({counts}): a deleted line means {renumbers}; restore it as "
                                f"paragraph {j + 1}"))
    return [Problem(path, line, 1, "", message) for line, message in sorted(found, key=lambda f: f[0])]


def _rebroken(seed: Seed, spans: list[_Span], i1: int, i2: int, j1: int, j2: int, renumbers: str) -> str:
    """Paragraphs i1..i2 hold exactly the seed text of spans j1..j2, with the line breaks moved."""
    where = f"{seed.name} {seed.describe(spans[j1].start, spans[j2 - 1].end)}"
    if i2 - i1 == 1:
        keys = " and ".join(f"p{j + 1}" for j in range(j1, j2))
        return (f"paragraph {i1 + 1} joins the seed texts of {keys} ({where}): put each on a line of its own "
                f"again, since {renumbers}")
    numbers = " and ".join(str(i + 1) for i in range(i1, i2)) if i2 - i1 == 2 else f"{i1 + 1}-{i2}"
    if j2 - j1 == 1:
        return (f"paragraphs {numbers} are the seed text of p{j1 + 1} ({where}) cut into {i2 - i1} lines: join "
                f"them into one line again, since {renumbers.replace('after it', 'after them')}")
    return (f"paragraphs {numbers} hold the seed text of p{j1 + 1}-p{j2} ({where}) with the lines broken in other "
            f"places: one paragraph per span, since {renumbers}")


def _first_difference(text: str, seed: str) -> str:
    """Where a paragraph stops matching its seed text, quoting a few characters of both."""
    common = 0
    for a, b in zip(text, seed):
        if a != b:
            break
        common += 1
    if common == 0:
        return f"from its first character: the seed has '{seed[:QUOTED]}', the paragraph has '{text[:QUOTED]}'"
    before = f"after '{text[max(0, common - QUOTED):common]}'"
    if common == len(text):
        return f"{before}: the seed continues '{seed[common:common + QUOTED]}', the paragraph ends there"
    if common == len(seed):
        return f"{before}: the seed text ends there, the paragraph continues '{text[common:common + QUOTED]}'"
    return f"{before}: the seed has '{seed[common:common + QUOTED]}', the paragraph has '{text[common:common + QUOTED]}'"


def _gaps(doc: LoadedYaml, seed: Seed, spans: list[_Span], ordered: list[_Span]) -> list[Problem]:
    """Non-blank seed text inside the document (first span's line to last span's line) that no span holds."""
    problems = []
    first_line_start, _ = seed.line_bounds(ordered[0].start)
    _, last_line_end = seed.line_bounds(ordered[-1].end - 1)
    stretches = [(first_line_start, ordered[0].start, None, ordered[0])]
    stretches += [(a.end, b.start, a, b) for a, b in zip(ordered, ordered[1:])]
    stretches.append((ordered[-1].end, last_line_end, ordered[-1], None))
    for start, end, before, after in stretches:
        if end <= start or not normalise(seed.text[start:end]):
            continue
        start, end = _trimmed(seed.text, start, end)
        between = _between(start, spans)
        problems.append(doc.problem((before or after).key,
                                    f"seed {seed.describe(start, end)} ('{seed.excerpt(start, end)}') is left out of the "
                                    f"text {between}: add it to the text, or declare it in seed_omitted with the span "
                                    f"'{seed.span(start, end)}' and a reason"))
    return problems


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the blank and page-marker text at either end."""
    kept = [i for i, _ in _kept_characters(text[start:end])]
    return start + kept[0], start + kept[-1] + 1


def _kept_characters(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of what normalise() keeps."""
    markers = [(m.start(), m.end()) for m in PAGE_MARKER.finditer(text)]
    marker = 0
    for offset, char in enumerate(text):
        while marker < len(markers) and markers[marker][1] <= offset:
            marker += 1
        if marker < len(markers) and markers[marker][0] <= offset:
            continue
        if not char.isspace():
            yield offset, char


def _between(offset: int, spans: list[_Span]) -> str:
    before = [s.paragraph for s in spans if s.end <= offset]
    after = [s.paragraph for s in spans if s.start >= offset]
    if not before:
        return f"before paragraph {after[0]}"
    if not after:
        return f"after paragraph {before[-1]}"
    return f"between paragraphs {before[-1]} and {after[0]}"


# --- writing a map ---------------------------------------------------------------------------------------------

class MapError(ValueError):
    """A text that cannot be mapped onto its seed; the message says where it parts from the seed."""


@dataclass
class SeedMap:
    spans: list[str]  # one per paragraph
    omitted: list[tuple[str, str]]  # (span, excerpt) of non-blank seed text left out inside the document


def derive_map(seed: Seed, paragraphs: list[str], from_line: int = 1, path: str = "the text") -> SeedMap:
    """Find each paragraph in the seed, in order, from line `from_line`: the map a source's yml declares."""
    kept = list(_kept_characters(seed.text))
    normalised = "".join(c for _, c in kept)
    cursor = next((k for k, (offset, _) in enumerate(kept) if offset >= seed.starts[min(from_line, len(seed.lines)) - 1]),
                  len(kept))
    found: list[tuple[int, int]] = []
    for number, paragraph in enumerate(paragraphs, 1):
        text = without_spaces(paragraph)
        if not text:
            raise MapError(f"{path}:{number}:1: paragraph {number} is blank: the text holds one paragraph per line")
        at = normalised.find(text, cursor)
        if at < 0:
            after = f"after paragraph {number - 1} (seed line {seed.position(found[-1][1] - 1)[0]})" if found \
                else f"from line {from_line}"
            raise MapError(f"{path}:{number}:1: paragraph {number} is not in {seed.name} {after}: copy the seed's "
                           "wording exactly, in the seed's order")
        found.append((kept[at][0], kept[at + len(text) - 1][0] + 1))
        cursor = at + len(text)
    spans = [seed.span(a, b) for a, b in found]
    omitted = []
    if found:
        first_line_start, _ = seed.line_bounds(found[0][0])
        _, last_line_end = seed.line_bounds(found[-1][1] - 1)
        edges = [first_line_start] + [x for pair in found for x in pair] + [last_line_end]
        for start, end in zip(edges[::2], edges[1::2]):
            if end > start and normalise(seed.text[start:end]):
                start, end = _trimmed(seed.text, start, end)
                omitted.append((seed.span(start, end), seed.excerpt(start, end)))
    return SeedMap(spans, omitted)


def map_yaml(seed_map: SeedMap, reasons: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    """The map as YAML lines by key; each omission keeps its reason from `reasons` (by span) or gets a placeholder."""
    from .scaffold import PLACEHOLDER_EN, PLACEHOLDER_ZH

    spans = ["seed_spans:"] + [f'  p{n}: "{span}"' for n, span in enumerate(seed_map.spans, 1)]
    omitted = ["seed_omitted:"] if seed_map.omitted else ["seed_omitted: []"]
    for span, excerpt in seed_map.omitted:
        zh, en = reasons.get(span, (PLACEHOLDER_ZH, PLACEHOLDER_EN))
        omitted += [f'  - span: "{span}"  # {excerpt}', "    reason:", f"      zh: {_scalar(zh)}", f"      en: {_scalar(en)}"]
    return {"seed_spans": spans, "seed_omitted": omitted}


def _scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def replace_map(yml_text: str, blocks: dict[str, list[str]]) -> str:
    """The yml with each top-level block in `blocks` replaced where it stands; a new one goes after the block
    before it in `blocks`, or at the end of the file."""
    out: list[str] = []
    current: str | None = None
    ends: dict[str, int] = {}  # where each top-level key's block ends in `out`
    for line in yml_text.split("\n"):
        top_key = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):", line)
        if top_key:
            current = top_key.group(1)
            if current in blocks:
                out += blocks[current]
        elif line and not line.startswith(" "):
            current = None  # a comment at the margin belongs to the key below it
        if current not in blocks:
            out.append(line)
        if current:
            ends[current] = len(out)
    while out and out[-1] == "":
        out.pop()
    previous = None
    for key, lines in blocks.items():
        if key not in ends:
            at = ends[previous] if previous in ends else len(out)
            out[at:at] = lines
            ends = {k: (end + len(lines) if end >= at else end) for k, end in ends.items()}
            ends[key] = at + len(lines)
        previous = key
    return "\n".join(out) + "\n"


def write_seed_map(root: Path, source_id: str, from_line: int | None = None,
                   write: bool = False) -> tuple[Path, SeedMap, dict[str, list[str]]]:
    """Derive the map of data/sources/<id>.txt onto its seed; write it into <id>.yml if `write`.
    Returns (the yml's path, the map, its YAML lines by key); MapError or SeedUnreadable says why not."""
    from .models import ID_PATTERN
    from .yamlio import YamlError, load_yaml

    if not re.fullmatch(ID_PATTERN, source_id):
        raise MapError(f"'{source_id}' is not a source id: use the name of a file in data/sources/ without .yml")
    folder_path = Path(root) / "data" / "sources"
    yml, txt = folder_path / f"{source_id}.yml", folder_path / f"{source_id}.txt"
    for path in (yml, txt):
        if _not_a_regular_file(path):
            raise MapError(f"data/sources/{path.name} {_not_a_regular_file(path)}: it must be a regular file")
    try:
        data = load_yaml(yml, f"data/sources/{yml.name}").data
    except YamlError as exc:
        raise MapError(str(exc.problem)) from None
    if not isinstance(data, dict) or not isinstance(data.get("seed"), str):
        raise MapError(f"data/sources/{yml.name} names no seed: write seed: <file name in {DEFAULT_SEEDS}> first")
    folder, missing = locate_seeds(Path(root))
    if folder is None:
        raise MapError(missing)
    seed = Seed(data["seed"], read_seed(folder, data["seed"]))
    spans = data.get("seed_spans") if isinstance(data.get("seed_spans"), dict) else {}
    if from_line is None:
        first = next(iter(spans.values()), None)
        from_line = parse_span(first)[0][0] if isinstance(first, str) and re.fullmatch(SPAN_PATTERN, first) else 1
    reasons = {}
    for omission in data.get("seed_omitted") or []:
        try:
            reasons[omission["span"]] = (omission["reason"]["zh"], omission["reason"]["en"])
        except (KeyError, TypeError):
            continue
    paragraphs = txt.read_text(encoding="utf-8").split("\n")
    if paragraphs and paragraphs[-1] == "":
        paragraphs.pop()
    seed_map = derive_map(seed, paragraphs, from_line, f"data/sources/{txt.name}")
    blocks = map_yaml(seed_map, reasons)
    if write:
        yml.write_text(replace_map(yml.read_text(encoding="utf-8"), blocks), encoding="utf-8")
    return yml, seed_map, blocks
