"""The link checker's requests: HEAD, then GET when HEAD fails, following redirects (each to an address
link_addresses.py has checked), all within one deadline per address; a watchdog cuts a server that answers a byte
at a time. No proxy is used: a proxy would choose the address itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import socket
import ssl
import string
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urljoin

from scripts.link_addresses import Deadline, Refused, Target, TimedOut, checked_target

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
}
MAX_REDIRECTS = 10
REDIRECT_CODES = {301, 302, 303, 307, 308}


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


def _connect_any(target: Target, timeout: float, watchdog: _Watchdog) -> socket.socket:
    error: OSError | None = None
    for address in target.addresses:
        try:
            return watchdog.watch(_open_socket(address, target.port, timeout))
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


def _exchange(target: Target, method: str, deadline: Deadline) -> tuple[int, str | None]:
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
    connection._create_connection = (  # type: ignore[attr-defined]  # private to http.client: not in its stubs
        lambda *_args, **_kwargs: _connect_any(target, left, watchdog)
    )
    try:
        connection.request(method, target.path, headers=HEADERS)
        response = connection.getresponse()
        if method == "GET" and response.status not in REDIRECT_CODES:
            response.read(1024)  # enough to know the body starts; the rest is not needed
    except Exception:
        if watchdog.fired:
            raise TimedOut from None
        raise
    else:
        if watchdog.fired:  # a socket shut mid-answer reads as a short, normal end: it is not an answer
            raise TimedOut
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


def _request(url: str, method: str, deadline: Deadline, allowed: frozenset[str]) -> _Answer:
    """One method, following at most MAX_REDIRECTS redirects, each to a checked address."""
    visited = [url]
    current, status = url, None
    try:
        for hop in range(MAX_REDIRECTS + 1):
            try:
                target = checked_target(current, deadline, allowed)
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
    except TimedOut:
        return _Answer(None, None, f"timed out after {deadline.seconds:g} s", False, timed_out=True)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if isinstance(exc, (TimeoutError, socket.timeout)) or deadline.end <= time.monotonic():
            return _Answer(None, None, f"timed out after {deadline.seconds:g} s", False, timed_out=True)
        return _Answer(None, None, _network_error(exc), True)


def check_url(url: str, timeout: float = 10, allowed: Iterable[str] = ()) -> Result:
    """HEAD, then GET when HEAD did not give a success (405, 403, a server that drops HEAD...), all within
    `timeout` seconds in total. `allowed` lists exact host:port pairs reachable although not public (tests)."""
    allowed = frozenset(allowed)
    deadline = Deadline(timeout)
    answer = _request(url, "HEAD", deadline, allowed)
    if answer.try_get:
        answer = _request(url, "GET", deadline, allowed)
    return Result(url, answer.status, answer.final_url, answer.error, now_utc().isoformat())


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
