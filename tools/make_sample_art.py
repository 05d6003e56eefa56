#!/usr/bin/env python3
"""Draw the sample showcase's brand logos (SVG) and gallery illustrations (JPEG) ourselves.

    python tools/make_sample_art.py [OUT_DIR]      default: content/branches/images

Nothing is copied from anywhere: each logo is a seal of simple shapes (a motif taken from
the brand's theme: scales, a book, a lake, a sun …) in its own colour of the theme, with no
text, so it looks the same on every machine; each gallery picture is a flat illustration
(1600×1200, like a phone photo, so the image pipeline has something to resize). The branch
files say in their alt text and caption that these are illustrations, not photos of real
events. Run it again only to change the pictures; the files are committed.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

GOLD = "#e9c478"
PAPER = "#fbf7ef"

# ------------------------------------------------------------------------------ logos (SVG)


def _seal(colour: str, motif: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">'
        f'<circle cx="100" cy="100" r="98" fill="{colour}"/>'
        f'<circle cx="100" cy="100" r="86" fill="none" stroke="{GOLD}" stroke-width="5"/>'
        f"{motif}</svg>\n"
    )


def _star(cx: float, cy: float, r: float, fill: str = GOLD) -> str:
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.42
        pts.append(f"{cx + rr * math.cos(a):.1f},{cy + rr * math.sin(a):.1f}")
    return f'<polygon points="{" ".join(pts)}" fill="{fill}"/>'


LOGOS: dict[str, tuple[str, str]] = {
    # scales of justice
    "chufuke-logo.svg": ("#7f1014", f'<g stroke="{GOLD}" stroke-width="6" fill="none" stroke-linecap="round">'
                         '<path d="M100 50 V150 M70 150 H130 M55 75 H145"/><path d="M55 75 L38 115 H72 Z M145 75 L128 115 H162 Z"/>'
                         f'</g>{_star(100, 45, 10)}'),
    # a ship under a star: setting out with the original aspiration
    "chuxin-logo.svg": ("#1f4e79", f'<path d="M50 120 H150 L132 148 H68 Z" fill="{GOLD}"/><path d="M100 60 V118 M100 62 L140 110 H100" '
                        f'stroke="{GOLD}" stroke-width="6" fill="none" stroke-linejoin="round"/>{_star(100, 48, 12)}'),
    # a shield over a coin: the law guarding finance
    "fahu-jinrong-logo.svg": ("#6b4e00", '<path d="M100 45 L148 62 V102 C148 130 126 148 100 158 C74 148 52 130 52 102 V62 Z" '
                              f'fill="none" stroke="{GOLD}" stroke-width="7"/><circle cx="100" cy="102" r="22" fill="{GOLD}"/>'
                              '<rect x="92" y="94" width="16" height="16" fill="#6b4e00"/>'),
    # a drop over a factory roof: law that nourishes private firms
    "farun-minqi-logo.svg": ("#2e5e3a", f'<path d="M55 150 V112 L80 126 V112 L105 126 V98 H145 V150 Z" fill="{GOLD}"/>'
                             f'<path d="M100 40 C118 66 126 78 126 90 A26 26 0 0 1 74 90 C74 78 82 66 100 40 Z" fill="{PAPER}"/>'),
    # two joined rings: many parties, one settlement
    "liuliu-tiaojie-logo.svg": ("#8c1c4a", f'<g fill="none" stroke="{GOLD}" stroke-width="8"><circle cx="78" cy="100" r="32"/>'
                                f'<circle cx="122" cy="100" r="32"/></g><circle cx="100" cy="100" r="9" fill="{PAPER}"/>'),
    # a sun with seven rays
    "qicai-yangguang-logo.svg": ("#8a3b12", "".join(
        f'<rect x="96" y="38" width="8" height="26" rx="4" fill="{c}" transform="rotate({-90 + i * 30} 100 100)"/>'
        for i, c in enumerate(("#ffb3b3", "#ffd59e", "#fff0a0", "#c8f0b4", "#b4e4f0", "#c4ccff", "#e4c4ff")))
        + f'<circle cx="100" cy="112" r="30" fill="{GOLD}"/><rect x="40" y="128" width="120" height="40" fill="#8a3b12"/>'),
    # mountains over a lake
    "dahu-jingmei-logo.svg": ("#1f4e79", f'<path d="M40 120 L80 70 L104 100 L124 80 L160 120 Z" fill="{GOLD}"/>'
                              f'<g stroke="{PAPER}" stroke-width="6" stroke-linecap="round"><path d="M52 136 H148"/><path d="M64 152 H136"/></g>'),
    # a hand holding a heart: care for older people
    "laonianren-logo.svg": ("#5a3d8a", '<path d="M100 118 C70 96 62 84 62 72 A19 19 0 0 1 100 66 A19 19 0 0 1 138 72 C138 84 130 96 100 118 Z" '
                            f'fill="{GOLD}"/><path d="M48 122 C70 122 84 134 100 140 C116 134 130 122 152 122 V138 C130 140 118 156 100 158 '
                            f'C82 156 70 140 48 138 Z" fill="{PAPER}"/>'),
}

# ------------------------------------------------------------------------------ gallery (JPEG)

W, H = 1600, 1200


def _sky(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    im = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(im)
    for y in range(H):
        t = y / H
        d.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return im


def _person(d: ImageDraw.ImageDraw, x: float, y: float, s: float, colour: tuple[int, int, int]) -> None:
    d.ellipse([x - 28 * s, y - 150 * s, x + 28 * s, y - 94 * s], fill=colour)
    d.rounded_rectangle([x - 45 * s, y - 90 * s, x + 45 * s, y + 40 * s], radius=int(30 * s), fill=colour)


def mediation_table() -> Image.Image:
    im = _sky((246, 239, 226), (228, 214, 190))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 820, W, H], fill=(170, 128, 86))
    for i, x in enumerate((420, 640, 960, 1180)):
        _person(d, x, 700, 1.4, ((164, 22, 26), (31, 78, 121), (46, 94, 58), (107, 78, 0))[i])
    d.ellipse([300, 690, 1300, 900], fill=(120, 78, 40))
    d.rectangle([700, 160, 900, 300], fill=(164, 22, 26))
    d.ellipse([770, 200, 830, 260], fill=(233, 196, 120))
    return im


def mediation_room() -> Image.Image:
    im = _sky((251, 241, 218), (240, 226, 196))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 900, W, H], fill=(150, 110, 70))
    d.rectangle([200, 200, 700, 620], fill=(255, 255, 255), outline=(164, 22, 26), width=12)
    for k in range(4):
        d.line([(250, 280 + k * 90), (650, 280 + k * 90)], fill=(89, 89, 89), width=10)
    d.rectangle([900, 520, 1400, 600], fill=(120, 78, 40))
    for x in (980, 1160, 1320):
        _person(d, x, 520, 1.1, (31, 78, 121))
    return im


def lake() -> Image.Image:
    im = _sky((190, 220, 240), (240, 246, 250))
    d = ImageDraw.Draw(im)
    d.polygon([(0, 700), (380, 330), (700, 620), (980, 380), (1600, 700)], fill=(70, 110, 90))
    d.rectangle([0, 700, W, H], fill=(70, 130, 180))
    for k in range(6):
        y = 760 + k * 70
        d.line([(200 + k * 40, y), (1400 - k * 40, y)], fill=(200, 225, 240), width=8)
    d.ellipse([1250, 120, 1400, 270], fill=(255, 231, 168))
    return im


def shore_patrol() -> Image.Image:
    im = lake()
    d = ImageDraw.Draw(im)
    d.rectangle([0, 640, W, 720], fill=(180, 160, 120))
    for x in (500, 640, 780):
        _person(d, x, 650, 0.9, (164, 22, 26))
    return im


def market() -> Image.Image:
    im = _sky((255, 236, 200), (250, 246, 236))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 860, W, H], fill=(196, 170, 130))
    for i, x in enumerate(range(120, 1500, 460)):
        d.polygon([(x, 420), (x + 190, 320), (x + 380, 420)], fill=((164, 22, 26), (201, 161, 74), (31, 78, 121))[i % 3])
        d.rectangle([x + 20, 420, x + 360, 700], fill=(255, 250, 240))
        d.rectangle([x + 20, 640, x + 360, 700], fill=(120, 78, 40))
        _person(d, x + 190, 880, 1.0, (89, 60, 40))
    return im


def leaflet_stall() -> Image.Image:
    im = _sky((255, 240, 210), (248, 238, 220))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 880, W, H], fill=(196, 170, 130))
    d.rectangle([300, 520, 1300, 640], fill=(164, 22, 26))
    for k in range(6):
        d.rectangle([360 + k * 150, 440, 460 + k * 150, 520], fill=(255, 255, 255), outline=(201, 161, 74), width=6)
    for x in (520, 1080):
        _person(d, x, 500, 1.0, (31, 78, 121))
    return im


def classroom() -> Image.Image:
    im = _sky((250, 246, 236), (236, 226, 206))
    d = ImageDraw.Draw(im)
    d.rectangle([300, 150, 1300, 560], fill=(46, 94, 58), outline=(120, 78, 40), width=18)
    for k in range(3):
        d.line([(380, 260 + k * 100), (1000 - k * 120, 260 + k * 100)], fill=(240, 240, 230), width=12)
    for row in range(2):
        for x in range(200, 1500, 260):
            _person(d, x + row * 120, 930 + row * 160, 0.9, ((201, 161, 74), (164, 22, 26), (31, 78, 121))[(x // 260 + row) % 3])
    return im


def sunny_yard() -> Image.Image:
    im = _sky((255, 225, 160), (255, 246, 228))
    d = ImageDraw.Draw(im)
    d.ellipse([650, 140, 950, 440], fill=(255, 200, 90))
    d.rectangle([0, 820, W, H], fill=(140, 180, 110))
    for i, x in enumerate(range(260, 1400, 230)):
        _person(d, x, 860, 1.0 + (i % 2) * 0.3, ((164, 22, 26), (31, 78, 121), (107, 78, 0))[i % 3])
    return im


PICTURES: dict[str, Callable[[], Image.Image]] = {
    "liuliu-tiaojie-1.jpg": mediation_table, "liuliu-tiaojie-2.jpg": mediation_room,
    "dahu-jingmei-1.jpg": lake, "dahu-jingmei-2.jpg": shore_patrol,
    "gan-daji-1.jpg": market, "gan-daji-2.jpg": leaflet_stall,
    "qicai-yangguang-1.jpg": classroom, "qicai-yangguang-2.jpg": sunny_yard,
}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "content" / "branches" / "images"
    out.mkdir(parents=True, exist_ok=True)
    for name, (colour, motif) in LOGOS.items():
        (out / name).write_text(_seal(colour, motif), encoding="utf-8")
    for name, draw in PICTURES.items():
        draw().save(out / name, "JPEG", quality=80, optimize=True, progressive=True)
    print(f"{len(LOGOS)} logos and {len(PICTURES)} pictures → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
