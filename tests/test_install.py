"""The project installs as a package (make runs `pip install -e .`), with no sys.path edits in its code, and a copy
of it builds with its own code: run in the copy's folder by its scripts, or by MkDocs run from anywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEEDS, copy_project, run_build

PAGE = Path("programmes") / "ankang-cup" / "index.html"


def test_the_packages_import_from_any_folder(tmp_path: Path):
    probe = "import handbook.store, macros.state, scripts.build_site"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, f"not installed (make runs pip install -e .): {result.stderr[-2000:]}"


def test_no_code_edits_sys_path():
    edit = re.compile(r"sys\.path\s*(\.(insert|append|extend|remove)\(|\[|\+?=)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("handbook", "macros", "scripts", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if edit.search(line) and path != Path(__file__)
    ]
    assert found == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_copy_builds_with_its_own_handbook_and_macros(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    _edit(project / "handbook" / "cite.py", "[EB/OL]", "[EB/OL-COPY]")
    _edit(project / "macros" / "labels.py", '"引用本页"', '"引用本页（副本）"')

    result = run_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "site" / PAGE).read_text(encoding="utf-8")
    assert "[EB/OL-COPY]" in page and "引用本页（副本）" in page

    # Plain `mkdocs build` from another folder: the hooks and the macros are the copy's, as mkdocs.yml is.
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "plain")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, "HANDBOOK_SEEDS": str(SEEDS)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "plain" / PAGE).read_text(encoding="utf-8")
    assert "[EB/OL-COPY]" in page and "引用本页（副本）" in page
