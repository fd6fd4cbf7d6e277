"""What the benchmarks share: their budgets and verdict, the synthetic handbook, and one build timed in a fresh
process (run_build), whose child (build_in_child) builds both languages and reports its peak memory."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.language_builds import CONFIGS, build_into, build_language, fork, language_site, run_each
from scripts.synthetic import make_synthetic, seeds_env

ROOT = Path(__file__).resolve().parent.parent

RUNS = 7  # search: cold page loads per query
BUILD_RUNS = 3  # full and floor builds, each
CHECK_RUNS = 5  # in-process data checks and YAML parses, each
SYNTHETIC_N = 2000
BUDGET_BUILD = 1.2
BUDGET_CHECK = 1.5
BUDGET_MEMORY_MB = 400
BUDGET_PAGE_KB = 400
CAP = 3.0  # a full build slower than this many floors is stopped (far over budget; keeps the run short)
SYNTHETIC_RUNS = 1  # full/floor pairs at 2,000 programmes (a pair takes ~2 min here; --runs 3 for a median)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# --- builds in child processes --------------------------------------------------------------------------------


class _Capture:
    """A plugin registered after macros and hooks.py: it writes each page's final Markdown, with its title and
    metadata as front matter, as a plain page of the floor."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.markdown: dict[tuple[str, str], str] = {}

    def on_page_markdown(self, markdown, page, config, files):
        blocks = getattr(page, "handbook_blocks", None)  # a generated page's HTML, which events.py puts in later
        if blocks is not None:
            from macros.pages import fill_placeholders, render_blocks

            markdown = fill_placeholders(markdown, render_blocks(blocks))
        self.markdown[(config["site_dir"], page.file.src_uri)] = markdown
        return markdown

    def on_page_context(self, context, page, config, nav):  # after events.py set page.meta["source_file"]
        import yaml

        meta = dict(page.meta)
        if page.title:
            meta["title"] = page.title
        path = self.folder / config["extra"]["lang"] / page.file.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
        body = self.markdown.pop((config["site_dir"], page.file.src_uri))
        path.write_text(f"---\n{front}---\n\n{body}" if front else body, encoding="utf-8")
        return context


def build_in_child(argv: list[str]) -> int:
    """Run inside a fresh process (the parent reads its time): one build of both languages. The full build is
    scripts/build_site.py's (load once, then a forked process per language, `--jobs` at a time); the floor
    builds both languages in this one process (--jobs 2: each in a process of its own, side by side). Prints
    the peak memory: the largest process's high-water mark (--jobs 2: the sum of the languages')."""
    import logging

    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["full", "floor"])
    parser.add_argument("project")
    parser.add_argument("out")
    parser.add_argument("--floor-docs")
    parser.add_argument("--capture")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    project, out = Path(args.project), Path(args.out)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    if args.mode == "full" and args.capture:  # untimed: in this process, so the capture plugin can be added
        import mkdocs.config

        capture, load = _Capture(Path(args.capture)), mkdocs.config.load_config

        def load_config(*a, **k):
            config = load(*a, **k)
            config.plugins["bench-capture"] = capture  # type: ignore[assignment]  # a plugin in all but its base class
            return config

        mkdocs.config.load_config = load_config
        for config_file, subdir, _ in CONFIGS:
            build_language(config_file, language_site(out, subdir))
        return 0
    if args.mode == "full":
        finished = build_into(out, jobs=args.jobs)
    elif args.jobs > 1:

        def starter(lang: str):
            return lambda: (fork(lambda: _floor_language(project, out, Path(args.floor_docs), lang)), None)

        finished = run_each([starter(lang) for _, _, lang in CONFIGS], args.jobs)
        failed = [done for done in finished if done.returncode]
        if failed:
            sys.stderr.write(failed[0].stderr)
            return 1
    else:
        for _, _, lang in CONFIGS:
            _floor_language(project, out, Path(args.floor_docs), lang)
        finished = []
    peaks = [done.peak_mb for done in finished]
    own = peak_mb(os.getpid())
    print(f"peak-mb {sum(peaks) if args.jobs > 1 else max(peaks + [own]):.1f}")
    return 0


def _floor_language(project: Path, out: Path, floor_docs: Path, lang: str) -> int:
    config_file, subdir, _ = next(c for c in CONFIGS if c[2] == lang)
    build_language(config_file, language_site(out, subdir), docs_dir=str(floor_docs / lang), plugins=[], hooks=[])
    return 0


def peak_mb(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM). Unlike the rusage a parent gets from wait4, it does not
    start from the parent's own size (Linux carries the forking process's high-water mark across exec)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_build(mode: str, project: Path, out: Path, limit: float | None = None, **options: object) -> dict:
    """One build in a fresh process: wall-clock seconds and peak resident memory in MB (read by the child at
    its end, or polled while it runs when it is stopped after `limit` seconds; then `stopped` is True)."""
    # In the project's folder, which comes first on sys.path: the child runs that project's scripts and code.
    command = [sys.executable, "-m", "scripts.bench", "_child", mode, str(project), str(out)]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    peak, stopped = 0.0, False
    os.sync()  # let the previous build's (or deletion's) writes reach the disk first: same start for every build
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=project, env=seeds_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )  # its own process group: stopping it stops its languages
        while child.poll() is None:
            peak = max(peak, peak_mb(child.pid))
            if limit and time.perf_counter() - start > limit:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                stopped = True
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if child.returncode != 0 and not stopped:
        sys.stderr.write(output[-6000:])
        raise SystemExit(f"{mode} build of {project} failed (exit {child.returncode})")
    reported = [line for line in output.splitlines() if line.startswith("peak-mb ")]
    if reported:
        peak = float(reported[-1].split()[1])
    return {"s": seconds, "mb": peak, "stopped": stopped}


def synthetic_project(ctx: dict, n: int) -> Path:
    if n not in ctx["synthetic"]:
        work = Path(tempfile.mkdtemp(prefix=f"bench-synthetic-{n}-"))
        ctx["cleanup"].append(work)
        start = time.perf_counter()
        ctx["synthetic"][n] = make_synthetic(work / "project", n)
        real = sum(1 for _ in (ROOT / "data" / "programmes").glob("*.yml"))
        print(
            f"  (synthetic handbook of {n} programmes written in {time.perf_counter() - start:.1f} s: "
            f"the {real} real ones and {n - real} copies under new ids, citing and quoting the real sources)"
        )
    return ctx["synthetic"][n]
