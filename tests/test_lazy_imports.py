"""Commands import only what they use: Pillow, rapidfuzz, mammoth, watchdog and importlib.metadata
cost start-up time that ``check`` and ``build`` of a site without images never need. (rjieba and
pypinyin are imported by every build: a tag's slug and every sort key need them, and a lazy import
would be paid again in each forked loading worker.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, branch_text, make_small_site

HEAVY = ("PIL", "rapidfuzz", "mammoth", "watchdog", "docx", "importlib.metadata")
PROBE = """
import json, sys
from brandsite.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in {heavy} if m in sys.modules)]))
"""


def run(*args: object) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))  # type: ignore[return-value]


def site_with_slugs(tmp_path: Path) -> Path:
    """Every branch names its slug, and no tags."""
    s = make_small_site(tmp_path / "src")
    s.write("content/news/2024-12-01-xuanjiang.md", "---\ntitle: 法官妈妈走进小学\ndate: \"2024-12-01\"\n---\n讲法。\n")
    s.branch("faguan-mama", branch_text("法官妈妈", "ordos", "slug: faguan-mama"))
    s.branch("shantiao", branch_text("善调乡村", "xuyi", "slug: shantiao-xiangcun"))
    return s.root


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_of_a_site_with_slugs_and_no_images_import_none_of_them(tmp_path, command):
    root = site_with_slugs(tmp_path)
    code, loaded = run(command, "--root", root)
    assert code == 0
    # every cache key names the versions of the libraries that shape its entry (importlib.metadata),
    # and check reads the cache builds wrote
    assert loaded == ["importlib.metadata"]
