"""Command line: `python -m handbook check` validates every data file and prints each problem once."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import datetime as dt

from .store import Handbook, load_handbook
from .yamlio import Problem


def stale_reviews(book: Handbook, max_age_days: int, today: dt.date | None = None) -> list[Problem]:
    """A warning for each entry last reviewed more than max_age_days ago."""
    today = today or dt.date.today()
    warnings = []
    for kind in ("programmes", "terms", "laws", "sources"):
        for entry_id, entry in getattr(book, kind).items():
            age = (today - dt.date.fromisoformat(entry.reviewed.date)).days
            if age > max_age_days:
                warnings.append(book.documents[(kind, entry_id)].problem(
                    ("reviewed",), f"last reviewed {entry.reviewed.date} by {entry.reviewed.by}, {age} days ago "
                                   f"(more than {max_age_days}): check it against its sources and update the date", "warning"))
    return warnings

ROOT = Path(__file__).resolve().parent.parent


def cmd_check(args: argparse.Namespace) -> int:
    """Validate all data in one run; exit 1 if anything is wrong.

    Example: python -m handbook check
    """
    book, problems = load_handbook(Path(args.root))
    problems += stale_reviews(book, args.max_age_days)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    summary = (f"{len(book.programmes)} programmes, {len(book.terms)} terms, {len(book.sources)} sources, "
               f"{sum(len(p) for p in book.paragraphs.values())} paragraphs, "
               f"{sum(len(p.quotes) for p in book.programmes.values())} quotations checked")
    if errors:
        print(f"check failed: {len(errors)} error(s) ({summary})", file=sys.stderr)
        return 1
    print(f"check passed: {summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description="Union Programmes Handbook data tools")
    parser.add_argument("--root", default=str(ROOT), help="project folder (default: this checkout)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help=cmd_check.__doc__.splitlines()[0], description=cmd_check.__doc__)
    check.add_argument("--max-age-days", type=int, default=365,
                       help="warn about entries last reviewed longer ago than this (default 365)")
    check.set_defaults(run=cmd_check)
    args = parser.parse_args(argv)
    return args.run(args)
