"""What kept editions cost (`bench build` prints it): the full build of the real handbook with its one edition
against a copy with 12 editions, each after the first changing five programmes' summaries (a busy year: 55
changes). Reported: wall-clock build time (median of the runs), the bytes the editions add to the site (edition
views and redirects, each edition's open data, the changes page and feeds) and to the repository
(data/editions/)."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
from pathlib import Path

from scripts.bench_common import ROOT, run_build
from scripts.synthetic import copy_project

CHANGED_PER_EDITION = 5


def _bytes(paths: list[Path], unique: bool = False) -> int:
    """Bytes of the files under `paths` (their sizes, not disk blocks); `unique`: a hard-linked file once."""
    total, seen = 0, set()
    for path in paths:
        for file in [path] if path.is_file() else (path.rglob("*") if path.is_dir() else []):
            info = file.stat()
            if file.is_file() and not (unique and (info.st_dev, info.st_ino) in seen):
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total


def twelve_editions(dest: Path) -> Path:
    """A copy of the project whose data went through 12 monthly editions in 2026."""
    from handbook.editions import new_edition
    from handbook.store import load_valid_handbook

    project = copy_project(dest, ROOT)
    (project / "data" / "editions.yml").unlink(missing_ok=True)
    shutil.rmtree(project / "data" / "editions", ignore_errors=True)
    programmes = sorted((project / "data" / "programmes").glob("*.yml"))
    for month in range(1, 13):
        if month > 1:
            for offset in range(CHANGED_PER_EDITION):
                path = programmes[((month - 2) * CHANGED_PER_EDITION + offset) % len(programmes)]
                text = path.read_text(encoding="utf-8")
                path.write_text(
                    text.replace("summary:\n  zh: ", f"summary:\n  zh: （{month}月修订）", 1), encoding="utf-8"
                )
        book = load_valid_handbook(project)
        new_edition(project, book, f"{month}月版。", f"Edition of month {month}.", dt.date(2026, month, 15))
    return project


def edition_bytes(site: Path, unique: bool = False) -> int:
    parts = [site / "data" / "editions"]
    for lang_root in (site, site / "en"):
        parts += [lang_root / "editions", lang_root / "changes", lang_root / "feed.xml"]
    return _bytes(parts, unique)


def bench_editions(work: Path, runs: int, jobs: int = 1) -> None:
    projects = {
        "1 edition (the real handbook)": copy_project(work / "one", ROOT),
        "12 editions": twelve_editions(work / "twelve"),
    }
    results: dict[str, dict] = {}
    for label, project in projects.items():
        times = []
        for i in range(runs):
            out = work / f"site-{len(results)}-{i}"
            times.append(run_build("full", project, out, jobs=jobs)["s"])
            if i < runs - 1:
                shutil.rmtree(out)
        site = work / f"site-{len(results)}-{runs - 1}"
        results[label] = {
            "s": statistics.median(times),
            "site": edition_bytes(site),
            "disk": edition_bytes(site, unique=True),
            "pages": sum(1 for f in site.rglob("editions/*/*/*/index.html") if f.stat().st_size > 2000),
            "repo": _bytes([project / "data" / "editions", project / "data" / "editions.yml"]),
            "files": sum(1 for f in (site / "editions").rglob("*") if f.is_file())
            + sum(1 for f in (site / "en" / "editions").rglob("*") if f.is_file()),
        }
        shutil.rmtree(site)
    one, twelve = results.values()
    for label, result in results.items():
        print(
            f"editions: {label}: build {result['s']:.1f} s; in the site {result['site'] / 1e6:.2f} MB "
            f"({result['disk'] / 1e6:.2f} MB on disk with identical files linked; {result['files']} edition-view "
            f"files, {result['pages']} of them pages, the rest redirects); in the repository "
            f"{result['repo'] / 1e6:.2f} MB"
        )
    print(
        f"editions: 12 against 1: build {twelve['s'] / one['s']:.2f}×, "
        f"site +{(twelve['site'] - one['site']) / 1e6:.2f} MB, "
        f"repository +{(twelve['repo'] - one['repo']) / 1e6:.2f} MB (report only; median of {runs} builds each)"
    )
