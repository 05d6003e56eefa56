"""A build without ``--drafts`` says what it left out.

``new branch`` writes a draft, so an editor's first build used to show a home page with
"0 个品牌" and a summary line that did not say why. The summary (``build``) and the preview's
terminal (``serve``) now name the drafts and how to see them."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import branch_text, front

from brandsite import pipeline
from brandsite.serve.server import Preview


def test_first_build_after_new_branch_names_the_draft(tmp_path: Path, cli) -> None:
    root = tmp_path / "site-src"
    assert cli("new", "site", root).code == 0
    assert cli("new", "branch", "调解之家", "--root", root).code == 0
    r = cli("build", "--root", root)
    assert r.code == 0, r.text
    assert "另有 1 个品牌（“调解之家”）是草稿（draft: true），没有生成。预览草稿：加上 --drafts" in r.out
    with_drafts = cli("build", "--root", root, "--drafts")
    assert with_drafts.code == 0 and "草稿（draft: true）" not in with_drafts.out


def test_no_note_when_nothing_is_a_draft_and_news_drafts_are_counted(site_dir, cli) -> None:
    site_dir.branch("a", branch_text("甲品牌", "xuyi"))
    r = cli("build", "--root", site_dir.root)
    assert r.code == 0, r.text
    assert "草稿" not in r.out
    site_dir.branch("b", branch_text("乙品牌", "xuyi", "draft: true"))
    site_dir.branch("c", branch_text("丙品牌", "xuyi", "draft: true"))
    site_dir.write("content/news/2024-10-01-huodong.md", front("title: 主题党日活动", 'date: "2024-10-01"', "draft: true") + "活动。\n")
    r = cli("build", "--root", site_dir.root)
    assert r.code == 0, r.text
    assert "另有 2 个品牌（“丙品牌”、“乙品牌”）、1 条工作动态（“主题党日活动”）是草稿" in r.out


def test_preview_says_it_once_and_again_when_the_drafts_change(site_dir) -> None:
    site_dir.branch("a", branch_text("甲品牌", "xuyi"))
    site_dir.branch("b", branch_text("乙品牌", "xuyi", "draft: true"))
    log = io.StringIO()
    root = site_dir.root
    preview = Preview(pipeline.Options(root=root, out=root / "site", use_cache=False, workers=1), "127.0.0.1", 0, stream=log)
    try:
        assert preview.rebuild().ok, log.getvalue()
        assert log.getvalue().count("另有 1 个品牌（“乙品牌”）是草稿") == 1
        (root / "content" / "branches" / "a.md").write_text(branch_text("甲品牌", "xuyi", body="改过的正文。\n"), encoding="utf-8")
        assert preview.rebuild().ok, log.getvalue()
        assert log.getvalue().count("是草稿") == 1  # the same drafts: not said again on every save
        site_dir.branch("b", branch_text("乙品牌", "xuyi"))  # the draft is published
        site_dir.branch("c", branch_text("丙品牌", "xuyi", "draft: true"))
        (root / "content" / "branches" / "c.md").touch()
        assert preview.rebuild().ok, log.getvalue()
        assert log.getvalue().count("另有 1 个品牌（“丙品牌”）是草稿") == 1
    finally:
        preview.stop()
