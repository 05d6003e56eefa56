"""Regression tests for the five defects of issue 13 (D1–D5), each on a small site.

Every scenario runs the warm ``build``, ``check`` and the preview (``Incremental``) where the
defect showed, and compares with a clean build byte for byte where pages are written.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, branch_text, front, make_site
from test_incremental import assert_same_as_clean, tree

from brandsite import pipeline
from brandsite.cli import main
from brandsite.serve.incremental import Incremental


def _options(root: Path, out: Path, **kw: object) -> pipeline.Options:
    return pipeline.Options(root=root, out=out, workers=1, **kw)  # type: ignore[arg-type]


def _photo(path: Path) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 200), (200, 30, 30)).save(path, "JPEG", quality=80)


# ------------------------------------------------------------------ D1 tag slugs that collide


def _collide(root: Path) -> None:
    """A news item tagged 普法 joins a site whose branch is tagged 蒲法 (both read "pufa")."""
    (root / "content/news").mkdir(parents=True, exist_ok=True)
    (root / "content/news/2024-05-01-pufa.md").write_text(
        front("title: 普法进社区", 'date: "2024-05-01"', "tags: [普法]") + "法官走进社区开展宣讲。\n",
        encoding="utf-8")


def _pufa_site(root: Path) -> None:
    s = make_site(root)
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama", "tags: [蒲法]"))
    s.branch("b", branch_text("善调乡村", "ordos", "slug: shantiao", "tags: [多元解纷]"))


def test_d1_colliding_tag_slug_warm_build_matches_clean(tmp_path: Path) -> None:
    root, out = tmp_path / "src", tmp_path / "out" / "site"
    _pufa_site(root)
    assert pipeline.build(_options(root, out)).ok
    _collide(root)
    warm = pipeline.build(_options(root, out))
    assert warm.ok, warm.report.lines()
    assert_same_as_clean(root, out, tmp_path / "clean" / "site", ["news tagged 普法"])


def test_d1_colliding_tag_slug_in_the_preview(tmp_path: Path) -> None:
    root, out = tmp_path / "src", tmp_path / "preview"
    _pufa_site(root)
    inc = Incremental(_options(root, out, use_cache=False))
    assert inc.rebuild().ok
    _collide(root)
    outcome = inc.rebuild()
    assert outcome.ok, outcome.report.lines()
    assert_same_as_clean(root, out, tmp_path / "clean" / "site", ["news tagged 普法"])


# ------------------------------------------------------------------ D2 a save without changes


def _cover_site(root: Path, with_photo: bool = True) -> Path:
    s = make_site(root)
    if with_photo:
        _photo(root / "content/branches/images/cover.jpg")
    return s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama", "cover: images/cover.jpg",
                                     "cover_alt: 法官为小学生讲解宪法知识"))


def test_d2_saving_an_unchanged_branch_keeps_the_processed_images(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    root, out = tmp_path / "src", tmp_path / "preview"
    branch = _cover_site(root)
    inc = Incremental(_options(root, out, use_cache=False))
    assert inc.rebuild().ok
    media = sorted(p for p in tree(out) if p.startswith("media/"))
    assert media
    branch.write_bytes(branch.read_bytes())  # the editor presses Ctrl-S: new mtime, same bytes
    outcome = inc.rebuild(should_stop=lambda: False)  # as the server calls it
    assert outcome.ok and not outcome.removed, outcome.removed
    assert sorted(p for p in tree(out) if p.startswith("media/")) == media
    assert_same_as_clean(root, out, tmp_path / "clean" / "site", ["save without changes"])


# ------------------------------------------------------------------ D3 a cover added after its error


def test_d3_cover_added_after_the_error_clears_it_in_build_check_and_serve(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("PIL")
    root, out = tmp_path / "src", tmp_path / "out" / "site"
    _cover_site(root, with_photo=False)
    first = pipeline.build(_options(root, out))
    assert not first.ok and any("封面图“images/cover.jpg”不存在" in line for line in first.report.lines())
    inc = Incremental(_options(root, tmp_path / "preview"))
    assert not inc.rebuild().ok
    assert main(["check", "--root", str(root)]) == 1
    _photo(root / "content/branches/images/cover.jpg")
    warm = pipeline.build(_options(root, out))
    assert warm.ok, warm.report.lines()
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr().out
    outcome = inc.rebuild()
    assert outcome.ok, outcome.report.lines()
    assert_same_as_clean(root, tmp_path / "preview", tmp_path / "clean" / "site", ["cover added"])


# ------------------------------------------------------------------ D4 the preview checks what build checks


def test_d4_preview_reports_broken_links_like_build(tmp_path: Path) -> None:
    root = tmp_path / "src"
    s = make_site(root)
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama"))
    s.branch("b", branch_text("善调乡村", "ordos", "slug: shantiao", body="详见[另一个品牌](../meiyou/)。\n"))
    built = pipeline.build(_options(root, tmp_path / "out" / "site"))
    assert not built.ok
    want = [d.format() for d in built.report.errors]
    assert any("meiyou" in line for line in want), want
    inc = Incremental(_options(root, tmp_path / "preview", use_cache=False))
    outcome = inc.rebuild()
    assert not outcome.ok
    assert [d.format() for d in outcome.report.errors] == want
    # fixed: the finding goes, and a save elsewhere does not bring it back
    s.branch("b", branch_text("善调乡村", "ordos", "slug: shantiao", body="详见[另一个品牌](../faguan-mama/)。\n"))
    fixed = inc.rebuild()
    assert fixed.ok, fixed.report.lines()
    s.branch("b", branch_text("善调乡村", "ordos", "slug: shantiao", body="详见[另一个品牌](../meiyou/)。\n"))
    again = inc.rebuild()
    assert [d.format() for d in again.report.errors] == want


def test_d4_serve_does_not_write_the_folder_build_publishes(tmp_path: Path) -> None:
    root = tmp_path / "src"
    s = make_site(root)
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama"))
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        seen = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            seen.append(line)
            if "预览地址" in line or not line:
                break
        assert any("预览地址" in line for line in seen), seen
        assert not (root / "site").exists()
        assert (root / ".brandsite-cache" / "preview" / "branches" / "faguan-mama" / "index.html").is_file()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ------------------------------------------------------------------ D5 serve keeps build's search index


def _search_entries(root: Path) -> int:
    with sqlite3.connect(root / ".brandsite-cache" / "render.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM entries WHERE k LIKE '%:search-%'").fetchone()[0]


def test_d5_starting_serve_keeps_the_cached_search_index(tmp_path: Path) -> None:
    root = tmp_path / "src"
    s = make_site(root)
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama"))
    assert pipeline.build(_options(root, tmp_path / "out" / "site")).ok
    before = _search_entries(root)
    assert before > 0
    assert Incremental(_options(root, tmp_path / "preview")).rebuild().ok
    assert _search_entries(root) == before


def test_d4_preview_sees_a_link_broken_by_deleting_its_target(tmp_path: Path) -> None:
    """The linking page is not rendered again (nothing it shows changed), yet its link now fails."""
    root = tmp_path / "src"
    s = make_site(root)
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: faguan-mama", body="详见[善调乡村](../shantiao/)。\n"))
    target = s.branch("b", branch_text("善调乡村", "ordos", "slug: shantiao"))
    inc = Incremental(_options(root, tmp_path / "preview", use_cache=False))
    assert inc.rebuild().ok
    s.write("content/pages/about.md", front("title: 关于本站", "slug: about") + "本站展示法院党支部品牌。\n")
    assert inc.rebuild().ok  # (files only added: every page's facts kept)
    target.unlink()
    outcome = inc.rebuild()
    assert "branches/faguan-mama/index.html" not in outcome.changed
    built = pipeline.build(_options(root, tmp_path / "out" / "site"))
    want = [d.format() for d in built.report.errors]
    assert any("shantiao" in line for line in want), want
    assert not outcome.ok and [d.format() for d in outcome.report.errors] == want
