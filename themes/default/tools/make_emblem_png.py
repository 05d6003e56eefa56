"""Draw the site emblem (a red seal with 品) as static/emblem.png: the share image.

WeChat and other share cards need a raster image of at least 300 x 300 px; the header
shows the same file, so WeChat's "first large image" heuristic finds it too. The PNG is
committed; run this only to change the design (needs a CJK serif font, e.g. Debian's
fonts-noto-cjk):  python themes/default/tools/make_emblem_png.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE, SCALE = 300, 4
RED, GOLD, WHITE = (164, 22, 26), (233, 196, 120), (255, 255, 255)
FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"  # index 2 = SC in Debian's file


def main() -> None:
    n = SIZE * SCALE
    img = Image.new("RGB", (n, n), WHITE)
    d = ImageDraw.Draw(img)
    pad = 6 * SCALE
    d.ellipse((pad, pad, n - pad, n - pad), fill=RED)
    ring = 20 * SCALE
    d.ellipse((ring, ring, n - ring, n - ring), outline=GOLD, width=5 * SCALE)
    ring2 = 30 * SCALE
    d.ellipse((ring2, ring2, n - ring2, n - ring2), outline=GOLD, width=2 * SCALE)
    font = ImageFont.truetype(FONT, 150 * SCALE, index=2)
    d.text((n / 2, n / 2 + 4 * SCALE), "品", font=font, fill=WHITE, anchor="mm")
    img = img.resize((SIZE, SIZE), Image.LANCZOS).quantize(colors=48, method=Image.Quantize.MEDIANCUT)
    out = Path(__file__).resolve().parent.parent / "static" / "emblem.png"
    img.save(out, optimize=True)
    print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
