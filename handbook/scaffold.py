"""New entries: `python -m handbook new programme <id>` writes a draft with every field; the check lists what is left.

A draft is valid YAML of the right shape, so the editor's schema and the check both accept its structure.
Each value still to be written holds a placeholder (（待填写）, (to be written), or the id `to-be-written`),
and `placeholders()` turns every one of them into an error at its file and line, so nothing half-written
can be published.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .book import Handbook
from .citations import CITE_FIELDS
from .fields import ID_PATTERN
from .kinds import BY_NAME, SCAFFOLDED
from .models import HANDLE_PATTERN
from .problems import KeyPath, Problem, YamlError
from .schema import field_help
from .yamlio import load_yaml, load_yaml_text, strings_in

PLACEHOLDER_ZH = "（待填写）"
PLACEHOLDER_EN = "(to be written)"
PLACEHOLDER_ID = "to-be-written"  # a valid id and citation, so the draft keeps its shape
KINDS = {kind.name: kind.plural for kind in SCAFFOLDED}  # programme -> programmes, …
_CHINESE_FIELDS = {"zh", "text", "value_text", "title_original", "doc_number"}
_DRAFT_NOTE = [
    f"# 新条目草稿：把每个 {PLACEHOLDER_ZH}、{PLACEHOLDER_EN} 和 {PLACEHOLDER_ID} 换成内容；"
    "`python -m handbook check` 列出尚未填写之处。",
    f"# Draft: replace every {PLACEHOLDER_ZH}, {PLACEHOLDER_EN} and {PLACEHOLDER_ID}; "
    "`python -m handbook check` lists what is left to write.",
]
_SOURCE_TEXT = (
    f"{PLACEHOLDER_ZH}把文件正文粘贴在这里，每段一行，第 N 行即第 N 段。"
    f"{PLACEHOLDER_EN} Paste the document's text here, one paragraph per line: line N is paragraph N.\n"
)


class ScaffoldError(Exception):
    """A new entry cannot be written; the message says why and what to do."""


def new_entry(
    root: Path, kind: str, entry_id: str, by: str = "maintainer", file: str | None = None, today: dt.date | None = None
) -> list[Path]:
    """Write a draft entry (or append a draft target to data/targets/<file>.yml); returns the paths written."""
    _check_name(entry_id, "id")
    if entry_id == PLACEHOLDER_ID:
        raise ScaffoldError(f"'{PLACEHOLDER_ID}' marks what is still to be written: choose the entry's real id")
    if not re.fullmatch(HANDLE_PATTERN, by):
        raise ScaffoldError(f"'{by}' is not a handle: use letters, digits, '.', '_' and '-' (e.g. maintainer)")
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}': choose one of {', '.join(KINDS)}")
    reviewed = {"date": (today or dt.date.today()).isoformat(), "by": by}
    data = root / "data"
    if BY_NAME[kind].list_file:
        return [_append_target(data, entry_id, file)]
    if file is not None:
        raise ScaffoldError("--file is only for targets, which share a list file; other entries have a file each")
    path = data / KINDS[kind] / f"{entry_id}.yml"
    if path.exists():
        raise ScaffoldError(f"{_shown(path, root)} already exists: choose another id, or edit that file")
    model = BY_NAME[kind].model
    header = [f"# yaml-language-server: $schema=../../schemas/{BY_NAME[kind].schema}.schema.json", *_DRAFT_NOTE]
    # A law's status starts unknown, checked today: a draft claims nothing it has no source for.
    fixed = {"id": entry_id, "reviewed": reviewed, "status": "unknown", "status_checked": reviewed["date"]}
    text = "\n".join(header + _fields(model, 0, fixed, _hints(data))) + "\n"
    _validate(text, model, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written = [path]
    paragraphs = path.with_suffix(".txt")
    if kind == "source" and not paragraphs.exists():  # keep a text someone has already pasted
        paragraphs.write_text(_SOURCE_TEXT, encoding="utf-8")
        written.append(paragraphs)
    return written


def placeholders(book: Handbook) -> list[Problem]:
    """An error at every placeholder still in the data, saying what to write there."""
    found = []
    for doc in book.documents.values():
        prefix: KeyPath = getattr(doc, "prefix", ())  # an item of a list file reports relative to its list
        for key, value in strings_in(_at(doc.data, prefix)):
            if _is_placeholder(value):
                found.append(doc.problem(key, _message(key)))
    for source_id, lines in book.paragraphs.items():
        found += [
            Problem(
                f"data/sources/{source_id}.txt",
                n,
                1,
                "",
                "placeholder text: paste the document's text, one paragraph per line",
            )
            for n, line in enumerate(lines, 1)
            if _is_placeholder(line)
        ]
    return found


def without_superseded(problems: list[Problem], found: list[Problem]) -> list[Problem]:
    """Drop other problems at a placeholder's place (e.g. 'no category to-be-written'): one message says what to do."""
    places = {(p.path, p.line, key) for p in found for key in (p.key, p.key.rpartition(".")[0])}
    return [p for p in problems if (p.path, p.line, p.key) not in places]


