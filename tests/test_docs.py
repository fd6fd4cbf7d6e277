"""A newcomer finds every command in README.md: each Makefile target with a help text and each subcommand of
`python -m handbook` is named there (as sqlite-utils checks its documentation against its commands)."""

from __future__ import annotations

import argparse
import re

from conftest import ROOT

from handbook.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_makefile_target_is_in_the_readme():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):[^=\n]*(?:##|$)", makefile, flags=re.M)
    assert len(targets) >= 10
    assert [t for t in targets if f"make {t}`" not in README] == []


def test_every_handbook_subcommand_is_in_the_readme():
    commands = next(
        action.choices for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    assert {"check", "new", "schema", "review"} <= set(commands)
    assert [name for name in commands if f"python -m handbook {name}" not in README] == []
