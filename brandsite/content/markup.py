"""Markdown → safe HTML, table of contents, plain text and CJK-aware summaries.

Editors paste from Word and WeChat; whatever raw HTML comes along is sanitised with nh3
(no scripts, event handlers or ``javascript:`` URLs survive). Headings are shifted one
level down because the page title is the only ``<h1>``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import cache
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor
from markdown.util import AtomicString

from brandsite.model.site import Heading

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRS = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


class _ShiftHeadings(Treeprocessor):
    """h1→h2 … h5→h6: the page's own title is the single h1 (accessibility)."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if len(el.tag) == 2 and el.tag[0] == "h" and el.tag[1] in "12345":
                el.tag = f"h{int(el.tag[1]) + 1}"


#: characters that can start an inline construct (emphasis, code, links, images, HTML, entities,
#: footnote refs, attribute lists, stash placeholders) — text without any is left as it is
_INLINE_TRIGGERS = re.compile(r"[\\`*_\[\]!<>&{}~\x02\x03]|  \n")


class _PlainTextFastPath(Treeprocessor):
    """Mark text with no inline syntax as atomic so the inline processor skips it.

    Python-Markdown tries every inline pattern on every text run; long Chinese paragraphs
    rarely contain any markup, and skipping them halves the cost of a typical page while
    producing exactly the same HTML.
    """

    def run(self, root: etree.Element) -> None:
        search = _INLINE_TRIGGERS.search
        for el in root.iter():
            text, tail = el.text, el.tail
            if text and not isinstance(text, AtomicString) and not search(text):
                el.text = AtomicString(text)
            if tail and not isinstance(tail, AtomicString) and not search(tail):
                el.tail = AtomicString(tail)


class _OnlyWithBrace(Treeprocessor):
    """Run attr_list's tree pass only when some text or tail holds a ``{``.

    Every change it makes starts from a ``{…}`` match in an element's text or tail, so on a tree
    without one it is a walk that asks ``is_block_level`` of every element and changes nothing.
    """

    def __init__(self, md: markdown.Markdown, inner: Treeprocessor) -> None:
        super().__init__(md)
        self.inner = inner

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if (el.text and "{" in el.text) or (el.tail and "{" in el.tail):
                self.inner.run(root)
                return


class _ShiftExt(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API name
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 1)
        md.treeprocessors.register(_PlainTextFastPath(md), "plain_text_fast_path", 25)


class _NoteBackslashes(Preprocessor):
    """Note whether the story has a backslash, for :class:`_UnescapeOnlyWithBackslash`; lines pass unchanged."""

    def run(self, lines: list[str]) -> list[str]:
        self.md.has_backslash = any("\\" in line for line in lines)  # type: ignore[attr-defined]
        return lines


class _UnescapeOnlyWithBackslash(UnescapeTreeprocessor):
    """The unescape pass, run only for a story with a backslash.

    That pass turns ``STX<code point>ETX`` back into the character; only the backslash-escape
    pattern makes such a placeholder (the whitespace preprocessor removes STX and ETX from the
    source), so without a backslash it rewrites every text and attribute of the tree unchanged.
    A subclass, not a wrapper: the inline HTML pattern borrows its ``RE``.
    """

    def run(self, root: etree.Element) -> None:
        if getattr(self.md, "has_backslash", True):
            super().run(root)


