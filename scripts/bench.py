"""Measurements of the handbook, printed as figures and, where two things are compared, as ratios.

  python -m scripts.bench                       # all of the below except the 10,000-programme run (~8-10 min)
  python -m scripts.bench build                 # full build of both languages vs plain Material on the same pages
  python -m scripts.bench synthetic [--n 2000]  # the same at N programmes (scripts/synthetic.py), with peak memory;
                                                #   --n 10000: measured once, report only
  python -m scripts.bench check [--n 2000]      # the data check vs merely parsing its YAML, real data and N programmes
  python -m scripts.bench page                  # bytes a programme page transfers in Chromium (search index apart)
  python -m scripts.bench search [--n 2000]     # the split search index's size; typing → first result (also at 4×
                                                #   CPU throttling) and bytes fetched per cold search, real and N

"The floor" is what this stack cannot go below for the same output: each page's final content as Markdown
(captured by a recording plugin in an untimed full build; a generated page's HTML blocks, which the full build
puts in after Markdown, are put back into its Markdown as raw HTML) is written as a plain .md file with its
title and metadata as front matter, and built by MkDocs + Material with the same configuration (theme,
overrides, nav, not_in_nav, Markdown extensions, validation, strict) but no `hooks:` and `plugins: []` (no
macros, no data loading, no search index, no redirects, no open data). The floor's HTML equals the full
build's but for whitespace between blocks and the "edit this page" button, which events.py adds. The floor's
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
import os
import shutil
import sys
import time

from scripts.bench_builds import bench_build, bench_synthetic
from scripts.bench_check import bench_check
from scripts.bench_common import BUILD_RUNS, CAP, ROOT, SYNTHETIC_N, SYNTHETIC_RUNS, build_in_child
from scripts.bench_pages import bench_page
from scripts.bench_search import bench_search

COMMANDS = {
    "build": bench_build,
    "page": bench_page,
    "search": bench_search,
    "check": bench_check,
    "synthetic": bench_synthetic,
}
NEEDS_SITE = {"page", "search"}


def main(argv: list[str]) -> int:
    if argv[:1] == ["_child"]:  # one timed build (bench_common.run_build)
        return build_in_child(argv[1:])
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
