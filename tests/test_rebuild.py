"""A long-lived process (plain `mkdocs serve`) builds again after an edit: the second build shows the edited data
and the edited template, not what the first build cached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS, copy_project

TWO_BUILDS = """
import sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

project = Path(sys.argv[1])
programme = project / "data" / "programmes" / "ankang-cup.yml"
template = project / "macros" / "templates" / "programme" / "header.html"
page = project / "site" / "programmes" / "ankang-cup" / "index.html"

def build_once() -> str:
    build(load_config(str(project / "mkdocs.yml")))
    return page.read_text(encoding="utf-8")

first = build_once()
programme.write_text(programme.read_text(encoding="utf-8").replace("zh: “安康杯”竞赛", "zh: “安康杯”竞赛改名"),
                     encoding="utf-8")
template.write_text('<p class="hb-edited-template">模板已改</p>\\n' + template.read_text(encoding="utf-8"),
                    encoding="utf-8")
second = build_once()
print("first", "安康杯”竞赛改名" in first, "hb-edited-template" in first)
print("second", "安康杯”竞赛改名" in second, "hb-edited-template" in second)
"""


def test_a_second_build_in_one_process_sees_edits_to_data_and_templates(tmp_path: Path):
    project = copy_project(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-c", TWO_BUILDS, str(project)],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=300,
        env={**os.environ, "HANDBOOK_SEEDS": str(SEEDS)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split("\n")[:2] == ["first False False", "second True True"]