def _is_placeholder(value: str) -> bool:
    return PLACEHOLDER_ZH in value or PLACEHOLDER_EN in value or value.split("#")[0] == PLACEHOLDER_ID


def _message(key: KeyPath) -> str:
    names = [k for k in key if isinstance(k, str)]
    field = names[-1] if names else ""
    if field in CITE_FIELDS:
        if field == "mentioned_in":
            return "placeholder citation: write source-id#pN, the source paragraph that names this document"
        return (
            "placeholder citation: write source-id#pN (paragraph N of a document in data/sources/) "
            "or a reference id from data/references.yml"
        )
    messages = {
        "zh": "placeholder text: write the Chinese",
        "en": "placeholder text: write the English (a plain translation is fine)",
        "category": "placeholder id: write a category id from data/categories.yml",
        "programme": "placeholder id: write the id of a programme in data/programmes/",
        "seed": "placeholder: write the file name of the document's verbatim copy in ../shared/seeds/",
        "value_text": "placeholder text: write the number exactly as the source writes it",
    }
    return messages.get(field, f"placeholder text: write the {field.replace('_', ' ')}")


def _at(data: Any, key: KeyPath) -> Any:
    for part in key:
        data = data[part]
    return data


def _check_name(name: str, what: str) -> None:
    if not re.fullmatch(ID_PATTERN, name):
        raise ScaffoldError(
            f"'{name}' is not a valid {what}: use lower-case letters, digits and hyphens (e.g. ankang-cup)"
        )


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _hints(data: Path) -> dict[str, str]:
    """Extra comments naming the values that exist, where there are few (the categories)."""
    try:
        categories = load_yaml(data / "categories.yml").data.get("categories", [])
        ids = [c["id"] for c in categories if isinstance(c, dict) and "id" in c]
    except (OSError, YamlError, AttributeError):
        return {}
    return {"category": "one of: " + ", ".join(ids)} if ids else {}


# --- a target goes into a shared list file -------------------------------------------------------------------


def _append_target(data: Path, entry_id: str, file: str | None) -> Path:
    """Targets have no `reviewed`: they are checked with the paragraph they cite."""
    if not file:
        raise ScaffoldError(
            "a target goes into a list file: give --file NAME, e.g. --file xinxiang-2015-work-points "
            "(data/targets/NAME.yml, created if it does not exist)"
        )
    name = file.removesuffix(".yml")
    _check_name(name, "file name")
    list_name, model = BY_NAME["target"].plural, BY_NAME["target"].model
    existing = _target_ids(data / "targets")
    if entry_id in existing:
        raise ScaffoldError(f"target '{entry_id}' already exists in {existing[entry_id]}: choose another id")
    path = data / "targets" / f"{name}.yml"
    old = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else (
            "# yaml-language-server: $schema=../../schemas/targets.schema.json\n"
            "# Numeric targets and results stated in one source document: name it in this comment.\n"
            f"{list_name}:\n"
        )
    )
    found = re.search(r"^( *)- ", old, re.MULTILINE)
    indent = found.group(1) if found else "  "
    item = [indent + line for line in _DRAFT_NOTE] + _list_item(_fields(model, 0, {"id": entry_id}, {}), indent)
    text = old + ("" if old.endswith("\n") else "\n") + "\n".join(item) + "\n"
    items = _list_in(text, list_name, _shown(path, data.parent))
    if not items or not isinstance(items[-1], dict) or items[-1].get("id") != entry_id:
        raise ScaffoldError(f"{path.name} does not end with its '{list_name}:' list: add the item by hand")
    model.model_validate(items[-1])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _target_ids(folder: Path) -> dict[str, str]:
    """Target id -> the file holding it, across every targets file (ids are unique across all of them)."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        try:
            items = load_yaml(path).data.get("targets", [])
        except (YamlError, AttributeError):
            continue  # the check reports the broken file
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], f"data/targets/{path.name}")
    return found


def _list_item(lines: list[str], indent: str) -> list[str]:
    """A mapping's lines as one item of a YAML list: '- ' before its first key, everything indented under it."""
    first_key = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    head = [indent + line for line in lines[:first_key]]  # the first key's help, level with its dash
    return [*head, indent + "- " + lines[first_key], *(indent + "  " + line for line in lines[first_key + 1 :])]


