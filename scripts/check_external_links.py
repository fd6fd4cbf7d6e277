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
MAX_REDIRECTS redirects are followed. No proxy is used: a proxy would choose the address itself.

Usage: python -m scripts.check_external_links [--timeout 10] [--cache .cache/links.json]
                                              [--max-age-hours 24] [--workers 4] [--report-only]
                                              [--allow-host HOST:PORT (tests only)]

Each dead address is printed as `data/references.yml:LINE: <id>: <url> → <status or error>`, with the
reference's archived copy when it has one, then a summary. Exit status 1 when any address is dead (an
HTTP status of 400 or more, a network error or a refused address), 0 otherwise; --report-only always exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import string
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from handbook.store import load_handbook
from handbook.yamlio import KeyPath, YamlError, dotted, load_yaml, strings_in

ROOT = Path(__file__).resolve().parent.parent

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
}
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
            return f"{self.status} {HTTPStatus(self.status or 0).phrase}"
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

MAX_REDIRECTS = 10
REDIRECT_CODES = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# The last label of an old-style IPv4 spelling that inet_aton (and so many clients) accept: 2130706433, 0x7f.1,
# 0177.0.0.1, 127.1.
_NUMBER_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
_getaddrinfo = socket.getaddrinfo  # the tests replace this, so no name is ever looked up on the network


class Refused(Exception):
    """An address the checker will not connect to; the message says why."""


class _TimedOut(Exception):
    """The URL's overall deadline passed."""


class _Deadline:
    """One URL's whole check (every request, redirect and read) must end within `seconds`."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise _TimedOut
        return remaining


def _why_not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not a public one (`a loopback address`...), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        for form, embedded in (
            ("IPv4-mapped", ip.ipv4_mapped),
            ("6to4", ip.sixtofour),
            ("NAT64", ipaddress.IPv4Address(ip.packed[12:]) if ip in _NAT64 else None),
        ):
            if embedded is not None:
                why = _why_not_public(embedded)
                if why or form == "IPv4-mapped":  # a mapped address is exactly its IPv4 address
                    return f"the {form} form of {embedded}, {why}" if why else None
    for test, why in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_unspecified", "an unspecified address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    ):
        if getattr(ip, test):
            return why
    return None if ip.is_global else "not a public address"


def _literal_address(host: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address | None, bool]:
    """The address a host written as an IP address means, in any spelling a client accepts, and whether it
    was an old-style spelling; (None, False) for a name. As in browsers, a host whose last label is a number
    is an IPv4 address or nothing, never a name to look up."""
    try:
        return ipaddress.ip_address(host), False
    except ValueError:
        pass
    if _NUMBER_LABEL.fullmatch(host.rpartition(".")[2]):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host)), True  # C library parsing: no network involved
        except OSError:
            raise Refused(f"{host} is not a valid IP address") from None
    return None, False


def _resolve(host: str, port: int, deadline: _Deadline) -> list[str]:
    """The addresses a name resolves to; a resolver that does not answer in time counts as a timeout."""
    answer: dict[str, Any] = {}

    def look_up() -> None:
        try:
            answer["infos"] = _getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as exc:  # noqa: BLE001 - handed to the checking thread, which decides
            answer["error"] = exc

    thread = threading.Thread(target=look_up, daemon=True)
    thread.start()
    thread.join(deadline.left())
    if thread.is_alive():
        raise _TimedOut
    if "error" in answer:
        error = answer["error"]
        raise socket.gaierror(f"not a valid host name: {error}") if isinstance(error, UnicodeError) else error
    return list(dict.fromkeys(info[4][0] for info in answer["infos"]))


def _host_key(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def normalise_allowed(value: str) -> str:
    """`--allow-host` as the checker compares it: lower case, exact host and port."""
    parts = urlsplit("//" + value.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.username or parts.path:
        raise ValueError(f"{value!r} is not HOST:PORT (e.g. 127.0.0.1:8000)")
    return _host_key(parts.hostname, port)


@dataclass(frozen=True)
class _Target:
    """Where one request goes: the URL's parts, and the checked addresses to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def _target(url: str, deadline: _Deadline, allowed: frozenset[str]) -> _Target:
    """Check an address before anything is sent: http(s) only, and every address the host stands for must be
    public unless the exact host:port is allowed. Raises Refused with the reason."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise Refused(f"{url} is not a valid address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(f"the {scheme + ':' if scheme else 'missing'} scheme is not http or https")
    if not host:
        raise Refused("the address has no host")
    port = port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if _host_key(host, port) in allowed:
        literal, _ = _literal_address(host)
        addresses = [str(literal)] if literal else _resolve(host, port, deadline)
        return _Target(scheme, host, port, path, tuple(addresses))
    name = host.removesuffix(".")
    if name == "localhost" or name.endswith(".localhost"):
        raise Refused(f"{host} is a loopback host name")
    literal, old_style = _literal_address(name)
    if literal is not None:
        why = _why_not_public(literal)
        if why:
            spelled = f"{literal}, " if old_style else ""
            raise Refused(f"{host} is {spelled}{why}")
        return _Target(scheme, host, port, path, (str(literal),))
    addresses = _resolve(host, port, deadline)
    for address in addresses:
        why = _why_not_public(ipaddress.ip_address(address))
        if why:
            raise Refused(f"{host} resolves to {address}, {why}")
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    return _Target(scheme, host, port, path, tuple(addresses))


def _open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """Connect to an address the checker has checked (never to a name, which could resolve elsewhere)."""
    return socket.create_connection((address, port), timeout=timeout)


class _Watchdog:
    """Shuts the connection's socket when the deadline passes, so a server that drips a byte at a time (which
    a socket timeout, applied per read, never catches) cannot hold a request past it."""

    def __init__(self, seconds: float):
        self.fired = False
        self._lock = threading.Lock()
        self._handle: socket.socket | None = None  # a duplicate: TLS takes the original over
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._handle = sock.dup()
            if self.fired:
                self._handle.shutdown(socket.SHUT_RDWR)
        return sock

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            if self._handle is not None:
                with contextlib.suppress(OSError):
                    self._handle.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            if self._handle is not None:
                self._handle.close()


def _connect_any(target: _Target, timeout: float, watchdog: _Watchdog) -> socket.socket:
    error: OSError | None = None
    for address in target.addresses:
        try:
            return watchdog.watch(_open_socket(address, target.port, timeout))
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


def _exchange(target: _Target, method: str, deadline: _Deadline) -> tuple[int, str | None]:
    """One request: (status, Location header)."""
    left = deadline.left()
    watchdog = _Watchdog(left)
    if target.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.host, target.port, timeout=left, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=left)
    # http.client would connect to the host name; connect to the checked addresses instead (Host stays the name).
    connection._create_connection = (  # type: ignore[attr-defined]
        lambda *_args, **_kwargs: _connect_any(target, left, watchdog)
    )
    try:
        connection.request(method, target.path, headers=HEADERS)
        response = connection.getresponse()
        if method == "GET" and response.status not in REDIRECT_CODES:
            response.read(1024)  # enough to know the body starts; the rest is not needed
    except Exception:
        if watchdog.fired:
            raise _TimedOut from None
        raise
    else:
        if watchdog.fired:  # a socket shut mid-answer reads as a short, normal end: it is not an answer
            raise _TimedOut
        return response.status, response.getheader("Location")
    finally:
        watchdog.stop()
        connection.close()


def _network_error(exc: BaseException) -> str:
    """A short message for a failed request."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate error: {exc.verify_message or exc}"
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "server closed the connection without answering"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


