"""The sample site shipped in the repository: it checks clean and builds every branch."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO, check_links, parse_html, run_script

from brandsite.model.slugs import slugify

BRANCH_FILES = sorted((REPO / "content" / "branches").glob("*.md"))


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    r = run_script("build", "--root", REPO, "--out", out, "--no-cache")
    assert r.code == 0, r.err
    assert "已生成" in r.out
    return out


def test_sample_check_exits_0():
    r = run_script("check", cwd=REPO)
    assert r.code == 0, r.out + r.err
    assert "0 个错误" in r.out


def test_sample_has_branches():
    assert len(BRANCH_FILES) >= 5


def test_every_published_branch_has_a_page(sample_out):
    published, drafts = [], []
    for path in BRANCH_FILES:
        fm = front_matter(path)
        slug = fm.get("slug") or slugify(fm["brand"])
        (drafts if fm.get("draft") else published).append((path.name, slug))
    assert published
    missing = [name for name, slug in published if not (sample_out / "branches" / slug / "index.html").is_file()]
    assert missing == []
    leaked = [name for name, slug in drafts if (sample_out / "branches" / slug).exists()]
    assert leaked == []
    built = {p.name for p in (sample_out / "branches").iterdir() if p.is_dir()}
    assert built == {slug for _, slug in published}


def test_traditional_branch_page_is_zh_hant(sample_out):
    (path,) = [p for p in BRANCH_FILES if front_matter(p)["brand"] == "聽我斷案"]
    slug = front_matter(path).get("slug") or slugify("聽我斷案")
    page = sample_out / "branches" / slug / "index.html"
    assert parse_html(page).lang == "zh-Hant"
    assert "聽我斷案" in page.read_text(encoding="utf-8")
    assert parse_html(sample_out / "index.html").lang == "zh-CN"


def test_sample_links_resolve(sample_out):
    assert check_links(sample_out) > 500


def test_sample_404_uses_base_path(sample_out):
    links = [v for _, _, v in parse_html(sample_out / "404.html").links if not v.startswith(("#", "http"))]
    assert links and all(v.startswith("/djpp/") for v in links)
