"""Measurements of the handbook, printed as figures and, where two things are compared, as ratios.

  python -m scripts.bench                       # all of the below except the 10,000-programme run (~8-10 min)
  python -m scripts.bench build                 # full build of both languages vs plain Material on the same pages
  python -m scripts.bench synthetic [--n 2000]  # the same at N programmes (scripts/synthetic.py), with peak memory;
                                                #   --n 10000: measured once, report only
  python -m scripts.bench check [--n 2000]      # the data check vs merely parsing its YAML, real data and N programmes
  python -m scripts.bench page                  # bytes a programme page transfers in Chromium (search index apart)
  python -m scripts.bench search                # search index bytes per language; page load → first shown result

"The floor" is what this stack cannot go below for the same output: each page's final content as Markdown
(captured by a recording plugin in an untimed full build; a generated page's HTML blocks, which the full build
puts in after Markdown, are put back into its Markdown as raw HTML) is written as a plain .md file with its
title and metadata as front matter, and built by MkDocs + Material with the same configuration (theme,
overrides, nav, not_in_nav, Markdown extensions, validation, strict) but no `hooks:` and `plugins: []` (no
macros, no data loading, no search index, no redirects, no open data). The floor's HTML equals the full
build's but for whitespace between blocks and the "edit this page" button, which hooks.py adds. The floor's
Markdown parser reads the generated HTML, which the full build never hands it: that share of the floor's time
is work the full build's design avoids, and it favours the full build in the ratio.

Each build starts in a fresh Python process, floor then full, into a temporary folder on the same disk. The
full build runs as `make build` does (scripts/build_site.py: the data loaded once, then each language in a
forked process, one after the other); the floor builds both languages in its one process, the cheapest way
plain MkDocs can (with --jobs 2, both sides build the two languages in two processes side by side). Times are
wall-clock (median of 3 pairs for the real handbook, 1 pair at 2,000 programmes to keep the default run
short: --runs N). Peak memory is the largest high-water mark among a build's processes (a forked process
counts the pages it shares with its parent; with --jobs 2, the sum of both languages' processes). A full
build slower than --cap (default 3) times the floor is stopped and reported as "> ratio".
Compare figures as ratios within one run: this 2-core machine is noisy.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.local_site import launch_chromium, start_server
from scripts.synthetic import make_synthetic, seeds_env

ROOT = Path(__file__).resolve().parent.parent

RUNS = 7  # search: cold page loads per query
BUILD_RUNS = 3  # full and floor builds, each
CHECK_RUNS = 5  # in-process data checks and YAML parses, each
SYNTHETIC_N = 2000
BUDGET_BUILD = 1.2
BUDGET_CHECK = 1.5
BUDGET_MEMORY_MB = 400
BUDGET_PAGE_KB = 400
CAP = 3.0  # a full build slower than this many floors is stopped (far over budget; keeps the run short)
# As build_site.CONFIGS; not imported here: a build's child process must import the benchmarked project's
# build_site (it runs in the project's folder, see run_build), not this checkout's.
CONFIGS = (("mkdocs.yml", "", "zh"), ("mkdocs.en.yml", "en", "en"))  # config, folder in the site, language
SYNTHETIC_RUNS = 1  # full/floor pairs at 2,000 programmes (a pair takes ~2 min here; --runs 3 for a median)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# --- builds in child processes --------------------------------------------------------------------------------


class _Capture:
    """A plugin registered after macros and hooks.py: it writes each page's final Markdown, with its title and
    metadata as front matter, as a plain page of the floor."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.markdown: dict[tuple[str, str], str] = {}

    def on_page_markdown(self, markdown, page, config, files):
        blocks = getattr(page, "handbook_blocks", None)  # a generated page's HTML, which hooks.py puts in later
        if blocks is not None:
            from macros.pages import fill_placeholders, render_blocks

            markdown = fill_placeholders(markdown, render_blocks(blocks))
        self.markdown[(config["site_dir"], page.file.src_uri)] = markdown
        return markdown

    def on_page_context(self, context, page, config, nav):  # after hooks.py set page.meta["source_file"]
        import yaml

        meta = dict(page.meta)
        if page.title:
            meta["title"] = page.title
        path = self.folder / config["extra"]["lang"] / page.file.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
        body = self.markdown.pop((config["site_dir"], page.file.src_uri))
        path.write_text(f"---\n{front}---\n\n{body}" if front else body, encoding="utf-8")
        return context


