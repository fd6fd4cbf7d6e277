"""scripts/check_external_links.py against a tiny server on 127.0.0.1: nothing here touches the internet.

Every test runs behind `no_way_out`: a connection to anything but a test server's own 127.0.0.1 port, or a
name lookup the test did not fake, fails the test, so a refusal is proved to happen before connecting."""

from __future__ import annotations

import http.server
import json
import re
import socket
import ssl
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from scripts import check_external_links as cel
from scripts import link_addresses, link_requests

SLOW_SECONDS = 2.5  # the slow endpoint answers after this; the tests time out after 1 s
DRIP_SECONDS = 0.2  # the dripping endpoints send one byte this often: a per-read timeout never fires
DRIP_BYTES = 150  # so a drip that is never cut off ends by itself after 30 s


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: Counter  # (method, path) -> count, set on the subclass per server
    lock: threading.Lock

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow endpoint)

    def _drip(self, data: bytes) -> None:
        """Send `data` a byte at a time; note in `requests` whether the client hung up before the end."""
        try:
            for byte in data[:DRIP_BYTES]:
                if self.stop.wait(DRIP_SECONDS):
                    return
                self.wfile.write(bytes([byte]))
            self.stop.wait(DRIP_BYTES * DRIP_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            with self.lock:
                self.requests[("hung up", self.path)] += 1

    def _route(self) -> None:
        with self.lock:
            self.requests[(self.command, self.path)] += 1
            self.requests[("agent", self.headers.get("User-Agent", ""))] += 1
            self.requests[("host", self.headers.get("Host", ""))] += 1
        path = self.path
        if path.startswith("/to?"):  # a redirect to whatever follows the question mark
            self._answer(302, headers={"Location": unquote(path[4:])})
        elif path.startswith("/chain/"):  # /chain/1 → /chain/2 → … without end
            self._answer(302, headers={"Location": f"/chain/{int(path[7:]) + 1}"})
        elif path == "/drip-headers":  # the status line and headers, a byte at a time
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._drip(b"X-Slow: " + b"a" * DRIP_BYTES + b"\r\n\r\n")
        elif path == "/drip-body" and self.command == "GET":  # headers at once, then the body a byte at a time
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            self._drip(b"<p>" + b"x" * DRIP_BYTES)
        elif path == "/stall" and self.command == "GET":  # headers, then nothing until the client gives up
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            self._drip(b"")
        elif path in ("/drip-body", "/stall"):
            self._answer(405, b"GET only")
        elif path == "/ok":
            self._answer(200, b"<p>ok</p>")
        elif path == "/missing":
            self._answer(404, b"not here")
        elif path == "/broken":
            self._answer(500, b"broken")
        elif path == "/redirect":
            self._answer(301, headers={"Location": "/ok"})
        elif path == "/loop":
            self._answer(302, headers={"Location": "/loop"})
        elif path == "/head-405":
            self._answer(405 if self.command == "HEAD" else 200, b"GET only")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200, b"late")
        else:
            self._answer(404)

    do_GET = _route
    do_HEAD = _route


class LocalServer:
    def __init__(self) -> None:
        handler = type(
            "Handler", (_Handler,), {"requests": Counter(), "lock": threading.Lock(), "stop": threading.Event()}
        )
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.allowed = [f"127.0.0.1:{self.port}"]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def requests(self) -> Counter:
        return self.handler.requests

    def total(self) -> int:
        with self.handler.lock:
            return sum(n for (method, _), n in self.handler.requests.items() if method in ("GET", "HEAD"))


_LOCAL_PORTS: set[int] = set()  # the ports this run's test servers (and closed ports it made) are on


