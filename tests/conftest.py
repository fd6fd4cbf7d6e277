"""Shared fixtures: a scratch copy of the data, the real site built once, a local server and a browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.local_site import CHROMIUM, launch_chromium, serving

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("HANDBOOK_SEEDS", str(SEEDS))
# Copies of the project share the checkout's cache of share cards and kit files (each is drawn once, not per copy).
os.environ.setdefault("HANDBOOK_CACHE", str(ROOT / ".cache"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

PROJECT_PARTS = ("data", "docs", "macros", "overrides", "handbook", "scripts", "mkdocs.yml", "mkdocs.en.yml")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A project folder holding a copy of data/, to break on purpose."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def copy_project(target: Path) -> Path:
    """Everything a site build needs, copied, so a test can change data and build without touching the repo."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", ".generated"))
        else:
            shutil.copy(source, target / part)
    return target


def run_in(project: Path, module: str, *args: str, date: str | None = None) -> subprocess.CompletedProcess:
    """`python -m module args` in `project`'s folder (first on sys.path: the project runs its own code), with the
    seeds. `date`: a SOURCE_DATE_EPOCH (a copy has no git history, so its build is dated today)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=300,
        env={**os.environ, "HANDBOOK_SEEDS": str(SEEDS), **({"SOURCE_DATE_EPOCH": date} if date else {})},
    )


def run_build(project: Path, out: Path, *options: str, date: str | None = None) -> subprocess.CompletedProcess:
    """Build as `make build` does, in `project`'s folder."""
    return run_in(project, "scripts.build_site", "--out", str(out), *options, date=date)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real handbook, built once for the whole run by the same script `make build` uses."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_build(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


