"""Brand identity: a branch's own logo (SVG or raster) and a gallery of photos with captions and alt."""

from __future__ import annotations

import re

from conftest import branch_text, make_site, tiny_png

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200"><circle cx="100" cy="100" r="90" fill="#a4161a"/></svg>\n'
GALLERY = ["gallery:", "  - src: images/a.png", "    alt: 法官在教室里讲解宪法", "    caption: 走进校园",
           "  - src: images/b.png", "    alt: 调解室里的长桌"]


def _site(tmp_path):
    s = make_site(tmp_path / "src")
    s.write("content/branches/images/logo.svg", SVG)
    s.write("content/branches/images/logo.png", tiny_png())
    s.write("content/branches/images/a.png", tiny_png())
    s.write("content/branches/images/b.png", tiny_png())
    s.branch("mama", branch_text("法官妈妈", "xuyi", "slug: mama", "logo: images/logo.svg", *GALLERY))
    s.branch("ting", branch_text("听我断案", "xuyi", "slug: ting", "logo: images/logo.png"))
    s.branch("plain", branch_text("善调乡村", "xuyi", "slug: plain"))
    return s


def test_logo_and_gallery_lead_cards_and_pages(tmp_path, cli):
    s = _site(tmp_path)
    assert cli("--root", s.root).code == 0
    listing = (s.site / "branches" / "index.html").read_text(encoding="utf-8")
    cards = {re.search(r'href="([^"]+)"', c.split('class="card-title"', 1)[1]).group(1): c
             for c in re.findall(r'<article class="card".*?</article>', listing, re.S)}
    mama = next(c for k, c in cards.items() if "mama/" in k)
    ting = next(c for k, c in cards.items() if "ting/" in k)
    plain = next(c for k, c in cards.items() if "plain/" in k)
    # the SVG logo is copied as it is and shown with <img> (an SVG runs no script there)
    svg = re.search(r'<span class="emblem emblem-logo"><img src="\.\./media/([0-9a-f]+-200\.svg)"[^>]*loading="lazy"', mama)
    assert svg and (s.site / "media" / svg.group(1)).read_text(encoding="utf-8") == SVG
    assert '<span class="emblem emblem-logo"><picture>' in ting and 'loading="lazy"' in ting  # raster: the pipeline
    assert '<svg class="emblem em-' in plain and "emblem-logo" not in plain  # no logo: the generated emblem
    assert 'class="card-cover"' in mama and 'alt="法官在教室里讲解宪法"' in mama  # no cover: the first photo
    page = (s.site / "branches" / "mama" / "index.html").read_text(encoding="utf-8")
    head = page.split('<div class="branch-cover">', 1)[1].split("</div>", 1)[0]
    assert 'alt="法官在教室里讲解宪法"' in head and 'loading="eager"' in head
    gallery = page.split('aria-labelledby="gallery-h"', 1)[1].split("</section>", 1)[0]
    assert '<figure><picture>' in gallery and 'alt="调解室里的长桌"' in gallery and 'loading="lazy"' in gallery
    assert "走进校园" not in gallery  # the first photo leads the page; the section shows the others
    assert list((s.site / "media").glob("*.webp")), "photos and the raster logo go through the pipeline"


def test_logo_and_gallery_mistakes_are_chinese_path_line_errors(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.write("content/branches/images/fake.svg", "<html>not a logo</html>\n")
    s.write("content/branches/images/a.png", tiny_png())
    s.write("content/branches/images/pic.svg", SVG)
    s.branch("a", branch_text("法官妈妈", "xuyi", "slug: a", "logo: images/missing.png"))
    s.branch("b", branch_text("听我断案", "xuyi", "slug: b", "logo: images/fake.svg"))
    s.branch("c", branch_text("善调乡村", "xuyi", "slug: c", "gallery:", "  - src: images/a.png"))
    s.branch("d", branch_text("六六调解", "xuyi", "slug: d", "gallery:", "  - src: images/a.png", "    alt: 一张照片",
                              "  - src: images/pic.svg", "    alt: 一张矢量图"))
    run = cli("check", "--root", s.root)
    assert run.code == 1
    text = run.text
    assert "content/branches/a.md:6: 品牌标志“images/missing.png”不存在" in text
    assert "content/branches/b.md:6: “images/fake.svg”不是可用的 SVG 图片" in text
    assert re.search(r"content/branches/c\.md:7: .*“alt”", text), text  # a photo without alt text
    assert "content/branches/d.md:9: 照片“images/pic.svg”是 SVG 矢量图：活动照片请用 JPG 或 PNG" in text, text
