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

This module reads every page once (``scan.py``: the facts all checks need) and hands them to
the checks, one per module: ``links.py``, ``titles.py``, ``columns.py``, ``identity.py``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandsite.checks import columns, identity, links, titles
from brandsite.checks.scan import _CSS_URL, _IDENTITY, _SCHEME, OUT_LABEL, Facts, Resolver, Scanner, _Page
from brandsite.core.diagnostics import Diagnostic, Report, Severity
from brandsite.features import hant
from brandsite.model.site import Site
from brandsite.render.pages import theme_dirs

__all__ = ["Facts", "Inspection", "Scanner", "inspect_output"]


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
        self.targets = False
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

    def ingest(self, page: _Page, facts: Facts) -> None:
        self.titles[facts.title].append(page)
        self.inspection.links += facts.links
        for tag, attr, value in facts.suspects:
            links.reference(self, page, tag, attr, value)
        if self.cfg.publish:
            identity.collect(self, page, dict(facts.metas), set(facts.footer))

    def scan_css(self, rel: str, text: str) -> None:
        page = _Page(rel)
        for m in _CSS_URL.finditer(text):
            value = next((g for g in m.groups() if g is not None), "")
            links.reference(self, page, "link", "css", value)

    # -------------------------------------------------------------- run
    def run(self) -> Inspection:
        for rel in sorted(self.files):
            low = rel.lower()
            if low.endswith((".html", ".htm")):
                facts = self.facts.get(rel)
                if facts is None:
                    if self.scanner is None:
                        self.scanner = Scanner(self.cfg, self.files, self.targets)
                    text = (self.folder / rel).read_text(encoding="utf-8", errors="replace")
                    facts = self.facts[rel] = self.scanner.facts(rel, text)
                self.inspection.pages += 1
                self.ingest(_Page(rel, self.jobs.get(rel)), facts)
            elif low.endswith(".css"):
                self.scan_css(rel, (self.folder / rel).read_text(encoding="utf-8", errors="replace"))
        for check in (links.report_broken, titles.report_titles, columns.report_empty, identity.report_identity):
            check(self)
        self.inspection.seen_external = dict(self.external)
        self.inspection.locate = self.where
        for key, label in _IDENTITY:
            value = getattr(self.cfg.footer, key, "") or (self.cfg.owner if key == "owner" else "")
            self.inspection.identity.append((key, label, value))
        return self.inspection


def inspect_output(
    folder: Path,
    site: Site,
    jobs: list[Any],
    env: Any,
    report: Report,
    root: Path,
    files: set[str] | None = None,
    facts: dict[str, Facts] | None = None,
    targets: bool = False,
) -> Inspection:
    """Check the built site in ``folder``; findings go to ``report``.

    ``files`` are the output paths this build produced (a recycled staging folder may still
    hold files of an earlier build until the swap); ``None`` means every file in ``folder``.
    ``facts`` are pages already scanned (by the render workers, or remembered from an earlier
    build), taken against exactly ``files``; every other page is read from ``folder``.
    """
    checker = _Checker(Path(folder), site, jobs, env, report, Path(root), files, facts)
    checker.targets = targets  # pages read here record what their references resolved to
    return checker.run()
