"""Read a YAML file once into plain Python data plus the line and column of every key path.

PyYAML silently keeps the last of two duplicate keys and expands aliases without limit; a data file
edited by pull request needs neither, so both are errors here, reported with the line they stand on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

try:  # the C parser is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]
MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real data file is a few tens of KB
MAX_DEPTH = 32  # the models nest five levels at most


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
        where = f"{self.path}:{self.line}:{self.col}"
        key = f" {self.key}:" if self.key else ""
        label = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{label}{key} {self.message}"


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


def strings_in(value: Any, key: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string in loaded YAML, with its key path (below `key`)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from strings_in(item, key + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, key + (index,))


def dotted(key: KeyPath) -> str:
    return ".".join(str(k) for k in key)


class YamlError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


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
            raise _Refused(node, self.path, "YAML anchors and aliases are not allowed in data files: write the value out")
        if len(self.path) > MAX_DEPTH:
            raise _Refused(node, (), f"nested more than {MAX_DEPTH} levels deep: data files are a few levels at most")
        return super().construct_object(node, deep=True)

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
            name = self.construct_scalar(key_node) if key_node.tag == "tag:yaml.org,2002:str" else \
                super().construct_object(key_node)
            if name in result:
                first_line = self.positions.get(self.path + (name,), (0, 0))[0]
                raise _Refused(key_node, self.path + (name,),
                               f"duplicate key '{name}' (first set on line {first_line}): keep one of them")
            result[name] = self._child(name, value_node, key_node)
        return result

    def build_sequence(self, node: yaml.SequenceNode) -> list:
        return [self._child(i, item, item) for i, item in enumerate(node.value)]


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader.build_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader.build_sequence)


def load_yaml_text(text: str, path: str) -> LoadedYaml:
    if text.startswith("\ufeff"):
        raise YamlError(Problem(path, 1, 1, "", "file starts with a byte-order mark: save it as UTF-8 without BOM"))
    loader = _FastLoader(text)
    try:
        data, positions = loader.get_single_data(), None
    except (_Again, yaml.YAMLError, RecursionError):
        data, positions = _read_with_positions(text, path)  # raises the error, with its line and key
    finally:
        loader.dispose()
    if data is None:
        raise YamlError(Problem(path, 1, 1, "", "file is empty: it must hold a mapping of fields"))
    return LoadedYaml(path, data, text, positions)


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
        raise YamlError(Problem(path, 1, 1, "", f"nested too deeply to read: data files nest {MAX_DEPTH} levels at most")) from None
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
        raise YamlError(Problem(path, 1, 1, "", f"YAML error: {exc}")) from None
    finally:
        loader.dispose()
    return data, loader.positions


def load_yaml(path: Path, display: str | None = None) -> LoadedYaml:
    display = display or str(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # refuse before reading: a runaway file must not cost time or memory
        raise YamlError(Problem(display, 1, 1, "", f"file is {size / 1024 / 1024:.1f} MB; a data file may be at most "
                                                   f"{MAX_FILE_BYTES // 1024 // 1024} MB: split it or check it is the right file"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(Problem(display, line, 1, "", "file is not valid UTF-8: re-save it as UTF-8")) from None
    return load_yaml_text(text, display)
