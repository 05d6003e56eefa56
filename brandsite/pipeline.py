"""The build, stage by stage: sources → validated model → rendered pages → atomic write.

Per-file work (decode, YAML, schema, Markdown) is cached by content hash and, on a cold
build, spread over all cores with forked workers; rendering of the many branch pages is
spread the same way. Everything is sorted before it is written, so identical sources give
byte-identical output regardless of worker timing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from brandsite import checks
from brandsite.checks import publishcheck
from brandsite.content import data
from brandsite.content.loading import LOADERS
from brandsite.core import cache as cache_mod
from brandsite.core import workers
from brandsite.core.diagnostics import Diagnostic, Report, shown
from brandsite.core.workers import pool as worker_pool
from brandsite.derive import statistics, validation
from brandsite.features import image_check, image_process
from brandsite.features.feature import Run
from brandsite.features.plugins import FEATURES
from brandsite.model.site import Branch, News, Page, Site
from brandsite.render import fingerprint
from brandsite.render import pages as render
from brandsite.render.xmlfiles import extra_files
from brandsite.write.claim import claim
from brandsite.write.lock import OutputLock
from brandsite.write.staging import StagedOutput
from brandsite.write.statics import copy_static

Progress = Callable[[str, int, int], None]

CONTENT_DIRS = {"branch": "content/branches", "news": "content/news", "page": "content/pages"}
_IGNORED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}
_MIN_PARALLEL = 200
#: pages from which rendering is spread over worker processes (when forking; see ``workers.worth``)
RENDER_MIN_PARALLEL = 2 * _MIN_PARALLEL


@dataclass
class Options:
    root: Path
    out: Path | None = None
    drafts: bool = False
    use_cache: bool = True
    workers: int = 0  # 0 = one per core
    cache_readonly: bool = False  # `check`: reuse what builds cached, write nothing
    progress: Progress | None = None
    #: `package`: the sign-offs are required even when data/site.yaml names no ``review`` levels
    signoff: bool = False

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        if self.out is None:
            self.out = self.root / "site"
        self.out = self.out.resolve()
        if not self.workers:
            self.workers = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


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


def _tick(opts: Options, stage: str, done: int, total: int) -> None:
    if opts.progress is not None:
        opts.progress(stage, done, total)


def list_sources(opts: Options, report: Report) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    branches_dir = opts.root / CONTENT_DIRS["branch"]
    if not branches_dir.is_dir():
        report.error(branches_dir, 0, "缺少品牌文件夹 content/branches：每个支部品牌一个 .md 文件放在这里", "layout")
    for kind, rel in CONTENT_DIRS.items():
        folder = opts.root / rel
        if not folder.is_dir():
            continue
        links: set[str] = set()
        unread: list[tuple[Path, bool]] = []
        files = _files_under(folder, links, unread)
        for where, is_link in unread:  # nothing an editor put here may vanish without a word
            if is_link:
                report.warning(where, 0, f"“{where.name}”是指向别处文件夹的链接，里面的文件不会被读取："
                                         "请把文件夹本身放到这里（替换这个链接）", "ignored")
            else:
                report.warning(where, 0, f"文件夹“{where.name}”没有读取权限，里面的文件不会被读取："
                                         "请检查文件夹的权限", "ignored")
        for name, p in files:
            if name.startswith("."):
                continue
            dot = name.rfind(".")
            suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""  # Path.suffix, on the bare name
            if suffix == ".md":
                if links and str(p) in links and not _inside_project(opts.root, p, report):
                    continue
                found.append((kind, p))
            elif suffix in (".markdown", ".txt"):
                report.warning(p, 0, f"“{p.name}”不会被发布：内容文件的扩展名必须是 .md，请改名为 {p.stem}.md", "ignored")
            elif suffix in (".doc", ".docx", ".wps"):
                report.warning(p, 0, f"Word 文件“{p.name}”不会被发布：请把内容粘贴到 .md 文件中", "ignored")
            elif suffix not in _IGNORED_SUFFIXES and suffix not in (".pdf", ".yaml", ".yml"):
                report.warning(p, 0, f"“{p.name}”不是 .md 文件，已忽略", "ignored")
    return found


def _inside_project(root: Path, p: Path, report: Report) -> bool:
    """A source that is a link to a file outside the project is not read (it would publish a file
    nobody sees in the project folder): an error naming where it points."""
    target = Path(os.path.realpath(p))
    if target == root or root in target.parents:
        return True
    report.error(p, 0, f"“{p.name}”是指向项目以外文件 {shown(target)} 的链接，为防止误发布，不会读取它："
                       "请把该文件复制到这里（替换这个链接），或删除这个链接", "symlink")
    return False


def _files_under(folder: Path, links: set[str] | None = None,
                 unread: list[tuple[Path, bool]] | None = None) -> list[tuple[str, Path]]:
    """(name, path) of the files below ``folder`` in the order of ``sorted(folder.rglob("*"))``, without pathlib's cost.

    The preview lists every source on each rebuild, so this walk is on the path from saving a file
    to its page. Same rules as ``rglob``: symlinked folders are not entered, hidden folders are,
    a folder that may not be read is skipped; a file is what ``Path.is_file`` calls one (links
    followed). Paths sort by their parts, as ``Path`` objects do (case-folded where the file
    system ignores case). Files that are symbolic links are added to ``links`` (paths as text);
    folders not entered (a link to a folder: True, one that may not be read: False) to ``unread``."""
    # pathlib's own child constructor skips re-parsing the path (Path(str) costs ~4 µs a file)
    child = getattr(type(folder), "_make_child_relpath", None) or type(folder).joinpath
    found: list[tuple[tuple[str, ...], str, Path]] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    while stack:
        here, parts = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except PermissionError:
            if unread is not None and here != folder:
                unread.append((here, False))
            continue
        for entry in entries:
            key = (*parts, os.path.normcase(entry.name))
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((child(here, entry.name), key))
                continue
            try:
                is_file = entry.is_file()
            except OSError:  # Path.is_file's answer, errors and all (a link loop is "not a file")
                is_file = Path(entry.path).is_file()
            if is_file:
                found.append((key, entry.name, child(here, entry.name)))
                if links is not None and entry.is_symlink():  # (known from the listing: no extra call)
                    links.add(entry.path)
            elif unread is not None and entry.is_symlink() and os.path.isdir(entry.path) \
                    and not entry.name.startswith("."):
                unread.append((child(here, entry.name), True))
    found.sort(key=lambda kp: kp[0])
    return [(name, p) for _, name, p in found]


def _load_one(job: tuple[str, str, str, int]) -> tuple[Any, list[Diagnostic]]:
    kind, path, root, summary_length = job
    return LOADERS[kind](Path(path), Path(root), summary_length)


def load_data(root: Path, report: Report) -> tuple[Any, Any, Any]:
    """data/site.yaml, data/units.yaml and data/metrics.yaml."""
    cfg = data.load_site(root / "data" / "site.yaml", report)
    units = data.load_units(root / "data" / "units.yaml", report)
    metrics = data.load_metrics(root / "data" / "metrics.yaml", report)
    return cfg, units, metrics


def load_sources(
    opts: Options,
    report: Report,
    sources: list[tuple[str, Path]],
    summary_length: int,
    cache: cache_mod.RenderCache | None = None,
    reuse: bool = True,
    digests: dict[Path, str] | None = None,
) -> list[tuple[Any, list[Diagnostic]]]:
    """Per-file results, from the cache or computed (in parallel when there are many).

    ``digests`` receives each readable file's content hash (the publishing checks reuse them)."""
    keys: list[str] = []
    for kind, p in sources:
        try:
            raw = p.read_bytes()
        except OSError:
            raw = None
        digest = hashlib.blake2b(b"\0unreadable" if raw is None else raw, digest_size=16).hexdigest()
        if digests is not None and raw is not None:
            digests[p] = digest
        keys.append(cache_mod.key(kind, report.rel(p), digest, summary_length))
    hits = cache.get_many(keys) if cache is not None and reuse else {}
    results: list[tuple[Any, list[Diagnostic]] | None] = [hits.get(k) for k in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    jobs = [(sources[i][0], str(sources[i][1]), str(opts.root), summary_length) for i in missing]
    _tick(opts, "读取", len(sources) - len(missing), len(sources))
    if opts.workers > 1 and workers.worth(len(jobs), _MIN_PARALLEL):
        with worker_pool(opts.workers) as pool:
            chunk = max(8, len(jobs) // (opts.workers * 8))
            for n, (i, got) in enumerate(zip(missing, pool.map(_load_one, jobs, chunksize=chunk), strict=True)):
                results[i] = got
                if n % 100 == 0:
                    _tick(opts, "读取", len(sources) - len(missing) + n, len(sources))
    else:
        for n, (i, job) in enumerate(zip(missing, jobs, strict=True)):
            results[i] = _load_one(job)
            if n % 100 == 0:
                _tick(opts, "读取", len(sources) - len(missing) + n, len(sources))
    if cache is not None:
        for i in missing:
            cache.put(keys[i], results[i])
        cache.flush()
        cache.keep = set(keys)
    return [r for r in results if r is not None]


def collect(
    report: Report, loaded: tuple[Any, Any, Any], results: Iterable[tuple[str, tuple[Any, list[Diagnostic]]]]
) -> Site:
    """(kind, per-file result) → a site in display order, each file's findings in ``report``."""
    cfg, units, metrics = loaded
    branches: list[Branch] = []
    news: list[News] = []
    pages: list[Page] = []
    unreadable: list[str] = []
    for kind, (obj, diags) in results:
        report.extend(diags)
        if obj is None:
            if kind == "branch" and diags:
                unreadable.append(diags[0].path)
            continue
        {"branch": branches, "news": news, "page": pages}[kind].append(obj)
    branches.sort(key=lambda b: b.sort_key)
    news.sort(key=lambda n: (n.date.sort_key(), n.slug), reverse=True)
    pages.sort(key=lambda p: (p.order is None, p.order or 0, p.slug))
    return Site(cfg, units, metrics, branches, news, pages, unreadable=tuple(sorted(set(unreadable))))


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


def load(opts: Options, report: Report, cache: cache_mod.RenderCache | None = None, reuse: bool = True) -> Site:
    """Load and validate every source; the returned site is only usable if ``report.ok``.

    With ``reuse`` False the cache is written but not read: a cold build that seeds it.
    """
    loaded = load_data(opts.root, report)
    sources = list_sources(opts, report)
    digests: dict[Path, str] = {}
    results = load_sources(opts, report, sources, loaded[0].summary_length, cache, reuse, digests)
    # personal information and wrong formulations (full text of every file; cached per file)
    publishcheck.scan_sources(opts.root, report, sources, cache, reuse, opts.workers, digests, loaded[0].publish)
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

def _render_slice(indices: list[int]) -> tuple[list[str], list[tuple[str, checks.Facts]]]:
    state = workers.SHARED
    if "env" not in state:  # spawned: a Jinja environment cannot be pickled, each worker makes its own
        state["env"] = render.make_env(*state["env_args"])
    env, site, jobs, out = state["env"], state["site"], state["jobs"], state["out"]
    scanner = state.get("scanner")
    changed = []
    facts = []
    for i in indices:
        job = jobs[i]
        html = render.render_job(env, site, job, FEATURES)
        if out.write(job.path, html):
            changed.append(job.path)
        if scanner is not None:  # the link checks read the page here, not again from disk
            facts.append((job.path, scanner.facts(job.path, html)))
    return changed, facts


def published(site: Site, drafts: bool) -> tuple[list[Branch], list[News]]:
    branches = [b for b in site.branches if drafts or not b.draft]
    news = [n for n in site.news if drafts or not n.draft]
    return branches, news


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
    t0 = time.perf_counter()
    report = Report(opts.root) if report is None else report
    assert opts.out is not None
    # A rebuild reuses the render cache; deleting the output folder asks for a clean build
    # (and keeps benchmark "cold" builds honest).
    warm = opts.out.exists() or opts.cache_readonly
    cache = cache_mod.RenderCache(opts.root, enabled=opts.use_cache, readonly=opts.cache_readonly)
    cache.reuse = warm
    site = load(opts, report, cache, reuse=warm)
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
        ledger = _Ledger(opts, site, env, cache, staged, expected)
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


class _Ledger:
    """Warm builds render only pages whose fingerprint changed.

    The staging folder of a warm build is the site of the build before last (``StagedOutput``
    recycles it). The cache remembers, for every page file a build wrote, its inode, size and
    modification time with the fingerprint it was rendered from and its link-check facts. A
    page whose file still has that stat and whose fingerprint is unchanged is left as it is,
    and its facts are reused while the set of output files is the same."""

    def __init__(
        self, opts: Options, site: Site, env: Any, cache: cache_mod.RenderCache, staged: StagedOutput, files: set[str]
    ) -> None:
        self.staged = staged
        self.on = opts.use_cache and not opts.cache_readonly and cache.db is not None
        self.cache = cache
        self.fps: dict[str, str] = {}
        self.rows: dict[int, tuple[str, int, int, str, str, bytes | None]] = {}
        self.files_key = hashlib.blake2b("\n".join(sorted(files)).encode("utf-8"), digest_size=16).hexdigest()
        if self.on:
            self.prints = fingerprint.Fingerprints(opts.root, site, env, opts.drafts)
            self.rows = cache.ledger()

    def stale(self, jobs: list[render.Job], facts: dict[str, checks.Facts]) -> list[render.Job]:
        """The jobs to render; the others' files are kept (and their facts put into ``facts``)."""
        if not self.on:
            return jobs
        self.fps = {job.path: self.prints.page(job) for job in jobs}
        if not self.staged.recycling or not self.rows:
            return jobs
        todo = []
        for job in jobs:
            try:
                st = (self.staged.tmp / job.path).stat()
            except OSError:
                todo.append(job)
                continue
            row = self.rows.get(st.st_ino)
            if row is None or row[:4] != (job.path, st.st_size, st.st_mtime_ns, self.fps[job.path]):
                todo.append(job)
                continue
            self.staged.files.add(job.path)
            if row[4] == self.files_key and row[5] is not None:
                with contextlib.suppress(Exception):  # unreadable facts: the page is read again
                    facts[job.path] = pickle.loads(row[5])
        return todo

    def record(self, jobs: list[render.Job], facts: dict[str, checks.Facts]) -> None:
        if not self.on or not self.fps:
            return
        rows = []
        for job in jobs:
            try:
                st = (self.staged.tmp / job.path).stat()
            except OSError:
                continue
            seen = facts.get(job.path)
            blob = pickle.dumps(seen, protocol=pickle.HIGHEST_PROTOCOL) if seen is not None else None
            rows.append((st.st_ino, job.path, st.st_size, st.st_mtime_ns, self.fps[job.path], self.files_key, blob))
        self.cache.record_pages(rows)


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


#: pages one render worker handles before it is replaced by a fresh process
_ROUND_PAGES = 1000


def _render_rounds(jobs: list[render.Job], workers: int) -> list[list[list[int]]]:
    """Job indices in rounds of one contiguous slice per worker.

    Pages are ordered so that a page and its Traditional twin are neighbours (they show the same
    sources), and each worker gets a contiguous run: what a worker touches in the parent's memory
    (and so copies) stays a small part of it. Rounds are balanced in size."""
    order = sorted(range(len(jobs)), key=lambda i: (jobs[i].path.removeprefix("zh-hant/"), jobs[i].path))
    per_round = _ROUND_PAGES * workers
    n_rounds = max(1, -(-len(order) // per_round))
    size = -(-len(order) // (n_rounds * workers))
    slices = [order[i : i + size] for i in range(0, len(order), size)]
    return [slices[r : r + workers] for r in range(0, len(slices), workers)]


def render_jobs(
    opts: Options,
    env: Any,
    site: Site,
    jobs: list[render.Job],
    out: Any,
    scanner: checks.Scanner | None = None,
    facts: dict[str, checks.Facts] | None = None,
) -> list[str]:
    """Render ``jobs`` into ``out`` (staged or in place), in forked workers when there are many.

    Returns the paths whose bytes changed (every path, for a staged output). With a ``scanner``,
    each page's link-check :class:`~brandsite.checks.Facts` are taken while its HTML is still
    in memory and stored in ``facts``.
    """
    assert image_process.media_of(site) is not None, "the images stage (image_process.prepare) runs before rendering"
    total = len(jobs)
    changed: list[str] = []
    if opts.workers > 1 and workers.worth(total, RENDER_MIN_PARALLEL):
        fingerprint.compile_ahead(env, {job.template for job in jobs})  # once, here: forked workers inherit them
        shared = {"site": site, "jobs": jobs, "out": out, "scanner": scanner,
                  "env_args": (opts.root, site.config.theme)}
        done = 0
        for rounds in _render_rounds(jobs, opts.workers):
            # a fresh pool per round: a worker copies every page of the parent's memory it
            # touches (reference counts are writes), so each one lives for a slice of the site
            with worker_pool(opts.workers, shared=shared, fork_only={"env": env}) as pool:
                for (part, seen), idx in zip(pool.map(_render_slice, rounds), rounds, strict=True):
                    changed += part
                    if facts is not None:
                        facts.update(seen)
                    done += len(idx)
                    _tick(opts, "生成", done, total)
        for job in jobs:
            out.files.add(job.path)
        return sorted(changed)
    for i, job in enumerate(jobs):
        html = render.render_job(env, site, job, FEATURES)
        if out.write(job.path, html):
            changed.append(job.path)
        if scanner is not None and facts is not None:
            facts[job.path] = scanner.facts(job.path, html)
        if i % 200 == 0:
            _tick(opts, "生成", i, total)
    _tick(opts, "生成", total, total)
    return changed
