"""The built site: every page exists, links are relative and resolve, language, theme override;
and the output guarantees: atomic swap, byte-identical rebuilds, no stale files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO, branch_text, check_links, make_small_site, parse_html, run_script, tree_bytes

from brandsite import pipeline
from brandsite.content import reading
from brandsite.model.slugs import slugify
from brandsite.render import pages as render
from brandsite.write import claim, staging

SHANTIAO = slugify("善调乡村")  # pinyin of the brand (whatever reading pypinyin picks for 调)
TINGWO = slugify("聽我斷案")

pytestmark = pytest.mark.usefixtures("fast_templates")

TRADITIONAL = branch_text(
    "聽我斷案",
    "ordos",
    "slogan: 講好身邊案，傳播法治聲",
    "tags: [普法宣傳]",
    "stats:",
    "  - metric: 普法宣傳",
    "    value: 52期",
    body="法官走上講臺講述親辦案件，讓群眾在聽故事中學習法律知識。\n\n## 講述活動\n\n每月舉辦一期。\n",
)


@pytest.fixture
def built_site(small_site, cli):
    small_site.write("data/metrics.yaml", "普法宣传:\n  aliases: [法治宣传, 普法宣傳]\n")
    small_site.branch("ting-wo-duan-an", TRADITIONAL)
    r = cli("--root", small_site.root)
    assert r.code == 0, r.text
    return small_site


# ---------------------------------------------------------------------------- pages


def test_every_page_of_the_spec_exists(built_site):
    site = built_site.site
    expected = [
        "index.html",
        "branches/index.html",
        "branches/faguan-mama/index.html",
        f"branches/{TINGWO}/index.html",
        "units/index.html",
        "units/xuyi/index.html",
        "units/ordos/index.html",
        "tags/index.html",
        "tags/pufa-xuanchuan/index.html",
        "stats/index.html",
        "stats/stats.csv",
        "stats/stats.json",
        "honors/index.html",
        "news/index.html",
        "news/2024-12-01-xuanjiang/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "about/index.html",
        "assets/style.css",
    ]
    missing = [p for p in expected if not (site / p).is_file()]
    assert missing == []
    # one page per branch, unit and tag that is used
    assert sorted(p.name for p in (site / "branches").iterdir() if p.is_dir()) == sorted(
        ["faguan-mama", SHANTIAO, TINGWO])
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "branches/faguan-mama/" in sitemap and "404.html" not in sitemap
    assert "Sitemap:" in (site / "robots.txt").read_text(encoding="utf-8")
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "法官妈妈走进小学" in feed


def test_no_feed_and_no_news_pages_without_news(small_site, cli):
    for p in (small_site.root / "content" / "news").iterdir():
        p.unlink()
    assert cli("--root", small_site.root).code == 0
    assert not (small_site.site / "feed.xml").exists()
    assert not (small_site.site / "news").exists()
    for page in small_site.site.rglob("*.html"):
        assert "feed.xml" not in page.read_text(encoding="utf-8"), page


def test_draft_news_does_not_make_a_feed(small_site, cli):
    news = small_site.root / "content" / "news" / "2024-12-01-xuanjiang.md"
    news.write_text(news.read_text(encoding="utf-8").replace("tags:", "draft: true\ntags:"), encoding="utf-8")
    assert cli("--root", small_site.root).code == 0
    assert not (small_site.site / "feed.xml").exists()


def test_all_internal_links_are_relative_and_resolve(built_site):
    assert check_links(built_site.site) > 100


def test_404_page_links_use_base_path(tmp_path, small_site, cli):
    small_site.write(
        "data/site.yaml",
        "title: 测试站点\nowner: 院\nbase_path: /djpp/\nnav:\n  - {title: 首页, url: ''}\n  - {title: 统计, url: /stats/}\n",
    )
    assert cli("--root", small_site.root).code == 0
    links = [v for _, _, v in parse_html(small_site.site / "404.html").links if not v.startswith("#")]
    assert links
    for v in links:
        assert v.startswith("/djpp/"), v
        assert (small_site.site / v.removeprefix("/djpp/")).is_file(), v
    check_links(small_site.site)  # other pages stay relative under a base path, nav "/stats/" included
    assert 'href="../stats/index.html"' in (small_site.site / "branches" / "index.html").read_text(encoding="utf-8") or \
        'href="../stats/"' in (small_site.site / "branches" / "index.html").read_text(encoding="utf-8")


def test_html_lang(built_site):
    site = built_site.site
    assert parse_html(site / "branches" / TINGWO / "index.html").lang == "zh-Hant"
    assert parse_html(site / "branches" / "faguan-mama" / "index.html").lang == "zh-CN"
    normal = [p for p in site.rglob("*.html") if TINGWO not in p.as_posix()]
    assert len(normal) > 10
    assert {parse_html(p).lang for p in normal} == {"zh-CN"}


def test_site_theme_template_overrides_shipped_one(small_site, cli):
    small_site.write(
        "themes/default/templates/branch.html",
        '{% extends "base.html" %}{% block content %}<h1 class="custom-branch">自定义：{{ branch.brand }}</h1>'
        "{% endblock %}",
    )
    small_site.write("themes/default/static/extra.txt", "额外文件\n")
    assert cli("--root", small_site.root).code == 0
    page = (small_site.site / "branches" / "faguan-mama" / "index.html").read_text(encoding="utf-8")
    assert '<h1 class="custom-branch">自定义：法官妈妈</h1>' in page
    assert 'class="site-header"' in page  # base.html still comes from the shipped theme
    home = (small_site.site / "index.html").read_text(encoding="utf-8")
    assert "custom-branch" not in home and "法官妈妈" in home
    assert (small_site.site / "assets" / "extra.txt").read_text(encoding="utf-8") == "额外文件\n"
    shipped = (REPO / "themes" / "default" / "static" / "style.css").read_text(encoding="utf-8")
    assert shipped and (small_site.site / "assets" / "style.css").is_file()


def test_theme_from_site_yaml_falls_back_to_default(small_site, cli):
    small_site.write("data/site.yaml", "title: 测试站点\nowner: 院\ntheme: court\n")
    small_site.write("themes/court/templates/index.html",
                     '{% extends "base.html" %}{% block content %}<p id="court-home">法院主题</p>{% endblock %}')
    assert cli("--root", small_site.root).code == 0
    assert 'id="court-home"' in (small_site.site / "index.html").read_text(encoding="utf-8")
    branch = (small_site.site / "branches" / "faguan-mama" / "index.html").read_text(encoding="utf-8")
    assert 'id="story-h"' in branch and "法官妈妈" in branch  # shipped branch.html


# ---------------------------------------------------------------------------- guarantees


def leftovers(parent: Path) -> list[str]:
    """Staging folders left beside the output folders in ``parent`` or in its cache folder."""
    beside = [p.name for p in parent.iterdir() if p.name.startswith((".brandsite-tmp-", ".brandsite-old-", ".brandsite-replaced-"))]
    stage = parent / ".brandsite-cache" / "output"
    staging = [p.name for p in stage.iterdir() if p.name.startswith("staging-")] if stage.is_dir() else []
    return sorted(beside + staging)


def test_failed_build_leaves_site_untouched(small_site, cli):
    assert cli("--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    stamps = {p: p.stat().st_mtime_ns for p in small_site.site.rglob("*")}
    small_site.branch("broken", branch_text("坏品牌", "xuyi", "members: 很多"))
    small_site.branch("shantiao", "---\nbrand: 善调乡村\n")  # and an existing page broken too
    r = cli("--root", small_site.root)
    assert r.code == 1
    assert tree_bytes(small_site.site) == before
    assert {p: p.stat().st_mtime_ns for p in small_site.site.rglob("*")} == stamps
    assert leftovers(small_site.root) == []


def test_same_sources_give_identical_output(small_site, tmp_path, cli):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("--root", small_site.root, "--out", a).code == 0
    assert cli("--root", small_site.root, "--out", b).code == 0
    first = tree_bytes(a)
    assert len(first) > 15
    assert tree_bytes(b) == first
    # rebuilding the existing folder reads the render cache
    assert (small_site.root / ".brandsite-cache" / "render.sqlite").is_file()
    assert cli("--root", small_site.root, "--out", a).code == 0
    assert tree_bytes(a) == first
    assert cli("--root", small_site.root, "--out", a, "--no-cache").code == 0
    assert tree_bytes(a) == first
    assert leftovers(tmp_path) == []


def test_identical_output_across_processes_and_hash_seeds(tmp_path):
    s = make_small_site(tmp_path / "src")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = run_script("--root", s.root, "--out", out, "--no-cache", env=env)
        assert r.code == 0, r.err
        outs.append(tree_bytes(out))
    assert outs[0] == outs[1]


def test_cache_entry_is_used_on_rebuild(small_site, cli, monkeypatch):
    assert cli("--root", small_site.root).code == 0
    calls = []
    real = reading._load_one
    monkeypatch.setattr(reading, "_load_one", lambda job: calls.append(job) or real(job))
    assert cli("--root", small_site.root).code == 0
    assert calls == []  # everything came from the cache
    small_site.branch("shantiao", (small_site.root / "content/branches/shantiao.md").read_text(encoding="utf-8") + "\n补充。\n")
    assert cli("--root", small_site.root).code == 0
    assert [Path(job[1]).name for job in calls] == ["shantiao.md"]
    assert "补充。" in (small_site.site / "branches" / SHANTIAO / "index.html").read_text(encoding="utf-8")


def test_deleted_source_removes_its_pages(small_site, cli):
    assert cli("--root", small_site.root).code == 0
    assert (small_site.site / "branches" / SHANTIAO / "index.html").is_file()
    assert (small_site.site / "tags" / "duoyuan-jiefen" / "index.html").is_file()
    assert (small_site.site / "units" / "xuyi" / "index.html").is_file()
    (small_site.root / "content" / "branches" / "shantiao.md").unlink()
    (small_site.root / "content" / "pages" / "about.md").unlink()
    assert cli("--root", small_site.root).code == 0
    assert not (small_site.site / "branches" / SHANTIAO).exists()
    assert not (small_site.site / "tags" / "duoyuan-jiefen").exists()
    assert not (small_site.site / "units" / "xuyi").exists()
    assert not (small_site.site / "about").exists()
    for f in small_site.site.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".xml", ".json", ".csv"):
            text = f.read_text(encoding="utf-8-sig")
            assert SHANTIAO not in text and "善调乡村" not in text, f


def test_foreign_files_in_site_do_not_survive_a_build(small_site, cli):
    assert cli("--root", small_site.root).code == 0
    (small_site.site / "stale.html").write_text("旧文件", encoding="utf-8")
    assert cli("--root", small_site.root).code == 0
    assert not (small_site.site / "stale.html").exists()


def _explode_after(n: int, exc: BaseException):
    real = render.render_job
    count = {"n": 0}

    def fake(env, site, job, *features):
        count["n"] += 1
        if count["n"] > n:
            raise exc
        return real(env, site, job, *features)

    return fake


def test_build_crashing_mid_way_leaves_site_intact(small_site, cli, monkeypatch):
    assert cli("--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    small_site.branch("new", branch_text("新品牌", "xuyi"))
    monkeypatch.setattr(render, "render_job", _explode_after(3, RuntimeError("模拟渲染失败")))
    with pytest.raises(RuntimeError):
        pipeline.build(pipeline.Options(root=small_site.root))
    assert tree_bytes(small_site.site) == before
    assert leftovers(small_site.root) == []
    monkeypatch.undo()
    assert cli("--root", small_site.root).code == 0
    assert (small_site.site / "branches" / slugify("新品牌") / "index.html").is_file()


def test_interrupted_build_exits_130_and_leaves_site_intact(small_site, cli, monkeypatch):
    assert cli("--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    small_site.branch("new", branch_text("新品牌", "xuyi"))  # pages to render (unchanged ones are kept)
    monkeypatch.setattr(render, "render_job", _explode_after(2, KeyboardInterrupt()))
    r = cli("--root", small_site.root)
    assert r.code == 130
    assert tree_bytes(small_site.site) == before
    assert leftovers(small_site.root) == []


def test_killed_build_leftovers_are_cleaned_by_next_build(small_site, cli, monkeypatch):
    assert cli("--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    small_site.branch("new", branch_text("新品牌", "xuyi"))  # pages to render (unchanged ones are kept)
    # a killed process gets no chance to clean up: no abort()
    monkeypatch.setattr(staging.StagedOutput, "abort", lambda self: None)
    monkeypatch.setattr(render, "render_job", _explode_after(4, RuntimeError("kill -9")))
    with pytest.raises(RuntimeError):
        pipeline.build(pipeline.Options(root=small_site.root))
    assert tree_bytes(small_site.site) == before
    left = leftovers(small_site.root)
    assert len(left) == 1 and left[0].startswith("staging-") and left[0].endswith(f"-site-{os.getpid()}")
    # a half-finished swap from an even older kill
    (small_site.root / ".brandsite-old-site-99999").mkdir()
    (small_site.root / ".brandsite-old-site-99999" / "index.html").write_text("旧", encoding="utf-8")
    monkeypatch.undo()
    (small_site.root / "content" / "branches" / "new.md").unlink()  # back to the sources of `before`
    assert cli("--root", small_site.root).code == 0
    assert leftovers(small_site.root) == []
    assert tree_bytes(small_site.site) == before


def test_check_never_touches_site(small_site, cli):
    assert cli("--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    small_site.branch("broken", branch_text("坏品牌", "xuyi", "members: 很多"))
    assert cli("check", "--root", small_site.root).code == 1
    (small_site.root / "content/branches/broken.md").unlink()
    assert cli("check", "--root", small_site.root).code == 0
    assert tree_bytes(small_site.site) == before


@pytest.mark.parametrize("rel", ["../x.html", "/etc/passwd", "a/../../b", "a\\b.html", "a\x00b"])
def test_safe_join_refuses_escapes(tmp_path, rel):
    with pytest.raises(claim.UnsafePath):
        claim.safe_join(tmp_path, rel)


def test_safe_join_accepts_nested(tmp_path):
    assert claim.safe_join(tmp_path, "branches/a/index.html") == tmp_path / "branches" / "a" / "index.html"
