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
history is dated today, with a warning.

Usage: python -m scripts.build_site [--out DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts.check_links import check_site

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock (builds there are run by hand, one at a time)
    fcntl = None  # type: ignore[assignment]

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


class PublishError(Exception):
    """The site could not be built or published for a reason outside the data: a full disk, no permission,
    something else in the way, an interruption. The message is one line."""


class Interrupted(BaseException):  # BaseException: no `except Exception` in MkDocs or a plugin may swallow it
    """A signal asked the build to stop (SIGTERM, SIGHUP); raised in the main process by its handler."""


def os_problem(exc: OSError) -> str:
    """An OSError as one line that names the file: '/x/site.d/…/index.html: No space left on device'."""
    if not exc.filename:
        return str(exc.strerror or exc)
    return f"{exc.filename2 or exc.filename}: {exc.strerror or exc}"  # a copy's or a rename's: where it went


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
_held_locks: list[int] = []  # the lock files' descriptors this process holds (a child closes its copies)


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
        for fd in _held_locks:  # the lock belongs to the parent: a child left running must not keep it
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


def run_each(starters: list[Callable[[], int]], jobs: int = 1) -> list[Finished]:
    """Start processes (each starter returns a pid; its stderr goes to a temporary file) `jobs` at a time,
    in order; stop at the first that fails (the others are killed). wait4 gives each one's peak memory."""
    waiting, finished = list(starters), []
    running: list[tuple[int, typing.IO[str]]] = []
    try:
        while waiting or running:
            while waiting and len(running) < max(1, jobs):
                # a file, not a pipe: nothing can block on it; closed by the `with first_log:` below
                log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
                saved = os.dup(2)
                try:
                    os.dup2(log.fileno(), 2)
                    running.append((waiting.pop(0)(), log))
                finally:
                    os.dup2(saved, 2)
                    os.close(saved)
            pid, first_log = running[0]
            with first_log:
                _, status, usage = os.wait4(pid, 0)
                running.pop(0)
                first_log.seek(0)
                finished.append(Finished(os.waitstatus_to_exitcode(status), first_log.read(), usage.ru_maxrss / 1024))
            if finished[-1].returncode:
                break
    finally:
        for pid, other_log in running:  # after a failure or an interruption: the other builds are of no use
            _kill(pid)
            other_log.close()
    return finished


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
    from macros import state
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

    def starter(config_file: str, site_dir: Path) -> Callable[[], int]:
        return lambda: fork(lambda: _language_main(config_file, site_dir, overrides))

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


def _language_main(config_file: str, site_dir: Path, overrides: dict) -> int:
    """The body of one language's process."""
    try:
        build_language(config_file, site_dir, **overrides)
    except SystemExit as exc:  # mkdocs' Abort (strict mode warnings) is a SystemExit subclass
        print(exc, file=sys.stderr)
        return BUILD_FAILED
    return 0


# --- Publishing: <out> is a link to <out>.d/<version>, switched in one rename -------------------------------


def _names(target: Path) -> dict[str, str]:
    """The names beside `target` that its builds use (all in target's parent folder)."""
    name = target.name
    return {
        "versions": f"{name}.d",
        "lock": f".{name}.lock",
        "staging": f".{name}-build-",
        "scratch": f".{name}-work-",
        "link": f".{name}-link-",
    }


_OLD_STAGING = re.compile(r"\.site-[a-z0-9_]{8}")  # mkdtemp's folders from builds before the versioned layout


@contextlib.contextmanager
def publishing_lock(target: Path) -> Iterator[None]:
    """Hold the lock file beside `target` for the whole build; a second build of the same site waits, saying
    so. The kernel releases the lock when its holder dies, however it dies."""
    if fcntl is None:
        yield
        return
    path = target.parent / _names(target)["lock"]
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            print(f"waiting for another build of {target} (pid {holder}) to finish", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held_locks.append(fd)
        yield
    finally:
        if fd in _held_locks:
            _held_locks.remove(fd)
        os.close(fd)  # releases the lock


def _remove(path: Path) -> None:
    """Remove a file, link or folder (a link, not what it points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def remove_leftovers(target: Path) -> None:
    """What killed builds of `target` left beside it: staging and scratch folders, temporary links, and the
    folders of builds from before the versioned layout. Called with the lock held, so no live build owns them."""
    names = _names(target)
    temporary = (names["staging"], names["scratch"], names["link"])
    with os.scandir(target.parent) as entries:
        found = [
            Path(entry.path)
            for entry in entries
            if entry.name.startswith(temporary)
            or entry.name == f"{target.name}.previous"
            or (_OLD_STAGING.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False))
        ]
    for path in found:
        _remove(path)


def current_version(target: Path) -> str | None:
    """The version `target` links to (None when it does not exist yet); raises PublishError if `target` is
    something this build must not replace."""
    versions = _names(target)["versions"]
    if target.is_symlink():
        link = os.readlink(target)
        version = link[len(versions) + 1 :] if link.startswith(versions + "/") else ""
        if not version or "/" in version or version.startswith("."):
            raise PublishError(
                f"{target} is a link to {link}, not to a version in {versions}/: remove it or choose another --out"
            )
        return version
    if not target.exists():
        return None
    if not target.is_dir():
        raise PublishError(f"{target} is a file, not a site: remove it or choose another --out")
    if any(target.iterdir()) and not ((target / "index.html").is_file() and (target / "en" / "index.html").is_file()):
        raise PublishError(
            f"{target} is a folder that holds no built site (no index.html, en/index.html): "
            f"remove it or choose another --out"
        )
    return ""  # a plain folder from a build before the versioned layout: migrated by switch_to


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


def switch_to(target: Path, version: str, previous: str | None) -> None:
    """Point `target` at <versions>/<version> in one rename, then keep only that version and `previous`."""
    names = _names(target)
    versions = target.parent / names["versions"]
    link = target.parent / f"{names['link']}{version}"
    try:
        link.symlink_to(f"{names['versions']}/{version}")  # relative: the folder can be moved or mounted elsewhere
    except OSError:
        if os.name != "nt":
            raise
        # Windows, without the right to make links: site/ stays a plain folder, replaced by two renames.
        if target.exists():
            previous = previous or f"{version}-old"
            target.rename(versions / previous)
        (versions / version).rename(target)
        version = ""
    else:
        _switch_link(target, link, versions, version, previous == "")
        previous = f"{version}-old" if previous == "" else previous
    # Published. What follows only saves room, and is tried again after the next build.
    with contextlib.suppress(OSError):
        for entry in list(versions.iterdir()):  # killed builds' versions and the one before `previous`
            if entry.name not in (version, previous):
                _remove(entry)


def _switch_link(target: Path, link: Path, versions: Path, version: str, plain: bool) -> None:
    """Rename `link` over `target`; a plain `target` folder is exchanged for it and moved to <version>-old."""
    previous = f"{version}-old"
    if plain:  # site/ is a plain folder from an older build: swap it for the link, keep it as <version>-old
        if _exchange(link, target):
            with contextlib.suppress(OSError):  # published; else `link`, now the old folder, goes as a leftover
                link.rename(versions / previous)
        else:  # no rename-exchange here: site/ is absent between these two renames, once
            target.rename(versions / previous)
            try:
                os.replace(link, target)
            except OSError:
                (versions / previous).rename(target)
                raise
    else:
        os.replace(link, target)  # atomic: readers see the old version or the new one, never neither


def _new_version() -> str:
    now = time.time_ns()
    return f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime(now // 10**9))}-{now % 10**9:09d}-{os.getpid()}"


def publish(target: Path, jobs: int = 1, **overrides) -> list[str]:
    """Build, check and switch `target` to the new version; return the data or build problems that stopped
    it (empty on success). Raises PublishError for a problem outside the data (a one-line message); in every
    case but success, `target` is as it was."""
    from handbook.store import DataInvalid

    target = Path(os.path.abspath(target))  # not resolve(): `target` itself is a link to the current version
    names = _names(target)
    version = _new_version()
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
                        _remove(temporary)
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
