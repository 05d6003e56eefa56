"""The Traditional-Chinese version under zh-hant/ (brandsite/features/hant.py)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import opencc
import pytest
from conftest import SITE_YAML, branch_text, make_small_site, parse_html

from brandsite import pipeline
from brandsite.features import hant

BOTH = "languages: [zh-Hans, zh-Hant]\n"


def site(tmp_path: Path, extra: str = BOTH, url: str = ""):
    s = make_small_site(tmp_path / "src")
    s.write("data/site.yaml", SITE_YAML + extra + (f"url: {url}\n" if url else ""))
    # written in Traditional by the editor: 台 and 裏 are what s2t / s2tw would change
    s.branch("ting", branch_text("聽我斷案", "ordos", "slug: ting-wo-duan-an", "tags: [普法宣傳]",
                                 branch="講台黨支部", body="「聽我斷案」是法官們在講台上講述的故事，鄰裏都來聽。\n"))
    return s


def build(s) -> Path:
    result = pipeline.build(pipeline.Options(s.root, workers=1, use_cache=False))
    assert result.ok, result.report.lines()
    return s.site


def pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


@pytest.fixture
def out(tmp_path):
    return build(site(tmp_path))


def test_every_page_has_a_traditional_twin_with_lang_zh_hant(out):
    hans = [p for p in pages(out) if not p.startswith("zh-hant/")]
    twins = [p for p in pages(out) if p.startswith("zh-hant/")]
    assert sorted("zh-hant/" + p for p in hans if p != "404.html") == twins
    assert "zh-hant/search/index.html" in twins and "zh-hant/branches/faguan-mama/index.html" in twins
    for rel in twins:
        text = (out / rel).read_text(encoding="utf-8")
        assert parse_html(out / rel).lang == "zh-Hant", rel
        assert 'lang="zh-CN"' not in text, rel  # nothing in a converted page claims to be Simplified


def test_switch_keeps_the_visitor_on_the_same_page_both_ways(out):
    for rel in pages(out):
        if rel.endswith("404.html"):
            continue
        text = (out / rel).read_text(encoding="utf-8")
        nav = re.search(r'<nav class="lang-switch".*?</nav>', text, re.S)
        assert nav, rel
        links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav.group(0))
        assert len(links) == 1, rel
        href, lang = links[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
        twin = rel.removeprefix("zh-hant/") if rel.startswith("zh-hant/") else "zh-hant/" + rel
        assert target == twin and (out / target).is_file(), (rel, href)
        assert lang == ("zh-Hans" if rel.startswith("zh-hant/") else "zh-Hant")
        label = "简体" if rel.startswith("zh-hant/") else "繁體"
        assert f">{label}</a>" in nav.group(0), rel  # "简体" is not converted on Traditional pages


def test_hreflang_alternates_both_ways(tmp_path):
    out = build(site(tmp_path, url="https://www.example.gov.cn/djpp/"))
    for rel, other in (("branches/faguan-mama/index.html", "zh-hant/branches/faguan-mama/index.html"),
                       ("zh-hant/stats/index.html", "stats/index.html")):
        text = (out / rel).read_text(encoding="utf-8")
        alts = dict((lang, href) for href, lang in
                    [(m.group(2), m.group(1)) for m in re.finditer(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text)])
        base = "https://www.example.gov.cn/djpp/"
        hans = rel if not rel.startswith("zh-hant/") else other
        assert alts == {"zh-Hans": base + hans.removesuffix("index.html"),
                        "zh-Hant": base + "zh-hant/" + hans.removesuffix("index.html")}, rel


def test_relative_links_work_inside_zh_hant_and_assets_are_shared(out):
    for rel in pages(out):
        if not rel.startswith("zh-hant/"):
            continue
        for tag, attr, value in parse_html(out / rel).links:
            if "://" in value or value.startswith(("#", "mailto:", "tel:", "data:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), value.split("#")[0].split("?")[0]))
            assert (out / target).is_file(), (rel, tag, attr, value)
    page = (out / "zh-hant/branches/faguan-mama/index.html").read_text(encoding="utf-8")
    assert 'href="../../../assets/style.css"' in page  # one copy of the theme files
    assert not (out / "zh-hant/assets").exists()
    # links to other pages stay in the Traditional version
    for href in re.findall(r'<nav class="site-nav".*?</nav>', page, re.S)[0].split('href="')[1:]:
        target = posixpath.normpath(posixpath.join("zh-hant/branches/faguan-mama", href.split('"')[0]))
        assert target.startswith("zh-hant/"), href


def test_text_is_converted_but_names_written_in_traditional_stay_as_written(out):
    hant_page = (out / "zh-hant/branches/faguan-mama/index.html").read_text(encoding="utf-8")
    assert "<h1>法官媽媽</h1>" in hant_page and "法官妈妈" not in hant_page
    assert "成效統計" in hant_page
    trad = (out / "zh-hant/branches/ting-wo-duan-an/index.html").read_text(encoding="utf-8")
    assert "講台黨支部" in trad and "講臺黨支部" not in trad  # s2t would write 臺
    hans = (out / "branches/ting-wo-duan-an/index.html").read_text(encoding="utf-8")
    assert "<h1>聽我斷案</h1>" in hans and "講台黨支部" in hans  # never converted back to Simplified
    assert "听我断案" not in hans
    listing = (out / "zh-hant/branches/index.html").read_text(encoding="utf-8")
    assert "聽我斷案" in listing and "講台黨支部" in listing


@pytest.mark.parametrize(("variant", "want", "avoid"),
                         [("hktw", "為", "爲"), ("s2t", "爲", "為"), ("s2tw", "為", "爲"), ("s2hk", "為", "爲")])
def test_phrase_variant_is_configurable(tmp_path, variant, want, avoid):
    s = site(tmp_path, BOTH + f"hant_variant: {variant}\n")
    s.branch("wei", branch_text("为民品牌", "xuyi", "slug: wei-min", body="为人民服务。\n"))
    out = build(s)
    page = (out / "zh-hant/branches/wei-min/index.html").read_text(encoding="utf-8")
    assert f"<h1>{want}民品牌</h1>" in page and f"{avoid}民品牌" not in page


def test_protected_names_survive_every_variant():
    assert hant.convert("鄰裏守望與法官妈妈", "s2tw", ["鄰裏守望"]) == "鄰裏守望與法官媽媽"
    assert hant.convert("講台", "s2t") == "講臺"
    assert hant.convert(f"{hant.KEEP_OPEN}简体{hant.KEEP_CLOSE}与繁体", "s2t") == "简体與繁體"


def test_unknown_variant_is_a_path_line_error(tmp_path):
    s = site(tmp_path, BOTH + "hant_variant: s2jp\n")
    result = pipeline.check(pipeline.Options(s.root, workers=1))
    errs = [(d.path, d.line) for d in result.report.errors]
    assert errs == [("data/site.yaml", 8)], result.report.lines()


def test_sitemap_lists_both_versions_and_feed_has_no_duplicates(out):
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert any(u.endswith("/branches/faguan-mama/") and "zh-hant" not in u for u in locs)
    assert any(u.endswith("/zh-hant/branches/faguan-mama/") for u in locs)
    assert len([u for u in locs if "/zh-hant/" in u]) == len([u for u in locs if "/zh-hant/" not in u])
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") + feed.count("<item>") == 1


def test_simplified_only_site_has_no_switch_and_no_twins(tmp_path):
    out = build(site(tmp_path, extra=""))
    assert not (out / "zh-hant").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "lang-switch" not in page and 'rel="alternate" hreflang' not in page


def test_build_is_byte_identical_with_both_versions(tmp_path):
    from conftest import tree_bytes

    s = site(tmp_path)
    first = tree_bytes(build(s))
    import shutil

    shutil.rmtree(s.site)
    assert tree_bytes(build(s)) == first


def test_a_page_and_its_twin_may_share_a_title(tmp_path):
    """A Traditional brand on a site whose title has no convertible character: both versions
    have the same <title>, which is not the duplicate the title check is about."""
    s = site(tmp_path)
    s.write("data/site.yaml", SITE_YAML.replace("测试站点", "一支部一品牌") + BOTH)
    out = build(s)
    for rel in ("branches/ting-wo-duan-an/index.html", "zh-hant/branches/ting-wo-duan-an/index.html"):
        assert "<title>聽我斷案 - 一支部一品牌</title>" in (out / rel).read_text(encoding="utf-8")


#: (Simplified, the form Hong Kong and Taiwan readers both expect, OpenCC's standard form they do not use)
HKTW_FORMS = [("为", "為", "爲"), ("众", "眾", "衆"), ("伪", "偽", "僞"), ("吃", "吃", "喫"), ("才", "才", "纔"),
              ("秘", "秘", "祕"), ("唇", "唇", "脣"), ("痴", "痴", "癡"), ("灶", "灶", "竈"), ("粽", "粽", "糉")]


def test_default_traditional_uses_the_forms_hong_kong_and_taiwan_share(tmp_path):
    """Without hant_variant: 司法為民, 普法受眾 (not 爲/衆); quotes as 「」 and 『』 on every Traditional page."""
    s = site(tmp_path)
    body = "司法为民，普法受众。" + "".join(f"{a}字" for a, _, _ in HKTW_FORMS) + "大家说：“先吃饭，‘再’讲课。”\n"
    s.branch("wei", branch_text("为民品牌", "xuyi", "slug: wei-min", "slogan: 普法受众“最多”", body=body))
    out = build(s)
    page = (out / "zh-hant/branches/wei-min/index.html").read_text(encoding="utf-8")
    assert "司法為民" in page and "普法受眾" in page and "<h1>為民品牌</h1>" in page
    for _, want, avoid in HKTW_FORMS:
        assert f"{want}字" in page and f"{avoid}字" not in page, want
    assert "「先吃飯，『再』講課。」" in page and "普法受眾「最多」" in page
    for rel in pages(out / "zh-hant"):
        text = (out / "zh-hant" / rel).read_text(encoding="utf-8")
        assert not set("“”‘’") & set(text), rel
        assert not {avoid for _, _, avoid in HKTW_FORMS} & set(text), rel
    # the Simplified version is untouched, quotes included
    assert "大家说：“先吃饭，‘再’讲课。”" in (out / "branches/wei-min/index.html").read_text(encoding="utf-8")
    # s2t stays selectable and writes OpenCC's forms
    assert hant.convert("司法为民", "s2t") == "司法爲民"


def test_common_forms_table_is_what_hong_kong_and_taiwan_agree_on():
    table = {chr(k): v for k, v in hant.common_forms().items()}
    for _, want, avoid in HKTW_FORMS:
        if avoid in table:
            assert table[avoid] == want
    assert table["爲"] == "為" and table["衆"] == "眾"
    assert "啓" not in table and "裏" not in table  # HK 啓/裏, TW 啟/裡: no shared form, s2t's stays


@pytest.mark.parametrize("table", [hant.QUOTES, hant.common_forms(), {}])
def test_translator_is_str_translate(table):
    """The regex replacement of a few characters gives exactly what ``str.translate`` gives."""
    every = "".join(chr(c) for a, b in ((0x20, 0x7F), (0x2000, 0x2070), (0x3000, 0x3040), (0x4E00, 0xA000)) for c in range(a, b))
    sample = every + "“他说‘爲衆’”" + "".join(map(chr, table)) * 3
    assert hant.translator(table)(sample) == sample.translate(table)


def test_page_conversion_is_unchanged_by_the_fast_translation(tmp_path):
    """A built Traditional page is OpenCC's s2t, then the shared HK/TW forms, then corner quotes,
    each applied as ``str.translate`` (the plain path) would."""
    out = build(site(tmp_path))
    hans = (out / "branches/faguan-mama/index.html").read_text(encoding="utf-8")
    plain = opencc.OpenCC("s2t").convert(hans).translate(hant.common_forms()).translate(hant.QUOTES)
    assert plain != hans and "「" in plain
    assert hant.convert(hans, hant.COMMON) == plain
