"""The page benchmark, in headless Chromium on a built site: what the largest programme page transfers
(`bench page`); the search benchmark is bench_search.py."""

from __future__ import annotations

import gzip
from pathlib import Path

from scripts.bench_common import BUDGET_PAGE_KB, verdict
from scripts.local_site import launch_chromium, start_server


def largest_programme_page(site: Path, prefix: str) -> str:
    pages = [p for p in (site / prefix / "programmes").glob("*/index.html")]
    biggest = max(pages, key=lambda p: p.stat().st_size)
    return "/" + str(biggest.parent.relative_to(site)) + "/"


def resource_kind(url: str, resource_type: str) -> str:
    path = url.split("?")[0]
    for ext, kind in (
        (".css", "CSS"),
        (".js", "JS"),
        (".woff2", "font"),
        (".woff", "font"),
        (".ttf", "font"),
        (".png", "image"),
        (".svg", "image"),
        (".ico", "image"),
        (".jpg", "image"),
        (".webp", "image"),
    ):
        if path.endswith(ext):
            return kind
    return "HTML" if resource_type == "document" else resource_type


def page_transfer(
    browser, origin: str, path: str
) -> tuple[list[tuple[str, str, int, int]], list[tuple[str, str, int, int]]]:
    """Cold cache: every response a page load fetches (url, kind, raw bytes, gzipped bytes), then what the
    first search adds."""
    context = browser.new_context()
    page = context.new_page()
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    page.goto(origin + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    on_load = list(responses)
    with page.expect_response(lambda r: "search/index.js" in r.url, timeout=15000):
        page.locator("input.md-search__input").fill("安康")
    page.wait_for_function("() => document.querySelector('.hb-search').dataset.query === '安康'")
    page.wait_for_load_state("networkidle")
    on_search = responses[len(on_load) :]

    def sized(items):
        rows = []
        for response in items:
            try:
                body = response.body()
            except Exception:  # redirects have no body
                body = b""
            rows.append(
                (
                    response.url.removeprefix(origin),
                    resource_kind(response.url, response.request.resource_type),
                    len(body),
                    len(gzip.compress(body, 9)) if body else 0,
                )
            )
        return rows

    result = sized(on_load), sized(on_search)
    context.close()
    return result


def bench_page(ctx: dict) -> None:
    from playwright.sync_api import sync_playwright

    site = ctx["site"]
    server, origin = start_server(site)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            for prefix in ("", "en/"):
                path = largest_programme_page(site, prefix)
                loaded, searched = page_transfer(browser, origin, path)
                raw, gz = sum(r[2] for r in loaded), sum(r[3] for r in loaded)
                kinds: dict[str, list[int]] = {}
                for _, kind, r, g in loaded:
                    kinds.setdefault(kind, [0, 0, 0])
                    kinds[kind][0] += 1
                    kinds[kind][1] += r
                    kinds[kind][2] += g
                print(
                    f"page {path} (largest programme page, cold cache): {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB "
                    f"gzipped in {len(loaded)} responses (budget < {BUDGET_PAGE_KB} KB) "
                    f"raw {verdict(raw < BUDGET_PAGE_KB * 1024)}, "
                    f"gzipped {verdict(gz < BUDGET_PAGE_KB * 1024)}"
                )
                print(
                    "  "
                    + "; ".join(
                        f"{kind} {n}× {r / 1024:.0f} KB raw / {g / 1024:.0f} KB gz"
                        for kind, (n, r, g) in sorted(kinds.items())
                    )
                )
                for url, kind, r, g in sorted(loaded, key=lambda row: -row[2]):
                    print(f"    {r / 1024:7.1f} KB raw {g / 1024:6.1f} KB gz  {kind:5} {url}")
                for url, _kind, r, g in searched:
                    print(f"  on first search only: {url} {r / 1024:.0f} KB raw, {g / 1024:.0f} KB gzipped")
            browser.close()
    finally:
        server.shutdown()
    print(
        "  bodies as served by a local server that does not compress (raw), and each body gzip -9'd by the "
        "benchmark; HTTP headers not counted"
    )
