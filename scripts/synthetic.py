"""A synthetic handbook of N programmes, for measuring how the check and the build grow with the data.

The project (data/, docs/, macros/, overrides/, handbook/, scripts/, schemas/, mkdocs*.yml) is copied into a
folder, and programmes are added until there are N: each is a copy of a real programme (taken in turn) under a
new id and name, so it cites real paragraphs of the real sources, quotes them word for word, uses real
categories, terms and laws and carries `reviewed` and an up-to-date `translation` hash. Former ids are left
out (an old URL can redirect to one place only). The real data is never touched.

  python -m scripts.synthetic DEST [--n 2000] [--check]   # write the project into DEST (must not exist)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("data", "docs", "macros", "overrides", "handbook", "scripts", "schemas")


def seeds_env(root: Path = ROOT) -> dict[str, str]:
    """The environment a build of a copied project needs: the seeds stay where the real project finds them."""
    env = dict(os.environ)
    seeds = os.environ.get("HANDBOOK_SEEDS") or str(root.parent / "shared" / "seeds")
    env["HANDBOOK_SEEDS"] = seeds
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    return env


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name, ignore=ignore)
    for config in sorted(root.glob("mkdocs*.yml")):
        shutil.copy2(config, dest / config.name)
    return dest


def _synthetic_entry(template: dict, number: int) -> dict:
    entry = dict(template)
    entry["id"] = f"{template['id']}-s{number:05d}"
    name = dict(template["name"])
    name["zh"] = f"{name['zh']}（样本{number}）"
    name["en"] = f"{name['en']} (sample {number})"
    name.pop("en_source", None)  # an official English name belongs to the real programme only
    entry["name"] = name
    entry.pop("former_ids", None)
    return entry


def add_programmes(project: Path, n: int) -> int:
    """Add programmes to `project` until it holds `n`; return how many were added."""
    from handbook.models import Programme  # this checkout's: the project's is a copy of it
    from handbook.translation import zh_hash

    folder = project / "data" / "programmes"
    real = sorted(folder.glob("*.yml"))
    if n < len(real):
        raise SystemExit(f"--n must be at least the {len(real)} real programmes")
    templates = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in real]
    for number in range(1, n - len(real) + 1):
        template = templates[(number - 1) % len(templates)]
        entry = _synthetic_entry(template, number)
        if entry.get("translation"):
            entry["translation"] = {"zh_hash": zh_hash(Programme.model_validate(entry))}
        text = yaml.dump(
            entry, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
        )
        (folder / f"{entry['id']}.yml").write_text(text, encoding="utf-8")
    return n - len(real)


def make_synthetic(dest: Path, n: int = 2000, root: Path = ROOT) -> Path:
    """A copy of the project in `dest` (which must not exist) with `n` programmes in all."""
    copy_project(dest, root)
    add_programmes(dest, n)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", help="folder to create")
    parser.add_argument("--n", type=int, default=2000, help="programmes in all (default 2000)")
    parser.add_argument("--check", action="store_true", help="then run the data check on the copy")
    args = parser.parse_args(argv)
    dest = make_synthetic(Path(args.dest), args.n)
    print(f"wrote {dest} with {args.n} programmes")
    if args.check:
        import subprocess

        return subprocess.call(
            [sys.executable, "-m", "handbook", "--root", str(dest), "check"], cwd=dest, env=seeds_env()
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
