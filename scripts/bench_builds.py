"""The build benchmarks: the full build against the floor (plain MkDocs + Material on the same final pages), for
the real handbook (`bench build`) and a synthetic one of N programmes (`bench synthetic`), with peak memory."""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

from scripts.bench_common import (
    BUDGET_BUILD,
    BUDGET_MEMORY_MB,
    BUILD_RUNS,
    CONFIGS,
    ROOT,
    SYNTHETIC_N,
    SYNTHETIC_RUNS,
    run_build,
    synthetic_project,
    verdict,
)
from scripts.bench_editions import bench_editions


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
    editions_work = work / "editions"
    editions_work.mkdir()
    bench_editions(editions_work, ctx["runs"] or BUILD_RUNS, jobs=ctx["jobs"])


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
