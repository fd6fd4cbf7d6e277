"""scripts/check_external_links.py against a tiny server on 127.0.0.1: nothing here touches the internet."""
from __future__ import annotations

import http.server
import json
import re
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import check_external_links as cel

SLOW_SECONDS = 2.5  # the slow endpoint answers after this; the tests time out after 1 s


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

    def _route(self) -> None:
        with self.lock:
            self.requests[(self.command, self.path)] += 1
            self.requests[("agent", self.headers.get("User-Agent", ""))] += 1
        path = self.path
        if path == "/ok":
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
        handler = type("Handler", (_Handler,), {"requests": Counter(), "lock": threading.Lock()})
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def requests(self) -> Counter:
        return self.handler.requests

    def total(self) -> int:
        with self.handler.lock:
            return sum(n for (method, _), n in self.handler.requests.items() if method in ("GET", "HEAD"))


@pytest.fixture
def local():
    server = LocalServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_statuses(local):
    names = ["ok", "missing", "broken", "redirect", "head-405"]
    urls = [f"{local.base}/{n}" for n in names]
    results = cel.check_urls(urls, timeout=5, workers=3)
    got = {n: results[u] for n, u in zip(names, urls)}

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
    assert agents == [cel.USER_AGENT] and "Mozilla/5.0" in cel.USER_AGENT


def test_timeout_and_network_errors(local):
    slow, refused, loop = f"{local.base}/slow", f"http://127.0.0.1:{_closed_port()}/x", f"{local.base}/loop"
    started = time.monotonic()
    results = cel.check_urls([slow, refused, loop], timeout=1, workers=3)
    elapsed = time.monotonic() - started

    assert results[slow].dead and results[slow].status is None
    assert results[slow].error == "timed out after 1 s"
    assert elapsed < SLOW_SECONDS, f"the timeout was not applied ({elapsed:.1f} s)"
    assert local.requests[("GET", "/slow")] == 0  # a timed-out HEAD is not tried again as GET
    assert results[refused].dead and results[refused].error == "connection refused"
    assert results[loop].dead and "redirect" in results[loop].error


def test_cache_reuse(local, tmp_path):
    urls = [f"{local.base}/{n}" for n in ("ok", "missing", "redirect")]
    cache_file = tmp_path / "cache" / "links.json"

    cache = cel.load_cache(cache_file)
    assert cache == {}
    first = cel.check_urls(urls, timeout=5, cache=cache)
    cel.save_cache(cache_file, cache)
    made = local.total()
    assert made > 0 and not any(r.cached for r in first.values())

    stored = json.loads(cache_file.read_text(encoding="utf-8"))
    assert set(stored) == set(urls)
    assert stored[urls[1]]["status"] == 404 and stored[urls[2]]["final_url"] == urls[0]
    assert set(stored[urls[0]]) == {"status", "checked_at", "final_url", "error"}

    second = cel.check_urls(urls, timeout=5, cache=cel.load_cache(cache_file), max_age_hours=24)
    assert local.total() == made, "a fresh cached result was requested again"
    assert all(r.cached for r in second.values())
    assert {u: (r.status, r.final_url, r.dead) for u, r in second.items()} == \
           {u: (r.status, r.final_url, r.dead) for u, r in first.items()}

    cel.check_urls(urls, timeout=5, cache=cel.load_cache(cache_file), max_age_hours=0)
    assert local.total() > made, "a stale result was not checked again"


def _point_data_at(root: Path, base: str) -> None:
    """Send every address in the copied data to the local server: /ok, except the first reference, which
    becomes /missing with an archived copy, and the second, which becomes /broken."""
    for path in (root / "data").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"https?://[^\s\"'<>]+", f"{base}/ok", text)
        if path.name == "references.yml":
            new = re.sub(r'(?m)^(\s+)url: "[^"]*"', lambda m: f'{m.group(1)}url: "{base}/missing"\n'
                         f'{m.group(1)}archived_url: "{base}/redirect"', new, count=1)
            new = new.replace(f'url: "{base}/ok"', f'url: "{base}/broken"', 1)
        if new != text:
            path.write_text(new, encoding="utf-8")


def test_collect_links_finds_references_and_other_files(data_copy):
    terms = sorted((data_copy / "data" / "terms").glob("*.yml"))[0]
    term_id = terms.stem
    terms.write_text(terms.read_text(encoding="utf-8") +
                     "# see https://example.invalid/not-a-value\n", encoding="utf-8")  # a comment is not data
    text = terms.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s+en: )(.*)$", lambda m: m.group(1) + '"Also at http://127.0.0.1:9/term-page."',
                  text, count=1)
    terms.write_text(text, encoding="utf-8")

    links = cel.collect_links(data_copy)
    refs = [link for link in links if link.path == "data/references.yml"]
    lines = (data_copy / "data" / "references.yml").read_text(encoding="utf-8").split("\n")
    first = refs[0]
    assert first.url.startswith("http") and first.url in lines[first.line - 1]
    assert lines[first.line - 1].lstrip().startswith("url:")
    assert re.fullmatch(r"[a-z0-9-]+", first.label)
    assert len([link for link in refs if "(" not in link.label]) == \
           sum(1 for line in lines if line.lstrip().startswith("url:"))
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
    args = ["--root", str(data_copy), "--timeout", "5", "--workers", "4", "--cache", str(cache)]

    assert cel.main(args) == 1
    out = capsys.readouterr().out.strip().split("\n")
    references = (data_copy / "data" / "references.yml").read_text(encoding="utf-8").split("\n")
    problems, summary = out[:-1], out[-1]
    assert len(problems) == 2, out
    pattern = re.compile(r"^data/references\.yml:(\d+): ([a-z0-9-]+): (\S+) → (.+)$")
    missing, broken = (pattern.match(line) for line in problems)
    assert missing and broken, problems
    assert missing[3] == f"{local.base}/missing" and missing[4] == \
           f"404 Not Found (archived copy: {local.base}/redirect)"
    assert broken[3] == f"{local.base}/broken" and broken[4] == "500 Internal Server Error"
    for match in (missing, broken):
        assert f'url: "{match[3]}"' in references[int(match[1]) - 1]
    assert int(missing[1]) < int(broken[1])
    assert re.match(r"^4 addresses checked \(\d+ places in the data, 0 from the cache\): 2 ok \(1 after a redirect\), "
                    r"2 dead$", summary), summary

    made = local.total()
    assert cel.main(args + ["--report-only"]) == 0
    out = capsys.readouterr().out.strip().split("\n")
    assert out[:-1] == problems and "4 from the cache" in out[-1]
    assert local.total() == made


def test_report_says_when_nothing_answered():
    link = cel.Link("http://127.0.0.1:9/x", "data/references.yml", 7, "some-ref", "http://127.0.0.1:9/copy")
    result = cel.Result(link.url, None, None, "connection refused", "2026-01-01T00:00:00+00:00")
    lines, dead = cel.report([link], {link.url: result})
    assert dead == 1
    assert lines[0] == ("data/references.yml:7: some-ref: http://127.0.0.1:9/x → connection refused "
                        "(archived copy: http://127.0.0.1:9/copy)")
    assert "no address answered" in lines[-1]
