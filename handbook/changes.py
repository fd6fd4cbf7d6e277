"""The report a reviewer of a pull request reads (`python -m handbook changes BASE HEAD`, posted by the GitHub
workflow as the job's summary): what the change does to the handbook, worked out from the data of both sides —
entries added, changed and removed, per language; the pages of the site that change; quotations and citations
added or removed, and whether each still checks; problems the data check finds that it did not find before."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .editions import current_records
from .history import Change, compare
from .load import load_handbook
from .problems import Problem
from .seeds import seeds_dir

LANGS = ("zh", "en")


class ChangesError(Exception):
    pass


def _side(root: Path, spec: str, scratch: Path) -> Path:
    """A project folder for one side: the folder itself, or the data of a git revision written out."""
    folder = Path(spec)
    if (folder / "data").is_dir():
        return folder
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", spec, "data"], cwd=root, capture_output=True, check=True, timeout=120
        ).stdout
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangesError(
            f"{spec!r} is neither a project folder nor a revision of {root} "
            f"({message[-1] if message else 'git archive failed'}); in CI, fetch the base branch (fetch-depth: 0)"
        ) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise ChangesError(f"cannot read revision {spec!r}: {exc}") from None
    target = scratch / spec.replace("/", "_")
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _in_language(value, lang: str):
    """A record as a reader of one language sees it: of each zh/en pair, that language's text."""
    if isinstance(value, dict):
        other = "en" if lang == "zh" else "zh"
        if "zh" in value and "en" in value:  # a text in both languages, with its citations (cite, en_source …)
            return {k: v for k, v in value.items() if k != other and not k.startswith(other + "_")}
        return {k: _in_language(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_language(v, lang) for v in value]
    return value


def pages_of(key: str) -> list[str]:
    """The site's pages an entry appears on as itself (lists and links elsewhere change with its name only)."""
    plural, entry_id = key.split("/", 1)
    pages = {
        "programmes": [f"programmes/{entry_id}/", f"handouts/{entry_id}/", f"kit/{entry_id}.docx"],
        "laws": [f"laws/{entry_id}/"],
        "sources": [f"sources/{entry_id}/"],
        "terms": [f"glossary/#{entry_id}"],
    }[plural]
    return [f"/{prefix}{page}" for prefix in ("", "en/") for page in pages]


def _quote_status(problems: list[Problem], path: str, index: int) -> str:
    found = [p for p in problems if p.path == path and p.key.startswith(f"quotes.{index}") and p.severity == "error"]
    return f"✗ {found[0].message}" if found else "✓ checks against its source"


def changes_report(root: Path, base: str, head: str) -> str:
    if not os.environ.get("HANDBOOK_SEEDS") and seeds_dir(root):
        os.environ["HANDBOOK_SEEDS"] = str(seeds_dir(root))  # both sides are proved against this checkout's seeds
    with tempfile.TemporaryDirectory() as scratch:
        sides = [_side(root, spec, Path(scratch)) for spec in (base, head)]
        (before_book, before_problems), (after_book, after_problems) = (load_handbook(s) for s in sides)
        before, after = current_records(before_book), current_records(after_book)
        folders = [str(s) for s in sides]
    lines = [f"## Handbook changes: `{base}` → `{head}`", ""]
    changes: dict[str, Change] = {}
    for key in sorted(set(before) | set(after)):
        change = compare(before.get(key), after.get(key), None)
        if change is not None:
            changes[key] = change
    if not changes:
        lines += ["No entry changes.", ""]
    else:
        lines += ["### Entries", "", "| entry | change | 中文 | English |", "| --- | --- | --- | --- |"]
        for key, change in changes.items():
            in_lang = [
                "✓" if _in_language(before.get(key), lang) != _in_language(after.get(key), lang) else "–"
                for lang in LANGS
            ]
            lines.append(f"| `{key}` | {change.what}: {change.words('en')} | {in_lang[0]} | {in_lang[1]} |")
        counts = {what: sum(c.what == what for c in changes.values()) for what in ("added", "changed", "removed")}
        lines += ["", ", ".join(f"{n} {what}" for what, n in counts.items()), ""]
        lines += ["### Pages that change", ""]
        for key in changes:
            lines.append(f"- `{key}`: " + " ".join(f"`{page}`" for page in pages_of(key)))
        if any(c.what != "changed" or c.renamed_from for c in changes.values()):
            lines.append(
                "- lists: `/programmes/`, `/glossary/`, `/sources/`, `/laws/` and the search index "
                "(entries added or removed)"
            )
        lines.append("")
    quote_lines, cite_lines = [], []
    for key, change in changes.items():
        record = after.get(key) or {}
        path = after_book.files.get((key.split("/")[0], key.split("/", 1)[1]), f"data/{key}.yml")
        quotes = [f"{q.get('source')} ¶{q.get('paragraph')}" for q in record.get("quotes") or []]
        added = change.quotes_added if change.what == "changed" else (quotes if change.what == "added" else [])
        for quote in added:
            quote_lines.append(f"- added `{key}`: {quote} — {_quote_status(after_problems, path, quotes.index(quote))}")
        for quote in change.quotes_removed:
            quote_lines.append(f"- removed `{key}`: {quote}")
        for cite in change.cites_added:
            cite_lines.append(f"- added `{key}`: `{cite}`")
        for cite in change.cites_removed:
            cite_lines.append(f"- removed `{key}`: `{cite}`")
    if quote_lines:
        lines += ["### Quotations", "", *quote_lines, ""]
    if cite_lines:
        lines += ["### Citations", "", *cite_lines, ""]

    def seen(problem: Problem, folder: str) -> tuple[str, str, str]:
        return (problem.path.replace(folder, ""), problem.key, problem.message.replace(folder, ""))

    known = {seen(p, folders[0]) for p in before_problems}
    new = [p for p in after_problems if seen(p, folders[1]) not in known]
    lines += ["### New problems from the data check", ""]
    lines += [f"- {p.severity}: `{p.path}:{p.line}:{p.col}` {p.key}: {p.message}" for p in new] or ["None."]
    return "\n".join(lines) + "\n"
