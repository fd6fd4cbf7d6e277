"""Publishing a built site safely: <out> is a link to <out>.d/<version>, switched in one rename.

A lock file beside <out> (.<name>.lock) makes a second build of the same site wait for the first; a build starts by
removing what killed builds left behind (staging and scratch folders, temporary links), and keeps the current
version and at most one previous one. A plain <out> folder from before this layout is swapped for the link in one
step too (renameat2 RENAME_EXCHANGE where the system has it).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock (builds there are run by hand, one at a time)
    fcntl = None  # type: ignore[assignment]  # a module or None, tested before each use

held_locks: list[int] = []  # the lock files' descriptors this process holds (a forked child closes its copies)


class PublishError(Exception):
    """The site could not be built or published for a reason outside the data: a full disk, no permission,
    something else in the way, an interruption. The message is one line."""


def os_problem(exc: OSError) -> str:
    """An OSError as one line that names the file: '/x/site.d/…/index.html: No space left on device'."""
    if not exc.filename:
        return str(exc.strerror or exc)
    return f"{exc.filename2 or exc.filename}: {exc.strerror or exc}"  # a copy's or a rename's: where it went


def sibling_names(target: Path) -> dict[str, str]:
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
    path = target.parent / sibling_names(target)["lock"]
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
        held_locks.append(fd)
        yield
    finally:
        if fd in held_locks:
            held_locks.remove(fd)
        os.close(fd)  # releases the lock


def remove_path(path: Path) -> None:
    """Remove a file, link or folder (a link, not what it points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def remove_leftovers(target: Path) -> None:
    """What killed builds of `target` left beside it: staging and scratch folders, temporary links, and the
    folders of builds from before the versioned layout. Called with the lock held, so no live build owns them."""
    names = sibling_names(target)
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
        remove_path(path)


def current_version(target: Path) -> str | None:
    """The version `target` links to (None when it does not exist yet); raises PublishError if `target` is
    something this build must not replace."""
    versions = sibling_names(target)["versions"]
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
    names = sibling_names(target)
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
                remove_path(entry)


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


def new_version() -> str:
    now = time.time_ns()
    return f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime(now // 10**9))}-{now % 10**9:09d}-{os.getpid()}"