@pytest.fixture(autouse=True)
def no_way_out(monkeypatch):
    """Fail the test on a connection to anything but a test port on 127.0.0.1, or on a real name lookup."""
    attempts: list[tuple[str, int]] = []
    real_open = link_requests._open_socket

    def guarded_open(address: str, port: int, timeout: float) -> socket.socket:
        attempts.append((address, port))
        if address != "127.0.0.1" or port not in _LOCAL_PORTS:
            raise AssertionError(f"the checker tried to connect to {address} port {port}")
        return real_open(address, port, timeout)

    def no_lookup(host, *args, **kwargs):
        raise AssertionError(f"the checker looked up {host!r}")

    monkeypatch.setattr(link_requests, "_open_socket", guarded_open)
    monkeypatch.setattr(link_addresses, "_getaddrinfo", no_lookup)
    return attempts


@pytest.fixture
def local():
    server = LocalServer()
    _LOCAL_PORTS.add(server.port)
    server.thread.start()
    yield server
    server.handler.stop.set()
    server.httpd.shutdown()
    server.httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _LOCAL_PORTS.add(port)
    return port


def test_statuses(local):
    names = ["ok", "missing", "broken", "redirect", "head-405"]
    urls = [f"{local.base}/{n}" for n in names]
    results = cel.check_urls(urls, timeout=5, workers=3, allowed=local.allowed)
    got = {n: results[u] for n, u in zip(names, urls, strict=False)}

    assert got["ok"].status == 200 and not got["ok"].dead and not got["ok"].redirected
    assert got["missing"].status == 404 and got["missing"].dead
    assert got["broken"].status == 500 and got["broken"].dead
    assert got["redirect"].status == 200 and not got["redirect"].dead
    assert got["redirect"].final_url == f"{local.base}/ok" and got["redirect"].redirected
    assert got["head-405"].status == 200 and not got["head-405"].dead
    assert all(r.error is None for r in got.values())

    # HEAD first; GET only where HEAD failed; a redirected HEAD stays HEAD.
    assert local.requests[("HEAD", "/ok")] == 2 and local.requests[("GET", "/ok")] == 0
    assert local.requests[("HEAD", "/head-405")] == 1 and local.requests[("GET", "/head-405")] == 1
    assert local.requests[("GET", "/missing")] == 1 and local.requests[("GET", "/broken")] == 1
    agents = [agent for (kind, agent) in local.requests if kind == "agent"]
    assert agents == [link_requests.USER_AGENT] and "Mozilla/5.0" in link_requests.USER_AGENT


def test_timeout_and_network_errors(local):
    closed = _closed_port()
    slow, refused, loop = f"{local.base}/slow", f"http://127.0.0.1:{closed}/x", f"{local.base}/loop"
    started = time.monotonic()
    results = cel.check_urls(
        [slow, refused, loop], timeout=1, workers=3, allowed=local.allowed + [f"127.0.0.1:{closed}"]
    )
    elapsed = time.monotonic() - started

    assert results[slow].dead and results[slow].status is None
    assert results[slow].error == "timed out after 1 s"
    assert elapsed < SLOW_SECONDS, f"the timeout was not applied ({elapsed:.1f} s)"
    assert local.requests[("GET", "/slow")] == 0  # a timed-out HEAD is not tried again as GET
    assert results[refused].dead and results[refused].error == "connection refused"
    assert results[loop].dead and results[loop].error == "redirect loop" and results[loop].status == 302


def test_cache_reuse(local, tmp_path):
    urls = [f"{local.base}/{n}" for n in ("ok", "missing", "redirect")]
    cache_file = tmp_path / "cache" / "links.json"

    cache = cel.load_cache(cache_file)
    assert cache == {}
    first = cel.check_urls(urls, timeout=5, cache=cache, allowed=local.allowed)
    cel.save_cache(cache_file, cache)
    made = local.total()
    assert made > 0 and not any(r.cached for r in first.values())

    stored = json.loads(cache_file.read_text(encoding="utf-8"))
    assert set(stored) == set(urls)
    assert stored[urls[1]]["status"] == 404 and stored[urls[2]]["final_url"] == urls[0]
    assert set(stored[urls[0]]) == {"status", "checked_at", "final_url", "error"}

    second = cel.check_urls(urls, timeout=5, cache=cel.load_cache(cache_file), max_age_hours=24, allowed=local.allowed)
    assert local.total() == made, "a fresh cached result was requested again"
    assert all(r.cached for r in second.values())
    assert {u: (r.status, r.final_url, r.dead) for u, r in second.items()} == {
        u: (r.status, r.final_url, r.dead) for u, r in first.items()
    }

    cel.check_urls(urls, timeout=5, cache=cel.load_cache(cache_file), max_age_hours=0, allowed=local.allowed)
    assert local.total() > made, "a stale result was not checked again"


