"""Build both languages and serve them on http://127.0.0.1:8000, rebuilding when data/, docs/, macros/ or
overrides/ change. A failed rebuild prints its problems and keeps serving the last good site.

Usage: python -m scripts.serve [--port 8000]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHED = ("data", "docs", "macros", "overrides", "handbook", "mkdocs.yml", "mkdocs.en.yml")


def _snapshot() -> dict[str, int]:
    files: dict[str, int] = {}
    for name in WATCHED:
        path = ROOT / name
        for item in [path] if path.is_file() else path.rglob("*"):
            if item.is_file() and "__pycache__" not in item.parts:
                files[str(item)] = item.stat().st_mtime_ns
    return files


def _rebuild(site: Path) -> None:
    """A fresh process each time, so edits to the code (macros/, handbook/) count as much as edits to data."""
    started = time.perf_counter()
    failed = subprocess.run(
        [sys.executable, "-m", "scripts.build_site", "--out", str(site)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    ).returncode  # its problems go to stderr
    status = "build failed, still serving the last good site" if failed else "built"
    print(f"{status} in {time.perf_counter() - started:.1f} s", flush=True)


def _watch(site: Path) -> None:
    seen = _snapshot()
    while True:
        time.sleep(1)
        now = _snapshot()
        if now != seen:
            seen = now
            _rebuild(site)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    site = ROOT / "site"
    _rebuild(site)
    threading.Thread(target=_watch, args=(site,), daemon=True).start()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:  # site/ is a link each rebuild switches to a new version
            self.directory = str(site)
            return super().translate_path(path)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer((args.host, args.port), functools.partial(Handler, directory=str(site)))
    print(f"serving the handbook at http://{args.host}:{args.port}/ (English: /en/); Ctrl-C stops", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
