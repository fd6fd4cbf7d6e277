"""`bench search`: the split search index at the real size and at N synthetic programmes (scripts/synthetic.py):
its size per language (raw and gzipped, and its largest file), and per query, in headless Chromium on a cold
cache, the time from typing to the first result on screen (on this machine, and with the CPU slowed 4× through
the DevTools protocol's Emulation.setCPUThrottlingRate, as on a mid-range phone) and the bytes a cold search
fetches (every file under search/, raw and each gzipped as a server would send it)."""

from __future__ import annotations

import gzip
import statistics
from pathlib import Path

from scripts.bench_common import RUNS, SYNTHETIC_N, run_build, synthetic_project, verdict
from scripts.local_site import launch_chromium, start_server

BUDGET_MS, BUDGET_THROTTLED_MS, BUDGET_FETCHED_KB = 300, 1000, 300  # at 2,000 programmes (issue 13)
THROTTLE = 4
QUERIES = (("/", "助学"), ("/", "金秋助學"), ("/", "孩子上学 补助"), ("/", "akb"), ("/en/", "student aid"))

# Times the first result inside the page: from the query's input event to the list's first child.
_RECORD_FIRST_RESULT = """
window.__typedAt = undefined; window.__firstResultAt = undefined;
document.addEventListener('input', () => {
  if (window.__typedAt === undefined) window.__typedAt = performance.now();
}, true);
new MutationObserver((changes, observer) => {
  const list = document.querySelector('.md-search-result__list');
  if (list && list.children.length && window.__typedAt !== undefined) {
    window.__firstResultAt = performance.now(); observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def index_sizes(site: Path) -> list[tuple[str, int, int, int, int, int]]:
    """Per language: (language, files, raw bytes, gzipped bytes, largest file raw, largest file gzipped)."""
    rows = []
    for lang, prefix in (("zh", ""), ("en", "en/")):
        files = [p.read_bytes() for p in sorted((site / prefix / "search").rglob("*.js"))]
        zipped = [len(gzip.compress(data, 9)) for data in files]
        largest = max(range(len(files)), key=lambda i: len(files[i]))
        rows.append((lang, len(files), sum(map(len, files)), sum(zipped), len(files[largest]), zipped[largest]))
    return rows


def cold_search(browser, origin: str, path: str, query: str, throttle: float = 1) -> tuple[float, int, int]:
    """A fresh browser context (empty cache), the page loaded, then the query typed: milliseconds from typing to
    the first result, and the search files fetched (raw bytes, gzipped bytes)."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(_RECORD_FIRST_RESULT)
    fetched: list = []
    page.on("response", lambda r: fetched.append(r) if "/search/" in r.url else None)
    page.goto(origin + path, wait_until="networkidle")
    if throttle != 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.locator("input.md-search__input").fill(query)
    page.wait_for_function("() => window.__firstResultAt !== undefined", timeout=60000)
    elapsed = page.evaluate("window.__firstResultAt - window.__typedAt")
    page.wait_for_load_state("networkidle")
    bodies = [r.body() for r in fetched]
    context.close()
    return elapsed, sum(map(len, bodies)), sum(len(gzip.compress(b, 9)) for b in bodies)


def measure(site: Path, label: str, budgets: bool, runs: int) -> None:
    print(f"{label}:")
    for lang, count, raw, gz, big_raw, big_gz in index_sizes(site):
        print(
            f"  index {lang}: {count} files, {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped in all; "
            f"largest file {big_raw / 1024:.0f} KB raw, {big_gz / 1024:.0f} KB gzipped"
        )
    from playwright.sync_api import sync_playwright

    server, origin = start_server(site)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            for path, query in QUERIES:
                plain = [cold_search(browser, origin, path, query) for _ in range(runs)]
                slow = [cold_search(browser, origin, path, query, THROTTLE)[0] for _ in range(runs)]
                ms, slow_ms = statistics.median(r[0] for r in plain), statistics.median(slow)
                raw, gz = plain[0][1], plain[0][2]
                line = (
                    f"  {path} {query!r}: typing → first result {ms:.0f} ms (min {min(r[0] for r in plain):.0f}, "
                    f"max {max(r[0] for r in plain):.0f}), {slow_ms:.0f} ms at {THROTTLE}× CPU throttling; "
                    f"fetched {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped ({runs} cold runs each)"
                )
                if budgets:
                    line += (
                        f"; budgets ≤ {BUDGET_MS} ms {verdict(ms <= BUDGET_MS)}, ≤ {BUDGET_THROTTLED_MS} ms "
                        f"throttled {verdict(slow_ms <= BUDGET_THROTTLED_MS)}, ≤ {BUDGET_FETCHED_KB} KB "
                        f"{verdict(gz <= BUDGET_FETCHED_KB * 1024)}"
                    )
                print(line)
            browser.close()
    finally:
        server.shutdown()


def synthetic_site(ctx: dict, n: int) -> Path:
    """The synthetic handbook of `n` programmes, built once per run (as `make build` builds)."""
    sites = ctx.setdefault("synthetic_sites", {})
    if n not in sites:
        project = synthetic_project(ctx, n)
        out = project.parent / "site"
        result = run_build("full", project, out)
        print(f"  (built in {result['s']:.0f} s)")
        sites[n] = out
    return sites[n]


def bench_search(ctx: dict) -> None:
    """The real site (site/ or the one just built), then N synthetic programmes (default 2,000; above that one
    run, report only)."""
    measure(ctx["site"], "search, real handbook (budgets as at 2,000)", True, RUNS)
    n = ctx["n"]
    report_only = n > SYNTHETIC_N
    label = f"search, synthetic handbook of {n} programmes" + (" (report only)" if report_only else "")
    measure(synthetic_site(ctx, n), label, not report_only, 1 if report_only else RUNS)
