"""Read a YAML file once into plain Python data plus the line and column of every key path.

PyYAML silently keeps the last of two duplicate keys and expands aliases without limit; a data file
edited by pull request needs neither, so both are errors here, reported with the line they stand on.
Before libyaml sees a file, it must be a regular file inside the repository (read_data_file), its text must be
printable (no control characters or bidirectional overrides) and it must not nest deeper than MAX_DEPTH: libyaml's
composer recurses in C and crashes the process on 50,000 nested brackets.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]
MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real data file is a few tens of KB
MAX_DEPTH = 32  # the models nest five levels at most
# libyaml's composer recurses in C, once per level, before the loaders below can count levels, and crashes the
# process somewhere past 20,000 (50,000 nested brackets in 100 KB did). A file of at most MAX_FILE_BYTES with at
# most this many brackets and no line like "- - -" nests at most ~4,000 levels (indentation costs a byte per level
# per line); one that could nest deeper is measured first, in the parser's event stream, which does not recurse.
SAFE_FLOW_OPENINGS = 1_000

# Characters refused in data: C0 controls but tab and line feed (a carriage return only before a line feed), DEL,
# C1 controls, line and paragraph separators (YAML reads them as line breaks), and the bidirectional marks,
# embeddings, overrides and isolates that make text display in another order than it is stored.
_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNPRINTABLE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI_AND_SEPARATORS  # a character class's contents
_UNPRINTABLE = re.compile(f"[{UNPRINTABLE_CHARS}]")  # one pass over each file; a \r before \n is let through later
_UNPRINTABLE_NOT_CRLF = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]|\\r(?!\\n)")
_UNPRINTABLE_ESCAPE = re.compile(r"\\[0abvfreNLPxuU]")
_CONTROL_NAMES = dict(
    enumerate(
        (
            "NULL",
            "START OF HEADING",
            "START OF TEXT",
            "END OF TEXT",
            "END OF TRANSMISSION",
            "ENQUIRY",
            "ACKNOWLEDGE",
            "BELL",
            "BACKSPACE",
            "CHARACTER TABULATION",
            "LINE FEED",
            "LINE TABULATION",
            "FORM FEED",
            "CARRIAGE RETURN",
            "SHIFT OUT",
            "SHIFT IN",
            "DATA LINK ESCAPE",
            "DEVICE CONTROL ONE",
            "DEVICE CONTROL TWO",
            "DEVICE CONTROL THREE",
            "DEVICE CONTROL FOUR",
            "NEGATIVE ACKNOWLEDGE",
            "SYNCHRONOUS IDLE",
            "END OF TRANSMISSION BLOCK",
            "CANCEL",
            "END OF MEDIUM",
            "SUBSTITUTE",
            "ESCAPE",
            "INFORMATION SEPARATOR FOUR",
            "INFORMATION SEPARATOR THREE",
            "INFORMATION SEPARATOR TWO",
            "INFORMATION SEPARATOR ONE",
        )
    )
)
_CONTROL_NAMES[0x7F] = "DELETE"
_CONTROL_NAMES.update(
    enumerate(
        (
            "PADDING CHARACTER",
            "HIGH OCTET PRESET",
            "BREAK PERMITTED HERE",
            "NO BREAK HERE",
            "INDEX",
            "NEXT LINE",
            "START OF SELECTED AREA",
            "END OF SELECTED AREA",
            "CHARACTER TABULATION SET",
            "CHARACTER TABULATION WITH JUSTIFICATION",
            "LINE TABULATION SET",
            "PARTIAL LINE FORWARD",
            "PARTIAL LINE BACKWARD",
            "REVERSE LINE FEED",
            "SINGLE SHIFT TWO",
            "SINGLE SHIFT THREE",
            "DEVICE CONTROL STRING",
            "PRIVATE USE ONE",
            "PRIVATE USE TWO",
            "SET TRANSMIT STATE",
            "CANCEL CHARACTER",
            "MESSAGE WAITING",
            "START OF GUARDED AREA",
            "END OF GUARDED AREA",
            "START OF STRING",
            "SINGLE GRAPHIC CHARACTER INTRODUCER",
            "SINGLE CHARACTER INTRODUCER",
            "CONTROL SEQUENCE INTRODUCER",
            "STRING TERMINATOR",
            "OPERATING SYSTEM COMMAND",
            "PRIVACY MESSAGE",
            "APPLICATION PROGRAM COMMAND",
        ),
        0x80,
    )
)
# A line that opens a block collection inside another with nothing between them ("- - -", "? ? ?"): two bytes a
# level, the one way besides brackets to nest deeply in a small file (indentation costs a byte per level per line).
_COMPACT_NESTING = re.compile(r"\n *[-?:] +[-?](?:[ \r\n]|$)")
_COMPACT_NESTING_FIRST = re.compile(r" *[-?:] +[-?](?:[ \r\n]|$)")


def describe_char(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how a message names a character."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def unprintable_message(char: str) -> str:
    return f"contains {describe_char(char)}, a control character: remove it"


def find_unprintable(text: str) -> re.Match | None:
    """The first character of text that data must not contain (a carriage return only where no line feed follows)."""
    if _UNPRINTABLE.search(text) is None:  # the single character class is the fast path: most files stop here
        return None
    return _UNPRINTABLE_NOT_CRLF.search(text)


_SHOWN = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]")


def shown(text: str) -> str:
    """Text as a terminal may print it: control characters and bidirectional marks written as escapes (\\x1b)."""
    if not _SHOWN.search(text):
        return text
    return _SHOWN.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


@dataclass(frozen=True)
class Problem:
    """One finding about a data file, printed as `path:line:col: key.path: message`."""

    path: str
    line: int
    col: int
    key: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        # Path, key and message can carry text from data: never let it reach a terminal as escape sequences.
        where = f"{shown(self.path)}:{self.line}:{self.col}"
        key = f" {shown(_short(self.key, 200))}:" if self.key else ""  # a key from data may be any length
        label = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{label}{key} {shown(self.message)}"


@dataclass
class LoadedYaml:
    """A file's data, and the line and column of each key path, found only when a problem needs one: most
    files have none, and recording positions costs more than parsing (see _PositionLoader)."""

    path: str
    data: Any
    text: str = field(default="", repr=False)
    known_positions: dict[KeyPath, tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[KeyPath, tuple[int, int]]:
        if self.known_positions is None:
            self.known_positions = _read_with_positions(self.text, self.path)[1]
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


def dotted(key: KeyPath) -> str:
    return ".".join(str(k) for k in key)


class YamlError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:bool": "true or false",
}


def _short(text: str, size: int = 40) -> str:
    """Data text quoted in a message, cut short: a message is one line however long the value."""
    return text if len(text) <= size else text[:size] + "…"


class _Refused(Exception):
    def __init__(self, node: yaml.Node, key: KeyPath, message: str):
        self.node, self.key, self.message = node, key, message


class _Again(Exception):
    """Something _FastLoader does not explain: read the file again with _PositionLoader, which does."""


class _FastLoader(_Loader):
    """The first reading of every file: the same refusals as _PositionLoader (duplicate keys, aliases, merge
    keys, deep nesting), without recording positions. A refusal or error sends the file to _PositionLoader,
    which raises the same error with its line and key."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise _Again
        return super().construct_object(node, deep=True)

    def build_mapping(self, node: yaml.MappingNode) -> dict:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Again
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:str" or not isinstance(key_node, yaml.ScalarNode):
                raise _Again  # merge keys, non-text keys: rare, and _PositionLoader knows what to say
            name = self.construct_scalar(key_node)
            if name in result:
                raise _Again
            result[name] = self.construct_object(value_node)
        self.depth -= 1
        return result

    def build_sequence(self, node: yaml.SequenceNode) -> list:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Again
        items = [self.construct_object(item) for item in node.value]
        self.depth -= 1
        return items