class _SkipIdlePasses(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API name
        # each replaces the library's own pass, at its priority (attr_list 8: after the inline pass,
        # before toc; unescape 0: the last); the note is taken after the whitespace pass (30)
        md.treeprocessors.register(_OnlyWithBrace(md, md.treeprocessors["attr_list"]), "attr_list", 8)
        md.treeprocessors.register(_UnescapeOnlyWithBackslash(md), "unescape", 0)
        md.preprocessors.register(_NoteBackslashes(md), "note_backslashes", 29)


class _TocWithoutUnusedMarker(TocTreeprocessor):
    """The toc pass, without its work for a ``[TOC]`` marker the story does not contain.

    ``replace_marker`` only replaces a paragraph whose text is the marker, and the toc ``<div>``
    it would put there is otherwise only serialised into ``md.toc``, which nothing here reads (the
    page template builds its own list from ``toc_tokens``). On a tree with no text containing the
    marker both are skipped; heading ids and ``toc_tokens`` are made as before.
    """

    _has_marker = True

    def run(self, doc: etree.Element) -> None:
        marker = self.marker
        self._has_marker = bool(marker) and any(el.text and marker in el.text for el in doc.iter())
        super().run(doc)

    def build_toc_div(self, toc_list: list) -> etree.Element:
        if self._has_marker:
            return super().build_toc_div(toc_list)
        return etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._has_marker:
            super().replace_marker(root, elem)


class _Toc(TocExtension):
    TreeProcessorClass = _TocWithoutUnusedMarker


class _Markdown(markdown.Markdown):
    """``is_block_level`` against a frozenset: the prettifier and attr_list ask it of every element,
    and the library's list lookup was 1 % of a cold build's samples."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._block_level = frozenset(self.block_level_elements)

    def is_block_level(self, tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in self._block_level


def _slugify_heading(value: str, separator: str) -> str:
    """Heading ids: keep CJK (browsers handle UTF-8 fragments), drop punctuation."""
    value = re.sub(r"[^\w\u3400-\u9fff\s-]", "", value).strip().lower()
    return re.sub(r"[\s-]+", separator, value) or "section"


#: extensions as objects, not names: a name makes Python-Markdown scan every installed package's
#: entry points (importlib.metadata, ~20 ms of each start) to find the same classes
EXTENSIONS = (
    (TableExtension, {}),
    (_Toc, {"slugify": _slugify_heading, "toc_depth": "2-3"}),
    (AttrListExtension, {}),
    (FootnoteExtension, {}),
    (SaneListExtension, {}),
)


@cache
def _markdown(html_or_entity: bool = True, quote: bool = True, definition: bool = True, table: bool = True) -> _Markdown:
    """A converter without the passes a story lacking their trigger cannot use (0.1 ms to make).

    Each is left out only when the character it needs is not in the story at all: the raw-HTML
    block pass (it rewrites nothing but HTML and entity references: ``<`` or ``&``), the block quote
    (``>``), link reference and footnote definitions (``]:``), tables (``|``). A block is made of the
    story's own lines, so it cannot hold a character the story does not. Left in, each tries every
    block of every story (a tenth of a conversion; tables another tenth of a story without one)."""
    md = _Markdown(extensions=[*(cls(**config) for cls, config in EXTENSIONS), _ShiftExt(), _SkipIdlePasses()],
                   output_format="html")
    if not html_or_entity:
        md.preprocessors.deregister("html_block")
    if not quote:
        md.parser.blockprocessors.deregister("quote")
    if not definition:
        md.parser.blockprocessors.deregister("reference")
        md.parser.blockprocessors.deregister("footnote")
    if not table:
        md.parser.blockprocessors.deregister("table")
    return md



def converter(source: str) -> _Markdown:
    """The converter for ``source``, reset: the full one or one without passes it cannot use."""
    md = _markdown("<" in source or "&" in source, ">" in source, "]:" in source, "|" in source)
    md.reset()
    return md


@dataclass
class Rendered:
    html: str
    toc: list[Heading]
    text: str


_TAG_RE = re.compile(r"<[^>]+>")
#: tags that separate words; inline tags (strong, a, em …) must not put a space inside Chinese text
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|h[1-6]|table|thead|tbody|tfoot|tr|td|th|caption|blockquote|pre|dl|dt|dd"
    r"|figure|figcaption|section|img)\b[^>]*>",
    re.I,
)


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment with whitespace collapsed.

    ``str.split()`` breaks at the same characters as the regular expression ``\\s+`` (both ask
    ``str.isspace``), and joining the pieces with one space is that substitution plus ``strip()``
    at a fifth of its cost (half of this function's time per story).
    """
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", fragment))
    return " ".join(html.unescape(text).split())


#: what ``sanitize`` passes to nh3: one ``Cleaner`` built from it once, because ``nh3.clean``
#: converts these sets into a new cleaner on every call (a quarter of its time per story)
_CLEAN_OPTIONS: dict[str, Any] = {
    "tags": _ALLOWED_TAGS,
    "attributes": _ALLOWED_ATTRS,
    "url_schemes": _URL_SCHEMES,
    "link_rel": "noopener noreferrer",
    "strip_comments": True,
    "filter_style_properties": {"text-align"},
}
_CLEANER = nh3.Cleaner(**_CLEAN_OPTIONS)


def sanitize(fragment: str) -> str:
    return _CLEANER.clean(fragment)


def render(source: str) -> Rendered:
    md = converter(source)
    out = sanitize(md.convert(source))
    toc = [
        Heading(int(t["level"]), t["id"], html.unescape(t["name"]))
        for t in _flatten(getattr(md, "toc_tokens", []))
    ]
    return Rendered(out, toc, plain_text(out))


def _flatten(tokens: list[dict]) -> list[dict]:
    out = []
    for t in tokens:
        out.append(t)
        out.extend(_flatten(t.get("children", [])))
    return out


_SENTENCE_END = "。！？!?；;…"


def summarize(text: str, limit: int = 80) -> str:
    """Cut at a sentence end near ``limit`` characters; never mid-character, never mid-word for Latin.

    Chinese has no spaces, so "first N words" does not apply; a sentence end between
    half and 1.5× the limit is preferred, else a comma, else a hard cut with an ellipsis.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    window = text[: int(limit * 1.5)]
    best = -1
    for i, ch in enumerate(window):
        if ch in _SENTENCE_END and i >= limit // 2:
            best = i
            if i >= limit:
                break
    if best >= 0:
        return window[: best + 1]
    for i in range(min(limit, len(text)) - 1, limit // 2, -1):
        if text[i] in "，,、：:":
            return text[:i] + "…"
    cut = text[:limit]
    if cut[-1:].isascii() and cut[-1:].isalnum() and text[limit : limit + 1].isalnum():
        cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return cut.rstrip() + "…"


def first_paragraph(fragment: str) -> str:
    m = re.search(r"<p>(.*?)</p>", fragment, re.S)
    return plain_text(m.group(1)) if m else plain_text(fragment)
