"""Measurements of the real handbook, printed as figures (run after `make build`).

  python scripts/bench.py search   # search index bytes per language; page load → first shown result in Chromium

Each figure is the median of several runs on this machine; compare them as ratios within one run.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from search_quality import CHROMIUM_ARGS  # noqa: E402

RUNS = 7


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def index_sizes(site: Path) -> list[tuple[str, int, int, int]]:
    rows = []
    for lang, prefix in (("zh", ""), ("en", "en/")):
        data = (site / prefix / "search" / "index.js").read_bytes()
        pages = sum(1 for p in (site / prefix).rglob("index.html") if lang == "en" or "/en/" not in str(p))
        rows.append((lang, len(data), len(gzip.compress(data, 9)), pages))
    return rows


_RECORD_FIRST_RESULT = """
new MutationObserver((changes, observer) => {
  const list = document.querySelector('.md-search-result__list');
  if (list && list.children.length) { window.__firstResultAt = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def first_result_ms(browser, origin: str, path: str, query: str) -> float:
    """Cold cache: milliseconds from the start of navigation to the first result on screen, the query being
    pasted into the search box as soon as the page can take it (timed inside the page)."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(_RECORD_FIRST_RESULT)
    page.goto(origin + path, wait_until="domcontentloaded")
    page.locator("input.md-search__input").fill(query)
    page.wait_for_function("() => window.__firstResultAt !== undefined", timeout=15000)
    elapsed = page.evaluate("window.__firstResultAt")
    context.close()
    return elapsed


def bench_search(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    print("search index per language (what a phone downloads once, on first search):")
    for lang, raw, gz, pages in index_sizes(site):
        print(f"  {lang}: {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped, {pages} pages, {gz / pages:.0f} B gzipped per page")
    server, origin = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for path, query in (("/", "助学"), ("/", "金秋助學"), ("/en/", "student aid"), ("/programmes/ankang-cup/", "akb")):
                times = [first_result_ms(browser, origin, path, query) for _ in range(RUNS)]
                print(f"  page load → first result, {path} {query!r}: median {statistics.median(times):.0f} ms "
                      f"(min {min(times):.0f}, max {max(times):.0f}, {RUNS} cold runs; budget 1000 ms)")
            browser.close()
    finally:
        server.shutdown()


def main(argv: list[str]) -> int:
    site = ROOT / "site"
    if not (site / "index.html").exists():
        print("build the site first: make build", file=sys.stderr)
        return 1
    commands = {"search": bench_search}
    chosen = argv or list(commands)
    for name in chosen:
        if name not in commands:
            print(f"unknown benchmark {name!r}; choose from {', '.join(commands)}", file=sys.stderr)
            return 2
        commands[name](site)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
