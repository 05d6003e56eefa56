"""Incremental rebuilds for the preview server.

The state between rebuilds is small: each source's stat signature and loaded result, and
each output page's *fingerprint* (``fingerprint.page``, the same formula as ``build``'s ledger:
what the page depends on, derived from its data, its template with every template it includes
or extends, data/ and the images it shows). A rebuild runs the pipeline's stages (load, derive,
plan, images, render, inspect, write) on what changed: it reloads only sources whose signature
changed (:mod:`brandsite.serve.changes`), and renders only pages whose fingerprint changed; a
file is rewritten only if its bytes differ. The preview writes into ``.brandsite-cache/preview/``
(``claim.preview_folder``), never into the folder ``build`` publishes.
The result after any sequence of edits equals a clean full build, byte for byte (tests
check this with random edits).

Saving a file should show its page within a blink (issue 3: under 100 ms on a site of
1,000 branches): besides reusing the site-wide work whose inputs are unchanged
(:mod:`brandsite.serve.changes`), the edited branch's own pages are rendered from their own jobs
before the job list of the whole site is made, and written first.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jinja2

from brandsite import checks, pipeline
from brandsite.core import workers
from brandsite.core.diagnostics import Diagnostic, Report
from brandsite.derive import statistics, validation
from brandsite.features import image_process, search
from brandsite.features.feature import Run
from brandsite.features.plugins import FEATURES
from brandsite.model.site import Site
from brandsite.render import fingerprint
from brandsite.render import pages as render
from brandsite.render.fingerprint import Templates
from brandsite.render.xmlfiles import extra_files
from brandsite.serve.changes import _SMALL_EDIT, Changes, _file_bytes, _Source
from brandsite.write import pages as writing
from brandsite.write.claim import MARKER, MARKER_TEXT, claim
from brandsite.write.inplace import InPlaceOutput
from brandsite.write.statics import copy_static


@dataclass
class Outcome:
    ok: bool
    report: Report
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    seconds: float = 0.0
    pages_seconds: float = 0.0  # until every page and static file was written (see ``on_written``)
    own_seconds: float = 0.0  # until the edited sources' own pages were written (stopped, none: 0)
    stopped: bool = False  # cut short by ``should_stop`` (a newer save): the rest comes with the next rebuild

    @property
    def css_only(self) -> bool:
        return bool(self.changed) and not self.removed and all(p.endswith(".css") for p in self.changed)


class Incremental(Changes):
    def __init__(self, opts: pipeline.Options) -> None:
        self.opts = opts
        assert opts.out is not None
        claim(opts.root, opts.out)  # never into a folder that is not ours (claim.OutputRefused)
        self.out = InPlaceOutput(opts.out)
        self.memo: dict[str, _Source] = {}  # by path as text
        self.fingerprints: dict[str, str] = {}
        self.produced: set[str] = set()
        self.theme_sig: str = ""
        self.env: jinja2.Environment | None = None
        self.templates: Templates | None = None  # fingerprints of the current environment's templates
        self.first = True
        self.swept = False  # whatever an earlier run left in the folder was removed (first complete build)
        self.pages: set[str] = set()  # page paths of the last good build
        self.digests: set[str] = set()  # source digests of the last good build
        self.scanned: dict[str, list[Diagnostic]] = {}  # text-scan findings per source file (path as text)
        self.rules_sig = ""  # data/terms.yaml and data/pii.yaml as last scanned with
        self.checked: tuple[tuple[object, ...], validation.Checked] | None = None  # inputs → what cross_check did
        self.stats: tuple[tuple[object, ...], statistics.Stats] | None = None  # inputs → statistics
        self.figures = statistics.FigureMemo()
        self.stats_inputs: dict[int, tuple[object, ...]] = {}  # id(branch) → statistics.inputs, this rebuild
        self.shown_images: list[tuple[str, str, tuple[str, ...]]] = []  # (path, digest, images) of sources with images
        self.gc_paused = False  # the cyclic garbage collector is paused until the edited page is written
        self.drafts_note = ""  # what the last load left out as drafts (``pipeline.drafts_note``)
        self.uncompiled = False  # a new environment's templates still wait for ``_compile`` (a stopped rebuild)
        #: the search index's per-document parts, kept across rebuilds (see ``search.index_files``)
        self.search_memo = search.PartMemo()
        self.prepared: image_process.Media | None = None  # the images stage's last result (reused by content key)
        #: link-check facts of the pages on disk, taken against ``facts_files`` (the inspect stage's memo)
        self.facts: dict[str, checks.Facts] = {}
        self.facts_files: set[str] = set()

    def _compile(self, names: list[str]) -> None:
        """Compile these templates and those they use, so that the next edit's page does not wait for it."""
        assert self.env is not None and self.templates is not None
        todo, seen = list(names), set(names)
        while todo:
            name = todo.pop()
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:  # e.g. an optional include that is not there: rendering copes
                continue
            for ref in self.templates.refs.get(name, []):
                if ref not in seen:
                    seen.add(ref)
                    todo.append(ref)

    def _remove(self, rels: list[str]) -> list[str]:
        """Delete these output files and the folders they leave empty."""
        removed = []
        root = self.out.out
        for rel in rels:
            p = root / rel
            try:
                p.unlink()
            except OSError:
                continue
            removed.append(rel)
            parent = p.parent
            while parent != root:
                try:
                    parent.rmdir()  # only succeeds when empty
                except OSError:
                    break
                parent = parent.parent
        return removed

    # ------------------------------------------------------------------ rebuild
    def rebuild(self, on_written: Callable[[list[str], list[str]], None] | None = None,
                should_stop: Callable[[], bool] | None = None) -> Outcome:
        """Bring the output folder up to date; on errors, leave it untouched.

        ``on_written(changed, removed)`` reports progress, each time with what changed since the
        last call: (1) once the edited sources' own pages are written (the page an editor has
        open), when there are such pages and the rest is or may be still to come (an edited
        branch's pages are told before the other pages are looked at); (2) once every page
        and static file is written and pages no longer produced are gone. The machine-readable
        files (search index, sitemap, statistics downloads, processed images) come after.

        ``should_stop()`` is asked once the edited sources' own pages are written, between the
        other pages and between the machine-readable files; when it answers True the rebuild
        returns at once with ``stopped`` set, and the next rebuild does what was left (the first
        complete rebuild of a session also clears the folder of what an earlier run left)."""
        # A full collection walks every object of the model (hundreds of milliseconds on a large
        # site, at random moments): none until the edited page is written. What the rebuild drops
        # is freed by reference counting anyway; cycles wait for the collector a little longer.
        self.gc_paused = bool(self.produced) and gc.isenabled()
        if self.gc_paused:
            gc.disable()
        try:
            return self._rebuild(on_written, should_stop)
        finally:
            self._resume_gc()

    def _resume_gc(self) -> None:
        if self.gc_paused:
            self.gc_paused = False
            gc.enable()

    def _render_rest(self, site: Site, jobs: list[render.Job], stop: Callable[[], bool] | None
                     ) -> tuple[list[str], list[str]]:
        """Render ``jobs``, asking ``stop`` between pieces: (paths that changed, paths rendered).

        Alone, a page is rendered at a time (one page of ten thousand branches takes up to a
        second); with worker processes, in pieces just large enough to be worth a fork each."""
        opts = self.opts
        assert self.env is not None
        if stop is None:
            return writing.render_jobs(opts, self.env, site, jobs, self.out), [j.path for j in jobs]
        least = writing.RENDER_MIN_PARALLEL  # render_jobs uses workers from this many jobs on
        if workers.start_method() != "fork":
            least *= workers.SPAWN_FACTOR
        pieces = len(jobs) // least if opts.workers > 1 and len(jobs) >= least else len(jobs)
        size = -(-len(jobs) // pieces) if pieces else 0
        changed: list[str] = []
        done: list[str] = []
        for at in range(0, len(jobs), size or 1):
            if stop():
                break
            piece = jobs[at : at + size]
            changed += writing.render_jobs(opts, self.env, site, piece, self.out)
            done += [j.path for j in piece]
        return changed, done

    def _keep_stopped(self, fps: dict[str, str], written: set[str], removed: list[str],
                      digests: set[str], fresh_env: bool) -> None:
        """The state after a stopped rebuild: only what was really done counts as done.

        A page counts as up to date only if it was written with its new fingerprint; the
        others keep their old one (or none), so the next rebuild renders them. Pages and files
        no longer produced stay listed until a rebuild removes them."""
        old = self.fingerprints
        kept: dict[str, str] = {}
        for path, fp in fps.items():
            if path in written:
                kept[path] = fp
            else:
                prev = old.get(path)
                if prev is not None:
                    kept[path] = prev
        self.fingerprints = kept
        gone = set(removed)
        self.pages = (self.pages | set(fps)) - gone
        self.produced = (self.produced | self.out.files) - gone
        self.digests = digests  # the edited sources' own pages were written
        self.uncompiled = self.uncompiled or fresh_env

    def _rebuild(self, on_written: Callable[[list[str], list[str]], None] | None,
                 stop: Callable[[], bool] | None) -> Outcome:
        t0 = time.perf_counter()
        opts = self.opts
        report = Report(opts.root)
        site = self._load(report)
        self.first = False
        self.drafts_note = pipeline.drafts_note(site, opts.drafts)
        if not report.ok:
            return Outcome(False, report, seconds=time.perf_counter() - t0)
        root = opts.root
        fresh_env = self._theme(root, site.config.theme)
        assert self.env is not None
        branches, news = pipeline.published(site, opts.drafts)
        validation.prune_nav(site, branches, news, [p for p in site.pages if opts.drafts or not p.draft], report)
        site.pages = [p for p in site.pages if opts.drafts or not p.draft]
        data_fp = fingerprint.site_wide(
            site, opts.drafts, [_file_bytes(root / "data" / n) for n in ("site.yaml", "units.yaml", "metrics.yaml")])
        stats = self._statistics(site, branches)
        pages = render.Pages(site, stats, branches, news, FEATURES)
        # the images stage runs on every rebuild, whatever is rendered: the processed files are
        # part of the site even when no page needs rendering (a save without changes)
        self.prepared = image_process.prepare(root, site, opts.drafts, opts.workers, opts.use_cache, previous=self.prepared)
        media = self._media(root)
        # pages written earlier are trusted to be on disk, unless the folder was emptied meanwhile
        check = not self.produced or not (self.out.out / "index.html").exists()
        fps: dict[str, str] = {}
        templates = self.templates
        assert templates is not None

        def stale(job: render.Job) -> bool:
            fp = fps[job.path] = fingerprint.page(data_fp, templates.fp(job.template), job, media)
            return self.fingerprints.get(job.path) != fp or check and not (self.out.out / job.path).exists()

        # the edited sources' own pages first: the page an editor has open is written soonest
        digests = {d.digest for d in (*site.branches, *site.news, *site.pages)}
        edited = digests - self.digests if self.produced else set()
        own_branches = [b for b in branches if b.digest in edited] if edited else []
        jobs: list[render.Job] | None = None
        if own_branches and not any(d.digest in edited for d in (*news, *site.pages)):
            # a branch page's job needs no other page's: skip the job list of the whole site for now
            own = pages.variants([pages.branch_job(b) for b in own_branches])
        else:
            jobs = list(pages.jobs())
            own = [j for j in jobs if j.kind in ("branch", "news", "page") and j.deps and j.deps[0] in edited]
        first = [j for j in own if stale(j)]
        if len(first) > _SMALL_EDIT:
            self._resume_gc()
        self.out.files = set()
        changed = writing.render_jobs(opts, self.env, site, first, self.out) if first else []
        own_seconds = time.perf_counter() - t0
        self._resume_gc()
        told = 0
        if jobs is None:  # the fast way: tell now, the pages listing the branch follow
            if changed and on_written is not None:
                on_written(sorted(changed), [])
                told = len(changed)
            jobs = list(pages.jobs())
        done = {j.path for j in own}
        rest = [j for j in jobs if j.path not in done and stale(j)]
        if changed and rest and on_written is not None and not told:
            on_written(sorted(changed), [])
            told = len(changed)
        rest_changed, rest_done = self._render_rest(site, rest, stop)
        changed += rest_changed
        for path in (*(j.path for j in first), *rest_done):  # rendered again: read again by the inspect stage
            self.facts.pop(path, None)

        def stopped(written: set[str], removed: list[str], pages_seconds: float | None = None) -> Outcome:
            self._keep_stopped(fps, written, removed, digests, fresh_env)
            now = time.perf_counter() - t0
            return Outcome(True, report, sorted(changed), sorted(removed), len(first) + len(rest_done), now,
                           pages_seconds or now, own_seconds if first else 0.0, stopped=True)

        if len(rest_done) < len(rest):
            changed += copy_static(root, site.config.theme, self.out)  # a few files: the styles stay current
            return stopped({j.path for j in first} | set(rest_done), [])
        self.out.files = set(fps)
        self.out.write(MARKER, MARKER_TEXT)  # kept like any file of the site (the folder may have been emptied)
        changed += copy_static(root, site.config.theme, self.out)
        removed = self._remove(sorted(self.pages - set(fps))) if self.produced else []
        pages_seconds = time.perf_counter() - t0
        if on_written is not None:
            on_written(sorted(changed[told:]), removed)
        files = extra_files(site, stats, jobs, self.env, FEATURES, Run(None, opts.workers, {"search": self.search_memo}))
        try:
            for rel, payload in files:
                if stop is not None and stop():
                    return stopped(set(fps), removed, pages_seconds)
                if self.out.write(rel, payload):
                    changed.append(rel)
        finally:
            files.close()  # (stopped: ends the search index's worker processes now)
        keep = set(self.out.files)
        if not self.swept:  # first complete build: clear whatever an earlier run left in the folder
            removed = self.out.remove_except(keep)
            self.swept = True
        else:  # then only what this session wrote and no longer produces (no walk over the whole folder)
            removed += self._remove(sorted(self.produced - keep - set(removed)))
        self.produced = keep
        self.pages = set(fps)
        self.digests = digests
        self.fingerprints = fps
        self._inspect(site, jobs, report, keep)
        if fresh_env or self.uncompiled:  # pages rendered in worker processes leave this one's templates uncompiled
            self._compile(sorted({j.template for j in jobs}))
            self.uncompiled = False
        return Outcome(report.ok, report, sorted(changed), sorted(removed), len(first) + len(rest),
                       time.perf_counter() - t0, pages_seconds, own_seconds if first else pages_seconds)

    def _inspect(self, site: Site, jobs: list[render.Job], report: Report, files: set[str]) -> None:
        """The inspect stage of ``build`` (links, titles, empty columns, identification tags) on the
        preview's pages, with the same findings: a page not rendered since the last inspection is
        not read again unless a file one of its links resolved to is gone (the search index's files
        are named by content, so the set of files changes with most saves)."""
        gone = self.facts_files - files
        if gone:  # (a file added only resolves more: the checker looks again at what did not resolve)
            self.facts = {p: f for p, f in self.facts.items()
                          if p in files and f.targets is not None and not (f.targets & gone)}
        self.facts_files = set(files)
        assert self.env is not None
        checks.inspect_output(self.out.out, site, jobs, self.env, report, self.opts.root, files, self.facts, targets=True)
