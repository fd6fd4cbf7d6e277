"""Load every data file once, validate it, resolve its references and prove its quotations.

`load_handbook(root)` returns the whole handbook and every problem found in one run; callers (the
check command, the site build, the tests) decide what to do with the problems.
"""
from __future__ import annotations

import functools
import gc
import os
import stat
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .models import (CITE_PATTERN, DATE_PATTERN, ENTRY_KINDS, ID_MAX, ID_PATTERN, LIST_FILES, Category, Law, ListFile, Programme,
                     Reference, Source, Strict, Target, Term)
from .seeds import check_seeds
from .text import bare, to_simplified
from .yamlio import (KeyPath, LoadedYaml, Problem, YamlError, decode_utf8, dotted, find_unprintable, load_yaml,
                     read_data_file, unprintable_message)


@dataclass
class Handbook:
    root: Path
    programmes: dict[str, Programme] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> path from root
    documents: dict[tuple[str, str], LoadedYaml] = field(default_factory=dict)  # where each entry's keys are
    unreadable: set[str] = field(default_factory=set)  # ids of entry files that failed; not reported again as missing
    unread_folders: set[str] = field(default_factory=set)  # data folders refused unread: their ids are unknown
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # see derived()

    # The lookups below are built once, on first use: a handbook is not changed after load_handbook() returns.

    def derived(self, key: str, make: typing.Callable[[], Any]) -> Any:
        """`make()`, computed once per handbook (for callers outside this module, e.g. the open-data export)."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    @functools.cached_property
    def _by_category(self) -> dict[str, list[Programme]]:
        return _grouped(sorted(self.programmes.values(), key=lambda p: p.id), lambda p: [p.category])

    def programmes_in(self, category_id: str) -> list[Programme]:
        return self._by_category.get(category_id, [])

    @functools.cached_property
    def _terms_listing(self) -> dict[str, list[Term]]:
        return _grouped(sorted(self.terms.values(), key=lambda t: t.id), lambda t: dict.fromkeys(t.related))

    def terms_of(self, programme_id: str) -> list[Term]:
        """Glossary terms a programme lists, then those that list the programme."""
        listed = [self.terms[t] for t in self.programmes[programme_id].terms if t in self.terms]
        return listed + [t for t in self._terms_listing.get(programme_id, []) if t not in listed]

    def programmes_of_term(self, term: Term) -> list[Programme]:
        """Programmes that list a term or that the term lists, in the order of data/programmes/."""
        return [p for p in self.programmes.values() if term.id in p.terms or p.id in term.related]

    @functools.cached_property
    def _targets_by_programme(self) -> dict[str, list[Target]]:
        ordered = sorted(self.targets.values(), key=lambda t: (t.year or 0, t.place.zh, t.id))
        return _grouped(ordered, lambda t: [t.programme])

    def targets_of(self, programme_id: str) -> list[Target]:
        return self._targets_by_programme.get(programme_id, [])

    @functools.cached_property
    def _bare_simplified(self) -> dict[str, list[str]]:
        return {source_id: [bare(to_simplified(text)) for text in paragraphs]
                for source_id, paragraphs in self.paragraphs.items()}

    def mentions(self, programme_id: str) -> dict[str, list[int]]:
        """Paragraphs, by source, whose text names the programme (its Chinese name or an alias), read as Simplified."""
        programme = self.programmes[programme_id]
        names = {bare(n) for n in [programme.name.zh, *programme.aliases.zh] if len(bare(n)) >= 2}
        found: dict[str, list[int]] = {}
        for source_id, paragraphs in self._bare_simplified.items():
            hits = [n for n, text in enumerate(paragraphs, 1) if any(name in text for name in names)]
            if hits:
                found[source_id] = hits
        return found

    @functools.cached_property
    def _cited(self) -> dict[str, frozenset[str]]:
        return {p.id: frozenset(_cited_sources(p)) for p in self.programmes.values()}

    def cited_sources(self, programme_id: str) -> frozenset[str]:
        """Ids of the sources and references a programme cites anywhere, or quotes."""
        return self._cited[programme_id]

    @functools.cached_property
    def _citing(self) -> dict[str, list[Programme]]:
        return _grouped(self.programmes.values(), lambda p: sorted(self._cited[p.id]))

    def programmes_citing(self, source_id: str) -> list[Programme]:
        return self._citing.get(source_id, [])


def _grouped(items, keys_of) -> dict[str, list]:
    """Items by each of their keys, keeping the items' order within a key."""
    groups: dict[str, list] = {}
    for item in items:
        for key in keys_of(item):
            groups.setdefault(key, []).append(item)
    return groups


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
        return Problem(display, 1, 1, "", f"is a symbolic link to {os.readlink(folder)}: data folders must be real "
                                          "folders inside the repository; put the folder itself here")
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
    data = root / "data"
    book = Handbook(root)
    problems: list[Problem] = []
    loaded: dict[tuple[str, str], LoadedYaml] = {}
    refused = _folder_problem(data, root)
    if refused is not None:
        return book, [refused]

    list_files = []
    for pattern, (list_name, model) in LIST_FILES.items():
        folder, _, name = pattern.rpartition("/")
        paths = _data_files(book, data / folder, name, problems) if "*" in name else [data / name]
        list_files += [(path, list_name, model) for path in paths]
    for path, list_name, model in list_files:
        # Items are validated one by one, so one bad entry does not hide the others from the rest of the check.
        result = _parse(path, ListFile, root, problems)
        if result is None:
            continue
        doc, _ = result
        items = doc.data.get(list_name)
        if not isinstance(items, list):
            problems.append(doc.problem((list_name,), f"'{list_name}:' must hold a list of entries"))
            continue
        target = getattr(book, list_name)
        for index, raw in enumerate(items):
            scoped = _Scoped(doc, (list_name, index))
            item = _validate(scoped, model, raw, problems)
            if item is None:
                continue
            if item.id in target:
                problems.append(scoped.problem(("id",), f"id '{item.id}' is used twice in this file: ids must be unique"))
            target[item.id] = item
            loaded[(list_name, item.id)] = scoped

    for kind, model in ENTRY_KINDS.items():
        folder = data / kind
        for path in _data_files(book, folder, "*.yml", problems):
            result = _parse(path, model, root, problems)
            if result is None:
                book.unreadable.add(path.stem)
                continue
            doc, entry = result
            if entry.id != path.stem:
                problems.append(doc.problem(("id",), f"id '{entry.id}' does not match the file name '{path.name}': "
                                                      f"rename the file to {entry.id}.yml or fix the id"))
                continue
            getattr(book, kind)[entry.id] = entry
            book.files[(kind, entry.id)] = doc.path
            loaded[(kind, entry.id)] = doc
        for stray in sorted(folder.glob("*.yaml")) if folder.is_dir() and not folder.is_symlink() else []:
            problems.append(Problem(_rel(stray, root), 1, 1, "", "data files end in .yml: rename it"))

    for source_id in list(book.sources):
        problems += _load_paragraphs(book, source_id, loaded[("sources", source_id)])
    for both in sorted(set(book.sources) & set(book.references)):
        problems.append(loaded[("references", both)].problem(("id",), f"id '{both}' is already a source id: cite ids must be unique"))
    book.documents = loaded
    problems += _check_ids(book, loaded)
    problems += _check_references(book, loaded)
    problems += check_seeds(book, loaded)
    return book, problems


