"""Make a zip of the whole handbook that works opened from disk (file://), search included, for training
rooms with no network: every link names its .html file and the search index is a script, not a fetch.

Usage: python -m scripts.make_offline [--out dist/handbook-offline.zip]
Unzip it anywhere and open index.html (Chinese) or en/index.html (English) in a browser.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from scripts.build_site import build_site

ROOT = Path(__file__).resolve().parent.parent

FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries carry no build clock, so equal sites give equal zips


def make_offline(out: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        problems = build_site(site, use_directory_urls=False)
        if problems:
            return problems
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(p for p in site.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(str(Path("handbook") / path.relative_to(site)), FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, path.read_bytes())
        shutil.move(partial, out)  # a failed run never leaves a half-written zip in place of a good one
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist" / "handbook-offline.zip"))
    args = parser.parse_args(argv)
    problems = make_offline(Path(args.out))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(
        f"wrote {args.out} ({Path(args.out).stat().st_size / 1024 / 1024:.1f} MB); "
        "unzip it and open handbook/index.html"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
