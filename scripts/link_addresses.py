"""Which addresses the link checker may connect to: http(s) on public IP addresses only, checked before anything
is sent, for the address itself and for every redirect. A host name is resolved and every address it stands for
is checked; the connection then goes to a checked address, never to the name (which could resolve elsewhere).
Loopback, private, link-local and the like are refused with the reason, in any spelling a client accepts (an
IPv4-mapped IPv6 address, 2130706433, 0x7f.1), as are `localhost` and schemes other than http(s).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# The last label of an old-style IPv4 spelling that inet_aton (and so many clients) accept: 2130706433, 0x7f.1,
# 0177.0.0.1, 127.1.
_NUMBER_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
_getaddrinfo = socket.getaddrinfo  # the tests replace this, so no name is ever looked up on the network


class Refused(Exception):
    """An address the checker will not connect to; the message says why."""


class TimedOut(Exception):
    """The URL's overall deadline passed."""


class Deadline:
    """One URL's whole check (every request, redirect and read) must end within `seconds`."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TimedOut
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


def _resolve(host: str, port: int, deadline: Deadline) -> list[str]:
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
        raise TimedOut
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
class Target:
    """Where one request goes: the URL's parts, and the checked addresses to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def checked_target(url: str, deadline: Deadline, allowed: frozenset[str]) -> Target:
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
        return Target(scheme, host, port, path, tuple(addresses))
    name = host.removesuffix(".")
    if name == "localhost" or name.endswith(".localhost"):
        raise Refused(f"{host} is a loopback host name")
    literal, old_style = _literal_address(name)
    if literal is not None:
        why = _why_not_public(literal)
        if why:
            spelled = f"{literal}, " if old_style else ""
            raise Refused(f"{host} is {spelled}{why}")
        return Target(scheme, host, port, path, (str(literal),))
    addresses = _resolve(host, port, deadline)
    for address in addresses:
        why = _why_not_public(ipaddress.ip_address(address))
        if why:
            raise Refused(f"{host} resolves to {address}, {why}")
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    return Target(scheme, host, port, path, tuple(addresses))