def _point_data_at(root: Path, base: str) -> None:
    """Send every address in the copied data to the local server: /ok, except the first reference, which
    becomes /missing with an archived copy, and the second, which becomes /broken."""
    for path in (root / "data").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"https?://[^\s\"'<>]+", f"{base}/ok", text)
        if path.name == "references.yml":
            new = re.sub(
                r'(?m)^(\s+)url: "[^"]*"',
                lambda m: f'{m.group(1)}url: "{base}/missing"\n{m.group(1)}archived_url: "{base}/redirect"',
                new,
                count=1,
            )
            new = new.replace(f'url: "{base}/ok"', f'url: "{base}/broken"', 1)
        if new != text:
            path.write_text(new, encoding="utf-8")


def test_collect_links_finds_references_and_other_files(data_copy):
    terms = sorted((data_copy / "data" / "terms").glob("*.yml"))[0]
    term_id = terms.stem
    terms.write_text(
        terms.read_text(encoding="utf-8") + "# see https://example.invalid/not-a-value\n", encoding="utf-8"
    )  # a comment is not data
    text = terms.read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^(\s+en: )(.*)$", lambda m: m.group(1) + '"Also at http://127.0.0.1:9/term-page."', text, count=1
    )
    terms.write_text(text, encoding="utf-8")

    links = cel.collect_links(data_copy)
    refs = [link for link in links if link.path == "data/references.yml"]
    lines = (data_copy / "data" / "references.yml").read_text(encoding="utf-8").split("\n")
    first = refs[0]
    assert first.url.startswith("http") and first.url in lines[first.line - 1]
    assert lines[first.line - 1].lstrip().startswith("url:")
    assert re.fullmatch(r"[a-z0-9-]+", first.label)
    assert len([link for link in refs if "(" not in link.label]) == sum(
        1 for line in lines if line.lstrip().startswith("url:")
    )
    in_term = [link for link in links if link.path == f"data/terms/{terms.name}"]
    assert len(in_term) == 1 and in_term[0].url == "http://127.0.0.1:9/term-page"  # trailing full stop dropped
    assert in_term[0].label.startswith(f"{term_id} (") and "en" in in_term[0].label
    term_lines = (data_copy / "data" / "terms" / terms.name).read_text(encoding="utf-8").split("\n")
    assert "127.0.0.1:9/term-page" in term_lines[in_term[0].line - 1]


def test_command_output_and_exit_status(local, data_copy, capsys):
    _point_data_at(data_copy, local.base)
    links = cel.collect_links(data_copy)
    assert links and all(link.url.startswith(local.base + "/") for link in links)  # nothing leaves this machine
    cache = data_copy / ".cache" / "links.json"
    args = [
        "--root",
        str(data_copy),
        "--timeout",
        "5",
        "--workers",
        "4",
        "--cache",
        str(cache),
        "--allow-host",
        f"127.0.0.1:{local.port}",
    ]

    assert cel.main(args) == 1
    out = capsys.readouterr().out.strip().split("\n")
    references = (data_copy / "data" / "references.yml").read_text(encoding="utf-8").split("\n")
    problems, summary = out[:-1], out[-1]
    assert len(problems) == 2, out
    pattern = re.compile(r"^data/references\.yml:(\d+): ([a-z0-9-]+): (\S+) → (.+)$")
    missing, broken = (pattern.match(line) for line in problems)
    assert missing and broken, problems
    assert (
        missing[3] == f"{local.base}/missing" and missing[4] == f"404 Not Found (archived copy: {local.base}/redirect)"
    )
    assert broken[3] == f"{local.base}/broken" and broken[4] == "500 Internal Server Error"
    for match in (missing, broken):
        assert f'url: "{match[3]}"' in references[int(match[1]) - 1]
    assert int(missing[1]) < int(broken[1])
    assert re.match(
        r"^4 addresses checked \(\d+ places in the data, 0 from the cache\): 2 ok \(1 after a redirect\), "
        r"2 dead$",
        summary,
    ), summary

    made = local.total()
    assert cel.main(args + ["--report-only"]) == 0
    out = capsys.readouterr().out.strip().split("\n")
    assert out[:-1] == problems and "4 from the cache" in out[-1]
    assert local.total() == made


