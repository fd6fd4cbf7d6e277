"""Build the Chinese site into site/ and the English one into site/en/, or change nothing.

Both languages are built into a fresh folder beside site/, the built files' links are checked, and only
then is the folder swapped in for site/. A failed data check or build leaves the last good site as it was.

The handbook is loaded and checked once, and what both languages share is prepared once (imports, pinyin,
templates); then each language is built in a forked process of its own, one after the other (--jobs 2: side
by side, about half the time on two cores for twice the memory). A process holds one language's pages, and
its memory goes back to the system when it ends, so a build needs the memory of one language, not two.

Usage: python scripts/build_site.py [--out DIR] [--jobs N]
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

from check_links import check_site  # noqa: E402

CONFIGS = (("mkdocs.yml", "", "zh"), ("mkdocs.en.yml", "en", "en"))  # config, folder in the site, language


def language_site(out: Path, subdir: str) -> Path:
    """Where a language's pages go in a site built into `out` (Chinese at the root, English in en/)."""
    return out / subdir if subdir else out
BUILD_FAILED = 4  # a language process's exit code when MkDocs stopped (strict mode warnings)


class BuildFailed(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


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


def build_language(config_file: str, site_dir: Path, **overrides) -> None:
    """One language, in this process (mkdocs.yml: Chinese, mkdocs.en.yml: English)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / config_file), site_dir=str(site_dir), **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


@dataclass
class Finished:
    returncode: int
    stderr: str
    peak_mb: float  # the process's largest resident memory (pages it shares with its parent included)


def fork(work: Callable[[], int]) -> int:
    """Run `work` in a child process (a copy of this one, sharing what is loaded); returns its pid. The
    child's stderr goes to the file of fd 2 as set by the caller; it ends with work()'s exit code."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        code = work()
    except BaseException:  # noqa: B036 - whatever happens, the child must end here, not in the parent's code
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_each(starters: list[Callable[[], int]], jobs: int = 1) -> list[Finished]:
    """Start processes (each starter returns a pid; its stderr goes to a temporary file) `jobs` at a time,
    in order; stop at the first that fails (the others are killed). wait4 gives each one's peak memory."""
    waiting, running, finished = list(starters), [], []
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                log = tempfile.TemporaryFile("w+", encoding="utf-8")  # a file, not a pipe: nothing can block on it
                saved = os.dup(2)
                try:
                    os.dup2(log.fileno(), 2)
                    running.append((waiting.pop(0)(), log))
                finally:
                    os.dup2(saved, 2)
                    os.close(saved)
            pid, log = running.pop(0)
            with log:
                _, status, usage = os.wait4(pid, 0)
                log.seek(0)
                finished.append(Finished(os.waitstatus_to_exitcode(status), log.read(), usage.ru_maxrss / 1024))
            if finished[-1].returncode:
                break
    finally:
        for pid, log in running:  # after a failure: the other language's build is of no use
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            log.close()
    return finished


def prepare(work: Path) -> int:
    """Before the languages fork: load and check the handbook (raises DataInvalid) and do once the work both
    languages share. The pinyin of every name (a quarter of the time this takes) is computed by a process
    of its own, beside the languages' builds, on the core they leave free; returns its pid."""
    import mkdocs.commands.build  # noqa: F401 - imported once, here, for both languages
    import mkdocs_macros.plugin  # noqa: F401

    from handbook.export import export_files
    from handbook.text import traditional_map
    from macros import state
    from macros.render import template_environment
    from macros.search_index import expect_pinyin, write_pinyin

    book = state.handbook()
    pinyin = work / "pinyin.json"
    helper = fork(lambda: write_pinyin(book, pinyin))
    expect_pinyin(pinyin)
    environment = template_environment()
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)  # compiled once
    traditional_map(set())
    export_files(book)  # the open data: written by the Chinese build, listed on the Open data page of both
    # What is loaded now lasts the whole build: keep the collector from scanning it again in each language's
    # process, which would also copy every page it touches (copy-on-write after fork).
    gc.collect()
    gc.freeze()
    return helper


def build_into(out: Path, jobs: int = 1, **overrides) -> list[Finished]:
    """Build both languages into `out`, which must not exist yet, each in a forked process, `jobs` at a time;
    `overrides` change MkDocs settings (the offline bundle uses use_directory_urls=False, so every link names
    its .html file). Raises DataInvalid if the data check fails, BuildFailed if a language's build does."""
    from macros.search_index import expect_pinyin

    if not hasattr(os, "fork"):  # not a POSIX system: both languages in this process, one after the other
        for config_file, subdir, _ in CONFIGS:
            if _language_main(config_file, language_site(out, subdir), overrides) == BUILD_FAILED:
                raise BuildFailed(["mkdocs build failed (its messages are above)"])
        return []

    def starter(config_file: str, site_dir: Path) -> Callable[[], int]:
        return lambda: fork(lambda: _language_main(config_file, site_dir, overrides))

    with tempfile.TemporaryDirectory(prefix="handbook-build-") as work:
        helper = prepare(Path(work))
        try:
            finished = run_each([starter(config_file, language_site(out, subdir))
                                 for config_file, subdir, _ in CONFIGS], jobs)
        finally:
            os.waitpid(helper, 0)
            expect_pinyin(None)
            gc.unfreeze()  # this process may go on (make pdf serves the site it built)
    for done in finished:
        if done.returncode:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            if done.returncode == BUILD_FAILED:  # MkDocs' warnings, then the reason it stopped
                raise BuildFailed(lines[:-1] + [f"mkdocs build failed: {lines[-1] if lines else 'aborted'}"])
            raise BuildFailed(lines[-40:] or [f"the build stopped (exit code {done.returncode})"])
    return finished


def _language_main(config_file: str, site_dir: Path, overrides: dict) -> int:
    """The body of one language's process."""
    try:
        build_language(config_file, site_dir, **overrides)
    except SystemExit as exc:  # mkdocs' Abort (strict mode warnings) is a SystemExit subclass
        print(exc, file=sys.stderr)
        return BUILD_FAILED
    return 0


def build_site(target: Path, jobs: int = 1, **overrides) -> list[str]:
    """Build, check and swap in; return the problems that stopped it (empty on success)."""
    from handbook.store import DataInvalid

    pin_build_date()
    target = target.resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    try:
        shutil.rmtree(staging)
        try:
            build_into(staging, jobs=jobs, **overrides)
        except DataInvalid as exc:
            return [str(p) for p in exc.problems]
        except BuildFailed as exc:
            return exc.problems
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
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("HANDBOOK_BUILD_JOBS", "1")),
                        help="languages built at once (default 1, or $HANDBOOK_BUILD_JOBS; 2 halves the time, "
                             "doubles the memory)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    problems = build_site(Path(args.out), jobs=args.jobs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"build failed: {len(problems)} problem(s); {args.out} was left unchanged", file=sys.stderr)
        return 1
    print(f"built {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
