"""Read a YAML data file once into plain Python data plus the line and column of every key path.

Before libyaml sees a file, it must be a regular file inside the repository (read_data_file), valid UTF-8, and its
text must be printable (no control characters or bidirectional overrides); yaml_loaders.py then reads it, refusing
duplicate keys, aliases and deep nesting. Every problem is a YamlError holding a Problem (problems.py).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import KeyPath, Problem, YamlError, dotted, find_unprintable, replace_unprintable, unprintable_message
from .yaml_loaders import MAX_FILE_BYTES, parse, read_with_positions

_UNPRINTABLE_ESCAPE = re.compile(r"\\[0abvfreNLPxuU]")


@dataclass
class LoadedYaml:
    """A file's data, and the line and column of each key path, found only when a problem needs one: most
    files have none, and recording positions costs more than parsing (see yaml_loaders.py)."""

    path: str
    data: Any
    text: str = field(default="", repr=False)
    known_positions: dict[KeyPath, tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[KeyPath, tuple[int, int]]:
        if self.known_positions is None:
            self.known_positions = read_with_positions(self.text, self.path)[1]
        return self.known_positions

    def where(self, key: KeyPath) -> tuple[int, int]:
        """Line and column of a key path, or of its nearest ancestor that exists in the file."""
        while key not in self.positions and key:
            key = key[:-1]
        return self.positions.get(key, (1, 1))

    def problem(self, key: KeyPath, message: str, severity: str = "error") -> Problem:
        line, col = self.where(key)
        return Problem(self.path, line, col, dotted(key), message, severity)


def values_in(value: Any, kind: type | tuple[type, ...], key: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every value of a type in loaded YAML (or dumped data), with its key path (below `key`)."""
    if isinstance(value, kind):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from values_in(item, kind, key + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from values_in(item, kind, key + (index,))


def strings_in(value: Any, key: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string in loaded YAML, with its key path (below `key`)."""
    return values_in(value, str, key)


def load_yaml_text(text: str, path: str) -> LoadedYaml:
    if text.startswith("\ufeff"):
        raise YamlError(Problem(path, 1, 1, "", "file starts with a byte-order mark: save it as UTF-8 without BOM"))
    unprintable = find_unprintable(text)
    if unprintable is not None:
        raise YamlError(_unprintable_problem(text, path, unprintable.start()))
    data, positions = parse(text, path)
    if data is None:
        raise YamlError(Problem(path, 1, 1, "", "file is empty: it must hold a mapping of fields"))
    doc = LoadedYaml(path, data, text, positions)
    if "\\" in text and _UNPRINTABLE_ESCAPE.search(text):  # "\e", "\u202e" in quotes write what the scan cannot see
        for key, value in strings_in(data):
            found = find_unprintable(value)
            if found is not None:
                raise YamlError(doc.problem(key, unprintable_message(found.group())))
    return doc


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _unprintable_problem(text: str, path: str, offset: int) -> Problem:
    """A control character in a file: reported at the key whose value holds it, else where it stands. The file is
    read once more with each such character replaced, so that the key can be found (libyaml refuses most of them)."""
    message = unprintable_message(text[offset])
    line, col = _line_col(text, offset)
    marker = "\ufffd"
    try:
        data, positions = read_with_positions(replace_unprintable(text, marker), path)
    except YamlError:
        return Problem(path, line, col, "", message)
    before = [key for key, where in positions.items() if key and where <= (line, col)]
    if before:
        key = max(before, key=positions.__getitem__)
        value: Any = data
        for part in key:
            if isinstance(value, dict) or (isinstance(value, list) and isinstance(part, int)):
                value = value[part]  # type: ignore[index]  # a dict takes any key, a list an int
            else:
                value = None
        if isinstance(value, str) and marker in value:
            return Problem(path, *positions[key], dotted(key), message)
    return Problem(path, line, col, "", message)


_KINDS_OF_FILE = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_data_file(path: Path, display: str) -> bytes:
    """The bytes of a data file that is a regular file, not a link, checked before it is opened (lstat) and again
    once it is open (fstat), so that a link to /proc/self/environ or outside the repository is never read and a
    named pipe never blocks the check. The folders above it are checked by the caller (store.py)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise YamlError(Problem(display, 1, 1, "", "file is missing")) from None
    except OSError as exc:
        raise YamlError(Problem(display, 1, 1, "", f"cannot be read ({exc.strerror}): check the file")) from None
    _refuse_special(info.st_mode, path, display)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:  # replaced by a link since lstat (ELOOP), or not readable
        raise YamlError(
            Problem(
                display, 1, 1, "", f"cannot be read ({exc.strerror}): it must be a regular file inside the repository"
            )
        ) from None
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        info = os.fstat(stream.fileno())
        _refuse_special(info.st_mode, path, display)
        raw = b""
        if info.st_size <= MAX_FILE_BYTES:  # refuse before reading: a runaway file must not cost time or memory
            raw = stream.read(info.st_size + 1) or b""
            while len(raw) > info.st_size and len(raw) <= MAX_FILE_BYTES:  # it grew, or its size is not known
                more = stream.read(MAX_FILE_BYTES + 1 - len(raw))
                if not more:
                    break
                raw += more
    size = max(info.st_size, len(raw))
    if size > MAX_FILE_BYTES:
        raise YamlError(
            Problem(
                display,
                1,
                1,
                "",
                f"file is {size / 1024 / 1024:.1f} MB; a data file may be at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB: split it or check it is the right file",
            )
        )
    return raw


def _refuse_special(mode: int, path: Path, display: str) -> None:
    if stat.S_ISLNK(mode):
        raise YamlError(
            Problem(
                display,
                1,
                1,
                "",
                f"is a symbolic link to {os.readlink(path)}: data files must be regular "
                "files inside the repository; put the file itself here",
            )
        )
    if not stat.S_ISREG(mode):
        kind = _KINDS_OF_FILE.get(stat.S_IFMT(mode), "not a regular file")
        raise YamlError(
            Problem(
                display,
                1,
                1,
                "",
                f"is {kind}, not a file: data files must be regular files inside the repository; remove it",
            )
        )


def decode_utf8(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(Problem(display, line, 1, "", "file is not valid UTF-8: re-save it as UTF-8")) from None
    if text.startswith("\ufeff"):
        raise YamlError(Problem(display, 1, 1, "", "file starts with a byte-order mark: save it as UTF-8 without BOM"))
    return text


def load_yaml(path: Path, display: str | None = None) -> LoadedYaml:
    display = display or str(path)
    return load_yaml_text(decode_utf8(read_data_file(path, display), display), display)
