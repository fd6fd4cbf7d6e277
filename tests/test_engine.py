"""Engine continuity: the site built by ProperDocs (the maintained fork of MkDocs 1.x) is the site built by MkDocs,
byte for byte, so the handbook has a tested way forward if MkDocs breaks.

The ProperDocs side runs in .venv-properdocs (`make properdocs-env`, which `make test` runs), where MkDocs is not
installed: scripts/build_with_properdocs.py runs scripts/build_site.py with every `import mkdocs…` answered by
ProperDocs. No output is normalised: nothing in the site names its engine (overrides/main.html replaces Material's
`site_meta` block, so there is no generator meta tag, and `extra.generator: false` drops the footer's credit).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

PROPERDOCS_PYTHON = ROOT / ".venv-properdocs" / "bin" / "python"
PROPERDOCS_VERSION = "1.6.7"


def differences(expected: Path, actual: Path) -> list[str]:
    """Every file that is missing, extra or different in `actual`, as 'what: path' lines, sorted."""

    def files(root: Path) -> dict[str, Path]:
        return {path.relative_to(root).as_posix(): path for path in root.rglob("*") if path.is_file()}

    want, got = files(expected), files(actual)
    found = [f"missing: {name}" for name in want.keys() - got.keys()]
    found += [f"extra: {name}" for name in got.keys() - want.keys()]
    found += [
        f"differs: {name}" for name in want.keys() & got.keys() if want[name].read_bytes() != got[name].read_bytes()
    ]
    return sorted(found)


def properdocs_python() -> Path:
    if not PROPERDOCS_PYTHON.exists():
        pytest.fail("the ProperDocs environment is missing: run `make properdocs-env` (make test does it)")
    return PROPERDOCS_PYTHON


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory) -> Path:
    """The real handbook built by ProperDocs, by the same script and options as the `site` fixture."""
    out = tmp_path_factory.mktemp("properdocs") / "site"
    result = subprocess.run(
        [str(properdocs_python()), "-m", "scripts.build_with_properdocs", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "HANDBOOK_SEEDS": str(SEEDS)},
    )
    assert result.returncode == 0, result.stderr
    return out


def test_properdocs_environment_has_properdocs_and_no_mkdocs():
    """Otherwise the comparison below could be MkDocs compared with itself."""
    probe = (
        "import importlib.util, properdocs; print(properdocs.__version__, importlib.util.find_spec('mkdocs') is None)"
    )
    result = subprocess.run([str(properdocs_python()), "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [PROPERDOCS_VERSION, "True"]


def test_properdocs_builds_the_same_site_as_mkdocs(site: Path, properdocs_site: Path):
    found = differences(site, properdocs_site)
    assert not found, f"{len(found)} file(s) differ between the MkDocs and the ProperDocs build:\n" + "\n".join(found)
    assert (properdocs_site / "index.html").is_file() and (properdocs_site / "en" / "index.html").is_file()


def test_a_changed_missing_or_extra_file_is_named(tmp_path: Path):
    """The comparison itself: one byte changed, one file missing and one extra are each listed by path."""
    expected, actual = tmp_path / "expected", tmp_path / "actual"
    for root in (expected, actual):
        (root / "en").mkdir(parents=True)
        (root / "index.html").write_bytes(b"<p>same</p>")
    (expected / "en" / "index.html").write_bytes(b"<p>a</p>")
    (actual / "en" / "index.html").write_bytes(b"<p>b</p>")
    (expected / "sitemap.xml").write_bytes(b"")
    (actual / "404.html").write_bytes(b"")
    assert differences(expected, actual) == ["differs: en/index.html", "extra: 404.html", "missing: sitemap.xml"]
