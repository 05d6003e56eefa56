#!/usr/bin/env python3
"""What search, images and the Traditional version cost on the 1,000-branch benchmark.

    python bench/features_bench.py [N] [--rounds 3] [--images 100] [--work DIR]

Generates the corpus once (bench/gen_branches.py N, or shared/bench-anchors/gen_corpus.py
when that is missing), then makes three copies that differ only in the features:

* ``plain``: ``languages: [zh-Hans]``, ``search: false``, no images;
* ``search+images``: search on, a cover photo on ``--images`` branches (1600×1200 JPEGs
  drawn here with Pillow, with EXIF orientation) and the same photo in the story of every
  tenth of those;
* ``full``: the same plus ``languages: [zh-Hans, zh-Hant]`` (every page written twice).

Builds alternate between the copies (``python build.py build --root R --out OUT``, OUT
removed first, so every build is a cold full build as in shared/bench-anchors); the table
gives the median wall time and the median CPU time (user + system of the build and its
workers: steadier than wall time when other work shares the machine) and their ratios to
``plain``. The processed-image cache (``.brandsite-cache/images``) is kept between builds
as it is between an editor's builds; the first build with an empty cache is shown apart.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(n: int, work: Path) -> Path:
    corpus = work / f"corpus-{n}"
    if (corpus / "content").is_dir():
        return corpus
    gen = ROOT / "bench" / "gen_branches.py"
    if gen.is_file():
        subprocess.run([sys.executable, str(gen), str(n), str(corpus)], check=True, capture_output=True)
    else:
        anchors = ROOT.parent / "shared" / "bench-anchors" / "gen_corpus.py"
        subprocess.run([sys.executable, str(anchors), str(n), str(work / "anchors")], check=True, capture_output=True)
        shutil.copytree(work / "anchors" / "ours", corpus)
    return corpus


def photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    im = Image.new("RGB", (1600, 1200), tuple(rnd.randrange(256) for _ in range(3)))
    d = ImageDraw.Draw(im)
    for _ in range(60):
        x, y = rnd.randrange(1600), rnd.randrange(1200)
        d.ellipse([x, y, x + rnd.randrange(40, 400), y + rnd.randrange(40, 400)],
                  fill=tuple(rnd.randrange(256) for _ in range(3)))
    exif = Image.Exif()
    exif[0x0112] = 1 + seed % 8
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88, exif=exif.tobytes())
    return buf.getvalue()


def set_yaml(root: Path, languages: str, search: bool) -> None:
    p = root / "data" / "site.yaml"
    text = re.sub(r"(?m)^languages:.*$", f"languages: {languages}", p.read_text(encoding="utf-8"))
    if "languages:" not in text:
        text += f"languages: {languages}\n"
    text = re.sub(r"(?m)^search:.*\n", "", text) + f"search: {'true' if search else 'false'}\n"
    p.write_text(text, encoding="utf-8")


def add_images(root: Path, count: int) -> None:
    files = sorted((root / "content" / "branches").glob("*.md"))
    step = max(1, len(files) // max(count, 1))
    folder = root / "content" / "branches" / "photos"
    folder.mkdir(exist_ok=True)
    for k, md in enumerate(files[::step][:count]):
        name = f"p{k:04d}.jpg"
        (folder / name).write_bytes(photo(k))
        text = md.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        head += f"\ncover: photos/{name}\ncover_alt: 支部活动照片{k}"
        if k % 10 == 0:
            body = f"![支部活动现场{k}](photos/{name})\n\n" + body
        md.write_text(head + sep + body, encoding="utf-8")


def build(root: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one cold build."""
    out = root / "site"
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(root), "--out", str(out)],
                          capture_output=True, text=True, encoding="utf-8")
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build of {root} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return dt, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--images", type=int, default=100)
    ap.add_argument("--work", type=Path, default=Path("/tmp/brandsite-features-bench"))
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = generate(args.n, args.work)
    names = ("plain", "search+images", "full")
    roots = {}
    for name in names:
        r = args.work / f"{name.replace('+', '-')}-{args.n}"
        shutil.rmtree(r, ignore_errors=True)
        shutil.copytree(corpus, r, ignore=shutil.ignore_patterns("site", ".brandsite-cache"))
        roots[name] = r
    set_yaml(roots["plain"], "[zh-Hans]", False)
    set_yaml(roots["search+images"], "[zh-Hans]", True)
    set_yaml(roots["full"], "[zh-Hans, zh-Hant]", True)
    add_images(roots["search+images"], args.images)
    add_images(roots["full"], args.images)

    first = build(roots["full"])  # every photo processed (and cached)
    build(roots["search+images"])
    build(roots["plain"])  # warm-up
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(args.rounds):
        for name in names:
            w, c = build(roots[name])
            wall[name].append(round(w, 2))
            cpu[name].append(round(c, 2))
    files = {name: sum(1 for p in (r / "site").rglob("*") if p.is_file()) for name, r in roots.items()}
    base_w, base_c = statistics.median(wall["plain"]), statistics.median(cpu["plain"])
    print(f"| {args.n} branches, cold builds, median of {args.rounds} | wall s | × plain | CPU s | × plain | files |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in names:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"| {name} | {w:.2f} | {w / base_w:.2f} | {c:.2f} | {c / base_c:.2f} | {files[name]} |")
    print(f"| full, first build ({args.images} photos processed) | {first[0]:.2f} | | {first[1]:.2f} | | |")
    print(f"\nwall runs: {wall}\nCPU runs: {cpu}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
