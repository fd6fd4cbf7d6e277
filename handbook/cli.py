"""Command line: `check` validates every data file and prints each problem once; `new` writes a draft entry;
`schema` writes the JSON Schemas editors use. Each command only parses its arguments and calls the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from . import scaffold, schema
from .kinds import REVIEWED
from .load import load_handbook
from .problems import Problem, shown
from .review import stale_reviews

ROOT = Path(__file__).resolve().parent.parent


def github_annotation(problem: Problem) -> str:
    """A problem as a GitHub Actions workflow command, shown on the pull request's line."""

    def escape(text: str, extra: str = "") -> str:
        for char, code in [("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), *[(c, f"%{ord(c):02X}") for c in extra]]:
            text = text.replace(char, code)
        return text

    # shown(): control characters from data are written as escapes, never passed to the runner's log raw.
    where = f"file={shown(escape(problem.path, ':,'))},line={problem.line},col={problem.col}"
    message = f"{problem.key}: {problem.message}" if problem.key else problem.message
    return f"::{problem.severity} {where}::{shown(escape(message))}"


def cmd_check(args: argparse.Namespace) -> int:
    """Validate all data in one run; exit 1 if anything is wrong.

    Example: python -m handbook check
    In CI: python -m handbook check --format github   (each problem as an annotation on its line)
    """
    book, problems = load_handbook(Path(args.root))
    found = scaffold.placeholders(book)
    problems = scaffold.without_superseded(problems, found) + found
    problems += stale_reviews(book, args.max_age_days)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        if args.format == "github":
            print(github_annotation(problem))
        else:
            print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    summary = (
        f"{len(book.programmes)} programmes, {len(book.terms)} terms, {len(book.sources)} sources, "
        f"{sum(len(p) for p in book.paragraphs.values())} paragraphs, "
        f"{sum(len(p.quotes) for p in book.programmes.values())} quotations checked"
    )
    if errors:
        print(f"check failed: {len(errors)} error(s) ({summary})", file=sys.stderr)
        return 1
    print(f"check passed: {summary}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a draft entry with every field, commented in both languages; `check` then lists what is left to write.

    Example: python -m handbook new programme workers-lecture-hall --by my-handle
    A target goes into a list file (data/targets/FILE.yml):
      python -m handbook new target xinxiang-2015-new-books --file xinxiang-2015-work-points
    """
    root = Path(args.root)
    try:
        written = scaffold.new_entry(root, args.kind, args.id, by=args.by, file=args.file)
    except scaffold.ScaffoldError as exc:
        print(f"new {args.kind}: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path.relative_to(root) if path.is_relative_to(root) else path)
    print("fill in every placeholder; `python -m handbook check` lists each one with its line", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write schemas/*.schema.json from the models, for editors; --check only reports schemas that are out of date.

    Example: python -m handbook schema
    """
    root = Path(args.root)
    if args.check:
        stale = schema.stale(root)
        for name in stale:
            print(
                f"{schema.schema_path(root, name).relative_to(root)} is out of date: run python -m handbook schema",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for path in schema.write_all(root):
        print(path.relative_to(root))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Record that an entry was checked against its sources today (and, with --english, that its English was
    checked against the current Chinese, which clears the "out of date" notice).

    Example: python -m handbook review programme ankang-cup --by my-handle --english
    """
    from .load import DataInvalid
    from .review import ReviewError, record_review

    try:
        path = record_review(Path(args.root), args.kind, args.id, args.by, args.english)
    except (ReviewError, DataInvalid) as exc:
        print(f"review not recorded: {exc}", file=sys.stderr)
        return 1
    print(f"recorded the review in {path.relative_to(Path(args.root).resolve())}")
    return 0


def cmd_seed_spans(args: argparse.Namespace) -> int:
    """Map each paragraph of data/sources/ID.txt to its place in the seed (seed_spans), listing the seed text left
    out inside the document (seed_omitted); prints the map, or writes it into data/sources/ID.yml with --write.

    Example: python -m handbook seed-spans xinxiang-2015-work-points --write
    An omission new to the map gets placeholder reasons, which `check` reports until you write them.
    """
    from .seeds import write_seed_map

    try:
        written, seed_map, blocks = write_seed_map(Path(args.root), args.id, args.from_line, args.write)
    except (OSError, ValueError) as exc:
        print(f"seed-spans: {exc}", file=sys.stderr)
        return 1
    print(f"wrote the seed map into {written}" if args.write else "\n".join(sum(blocks.values(), [])))
    if seed_map.omitted:
        listed = ", ".join(f"{span} ({excerpt})" for span, excerpt in seed_map.omitted)
        print(
            f"seed text left out inside the document: {listed}. Give each a reason in seed_omitted (if the "
            "document starts further on in its seed, run again with --from-line LINE)",
            file=sys.stderr,
        )
    return 0


def cmd_edition(args: argparse.Namespace) -> int:
    """Start a new edition: record what every entry says now (data/editions/ID.jsonl keeps what changed since the
    last edition) and list the edition in data/editions.yml with today's date and a one-line summary.

    Example: python -m handbook edition new --zh "新增金秋助学办事指南。" --en "Added the Jinqiu student aid guide."
    The id is the year and month (2026.12; 2026.12.2 for a second edition that month) unless --id gives one.
    """
    import datetime as dt

    from .editions import EditionError, new_edition
    from .load import DataInvalid
    from .store import load_valid_handbook

    root = Path(args.root)
    day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    try:
        book = load_valid_handbook(root)
        edition_id = new_edition(root, book, args.zh, args.en, day, args.id)
    except DataInvalid as exc:
        print(f"edition not started: the data check fails:\n{exc}", file=sys.stderr)
        return 1
    except EditionError as exc:
        print(f"edition not started: {exc}", file=sys.stderr)
        return 1
    print(f"edition {edition_id} ({day.isoformat()}): data/editions/{edition_id}.jsonl, listed in data/editions.yml")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """Write a Markdown report of what a change does to the handbook, for the reviewer of a pull request: entries
    added, changed and removed; the pages that change; quotations and citations added or removed and whether each
    still checks; problems the data check finds that it did not before, with file:line.

    Example: python -m handbook changes origin/main HEAD >> "$GITHUB_STEP_SUMMARY"
    BASE and HEAD are git revisions of this repository or project folders.
    """
    from .changes import ChangesError, changes_report

    try:
        report = changes_report(Path(args.root), args.base, args.head)
    except ChangesError as exc:
        print(f"changes: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(report)
    return 0


def _summary(command: Callable) -> str:
    """A command's help line: the first line of its docstring."""
    return (command.__doc__ or "").splitlines()[0]


def command(commands, name: str, run: Callable) -> argparse.ArgumentParser:
    """A subcommand whose help is its function's docstring: the first line in the list, all of it in its --help."""
    parser = commands.add_parser(
        name, help=_summary(run), description=run.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The command line: `python -m handbook COMMAND …` (README.md lists every command; tests/test_docs.py)."""
    parser = argparse.ArgumentParser(prog="python -m handbook", description="Union Programmes Handbook data tools")
    parser.add_argument("--root", default=str(ROOT), help="project folder (default: this checkout)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = command(commands, "check", cmd_check)
    check.add_argument(
        "--max-age-days",
        type=int,
        default=365,
        help="warn about entries last reviewed longer ago than this (default 365)",
    )
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="text: path:line:col: key: message (default); github: GitHub Actions annotations",
    )
    new = command(commands, "new", cmd_new)
    new.add_argument("kind", choices=list(scaffold.KINDS), help="what to add")
    new.add_argument("id", help="the new entry's id: lower-case letters, digits and hyphens (also its file name)")
    new.add_argument("--file", help="targets only: the list file, data/targets/FILE.yml (created if missing)")
    new.add_argument("--by", default="maintainer", help="handle for reviewed.by (default: maintainer)")
    schemas = command(commands, "schema", cmd_schema)
    schemas.add_argument("--check", action="store_true", help="write nothing; exit 1 if a schema file is out of date")
    review = command(commands, "review", cmd_review)
    review.add_argument("kind", choices=[kind.name for kind in REVIEWED])
    review.add_argument("id")
    review.add_argument("--by", required=True, help="your handle or role (not your name)")
    review.add_argument("--english", action="store_true", help="the English was checked against the current Chinese")
    spans = command(commands, "seed-spans", cmd_seed_spans)
    spans.add_argument("id", help="the source's id (data/sources/ID.yml and ID.txt)")
    spans.add_argument(
        "--from-line",
        type=int,
        help="seed line where the document starts (default: where its map "
        "starts, else line 1), for a seed holding several documents",
    )
    spans.add_argument("--write", action="store_true", help="write the map into data/sources/ID.yml")
    edition = command(commands, "edition", cmd_edition)
    edition.add_argument("action", choices=["new"])
    edition.add_argument("--zh", required=True, help="the edition's one-line summary in Chinese")
    edition.add_argument("--en", required=True, help="the same in English")
    edition.add_argument("--id", help="the edition's id (default: YYYY.MM of its date, then YYYY.MM.2 …)")
    edition.add_argument("--date", help="the edition's date, YYYY-MM-DD (default: today)")
    changes = command(commands, "changes", cmd_changes)
    changes.add_argument("base", help="the revision or folder before the change (e.g. origin/main)")
    changes.add_argument("head", help="the revision or folder after it (e.g. HEAD)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