@dataclass(frozen=True)
class _Answer:
    status: int | None
    final_url: str | None
    error: str | None
    try_get: bool  # worth asking again with GET (HEAD refused, or the connection failed)
    timed_out: bool = False


def _request(url: str, method: str, deadline: _Deadline, allowed: frozenset[str]) -> _Answer:
    """One method, following at most MAX_REDIRECTS redirects, each to a checked address."""
    visited = [url]
    current, status = url, None
    try:
        for hop in range(MAX_REDIRECTS + 1):
            try:
                target = _target(current, deadline, allowed)
            except Refused as exc:
                if hop == 0:
                    return _Answer(None, None, f"refused: {exc}", False)
                return _Answer(None, visited[-2], f"{current}: redirect refused: {exc}", False)
            status, location = _exchange(target, method, deadline)
            if status not in REDIRECT_CODES:
                return _Answer(status, current, None, status >= 400)
            if not location:
                return _Answer(status, current, "redirect without a Location header", False)
            following = urljoin(current, quote(location.strip(), safe=string.punctuation))
            if following in visited:
                return _Answer(status, current, "redirect loop", False)
            visited.append(following)
            current = following
        return _Answer(status, visited[-2], f"too many redirects (more than {MAX_REDIRECTS})", False)
    except _TimedOut:
        return _Answer(None, None, f"timed out after {deadline.seconds:g} s", False, timed_out=True)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if isinstance(exc, (TimeoutError, socket.timeout)) or deadline.end <= time.monotonic():
            return _Answer(None, None, f"timed out after {deadline.seconds:g} s", False, timed_out=True)
        return _Answer(None, None, _network_error(exc), True)


def check_url(url: str, timeout: float = 10, allowed: Iterable[str] = ()) -> Result:
    """HEAD, then GET when HEAD did not give a success (405, 403, a server that drops HEAD...), all within
    `timeout` seconds in total. `allowed` lists exact host:port pairs reachable although not public (tests)."""
    allowed = frozenset(allowed)
    deadline = _Deadline(timeout)
    answer = _request(url, "HEAD", deadline, allowed)
    if answer.try_get:
        answer = _request(url, "GET", deadline, allowed)
    return Result(url, answer.status, answer.final_url, answer.error, _now().isoformat())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


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
    now = _now()
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
