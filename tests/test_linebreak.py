"""No lone last character in headings, card titles and slogans: the build-time fallback."""

from __future__ import annotations

import re

from conftest import branch_text, make_small_site

from brandsite import linebreak, pipeline


def test_the_last_two_characters_of_long_headings_and_slogans_are_joined():
    k = linebreak.keep_tails
    assert k('<h1 id="x">善调乡村盱眙模式</h1>') == '<h1 id="x">善调乡村盱眙<span class="nobr">模式</span></h1>'
    assert k('<h3 class="card-title"><a href="a/">金其华特邀调解工作室</a></h3>') == (
        '<h3 class="card-title"><a href="a/">金其华特邀调解工<span class="nobr">作室</span></a></h3>')
    assert k('<p class="card-slogan">普法受众“最多”的课堂。</p>') == '<p class="card-slogan">普法受众“最多”的<span class="nobr">课堂。</span></p>'
    # short texts never wrap; other paragraphs, Latin endings and text already joined are left alone
    for same in ("<h1>法官妈妈</h1>", '<p class="lead">用母亲的温度守护未成年人成长</p>', "<h2>Party branch brands</h2>",
                 '<h2>品牌<span class="nobr">故事</span></h2>'):
        assert k(same) == same


def test_built_pages_join_tails_and_keep_traditional_names_as_written(tmp_path):
    s = make_small_site(tmp_path / "src")
    s.write("data/site.yaml", (s.root / "data" / "site.yaml").read_text(encoding="utf-8") + "languages: [zh-Hans, zh-Hant]\n")
    s.branch("jiangtai", branch_text("講台上的聽我斷案工作室", "ordos", "slug: jiangtai", "slogan: 把法官辦過的案子講給鄉親聽",
                                     body="故事。\n"))
    result = pipeline.build(pipeline.Options(s.root, workers=1, use_cache=False))
    assert result.ok, result.report.lines()
    for rel in ("branches/jiangtai/index.html", "zh-hant/branches/jiangtai/index.html"):
        page = (s.site / rel).read_text(encoding="utf-8")
        assert re.search(r'<h1[^>]*>講台上的聽我斷案工<span class="nobr">作室</span></h1>', page), rel
        assert '把法官辦過的案子講給鄉<span class="nobr">親聽</span>' in page, rel
        assert "講臺" not in page  # the protected name was converted as one piece, before the join
    listing = (s.site / "branches/index.html").read_text(encoding="utf-8")
    assert '講台上的聽我斷案工<span class="nobr">作室</span></a>' in listing