def test_report_says_when_nothing_answered():
    link = cel.Link("http://127.0.0.1:9/x", "data/references.yml", 7, "some-ref", "http://127.0.0.1:9/copy")
    result = link_requests.Result(link.url, None, None, "connection refused", "2026-01-01T00:00:00+00:00")
    lines, dead = cel.report([link], {link.url: result})
    assert dead == 1
    assert lines[0] == (
        "data/references.yml:7: some-ref: http://127.0.0.1:9/x → connection refused "
        "(archived copy: http://127.0.0.1:9/copy)"
    )
    assert "no address answered" in lines[-1]


# --- an overall deadline ---------------------------------------------------------------------------


def test_dripping_and_stalled_servers_are_cut_off_at_the_timeout(local):
    """A byte every 0.2 s never trips a per-read timeout; the whole check must still end at --timeout."""
    urls = [f"{local.base}/{name}" for name in ("drip-headers", "drip-body", "stall")]
    started = time.monotonic()
    results = cel.check_urls(urls, timeout=1.5, workers=3, allowed=local.allowed)
    elapsed = time.monotonic() - started

    assert elapsed < 1.5 + 1.0, f"the checks took {elapsed:.1f} s with --timeout 1.5"
    assert {u: (r.status, r.error) for u, r in results.items()} == {u: (None, "timed out after 1.5 s") for u in urls}
    assert all(r.dead for r in results.values())
    # drip-body and stall: HEAD was refused with 405, so GET ran, within the same 1.5 s.
    assert local.requests[("GET", "/drip-body")] == 1 and local.requests[("GET", "/stall")] == 1
    # The connections were closed, not just abandoned: the dripping server sees the hang-up.
    waited = time.monotonic() + 5
    while time.monotonic() < waited and not (
        local.requests[("hung up", "/drip-headers")] and local.requests[("hung up", "/drip-body")]
    ):
        time.sleep(0.1)
    assert local.requests[("hung up", "/drip-headers")] == 1 and local.requests[("hung up", "/drip-body")] == 1


def test_a_name_lookup_that_never_answers_times_out(monkeypatch):
    monkeypatch.setattr(link_addresses, "_getaddrinfo", lambda *args, **kwargs: time.sleep(3) or [])
    started = time.monotonic()
    result = link_requests.check_url("https://slow-resolver.test/page", timeout=1)
    assert time.monotonic() - started < 1 + 1.0
    assert (result.status, result.error) == (None, "timed out after 1 s")


def test_redirects_are_limited(local):
    result = link_requests.check_url(f"{local.base}/chain/1", timeout=5, allowed=local.allowed)
    assert result.dead and result.status == 302
    assert result.error == f"too many redirects (more than {link_requests.MAX_REDIRECTS})"
    assert (
        sum(n for (method, path), n in local.requests.items() if method == "HEAD" and path.startswith("/chain/"))
        == link_requests.MAX_REDIRECTS + 1
    )
    assert not any(method == "GET" for method, _ in local.requests)


