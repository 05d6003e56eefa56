"""Reading a rendered page once for every check: its references, title, identification tags and
footer (``Facts``), and where a reference leads inside the output (``Resolver``).

Pages are scanned with regular expressions, not an HTML parser: a site of thousands of pages
is checked in about a second. Each start tag is read attribute by attribute with quoted values
taken whole, so neither prose nor text inside another attribute's value (an escaped ``<a href>``
in a page description) is read as a link; ``<script>`` bodies and comments are removed before
scanning. The render workers take a page's facts while its HTML is still in memory.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from brandsite.features import hant

OUT_LABEL = "site"

#: script and style bodies and comments, which hold text that only looks like markup; a script's
#: start tag is kept (``_unmarked``), so that its ``src`` is checked like any other reference
#: (case folded only on the tag names: with re.I on the whole pattern the engine cannot skip ahead
#: to the next "<", and this ran at a quarter of the speed over every page)
_STRIP = re.compile(r"<(?:((?i:script)\b[^>]*>).*?</(?i:script)\s*>|!--.*?-->|(?i:style)\b[^>]*>.*?</(?i:style)\s*>)", re.S)
#: a start tag, its attributes with quoted values taken whole (a ">" inside quotes does not end it)
_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']+|"[^"]*"|'[^']*')*)>""")
_URL_ATTR = re.compile(r"""\s(href|src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_META = re.compile(r"<(?i:meta)\b[^>]*>")
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.S | re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_UPS = re.compile(r"(?:\.\./)+")
_PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_SKIP_SCHEMES = ("mailto:", "tel:", "sms:", "data:", "javascript:", "about:", "blob:")
_ATTACHMENT = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".zip", ".rar", ".7z", ".txt", ".csv")
_IMAGE = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".ico", ".bmp")
#: parsed start tags a Scanner keeps (about 100 bytes each; the theme's own are a few hundred)
_TAGS_KEPT = 20_000
#: what ``Scanner._judge`` says of a reference that is not counted (compared by identity)
_SKIP = "\0skip"
_SUSPECT = "\0suspect"
_IDENTITY = (
    ("owner", "主办单位"),
    ("contact", "联系方式"),
    ("site_code", "网站标识码"),
    ("icp", "ICP备案号"),
    ("police", "公安机关备案号"),
)


def _keep_start_tag(m: re.Match[str]) -> str:
    return "<" + m.group(1) if m.group(1) else " "


#: whether a text may hold anything ``_STRIP`` takes out: most pages hold none of it, and one
#: search that skips from "<" to "<" is cheaper than a substitution that finds nothing
#: (tag names in any case: ``<SCRIPT>`` is a script too)
_MARKED = re.compile(r"<(?:!--|(?i:s(?:cript|tyle)))")


def _unmarked(text: str) -> str:
    """``text`` without script and style bodies and comments (a script's start tag stays)."""
    return _STRIP.sub(_keep_start_tag, text) if _MARKED.search(text) else text


def _attrs(tag_body: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(tag_body or ""):
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        out.setdefault(m.group(1).lower(), html.unescape(value or ""))
    return out


def _what(tag: str, attr: str, target: str) -> str:
    low = target.lower().split("?", 1)[0].split("#", 1)[0]
    if tag in ("img", "source", "picture") or attr in ("srcset", "poster") or low.endswith(_IMAGE):
        return "图片"
    if tag == "link" or low.endswith(".css"):
        return "样式/图标文件"
    if tag == "script" or low.endswith(".js"):
        return "脚本文件"
    if low.endswith(_ATTACHMENT):
        return "附件"
    return "链接"


@dataclass(frozen=True)
class Facts:
    """What one HTML page contributes to the checks, taken from its HTML once (in the render worker
    that produced it, or from the file): small enough to send between processes and to cache.

    References that resolved to a file the build produces are only counted; the rest (external,
    absolute, unknown targets) are kept as written for :class:`_Checker` to judge and report."""

    title: str
    links: int  # internal references that resolved to an expected file
    suspects: tuple[tuple[str, str, str], ...]  # (tag, attribute, value) left for the checker
    metas: tuple[tuple[str, str], ...] = ()  # identification meta tags (publish: true only)
    footer: tuple[str, ...] = ()  # identity keys whose value the page shows (publish: true only)
    #: the files the counted references resolved to, when asked for (``Scanner(targets=True)``): the
    #: preview keeps a page's facts while none of them is removed
    targets: frozenset[str] | None = None


def _parent_dirs(files: set[str]) -> set[str]:
    dirs: set[str] = {""}
    for rel in files:
        parent = posixpath.dirname(rel)
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = posixpath.dirname(parent)
    return dirs


class Resolver:
    """Output path a reference on a page points to, against a known set of output files."""

    def __init__(self, cfg: Any, files: set[str]) -> None:
        self.cfg = cfg
        self.files = files
        self.dirs = _parent_dirs(files)
        self.memo: dict[tuple[str, str, bool], str | None] = {}

    def resolve(self, page_rel: str, value: str) -> str | None:
        """The output file ``value`` on page ``page_rel`` points to; ``None`` when it leaves the site."""
        path = value.split("#", 1)[0].split("?", 1)[0]
        path = unquote(path)
        if path.startswith("/"):
            base = self.cfg.base_path or "/"
            if not path.startswith(base):
                return None
            target = path[len(base) :]
        else:
            target = posixpath.join(posixpath.dirname(page_rel), path)
        trailing = path.endswith("/") or path == ""
        target = posixpath.normpath(target) if target else "."
        if target == ".." or target.startswith("../") or target.startswith("/"):
            return None
        if target == ".":
            target = ""
        if trailing or target in self.dirs:
            return (target + "/index.html") if target else "index.html"
        return target

    def target(self, page_rel: str, value: str, absolute_ok: bool) -> str | None:
        memo_key = (posixpath.dirname(page_rel), value, absolute_ok)
        got = self.memo.get(memo_key, "\0")
        if got == "\0":
            got = None if value.startswith("/") and not absolute_ok else self.resolve(page_rel, value)
            self.memo[memo_key] = got
        return got


def _references(text: str, tags: dict[str, tuple[str, frozenset[int]]] | None = None) -> Iterator[tuple[str, str, str]]:
    """(tag, attribute, value) of every URL attribute of a tag (srcset split into its URLs).

    Only markup counts: a candidate is kept only where its tag, read attribute by attribute
    with quoted values taken whole, has an attribute starting there. Text that merely looks
    like an attribute inside another attribute's value (an escaped ``<a href=foo>`` in a
    summary, which lands in ``<meta name=description content=…>``) is never a link. Tags are
    parsed only around candidates: most tags have no URL at all. ``tags`` remembers each
    parsed tag's text (its name and where its attributes start, from its ``<``): the theme's
    header, navigation and footer repeat on every page, and reading their attributes one by
    one was a fifth of the scan."""
    body = _unmarked(text)
    parsed = -1
    tag = ""
    starts: frozenset[int] = frozenset()
    for m in _URL_ATTR.finditer(body):
        start = m.start()
        lt = body.rfind("<", 0, start)
        if lt < 0 or body.rfind(">", 0, start) > lt:
            continue  # not inside a tag
        if lt != parsed:
            parsed = lt
            tm = _TAG.match(body, lt)
            if tm is None:
                tag, starts = "", frozenset()
            elif tags is None:
                tag, starts = _tag_starts(tm)
            else:
                whole = tm.group(0)
                got = tags.get(whole)
                if got is None:
                    got = tags[whole] = _tag_starts(tm)
                tag, starts = got
        if m.start(1) - lt not in starts:
            continue  # inside another attribute's value
        attr = m.group(1).lower()
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        if "&" in value:
            value = html.unescape(value)
        if attr == "srcset":
            for cand in value.split(","):
                parts = cand.split()
                if parts:
                    yield tag, attr, parts[0]
        else:
            yield tag, attr, value


def _tag_starts(tm: re.Match[str]) -> tuple[str, frozenset[int]]:
    """A start tag's name and the offsets (from its ``<``) at which its attributes begin."""
    base = tm.start(2) - tm.start(0)
    return tm.group(1).lower(), frozenset(base + am.start(1) for am in _ATTR.finditer(tm.group(2)))


def _metas(text: str) -> dict[str, str]:
    head = text[: text.find("</head>")] if "</head>" in text else text
    head = _unmarked(head)
    metas: dict[str, str] = {}
    for mm in _META.finditer(head):
        attrs = _attrs(mm.group(0)[5:])
        if "name" in attrs:
            metas.setdefault(attrs["name"], attrs.get("content", ""))
    return metas


@functools.lru_cache(maxsize=64)
def _in_traditional(text: str, variant: str) -> str:
    return hant.convert(text, variant)


def _identity_values(cfg: Any) -> list[tuple[str, str, str]]:
    return [(key, label, getattr(cfg.footer, key, "") or (cfg.owner if key == "owner" else "")) for key, label in _IDENTITY]


def _scope(folder: str, raw: str) -> str:
    """The part of a page's folder that the reference ``raw`` resolves against, as a memo key.

    An absolute path or an address with a scheme does not depend on the folder at all, and
    each leading ``../`` cancels one of its last components: ``../../tags/x/`` means the
    same on every branch page, whose folders all differ."""
    ups = _UPS.match(raw)
    if ups is None:
        return "\0" if raw.startswith("/") or _SCHEME.match(raw) else folder
    up = ups.end() // 3
    depth = folder.count("/") + 1 if folder else 0
    if depth < up:
        return folder
    return (folder.rsplit("/", up)[0] if depth > up else "") + f"\0{up}"


class Scanner:
    """Takes :class:`Facts` from pages; ``files`` are the output files the build will produce."""

    def __init__(self, cfg: Any, files: set[str], targets: bool = False) -> None:
        self.cfg = cfg
        self.resolver = Resolver(cfg, files)
        self.targets = targets
        #: parsed start tags, see ``_references``
        self.tags: dict[str, tuple[str, frozenset[int]]] = {}
        #: (page folder, value as written, absolute paths allowed) → the file a counted reference
        #: resolves to, ``_SKIP`` or ``_SUSPECT``: a page's links mostly repeat its neighbours'
        self.judged: dict[tuple[str, str, bool], str] = {}

    def _judge(self, rel: str, raw: str, absolute_ok: bool) -> str:
        value = raw.strip()
        if not value or value.startswith("#") or value.lower().startswith(_SKIP_SCHEMES):
            return _SKIP
        own = self.cfg.url
        if not (own and value.startswith(own)) and not value.lower().startswith("//") and not _SCHEME.match(value):
            target = self.resolver.target(rel, value, absolute_ok)
            if target is not None and target in self.resolver.files:
                return target
        return _SUSPECT

    def _shows(self, rel: str, value: str, shown: str) -> bool:
        """A Traditional page shows the footer's identity as the conversion writes it (蘇ICP備…號)."""
        if value in shown:
            return True
        return rel.startswith(hant.PREFIX) and _in_traditional(value, getattr(self.cfg, "hant_variant", "") or hant.COMMON) in shown

    def facts(self, rel: str, text: str) -> Facts:
        m = _TITLE.search(text)
        title = " ".join(html.unescape(m.group(1)).split()) if m else ""
        absolute_ok = rel == "404.html"
        folder = posixpath.dirname(rel)
        links = 0
        resolved: set[str] | None = set() if self.targets else None
        suspects: dict[tuple[str, str, str], None] = {}
        judged = self.judged
        if len(self.tags) > _TAGS_KEPT:  # a story's own links rarely repeat: bound what a long run keeps
            self.tags.clear()
        for tag, attr, raw in _references(text, self.tags):
            key = (_scope(folder, raw), raw, absolute_ok)
            got = judged.get(key)
            if got is None:
                got = judged[key] = self._judge(rel, raw, absolute_ok)
            if got is _SKIP:
                continue
            if got is _SUSPECT:
                suspects[(tag, attr, raw)] = None
                continue
            links += 1
            if resolved is not None:
                resolved.add(got)
        metas: tuple[tuple[str, str], ...] = ()
        footer: tuple[str, ...] = ()
        if self.cfg.publish:
            metas = tuple(_metas(text).items())
            shown = html.unescape(text)
            footer = tuple(key for key, _, value in _identity_values(self.cfg) if value and self._shows(rel, value, shown))
        return Facts(title, links, tuple(suspects), metas, footer, None if resolved is None else frozenset(resolved))


@dataclass(eq=False)  # hashed by identity: pages are collected in sets
class _Page:
    rel: str
    job: Any = None  # render.Job, when the page comes from the job list

    @property
    def source(self) -> str:
        """Content file the page shows ('' for generated list pages)."""
        doc = self.job.doc if self.job is not None else None
        return doc.path if doc is not None else ""