_FastLoader.add_constructor("tag:yaml.org,2002:map", _FastLoader.build_mapping)
_FastLoader.add_constructor("tag:yaml.org,2002:seq", _FastLoader.build_sequence)


class _PositionLoader(_Loader):
    """The C parser with PyYAML's constructor, which also records where each key and item stands, refuses
    duplicate keys, aliases, merge keys and deep nesting as it goes: one pass, close to plain yaml.load."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.positions: dict[KeyPath, tuple[int, int]] = {(): (1, 1)}
        self.path: KeyPath = ()

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # the composer hands back the same node for every alias
            raise _Refused(
                node, self.path, "YAML anchors and aliases are not allowed in data files: write the value out"
            )
        if len(self.path) > MAX_DEPTH:
            raise _Refused(node, (), f"nested more than {MAX_DEPTH} levels deep: data files are a few levels at most")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        return super().construct_object(node, deep=True)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """A plain value YAML reads as a number or date; one it cannot convert is refused, not a traceback."""
        try:
            return super().construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            what = _TAG_NAMES.get(node.tag, node.tag)
            reason = "it has too many digits" if "digits" in str(exc) else str(exc)
            raise _Refused(
                node,
                self.path,
                f"'{_short(node.value)}' cannot be read as {what} ({reason}): put it in quotes if it is text",
            ) from None

    def _child(self, key: str | int, node: yaml.Node, mark_node: yaml.Node) -> Any:
        parent = self.path
        self.path = parent + (key,)
        self.positions[self.path] = (mark_node.start_mark.line + 1, mark_node.start_mark.column + 1)
        try:
            return self.construct_object(node)
        finally:
            self.path = parent

    def build_mapping(self, node: yaml.MappingNode) -> dict:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, self.path, "merge keys (<<) are not allowed in data files")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node, self.path, "a mapping key must be plain text")
            name = (
                self.construct_scalar(key_node) if key_node.tag == "tag:yaml.org,2002:str" else self._scalar(key_node)
            )
            if name in result:
                first_line = self.positions.get(self.path + (name,), (0, 0))[0]
                raise _Refused(
                    key_node,
                    self.path + (name,),
                    f"duplicate key '{_short(str(name))}' (first set on line {first_line}): keep one of them",
                )
            result[name] = self._child(name, value_node, key_node)
        return result

    def build_sequence(self, node: yaml.SequenceNode) -> list:
        return [self._child(i, item, item) for i, item in enumerate(node.value)]


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader.build_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader.build_sequence)


def load_yaml_text(text: str, path: str) -> LoadedYaml:
    if text.startswith("\ufeff"):
        raise YamlError(Problem(path, 1, 1, "", "file starts with a byte-order mark: save it as UTF-8 without BOM"))
    unprintable = find_unprintable(text)
    if unprintable is not None:
        raise YamlError(_unprintable_problem(text, path, unprintable.start()))
    if (
        len(text) > MAX_FILE_BYTES
        or text.count("[") + text.count("{") > SAFE_FLOW_OPENINGS
        or _COMPACT_NESTING.search(text)
        or _COMPACT_NESTING_FIRST.match(text)
    ):
        _refuse_deep_nesting(text, path)  # only files that could nest deeply: its parse costs a third of a load
    loader = _FastLoader(text)
    try:
        data, positions = loader.get_single_data(), None
    except (_Again, yaml.YAMLError, RecursionError, ValueError, OverflowError):
        data, positions = _read_with_positions(text, path)  # raises the error, with its line and key
    finally:
        loader.dispose()
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
        data, positions = _read_with_positions(_UNPRINTABLE_NOT_CRLF.sub(marker, text), path)
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


def _refuse_deep_nesting(text: str, path: str) -> None:
    """Count nesting in libyaml's event stream, which its parser makes without recursing, before its composer
    (which recurses in C and crashes past some ten thousand levels) sees the text."""
    open_collections = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                if open_collections > MAX_DEPTH:
                    mark = event.start_mark
                    assert mark is not None  # libyaml marks every event
                    raise YamlError(
                        Problem(
                            path,
                            mark.line + 1,
                            mark.column + 1,
                            "",
                            f"nested more than {MAX_DEPTH} levels deep: data files are a few levels at most",
                        )
                    )
                open_collections += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                open_collections -= 1
    except yaml.YAMLError:
        return  # a syntax error before the limit: the loader reports it, having nested no deeper than this


def _read_with_positions(text: str, path: str) -> tuple[Any, dict[KeyPath, tuple[int, int]]]:
    loader = _PositionLoader(text)
    try:
        data = loader.get_single_data()
    except _Refused as refused:
        line, col = (refused.node.start_mark.line + 1, refused.node.start_mark.column + 1)
        if refused.key in loader.positions and "aliases" in refused.message:
            line, col = loader.positions[refused.key]
        raise YamlError(Problem(path, line, col, dotted(refused.key), refused.message)) from None
    except RecursionError:
        raise YamlError(
            Problem(path, 1, 1, "", f"nested too deeply to read: data files nest {MAX_DEPTH} levels at most")
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        lines = text.split("\n")
        here = lines[line - 1] if 0 < line <= len(lines) else ""
        hint = ""
        if "\t" in here:
            hint = " (indent with spaces, not tabs)"
        elif "mapping values are not allowed" in reason:
            hint = " (a value containing ': ' must be put in quotes)"
        elif re.search(r":\s+[*&!%@`|>]", here):
            hint = " (a value that begins with * & ! % @ ` must be put in quotes)"
        raise YamlError(Problem(path, line, col, "", f"YAML syntax error: {reason}{hint}")) from None
    except yaml.YAMLError as exc:
        raise YamlError(Problem(path, 1, 1, "", f"YAML error: {str(exc).splitlines()[0]}")) from None
    finally:
        loader.dispose()
    return data, loader.positions


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
