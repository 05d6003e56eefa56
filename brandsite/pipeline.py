"""The build, stage by stage: sources → validated model → rendered pages → atomic write.

This module only orders the stages, which ``build``, ``check`` and ``serve`` all run; each
stage's body lives in its folder: listing and loading the sources in ``content/`` (``listing``,
``reading``), the cross-file checks and statistics in ``derive/``, the page list in ``render/``,
rendering into the output and the warm build's ledger in ``write/`` (``pages``, ``ledger``), the
checks on the rendered pages in ``checks/``. Per-file work is cached by content hash and
spread over all cores; everything is sorted before it is written, so identical sources give
byte-identical output regardless of worker timing.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from brandsite import checks
from brandsite.checks import publishcheck
from brandsite.content.listing import list_sources
from brandsite.content.reading import collect, load_data, load_sources
from brandsite.core import cache as cache_mod
from brandsite.core.diagnostics import Diagnostic, Report
from brandsite.core.options import Options
from brandsite.core.workers import collector_paused
from brandsite.derive import statistics, validation
from brandsite.features import image_check, image_process
from brandsite.features.feature import Run
from brandsite.features.plugins import FEATURES
from brandsite.model.bodies import Spool
from brandsite.model.site import Branch, News, Site
from brandsite.render import pages as render
from brandsite.render.xmlfiles import extra_files
from brandsite.write.claim import claim
from brandsite.write.ledger import Ledger
from brandsite.write.lock import OutputLock
from brandsite.write.pages import render_jobs
from brandsite.write.staging import StagedOutput
from brandsite.write.statics import copy_static

__all__ = ["Options", "Result", "assemble", "build", "check", "load", "published", "template_error"]


@dataclass
class Result:
    report: Report
    site: Site | None = None
    written: int = 0
    pages: int = 0
    rendered: int = 0  # pages rendered (a warm build keeps unchanged ones)
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    #: what the checks on the rendered pages saw (checks.Inspection); None when not rendered
    inspection: Any = None
    #: the site-wide figures the pages show (statistics.Stats; the sign-off list); None when not rendered
    stats: Any = None

    @property
    def ok(self) -> bool:
        return self.report.ok


def assemble(
    report: Report,
    loaded: tuple[Any, Any, Any],
    sources: list[tuple[str, Path]],
    results: list[tuple[Any, list[Diagnostic]]],
) -> Site:
    """Collect per-file results into a site and run the cross-file checks."""
    site = collect(report, loaded, ((kind, result) for (kind, _), result in zip(sources, results, strict=True)))
    validation.cross_check(site, report)
    image_check.check(site, report)
    return site


def load(opts: Options, report: Report, cache: cache_mod.RenderCache | None = None, reuse: bool = True,
         spool: Spool | None = None) -> Site:
    """Load and validate every source; the returned site is only usable if ``report.ok``.

    With ``reuse`` False the cache is written but not read: a cold build that seeds it. With a
    ``spool`` the stories' HTML and text wait in it until read (``model/bodies.py``).
    """
    loaded = load_data(opts.root, report)
    sources = list_sources(opts, report)
    digests: dict[Path, str] = {}
    # personal information and wrong formulations (full text of every file; cached per file),
    # scanned in the loaders' worker pass where there is one
    scan = publishcheck.side_task(opts.root, report)
    results = load_sources(opts, report, sources, loaded[0].summary_length, cache, reuse, digests, scan, spool)
    publishcheck.scan_sources(opts.root, report, sources, cache, reuse, opts.workers, digests, loaded[0].publish,
                              scan)
    return assemble(report, loaded, sources, results)


def check(opts: Options) -> Result:
    """Everything ``build`` checks, the checks on the rendered pages included, writing nothing.

    The site is built (reading, never writing, the render cache) into a temporary folder that is deleted afterwards, so
    links, titles and columns are checked on exactly the pages ``build`` would publish.
    """
    t0 = time.perf_counter()
    report = Report(opts.root)
    with tempfile.TemporaryDirectory(prefix="brandsite-check-") as tmp:
        try:
            result = build(replace(opts, out=Path(tmp) / "site", cache_readonly=True), report)
        except Exception as exc:  # a broken theme template: still show every other finding
            report.error(opts.root / "themes", 0, f"生成页面时出错（主题模板有误）：{type(exc).__name__}: {exc}", "render")
            result = Result(report)
    result.written, result.files = 0, []
    result.seconds = time.perf_counter() - t0
    return result


# -------------------------------------------------------------------- rendering

def body_spool(opts: Options) -> Spool | None:
    """Where a build keeps the stories' bodies (None: in the model, the plain path tests compare with):
    an anonymous file in the cache folder (never in it for ``check``, which writes nothing there)."""
    folder = opts.root / cache_mod.CACHE_DIR
    return Spool(str(folder) if folder.is_dir() and not opts.cache_readonly else None)


def published(site: Site, drafts: bool) -> tuple[list[Branch], list[News]]:
    branches = [b for b in site.branches if drafts or not b.draft]
    news = [n for n in site.news if drafts or not n.draft]
    return branches, news


def drafts_note(site: Site | None, with_drafts: bool) -> str:
    """What a build without ``--drafts`` left out. A new branch file is a draft, so an editor's
    first build shows a site with "0 个品牌" and no word why, unless the summary says so; the
    first names tell which files are meant."""
    if site is None or with_drafts:
        return ""
    parts = []
    for what, names in (("个品牌", [b.brand for b in site.branches if b.draft]),
                        ("条工作动态", [n.title for n in site.news if n.draft])):
        if names:
            shown = "、".join(f"“{name}”" for name in names[:3]) + ("等" if len(names) > 3 else "")
            parts.append(f"{len(names)} {what}（{shown}）")
    if not parts:
        return ""
    return ("另有 " + "、".join(parts) + "是草稿（draft: true），没有生成。预览草稿：加上 --drafts"
            "（如 python build.py serve --drafts）；内容写好后把 draft 改为 false 才会发布。")


def build(opts: Options, report: Report | None = None) -> Result:
    """Build the site into ``opts.out``, which must be ours (``claim.claim``: else
    ``claim.OutputRefused``) and is locked against a second build or preview meanwhile."""
    assert opts.out is not None
    if opts.cache_readonly:  # `check`: a private temporary folder
        return _build(opts, report)
    with OutputLock(opts.root, opts.out):
        claim(opts.root, opts.out)
        return _build(opts, report)


def _build(opts: Options, report: Report | None = None) -> Result:
    with collector_paused():
        return _stages(opts, report)


def _stages(opts: Options, report: Report | None = None) -> Result:
    t0 = time.perf_counter()
    report = Report(opts.root) if report is None else report
    assert opts.out is not None
    # A rebuild reuses the render cache; deleting the output folder asks for a clean build
    # (and keeps benchmark "cold" builds honest).
    warm = opts.out.exists() or opts.cache_readonly
    cache = cache_mod.RenderCache(opts.root, enabled=opts.use_cache, readonly=opts.cache_readonly)
    cache.reuse = warm
    # the stories' HTML and text wait on disk until a page, a search document or a check reads them
    site = load(opts, report, cache, reuse=warm, spool=body_spool(opts))
    _require_signoff(opts, site, report)
    result = Result(report, site)
    if not publishcheck.renderable(report):  # text-scan findings alone still let pages be checked
        cache.close(cache.keep)
        result.seconds = time.perf_counter() - t0
        return result
    branches, news = published(site, opts.drafts)
    validation.prune_nav(site, branches, news, [p for p in site.pages if opts.drafts or not p.draft], report)
    site.pages = [p for p in site.pages if opts.drafts or not p.draft]
    stats = result.stats = statistics.compute(site, branches)
    pages = render.Pages(site, stats, branches, news, FEATURES)
    jobs = list(pages.jobs())
    env = render.make_env(opts.root, site.config.theme)
    staged = StagedOutput(opts.out, recycle=warm, root=None if opts.cache_readonly else opts.root)
    try:
        # everything but the pages first, so that the set of files the site will hold is known
        # while the pages are rendered: their links are checked against it in the render workers
        image_process.prepare(opts.root, site, opts.drafts, opts.workers, opts.use_cache and not opts.cache_readonly)
        copy_static(opts.root, site.config.theme, staged)
        for rel, payload in extra_files(site, stats, jobs, env, FEATURES, Run(cache, opts.workers)):
            staged.write(rel, payload)
        expected = staged.files | {job.path for job in jobs}
        facts: dict[str, checks.Facts] = {}
        ledger = Ledger(opts, site, env, cache, staged, expected)
        todo = ledger.stale(jobs, facts)
        render_jobs(opts, env, site, todo, staged, checks.Scanner(site.config, expected), facts)
        if staged.files != expected:  # never expected: then every page is read again from the folder
            facts = {}
        # links, titles, empty columns, identification tags: on the staged pages, before the swap
        result.inspection = checks.inspect_output(
            staged.tmp, site, jobs, env, report, opts.root, staged.files, facts
        )
        ledger.record(jobs, facts)
        result.rendered = len(todo)
        if not report.ok:
            staged.abort()
            result.seconds = time.perf_counter() - t0
            return result
        staged.commit()
    except jinja2.TemplateError as exc:  # a theme mistake: a message with its file and line, not a traceback
        staged.abort()
        report.error(*template_error(exc, opts.root))
    except BaseException:
        staged.abort()
        raise
    finally:
        cache.close(cache.keep)
    if not report.ok:
        result.seconds = time.perf_counter() - t0
        return result
    result.written = len(staged.files)
    result.pages = len(jobs)
    result.files = sorted(staged.files)
    result.seconds = time.perf_counter() - t0
    return result


def _require_signoff(opts: Options, site: Site, report: Report) -> None:
    """先审后发: a publication (``publish: true`` with ``review:`` levels, or a package) needs every
    level's sign-off on the current content; a drafts build is a preview and needs none."""
    cfg = site.config
    if not opts.drafts and (opts.signoff or (cfg.publish and cfg.review)):
        from brandsite.publish import signoff

        signoff.require(opts.root, site, report)


def template_error(exc: jinja2.TemplateError, root: Path) -> tuple[str, int, str, str]:
    """(path, line, message, code) for a template error, pointing into the theme file."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or ""
    line = getattr(exc, "lineno", None) or 0
    if not name:  # a runtime error (undefined variable …): find the template frame in the traceback
        tb = exc.__traceback__
        while tb is not None:
            fname = tb.tb_frame.f_code.co_filename
            if fname.endswith((".html", ".xml", ".txt")):
                name, line = fname, tb.tb_lineno
            tb = tb.tb_next
    return name or "themes", line, f"主题模板出错：{exc.message or exc}（请检查该模板文件）", "template"