# --- only public addresses -------------------------------------------------------------------------


def _elsewhere(port: int) -> int:
    return port + 1 if port < 65535 else port - 1


# (Location the test server sends, the address as the checker reports it, why it is refused); {port} is the
# test server's port, {other} another port on this machine.
REFUSED_REDIRECTS = [
    ("http://127.0.0.1:{other}/", "http://127.0.0.1:{other}/", "127.0.0.1 is a loopback address"),
    ("http://2130706433:{port}/ok", "http://2130706433:{port}/ok", "2130706433 is 127.0.0.1, a loopback address"),
    ("http://localhost:{port}/ok", "http://localhost:{port}/ok", "localhost is a loopback host name"),
    ("http://LOCALHOST.:{port}/ok", "http://LOCALHOST.:{port}/ok", "localhost. is a loopback host name"),
    ("http://admin.localhost/", "http://admin.localhost/", "admin.localhost is a loopback host name"),
    (
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.169.254/latest/meta-data/",
        "169.254.169.254 is a link-local address",
    ),
    (
        "//169.254.169.254/computeMetadata/v1/",
        "http://169.254.169.254/computeMetadata/v1/",
        "169.254.169.254 is a link-local address",
    ),
    ("http://[fe80::1]/", "http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[::1]:{port}/ok", "http://[::1]:{port}/ok", "::1 is a loopback address"),
    (
        "http://[::ffff:127.0.0.1]:{port}/ok",
        "http://[::ffff:127.0.0.1]:{port}/ok",
        "::ffff:127.0.0.1 is the IPv4-mapped form of 127.0.0.1, a loopback address",
    ),
    (
        "http://[::ffff:a9fe:a9fe]/",
        "http://[::ffff:a9fe:a9fe]/",
        "::ffff:a9fe:a9fe is the IPv4-mapped form of 169.254.169.254, a link-local address",
    ),
    (
        "http://[2002:a00:1::]/",
        "http://[2002:a00:1::]/",
        "2002:a00:1:: is the 6to4 form of 10.0.0.1, a private address",
    ),
    ("http://0.0.0.0:{port}/ok", "http://0.0.0.0:{port}/ok", "0.0.0.0 is an unspecified address"),
    ("http://[::]:{port}/ok", "http://[::]:{port}/ok", ":: is an unspecified address"),
    ("http://0x7f.1:{port}/ok", "http://0x7f.1:{port}/ok", "0x7f.1 is 127.0.0.1, a loopback address"),
    ("http://0177.0.0.1:{port}/ok", "http://0177.0.0.1:{port}/ok", "0177.0.0.1 is 127.0.0.1, a loopback address"),
    ("http://127.1:{port}/ok", "http://127.1:{port}/ok", "127.1 is 127.0.0.1, a loopback address"),
    ("http://0xa9fea9fe/", "http://0xa9fea9fe/", "0xa9fea9fe is 169.254.169.254, a link-local address"),
    ("http://1.2.3.4.5/", "http://1.2.3.4.5/", "1.2.3.4.5 is not a valid IP address"),
    ("http://10.0.0.1/", "http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://172.16.8.9/", "http://172.16.8.9/", "172.16.8.9 is a private address"),
    ("http://192.168.1.1/", "http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://[fd12:3456::1]/", "http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
    ("http://100.64.0.1/", "http://100.64.0.1/", "100.64.0.1 is not a public address"),
    ("http://224.0.0.251/", "http://224.0.0.251/", "224.0.0.251 is a multicast address"),
    ("http://[ff02::1]/", "http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://240.0.0.1/", "http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("http://255.255.255.255/", "http://255.255.255.255/", "255.255.255.255 is a reserved address"),
    ("file:///etc/passwd", "file:///etc/passwd", "the file: scheme is not http or https"),
    ("ftp://127.0.0.1:{port}/", "ftp://127.0.0.1:{port}/", "the ftp: scheme is not http or https"),
    ("FTP://example.org/", "FTP://example.org/", "the ftp: scheme is not http or https"),
    ("data:text/html,<b>x</b>", "data:text/html,<b>x</b>", "the data: scheme is not http or https"),
    ("javascript:alert(1)", "javascript:alert(1)", "the javascript: scheme is not http or https"),
    ("gopher://127.0.0.1:{port}/", "gopher://127.0.0.1:{port}/", "the gopher: scheme is not http or https"),
]


@pytest.mark.parametrize("location, shown, reason", REFUSED_REDIRECTS, ids=[r[0] for r in REFUSED_REDIRECTS])
def test_redirect_to_a_non_public_address_is_refused_before_connecting(local, no_way_out, location, shown, reason):
    fill = {"port": local.port, "other": _elsewhere(local.port)}
    start = f"{local.base}/to?{location.format(**fill)}"
    result = link_requests.check_url(start, timeout=5, allowed=local.allowed)

    assert result.error == f"{shown.format(**fill)}: redirect refused: {reason}"
    assert result.dead and result.status is None and result.final_url == start
    assert set(no_way_out) == {("127.0.0.1", local.port)}  # only the allowed server was ever connected to
    path = start[len(local.base) :]
    assert local.requests[("HEAD", path)] == 1 and not local.requests[("GET", path)]  # a refusal is not retried


def test_refused_redirect_in_the_report(local):
    start = f"{local.base}/to?http://169.254.169.254/latest/meta-data/"
    link = cel.Link(start, "data/references.yml", 12, "some-ref")
    result = link_requests.check_url(start, timeout=5, allowed=local.allowed)
    assert cel.problem_line(link, result) == (
        f"data/references.yml:12: some-ref: {start} → http://169.254.169.254/latest/meta-data/: redirect refused: "
        "169.254.169.254 is a link-local address"
    )


def test_the_first_address_follows_the_same_rule(local, no_way_out):
    urls = {
        "http://169.254.169.254/latest/meta-data/": "refused: 169.254.169.254 is a link-local address",
        f"{local.base}/ok": "refused: 127.0.0.1 is a loopback address",  # the test server, but not allowed here
        f"http://127.0.0.1:{_elsewhere(local.port)}/": "refused: 127.0.0.1 is a loopback address",
        "https://[::1]/": "refused: ::1 is a loopback address",
        "http://localhost/": "refused: localhost is a loopback host name",
    }
    results = cel.check_urls(urls, timeout=5, workers=2)
    assert {u: (r.status, r.error) for u, r in results.items()} == {u: (None, e) for u, e in urls.items()}
    assert no_way_out == [] and local.total() == 0


def test_every_address_of_a_name_is_checked(monkeypatch, no_way_out):
    answers = {
        "mixed.test": ["93.184.216.34", "10.0.0.7"],
        "v6.test": ["2606:4700::1", "::ffff:127.0.0.1"],
        "meta.test": ["fe80::a9fe:a9fe%2"],
    }
    looked_up: list[str] = []

    def fake_lookup(host, port, *args, **kwargs):
        looked_up.append(host)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    monkeypatch.setattr(link_addresses, "_getaddrinfo", fake_lookup)
    results = cel.check_urls([f"https://{name}/page" for name in answers], timeout=5, workers=1)
    assert [results[f"https://{name}/page"].error for name in answers] == [
        "refused: mixed.test resolves to 10.0.0.7, a private address",
        "refused: v6.test resolves to ::ffff:127.0.0.1, the IPv4-mapped form of 127.0.0.1, a loopback address",
        "refused: meta.test resolves to fe80::a9fe:a9fe%2, a link-local address",
    ]
    assert sorted(looked_up) == sorted(answers) and no_way_out == []


def test_connects_to_the_address_it_checked(monkeypatch):
    """DNS rebinding: the name first resolves to a public address, then to 127.0.0.1. The connection must go
    to the address that was checked, and a new lookup must be checked again. Nothing is really sent."""
    lookups: list[str] = []
    connections: list[tuple[str, int]] = []

    def rebinding_lookup(host, port, *args, **kwargs):
        lookups.append(host)
        address = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def record(address: str, port: int, timeout: float) -> socket.socket:
        connections.append((address, port))
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(link_addresses, "_getaddrinfo", rebinding_lookup)
    monkeypatch.setattr(link_requests, "_open_socket", record)
    result = link_requests.check_url("http://rebind.test/page", timeout=5)
    # HEAD: checked 93.184.216.34 and connected there (refused); GET: looked up again, got 127.0.0.1, refused.
    assert connections == [("93.184.216.34", 80)]
    assert lookups == ["rebind.test", "rebind.test"]
    assert result.error == "refused: rebind.test resolves to 127.0.0.1, a loopback address"


def test_an_allowed_name_is_reached_at_its_address_with_its_own_host_header(local, monkeypatch):
    monkeypatch.setattr(
        link_addresses,
        "_getaddrinfo",
        lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
    )
    result = link_requests.check_url(
        f"http://pinned.test:{local.port}/ok", timeout=5, allowed=[f"pinned.test:{local.port}"]
    )
    assert (result.status, result.error) == (200, None)
    assert local.requests[("host", f"pinned.test:{local.port}")] == 1


@pytest.mark.parametrize(
    "option, message",
    [
        (["--allow-host", "127.0.0.1"], "argument --allow-host: '127.0.0.1' is not HOST:PORT (e.g. 127.0.0.1:8000)"),
        (
            ["--allow-host", "127.0.0.1:99999"],
            "argument --allow-host: '127.0.0.1:99999' is not HOST:PORT (e.g. 127.0.0.1:8000)",
        ),
        (["--timeout", "0"], "argument --timeout: '0' is not a number of seconds above 0"),
        (["--timeout", "nan"], "argument --timeout: 'nan' is not a number of seconds above 0"),
    ],
)
def test_bad_options_are_refused(option, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cel.main(option)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip().endswith(f"error: {message}")


def test_allowed_hosts_are_compared_exactly():
    assert link_addresses.normalise_allowed("127.0.0.1:8000") == "127.0.0.1:8000"
    assert link_addresses.normalise_allowed("LocalHost:80") == "localhost:80"
    assert link_addresses.normalise_allowed("[::1]:8000") == "[::1]:8000"


@pytest.fixture
def local_tls(tmp_path):
    """The same server's handler behind TLS, with a certificate made for 127.0.0.1 here."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        timeout=60,
    )
    if made.returncode:
        pytest.skip(f"openssl could not make a certificate: {made.stderr.decode(errors='replace')[-200:]}")
    server = LocalServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    server.base = f"https://127.0.0.1:{server.port}"
    _LOCAL_PORTS.add(server.port)
    server.thread.start()
    yield server, cert
    server.handler.stop.set()
    server.httpd.shutdown()
    server.httpd.server_close()


def test_https_checks_the_certificate_and_keeps_the_deadline(local_tls, monkeypatch):
    server, cert = local_tls
    untrusted = link_requests.check_url(f"{server.base}/ok", timeout=5, allowed=server.allowed)
    assert untrusted.dead and untrusted.error.startswith("TLS certificate error: ")
    assert "self-signed" in untrusted.error or "self signed" in untrusted.error

    trusting = ssl.create_default_context  # now trust the test's own certificate, and nothing else
    monkeypatch.setattr(link_requests.ssl, "create_default_context", lambda: trusting(cafile=str(cert)))
    assert link_requests.check_url(f"{server.base}/ok", timeout=5, allowed=server.allowed).status == 200
    started = time.monotonic()
    dripping = link_requests.check_url(f"{server.base}/drip-headers", timeout=1.5, allowed=server.allowed)
    assert time.monotonic() - started < 1.5 + 1.0
    assert (dripping.status, dripping.error) == (None, "timed out after 1.5 s")
