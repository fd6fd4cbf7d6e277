"""Seeds as text: where the seeds folder is, reading one safely, spans of seed lines and characters, and the
normalised text a paragraph is compared with. seeds.py describes the whole proof.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

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
    where = (
        f"{SEEDS_VARIABLE}={configured} {what}"
        if configured
        else f"the seed folder {DEFAULT_SEEDS} ({candidate}) {what}"
    )
    return None, (
        f"{where}, so the source texts cannot be proved verbatim: put the seed documents in {DEFAULT_SEEDS} "
        f"beside the project, or set {SEEDS_VARIABLE} to the folder that holds them"
    )


def seed_name_problem(name: str) -> str | None:
    """Why `name` is not a plain file name in the seeds folder, or None (used by the model)."""
    if (
        not name
        or name != name.strip()
        or name.startswith(".")
        or any(c in name for c in "/\\:")
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
        or len(name.encode("utf-8")) > 255
    ):
        return (
            f"{name!r} is not a plain file name: write only the name of a file in the seeds folder "
            f"({DEFAULT_SEEDS}), e.g. 003_589617b821fc1365.txt, with no folder, '..' or leading dot"
        )
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
        raise SeedUnreadable(
            f"no seed file '{name}' in {folder}: name one of the files there ({_listing(folder)})"
        ) from None
    except OSError as exc:
        raise SeedUnreadable(f"seed file '{name}' in {folder} cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise SeedUnreadable(
            f"'{name}' in {folder} is a symbolic link: a seed must be the verbatim file itself, "
            "so copy the document into the seeds folder"
        )
    if stat.S_ISDIR(info.st_mode):
        raise SeedUnreadable(f"'{name}' in {folder} is a folder: name the seed's text file")
    if not stat.S_ISREG(info.st_mode):
        raise SeedUnreadable(f"'{name}' in {folder} is not a regular file: name the seed's text file")
    if path.resolve().parent != folder.resolve():  # cannot happen after the checks above; kept as the last word
        raise SeedUnreadable(f"'{name}' resolves outside the seeds folder {folder}: name a file inside it")
    if info.st_size > MAX_SEED_BYTES:
        raise SeedUnreadable(
            f"'{name}' in {folder} is {info.st_size} bytes, more than a seed document can be "
            f"({MAX_SEED_BYTES} bytes): name the seed's text file"
        )
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
        raise SeedUnreadable(
            f"seed file '{name}' is not UTF-8 text (byte {exc.start}): seeds are kept as UTF-8"
        ) from None


def _listing(folder: Path) -> str:
    try:
        names = sorted(
            p.name
            for p in folder.iterdir()
            if p.suffix == ".txt" and not p.name.startswith(".") and stat.S_ISREG(p.lstat().st_mode)
        )
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
                raise SpanError(
                    f"'{span}': line {line} of {self.name} has {len(self.lines[line - 1])} characters, not {char}"
                )
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
        whole_start = not normalise(self.text[self.starts[line_a - 1] : start])
        whole_end = not normalise(self.text[end : self.starts[line_b - 1] + len(self.lines[line_b - 1])])
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


def not_a_regular_file(path: Path) -> str:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "cannot be read"
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    return "" if stat.S_ISREG(mode) else "is not a regular file"


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the blank and page-marker text at either end."""
    kept = [i for i, _ in kept_characters(text[start:end])]
    return start + kept[0], start + kept[-1] + 1


def kept_characters(text: str) -> Iterator[tuple[int, str]]:
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
