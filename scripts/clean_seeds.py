"""Derive the paragraph files in data/sources/ from the verbatim seeds in ../shared/seeds/, and their seed maps.

Run once when a seed is added; the output is committed and reviewed by hand. Each output line is one
paragraph; the map in data/sources/<id>.yml (`seed_spans`, `seed_omitted`) names the stretch of the seed each
paragraph is, and `python -m handbook check` proves paragraph N is exactly that stretch (whitespace and the
"—N—" page markers of the PDF copy aside), so nothing here can alter the wording unnoticed.

  python -m scripts.clean_seeds           # write data/sources/<id>.txt and the maps in <id>.yml
  python -m scripts.clean_seeds --check   # write nothing; exit 1 if a text or a map differs from the derivation

An omission keeps the reason already written for its span; a new one gets placeholder reasons, which the
data check reports until they are written.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from handbook.seeds import Seed, derive_map, locate_seeds, map_yaml, read_seed, replace_map
from handbook.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent

SEEDS = locate_seeds(ROOT)[0] or ROOT.parent / "shared" / "seeds"
OUT = ROOT / "data" / "sources"
# Where each document starts in its seed (several share one seed): the map is searched for from here.
FIRST_LINES = {
    "masked-city-work-plan": 1,
    "xx-city-plenary-2006": 2,
    "provincial-official-city-plenary-2006": 24,
    "hailing-district-plenary-2006": 37,
    "x-city-plenary-2019": 67,
    "jiangyan-plenary-2004": 104,
    "party-union-excellence-guidance": 1,
    "xinxiang-2015-work-points": 2,
    "chengdu-2012-serve-workers": 11,
}


def split_before(text: str, markers: list[str]) -> list[str]:
    """Split text before each marker (in order of appearance), keeping the marker."""
    cuts = sorted({m.start() for marker in markers for m in re.finditer(marker, text)} | {0})
    parts = [text[a:b] for a, b in zip(cuts, cuts[1:] + [len(text)], strict=False)]
    return [p.strip() for p in parts if p.strip()]


def lines_of(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def joined(lines: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """Paragraphs from 1-based inclusive line spans; a span longer than one line joins a broken paragraph."""
    return ["".join(lines[a - 1 : b]).strip() for a, b in spans]


def city_work_plan() -> list[str]:
    text = "".join(lines_of("000_ad6b5d2160a64c97.txt"))
    return split_before(
        text,
        [
            r"\d、(?=[\u4e00-\u9fff])",
            r"[三四五六]、(?=[\u4e00-\u9fff])",
            "——",
            "按照完善机制",
            "进一步推动职代会",
            "深入学习实践科学发展观活动",
            "加强基层工会组织建设",
            "大力推动贯彻",
            "强化县",
            "不断提高工会干部",
            "切实加强工会基础建设",
            "依法加大工会经费",
            "加强工会资产",
            "加快工会系统",
            "加强制度建设",
        ],
    )


def speeches() -> dict[str, list[str]]:
    s = lines_of("001_1bbc9109f68df4c0.txt")
    singles = lambda a, b: [(n, n) for n in range(a, b + 1)]  # noqa: E731
    speech4 = joined(s, singles(67, 75) + [(76, 77)] + singles(78, 85))
    line86 = s[85]
    cut = line86.index("第三、")
    speech4 += [line86[:cut], line86[cut:]] + joined(s, singles(87, 102))
    return {
        "xx-city-plenary-2006": joined(s, singles(2, 22)),
        "provincial-official-city-plenary-2006": joined(
            s, [(24, 24), (25, 26)] + singles(27, 28) + [(29, 31)] + singles(32, 34)
        ),
        "hailing-district-plenary-2006": joined(
            s, [(37, 38)] + singles(39, 41) + [(42, 43)] + singles(44, 50) + [(51, 52)] + singles(53, 64)
        ),
        "x-city-plenary-2019": speech4,
        "jiangyan-plenary-2004": joined(
            s, [(104, 104)] + singles(106, 119) + [(120, 121)] + singles(122, 126) + [(127, 128)] + singles(129, 129)
        ),
    }


def party_union_guidance() -> list[str]:
    lines = [line.strip() for line in lines_of("002_a2dd6ee0f276af51.txt") if line.strip()]
    body = []
    for line in lines:
        if line.startswith("(责任编辑"):  # web page footer, not part of the document
            continue
        body.extend(split_before(line, [r"(?<=。) 创先争优活动要让"]))
    return body


def xinxiang_work_points() -> list[str]:
    lines = [line.strip() for line in lines_of("003_589617b821fc1365.txt") if line.strip()]
    return lines[1:]  # the first line repeats the title that follows the document number


def chengdu_plan() -> list[str]:
    body = lines_of("004_99818ca1129ae01c.txt")[10]  # the rest is the download site's debris
    body = re.sub(r"—\d+—", "", body)  # page numbers of the PDF copy
    return split_before(
        body,
        [
            "(?<=2号)成都市总工会关于开展",
            "各区\\(市\\)县总工会\\(办事处\\),市总各部门",
            "为贯彻落实中央",
            "[一二三四五]、(?=总体目标|主要任务|组织领导|活动安排|工作要求)",
            "(?<=总体目标|主要任务|组织领导)",
            r"\([一二三四五]\)(?=[\u4e00-\u9fff]{2,8}[。、,])",
            "(?<=。)(综合协调组|专题调研组|宣传报道组|督导检查组)。",
            "(?<=\\.com)(专题调研组|宣传报道组|督导检查组)。",
            "各区\\(市\\)县总工会\\(办事处\\)要成立相应",
        ],
    )


def with_map(source_id: str, paragraphs: list[str]) -> tuple[str, str]:
    """The text file and the yml (its map replaced) that the derivation gives for one source."""
    yml = OUT / f"{source_id}.yml"
    data = load_yaml(yml).data
    seed = Seed(data["seed"], read_seed(SEEDS, data["seed"]))
    reasons = {o["span"]: (o["reason"]["zh"], o["reason"]["en"]) for o in data.get("seed_omitted") or []}
    seed_map = derive_map(seed, paragraphs, FIRST_LINES[source_id], f"data/sources/{source_id}.txt")
    return "\n".join(paragraphs) + "\n", replace_map(yml.read_text(encoding="utf-8"), map_yaml(seed_map, reasons))


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    if not SEEDS.is_dir():
        print(f"seeds not found at {SEEDS}: put them there or set HANDBOOK_SEEDS", file=sys.stderr)
        return 1
    outputs = {
        "masked-city-work-plan": city_work_plan(),
        **speeches(),
        "party-union-excellence-guidance": party_union_guidance(),
        "xinxiang-2015-work-points": xinxiang_work_points(),
        "chengdu-2012-serve-workers": chengdu_plan(),
    }
    differ = 0
    for source_id, paragraphs in outputs.items():
        text, yml = with_map(source_id, paragraphs)
        for path, content in ((OUT / f"{source_id}.txt", text), (OUT / f"{source_id}.yml", yml)):
            if check:
                if path.read_text(encoding="utf-8") != content:
                    print(
                        f"{path.relative_to(ROOT)} differs from what scripts/clean_seeds.py derives from the seed: "
                        "run it and review the change",
                        file=sys.stderr,
                    )
                    differ += 1
            else:
                path.write_text(content, encoding="utf-8")
        if not check:
            print(f"{source_id}: {len(paragraphs)} paragraphs")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
