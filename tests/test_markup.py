"""Markdown rendering, sanitising, template autoescaping and CJK summaries."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, branch_text, make_site, tiny_png

from brandsite.content import markup

pytestmark = pytest.mark.usefixtures("fast_templates")

STORY = """\
第一段：支部立足审判职能。

[TOC]

## 主要做法

| 年份 | 场次 |
|---|---:|
| 2023 | 12 |
| 2024 | 18 |

重点段落
{: .lead #key }

### 细节 {: #detail }

宣讲团成员讲解宪法[^1]。

[^1]: 数据来自年度工作报告。
"""

EVIL = """\
正文开头。

<script>alert("x")</script>

<img src="a.png" alt="法庭示意图" onerror="alert(1)">

[点我](javascript:alert(2))

<a href="JaVaScRiPt:alert(3)">大写</a>

<a href="java&#x09;script:alert(4)">编码</a>

<p onclick="steal()" onmouseover="steal()">段落</p>

<iframe src="https://evil.example/"></iframe>

<svg onload="alert(5)"><circle r="1"/></svg>

<a href="data:text/html;base64,PHNjcmlwdD4=">数据</a>

<div style="background:url(javascript:alert(6))">样式</div>
"""


def test_tables_toc_attr_list_footnotes():
    r = markup.render(STORY)
    html = r.html
    assert "<table>" in html and "<th>年份</th>" in html and '<td style="text-align:right">12</td>' in html
    assert '<div class="toc">' in html and 'href="#主要做法"' in html
    assert '<p class="lead" id="key">重点段落</p>' in html
    assert '<h4 id="detail">细节</h4>' in html
    assert 'id="fn:1"' in html and 'href="#fn:1"' in html and "数据来自年度工作报告" in html
    # headings are shifted: the page title is the only <h1>
    assert "<h1" not in html and '<h3 id="主要做法">主要做法</h3>' in html
    assert [(h.level, h.id, h.text) for h in r.toc] == [(2, "主要做法", "主要做法"), (3, "detail", "细节")]
    assert r.text.startswith("第一段：支部立足审判职能。")


def test_sanitiser_removes_scripts_handlers_and_js_urls():
    html = markup.render(EVIL).html
    low = html.lower()
    assert "<script" not in low and "alert(\"x\")" not in low
    assert "onerror" not in low and "onclick" not in low and "onmouseover" not in low and "onload" not in low
    assert "javascript:" not in low and "java&#x09;script" not in low
    assert "<iframe" not in low and "<svg" not in low and "data:text/html" not in low
    assert "background" not in low
    # the harmless content survives
    assert re.search(r'<img (src="a.png" alt="法庭示意图"|alt="法庭示意图" src="a.png")>', html)
    assert "点我" in html and "段落" in html and "样式" in html


def test_built_page_never_contains_evil_html(tmp_path, cli):
    s = make_site(tmp_path / "src")
    evil = EVIL
    for folder in ("branches", "news", "pages"):  # a missing image is an error of its own (test_images.py)
        s.write(f"content/{folder}/a.png", tiny_png())
    s.branch("x", branch_text("安全品牌", "xuyi", body=evil))
    s.write("content/news/n.md", "---\ntitle: 动态\ndate: 2024-01-02\n---\n" + evil)
    s.write("content/pages/about.md", "---\ntitle: 关于\n---\n" + evil)
    assert cli("--root", s.root).code == 0
    pages = list(s.site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        low = page.read_text(encoding="utf-8").lower()
        # the theme's own script files are the only scripts; nothing inline from content
        for tag in re.findall(r"<script[^>]*>", low):
            assert re.fullmatch(r'<script src="[./]*assets/[a-z0-9.-]+\.js"( defer)?>', tag), (page, tag)
        assert "alert(" not in low, page
        assert "onerror=" not in low and "onclick=" not in low and "onload=" not in low, page
        assert "javascript:" not in low, page


@pytest.mark.parametrize("brand", ["<b>粗体</b>品牌", '"><script>alert(1)</script>'])
def test_templates_autoescape_brand_name(tmp_path, cli, brand):
    s = make_site(tmp_path / "src")
    quoted = brand.replace("'", "''")
    s.branch("x", branch_text(f"'{quoted}'", "xuyi", "slogan: '<i>口号</i>'", "tags: ['<u>标签</u>']"))
    assert cli("--root", s.root).code == 0
    pages = list(s.site.rglob("*.html"))
    seen = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<b>粗体</b>" not in text and "<script>alert(1)</script>" not in text
        assert "<i>口号</i>" not in text and "<u>标签</u>" not in text
        if "&lt;b&gt;粗体&lt;/b&gt;" in text or "&lt;script&gt;" in text:
            seen += 1
    assert seen >= 3  # branch page, list, home (at least)
    for xml in ("sitemap.xml",):
        assert "<script>" not in (s.site / xml).read_text(encoding="utf-8")


def test_summary_from_first_paragraph_is_cut_at_sentence_end(tmp_path, cli):
    s = make_site(tmp_path / "src")
    para = "第一句话讲品牌的由来和背景情况。" + "第二句话介绍支部在审判执行中的具体做法和措施，" * 3 + "第三句话总结成效。" + "后面还有很多内容" * 20
    s.branch("x", branch_text("简介品牌", "xuyi", body=para + "\n\n第二段。\n"))
    assert cli("--root", s.root).code == 0
    from brandsite import pipeline

    site = pipeline.check(pipeline.Options(root=s.root)).site
    (b,) = site.branches
    assert b.summary.endswith("。")
    assert para.startswith(b.summary)
    assert len(b.summary) <= 80 * 1.5


def test_summarize_keeps_short_text():
    assert markup.summarize("短文本。", 80) == "短文本。"


def test_summarize_cuts_at_first_sentence_end_past_the_limit_within_one_and_a_half():
    text = "甲" * 50 + "。" + "乙" * 50 + "。" + "丙" * 100
    assert markup.summarize(text, 80) == "甲" * 50 + "。" + "乙" * 50 + "。"
    # too far (beyond 1.5 x limit): the last sentence end after half the limit
    text = "甲" * 50 + "。" + "乙" * 80 + "。"
    assert markup.summarize(text, 80) == "甲" * 50 + "。"
    # a sentence end before half the limit does not count
    text = "甲" * 10 + "。" + "乙" * 200
    assert markup.summarize(text, 80) == "甲" * 10 + "。" + "乙" * 69 + "…"


def test_summarize_falls_back_to_comma_then_hard_cut():
    text = "甲" * 60 + "，" + "乙" * 200
    assert markup.summarize(text, 80) == "甲" * 60 + "…"
    hard = markup.summarize("丙" * 300, 80)
    assert hard == "丙" * 80 + "…"


def test_summarize_does_not_cut_latin_words():
    text = "Party branch brand " * 20
    got = markup.summarize(text, 30)
    assert got.endswith("…")
    assert got[:-1].split(" ")[-1] in ("Party", "branch", "brand")


@pytest.mark.parametrize("limit", [20, 37, 80, 133, 400])
@pytest.mark.parametrize(
    "text",
    [
        "法院党支部开展普法宣传活动" * 60,
        ("一句话。" * 3 + "没有句号的很长很长的一段文字" * 20) * 3,
        "！" * 500,
        "甲乙丙，丁戊己？" * 90,
        ("x" * 7 + " ") * 100,
        "“法官妈妈”宣讲团成立于2014年；十年间队伍不断壮大……" * 20,
    ],
)
def test_summarize_never_exceeds_one_and_a_half_limit(text, limit):
    got = markup.summarize(text, limit)
    assert 0 < len(got) <= limit * 1.5
    body = got.removesuffix("…")
    assert text.startswith(body)


def test_first_paragraph_and_plain_text():
    html = markup.render("**加粗**的 [链接](https://example.com) 文字 &amp; 符号。\n\n第二段。").html
    assert markup.first_paragraph(html) == "加粗的 链接 文字 & 符号。"
    assert markup.plain_text("<p>a</p>\n<p>b  c</p>") == "a b c"


def test_external_links_keep_https_and_get_rel():
    html = markup.render("[法院](https://www.court.gov.cn/)").html
    assert re.search(r'<a href="https://www.court.gov.cn/" rel="noopener noreferrer">法院</a>', html)


def test_extension_objects_render_what_the_extension_names_render():
    """The converter is built from extension classes (no entry-point scan at start-up); a Markdown built
    from the extensions' names, as before, gives the same HTML and table of contents."""
    import html

    import markdown
    from conftest import REPO

    by_name = markdown.Markdown(
        extensions=["tables", "toc", "attr_list", "footnotes", "sane_lists", markup._ShiftExt()],
        extension_configs={"toc": {"slugify": markup._slugify_heading, "toc_depth": "2-3"}},
        output_format="html",
    )
    sources = [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted((REPO / "content").rglob("*.md"))]
    sources.append("# 一\n\n## 二 {#x}\n\n### 三\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n脚注[^1]\n\n[^1]: 注\n\n3. c\n4. d\n")
    assert len(sources) > 5
    for source in sources:
        by_name.reset()
        want = markup.sanitize(by_name.convert(source))
        got = markup.render(source)
        assert got.html == want
        assert [(h.level, h.id, h.text) for h in got.toc] == [
            (int(t["level"]), t["id"], html.unescape(t["name"])) for t in markup._flatten(by_name.toc_tokens)]


_DIRTY = [
    '<p onclick="x()">段落<script>alert(1)</script></p>',
    '<a href="javascript:alert(1)">链接</a><a href="https://example.org/a?b=1">外链</a>',
    '<img src="a.png" alt="图" onerror="x" style="width:1px"><td style="text-align:center;color:red">格</td>',
    '<!-- 注释 --><iframe src="x"></iframe><span lang="zh-Hant" class="k" id="i">字</span>',
    '<table><tr><th scope="col" colspan="2">表</th></tr></table><a href="mailto:a@b.cn" target="_blank">信</a>',
    '<style>p{}</style><div><section><h2 id="x">标题</h2></section></div><ol start="3"><li>项</li></ol>',
]


def test_sanitize_with_one_cleaner_equals_nh3_clean_with_the_same_options() -> None:
    """``sanitize`` reuses one ``nh3.Cleaner`` (issue 14); it must clean exactly as ``nh3.clean`` does
    with the same options, dirty markup and the sample's own stories alike."""
    import nh3

    stories = [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    assert len(stories) > 10
    for source in _DIRTY + [markup.converter(b).convert(b) for b in (s.split("\n---\n", 1)[-1] for s in stories)]:
        assert markup.sanitize(source) == nh3.clean(source, **markup._CLEAN_OPTIONS)
    assert "alert" not in markup.sanitize(_DIRTY[0]) and "javascript" not in markup.sanitize(_DIRTY[1])
