#!/usr/bin/env python3
"""Draw the sample showcase's brand emblems with Pillow (no photos from elsewhere).

    python tools/make_emblems.py [OUT_DIR]      default: content/branches/images

Each emblem is a flat red-and-gold picture built from simple shapes (no text, so no font
is needed and the result is the same on every machine), saved as a 1600×1000 JPEG like a
phone photo would be, so the image pipeline has something to resize (480/960/1440 px,
WebP + JPEG). Run it again only to change the pictures; the files are committed.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

W, H = 1600, 1000
RED, DEEP, GOLD, PALE, PAPER = (164, 22, 26), (110, 12, 16), (201, 161, 74), (255, 231, 168), (251, 247, 239)


def background(top: tuple[int, int, int] = RED, bottom: tuple[int, int, int] = DEEP) -> Image.Image:
    im = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(im)
    for y in range(H):
        t = y / (H - 1)
        d.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return im


def star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple[int, int, int], turn: float = 0) -> None:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = -math.pi / 2 + turn + i * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)


def rays(d: ImageDraw.ImageDraw, cx: float, cy: float, r0: float, r1: float, n: int, color: tuple[int, int, int]) -> None:
    for i in range(n):
        a = 2 * math.pi * i / n
        d.line([(cx + r0 * math.cos(a), cy + r0 * math.sin(a)), (cx + r1 * math.cos(a), cy + r1 * math.sin(a))],
               fill=color, width=6)


def scales(d: ImageDraw.ImageDraw, cx: float, cy: float, s: float, color: tuple[int, int, int]) -> None:
    """A balance: post, beam, two pans."""
    d.rectangle([cx - 8 * s, cy - 160 * s, cx + 8 * s, cy + 150 * s], fill=color)
    d.rectangle([cx - 110 * s, cy + 140 * s, cx + 110 * s, cy + 165 * s], fill=color)
    d.rectangle([cx - 230 * s, cy - 150 * s, cx + 230 * s, cy - 134 * s], fill=color)
    for side in (-1, 1):
        px = cx + side * 210 * s
        d.line([(px, cy - 140 * s), (px - 70 * s, cy + 10 * s)], fill=color, width=max(2, round(5 * s)))
        d.line([(px, cy - 140 * s), (px + 70 * s, cy + 10 * s)], fill=color, width=max(2, round(5 * s)))
        d.chord([px - 90 * s, cy - 60 * s, px + 90 * s, cy + 50 * s], 0, 180, fill=color)


def heart(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple[int, int, int]) -> None:
    pts = []
    for i in range(200):
        t = 2 * math.pi * i / 200
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * r / 16, cy - y * r / 16))
    d.polygon(pts, fill=fill)


def faguan_mama() -> Image.Image:
    """法官妈妈: a heart holding the scales of justice, under a star."""
    im = background()
    d = ImageDraw.Draw(im)
    rays(d, W / 2, H / 2 + 40, 330, 470, 36, (190, 60, 50))
    heart(d, W / 2, H / 2 + 60, 330, PALE)
    scales(d, W / 2, H / 2 + 80, 0.85, RED)
    star(d, W / 2, 120, 70, GOLD)
    return im


def ting_wo_duan_an() -> Image.Image:
    """聽我斷案: a lectern with a speech bubble and sound waves."""
    im = background((140, 20, 24), (70, 8, 12))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([520, 180, 1080, 520], radius=60, fill=PAPER)
    d.polygon([(700, 500), (640, 640), (820, 510)], fill=PAPER)
    for i, w in enumerate((260, 380, 320)):
        d.rounded_rectangle([800 - w / 2 - 60, 260 + i * 80, 800 + w / 2 - 60, 300 + i * 80], radius=20, fill=GOLD)
    for k in range(3):
        r = 120 + k * 70
        d.arc([1160 - r, 350 - r, 1160 + r, 350 + r], -40, 40, fill=PALE, width=14)
        d.arc([440 - r, 350 - r, 440 + r, 350 + r], 140, 220, fill=PALE, width=14)
    d.polygon([(560, 980), (640, 700), (960, 700), (1040, 980)], fill=GOLD)
    d.rectangle([600, 680, 1000, 720], fill=PALE)
    return im


def shantiao() -> Image.Image:
    """善调乡村: hills, a river and two hands meeting (mediation in the village)."""
    im = background((196, 60, 40), (120, 16, 20))
    d = ImageDraw.Draw(im)
    d.ellipse([1150, 90, 1350, 290], fill=PALE)
    d.polygon([(0, 700), (300, 380), (620, 700)], fill=(132, 22, 24))
    d.polygon([(380, 700), (800, 300), (1220, 700)], fill=(150, 30, 30))
    d.polygon([(980, 700), (1300, 420), (1600, 700)], fill=(132, 22, 24))
    d.rectangle([0, 700, W, H], fill=DEEP)
    river = [(0, 1000), (500, 760), (900, 820), (1600, 700), (1600, 760), (950, 880), (560, 830), (160, 1000)]
    d.polygon(river, fill=GOLD)
    for side in (-1, 1):
        x0 = W / 2 + side * 330
        x_left, x_right = sorted([x0, W / 2 + side * 20])
        d.rounded_rectangle([x_left, 560, x_right, 640], radius=40, fill=PAPER)
    star(d, W / 2, 170, 60, GOLD)
    return im


def classroom() -> Image.Image:
    """A constitution lesson: a blackboard, a book and rows of desks (for a story image)."""
    im = background(PAPER, (236, 222, 196))
    d = ImageDraw.Draw(im)
    d.rectangle([260, 90, 1340, 520], fill=(40, 70, 60))
    d.rectangle([240, 520, 1360, 545], fill=(120, 80, 40))
    d.polygon([(620, 190), (800, 230), (980, 190), (980, 430), (800, 470), (620, 430)], fill=PALE)
    d.line([(800, 230), (800, 470)], fill=RED, width=8)
    star(d, 800, 150, 36, GOLD)
    for row in range(3):
        for col in range(5):
            x = 230 + col * 240 + row * 20
            y = 640 + row * 110
            d.rounded_rectangle([x, y, x + 170, y + 50], radius=10, fill=(160, 110, 60))
            d.ellipse([x + 55, y - 70, x + 115, y - 10], fill=RED if (row + col) % 2 else DEEP)
    return im


EMBLEMS: dict[str, Callable[[], Image.Image]] = {
    "faguan-mama.jpg": faguan_mama,
    "ting-wo-duan-an.jpg": ting_wo_duan_an,
    "shantiao-xiangcun.jpg": shantiao,
    "xianfa-ketang.jpg": classroom,
}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "content" / "branches" / "images"
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in EMBLEMS.items():
        draw().save(out / name, "JPEG", quality=85, optimize=True)
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
