"""Check every external address in the data and report the dead ones.

This goes on the internet, so it is a separate command, never part of `make test`. It checks each
reference's `url` and `archived_url` (data/references.yml) and any other http(s) address written in a
data YAML file: a HEAD request first, then GET when HEAD fails (some servers refuse HEAD), following
redirects, a few at a time. Results are kept in a JSON cache, so a rerun within --max-age-hours is fast.

Usage: python scripts/check_external_links.py [--timeout 10] [--cache .cache/links.json]
                                              [--max-age-hours 24] [--workers 4] [--report-only]

Each dead address is printed as `data/references.yml:LINE: <id>: <url> → <status or error>`, with the
reference's archived copy when it has one, then a summary. Exit status 1 when any address is dead (an
HTTP status of 400 or more, or a network error), 0 otherwise; --report-only always exits 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import socket
import ssl
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.store import load_handbook  # noqa: E402
from handbook.yamlio import KeyPath, YamlError, dotted, load_yaml, strings_in  # noqa: E402

USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/124.0.0.0 Safari/537.36")
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
}
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'`，。、；：）》」』】]+")
TRAILING = ".,;:!?)]}'\""
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Link:
    """One place in the data where an address is written."""

    url: str
    path: str  # relative to the project root, e.g. data/references.yml
    line: int
    label: str  # the reference id, or the entry id and key path
    archived_url: str | None = None  # the reference's archived copy, when this is its `url`


@dataclass
class Result:
    """What one address answered; `status` is the final HTTP status after redirects, None on a network error."""

    url: str
    status: int | None
    final_url: str | None
    error: str | None
    checked_at: str
    cached: bool = False

    @property
    def dead(self) -> bool:
        return self.error is not None or self.status is None or self.status >= 400

    @property
    def redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url

    def describe(self) -> str:
        if self.error is not None:
            return self.error if self.status is None else f"{self.status} {self.error}"
        try:
            return f"{self.status} {HTTPStatus(self.status).phrase}"
        except ValueError:
            return str(self.status)

    def to_cache(self) -> dict[str, Any]:
        return {"status": self.status, "checked_at": self.checked_at, "final_url": self.final_url, "error": self.error}


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


# --- checking them ---------------------------------------------------------------------------------

class _KeepMethodRedirect(urllib.request.HTTPRedirectHandler):
    """urllib turns a redirected HEAD into GET; keep it HEAD so no body is fetched."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [_KeepMethodRedirect()]
    if urlsplit(url).hostname in LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # never send a local address through a proxy
    return urllib.request.build_opener(*handlers)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _network_error(exc: BaseException, timeout: float) -> tuple[str, bool]:
    """A short message for a failed request, and whether it was a timeout."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return f"timed out after {timeout:g} s", True
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate error: {reason.verify_message or reason}", False
    if isinstance(reason, socket.gaierror):
        return f"host not found ({reason.strerror or reason})", False
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused", False
    if isinstance(reason, http.client.RemoteDisconnected):
        return "server closed the connection without answering", False
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror, False
    return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__, False


def _request(url: str, method: str, timeout: float) -> tuple[int | None, str | None, str | None, bool]:
    """(status, final url, error, timed out) for one request."""
    request = urllib.request.Request(url, headers=HEADERS, method=method)
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # enough to know the body starts; the rest is not needed
            return response.status, response.geturl(), None, False
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code < 400:  # a redirect urllib would not follow: a loop, or too many
            return exc.code, exc.geturl() or url, "redirect loop or too many redirects", False
        return exc.code, exc.geturl() or url, None, False
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        message, timed_out = _network_error(exc, timeout)
        return None, None, message, timed_out


def check_url(url: str, timeout: float = 10) -> Result:
    """HEAD, then GET when HEAD did not give a success (405, 403, a server that drops HEAD...).
    A HEAD that timed out is not repeated as GET: the server is too slow either way."""
    status, final_url, error, timed_out = _request(url, "HEAD", timeout)
    if not timed_out and (status is None or status >= 400):
        status, final_url, error, _ = _request(url, "GET", timeout)
    return Result(url, status, final_url, error, _now().isoformat())


def _fresh(entry: Any, now: dt.datetime, max_age_hours: float) -> bool:
    if not isinstance(entry, dict) or "checked_at" not in entry:
        return False
    try:
        checked = dt.datetime.fromisoformat(str(entry["checked_at"]))
    except ValueError:
        return False
    if checked.tzinfo is None:
        checked = checked.replace(tzinfo=dt.timezone.utc)
    return dt.timedelta(0) <= now - checked < dt.timedelta(hours=max_age_hours)


def check_urls(urls: Iterable[str], *, timeout: float = 10, workers: int = 4,
               cache: dict[str, Any] | None = None, max_age_hours: float = 24) -> dict[str, Result]:
    """Check each distinct address once, reusing results in `cache` younger than max_age_hours.
    `cache` (url → {status, checked_at, final_url, error}) is updated in place with the new results."""
    cache = {} if cache is None else cache
    now = _now()
    results: dict[str, Result] = {}
    todo: list[str] = []
    for url in dict.fromkeys(urls):
        entry = cache.get(url)
        if _fresh(entry, now, max_age_hours):
            results[url] = Result(url, entry.get("status"), entry.get("final_url"), entry.get("error"),
                                  entry["checked_at"], cached=True)
        else:
            todo.append(url)
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
            for result in pool.map(lambda u: check_url(u, timeout), todo):
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
    lines.append(f"{len(distinct)} addresses checked ({len(links)} places in the data, {cached} from the cache): "
                 f"{ok} ok ({redirected} after a redirect), {dead} dead")
    if distinct and all(r.status is None for r in distinct.values()):
        lines.append("no address answered at all: check this machine's internet connection or proxy, "
                     "then run again with --max-age-hours 0 so the cached failures are checked again")
    return lines, dead


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request (default 10)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="JSON cache of results (default .cache/links.json in the project)")
    parser.add_argument("--max-age-hours", type=float, default=24,
                        help="reuse cached results younger than this (default 24; 0 checks everything again)")
    parser.add_argument("--workers", type=int, default=4, help="requests at a time (default 4)")
    parser.add_argument("--report-only", action="store_true", help="always exit 0")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # for the tests
    args = parser.parse_args(argv)

    root = args.root.resolve()
    cache_path = args.cache or (root / ".cache" / "links.json")
    links = collect_links(root)
    cache = load_cache(cache_path)
    results = check_urls([link.url for link in links], timeout=args.timeout, workers=args.workers,
                         cache=cache, max_age_hours=args.max_age_hours)
    save_cache(cache_path, cache)
    lines, dead = report(links, results)
    for line in lines:
        print(line)
    return 0 if args.report_only or dead == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
