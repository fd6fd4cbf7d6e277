"""Deriving a source's seed map (`python -m handbook seed-spans`) and writing it into its yml."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .seed_text import (
    DEFAULT_SEEDS,
    SPAN_PATTERN,
    Seed,
    kept_characters,
    locate_seeds,
    normalise,
    not_a_regular_file,
    parse_span,
    read_seed,
    trimmed,
    without_spaces,
)


class MapError(ValueError):
    """A text that cannot be mapped onto its seed; the message says where it parts from the seed."""


@dataclass
class SeedMap:
    spans: list[str]  # one per paragraph
    omitted: list[tuple[str, str]]  # (span, excerpt) of non-blank seed text left out inside the document


def derive_map(seed: Seed, paragraphs: list[str], from_line: int = 1, path: str = "the text") -> SeedMap:
    """Find each paragraph in the seed, in order, from line `from_line`: the map a source's yml declares."""
    kept = list(kept_characters(seed.text))
    normalised = "".join(c for _, c in kept)
    cursor = next(
        (k for k, (offset, _) in enumerate(kept) if offset >= seed.starts[min(from_line, len(seed.lines)) - 1]),
        len(kept),
    )
    found: list[tuple[int, int]] = []
    for number, paragraph in enumerate(paragraphs, 1):
        text = without_spaces(paragraph)
        if not text:
            raise MapError(f"{path}:{number}:1: paragraph {number} is blank: the text holds one paragraph per line")
        at = normalised.find(text, cursor)
        if at < 0:
            after = (
                f"after paragraph {number - 1} (seed line {seed.position(found[-1][1] - 1)[0]})"
                if found
                else f"from line {from_line}"
            )
            raise MapError(
                f"{path}:{number}:1: paragraph {number} is not in {seed.name} {after}: copy the seed's "
                "wording exactly, in the seed's order"
            )
        found.append((kept[at][0], kept[at + len(text) - 1][0] + 1))
        cursor = at + len(text)
    spans = [seed.span(a, b) for a, b in found]
    omitted = []
    if found:
        first_line_start, _ = seed.line_bounds(found[0][0])
        _, last_line_end = seed.line_bounds(found[-1][1] - 1)
        edges = [first_line_start] + [x for pair in found for x in pair] + [last_line_end]
        for start, end in zip(edges[::2], edges[1::2], strict=False):
            if end > start and normalise(seed.text[start:end]):
                start, end = trimmed(seed.text, start, end)
                omitted.append((seed.span(start, end), seed.excerpt(start, end)))
    return SeedMap(spans, omitted)


def map_yaml(seed_map: SeedMap, reasons: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    """The map as YAML lines by key; each omission keeps its reason from `reasons` (by span) or gets a placeholder."""
    from .scaffold import PLACEHOLDER_EN, PLACEHOLDER_ZH

    spans = ["seed_spans:"] + [f'  p{n}: "{span}"' for n, span in enumerate(seed_map.spans, 1)]
    omitted = ["seed_omitted:"] if seed_map.omitted else ["seed_omitted: []"]
    for span, excerpt in seed_map.omitted:
        zh, en = reasons.get(span, (PLACEHOLDER_ZH, PLACEHOLDER_EN))
        omitted += [
            f'  - span: "{span}"  # {excerpt}',
            "    reason:",
            f"      zh: {_scalar(zh)}",
            f"      en: {_scalar(en)}",
        ]
    return {"seed_spans": spans, "seed_omitted": omitted}


def _scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def replace_map(yml_text: str, blocks: dict[str, list[str]]) -> str:
    """The yml with each top-level block in `blocks` replaced where it stands; a new one goes after the block
    before it in `blocks`, or at the end of the file."""
    out: list[str] = []
    current: str | None = None
    ends: dict[str, int] = {}  # where each top-level key's block ends in `out`
    for line in yml_text.split("\n"):
        top_key = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):", line)
        if top_key:
            current = top_key.group(1)
            if current in blocks:
                out += blocks[current]
        elif line and not line.startswith(" "):
            current = None  # a comment at the margin belongs to the key below it
        if current not in blocks:
            out.append(line)
        if current:
            ends[current] = len(out)
    while out and out[-1] == "":
        out.pop()
    previous: str | None = None
    for key, lines in blocks.items():
        if key not in ends:
            at = ends[previous] if previous is not None and previous in ends else len(out)
            out[at:at] = lines
            ends = {k: (end + len(lines) if end >= at else end) for k, end in ends.items()}
            ends[key] = at + len(lines)
        previous = key
    return "\n".join(out) + "\n"


def write_seed_map(
    root: Path, source_id: str, from_line: int | None = None, write: bool = False
) -> tuple[Path, SeedMap, dict[str, list[str]]]:
    """Derive the map of data/sources/<id>.txt onto its seed; write it into <id>.yml if `write`.
    Returns (the yml's path, the map, its YAML lines by key); MapError or SeedUnreadable says why not."""
    from .fields import ID_PATTERN
    from .problems import YamlError
    from .yamlio import load_yaml

    if not re.fullmatch(ID_PATTERN, source_id):
        raise MapError(f"'{source_id}' is not a source id: use the name of a file in data/sources/ without .yml")
    folder_path = Path(root) / "data" / "sources"
    yml, txt = folder_path / f"{source_id}.yml", folder_path / f"{source_id}.txt"
    for path in (yml, txt):
        if not_a_regular_file(path):
            raise MapError(f"data/sources/{path.name} {not_a_regular_file(path)}: it must be a regular file")
    try:
        data = load_yaml(yml, f"data/sources/{yml.name}").data
    except YamlError as exc:
        raise MapError(str(exc.problem)) from None
    if not isinstance(data, dict) or not isinstance(data.get("seed"), str):
        raise MapError(f"data/sources/{yml.name} names no seed: write seed: <file name in {DEFAULT_SEEDS}> first")
    folder, missing = locate_seeds(Path(root))
    if folder is None:
        raise MapError(missing)
    seed = Seed(data["seed"], read_seed(folder, data["seed"]))
    found = data.get("seed_spans")
    spans: dict = found if isinstance(found, dict) else {}
    if from_line is None:
        first = next(iter(spans.values()), None)
        from_line = parse_span(first)[0][0] if isinstance(first, str) and re.fullmatch(SPAN_PATTERN, first) else 1
    reasons = {}
    for omission in data.get("seed_omitted") or []:
        try:
            reasons[omission["span"]] = (omission["reason"]["zh"], omission["reason"]["en"])
        except (KeyError, TypeError):
            continue
    paragraphs = txt.read_text(encoding="utf-8").split("\n")
    if paragraphs and paragraphs[-1] == "":
        paragraphs.pop()
    seed_map = derive_map(seed, paragraphs, from_line, f"data/sources/{txt.name}")
    blocks = map_yaml(seed_map, reasons)
    if write:
        yml.write_text(replace_map(yml.read_text(encoding="utf-8"), blocks), encoding="utf-8")
    return yml, seed_map, blocks