# What the site already puts where an id goes (macros/pages.py, macros/templates/, Material). An entry page lives at
# <folder>/<id>/ beside the folder's list page, <folder>/index.html; other ids are anchors (#id) on a page whose
# headings, charts and elements already have ids. tests/test_data_refusals.py checks these against the site's code.
LIST_PAGES = {"programmes": "programmes/index.html, the list of programmes",
              "sources": "sources/index.html, the list of source documents",
              "laws": "laws/index.html, the list of laws and policies"}
_PROGRAMME_SECTIONS = ("cite", "summary", "purpose", "organisers", "beneficiaries", "how-it-runs", "targets", "laws",
                       "background", "quotations", "open-questions", "related", "sources")
_TARGETS_PAGE = {"targets-and-figures-by-place": "the targets page's title", "all": "the targets page's table of all targets"}
FIXED_ANCHORS: dict[str, dict[str, str]] = {
    "terms": {"glossary": "the glossary page's title"},
    "references": {"external-references": "the references page's title"},
    "categories": {"all-programmes": "the programme list's title"},
    "programmes": {**_TARGETS_PAGE, "union-programmes-handbook-printable-edition": "the printable edition's title"},
    "targets": {**_TARGETS_PAGE, **{anchor: "a section of every programme page" for anchor in _PROGRAMME_SECTIONS}},
}
ANCHOR_PREFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "terms": (("hb-", "the handbook's own page elements"),),
    "references": (("hb-", "the handbook's own page elements"),),
    "categories": (("hb-", "the handbook's own page elements"),),
    "programmes": (("hb-", "the handbook's own page elements"), ("chart-", "the charts of the targets page")),
    "targets": (("hb-", "the handbook's own page elements"), ("chart-", "the charts of the targets page"),
                ("quote-", "the quotations of programme pages")),
}
_KIND_NAMES = {"programmes": "programme", "sources": "source", "laws": "law", "terms": "term",
               "references": "reference", "categories": "category", "targets": "target"}