def _child(argv: list[str]) -> int:
    """Run inside a fresh process (the parent reads its time): one build of both languages. The full build is
    scripts/build_site.py's (load once, then a forked process per language, `--jobs` at a time); the floor
    builds both languages in this one process (--jobs 2: each in a process of its own, side by side). Prints
    the peak memory: the largest process's high-water mark (--jobs 2: the sum of the languages')."""
    import logging

    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["full", "floor"])
    parser.add_argument("project")
    parser.add_argument("out")
    parser.add_argument("--floor-docs")
    parser.add_argument("--capture")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    project, out = Path(args.project), Path(args.out)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from scripts.build_site import build_into, build_language, fork, language_site, run_each

    if args.mode == "full" and args.capture:  # untimed: in this process, so the capture plugin can be added
        import mkdocs.config

        capture, load = _Capture(Path(args.capture)), mkdocs.config.load_config

        def load_config(*a, **k):
            config = load(*a, **k)
            config.plugins["bench-capture"] = capture  # type: ignore[assignment]  # a plugin in all but its base class
            return config

        mkdocs.config.load_config = load_config
        for config_file, subdir, _ in CONFIGS:
            build_language(config_file, language_site(out, subdir))
        return 0
    if args.mode == "full":
        finished = build_into(out, jobs=args.jobs)
    elif args.jobs > 1:

        def starter(lang: str):
            return lambda: fork(lambda: _floor_language(project, out, Path(args.floor_docs), lang))

        finished = run_each([starter(lang) for _, _, lang in CONFIGS], args.jobs)
        failed = [done for done in finished if done.returncode]
        if failed:
            sys.stderr.write(failed[0].stderr)
            return 1
    else:
        for _, _, lang in CONFIGS:
            _floor_language(project, out, Path(args.floor_docs), lang)
        finished = []
    peaks = [done.peak_mb for done in finished]
    own = _peak_mb(os.getpid())
    print(f"peak-mb {sum(peaks) if args.jobs > 1 else max(peaks + [own]):.1f}")
    return 0


def _floor_language(project: Path, out: Path, floor_docs: Path, lang: str) -> int:
    from scripts.build_site import build_language, language_site  # the project's own, as imported by _child

    config_file, subdir, _ = next(c for c in CONFIGS if c[2] == lang)
    build_language(config_file, language_site(out, subdir), docs_dir=str(floor_docs / lang), plugins=[], hooks=[])
    return 0


def _peak_mb(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM). Unlike the rusage a parent gets from wait4, it does not
    start from the parent's own size (Linux carries the forking process's high-water mark across exec)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_build(mode: str, project: Path, out: Path, limit: float | None = None, **options: object) -> dict:
    """One build in a fresh process: wall-clock seconds and peak resident memory in MB (read by the child at
    its end, or polled while it runs when it is stopped after `limit` seconds; then `stopped` is True)."""
    # In the project's folder, which comes first on sys.path: the child runs that project's scripts and code.
    command = [sys.executable, "-m", "scripts.bench", "_child", mode, str(project), str(out)]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    peak, stopped = 0.0, False
    os.sync()  # let the previous build's (or deletion's) writes reach the disk first: same start for every build
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=project, env=seeds_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )  # its own process group: stopping it stops its languages
        while child.poll() is None:
            peak = max(peak, _peak_mb(child.pid))
            if limit and time.perf_counter() - start > limit:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                stopped = True
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if child.returncode != 0 and not stopped:
        sys.stderr.write(output[-6000:])
        raise SystemExit(f"{mode} build of {project} failed (exit {child.returncode})")
    reported = [line for line in output.splitlines() if line.startswith("peak-mb ")]
    if reported:
        peak = float(reported[-1].split()[1])
    return {"s": seconds, "mb": peak, "stopped": stopped}


