"""The trainer's kit: for every programme, in each language, a Word handout, a slide deck and the QR code of the
programme's page as PNG and SVG (written by handbook/kit_files.py; the site build puts the same files under
kit/, linked from each programme page). The QR code encodes the
published address, site_url in mkdocs.yml (or --site-url); without one the documents say where the address will
come from instead of encoding a local one. The edition date is the last commit's, as the site's.

  python -m scripts.make_kit [--out dist/kit] [--site-url URL] [--only ID]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import yaml

from handbook.editions import edition_stamp
from handbook.kit import kit_content
from handbook.kit_files import kit_files
from handbook.store import load_handbook
from scripts.build_site import pin_build_date

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist" / "kit"))
    parser.add_argument("--site-url", default=None, help="the published address (default: site_url in mkdocs.yml)")
    parser.add_argument("--only", action="append", help="a programme id (repeatable); default: every programme")
    args = parser.parse_args(argv)
    site_url = args.site_url
    if site_url is None:
        site_url = (
            yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader).get("site_url") or ""
        )
    book, problems = load_handbook(ROOT)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    pin_build_date()
    stamp = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.UTC)
    edition_date = dt.datetime(stamp.year, stamp.month, stamp.day)  # the day, as the site's kit: the same bytes
    edition = edition_date.strftime("%Y-%m-%d")
    out = Path(args.out)
    for programme_id in args.only or sorted(book.programmes):
        for lang in ("zh", "en"):
            content = kit_content(book, programme_id, lang, edition_stamp(book, edition), site_url)
            folder = out / lang
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in kit_files(content, edition_date).items():
                (folder / name).write_bytes(data)
    where = f"QR codes to {site_url}" if site_url else "no site_url yet: no QR codes (the documents say so)"
    print(f"wrote the trainer's kit to {out} ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