def html(site: Path, path: str) -> str:
    """A built page's HTML, by its path in the site (e.g. programmes/ankang-cup/index.html)."""
    return (site / path).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def server(site: Path):
    """The built site on a free port of 127.0.0.1; yields its origin."""
    with serving(site) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` (make test does it)")
    with playwright_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


HOSTILE = """id: hostile
category: skills-and-contribution
name:
  zh: "<script>alert('zh')</script>{{ 7*7 }}"
  en: "<img src=x onerror=alert(1)>{% raw %}x{% endraw %}"
summary:
  zh: "{{ config.site_name }} **粗体** [链接](javascript:alert(1)) {# 注释 #}"
  en: "<b onmouseover=alert(1)>hover</b> `code` {{ 6*7 }}"
  cite: [xinxiang-2015-work-points#p8]
purpose:
  zh: 目的：敌意术语。
  en: "Purpose: the hostile term."
  cite: [xinxiang-2015-work-points#p8, hostile-reference]
organisers:
  - body: {zh: "<iframe src=//evil.example>", en: "{% include 'base.html' %}"}
    level: county
    cite: [xinxiang-2015-work-points#p8]
beneficiaries:
  zh: 对象。
  en: Beneficiaries.
  cite: [xinxiang-2015-work-points#p8]
how_it_runs:
  - zh: "# 不是标题 <!-- 注释 -->"
    en: "* not a list"
    cite: [xinxiang-2015-work-points#p8]
aliases:
  zh: ["<svg onload=window.__pwned=1>敌意测试"]
  en: ["<img src=x onerror=window.__pwned=1>hostile test"]
terms: [hostile-term]
reviewed: {date: "2026-11-21", by: test}
"""

# Text that reaches an element's `title` (and so a tooltip): a glossary definition is the title of every link to
# the term, a reference's title and publisher are the title of its citation marks, and a long unbroken name is
# copied by Material into its table-of-contents entry's title. Each payload names itself in window.__pwned.
HOSTILE_DEFINITION = {
    "zh": "<img src=x onerror=\"window.__pwned='definition-zh'\">敌意定义<svg onload=alert('definition-zh')>",
    "en": "<img src=x onerror=\"window.__pwned='definition-en'\">A hostile definition<svg onload=alert(2)>",
}
HOSTILE_REFERENCE_TITLE = "<img src=x onerror=\"window.__pwned='reference-title'\">Hostile reference"
HOSTILE_REFERENCE_PUBLISHER = "<svg onload=\"window.__pwned='reference-publisher'\">Hostile publisher"
HOSTILE_CATEGORY_NAME = {
    lang: f"<img/src='x'/onerror=window.__pwned='category-{lang}'>" + "Overlong" * 12 for lang in ("zh", "en")
}
HOSTILE_LONG_NAME = {
    lang: f"<img/src='x'/onerror=window.__pwned='programme-{lang}'>" + "Unbroken" * 12 for lang in ("zh", "en")
}


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


HOSTILE_TERM = f"""id: hostile-term
term: {{zh: 敌意术语, en: hostile term}}
definition:
  zh: {_yaml_string(HOSTILE_DEFINITION["zh"])}
  en: {_yaml_string(HOSTILE_DEFINITION["en"])}
  cite: [xinxiang-2015-work-points#p8]
reviewed: {{date: "2026-11-21", by: test}}
"""

HOSTILE_REFERENCE = f"""  - id: hostile-reference
    title: {_yaml_string(HOSTILE_REFERENCE_TITLE)}
    publisher: {_yaml_string(HOSTILE_REFERENCE_PUBLISHER)}
    url: "https://example.org/hostile"
    accessed: "2026-11-21"
"""

HOSTILE_CATEGORY = f"""  - id: hostile-category
    name: {{zh: {_yaml_string(HOSTILE_CATEGORY_NAME["zh"])}, en: {_yaml_string(HOSTILE_CATEGORY_NAME["en"])}}}
    description: {{zh: 敌意类别。, en: A hostile category.}}
"""

# A second programme, in the hostile category, whose long unbroken name is a heading (the printable edition).
HOSTILE_LONG = f"""id: hostile-long
category: hostile-category
name: {{zh: {_yaml_string(HOSTILE_LONG_NAME["zh"])}, en: {_yaml_string(HOSTILE_LONG_NAME["en"])}}}
summary: {{zh: 敌意术语的摘要。, en: A summary with the hostile term., cite: [hostile-reference]}}
purpose: {{zh: 目的。, en: Purpose., cite: [xinxiang-2015-work-points#p8]}}
organisers:
  - body: {{zh: 县总工会, en: County union}}
    level: county
    cite: [xinxiang-2015-work-points#p8]
beneficiaries: {{zh: 对象。, en: Beneficiaries., cite: [xinxiang-2015-work-points#p8]}}
how_it_runs:
  - {{zh: 做法。, en: How it runs., cite: [hostile-reference]}}
terms: [hostile-term]
reviewed: {{date: "2026-11-21", by: test}}
"""


def _append_to_list(path: Path, key_line: str, entry: str) -> None:
    """Put an entry first in a data file's top-level list."""
    text = path.read_text(encoding="utf-8")
    assert key_line in text, path
    path.write_text(text.replace(key_line, key_line + entry, 1), encoding="utf-8")


def add_hostile_data(project: Path) -> None:
    """Put every hostile entry above into a copied project's data."""
    data = project / "data"
    (data / "programmes" / "hostile.yml").write_text(HOSTILE, encoding="utf-8")
    (data / "programmes" / "hostile-long.yml").write_text(HOSTILE_LONG, encoding="utf-8")
    (data / "terms" / "hostile-term.yml").write_text(HOSTILE_TERM, encoding="utf-8")
    _append_to_list(data / "references.yml", "references:\n", HOSTILE_REFERENCE)
    _append_to_list(data / "categories.yml", "categories:\n", HOSTILE_CATEGORY)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    add_hostile_data(project)
    out = project / "site"
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def hostile_server(hostile_site: Path):
    """The site built from hostile data on a free port of 127.0.0.1; yields its origin."""
    with serving(hostile_site) as origin:
        yield origin