def make_floor(project: Path, work: Path) -> Path:
    """Capture every page's final Markdown in an untimed full build (which also warms the disk cache), and lay
    it out as plain docs folders, one per language, beside copies of any other files in docs/<lang>/."""
    captured, floor = work / "captured", work / "floor-docs"
    run_build("full", project, work / "capture-site", capture=captured)
    shutil.rmtree(work / "capture-site")
    for _, _, lang in CONFIGS:
        shutil.copytree(project / "docs" / lang, floor / lang, ignore=shutil.ignore_patterns("*.md"))
        shutil.copytree(captured / lang, floor / lang, dirs_exist_ok=True)
    shutil.rmtree(captured)
    return floor


def _count_pages(floor: Path) -> dict[str, int]:
    return {lang: sum(1 for _ in (floor / lang).rglob("*.md")) for _, _, lang in CONFIGS}


def compare_builds(
    project: Path, work: Path, runs: int, keep: Path | None = None, cap: float = 0, jobs: int = 1
) -> dict:
    """Median full and floor build times over `runs` interleaved pairs (floor first), and each one's peak
    memory. A full build slower than `cap` × the first floor build is stopped, and not repeated."""
    floor = make_floor(project, work)
    full, floors = [], []
    for i in range(runs):
        floors.append(run_build("floor", project, work / f"floor-{i}", floor_docs=floor, jobs=jobs))
        shutil.rmtree(work / f"floor-{i}")
        out = work / f"full-{i}"
        limit = max(cap * floors[0]["s"], 30.0) if cap else None
        full.append(run_build("full", project, out, limit=limit, jobs=jobs))
        if keep is not None and i == runs - 1 and not full[-1]["stopped"]:
            out.rename(keep)
        else:
            shutil.rmtree(out, ignore_errors=True)
        if full[-1]["stopped"]:
            break
    stopped = any(r["stopped"] for r in full)
    return {
        "full": max(r["s"] for r in full) if stopped else statistics.median(r["s"] for r in full),
        "floor": statistics.median(r["s"] for r in floors),
        "stopped": stopped,
        "full_all": [r["s"] for r in full],
        "floor_all": [r["s"] for r in floors],
        "full_mb": max(r["mb"] for r in full),
        "floor_mb": max(r["mb"] for r in floors),
        "pages": _count_pages(floor),
        "runs": len(full),
        "cap": cap,
    }


FLOOR_NOTE = (
    "  floor = the same pages' final content (captured in an untimed build) as plain .md files, built by\n"
    "          MkDocs + Material with the same config minus `hooks:` and with `plugins: []`, both languages in\n"
    "          one fresh process; the full build as make build runs it (floor, then full); wall clock"
)


