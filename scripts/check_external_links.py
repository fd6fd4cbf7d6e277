"""Check every external address in the data and report the dead ones.

This goes on the internet, so it is a separate command, never part of `make test`. It checks each
reference's `url` and `archived_url` (data/references.yml) and any other http(s) address written in a
data YAML file: a HEAD request first, then GET when HEAD fails (some servers refuse HEAD), following
redirects, a few at a time. Results are kept in a JSON cache, so a rerun within --max-age-hours is fast.

Each address gets --timeout seconds in total (HEAD, GET, every redirect and every byte read), so a server
that answers a byte at a time cannot hold the check. Only http(s) addresses on public IP addresses are
contacted, for the address itself and for every redirect: a host name is resolved and each of its addresses
checked (and the connection goes to the address checked), so a redirect to 169.254.169.254, 127.0.0.1,
10.0.0.0/8 and the like, or to file: or ftp:, is refused and reported with the reason. At most
MAX_REDIRECTS redirects are followed. No proxy is used: a proxy would choose the address itself. The rules for
addresses are in link_addresses.py, the requests in link_requests.py; this finds the addresses, caches and reports.

Usage: python -m scripts.check_external_links [--timeout 10] [--cache .cache/links.json]
                                              [--max-age-hours 24] [--workers 4] [--report-only]
                                              [--allow-host HOST:PORT (tests only)]

Each dead address is printed as `data/references.yml:LINE: <id>: <url> → <status or error>`, with the
reference's archived copy when it has one, then a summary. Exit status 1 when any address is dead (an
HTTP status of 400 or more, a network error or a refused address), 0 otherwise; --report-only always exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.problems import KeyPath, YamlError, dotted
from handbook.store import load_handbook
from handbook.yamlio import load_yaml, strings_in
from scripts.link_addresses import normalise_allowed
from scripts.link_requests import Result, check_url, now_utc

ROOT = Path(__file__).resolve().parent.parent

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'`，。、；：）》」』】]+")
TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Link:
    """One place in the data where an address is written."""

    url: str
    path: str  # relative to the project root, e.g. data/references.yml
    line: int
    label: str  # the reference id, or the entry id and key path
    archived_url: str | None = None  # the reference's archived copy, when this is its `url`


# --- finding the addresses -------------------------------------------------------------------------


def _line_of(lines: list[str], url: str, start: int) -> int:
    """The first line at or after `start` (1-based) that holds the address, else `start`."""
    for number in range(max(start, 1), len(lines) + 1):
        if url in lines[number - 1]:
            return number
    return start


def _urls_in(text: str) -> list[str]:
    return [m.group(0).rstrip(TRAILING) for m in URL_IN_TEXT.finditer(text)]


def _label(data: Any, key: KeyPath) -> str:
    """The id of the entry a key path lies in, with the rest of the path: `ankang-cup (background.0.en)`."""
    entry, rest = data, key
    if isinstance(data, dict) and "id" not in data and len(key) >= 2 and isinstance(data.get(key[0]), list):
        items = data[key[0]]  # a list file: references, categories, targets
        if isinstance(key[1], int) and key[1] < len(items):
            entry, rest = items[key[1]], key[2:]
    name = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(name, str):
        return dotted(key)
    return f"{name} ({dotted(rest)})" if rest else name


def collect_links(root: Path) -> list[Link]:
    """Every external address in root/data: references through the handbook data layer, then any other
    http(s) address in a data YAML file. Sorted by file and line."""
    root = root.resolve()
    book, _problems = load_handbook(root)  # invalid entries are still found by the scan below
    links: list[Link] = []
    covered: set[tuple[str, KeyPath]] = set()
    texts: dict[str, list[str]] = {}

    def lines_of(rel: str) -> list[str]:
        if rel not in texts:
            texts[rel] = (root / rel).read_text(encoding="utf-8", errors="replace").split("\n")
        return texts[rel]

    for ref_id, ref in book.references.items():
        doc = book.documents.get(("references", ref_id))
        if doc is None:
            continue
        prefix: KeyPath = getattr(doc, "prefix", ())
        for field, archived in (("url", ref.archived_url), ("archived_url", None)):
            url = getattr(ref, field)
            if not url:
                continue
            start, _col = doc.where(prefix + (field,))
            label = ref_id if field == "url" else f"{ref_id} (archived_url)"
            links.append(Link(url, doc.path, _line_of(lines_of(doc.path), url, start), label, archived))
            covered.add((doc.path, prefix + (field,)))

    data = root / "data"
    for path in sorted(data.rglob("*.yml")):
        rel = path.relative_to(root).as_posix()
        try:
            doc = load_yaml(path, rel)
        except YamlError:
            continue  # `make check` reports it
        for key, text in strings_in(doc.data):
            if (rel, key) in covered:
                continue
            start, _col = doc.where(key)
            for url in _urls_in(text):
                links.append(Link(url, rel, _line_of(lines_of(rel), url, start), _label(doc.data, key)))
    links.sort(key=lambda link: (link.path, link.line, link.label))
    return links


# --- checking them, with a cache ------------------------------------------------------------------


def _fresh(entry: Any, now: dt.datetime, max_age_hours: float) -> bool:
    if not isinstance(entry, dict) or "checked_at" not in entry:
        return False
    try:
        checked = dt.datetime.fromisoformat(str(entry["checked_at"]))
    except ValueError:
        return False
    if checked.tzinfo is None:
        checked = checked.replace(tzinfo=dt.UTC)
    return dt.timedelta(0) <= now - checked < dt.timedelta(hours=max_age_hours)


def check_urls(
    urls: Iterable[str],
    *,
    timeout: float = 10,
    workers: int = 4,
    cache: dict[str, Any] | None = None,
    max_age_hours: float = 24,
    allowed: Iterable[str] = (),
) -> dict[str, Result]:
    """Check each distinct address once, reusing results in `cache` younger than max_age_hours.
    `cache` (url → {status, checked_at, final_url, error}) is updated in place with the new results."""
    allowed = frozenset(allowed)
    cache = {} if cache is None else cache
    now = now_utc()
    results: dict[str, Result] = {}
    todo: list[str] = []
    for url in dict.fromkeys(urls):
        entry = cache.get(url)
        if entry is not None and _fresh(entry, now, max_age_hours):
            results[url] = Result(
                url, entry.get("status"), entry.get("final_url"), entry.get("error"), entry["checked_at"], cached=True
            )
        else:
            todo.append(url)
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            for result in pool.map(lambda u: check_url(u, timeout, allowed), todo):
                results[result.url] = result
                cache[result.url] = result.to_cache()
    return results


def load_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_cache(path: Path, cache: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + f".{os.getpid()}.tmp")
    scratch.write_text(json.dumps(dict(sorted(cache.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(scratch, path)


# --- reporting -------------------------------------------------------------------------------------


def problem_line(link: Link, result: Result) -> str:
    line = f"{link.path}:{link.line}: {link.label}: {link.url} → {result.describe()}"
    if link.archived_url:
        line += f" (archived copy: {link.archived_url})"
    return line


def report(links: list[Link], results: dict[str, Result]) -> tuple[list[str], int]:
    """The lines to print (problems, then a summary) and the number of dead addresses."""
    lines = [problem_line(link, results[link.url]) for link in links if results[link.url].dead]
    distinct = {link.url: results[link.url] for link in links}
    dead = sum(r.dead for r in distinct.values())
    redirected = sum(r.redirected and not r.dead for r in distinct.values())
    cached = sum(r.cached for r in distinct.values())
    ok = len(distinct) - dead
    lines.append(
        f"{len(distinct)} addresses checked ({len(links)} places in the data, {cached} from the cache): "
        f"{ok} ok ({redirected} after a redirect), {dead} dead"
    )
    if distinct and all(r.status is None for r in distinct.values()):
        lines.append(
            "no address answered at all: check this machine's internet connection (the checker connects "
            "directly, never through a proxy), then run again with --max-age-hours 0 so the cached "
            "failures are checked again"
        )
    return lines, dead


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def _allowed_host(text: str) -> str:
    try:
        return normalise_allowed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=10,
        help="seconds for each address in total, redirects and retries included (default 10)",
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="JSON cache of results (default .cache/links.json in the project)"
    )
    parser.add_argument(
        "--max-age-hours",
        type=float,
        default=24,
        help="reuse cached results younger than this (default 24; 0 checks everything again)",
    )
    parser.add_argument("--workers", type=int, default=4, help="requests at a time (default 4)")
    parser.add_argument("--report-only", action="store_true", help="always exit 0")
    parser.add_argument(
        "--allow-host",
        type=_allowed_host,
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="for tests only: let the checker reach this exact host and port although it is not a "
        "public address (e.g. a test server on 127.0.0.1:8000); may be repeated",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # for the tests
    args = parser.parse_args(argv)

    root = args.root.resolve()
    cache_path = args.cache or (root / ".cache" / "links.json")
    links = collect_links(root)
    cache = load_cache(cache_path)
    results = check_urls(
        [link.url for link in links],
        timeout=args.timeout,
        workers=args.workers,
        cache=cache,
        max_age_hours=args.max_age_hours,
        allowed=args.allow_host,
    )
    save_cache(cache_path, cache)
    lines, dead = report(links, results)
    for line in lines:
        print(line)
    return 0 if args.report_only or dead == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
