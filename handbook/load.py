"""Read every data file once into a Handbook: parse, validate against its model, and explain each failure as
`path:line:col: key: message` that says what to do. Then run the checks (checks.py, seeds.py) over the whole.

`load_handbook(root)` returns the whole handbook and every problem found in one run; callers (the
check command, the site build, the tests) decide what to do with the problems.
"""

from __future__ import annotations

import gc
import os
import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .book import Handbook
from .checks import check_references
from .citations import model_in
from .editions import read_editions
from .fields import CITE_PATTERN, DATE_PATTERN, ID_MAX, ID_PATTERN
from .id_checks import check_ids
from .kinds import ENTRY_FILE_KINDS, LIST_FILE_KINDS, Kind
from .models import ListFile, Strict
from .problems import KeyPath, Problem, YamlError, find_unprintable, unprintable_message
from .seeds import check_seeds
from .termbase import check_english
from .yamlio import LoadedYaml, decode_utf8, load_yaml, read_data_file


class DataInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_handbook(root: Path) -> tuple[Handbook, list[Problem]]:
    # Thousands of small containers are built and kept: the cyclic collector would rescan them again and
    # again for nothing (a third of the load time at 2,000 programmes).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_handbook(root)
    finally:
        if collecting:
            gc.enable()


def _folder_problem(folder: Path, root: Path) -> Problem | None:
    """A data folder must be a real folder of the repository: a link could lead anywhere on the machine."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    display = _rel(folder, root)
    if stat.S_ISLNK(info.st_mode):
        return Problem(
            display,
            1,
            1,
            "",
            f"is a symbolic link to {os.readlink(folder)}: data folders must be real "
            "folders inside the repository; put the folder itself here",
        )
    if not stat.S_ISDIR(info.st_mode):
        return Problem(display, 1, 1, "", "is not a folder: remove it (data files live in data/ and its folders)")
    return None


def _data_files(book: Handbook, folder: Path, pattern: str, problems: list[Problem]) -> list[Path]:
    """The files of a data folder matching pattern, in order; none if the folder is not a real folder."""
    refused = _folder_problem(folder, book.root)
    if refused is not None:
        problems.append(refused)
        book.unread_folders.add(folder.name)
        return []
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def _load_handbook(root: Path) -> tuple[Handbook, list[Problem]]:
    root = root.resolve()
    book = Handbook(root)
    problems: list[Problem] = []
    loaded: dict[tuple[str, str], LoadedYaml] = {}
    refused = _folder_problem(root / "data", root)
    if refused is not None:
        return book, [refused]
    list_files = [(path, kind) for kind in LIST_FILE_KINDS for path in _list_file_paths(book, kind, problems)]
    for path, kind in list_files:
        _load_list_file(book, path, kind, problems, loaded)
    for kind in ENTRY_FILE_KINDS:
        _load_entry_files(book, kind, problems, loaded)
    for source_id in list(book.sources):
        problems += _load_paragraphs(book, source_id, loaded[("sources", source_id)])
    for both in sorted(set(book.sources) & set(book.references)):
        problems.append(
            loaded[("references", both)].problem(
                ("id",), f"id '{both}' is already a source id: cite ids must be unique"
            )
        )
    book.documents = loaded
    problems += check_ids(book, loaded)
    problems += check_references(book, loaded)
    problems += check_english(book, loaded)
    problems += check_seeds(book, loaded)
    book.editions, found = read_editions(root)
    problems += found
    return book, problems


def _list_file_paths(book: Handbook, kind: Kind, problems: list[Problem]) -> list[Path]:
    folder, _, name = kind.files.rpartition("/")
    data = book.root / "data"
    return _data_files(book, data / folder, name, problems) if "*" in name else [data / name]


def _load_list_file(
    book: Handbook, path: Path, kind: Kind, problems: list[Problem], loaded: dict[tuple[str, str], LoadedYaml]
) -> None:
    # Items are validated one by one, so one bad entry does not hide the others from the rest of the check.
    list_name = kind.plural
    result = _parse(path, ListFile, book.root, problems)  # type: ignore[arg-type]  # a file, not an entry
    if result is None:
        return
    doc, _ = result
    items = doc.data.get(list_name)
    if not isinstance(items, list):
        problems.append(doc.problem((list_name,), f"'{list_name}:' must hold a list of entries"))
        return
    target = getattr(book, list_name)
    for index, raw in enumerate(items):
        scoped = _Scoped(doc, (list_name, index))
        item = _validate(scoped, kind.model, raw, problems)
        if item is None:
            continue
        if item.id in target:
            problems.append(scoped.problem(("id",), f"id '{item.id}' is used twice in this file: ids must be unique"))
        target[item.id] = item
        loaded[(list_name, item.id)] = scoped


def _load_entry_files(
    book: Handbook, kind: Kind, problems: list[Problem], loaded: dict[tuple[str, str], LoadedYaml]
) -> None:
    folder = book.root / "data" / kind.plural
    for path in _data_files(book, folder, "*.yml", problems):
        result = _parse(path, kind.model, book.root, problems)
        if result is None:
            book.unreadable.add(path.stem)
            continue
        doc, entry = result
        if entry.id != path.stem:
            problems.append(
                doc.problem(
                    ("id",),
                    f"id '{entry.id}' does not match the file name '{path.name}': "
                    f"rename the file to {entry.id}.yml or fix the id",
                )
            )
            continue
        getattr(book, kind.plural)[entry.id] = entry
        book.files[(kind.plural, entry.id)] = doc.path
        loaded[(kind.plural, entry.id)] = doc
    for stray in sorted(folder.glob("*.yaml")) if folder.is_dir() and not folder.is_symlink() else []:
        problems.append(Problem(_rel(stray, book.root), 1, 1, "", "data files end in .yml: rename it"))


def load_valid_handbook(root: Path) -> Handbook:
    """The handbook, or DataInvalid listing every error (warnings do not stop a build)."""
    book, problems = load_handbook(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataInvalid(errors)
    return book


class _Scoped(LoadedYaml):
    """A view of one item of a list file, so its problems point into that item."""

    def __init__(self, doc: LoadedYaml, prefix: KeyPath):
        super().__init__(doc.path, doc.data)
        self.doc, self.prefix = doc, prefix

    @property
    def positions(self) -> dict[KeyPath, tuple[int, int]]:
        return self.doc.positions

    def problem(self, key: KeyPath, message: str, severity: str = "error") -> Problem:
        return super().problem(self.prefix + key, message, severity)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _parse(path: Path, model: type[Strict], root: Path, problems: list[Problem]) -> tuple[LoadedYaml, Any] | None:
    display = _rel(path, root)
    try:
        doc = load_yaml(path, display)
    except YamlError as exc:
        problems.append(exc.problem)
        return None
    if not isinstance(doc.data, dict):
        problems.append(
            doc.problem((), f"the file must hold a mapping of fields (key: value), not a {_yaml_type(doc.data)}")
        )
        return None
    entry = _validate(doc, model, doc.data, problems)
    return None if entry is None else (doc, entry)


def _validate(doc: LoadedYaml, model: type[Strict], raw: Any, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_explain(doc, model, error) for error in exc.errors())
        return None


def _explain(doc: LoadedYaml, model: type[BaseModel], error: ErrorDetails) -> Problem:
    """Turn a pydantic error into a message that says what to do."""
    loc: KeyPath = tuple(error["loc"])
    kind = error["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        if name == "en":
            message = (
                "missing English translation: add it (a plain translation is fine; mark an official one with en_source)"
            )
        elif name == "zh":
            message = "missing Chinese text: add it"
        else:
            message = f"required field '{name}' is missing: add it"
        return doc.problem(loc, message)  # located at the nearest enclosing key present in the file
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(model, loc[:-1]))
        name = name if len(str(name)) <= 60 else str(name)[:60] + "…"
        return doc.problem(loc, f"unknown key '{name}': remove it or fix its spelling (allowed here: {allowed})")
    if kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        what = {
            ID_PATTERN: "a valid id: use lower-case letters, digits and hyphens (e.g. ankang-cup)",
            CITE_PATTERN: "a valid citation: write source-id#pN (paragraph N) or a reference id",
            DATE_PATTERN: "a date: write YYYY, YYYY-MM or YYYY-MM-DD",
        }.get(pattern, f"of the form {pattern}")
        return doc.problem(loc, f"{_value_repr(error['input'])} is not {what}")
    if kind == "too_short":
        return doc.problem(loc, "must list at least one item")
    if kind == "string_too_long":
        limit = error["ctx"]["max_length"]
        why = ID_WHY if limit == ID_MAX else ""
        return doc.problem(
            loc, f"{len(error['input']):,} characters long; at most {limit:,} allowed here{why}: shorten it"
        )
    if kind == "too_long":
        limit = error["ctx"]["max_length"]
        return doc.problem(
            loc,
            f"lists {error['ctx']['actual_length']:,} items; at most {limit:,} allowed here: keep the ones readers use",
        )
    if kind == "finite_number":
        what = {"nan": "not a number (.nan)", "inf": "infinite (.inf)", "-inf": "infinite (-.inf)"}.get(
            repr(float(error["input"])), "not a finite number"
        )
        return doc.problem(
            loc,
            f"is {what}, which the published data cannot hold (JSON has no NaN or infinity): "
            "write the number, or leave the field out",
        )
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and kind != "value_error":
        value = error["input"]
        message += (
            f" (got a {_yaml_type(value)})" if isinstance(value, (dict, list)) else f" (got {_value_repr(value)})"
        )
    return doc.problem(loc, message)


ID_WHY = (
    " (an id is a file name and part of every address: <id>.yml, <id>.json and <id>.html must fit the 255 "
    "bytes a file name may have)"
)


def _value_repr(value: Any, size: int = 60) -> str:
    """A value from data, quoted in a message: cut short, and never an error itself (an int of 5,000 digits has
    no repr in Python 3.11)."""
    try:
        text = repr(value)
    except ValueError:
        return f"a number of about {value.bit_length() * 3 // 10:,} digits"
    return text if len(text) <= size else text[:size] + "…"


def _yaml_type(value: Any) -> str:
    return "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else type(value).__name__


def _fields_at(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed at a location, by walking the model's field types."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = model_in(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


MAX_PARAGRAPH_CHARS = 20_000  # the longest real paragraph has 1,207 characters


def _load_paragraphs(book: Handbook, source_id: str, doc: LoadedYaml) -> list[Problem]:
    path = book.root / "data" / "sources" / f"{source_id}.txt"
    display = _rel(path, book.root)
    if not os.path.lexists(path):
        return [
            doc.problem(
                ("id",),
                f"the text file data/sources/{source_id}.txt is missing: add the document's "
                "text, one paragraph per line",
            )
        ]
    try:
        text = decode_utf8(read_data_file(path, display), display)
    except YamlError as exc:
        book.unreadable.add(source_id)  # its citations cannot be checked; they are not reported one by one
        return [exc.problem]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems = [
        Problem(display, n, 1, "", "empty line: the text holds one paragraph per line, with no blank lines")
        for n, line in enumerate(lines, 1)
        if not line.strip()
    ]
    if "\r\n" in text:
        first = text.count("\n", 0, text.index("\r\n")) + 1
        problems.append(
            Problem(display, first, 1, "", "line ends in CR LF (Windows line ends): save the file with LF line ends")
        )
    if find_unprintable(text):
        for n, line in enumerate(lines, 1):
            found = find_unprintable(line.removesuffix("\r"))
            if found:
                problems.append(Problem(display, n, found.start() + 1, "", unprintable_message(found.group())))
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_PARAGRAPH_CHARS:
            problems.append(
                Problem(
                    display,
                    n,
                    1,
                    "",
                    f"paragraph {n} has {len(line):,} characters; a paragraph may "
                    f"have at most {MAX_PARAGRAPH_CHARS:,}: check the line breaks",
                )
            )
    book.paragraphs[source_id] = lines
    return problems