def _validate(text: str, model: type[BaseModel], path: str) -> None:
    """A draft must keep its shape; a failure here is a bug in the skeleton, not the user's doing."""
    model.model_validate(load_yaml_text(text, path).data)


def _list_in(text: str, list_name: str, path: str) -> list[Any]:
    """The list a list file holds, read back after the new item has been added to its text."""
    try:
        items = load_yaml_text(text, path).data[list_name]
    except (YamlError, KeyError, TypeError) as exc:
        raise ScaffoldError(
            f"{path} cannot take a new item ({exc}): fix the file first (python -m handbook check)"
        ) from None
    return items if isinstance(items, list) else []


# --- the skeleton, field by field from the model ---------------------------------------------------------------


def _fields(
    model: type[BaseModel],
    depth: int,
    fixed: dict[str, Any],
    hints: dict[str, str],
    seen: set[tuple[str, str]] | None = None,
) -> list[str]:
    """Every field of a model as commented YAML lines, with placeholders where something must be written."""
    pad = "  " * depth
    seen = set() if seen is None else seen
    lines: list[str] = []
    for name, field in model.model_fields.items():
        lines += [pad + line for line in _comment(*field_help(model, name), seen)]
        if name in hints:
            lines.append(f"{pad}# {hints[name]}")
        choices = _choices(field.annotation)
        if choices:
            lines.append(f"{pad}# {' | '.join(choices)}")
        if name in fixed:
            lines.append(f"{pad}{name}: {_flow(fixed[name])}")
        else:
            lines += _field(name, field, depth, hints, seen)
    return lines


def _field(name: str, field: FieldInfo, depth: int, hints: dict[str, str], seen: set[tuple[str, str]]) -> list[str]:
    pad = "  " * depth
    annotation, optional = _unwrap_optional(field.annotation)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if optional:
            return [f"{pad}# {_form(annotation)}", f"{pad}{name}:"]
        return [f"{pad}{name}:", *_fields(annotation, depth + 1, {}, hints, seen)]
    if origin is list:
        item = typing.get_args(annotation)[0]
        if not any(getattr(m, "min_length", 0) for m in field.metadata):
            form = [f"{pad}# - {_form(item)}"] if isinstance(item, type) and issubclass(item, BaseModel) else []
            return [*form, f"{pad}{name}: []"]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return [f"{pad}{name}:", *_list_item(_fields(item, 0, {}, hints, seen), pad + "  ")]
        return [f"{pad}{name}: [{PLACEHOLDER_ID}]"]
    if origin is dict:
        return [f"{pad}{name}: {{}}"]
    if origin is Literal:
        return [f"{pad}{name}: {field.default if not field.is_required() else typing.get_args(annotation)[0]}"]
    if annotation is bool:
        return [f"{pad}{name}: {str(field.default).lower()}"]
    if not field.is_required():
        return [f"{pad}{name}:"]
    if annotation is str:
        return [f"{pad}{name}: {_placeholder(name, field)}"]
    raise NotImplementedError(f"no placeholder for the required field '{name}' ({annotation})")


def _placeholder(name: str, field: FieldInfo) -> str:
    if any(getattr(m, "pattern", None) == ID_PATTERN for m in field.metadata):
        return PLACEHOLDER_ID
    return PLACEHOLDER_ZH if name in _CHINESE_FIELDS else PLACEHOLDER_EN


def _choices(annotation: Any) -> tuple[str, ...]:
    annotation, _ = _unwrap_optional(annotation)
    return typing.get_args(annotation) if typing.get_origin(annotation) is Literal else ()


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _comment(zh: str, en: str, seen: set[tuple[str, str]]) -> list[str]:
    """Help above a field: one line when short, else Chinese then English; a long help said once, then referred to."""
    if len(zh) + len(en) < 40:
        return [f"# {zh} · {en}"]
    if (zh, en) in seen:
        return [f"# {zh.split('：')[0]}（同上） · {en.split(':')[0]} (as above)"]
    seen.add((zh, en))
    return [f"# {zh}", f"# {en}"]


def _form(model: type[BaseModel]) -> str:
    """The shape of a model on one line, as a hint in a comment."""
    parts = []
    for name, field in model.model_fields.items():
        annotation, _ = _unwrap_optional(field.annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            value = _form(annotation)
        elif origin is list:
            value = "[source-id#pN]" if name in CITE_FIELDS else "[…]"
        elif origin is Literal:
            value = " | ".join(typing.get_args(annotation))
        elif annotation is int:
            value = "N"
        else:
            value = "…"
        parts.append(f"{name}: {value}")
    return "{" + ", ".join(parts) + "}"


def _flow(value: Any) -> str:
    """A fixed value on one line; dates are quoted, since YAML would read a bare date as a date, not text."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return f'"{value}"' if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else str(value)