def _times(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def print_build_line(label: str, result: dict, report_only: bool = False) -> None:
    ratio = result["full"] / result["floor"]
    status = "report only" if report_only else verdict(ratio <= BUDGET_BUILD and not result["stopped"])
    over = "> " if result["stopped"] else ""
    print(
        f"{label}: {over}{result['full']:.1f} s vs plain Material floor {result['floor']:.1f} s → {over}{ratio:.2f}× "
        f"(budget ≤ {BUDGET_BUILD}×) {status}"
    )
    runs = result["runs"]
    how = f"median of {runs}" if runs > 1 else "1 run"
    if result["stopped"]:
        how = f"full build stopped at {result['full']:.0f} s (over {result['cap']:g}× the first floor), not repeated"
    pages = ", ".join(f"{lang} {n}" for lang, n in result["pages"].items())
    print(
        f"  {how}; full runs {_times(result['full_all'])} s, floor runs {_times(result['floor_all'])} s; "
        f"pages: {pages}; peak memory full {'≥ ' if result['stopped'] else ''}{result['full_mb']:.0f} MB, "
        f"floor {result['floor_mb']:.0f} MB"
    )


def bench_build(ctx: dict) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    ctx["cleanup"].append(work)
    keep = work / "site"
    result = compare_builds(ROOT, work, ctx["runs"] or BUILD_RUNS, keep=keep, cap=ctx["cap"], jobs=ctx["jobs"])
    if keep.exists():
        ctx["site"] = keep
    print_build_line("build (real handbook, both languages)", result)
    print(FLOOR_NOTE)


def synthetic_project(ctx: dict, n: int) -> Path:
    if n not in ctx["synthetic"]:
        work = Path(tempfile.mkdtemp(prefix=f"bench-synthetic-{n}-"))
        ctx["cleanup"].append(work)
        start = time.perf_counter()
        ctx["synthetic"][n] = make_synthetic(work / "project", n)
        real = sum(1 for _ in (ROOT / "data" / "programmes").glob("*.yml"))
        print(
            f"  (synthetic handbook of {n} programmes written in {time.perf_counter() - start:.1f} s: "
            f"the {real} real ones and {n - real} copies under new ids, citing and quoting the real sources)"
        )
    return ctx["synthetic"][n]


def bench_synthetic(ctx: dict) -> None:
    n = ctx["n"]
    report_only = n > SYNTHETIC_N
    runs = 1 if report_only else ctx["runs"] or SYNTHETIC_RUNS
    project = synthetic_project(ctx, n)
    work = project.parent / "builds"
    work.mkdir()
    try:
        result = compare_builds(project, work, runs, cap=ctx["cap"], jobs=ctx["jobs"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_build_line(f"synthetic build ({n} programmes, both languages)", result, report_only)
    status = "report only" if report_only else verdict(result["full_mb"] < BUDGET_MEMORY_MB)
    at_least = ""
    if result["stopped"]:  # the peak so far is only a lower bound
        at_least = "≥ "
        if not report_only and result["full_mb"] < BUDGET_MEMORY_MB:
            status = "NOT MEASURED (the full build was stopped; --cap 0 lets it finish)"
    print(
        f"synthetic build peak memory ({n} programmes): {at_least}{result['full_mb']:.0f} MB vs plain Material floor "
        f"{result['floor_mb']:.0f} MB (budget < {BUDGET_MEMORY_MB} MB) {status}"
    )
    print(FLOOR_NOTE)


# --- the data check -------------------------------------------------------------------------------------------


def compare_check(root: Path, runs: int) -> tuple[float, float, int, int]:
    """Median seconds of load_handbook(root) and of yaml.load(CSafeLoader) over the same YAML files."""
    import yaml

    from handbook.store import load_handbook

    paths = sorted((root / "data").rglob("*.yml"))

    def parse_only() -> None:
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def check() -> int:
        book, problems = load_handbook(root)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise SystemExit(f"the data check of {root} failed: {errors[0]}")
        return len(book.programmes)

    previous = os.environ.get("HANDBOOK_SEEDS")
    os.environ["HANDBOOK_SEEDS"] = seeds_env()["HANDBOOK_SEEDS"]
    try:
        programmes = check()  # warm: imports, disk cache
        parse_only()
        checks, parses = [], []
        for _ in range(runs):
            gc.collect()
            start = time.perf_counter()
            check()
            checks.append(time.perf_counter() - start)
            gc.collect()
            start = time.perf_counter()
            parse_only()
            parses.append(time.perf_counter() - start)
    finally:
        if previous is None:
            os.environ.pop("HANDBOOK_SEEDS", None)
        else:
            os.environ["HANDBOOK_SEEDS"] = previous
    return statistics.median(checks), statistics.median(parses), len(paths), programmes


def bench_check(ctx: dict) -> None:
    for label, root in (("real data", ROOT), (f"{ctx['n']} programmes", None)):
        root = root or synthetic_project(ctx, ctx["n"])
        runs = CHECK_RUNS if ctx["n"] <= SYNTHETIC_N or root == ROOT else 1
        check_s, parse_s, files, programmes = compare_check(root, runs)
        ratio = check_s / parse_s
        print(
            f"check ({label}, {files} YAML files): {check_s * 1000:.0f} ms vs yaml.load(CSafeLoader) alone "
            f"{parse_s * 1000:.0f} ms → {ratio:.2f}× (budget ≤ {BUDGET_CHECK}×) {verdict(ratio <= BUDGET_CHECK)}"
        )
    print(
        f"  load_handbook() in-process (all checks, seeds included), median of {CHECK_RUNS} after a warm-up run "
        "(1 run above 2,000 programmes), interleaved with parse-only runs that read and yaml.load the same files"
    )


# --- one page in a browser ------------------------------------------------------------------------------------


def largest_programme_page(site: Path, prefix: str) -> str:
    pages = [p for p in (site / prefix / "programmes").glob("*/index.html")]
    biggest = max(pages, key=lambda p: p.stat().st_size)
    return "/" + str(biggest.parent.relative_to(site)) + "/"


def _kind(url: str, resource_type: str) -> str:
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
                    _kind(response.url, response.request.resource_type),
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


# --- search (unchanged) ---------------------------------------------------------------------------------------


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
        print(
            f"  {lang}: {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped, {pages} pages, "
            f"{gz / pages:.0f} B gzipped per page"
        )
    server, origin = start_server(site)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            for path, query in (
                ("/", "助学"),
                ("/", "金秋助學"),
                ("/en/", "student aid"),
                ("/programmes/ankang-cup/", "akb"),
            ):
                times = [first_result_ms(browser, origin, path, query) for _ in range(RUNS)]
                print(
                    f"  page load → first result, {path} {query!r}: median {statistics.median(times):.0f} ms "
                    f"(min {min(times):.0f}, max {max(times):.0f}, {RUNS} cold runs; budget 1000 ms)"
                )
            browser.close()
    finally:
        server.shutdown()


# --- command line ---------------------------------------------------------------------------------------------

COMMANDS = {
    "build": bench_build,
    "page": bench_page,
    "search": lambda ctx: bench_search(ctx["site"]),
    "check": bench_check,
    "synthetic": bench_synthetic,
}
NEEDS_SITE = {"page", "search"}


def main(argv: list[str]) -> int:
    if argv[:1] == ["_child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="*", metavar="command", help=f"any of {', '.join(COMMANDS)} (default: all)")
    parser.add_argument(
        "--n",
        type=int,
        default=SYNTHETIC_N,
        help=f"programmes in the synthetic handbook (default {SYNTHETIC_N}; above it, one run, report only)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        help=f"full/floor build pairs (default {BUILD_RUNS} for build, {SYNTHETIC_RUNS} for synthetic)",
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=CAP,
        help=f"stop a full build after this many times the floor build's time (default {CAP}; 0: never)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="languages built at once, in the full build and the floor alike (default 1, as make build)",
    )
    args = parser.parse_args(argv)
    chosen = args.commands or list(COMMANDS)
    for name in chosen:
        if name not in COMMANDS:
            print(f"unknown benchmark {name!r}; choose from {', '.join(COMMANDS)}", file=sys.stderr)
            return 2
    ctx: dict = {
        "n": args.n,
        "cap": args.cap,
        "runs": args.runs,
        "jobs": args.jobs,
        "site": ROOT / "site",
        "synthetic": {},
        "cleanup": [],
    }
    if NEEDS_SITE & set(chosen) and "build" not in chosen and not (ctx["site"] / "index.html").exists():
        print("build the site first: make build", file=sys.stderr)
        return 1
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    started = time.perf_counter()
    try:
        for name in sorted(chosen, key=list(COMMANDS).index):  # build first: page and search then use its output
            if name in NEEDS_SITE:
                print(f"[{name}: measured on {'the site just built' if ctx['site'] != ROOT / 'site' else 'site/'}]")
            COMMANDS[name](ctx)
            sys.stdout.flush()
    finally:
        for folder in ctx["cleanup"]:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"(all measured in {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