def _id_collision(kind: str, entry_id: str) -> str | None:
    """Why an id would replace a page or an anchor the site already has, or None."""
    if entry_id == "index" and kind in LIST_PAGES:
        return f"'index' would replace {LIST_PAGES[kind]}: choose another id"
    where = FIXED_ANCHORS.get(kind, {}).get(entry_id)
    if where is None:
        where = next((what for prefix, what in ANCHOR_PREFIXES.get(kind, ()) if entry_id.startswith(prefix)), None)
    if where is not None:
        return (f"'{entry_id}' is already an anchor (#{entry_id}) of {where}: a link to this {_KIND_NAMES[kind]} "
                "would lead there; choose another id")
    return None


def _check_ids(book: Handbook, loaded: dict[tuple[str, str], LoadedYaml]) -> list[Problem]:
    problems = []
    for (kind, entry_id), doc in loaded.items():
        message = _id_collision(kind, entry_id)
        if message:
            problems.append(doc.problem(("id",), message))
    for programme_id, programme in book.programmes.items():
        for i, former in enumerate(programme.former_ids):
            if former == "index":
                problems.append(loaded[("programmes", programme_id)].problem(
                    ("former_ids", i), f"'index' would replace {LIST_PAGES['programmes']} with a redirect: remove it"))
    for target_id in sorted(book.targets.keys() & book.programmes.keys()):
        problems.append(loaded[("targets", target_id)].problem(
            ("id",), f"'{target_id}' is also a programme's id, the anchor (#{target_id}) of its heading on the targets "
                     "page: choose another id"))
    return problems


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
        problems.append(doc.problem((), "the file must hold a mapping of fields (key: value), not a "
                                        f"{_yaml_type(doc.data)}"))
        return None
    entry = _validate(doc, model, doc.data, problems)
    return None if entry is None else (doc, entry)


def _validate(doc: LoadedYaml, model: type[Strict], raw: Any, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_explain(doc, model, error) for error in exc.errors())
        return None


