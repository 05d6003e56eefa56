#!/usr/bin/env python3
"""How long ``python build.py import`` takes on a 100-page Word report with 20 photos.

    python bench/import_bench.py [--pages 100] [--images 20] [--runs 3] [--work DIR]

The report is written once with python-docx (requirements-dev.txt): 20 brand sections, each
with a Word heading, paragraphs restating the seeds' figures (about 800 characters a page, a
page of 五号 text), a bullet list, a table and one 1600×1200 JPEG photo. Each run imports it
into a fresh copy of a minimal site (``--root``), as an editor would, and the table gives
the wall time of each run, the median wall and CPU time (user + system: steadier when other
work shares the machine), and the target from issue 16 (under 5 s on the team's
2-core machine). This is a measurement, not a test: nothing fails when it is slow.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from docx_report import write_report  # noqa: E402 - the tests' report writer, one source of truth

#: sentences in our own words around the seeds' figures
SENTENCES = [
    "2023年，各支部深入田间地头开展送法下乡180余次。",
    "2024年在前端分流化解纠纷3.4万件。",
    "2023年“执行信访百日攻坚”专项活动执行到位金额9337.42万元。",
    "2016年回访当事人后统计，群众满意度达99%。",
    "干警深入社区向近3000名老人面对面讲解防骗知识。",
    "支部与社区结对共建，开展普法宣传65次，提供法律咨询380余次。",
    "自2022年以来，共举办讲述活动52期，368名干警走上讲台。",
    "党员干警坚持把服务送到群众身边，把矛盾化解在基层，让群众少跑腿。",
    "支部把党建工作和审判执行工作同部署、同落实、同考核，形成相互促进的良好局面。",
]
CHARS_PER_PAGE = 800


def photo(seed: int) -> bytes:
    from PIL import Image

    rnd = random.Random(seed)
    im = Image.effect_noise((1600, 1200), 60).convert("RGB")
    tint = Image.new("RGB", im.size, (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    buf = io.BytesIO()
    Image.blend(im, tint, 0.5).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def report(path: Path, pages: int, images: int) -> Path:
    brands = max(images, 1)
    per_brand = pages * CHARS_PER_PAGE // brands
    sections = []
    for n in range(brands):
        items: list[object] = []
        size = 0
        k = n
        while size < per_brand:
            para = "".join(SENTENCES[(k + j) % len(SENTENCES)] for j in range(4))
            items.append(para)
            size += len(para)
            k += 1
        items.insert(2, ("bullets", ["走进校园讲解宪法知识。", "走进社区开展防骗宣传。", "走进企业提供法律咨询。"]))
        items.insert(4, ("table", [["年份", "活动", "数量"], ["2023年", "送法下乡", "180余次"], ["2024年", "普法宣传", "65次"]]))
        if n < images:
            items.insert(3, ("image", photo(n)))
        sections.append((f"打造“品牌{n + 1:02d}号”支部品牌", items))
    return write_report(path, sections)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--images", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None, help="folder for the report and the sites (default: a temp folder)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="brandsite-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    docx = report(work / "材料.docx", args.pages, args.images)
    print(f"report: {docx} ({docx.stat().st_size / 1024 / 1024:.1f} MB, {args.pages} pages, {args.images} images)",
          file=sys.stderr)
    times = []
    cpu = []
    for run in range(args.runs):
        site = work / f"site-{run}"
        shutil.rmtree(site, ignore_errors=True)
        (site / "data").mkdir(parents=True)
        (site / "data" / "site.yaml").write_text("title: 测试\nowner: 测试法院\n", encoding="utf-8")
        shutil.copy(ROOT / "data" / "metrics.yaml", site / "data" / "metrics.yaml")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(docx), "--root", str(site)],
                              capture_output=True, text=True, encoding="utf-8")
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 1
        written = len(list((site / "content" / "branches").glob("*.md")))
        pictures = len(list((site / "content" / "branches" / "images").glob("*")))
    print("| pages | images | drafts written | images written | wall per run (s) | median wall (s) | median CPU (s) | target |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {args.pages} | {args.images} | {written} | {pictures} | {', '.join(f'{t:.2f}' for t in times)} "
          f"| {statistics.median(times):.2f} | {statistics.median(cpu):.2f} | < 5 s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
