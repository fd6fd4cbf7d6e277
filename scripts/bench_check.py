"""The data check benchmark: load_handbook() against merely parsing the same YAML with the C loader, on the real
data and on a synthetic handbook of N programmes (`bench check`)."""

from __future__ import annotations

import gc
import os
import statistics
import time
from pathlib import Path

from scripts.bench_common import BUDGET_CHECK, CHECK_RUNS, ROOT, SYNTHETIC_N, synthetic_project, verdict
from scripts.synthetic import seeds_env


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
