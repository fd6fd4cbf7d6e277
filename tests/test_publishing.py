"""Crash-safe publishing: site/ is a link to a version folder, switched in one rename, so it is never absent
or half-written; a build that is killed, interrupted, out of disk or refused a write leaves the last good site
served as it was, with one line saying why; two builds of one site never interleave; killed builds leave no
process and, after the next build, no folder behind; a tree without git history builds with a warning."""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_project, run_build

from scripts import publishing
from scripts.local_site import start_server

LEFTOVERS = (".site-build-*", ".site-work-*", ".site-link-*")


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _env(epoch: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["HANDBOOK_SEEDS"] = str(SEEDS)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    return env


def _command(project: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "scripts.build_site", "--out", str(out)]  # run in `project`: its own code


def _build(project: Path, out: Path, epoch: str, **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(project, out), capture_output=True, text=True, cwd=project, timeout=300, env=_env(epoch), **popen
    )


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for pattern in LEFTOVERS for p in out.parent.glob(pattern))


def _versions(out: Path) -> list[str]:
    return sorted(p.name for p in (out.parent / "site.d").iterdir())


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project copied without .git, built once with no SOURCE_DATE_EPOCH into www/site; later builds in this
    module reuse the date it took, so every good build gives the same bytes."""
    base = tmp_path_factory.mktemp("publishing")
    project = copy_project(base / "project")
    out = base / "www" / "site"
    result = _build(project, out, epoch=None)
    assert result.returncode == 0, result.stderr
    epoch = re.search(r"SOURCE_DATE_EPOCH=(\d+)", result.stderr).group(1)
    return {"project": project, "out": out, "epoch": epoch, "digest": _tree_digest(out), "first": result}


def _assert_last_good_site(published) -> None:
    out = published["out"]
    assert out.is_symlink() and os.readlink(out).startswith("site.d/")
    assert _tree_digest(out) == published["digest"]


# --- Where the build's date comes from ------------------------------------------------------------------


def test_a_tree_without_git_history_builds_dated_today_with_a_warning_saying_how_to_pin_it(published):
    epoch = int(published["epoch"])
    assert epoch % 86400 == 0 and abs(time.time() - epoch) < 2 * 86400
    day = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    warning = (
        f"warning: {published['project']} has no git history, so the build is dated today, {day} "
        f"(SOURCE_DATE_EPOCH={epoch}); to build the same bytes as the commit, set SOURCE_DATE_EPOCH "
        f"to its `git log -1 --format=%ct`"
    )
    assert published["first"].stderr.splitlines() == [warning]
    assert published["first"].stdout == f"built {published['out']}\n"


def test_a_tree_without_git_given_the_commit_s_date_builds_the_bytes_of_the_git_checkout(site, tmp_path):
    stamp = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if not stamp:
        pytest.skip("this checkout has no git history to compare with")
    project = tmp_path / "exported"  # every tracked file, as an archive of the commit holds them, and no .git
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    assert not (project / ".git").exists()
    result = _build(project, tmp_path / "site", epoch=stamp)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert _tree_digest(tmp_path / "site") == _tree_digest(site)


# --- The site is never absent, and the lock --------------------------------------------------------------


def test_a_second_build_waits_for_the_lock_then_replaces_an_old_plain_site_folder(published, tmp_path):
    """The old layout (site/ a plain folder, with an old build's staging folder and site.previous beside it) is
    migrated while the lock is held by someone else: the build waits, saying so, and touches nothing."""
    out = tmp_path / "site"
    shutil.copytree(published["out"], out)  # a plain folder, as builds before the versioned layout left it
    (tmp_path / ".site-k3x_9abc").mkdir()
    (tmp_path / "site.previous").mkdir()
    lock = os.open(tmp_path / ".site.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    os.write(lock, f"{os.getpid()}\n".encode())
    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:
        build = subprocess.Popen(
            _command(published["project"], out),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=published["project"],
            env=_env(published["epoch"]),
        )
    try:
        waiting = f"waiting for another build of {out} (pid {os.getpid()}) to finish"
        deadline = time.monotonic() + 60
        while waiting not in log.read_text() and time.monotonic() < deadline and build.poll() is None:
            time.sleep(0.1)
        assert log.read_text().splitlines() == [waiting]
        time.sleep(1)
        assert build.poll() is None
        assert not _leftovers(out) and not (tmp_path / "site.d").exists()  # nothing started while it waited
        assert not out.is_symlink() and (tmp_path / ".site-k3x_9abc").exists()
    finally:
        os.close(lock)
    assert build.wait(timeout=300) == 0, log.read_text()
    assert out.is_symlink()
    current = os.readlink(out)
    versions = _versions(out)
    assert len(versions) == 2 and f"site.d/{versions[0]}" == current and versions[1] == versions[0] + "-old"
    assert _tree_digest(out) == _tree_digest(tmp_path / "site.d" / versions[1]) == published["digest"]
    assert not (tmp_path / ".site-k3x_9abc").exists() and not (tmp_path / "site.previous").exists()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


def _start_and_wait_until_building_english(published, tmp_path) -> tuple[subprocess.Popen, Path, Path]:
    """A build in a subprocess, caught in the middle: Chinese done, English being written."""
    out, log = published["out"], tmp_path / "stderr.txt"
    with open(log, "w") as stderr:  # a file: a pipe would keep the test waiting on any process holding it
        build = subprocess.Popen(
            _command(published["project"], out),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=published["project"],
            env=_env(published["epoch"]),
        )
    deadline = time.monotonic() + 240
    while not list(out.parent.glob(f".site-build-*-{build.pid}/en/assets")):
        assert build.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.02)
    return build, out, log


def _get(origin: str, path: str) -> bytes:
    with urllib.request.urlopen(origin + path, timeout=10) as response:
        return response.read()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; children die with the parent on Linux")
def test_a_build_killed_mid_way_leaves_the_site_served_and_no_process_and_the_next_build_cleans_up(published, tmp_path):
    out = published["out"]
    httpd, origin = start_server(out)  # serves through the link: each request sees the version it points to now
    try:
        build, out, _ = _start_and_wait_until_building_english(published, tmp_path)
        children = _children(build.pid)
        assert children  # the English build, and perhaps the pinyin helper
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 5
        while any(_alive(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [child for child in children if _alive(child)], "forked processes outlived the killed build"
        _assert_last_good_site(published)
        assert _get(origin, "/") == (out / "index.html").read_bytes()
        assert _get(origin, "/en/programmes/") == (out / "en" / "programmes" / "index.html").read_bytes()
        assert _leftovers(out)  # what the killed build left, until the next build

        again = _build(published["project"], out, published["epoch"])
        assert again.returncode == 0, again.stderr
        assert _leftovers(out) == []
        assert len(_versions(out)) == 2  # the new one and the one before it, no more
        _assert_last_good_site(published)
        assert _get(origin, "/") == (out / "index.html").read_bytes()
    finally:
        httpd.shutdown()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_build_stopped_by_a_signal_stops_at_once_with_one_line_and_cleans_up(published, tmp_path, signum):
    build, out, log = _start_and_wait_until_building_english(published, tmp_path)
    children = _children(build.pid)
    build.send_signal(signum)
    assert build.wait(timeout=30) == 1
    assert log.read_text().splitlines() == [f"build interrupted ({signum.name}); {out} was left unchanged"]
    assert not [child for child in children if _alive(child)]
    assert _leftovers(out) == []  # cleaned up by the build itself, not only by the next one
    _assert_last_good_site(published)


# --- Writes the system refuses ----------------------------------------------------------------------------


def _small_file_limit() -> None:
    """In the build's process: files may not grow past 256 KB (as when a disk fills up), and going past it is
    an error (EFBIG), not the signal that would kill the process (the build's forked processes inherit both)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


def test_a_full_disk_fails_the_build_with_one_line_and_keeps_the_site(published):
    out = published["out"]
    result = _build(published["project"], out, published["epoch"], preexec_fn=_small_file_limit)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert re.fullmatch(
        rf"build failed: {re.escape(str(out.parent))}/\.site-build-[^:]+: File too large; "
        rf"{re.escape(str(out))} was left unchanged",
        line,
    ), line
    assert _leftovers(out) == []
    _assert_last_good_site(published)


def _without_root_s_override() -> None:
    """In the build's process, when run as root: give up CAP_DAC_OVERRIDE (drop it from the bounding set, so
    the exec'd Python starts without it), so folder permissions bind it as they bind any user."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override = 24, 1
    if libc.prctl(pr_capbset_drop, cap_dac_override, 0, 0, 0) != 0:
        os._exit(77)


def test_a_read_only_output_folder_fails_the_build_with_one_line_and_keeps_the_site(published):
    out = published["out"]
    out.parent.chmod(0o555)
    try:
        preexec = _without_root_s_override if os.geteuid() == 0 else None
        result = _build(published["project"], out, published["epoch"], preexec_fn=preexec)
    finally:
        out.parent.chmod(0o755)
    if result.returncode == 77:
        pytest.skip("running as root without the right to drop CAP_DAC_OVERRIDE, which a read-only folder needs")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert re.fullmatch(
        rf"build failed: {re.escape(str(out.parent))}/\.site-work-[^:]+: Permission denied; "
        rf"{re.escape(str(out))} was left unchanged",
        line,
    ), line
    _assert_last_good_site(published)


@pytest.mark.parametrize("case", ["file", "under a file", "link elsewhere", "folder of other things"])
def test_an_output_path_that_is_no_site_is_refused_with_one_line_and_left_alone(published, tmp_path, case):
    target = {
        "file": tmp_path / "site",
        "under a file": tmp_path / "notes.txt" / "site",
        "link elsewhere": tmp_path / "site",
        "folder of other things": tmp_path / "site",
    }[case]
    (tmp_path / "notes.txt").write_text("mine")
    if case == "file":
        target.write_text("mine")
    elif case == "link elsewhere":
        target.symlink_to(tmp_path / "notes.txt")
    elif case == "folder of other things":
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    expected = {
        "file": f"{target} is a file, not a site: remove it or choose another --out",
        "under a file": f"{tmp_path / 'notes.txt'} is a file, not a folder: choose another --out",
        "link elsewhere": f"{target} is a link to {tmp_path / 'notes.txt'}, not to a version in site.d/: remove it "
        f"or choose another --out",
        "folder of other things": f"{target} is a folder that holds no built site (no index.html, en/index.html): "
        f"remove it or choose another --out",
    }[case]
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = run_build(published["project"], target)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"build failed: {expected}; {target} was left unchanged"]
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before  # not even a lock file
    assert (tmp_path / "notes.txt").read_text() == "mine"


# --- The pieces, without a build --------------------------------------------------------------------------


def _fake_version(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "en").mkdir()
    (folder / "en" / "index.html").write_text(text)
    return folder


@pytest.mark.parametrize("exchange", [True, False], ids=["rename-exchange", "two renames"])
def test_an_old_plain_site_folder_becomes_the_previous_version(tmp_path, monkeypatch, exchange):
    if not exchange:  # as on a system or file system without renameat2(RENAME_EXCHANGE)
        monkeypatch.setattr(publishing, "_exchange", lambda first, second: False)
    out = tmp_path / "site"
    _fake_version(out, "old")
    _fake_version(tmp_path / "site.d" / "v2", "new")
    assert publishing.current_version(out) == ""
    publishing.switch_to(out, "v2", "")
    assert os.readlink(out) == "site.d/v2" and (out / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.d"]
    assert (tmp_path / "site.d" / "v2-old" / "index.html").read_text() == "old"


def test_switching_keeps_the_new_version_and_the_one_it_replaced_only(tmp_path):
    out = tmp_path / "site"
    for version in ("v1", "v2", "v3", "v4"):  # v1: the one before the last; v2: a killed build's
        _fake_version(tmp_path / "site.d" / version, version)
    out.symlink_to("site.d/v3")
    assert publishing.current_version(out) == "v3"
    publishing.switch_to(out, "v4", "v3")
    assert os.readlink(out) == "site.d/v4"
    assert sorted(p.name for p in (tmp_path / "site.d").iterdir()) == ["v3", "v4"]


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(tmp_path):
    out = tmp_path / "site"
    for name in (
        ".site-build-1",
        ".site-work-1",
        ".site-k3x_9abc",
        "site.previous",
        ".site-notes",
        "other",
        ".other-build-1",
    ):
        (tmp_path / name).mkdir()
    (tmp_path / ".site-link-1").symlink_to("site.d/1")
    (tmp_path / ".site.lock").write_text("1\n")
    publishing.remove_leftovers(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-build-1", ".site-notes", ".site.lock", "other"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_forked_process_dies_with_the_process_that_forked_it(tmp_path):
    script = (
        "import time; from scripts import language_builds\n"
        "pid = language_builds.fork(lambda: time.sleep(120) or 0)\n"
        "print(pid, flush=True); time.sleep(120)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=_env(None), cwd=ROOT
    )
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
