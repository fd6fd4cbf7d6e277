"""Build the Chinese site into site/ and the English one into site/en/, or change nothing.

Both languages are built into a staging folder beside site/, the built files' links are checked, and only
then is the new version published. site/ is a symbolic link to a version folder, site.d/<version>/, and
publishing switches it in one step (a new link renamed over the old one), so site/ is never absent or
half-written, not even when the build is killed. A failed data check, build or write (a full disk, no
permission) leaves the last good site as it was, with a one-line error. A lock file beside site/
(.site.lock) makes a second build of the same site wait for the first; a build starts by removing what
killed builds left behind, and keeps the current version and at most one previous one.

The handbook is loaded and checked once, and what both languages share is prepared once (imports, pinyin,
templates); then each language is built in a forked process of its own, one after the other (--jobs 2: side
by side, about half the time on two cores for twice the memory). A process holds one language's pages, and
its memory goes back to the system when it ends, so a build needs the memory of one language, not two.
On Linux, the forked processes are killed by the kernel when the build dies.

The build is dated by the last commit (git log), or by SOURCE_DATE_EPOCH when it is set; a tree without git
history is dated today, with a warning. The build processes are in language_builds.py, the publishing (link,
lock, leftovers) in publishing.py.

Usage: python -m scripts.build_site [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scripts.check_links import check_site
from scripts.language_builds import BuildFailed, build_into
from scripts.publishing import (
    PublishError,
    current_version,
    new_version,
    os_problem,
    publishing_lock,
    remove_leftovers,
    remove_path,
    sibling_names,
    switch_to,
)

ROOT = Path(__file__).resolve().parent.parent


class Interrupted(BaseException):  # BaseException: no `except Exception` in MkDocs or a plugin may swallow it
    """A signal asked the build to stop (SIGTERM, SIGHUP); raised in the main process by its handler."""


def pin_build_date() -> None:
    """Date the build by the last commit, not the clock (MkDocs' sitemap and the status page read
    SOURCE_DATE_EPOCH), so two builds of one commit are byte-identical. Without git history (an exported
    tree, a tarball) the build is dated today at 00:00 UTC, and a warning says so and how to pin it."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    # Only this tree's own history: a copy of the project inside another repository must not take its date.
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(ROOT.parent)}
    try:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, timeout=10, env=env
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        stamp = ""
    if stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp
        return
    today = int(time.time()) // 86400 * 86400
    os.environ["SOURCE_DATE_EPOCH"] = str(today)
    print(
        f"warning: {ROOT} has no git history, so the build is dated today, "
        f"{time.strftime('%Y-%m-%d', time.gmtime(today))} (SOURCE_DATE_EPOCH={today}); to build the same bytes "
        f"as the commit, set SOURCE_DATE_EPOCH to its `git log -1 --format=%ct`",
        file=sys.stderr,
        flush=True,
    )


def publish(target: Path, jobs: int = 1, **overrides) -> list[str]:
    """Build, check and switch `target` to the new version; return the data or build problems that stopped
    it (empty on success). Raises PublishError for a problem outside the data (a one-line message); in every
    case but success, `target` is as it was."""
    from handbook.store import DataInvalid

    target = Path(os.path.abspath(target))  # not resolve(): `target` itself is a link to the current version
    names = sibling_names(target)
    version = new_version()
    staging = target.parent / f"{names['staging']}{version}"
    scratch = target.parent / f"{names['scratch']}{version}"
    try:
        if target.parent.exists() and not target.parent.is_dir():
            raise PublishError(f"{target.parent} is a file, not a folder: choose another --out")
        current_version(target)  # refuse what must not be replaced before leaving a lock file beside it
        pin_build_date()
        target.parent.mkdir(parents=True, exist_ok=True)
        with publishing_lock(target):
            remove_leftovers(target)
            previous = current_version(target)
            scratch.mkdir()
            try:
                build_into(staging, jobs=jobs, scratch=scratch, **overrides)
                broken = check_site(staging)
                if broken:
                    return broken
                (target.parent / names["versions"]).mkdir(exist_ok=True)
                staging.rename(target.parent / names["versions"] / version)
                switch_to(target, version, previous)
            finally:  # never anything in <versions>/: after the switch, the new version may be live
                for temporary in (staging, scratch, target.parent / f"{names['link']}{version}"):
                    with contextlib.suppress(OSError):
                        remove_path(temporary)
    except DataInvalid as exc:
        return [str(p) for p in exc.problems]
    except BuildFailed as exc:
        return exc.problems
    except OSError as exc:
        raise PublishError(os_problem(exc)) from None
    return []


def build_site(target: Path, jobs: int = 1, **overrides) -> list[str]:
    """Build, check and publish into `target` (see publish); return the problems that stopped it, one line
    each (empty on success)."""
    try:
        return publish(target, jobs=jobs, **overrides)
    except PublishError as exc:
        return [f"build failed: {exc}"]


def _stop(signum: int, frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "site"), help="where the site goes (default: site/)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("HANDBOOK_BUILD_JOBS", "1")),
        help="languages built at once (default 1, or $HANDBOOK_BUILD_JOBS; 2 halves the time, doubles the memory)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, _stop)
    unchanged = f"{args.out} was left unchanged"
    try:
        problems = publish(Path(args.out), jobs=args.jobs)
    except PublishError as exc:
        print(f"build failed: {exc}; {unchanged}", file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt) as exc:
        print(f"build interrupted ({str(exc) or 'SIGINT'}); {unchanged}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"build failed: {len(problems)} problem(s); {unchanged}", file=sys.stderr)
        return 1
    print(f"built {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
