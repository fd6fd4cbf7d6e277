"""Share cards: the picture WeChat, messaging apps and search engines show beside a link to an entry page
(og:image), drawn at build time with Pillow and Debian's Noto Sans CJK (fonts-noto-cjk) — no outside service.
A card holds the site's name, the entry's kind, its name in the page's language and in the other, and the start
of its summary, on 1200 × 630 (the size the og: consumers crop least). It is a palette PNG of a few tens of KB,
the same bytes for the same text, font and Pillow."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: a build that finds every card cached skips it
    from PIL import Image, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
RED = (211, 47, 47)  # the site's primary colour, #d32f2f
INK, GREY = (33, 33, 33), (97, 97, 97)
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk")
FACE = "Noto Sans CJK SC"  # the Simplified Chinese forms of the collection
RENDERER_VERSION = "card-1"  # part of the cache key: change it when the drawing changes
SITE_NAME = "工会工作手册 · Union Programmes Handbook"
# Runs that must not break: Latin words and numbers with their punctuation; anything else breaks per character.
TOKENS = re.compile(r"[A-Za-z0-9'’.,;:!?()\-/&]+\s*|\s+|.")


class CardFontMissing(Exception):
    pass


@dataclass(frozen=True)
class Card:
    kind: str  # 工作项目 / Programme …
    title: str
    other_title: str
    summary: str

    def key(self) -> str:
        return "\x1f".join(
            (RENDERER_VERSION, font_file("Regular"), self.kind, self.title, self.other_title, self.summary)
        )


@cache
def font_file(weight: str) -> str:
    """Path of Noto Sans CJK in `weight` (Regular, Bold); HANDBOOK_CJK_FONTS names another folder."""
    folders = (os.environ["HANDBOOK_CJK_FONTS"],) if os.environ.get("HANDBOOK_CJK_FONTS") else FONT_DIRS
    for folder in folders:
        for name in (f"NotoSansCJK-{weight}.ttc", f"NotoSansCJKsc-{weight}.otf"):
            if (Path(folder) / name).is_file():
                return str(Path(folder) / name)
    raise CardFontMissing(
        f"share cards need Noto Sans CJK {weight} (Debian's fonts-noto-cjk; `make font-deps` installs it), "
        f"looked in {', '.join(folders)}"
    )


@cache
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path = font_file(weight)
    for index in range(16 if path.endswith(".ttc") else 1):  # the collection's Simplified Chinese face
        face = ImageFont.truetype(path, size, index=index)
        if face.getname()[0] == FACE or not path.endswith(".ttc"):
            return face
    return ImageFont.truetype(path, size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines no wider than `width`, the last ending in … if it was cut."""
    out, line = [], ""
    tokens = TOKENS.findall(" ".join(text.split()))
    for token in tokens:
        if face.getlength(line + token.rstrip()) <= width:
            line += token
            continue
        out.append(line.rstrip())
        line = token.lstrip()
        if len(out) == lines:
            break
    else:
        if line.strip():
            out.append(line.rstrip())
        return out[:lines]
    last = out[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    out[-1] = last.rstrip() + "…"
    return out


def card_png(card: Card) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 20), fill=RED)
    text_width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, 60), SITE_NAME, font=font("Regular", 28), fill=GREY)
    label = font("Bold", 26)
    label_width = int(label.getlength(card.kind))
    draw.rounded_rectangle((MARGIN, 118, MARGIN + label_width + 32, 162), radius=8, fill=RED)
    draw.text((MARGIN + 16, 122), card.kind, font=label, fill=(255, 255, 255))
    y = 190
    size = 64
    title = wrap(card.title, font("Bold", size), text_width, 3)
    if len(title) > 2:  # a long name: smaller type rather than cut it
        size = 52
        title = wrap(card.title, font("Bold", size), text_width, 2)
    for line in title:
        draw.text((MARGIN, y), line, font=font("Bold", size), fill=INK)
        y += int(size * 1.3)
    if card.other_title and card.other_title != card.title:
        for line in wrap(card.other_title, font("Regular", 30), text_width, 1):
            draw.text((MARGIN, y + 4), line, font=font("Regular", 30), fill=GREY)
            y += 48
    y += 20
    for line in wrap(card.summary, font("Regular", 30), text_width, max(0, (HEIGHT - 40 - y) // 46)):
        draw.text((MARGIN, y), line, font=font("Regular", 30), fill=INK)
        y += 46
    out = io.BytesIO()
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, format="PNG", bits=4)
    return out.getvalue()


@cache
def _palette() -> Image.Image:
    """16 colours: ten greys from white to the ink, five steps from white to the red (the label's white text)
    and black. An adaptive palette looks the same and takes five times as long."""
    from PIL import Image

    colours: list[tuple[int, ...]] = [(round(255 - i * (255 - INK[0]) / 9),) * 3 for i in range(10)]
    colours += [tuple(round(255 - i * (255 - c) / 5) for c in RED) for i in range(1, 6)]
    colours.append((0, 0, 0))
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette
