"""The Markdown set-up of ``content/markup.py`` skips work that cannot change a story (issue 14):
the inline patterns on text with no inline syntax, attr_list's tree pass without a ``{`` in the
tree, the unescape pass without a backslash in the story, the toc's ``[TOC]`` marker work without
the marker, the raw-HTML, block quote, definition and table passes for a story without the
character each needs, and ``is_block_level`` against a frozenset. The plain set-up (the library's own
classes and passes) must give the same HTML and the same table of contents on every story."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import markdown
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension

from brandsite.content import markup


class _ShiftOnly(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API name
        md.treeprocessors.register(markup._ShiftHeadings(md), "shift_headings", 1)


def _plain() -> markdown.Markdown:
    """The plain set-up: the library's classes and every pass of theirs, no inline fast path, and
    the project's heading shift (which changes the HTML on purpose)."""
    return markdown.Markdown(
        extensions=[TableExtension(), TocExtension(slugify=markup._slugify_heading, toc_depth="2-3"),
                    AttrListExtension(), FootnoteExtension(), SaneListExtension(), _ShiftOnly()],
        output_format="html",
    )


_PLAIN = _plain()


def _both(source: str) -> tuple[tuple[str, list], tuple[str, list]]:
    _PLAIN.reset()
    want = (_PLAIN.convert(source), _PLAIN.toc_tokens)
    md = markup.converter(source)
    got = (md.convert(source), md.toc_tokens)
    return got, want


def _bodies(root: Path) -> list[str]:
    return [p.read_text(encoding="utf-8-sig").split("\n---\n", 1)[-1] for p in sorted((root / "content").rglob("*.md"))]


def test_the_samples_stories_convert_as_on_the_plain_setup() -> None:
    bodies = _bodies(REPO)
    assert len(bodies) > 10
    for body in bodies:
        got, want = _both(body)
        assert got == want


def test_a_generated_corpus_converts_as_on_the_plain_setup(tmp_path: Path) -> None:
    src = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "60", str(src)], check=True,
                   capture_output=True)
    bodies = _bodies(src)
    assert len(bodies) >= 60
    for body in bodies:
        got, want = _both(body)
        assert got == want


#: pieces a story is written from: headings (with and without attribute lists and ids), lists,
#: tables, links, footnotes, raw HTML, escapes and entities, the ``[TOC]`` marker in its real and
#: look-alike forms, and stray braces
_BLOCKS = [
    "# 标题", "## 第二层 {#own-id}", "### 三级 {: .k }", "#### 四级", "标题\n===", "副题\n---",
    "- 甲\n- 乙 {: .x }\n    - 丙", "1. 一\n2. 二\n\n3. 三", "* a\n\n  续段",
    "| 项 | 数 |\n|:-|-:|\n| 甲 | 1 |\n| 乙 {: .c } | 2 |", "> 引用 **加粗**\n> 第二行",
    "[TOC]", "  [TOC]  ", "\\[TOC\\]", "&#91;TOC&#93;", "`[TOC]`", "[TOC][]", "[TOC]\n\n[TOC]: /x",
    "段落 {: #p1 .lead }", "段落\n{: .after }", "有{花括号}的文字", "{", "}", "{:}", "`{: .c}`",
    "脚注[^1]。\n\n[^1]: 注释 {: .n }", "[链接](https://example.org/ \"题\"){: .l }", "*强调*{: .e }",
    "<div markdown=\"1\">块</div>", "<span>行内</span> 文字", "<!-- 注释 -->", "&amp; &copy; \\* \\_", "版权 &#169 与 &copy 无分号", "甲 > 乙", "a]: b",
    "图 ![替代](a.png){: width=\"10\" }", "反斜杠 \\\\ 与 a\\b", "`\\*` \\`", "[链\\]接](u \"\\\"题\")", "\\# 非标题", "    代码 {x}", "```\n[TOC]\n{: .c }\n```", "***", "行尾两空格  \n下一行",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BLOCKS), max_size=8), st.sampled_from(["\n\n", "\n"]))
def test_generated_markdown_converts_as_on_the_plain_setup(blocks: list[str], sep: str) -> None:
    got, want = _both(sep.join(blocks))
    assert got == want


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="#-*|:{}[]()!<>`\\&;^TOC 甲1 .\n\x02\x03", max_size=60))
def test_markdown_made_of_syntax_characters_converts_as_on_the_plain_setup(source: str) -> None:
    got, want = _both(source)
    assert got == want


def test_the_marker_still_places_the_toc_and_attribute_lists_still_apply() -> None:
    """The skipped passes still run when they have something to do."""
    html = markup.render("[TOC]\n\n## 一\n\n段落\n{: .lead }\n").html
    assert '<div class="toc">' in html and '<p class="lead">' in html


def _plain_text_plain(fragment: str) -> str:
    """``plain_text`` as first written: whitespace runs collapsed by a regular expression."""
    text = markup._TAG_RE.sub("", markup._BLOCK_TAG_RE.sub(" ", fragment))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


#: every kind of whitespace ``\s`` knows (ASCII, the separators U+001C–U+001F, NEL, no-break and
#: ideographic spaces, line and paragraph separators) and look-alikes it does not (zero-width space,
#: word joiner, BOM), entities that decode to some of them, tags that become a space or nothing
_TEXTY = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u2028",
          "\u2029", "\u202f", "\u3000", "\u200b", "\u2060", "\ufeff", "&nbsp;", "&#12288;", "&#x2028;", "&amp;",
          "<p>", "</p>", "<BR/>", "<strong>", "</strong>", "<td align=\"x\">", "甲", "乙。", "a", "1"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TEXTY), max_size=20))
def test_plain_text_equals_the_plain_collapse(parts: list[str]) -> None:
    fragment = "".join(parts)
    assert markup.plain_text(fragment) == _plain_text_plain(fragment)


def test_plain_text_of_every_sample_story_equals_the_plain_collapse() -> None:
    for body in _bodies(REPO):
        out = markup.render(body).html
        assert markup.plain_text(out) == _plain_text_plain(out)
