"""A synthetic handbook of N programmes, for measuring how the check, the build and search grow with the data.

The project (data/, docs/, macros/, overrides/, handbook/, scripts/, schemas/, mkdocs*.yml) is copied into a
folder, and programmes are added until there are N: each is built on a real programme (taken in turn) under a
new id, so it cites real paragraphs of the real sources, quotes them word for word, uses real categories,
terms and laws and carries `reviewed` and an up-to-date `translation` hash. So that the copies do not
compress (or index) unrealistically well, each one varies its model: the name carries a place taken from the
real guides' places, and every prose text (summary, purpose, beneficiaries, how it runs, the guide, open
questions) has its sentences shuffled, one of them replaced by a sentence of the same field of another real
programme. The variation is seeded by the programme's number: the same N gives the same handbook. Quotations
and citations stay as they are (they are proved against the sources). Former ids are left out (an old URL can
redirect to one place only). The real data is never touched.

  python -m scripts.synthetic DEST [--n 2000] [--check]   # write the project into DEST (must not exist)
"""

from __future__ import annotations

import argparse
import os
import random
import re
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


PROSE = ("summary", "purpose", "beneficiaries", "how_it_runs", "guide", "open_questions")
_SENTENCE = {"zh": re.compile(r"(?<=[。；！？])"), "en": re.compile(r"(?<=[.;!?])\s+")}


def _texts(value, path: tuple = ()):
    """Every bilingual prose text under `value`: (path of the field, the dict holding zh and en)."""
    if isinstance(value, dict):
        if isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
            yield path, value
        for key, item in value.items():
            if key != "scope":  # a level, place and year: not prose
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, (*path, "[]"))


def sentence_pool(templates: list[dict]) -> dict[tuple, dict[str, list[str]]]:
    """The sentences of every prose field of the real programmes, by field and language."""
    pool: dict[tuple, dict[str, list[str]]] = {}
    for template in templates:
        for field in PROSE:
            for path, text in _texts(template.get(field), (field,)):
                for lang in ("zh", "en"):
                    sentences = [s for s in _SENTENCE[lang].split(text[lang]) if s.strip()]
                    pool.setdefault(path, {"zh": [], "en": []})[lang].extend(sentences)
    return pool


def _recombine(text: str, lang: str, donors: list[str], rng: random.Random) -> str:
    sentences = [s for s in _SENTENCE[lang].split(text) if s.strip()]
    if len(sentences) > 1:
        rng.shuffle(sentences)
    if donors and sentences:
        at = rng.randrange(len(sentences))
        donor = rng.choice(donors)
        if len(donor) <= len(sentences[at]) * 1.5 + 20:  # about the same length: field limits still hold
            sentences[at] = donor
    return ("" if lang == "zh" else " ").join(s.strip() if lang == "en" else s for s in sentences)


def _synthetic_entry(template: dict, number: int, places: list[tuple[str, str]], pool: dict) -> dict:
    rng = random.Random(number)
    entry = yaml.load(yaml.dump(template, Dumper=yaml.CSafeDumper), Loader=yaml.CSafeLoader)  # a deep copy
    entry["id"] = f"{template['id']}-s{number:05d}"
    name = dict(template["name"])
    place = rng.choice(places) if places else ("", "")
    name["zh"] = f"{place[0]}{name['zh']}（样本{number}）"
    name["en"] = f"{name['en']} ({place[1]}, sample {number})" if place[1] else f"{name['en']} (sample {number})"
    name.pop("en_source", None)  # an official English name belongs to the real programme only
    entry["name"] = name
    entry.pop("former_ids", None)
    for field in PROSE:
        for path, text in _texts(entry.get(field), (field,)):
            for lang in ("zh", "en"):
                text[lang] = _recombine(text[lang], lang, pool.get(path, {}).get(lang, []), rng)
    return entry


def guide_places(templates: list[dict]) -> list[tuple[str, str]]:
    """The places the real guides name (湖南省长沙市 …, in both languages), for the synthetic programmes' names."""
    places = {
        (item["scope"]["place"]["zh"], item["scope"]["place"]["en"])
        for template in templates
        for items in (template.get("guide") or {}).values()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and isinstance(item.get("scope"), dict) and item["scope"].get("place")
    }
    return sorted(places)


def add_programmes(project: Path, n: int) -> int:
    """Add programmes to `project` until it holds `n`; return how many were added."""
    from handbook.models import Programme  # this checkout's: the project's is a copy of it
    from handbook.translation import zh_hash

    folder = project / "data" / "programmes"
    real = sorted(folder.glob("*.yml"))
    if n < len(real):
        raise SystemExit(f"--n must be at least the {len(real)} real programmes")
    templates = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in real]
    places, pool = guide_places(templates), sentence_pool(templates)
    for number in range(1, n - len(real) + 1):
        template = templates[(number - 1) % len(templates)]
        entry = _synthetic_entry(template, number, places, pool)
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
