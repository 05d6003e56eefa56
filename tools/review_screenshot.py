#!/usr/bin/env python3
"""Write docs/screenshots/review-form.png: the 审核表 of a second publication, as a reviewer sees it.

The tests' small site is published once (three sign-offs, package), then a figure and a sentence
of one branch are edited and ``review`` writes the form; Debian's Chromium (headless, no network)
takes an A4-wide screenshot of it.

    python tools/review_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for p in (REPO, REPO / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from test_review import FAGUAN, LEVELS, edit, publishable  # noqa: E402

from brandsite.cli import main  # noqa: E402 - needs the path above

OUT = REPO / "docs" / "screenshots" / "review-form.png"


def run(*args: object) -> None:
    code = main([str(a) for a in args])
    if code != 0:
        raise SystemExit(f"python build.py {' '.join(map(str, args))} → {code}")


def scenario(root: Path) -> Path:
    s = publishable(root)
    for level, name in zip(LEVELS, ("张某", "王某", "李某"), strict=True):
        run("sign", "--root", s.root, "--as", level, "--name", name, "--date", "2026-12-01")
    run("package", "--root", s.root)
    edit(s.root / FAGUAN, "180余次", "200余次")
    edit(s.root / FAGUAN, "常年走进校园为孩子们讲法。", "常年走进校园和社区为孩子们讲法。")
    (s.root / FAGUAN).write_text((s.root / FAGUAN).read_text(encoding="utf-8") + "\n宣讲团还走进了社区。\n", encoding="utf-8")
    run("sign", "--root", s.root, "--as", LEVELS[0], "--name", "张某", "--date", "2026-12-08")
    run("review", "--root", s.root)
    return s.root / "审核表.html"


def main_() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        form = scenario(Path(tmp) / "src")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
            page.goto(form.as_uri())
            OUT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    print(OUT)


if __name__ == "__main__":
    main_()
