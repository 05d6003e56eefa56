"""Pinyin slugs and the order of the branch list."""

from __future__ import annotations

import posixpath
import re

import pytest
from conftest import branch_text, make_site, visible_text

from brandsite.slugs import MAX_SLUG, pinyin_key, slugify

pytestmark = pytest.mark.usefixtures("fast_templates")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("法官妈妈", "faguan-mama"),
        ("法官媽媽", "faguan-mama"),
        ("聽我斷案", "tingwo-duanan"),
        ("先锋行", "xianfengxing"),
        ("褚夫课法官工作室", "chufuke-faguan-gongzuoshi"),  # word segmentation, a name kept whole
        ("维护老年人合法权益", "weihu-laonianren-hefa-quanyi"),  # four-character compounds split
        ("金秤纽带", "jincheng-niudai"),  # jieba alone reads 金|秤纽|带
        ("初心花开工作室", "chuxin-huakai-gongzuoshi"),
        ("热线服务站", "rexian-fuwuzhan"),
        ("争创雷锋式党支部", "zhengchuang-leifengshi-dangzhibu"),
        ("山海之声调解室", "shanhai-zhisheng-tiaojieshi"),
        ("党建+135", "dangjian-135"),
        ("ＡＢＣ法庭", "abc-fating"),
        ("“三心”促和谐", "sanxin-cuhexie"),
        ("!!!", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_slugs_are_ascii_and_bounded():
    long = "法官妈妈" * 40
    s = slugify(long)
    assert len(s) <= MAX_SLUG and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s)


def test_pinyin_key_orders_by_reading():
    names = ["红心护航", "爱心调解", "党建引领", "春风化雨"]
    assert sorted(names, key=pinyin_key) == ["爱心调解", "春风化雨", "党建引领", "红心护航"]
    assert pinyin_key("法官媽媽")[0] == pinyin_key("法官妈妈")[0]


def test_two_scripts_of_one_brand_collide(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("simplified", branch_text("法官妈妈", "xuyi"))
    s.branch("traditional", branch_text("法官媽媽", "ordos"))
    r = cli("check", "--root", s.root)
    assert r.code == 1
    (line,) = [ln for ln in r.out.splitlines() if "faguan-mama" in ln]
    assert line.startswith("content/branches/traditional.md:2:")
    assert "content/branches/simplified.md" in line


def test_branch_list_order_then_pinyin(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("h", branch_text("红心护航", "xuyi"))
    s.branch("a", branch_text("爱心调解", "xuyi"))
    s.branch("d", branch_text("党建引领", "xuyi", "order: 5"))
    s.branch("c", branch_text("春风化雨", "xuyi"))
    s.branch("z", branch_text("最先展示", "xuyi", "order: 1"))
    assert cli("--root", s.root).code == 0
    expected = ["最先展示", "党建引领", "爱心调解", "春风化雨", "红心护航"]
    for page in ("branches/index.html", "index.html"):
        text = visible_text(s.site / page)
        order = [text.index(b) for b in expected]
        assert order == sorted(order), page
    html = (s.site / "branches" / "index.html").read_text(encoding="utf-8")
    targets = [posixpath.normpath(posixpath.join("branches", h)) for h in re.findall(r'href="([^"#:]+)"', html)]
    links = [t.split("/")[1] for t in targets if re.fullmatch(r"branches/[a-z0-9-]+/index\.html", t)]
    assert links == [slugify(b) for b in expected]


def test_tag_in_both_scripts_shares_one_page(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text("甲品牌", "xuyi", "tags: [普法宣传]"))
    s.branch("b", branch_text("乙品牌", "xuyi", "tags: [普法宣傳]"))
    assert cli("--root", s.root).code == 0
    tags = sorted(p.name for p in (s.site / "tags").iterdir() if p.is_dir())
    assert tags == ["pufa-xuanchuan"]
    page = (s.site / "tags" / "pufa-xuanchuan" / "index.html").read_text(encoding="utf-8")
    assert "甲品牌" in page and "乙品牌" in page


def test_explicit_slug_wins(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("x", branch_text("聽我斷案", "xuyi", "slug: ting-wo-duan-an"))
    assert cli("--root", s.root).code == 0
    assert (s.site / "branches" / "ting-wo-duan-an" / "index.html").is_file()
    assert not (s.site / "branches" / "tingwo-duanan").exists()
