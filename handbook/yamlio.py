"""Read a YAML file once into plain Python data plus the line and column of every key path.

PyYAML silently keeps the last of two duplicate keys and expands aliases without limit; a data file
edited by pull request needs neither, so both are errors here, reported with the line they stand on.
"""
from __future__ import annotations

import re
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
    path: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, key: KeyPath) -> tuple[int, int]:
        """Line and column of a key path, or of its nearest ancestor that exists in the file."""
        while key not in self.positions and key:
            key = key[:-1]
        return self.positions.get(key, (1, 1))

    def problem(self, key: KeyPath, message: str, severity: str = "error") -> Problem:
        line, col = self.where(key)
        return Problem(self.path, line, col, dotted(key), message, severity)


def dotted(key: KeyPath) -> str:
    return ".".join(str(k) for k in key)


class YamlError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class _Constructor(yaml.constructor.SafeConstructor):
    """Builds scalars only; collections are walked by _to_python so positions can be recorded."""


_scalars = _Constructor()


def load_yaml_text(text: str, path: str) -> LoadedYaml:
    if text.startswith("\ufeff"):
        raise YamlError(Problem(path, 1, 1, "", "file starts with a byte-order mark: save it as UTF-8 without BOM"))
    try:
        root = yaml.compose(text, Loader=_Loader)
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
    loaded = LoadedYaml(path, None)
    if root is None:
        raise YamlError(Problem(path, 1, 1, "", "file is empty: it must hold a mapping of fields"))
    loaded.data = _to_python(root, (), loaded, set())
    return loaded


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


def _to_python(node: yaml.Node, key: KeyPath, loaded: LoadedYaml, seen: set[int]) -> Any:
    mark = node.start_mark
    loaded.positions.setdefault(key, (mark.line + 1, mark.column + 1))
    if len(key) > MAX_DEPTH:
        raise YamlError(Problem(loaded.path, mark.line + 1, mark.column + 1, "",
                                f"nested more than {MAX_DEPTH} levels deep: data files are a few levels at most"))
    if id(node) in seen:  # the composer hands back the same node for every alias of an anchor
        line, col = loaded.where(key)
        raise YamlError(Problem(loaded.path, line, col, dotted(key),
                                "YAML anchors and aliases are not allowed in data files: write the value out"))
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalars.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, key + (i,), loaded, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(Problem(loaded.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        dotted(key), "a mapping key must be plain text"))
            name = _scalars.construct_object(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(Problem(loaded.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        dotted(key), "merge keys (<<) are not allowed in data files"))
            if name in result:
                first_line = loaded.positions.get(key + (name,), (0, 0))[0]
                raise YamlError(Problem(loaded.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        dotted(key + (name,)),
                                        f"duplicate key '{name}' (first set on line {first_line}): keep one of them"))
            loaded.positions[key + (name,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[name] = _to_python(value_node, key + (name,), loaded, seen)
        return result
    raise YamlError(Problem(loaded.path, mark.line + 1, mark.column + 1, dotted(key), "unsupported YAML node"))
