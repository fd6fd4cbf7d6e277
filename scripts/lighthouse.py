"""Lighthouse (npm `lighthouse`, pinned in package.json) on the built site as a real host would serve it
(gzip, cache headers), mobile settings, on the page types readers meet: home, a programme page, the glossary, a
source document and an English programme page. Prints each page's four scores and exits 1 if one misses its
budget: performance ≥ 98, accessibility, best practices and SEO 100.

  python -m scripts.lighthouse [SITE_DIR] [--json DIR]   (default: site/, built with `make build`)
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from scripts.local_site import CHROMIUM, QuietHandler

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/programmes/jinqiu-student-aid/",
    "/glossary/",
    "/sources/xinxiang-2015-work-points/",
    "/en/programmes/jinqiu-student-aid/",
]
BUDGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt"}


class GzipHandler(QuietHandler):
    """Text files gzipped when the browser asks, with a validator and a day's caching, as a static host sends them."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=86400")
        self.send_header("Last-Modified", email.utils.formatdate(path.stat().st_mtime, usegmt=True))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def run(site: Path, keep: Path | None) -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    missed = 0
    try:
        for page in PAGES:
            with tempfile.TemporaryDirectory() as work:
                report = Path(work) / "report.json"
                subprocess.run(
                    [
                        str(binary),
                        origin + page,
                        "--quiet",
                        "--output=json",
                        f"--output-path={report}",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        "--form-factor=mobile",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    ],
                    check=True,
                    env={**os.environ, "CHROME_PATH": CHROMIUM},
                    timeout=300,
                )
                data = json.loads(report.read_text(encoding="utf-8"))
                if keep:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / (page.strip("/").replace("/", "_") or "home")).with_suffix(".json").write_text(
                        report.read_text(encoding="utf-8"), encoding="utf-8"
                    )
            scores = {name: round(data["categories"][name]["score"] * 100) for name in BUDGETS}
            misses = [name for name, score in scores.items() if score < BUDGETS[name]]
            missed += bool(misses)
            figures = ", ".join(f"{name} {score}" for name, score in scores.items())
            print(f"{page}: {figures}" + (f" — MISSED: {', '.join(misses)}" if misses else " — met"))
            if misses:
                for audit in data["audits"].values():
                    if (
                        audit.get("score") is not None
                        and audit["score"] < 0.9
                        and audit.get("scoreDisplayMode") in ("numeric", "binary")
                    ):
                        print(f"    {audit['id']}: {audit.get('displayValue', '')} ({audit['score']})")
    finally:
        server.shutdown()
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--json", default=None, help="keep each page's report in this folder")
    args = parser.parse_args(argv)
    return run(Path(args.site), Path(args.json) if args.json else None)


if __name__ == "__main__":
    sys.exit(main())