def _explain(doc: LoadedYaml, model: type[BaseModel], error: dict[str, Any]) -> Problem:
    """Turn a pydantic error into a message that says what to do."""
    loc: KeyPath = tuple(error["loc"])
    kind = error["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        if name == "en":
            message = "missing English translation: add it (a plain translation is fine; mark an official one with en_source)"
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
        what = {ID_PATTERN: "a valid id: use lower-case letters, digits and hyphens (e.g. ankang-cup)",
                CITE_PATTERN: "a valid citation: write source-id#pN (paragraph N) or a reference id",
                DATE_PATTERN: "a date: write YYYY, YYYY-MM or YYYY-MM-DD"}.get(pattern, f"of the form {pattern}")
        return doc.problem(loc, f"{_value_repr(error['input'])} is not {what}")
    if kind == "too_short":
        return doc.problem(loc, "must list at least one item")
    if kind == "string_too_long":
        limit = error["ctx"]["max_length"]
        why = ID_WHY if limit == ID_MAX else ""
        return doc.problem(loc, f"{len(error['input']):,} characters long; at most {limit:,} allowed here{why}: shorten it")
    if kind == "too_long":
        limit = error["ctx"]["max_length"]
        return doc.problem(loc, f"lists {error['ctx']['actual_length']:,} items; at most {limit:,} allowed here: "
                                "keep the ones readers use")
    if kind == "finite_number":
        what = {"nan": "not a number (.nan)", "inf": "infinite (.inf)", "-inf": "infinite (-.inf)"}.get(
            repr(float(error["input"])), "not a finite number")
        return doc.problem(loc, f"is {what}, which the published data cannot hold (JSON has no NaN or infinity): "
                                "write the number, or leave the field out")
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and kind != "value_error":
        value = error["input"]
        message += f" (got a {_yaml_type(value)})" if isinstance(value, (dict, list)) else f" (got {_value_repr(value)})"
    return doc.problem(loc, message)


ID_WHY = (" (an id is a file name and part of every address: <id>.yml, <id>.json and <id>.html must fit the 255 "
          "bytes a file name may have)")


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
        current = _model_in(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The model class inside an annotation such as `list[Quote]` or `Text | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


MAX_PARAGRAPH_CHARS = 20_000  # the longest real paragraph has 1,207 characters


def _load_paragraphs(book: Handbook, source_id: str, doc: LoadedYaml) -> list[Problem]:
    path = book.root / "data" / "sources" / f"{source_id}.txt"
    display = _rel(path, book.root)
    if not os.path.lexists(path):
        return [doc.problem(("id",), f"the text file data/sources/{source_id}.txt is missing: add the document's "
                                     "text, one paragraph per line")]
    try:
        text = decode_utf8(read_data_file(path, display), display)
    except YamlError as exc:
        book.unreadable.add(source_id)  # its citations cannot be checked; they are not reported one by one
        return [exc.problem]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems = [Problem(display, n, 1, "", "empty line: the text holds one paragraph per line, with no blank lines")
                for n, line in enumerate(lines, 1) if not line.strip()]
    if "\r\n" in text:
        line = text.count("\n", 0, text.index("\r\n")) + 1
        problems.append(Problem(display, line, 1, "", "line ends in CR LF (Windows line ends): save the file with LF "
                                                      "line ends"))
    if find_unprintable(text):
        for n, line in enumerate(lines, 1):
            found = find_unprintable(line.removesuffix("\r"))
            if found:
                problems.append(Problem(display, n, found.start() + 1, "", unprintable_message(found.group())))
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_PARAGRAPH_CHARS:
            problems.append(Problem(display, n, 1, "", f"paragraph {n} has {len(line):,} characters; a paragraph may "
                                                       f"have at most {MAX_PARAGRAPH_CHARS:,}: check the line breaks"))
    book.paragraphs[source_id] = lines
    return problems


def _cited_sources(programme: Programme) -> set[str]:
    cites = {c.split("#")[0] for c in all_cites(programme)}
    return cites | {q.source for q in programme.quotes}


def all_cites(entry: BaseModel) -> list[str]:
    found: list[str] = []
    for name, value in entry:
        if name in ("cite", "dates_cite", "mentioned_in"):
            found += value
        elif isinstance(value, BaseModel):
            found += all_cites(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    found += all_cites(item)
    return found


@functools.lru_cache(maxsize=None)
def _cite_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of a model that can hold citations, each with how: "cites" (a list of cite ids),
    "en_source" (a reference id), "nested" (a model or a list of models). The others are never walked."""
    found = []
    for name, info in model.model_fields.items():
        if name in ("cite", "dates_cite"):
            found.append((name, "cites"))
        elif name == "en_source":
            found.append((name, "en_source"))
        elif _model_in(info.annotation) is not None:
            found.append((name, "nested"))
    return tuple(found)


def _walk_cites(entry: BaseModel, key: KeyPath = ()) -> typing.Iterator[tuple[KeyPath, str]]:
    for name, how in _cite_fields(type(entry)):
        value = getattr(entry, name)
        if how == "cites":
            for i, cite in enumerate(value):
                yield key + (name, i), cite
        elif how == "en_source":
            if value:
                yield key + (name,), value
        elif isinstance(value, BaseModel):
            yield from _walk_cites(value, key + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk_cites(item, key + (name, i))


def _check_cite(book: Handbook, cite: str) -> str | None:
    """An error message for a citation that does not resolve, else None."""
    target, _, paragraph = cite.partition("#p")
    if target in book.unreadable or ("sources" in book.unread_folders and target not in book.references):
        return None  # its own file's error has been reported
    if target in book.sources:
        if not paragraph:
            return f"cite a paragraph of source '{target}': write {target}#pN"
        count = len(book.paragraphs.get(target, []))
        if int(paragraph) > count:
            return f"source '{target}' has {count} paragraphs, not {paragraph}"
        return None
    if target in book.references:
        return f"reference '{target}' has no paragraphs: cite it as '{target}'" if paragraph else None
    return f"'{target}' is neither a source (data/sources/) nor a reference (data/references.yml)"


def _check_references(book: Handbook, loaded: dict[tuple[str, str], LoadedYaml]) -> list[Problem]:
    problems: list[Problem] = []

    def missing(doc: LoadedYaml, key: KeyPath, kind: str, ref: str, folder: str) -> None:
        if ref in book.unreadable or folder in book.unread_folders:
            return
        problems.append(doc.problem(key, f"no {kind} with id '{ref}': create data/{folder}/{ref}.yml or fix the id"))

    for kind in ("programmes", "terms", "laws", "targets"):
        for entry_id, entry in getattr(book, kind).items():
            doc = loaded[(kind, entry_id)]
            for key, cite in _walk_cites(entry):
                message = _check_cite(book, cite)
                if message:
                    problems.append(doc.problem(key, message))
            for i, ref in enumerate(getattr(entry, "related", [])):
                if ref not in book.programmes:
                    missing(doc, ("related", i), "programme", ref, "programmes")
    for law_id, law in book.laws.items():
        doc = loaded[("laws", law_id)]
        for i, cite in enumerate(law.mentioned_in):
            if "#p" not in cite:
                problems.append(doc.problem(("mentioned_in", i), f"'{cite}': name the source paragraph that mentions it (source-id#pN)"))
            elif _check_cite(book, cite):
                problems.append(doc.problem(("mentioned_in", i), _check_cite(book, cite)))
        dated = law.adopted or law.effective or law.amended or law.status != "unknown"
        if dated and not law.dates_cite:
            problems.append(doc.problem(("dates_cite",), "dates and status need a source: list reference ids in dates_cite"))
    for target_id, target in book.targets.items():
        doc = loaded[("targets", target_id)]
        if target.programme not in book.programmes:
            missing(doc, ("programme",), "programme", target.programme, "programmes")
        paragraphs = [c for c in target.cite if "#p" in c]
        if not paragraphs:
            problems.append(doc.problem(("cite",), "a target must cite the source paragraph that states it (source-id#pN)"))
        elif not _check_cite(book, paragraphs[0]) and paragraphs[0].split("#")[0] in book.paragraphs:
            source_id, number = paragraphs[0].split("#p")
            if target.value_text not in book.paragraphs[source_id][int(number) - 1]:
                problems.append(doc.problem(("value_text",), f"'{target.value_text}' does not occur in {paragraphs[0]}: "
                                                              "copy the number exactly as the source writes it"))
    for programme_id, programme in book.programmes.items():
        doc = loaded[("programmes", programme_id)]
        if programme.category not in book.categories:
            known = ", ".join(book.categories)
            problems.append(doc.problem(("category",), f"no category '{programme.category}' in data/categories.yml (known: {known})"))
        for i, ref in enumerate(programme.terms):
            if ref not in book.terms:
                missing(doc, ("terms", i), "glossary term", ref, "terms")
        for i, ref in enumerate(programme.laws):
            if ref not in book.laws:
                missing(doc, ("laws", i), "law", ref, "laws")
        for i, fact in enumerate(programme.background):
            for j, cite in enumerate(fact.cite):
                if cite.split("#")[0] in book.sources:
                    problems.append(doc.problem(("background", i, "cite", j), f"'{cite}' is a seed document: background "
                                                "holds facts from outside the seeds, so cite a reference from data/references.yml"))
        if programme_id in programme.related:
            problems.append(doc.problem(("related",), "a programme cannot be related to itself"))
        for i, former in enumerate(programme.former_ids):
            if former in book.programmes or former in book.unreadable:
                problems.append(doc.problem(("former_ids", i), f"'{former}' is the id of a programme that exists: "
                                                               "a former id must no longer be in use"))
            others = [p.id for p in book.programmes.values() if p.id != programme_id and former in p.former_ids]
            if others:
                problems.append(doc.problem(("former_ids", i), f"'{former}' is also a former id of '{others[0]}': "
                                                               "an old URL can redirect to one place only"))
        for i, quote in enumerate(programme.quotes):
            problems += _check_quote(book, doc, ("quotes", i), quote.source, quote.paragraph, quote.text)
    for term_id, term in book.terms.items():
        for i, ref in enumerate(term.see_also):
            if ref not in book.terms:
                missing(loaded[("terms", term_id)], ("see_also", i), "glossary term", ref, "terms")
    for source_id, source in book.sources.items():
        if source.doc_number and any(unicodedata.category(c) in ("Ps", "Pe") for c in source.doc_number
                                     if c not in "〔〕"):  # [2015], （2015）, ［2015］, 〖2015〗, 「2015」…
            problems.append(loaded[("sources", source_id)].problem(
                ("doc_number",), f"'{source.doc_number}': write the year of a document number in 〔〕, e.g. 新工字〔2015〕14号"))
    return problems


def _check_quote(book: Handbook, doc: LoadedYaml, key: KeyPath, source_id: str, paragraph: int, text: str) -> list[Problem]:
    if source_id in book.unreadable or "sources" in book.unread_folders:
        return []
    if source_id not in book.sources:
        return [doc.problem(key + ("source",), f"no source with id '{source_id}' in data/sources/")]
    paragraphs = book.paragraphs.get(source_id, [])
    if paragraph > len(paragraphs):
        return [doc.problem(key + ("paragraph",), f"source '{source_id}' has {len(paragraphs)} paragraphs, not {paragraph}")]
    if text in paragraphs[paragraph - 1]:
        return []
    elsewhere = [n for n, p in enumerate(paragraphs, 1) if text in p]
    if elsewhere:
        return [doc.problem(key + ("paragraph",), f"the quotation is in paragraph {elsewhere[0]} of '{source_id}', "
                                                  f"not {paragraph}: set paragraph: {elsewhere[0]}")]
    return [doc.problem(key + ("text",), _first_difference(text, paragraphs[paragraph - 1], source_id, paragraph))]


def _first_difference(quote: str, paragraph: str, source_id: str, number: int) -> str:
    """Say where a quotation stops matching its paragraph, so a one-character slip is easy to find."""
    longest = 0
    for size in range(1, len(quote) + 1):
        if quote[:size] in paragraph:
            longest = size
        else:
            break
    if longest == 0:
        return (f"quotation not found in '{source_id}' paragraph {number}: its first character "
                f"'{quote[0]}' does not start any passage there; copy the wording exactly from data/sources/{source_id}.txt line {number}")
    start = paragraph.index(quote[:longest])
    expected = paragraph[start + longest : start + longest + 8]
    return (f"quotation differs from '{source_id}' paragraph {number} after '{quote[max(0, longest - 8):longest]}': "
            f"the source continues '{expected}', the quotation has '{quote[longest:longest + 8]}'; "
            f"copy the wording exactly from data/sources/{source_id}.txt line {number}")


__all__ = ["Handbook", "DataInvalid", "load_handbook", "load_valid_handbook", "dotted"]
