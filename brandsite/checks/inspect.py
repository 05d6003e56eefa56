"""Checks on the rendered site: links, titles, empty columns and the identification tags.

Run on the finished output folder (the staged build before the swap, or ``check``'s temporary
render), because only the real pages show what a visitor and an inspection crawler see:

* every internal ``href``/``src``/``srcset`` (pages, images, attachments, style sheets, and the
  site's own absolute address in ``<link rel=canonical>``) and every ``url()`` in the CSS must
  resolve to a file of the output - a broken one is an error, reported at the Markdown file and
  line it was written on when it comes from content, else at the template or page;
* external links are collected (never fetched: no network is needed) for ``check --external``;
* every page has a ``<title>`` and no two pages share one;
* no list page (units, tags, honors, news, brands) is empty - an error when ``publish: true``;
  while the site is still being prepared it is only listed in the HTML report;
* with ``publish: true`` every page carries the identification meta tags inspection tools read
  (``SiteName``, ``SiteDomain``, ``SiteIDCode``; ``ColumnName``/``ColumnType`` on list pages;
  ``ArticleTitle``, ``PubDate`` as ``YYYY-MM-DD HH:MM``, ``ContentSource`` on branch and news
  pages) and the footer identifiers (主办单位, 联系方式, 网站标识码, ICP备案号, 公安机关备案号).

Pages are scanned with regular expressions, not an HTML parser: a site of thousands of pages
is checked in about a second. Each start tag is read attribute by attribute with quoted values
taken whole, so neither prose nor text inside another attribute's value (an escaped ``<a href>``
in a page description) is read as a link; ``<script>`` bodies and comments are removed before
scanning.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import hant
from .diagnostics import Diagnostic, Report, Severity
from .model import Site
from .render import theme_dirs

__all__ = ["Facts", "Inspection", "Scanner", "inspect_output"]

OUT_LABEL = "site"

_STRIP = re.compile(r"<script\b[^>]*>.*?</script\s*>|<!--.*?-->|<style\b[^>]*>.*?</style\s*>", re.S | re.I)
#: a start tag, its attributes with quoted values taken whole (a ">" inside quotes does not end it)
_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']+|"[^"]*"|'[^']*')*)>""")
_URL_ATTR = re.compile(r"""\s(href|src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.S | re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_SKIP_SCHEMES = ("mailto:", "tel:", "sms:", "data:", "javascript:", "about:", "blob:")
_ATTACHMENT = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".zip", ".rar", ".7z", ".txt", ".csv")
_IMAGE = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".ico", ".bmp")

#: list templates → context entries that must not all be empty
_LIST_CONTENT = {
    "branches.html": ("branches",),
    "units.html": ("units_list",),
    "unit.html": ("branches",),
    "tags.html": ("tags_list",),
    "tag.html": ("branches", "news"),
    "honors.html": ("groups",),
    "news_list.html": ("news",),
}
_COLUMN_KINDS = {"list", "unit", "tag", "honors"}
_ARTICLE_KINDS = {"branch", "news"}
_BRANCH_PUBDATE = "branch-pubdate"
_IDENTITY = (
    ("owner", "主办单位"),
    ("contact", "联系方式"),
    ("site_code", "网站标识码"),
    ("icp", "ICP备案号"),
    ("police", "公安机关备案号"),
)


@dataclass
class Inspection:
    """What the rendered-site checks saw; shown by ``check --external`` and the HTML report."""

    ran: bool = False
    pages: int = 0  # HTML pages checked
    links: int = 0  # internal references checked
    broken: int = 0
    identity: list[tuple[str, str, str]] = field(default_factory=list)  # (key, label, value)
    publish: bool = False
    #: findings that become errors with ``publish: true`` (empty columns); shown in the report only
    pending: list[Diagnostic] = field(default_factory=list)
    #: url → the pages and forms it was written in; located only when asked for (``external``)
    seen_external: dict[str, set[tuple[Any, str]]] = field(default_factory=dict, repr=False)
    locate: Any = field(default=None, repr=False)
    _external: dict[str, list[str]] | None = field(default=None, repr=False)

    @property
    def external(self) -> dict[str, list[str]]:
        """url → where ("path:line"). Finding the line reads the source of every page with an
        external link, which only ``check --external`` and the report need, never ``build``."""
        if self._external is None:
            out: dict[str, list[str]] = {}
            for url, seen in sorted(self.seen_external.items()):
                where = set()
                for page, value in seen:
                    src, line, _ = self.locate(page, value)
                    where.add(f"{src}:{line}" if line else src)
                out[url] = sorted(where)
            self._external = out
        return self._external


@dataclass(eq=False)  # hashed by identity: pages are collected in sets
class _Page:
    rel: str
    job: Any = None  # render.Job, when the page comes from the job list

    @property
    def source(self) -> str:
        """Content file the page shows ('' for generated list pages)."""
        doc = self.job.doc if self.job is not None else None
        return doc.path if doc is not None else ""


class _Sources:
    """Finds the file and line where a link or value was written, reading each file once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lines: dict[str, list[str]] = {}
        self.found: dict[tuple[str, str, bool], int] = {}

    def _lines(self, rel: str) -> list[str]:
        if rel not in self.lines:
            try:
                text = (self.root / rel).read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                text = ""
            self.lines[rel] = text.replace("\r\n", "\n").split("\n")
        return self.lines[rel]

    def find(self, rel: str, needle: str) -> int:
        if not rel or not needle:
            return 0
        key = (rel, needle, False)
        if key not in self.found:  # a page and its Traditional twin (and list pages) ask again and again
            self.found[key] = self._find(rel, needle)
        return self.found[key]

    def _find(self, rel: str, needle: str) -> int:
        for i, line in enumerate(self._lines(rel), start=1):
            if needle in line:
                return i
        return 0

    def find_link(self, rel: str, written: str) -> int:
        """The line of a link target: as Markdown/HTML writes it first, else anywhere."""
        if not rel or not written:
            return 0
        key = (rel, written, True)
        if key not in self.found:
            self.found[key] = self._find_link(rel, written)
        return self.found[key]

    def _find_link(self, rel: str, written: str) -> int:
        forms = (f"]({written}", f"]: {written}", f"<{written}>", f'"{written}"', f"'{written}'")
        for i, line in enumerate(self._lines(rel), start=1):
            if written in line and any(f in line for f in forms):
                return i
        return self.find(rel, written)

    def key_line(self, rel: str, *keys: str) -> int:
        for i, line in enumerate(self._lines(rel), start=1):
            if line.startswith(tuple(f"{k}:" for k in keys)):
                return i
        return 0


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


def _references(text: str) -> Iterator[tuple[str, str, str]]:
    """(tag, attribute, value) of every URL attribute of a tag (srcset split into its URLs).

    Only markup counts: a candidate is kept only where its tag, read attribute by attribute
    with quoted values taken whole, has an attribute starting there. Text that merely looks
    like an attribute inside another attribute's value (an escaped ``<a href=foo>`` in a
    summary, which lands in ``<meta name=description content=…>``) is never a link. Tags are
    parsed only around candidates: most tags have no URL at all."""
    body = _STRIP.sub(" ", text) if ("<script" in text or "<!--" in text or "<style" in text) else text
    parsed = -1
    tag = ""
    starts: set[int] = set()
    for m in _URL_ATTR.finditer(body):
        start = m.start()
        lt = body.rfind("<", 0, start)
        if lt < 0 or body.rfind(">", 0, start) > lt:
            continue  # not inside a tag
        if lt != parsed:
            parsed = lt
            tm = _TAG.match(body, lt)
            tag = tm.group(1).lower() if tm else ""
            starts = {tm.start(2) + am.start(1) for am in _ATTR.finditer(tm.group(2))} if tm else set()
        if m.start(1) not in starts:
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


def _metas(text: str) -> dict[str, str]:
    head = text[: text.find("</head>")] if "</head>" in text else text
    head = _STRIP.sub(" ", head) if ("<script" in head or "<!--" in head or "<style" in head) else head
    metas: dict[str, str] = {}
    for mm in _META.finditer(head):
        attrs = _attrs(mm.group(0)[5:])
        if "name" in attrs:
            metas.setdefault(attrs["name"], attrs.get("content", ""))
    return metas


def _identity_values(cfg: Any) -> list[tuple[str, str, str]]:
    return [(key, label, getattr(cfg.footer, key, "") or (cfg.owner if key == "owner" else "")) for key, label in _IDENTITY]


class Scanner:
    """Takes :class:`Facts` from pages; ``files`` are the output files the build will produce."""

    def __init__(self, cfg: Any, files: set[str]) -> None:
        self.cfg = cfg
        self.resolver = Resolver(cfg, files)

    def facts(self, rel: str, text: str) -> Facts:
        m = _TITLE.search(text)
        title = " ".join(html.unescape(m.group(1)).split()) if m else ""
        own = self.cfg.url
        absolute_ok = rel == "404.html"
        links = 0
        suspects: dict[tuple[str, str, str], None] = {}
        files = self.resolver.files
        for tag, attr, raw in _references(text):
            value = raw.strip()
            if not value or value.startswith("#") or value.lower().startswith(_SKIP_SCHEMES):
                continue
            if not (own and value.startswith(own)) and not value.lower().startswith("//") and not _SCHEME.match(value):
                target = self.resolver.target(rel, value, absolute_ok)
                if target is not None and target in files:
                    links += 1
                    continue
            suspects[(tag, attr, raw)] = None
        metas: tuple[tuple[str, str], ...] = ()
        footer: tuple[str, ...] = ()
        if self.cfg.publish:
            metas = tuple(_metas(text).items())
            shown = html.unescape(text)
            footer = tuple(key for key, _, value in _identity_values(self.cfg) if value and value in shown)
        return Facts(title, links, tuple(suspects), metas, footer)


class _Checker:
    def __init__(
        self,
        folder: Path,
        site: Site,
        jobs: list[Any],
        env: Any,
        report: Report,
        root: Path,
        files: set[str] | None,
        facts: dict[str, Facts] | None = None,
    ) -> None:
        self.folder = folder
        self.site = site
        self.cfg = site.config
        self.env = env
        self.report = report
        self.root = root
        self.sources = _Sources(root)
        self.jobs = {j.path: j for j in jobs}
        if files is None:
            files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        self.files: set[str] = set(files)
        self.resolver = Resolver(self.cfg, self.files)
        self.dirs = self.resolver.dirs
        self.facts: dict[str, Facts] = facts if facts is not None else {}
        self.scanner: Scanner | None = None
        self.inspection = Inspection(ran=True, publish=bool(self.cfg.publish))
        # (where path, line, what, problem key) → [(page, as written there, resolved target)]
        self.broken: dict[tuple[str, int, str, str], list[tuple[str, str, str]]] = defaultdict(list)
        self.external: dict[str, set[tuple[_Page, str]]] = defaultdict(set)
        self.titles: dict[str, list[_Page]] = defaultdict(list)
        self.missing_meta: dict[tuple[str, str], list[str]] = defaultdict(list)

    # -------------------------------------------------------------- helpers
    def emit(self, path: str, line: int, message: str, code: str, severity: Severity = Severity.ERROR) -> None:
        self.report.items.append(Diagnostic(path, line, message, severity, code))

    def display(self, filename: str | Path) -> str:
        rel = self.report.rel(filename)
        if rel.startswith("/") and "/themes/" in rel:  # the shipped theme, outside the site source
            rel = "themes/" + Path(filename).resolve().as_posix().rsplit("/themes/", 1)[-1]
        return rel

    @functools.cached_property
    def templates(self) -> list[tuple[str, Path]]:
        """Every template file of the theme (site theme first), for finding hard-coded addresses."""
        out = []
        for d in theme_dirs(self.root, self.cfg.theme):
            for p in sorted((d / "templates").rglob("*")):
                if p.is_file():
                    out.append((self.display(p), p))
        return out

    def template_of(self, page: _Page) -> str:
        if page.job is None:
            return f"{OUT_LABEL}/{page.rel}"
        try:
            filename = self.env.get_template(page.job.template).filename
        except Exception:  # noqa: BLE001 - attribution only
            filename = None
        if not filename:
            return f"{OUT_LABEL}/{page.rel}"
        return self.display(filename)

    def where(self, page: _Page, written: str) -> tuple[str, int, str]:
        """The file and line an editor has to change for ``written`` seen on ``page``, and what
        was written there (the same mistake seen on many pages is reported once)."""
        src = page.source
        line = self.sources.find_link(src, written)
        if line:
            return src, line, written
        line = self.sources.find("data/site.yaml", written)
        if line:
            return "data/site.yaml", line, written
        target = self.resolve(page.rel, written) if not _SCHEME.match(written) else None
        if target is not None:
            target = hant.site_path(target)
            for item in self.cfg.nav:
                if target == self.resolve("", item.url):
                    line = self.sources.find("data/site.yaml", f"title: {item.title}") or self.sources.find(
                        "data/site.yaml", item.title
                    )
                    return "data/site.yaml", line, f"nav:{item.url}"
        if _SCHEME.match(written) or written.startswith("//"):
            for shown, path in self.templates:  # a hard-coded address in a template
                line = self.sources.find(str(path), written)
                if line:
                    return shown, line, written
        return self.template_of(page), 0, target or written

    def resolve(self, page_rel: str, value: str) -> str | None:
        return self.resolver.resolve(page_rel, value)

    # -------------------------------------------------------------- references
    def reference(self, page: _Page, tag: str, attr: str, value: str) -> None:
        value = value.strip()
        if not value or value.startswith("#"):
            return
        low = value.lower()
        if low.startswith(_SKIP_SCHEMES):
            return
        own = self.cfg.url
        # Only 404.html (shown by the web server at any depth) may use absolute paths; everywhere
        # else they break once the site sits in a sub-folder of the court's website.
        absolute_ok = page.rel == "404.html"
        if own and value.startswith(own):
            value = self.cfg.base_path + value[len(own) :]
            absolute_ok = True
        elif low.startswith("//") or _SCHEME.match(value):
            url = ("https:" + value) if low.startswith("//") else value
            self.external[url].add((page, value))
            return
        self.inspection.links += 1
        target = self.resolver.target(page.rel, value, absolute_ok)
        if target is not None and target in self.files:
            return
        src, line, canon = self.where(page, value)
        if target is None:  # not inside the site folder: each written form is its own problem
            key = ("\0/" if value.startswith("/") else "\0..") + value
        else:  # one mistake, however many pages (in both scripts) show it
            key = "\0w" + canon
        self.broken[(src, line, _what(tag, attr, value), key)].append((page.rel, value, target or ""))

    def ingest(self, page: _Page, facts: Facts) -> None:
        self.titles[facts.title].append(page)
        self.inspection.links += facts.links
        for tag, attr, value in facts.suspects:
            self.reference(page, tag, attr, value)
        if self.cfg.publish:
            self.identity(page, dict(facts.metas), set(facts.footer))

    def scan_css(self, rel: str, text: str) -> None:
        page = _Page(rel)
        for m in _CSS_URL.finditer(text):
            value = next((g for g in m.groups() if g is not None), "")
            self.reference(page, "link", "css", value)

    # -------------------------------------------------------------- identity (publish: true)
    def identity(self, page: _Page, metas: dict[str, str], footer: set[str]) -> None:
        kind = page.job.kind if page.job is not None else ""
        need = ["SiteName", "SiteDomain", "SiteIDCode"]
        if kind in _COLUMN_KINDS:
            need += ["ColumnName", "ColumnType"]
        if kind in _ARTICLE_KINDS:
            need += ["ArticleTitle", "PubDate", "ContentSource"]
        for name in need:
            if metas.get(name, "").strip():
                continue
            if name == "SiteIDCode" and not self.cfg.footer.site_code:
                continue  # data/site.yaml itself is reported (footer.site_code)
            if name == "PubDate" and kind == "branch" and page.source:
                self.missing_meta[(page.source, _BRANCH_PUBDATE)].append(page.rel)
                continue
            self.missing_meta[(self.template_of(page), f'<meta name="{name}">')].append(page.rel)
        pub = metas.get("PubDate", "").strip()
        if pub and not _PUBDATE.match(pub):
            self.missing_meta[(self.template_of(page), f"PubDate 格式（应为 YYYY-MM-DD HH:MM，实为“{pub}”）")].append(
                page.rel
            )
        for key, label, value in _identity_values(self.cfg):
            if value and key not in footer:
                self.missing_meta[(self.template_of(page), f"页脚{label}“{value}”")].append(page.rel)

    # -------------------------------------------------------------- run
    def run(self) -> Inspection:
        for rel in sorted(self.files):
            low = rel.lower()
            if low.endswith((".html", ".htm")):
                facts = self.facts.get(rel)
                if facts is None:
                    if self.scanner is None:
                        self.scanner = Scanner(self.cfg, self.files)
                    text = (self.folder / rel).read_text(encoding="utf-8", errors="replace")
                    facts = self.facts[rel] = self.scanner.facts(rel, text)
                self.inspection.pages += 1
                self.ingest(_Page(rel, self.jobs.get(rel)), facts)
            elif low.endswith(".css"):
                self.scan_css(rel, (self.folder / rel).read_text(encoding="utf-8", errors="replace"))
        self.report_broken()
        self.report_titles()
        self.report_empty()
        self.report_identity()
        self.inspection.seen_external = dict(self.external)
        self.inspection.locate = self.where
        for key, label in _IDENTITY:
            value = getattr(self.cfg.footer, key, "") or (self.cfg.owner if key == "owner" else "")
            self.inspection.identity.append((key, label, value))
        return self.inspection

    def report_broken(self) -> None:
        for (src, line, what, key), seen in sorted(self.broken.items()):
            self.inspection.broken += 1
            pages = sorted({rel for rel, _, _ in seen})
            _, written, target = min(seen)  # as written on the first page
            shown = f"“{written}”"
            if target and target != written:
                shown += f"（即 {target}）"
            on = f"出现在 {OUT_LABEL}/{pages[0]}" + (f" 等 {len(pages)} 个页面" if len(pages) > 1 else "")
            if key.startswith("\0/"):
                fix = (
                    "以“/”开头的地址在网站放到子目录后会失效：请改为相对地址"
                    f"（网站放在 {self.cfg.base_path}，站内页面之间用 ../ 这样的相对路径链接）"
                )
            elif not line and not key.startswith("\0.."):
                fix = "这个链接由主题模板生成：请修改模板中的链接，或补上它指向的页面/文件"
            elif key.startswith("\0.."):
                fix = "地址超出了网站文件夹：请改为站内的相对地址，或写完整的 https:// 外部地址"
            else:
                base = posixpath.dirname(pages[0])
                fix = (
                    f"请改正地址或删除；站内相对地址从本页所在位置 {base + '/' if base else '网站根目录'} 算起"
                    "（如 ../../stats/ 指向成效统计）"
                )
                if what in ("图片", "附件"):
                    fix += "，并确认文件已放入网站"
            draft = self.draft_target(target or written)
            if draft is not None:
                # a link to a page still being written: it will work once that page is published
                self.emit(src, line, f"{what}{shown}指向草稿“{draft}”（尚未发布），{on}：草稿发布后链接即可使用，"
                          "在此之前读者会看到“页面未找到”", "link-draft", Severity.WARNING)
                continue
            self.emit(src, line, f"{what}{shown}指向的文件不存在，{on}：{fix}", "link")

    def draft_target(self, target: str) -> str | None:
        """The brand of the draft branch a missing page belongs to, if it is one."""
        parts = target.split("/")
        if "branches" not in parts:
            return None
        i = parts.index("branches")
        slug = parts[i + 1] if i + 1 < len(parts) else ""
        for b in self.site.branches:
            if b.draft and b.slug == slug:
                return b.brand
        return None

    def report_titles(self) -> None:
        for title, pages in sorted(self.titles.items()):
            if not title:
                for page in pages:
                    src = page.source or self.template_of(page)
                    self.emit(src, 0, f"页面 {OUT_LABEL}/{page.rel} 没有 <title> 标题：请在模板中加上 <title>", "title")
                continue
            if len({page.rel.removeprefix("zh-hant/") for page in pages}) < 2:
                continue  # one page and its Traditional twin (brandsite/hant.py) may share a title
            for page in pages:
                others = "、".join(
                    f"{OUT_LABEL}/{o.rel}" + (f"（{o.source}）" if o.source else "") for o in pages if o is not page
                )
                if page.source:
                    src, line = page.source, self.sources.key_line(page.source, "title", "brand")
                else:
                    src, line = f"{OUT_LABEL}/{page.rel}", 0
                self.emit(
                    src,
                    line,
                    f"页面标题“{title}”与 {others} 重复：每个页面的 <title> 须各不相同（网站检查项），请修改标题加以区分",
                    "title",
                )

    def report_empty(self) -> None:
        """Empty list pages: errors once ``publish: true``; before that only noted for the report."""
        for rel, job in sorted(self.jobs.items()):
            keys = _LIST_CONTENT.get(job.template)
            if keys is None or rel not in self.files:
                continue
            if any(job.context.get(k) for k in keys):
                continue
            fix = {
                "honors.html": "请在品牌文件中填写 honors（荣誉）",
                "news_list.html": "请在 content/news 下添加工作动态",
                "branches.html": "请添加品牌文件，或把 draft: true 改为 false",
            }.get(job.template, "请为该栏目补充内容")
            d = Diagnostic(
                f"{OUT_LABEL}/{rel}",
                0,
                f"栏目“{job.title}”没有任何内容（空白栏目，网站检查扣分项）：{fix}",
                Severity.ERROR if self.cfg.publish else Severity.WARNING,
                "column-empty",
            )
            if self.cfg.publish:
                self.report.items.append(d)
            else:
                self.inspection.pending.append(d)

    def report_identity(self) -> None:
        for (src, what), pages in sorted(self.missing_meta.items()):
            pages = sorted(set(pages))
            on = f"{OUT_LABEL}/{pages[0]}" + (f" 等 {len(pages)} 个页面" if len(pages) > 1 else "")
            if what == _BRANCH_PUBDATE:
                self.emit(
                    src,
                    self.sources.key_line(src, "brand"),
                    "品牌页没有发布日期 PubDate（政府网站检查工具读取）：请填写 founded（创建时间）或 milestones"
                    "（大事记）；页面以最近一条大事记的日期作为发布日期，没有大事记时用创建时间",
                    "site-identity",
                )
                continue
            if what.startswith("页脚"):
                msg = f"{on}缺少{what}（publish: true 时每个页面的页脚须带备案信息）：请在模板页脚中显示 site.footer 的各项"
            elif what.startswith("PubDate"):
                msg = f"{on}的 {what}：请修改模板"
            else:
                msg = f"{on}缺少网站标识标签 {what}（政府网站检查工具读取）：请在模板中加上"
                if "SiteDomain" in what and not self.cfg.url:
                    msg = f"{on}缺少 {what}：请在 data/site.yaml 中填写网站地址 url（如 https://www.example.gov.cn/djpp/）"
                    src = "data/site.yaml"
            self.emit(src, 0, msg, "site-identity")


def inspect_output(
    folder: Path,
    site: Site,
    jobs: list[Any],
    env: Any,
    report: Report,
    root: Path,
    files: set[str] | None = None,
    facts: dict[str, Facts] | None = None,
) -> Inspection:
    """Check the built site in ``folder``; findings go to ``report``.

    ``files`` are the output paths this build produced (a recycled staging folder may still
    hold files of an earlier build until the swap); ``None`` means every file in ``folder``.
    ``facts`` are pages already scanned (by the render workers, or remembered from an earlier
    build), taken against exactly ``files``; every other page is read from ``folder``.
    """
    return _Checker(Path(folder), site, jobs, env, report, Path(root), files, facts).run()
