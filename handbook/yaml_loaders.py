"""The two YAML loaders and the depth guard: how a text becomes plain Python data, safely.

PyYAML silently keeps the last of two duplicate keys and expands aliases without limit; a data file edited by pull
request needs neither, so both are refused, as are merge keys and nesting deeper than MAX_DEPTH. libyaml's composer
recurses in C and crashes the process on 50,000 nested brackets, so a text that could nest that deep is measured
first (refuse_deep_nesting). Every refusal is a YamlError with the line and key it stands on.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # the C parser is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # the same interface, in pure Python

from .problems import KeyPath, Problem, YamlError, dotted, short

MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real data file is a few tens of KB
MAX_DEPTH = 32  # the models nest five levels at most
# libyaml's composer recurses in C, once per level, before the loaders below can count levels, and crashes the
# process somewhere past 20,000 (50,000 nested brackets in 100 KB did). A file of at most MAX_FILE_BYTES with at
# most this many brackets and no line like "- - -" nests at most ~4,000 levels (indentation costs a byte per level
# per line); one that could nest deeper is measured first, in the parser's event stream, which does not recurse.
SAFE_FLOW_OPENINGS = 1_000
# A line that opens a block collection inside another with nothing between them ("- - -", "? ? ?"): two bytes a
# level, the one way besides brackets to nest deeply in a small file (indentation costs a byte per level per line).
_COMPACT_NESTING = re.compile(r"\n *[-?:] +[-?](?:[ \r\n]|$)")
_COMPACT_NESTING_FIRST = re.compile(r" *[-?:] +[-?](?:[ \r\n]|$)")

_TAG_NAMES = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:bool": "true or false",
}


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
                f"'{short(node.value)}' cannot be read as {what} ({reason}): put it in quotes if it is text",
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
                    f"duplicate key '{short(str(name))}' (first set on line {first_line}): keep one of them",
                )
            result[name] = self._child(name, value_node, key_node)
        return result

    def build_sequence(self, node: yaml.SequenceNode) -> list:
        return [self._child(i, item, item) for i, item in enumerate(node.value)]


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader.build_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader.build_sequence)


def parse(text: str, path: str) -> tuple[Any, dict[KeyPath, tuple[int, int]] | None]:
    """A text's data, and the positions of its keys if they were recorded: the fast loader reads it; the position
    loader reads it again only when the fast one meets something it does not explain, and raises any error with
    its line and key."""
    if could_nest_deeply(text):
        refuse_deep_nesting(text, path)  # its parse costs a third of a load: only for texts that need it
    loader = _FastLoader(text)
    try:
        return loader.get_single_data(), None
    except (_Again, yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return read_with_positions(text, path)  # raises the error, with its line and key
    finally:
        loader.dispose()


def could_nest_deeply(text: str) -> bool:
    """Whether a text might nest deep enough to crash libyaml's composer (see SAFE_FLOW_OPENINGS)."""
    return bool(
        len(text) > MAX_FILE_BYTES
        or text.count("[") + text.count("{") > SAFE_FLOW_OPENINGS
        or _COMPACT_NESTING.search(text)
        or _COMPACT_NESTING_FIRST.match(text)
    )


def refuse_deep_nesting(text: str, path: str) -> None:
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


def read_with_positions(text: str, path: str) -> tuple[Any, dict[KeyPath, tuple[int, int]]]:
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
