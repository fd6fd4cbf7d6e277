"""Build the Chinese site into site/ and the English one into site/en/, or change nothing.

Both languages are built into a fresh folder beside site/, the built files' links are checked, and only
then is the folder swapped in for site/. A failed data check or build leaves the last good site as it was.

Usage: python scripts/build_site.py [--out DIR]
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

from check_links import check_site  # noqa: E402
from handbook.store import DataInvalid  # noqa: E402
from macros import state  # noqa: E402

CONFIGS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))


def pin_build_date() -> None:
    """Take the build's date from the last commit, not the clock (MkDocs' sitemap and the status page read
    SOURCE_DATE_EPOCH), so two builds of one commit are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        stamp = ""
    if stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp


def build_into(out: Path, **overrides) -> None:
    """Build both languages into `out`, which must not exist yet; `overrides` change MkDocs settings
    (the offline bundle uses use_directory_urls=False, so every link names its .html file)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for config_file, subdir in CONFIGS:
        config = load_config(str(ROOT / config_file), site_dir=str(out / subdir) if subdir else str(out), **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()


def build_site(target: Path, **overrides) -> list[str]:
    """Build, check and swap in; return the problems that stopped it (empty on success)."""
    pin_build_date()
    try:
        state.handbook()
    except DataInvalid as exc:
        return [str(p) for p in exc.problems]
    target = target.resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    try:
        shutil.rmtree(staging)
        try:
            build_into(staging, **overrides)
        except SystemExit as exc:  # mkdocs' Abort (strict mode warnings) is a SystemExit subclass
            return [f"mkdocs build failed: {exc}"]
        broken = check_site(staging)
        if broken:
            return broken
        previous = target.with_name(target.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():
            target.rename(previous)
        staging.rename(target)
        shutil.rmtree(previous, ignore_errors=True)
        return []
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "site"), help="where the site goes (default: site/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    problems = build_site(Path(args.out))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"build failed: {len(problems)} problem(s); {args.out} was left unchanged", file=sys.stderr)
        return 1
    print(f"built {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
