"""The build processes: the handbook is loaded and checked once, and what both languages share is prepared once
(imports, pinyin, templates); then each language is built by MkDocs in a forked process of its own, one after the
other (--jobs 2: side by side). A process holds one language's pages and its memory goes back to the system when it
ends. On Linux, the forked processes are killed by the kernel when the build dies.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import tempfile
import traceback
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scripts.publishing import PublishError, held_locks, os_problem

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

CONFIGS = (("mkdocs.yml", "", "zh"), ("mkdocs.en.yml", "en", "en"))  # config, folder in the site, language


def language_site(out: Path, subdir: str) -> Path:
    """Where a language's pages go in a site built into `out` (Chinese at the root, English in en/)."""
    return out / subdir if subdir else out


BUILD_FAILED = 4  # a language process's exit code when MkDocs stopped (strict mode warnings)
WRITE_FAILED = 5  # … when the system refused a write (a full disk, no permission); its last line says which


class BuildFailed(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


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


def _parent_death_signal() -> Callable[[int], None]:
    """A function a forked child calls first: on Linux it asks the kernel to SIGKILL the child when its parent
    dies (prctl PR_SET_PDEATHSIG), so a killed build leaves no process behind; elsewhere it does nothing."""
    if not sys.platform.startswith("linux"):
        return lambda parent: None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return lambda parent: None
    pr_set_pdeathsig = 1

    def die_with(parent: int) -> None:
        prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect: nobody would kill us
            os._exit(1)

    return die_with


_die_with_parent: Callable[[int], None] | None = None


def fork(work: Callable[[], int]) -> int:
    """Run `work` in a child process (a copy of this one, sharing what is loaded); returns its pid. The
    child's stderr goes to the file of fd 2 as set by the caller; it ends with work()'s exit code, and is
    killed when this process dies (Linux). An OSError ends it with one line naming the file, not a traceback."""
    global _die_with_parent
    if _die_with_parent is None:
        _die_with_parent = _parent_death_signal()
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        _die_with_parent(parent)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # the parent reports an interruption
            signal.signal(signum, signal.SIG_DFL)
        for fd in held_locks:  # the lock belongs to the parent: a child left running must not keep it
            os.close(fd)
        code = work()
    except OSError as exc:
        print(os_problem(exc), file=sys.stderr)
        code = WRITE_FAILED
    except BaseException:  # noqa: B036 - whatever happens, the child must end here, not in the parent's code
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


@dataclass
class Running:
    pid: int
    log: typing.IO[str]
    release: int | None  # a pipe the process writes to (or closes) when the next may start, or None
    released: bool = False


Starter = Callable[[], "tuple[int, int | None]"]  # starts a process: its pid, and its release pipe or None


def run_each(starters: list[Starter], jobs: int = 1) -> list[Finished]:
    """Start processes (each starter returns a pid and a release pipe or None; its stderr goes to a temporary
    file) `jobs` at a time, in order; a process that releases its place (its last work is on a core the next
    one does not need) lets the next start. Stop at the first that fails (the others are killed). wait4 gives
    each one's peak memory."""
    waiting, finished = list(starters), []
    running: list[Running] = []
    try:
        while waiting or running:
            while waiting and sum(not r.released for r in running) < max(1, jobs):
                # a file, not a pipe: nothing can block on it; closed by the `with first.log:` below
                log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
                saved = os.dup(2)
                try:
                    os.dup2(log.fileno(), 2)
                    pid, release = waiting.pop(0)()
                    running.append(Running(pid, log, release))
                finally:
                    os.dup2(saved, 2)
                    os.close(saved)
            holding = next((r for r in running if not r.released), None)
            if waiting and holding is not None and holding.release is not None:
                os.read(holding.release, 1)  # its release, or the end of file when it ends without one
                _release(holding)
                continue
            first = running[0]
            with first.log:
                _, status, usage = os.wait4(first.pid, 0)
                running.pop(0)
                _release(first)
                first.log.seek(0)
                finished.append(Finished(os.waitstatus_to_exitcode(status), first.log.read(), usage.ru_maxrss / 1024))
            if finished[-1].returncode:
                break
    finally:
        for other in running:  # after a failure or an interruption: the other builds are of no use
            _kill(other.pid)
            _release(other)
            other.log.close()
    return finished


def _release(run: Running) -> None:
    if run.release is not None:
        os.close(run.release)
        run.release = None
    run.released = True


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def prepare(work: Path) -> int:
    """Before the languages fork: load and check the handbook (raises DataInvalid) and do once the work both
    languages share. The pinyin of every name (a quarter of the time this takes) is computed by a process
    of its own, beside the languages' builds, on the core they leave free; returns its pid."""
    import mkdocs.commands.build  # noqa: F401 - imported once, here, for both languages
    import mkdocs_macros.plugin  # noqa: F401

    from handbook.export import export_files
    from handbook.text import traditional_map
    from macros import edition_pages, state
    from macros.render import template_environment
    from macros.search_index import expect_pinyin, write_pinyin

    book = state.handbook()
    pinyin = work / "pinyin.json"

    def pinyin_helper() -> int:
        try:
            return write_pinyin(book, pinyin)
        except OSError:  # a full disk, say: the languages see pinyin.failed, and report the disk themselves
            return 1

    helper = fork(pinyin_helper)
    try:
        expect_pinyin(pinyin)
        environment = template_environment()
        for name in environment.list_templates(extensions=["html"]):
            environment.get_template(name)  # compiled once
        traditional_map(set())
        export_files(book)  # the open data: written by the Chinese build, listed on the Open data page of both
        edition_pages.views(book)  # each entry's record now, and the editions' views and changes: both languages'
        edition_pages.edition_changes(book)
    except BaseException:  # the build stops here: the helper must not go on and print into its error output
        os.kill(helper, signal.SIGKILL)
        os.waitpid(helper, 0)
        raise
    # What is loaded now lasts the whole build: keep the collector from scanning it again in each language's
    # process, which would also copy every page it touches (copy-on-write after fork).
    gc.collect()
    gc.freeze()
    return helper


def build_into(out: Path, jobs: int = 1, scratch: Path | None = None, **overrides) -> list[Finished]:
    """Build both languages into `out`, which must not exist yet, each in a forked process, `jobs` at a time;
    `overrides` change MkDocs settings (the offline bundle uses use_directory_urls=False, so every link names
    its .html file); `scratch` is an empty folder for the build's temporary files (default: a new one in the
    system's temporary folder). Raises DataInvalid if the data check fails, BuildFailed if a language's build
    does, OSError if a write does."""
    from macros.search_index import expect_pinyin

    if not hasattr(os, "fork"):  # not a POSIX system: both languages in this process, one after the other
        for config_file, subdir, _ in CONFIGS:
            if _language_main(config_file, language_site(out, subdir), overrides) == BUILD_FAILED:
                raise BuildFailed(["mkdocs build failed (its messages are above)"])
        return []

    def starter(config_file: str, site_dir: Path) -> Starter:
        def start() -> tuple[int, int | None]:
            release, released = os.pipe()
            pid = fork(lambda: _language_main(config_file, site_dir, overrides, released, release))
            os.close(released)
            return pid, release

        return start

    with contextlib.ExitStack() as stack:
        work = scratch or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="handbook-build-")))
        helper = prepare(work)
        try:
            finished = run_each(
                [starter(config_file, language_site(out, subdir)) for config_file, subdir, _ in CONFIGS], jobs
            )
        except BaseException:
            _kill(helper)  # interrupted: its pinyin is of no use
            raise
        finally:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(helper, 0)
            expect_pinyin(None)
            gc.unfreeze()  # this process may go on (make pdf serves the site it built)
    for done in finished:
        if done.returncode:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            if done.returncode == BUILD_FAILED:  # MkDocs' warnings, then the reason it stopped
                raise BuildFailed(lines[:-1] + [f"mkdocs build failed: {lines[-1] if lines else 'aborted'}"])
            if done.returncode == WRITE_FAILED and lines:
                raise PublishError(lines[-1])
            raise BuildFailed(lines[-40:] or [f"the build stopped (exit code {done.returncode})"])
    return finished


def _language_main(
    config_file: str, site_dir: Path, overrides: dict, released: int | None = None, unused: int | None = None
) -> int:
    """The body of one language's process. `released`: a pipe to write to when its pages are written (the
    search index and the open data still to come, in this process and its index worker): the next language
    may start then. `unused`: the pipe's other end, which only the parent keeps."""
    from macros import events, search_index

    search_index.STREAM_PAGES = hasattr(os, "fork")  # the index is built beside the pages, on the core left free
    if unused is not None:
        os.close(unused)
    if released is not None:

        def release() -> None:
            os.write(released, b".")
            os.close(released)

        events.PAGES_WRITTEN.append(release)
    try:
        build_language(config_file, site_dir, **overrides)
    except SystemExit as exc:  # mkdocs' Abort (strict mode warnings) is a SystemExit subclass
        print(exc, file=sys.stderr)
        return BUILD_FAILED
    return 0
