#!/usr/bin/env python3
"""docs/screenshots/import-draft.png: a draft as ``python build.py import`` writes it, as an editor sees it.

    python tools/import_screenshot.py [--out docs/screenshots/import-draft.png] [--brand sanxinxi-tianping]

Writes the import tests' Word report (tests/docx_report.py, python-docx), imports it into a
temporary site with the real command line, and shows one draft's text the way a plain editor
does (line numbers, comments in grey, the 【导入建议】 marker highlighted) in Debian's Chromium
through Playwright. Development-only: python-docx and playwright are in requirements-dev.txt.
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from docx_report import write_report  # noqa: E402

from brandsite.authoring.draft import MARK  # noqa: E402
from brandsite.cli import main as cli  # noqa: E402

CSS = """
body { margin: 0; background: #fbfbf8; font: 15px/1.55 "Noto Sans Mono CJK SC", "Noto Sans CJK SC", monospace; }
.bar { background: #33373d; color: #eee; padding: 6px 14px; font: 13px "Noto Sans CJK SC", sans-serif; }
pre { margin: 0; padding: 10px 0; }
.ln { display: inline-block; width: 3em; padding-right: 1em; text-align: right; color: #9a9a9a; user-select: none; }
.c { color: #6a737d; } .k { color: #1f5fa8; } .m { background: #fff1b8; color: #7a4b00; font-weight: bold; }
"""


def line_html(n: int, line: str, in_front: bool) -> str:
    text = html.escape(line)
    if in_front:
        if line.lstrip().startswith("#"):
            text = f'<span class="c">{text}</span>'
        elif "#" in line:
            head, _, tail = text.partition(" #")
            text = f'<span class="k">{head}</span><span class="c"> #{tail}</span>'
        else:
            text = f'<span class="k">{text}</span>'
    text = text.replace(MARK, f'<span class="m">{MARK}</span>')
    return f'<span class="ln">{n}</span>{text}'


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "import-draft.png")
    ap.add_argument("--brand", default="sanxinxi-tianping", help="file name (without .md) of the draft to show")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        (site / "data").mkdir(parents=True)
        (site / "data" / "site.yaml").write_text("title: 示例\nowner: 示例法院\n", encoding="utf-8")
        (site / "data" / "metrics.yaml").write_bytes((ROOT / "data" / "metrics.yaml").read_bytes())
        (site / "data" / "units.yaml").write_bytes((ROOT / "data" / "units.yaml").read_bytes())
        docx = write_report(Path(tmp) / "材料.docx")
        if cli(["import", str(docx), "--root", str(site), "--unit", "xuecheng"]) != 0:
            return 1
        name = f"content/branches/{args.brand}.md"
        lines = (site / name).read_text(encoding="utf-8").rstrip("\n").split("\n")
    fences = [i for i, ln in enumerate(lines) if ln == "---"][:2]
    body = "\n".join(line_html(i + 1, ln, fences[0] < i < fences[1]) for i, ln in enumerate(lines))
    page = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>{CSS}</style>'
            f'<div class="bar">{html.escape(name)} — 刚导入的草稿</div><pre>{body}</pre></html>')
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        tab = browser.new_page(viewport={"width": 1180, "height": 400}, device_scale_factor=1)
        tab.set_content(page)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(args.out), full_page=True)
        browser.close()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
