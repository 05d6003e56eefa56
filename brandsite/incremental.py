"""Incremental rebuilds for the preview server.

The state between rebuilds is small: each source's stat signature and loaded result, and
each output page's *fingerprint* — a hash of everything the page shows (the digests of the
sources in it, its template with every template it includes or extends, data/ and the
theme's static files). A rebuild reloads only sources whose signature changed, recomputes
the cheap site-wide model (sorting, statistics), and renders only pages whose fingerprint
changed; a file is rewritten only if its bytes differ. The result after any sequence of
edits equals a clean full build, byte for byte (tests check this with random edits).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from . import images, pipeline, publishcheck, render, statistics
from .diagnostics import Diagnostic, Report
from .output import InPlaceOutput
from .statics import copy_static
from .xmlfiles import extra_files


@dataclass
class Outcome:
    ok: bool
    report: Report
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    seconds: float = 0.0
    pages_seconds: float = 0.0  # until every page and static file was written (see ``on_written``)
    own_seconds: float = 0.0  # until the edited sources' own pages were written

    @property
    def css_only(self) -> bool:
        return bool(self.changed) and not self.removed and all(p.endswith(".css") for p in self.changed)


def _signature(p: Path) -> tuple[int, int, int] | None:
    try:
        st = p.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _hash(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _file_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError:
        return b""


class Incremental:
    def __init__(self, opts: pipeline.Options) -> None:
        self.opts = opts
        assert opts.out is not None
        self.out = InPlaceOutput(opts.out)
        self.memo: dict[Path, tuple[tuple[int, int, int] | None, str, int, tuple[Any, list[Diagnostic]]]] = {}
        self.fingerprints: dict[str, str] = {}
        self.produced: set[str] = set()
        self.theme_sig: str = ""
        self.env: jinja2.Environment | None = None
        self.template_fps: dict[str, str] = {}
        self.first = True
        self.pages: set[str] = set()  # page paths of the last good build
        self.digests: set[str] = set()  # source digests of the last good build
        self.scanned: dict[Path, list[Diagnostic]] = {}  # text-scan findings per source file
        self.rules_sig = ""  # data/terms.yaml and data/pii.yaml as last scanned with

    # ------------------------------------------------------------------ sources
    def _load(self, report: Report) -> Any:
        opts = self.opts
        loaded = pipeline.load_data(opts.root, report)
        summary_length = loaded[0].summary_length
        sources = pipeline.list_sources(opts, report)
        results: list[Any] = [None] * len(sources)
        stale: list[int] = []
        sigs = [_signature(p) for _, p in sources]  # taken *before* reading: a save during the read is seen next time
        for i, (kind, p) in enumerate(sources):
            sig = sigs[i]
            got = self.memo.get(p)
            if got is not None and sig is not None and got[0] == sig and got[1] == kind and got[2] == summary_length:
                results[i] = got[3]
            else:
                stale.append(i)
        cache = pipeline.cache_mod.RenderCache(opts.root, enabled=opts.use_cache) if self.first else None
        if stale:
            fresh = pipeline.load_sources(opts, report, [sources[i] for i in stale], summary_length, cache=cache)
            for i, got in zip(stale, fresh, strict=True):
                kind, p = sources[i]
                results[i] = got
                self.memo[p] = (sigs[i], kind, summary_length, got)
        self._scan(report, sources, {sources[i][1] for i in stale}, cache)
        if cache is not None:  # write what the first build parsed, so the next start is warm
            cache.close(cache.keep)
        live = {p for _, p in sources}
        for p in list(self.memo):
            if p not in live:
                del self.memo[p]
        return pipeline.assemble(report, loaded, sources, results)

    def _scan(self, report: Report, sources: list[tuple[str, Path]], stale: set[Path], cache: Any) -> None:
        """Personal information and wrong formulations, as ``build`` checks them.

        Only sources whose file changed are scanned again (all of them when a rule file
        changed); data/*.yaml is always scanned. Remembered findings are added unchanged."""
        opts = self.opts
        rules = _hash([_file_bytes(opts.root / f) for f in (publishcheck.TERMS_FILE, publishcheck.PII_FILE)])
        if rules != self.rules_sig:
            self.scanned, self.rules_sig = {}, rules
        todo = [(k, p) for k, p in sources if p in stale or p not in self.scanned]
        found = Report(opts.root)
        publishcheck.scan_sources(opts.root, found, todo, cache, True, opts.workers)
        paths = {found.rel(p): p for _, p in todo}
        fresh: dict[Path, list[Diagnostic]] = {p: [] for _, p in todo}
        other: list[Diagnostic] = []
        for d in found.items:
            p = paths.get(d.path)
            (fresh[p] if p is not None else other).append(d)
        self.scanned.update(fresh)
        live = {p for _, p in sources}
        for p in [p for p in self.scanned if p not in live]:
            del self.scanned[p]
        for _, p in sources:
            report.extend(self.scanned[p])
        report.extend(other)

    # ------------------------------------------------------------------ theme
    def _theme(self, root: Path, theme: str) -> str:
        """Signature of every template and static file; rebuilds the environment when it changes."""
        parts = []
        for d in render.theme_dirs(root, theme):
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    parts.append((str(p), _signature(p)))
        sig = _hash(parts)
        if sig != self.theme_sig or self.env is None:
            self.env = render.make_env(root, theme)
            self.template_fps = {}
            self.theme_sig = sig
        return sig

    def _template_fp(self, name: str, seen: frozenset[str] = frozenset()) -> str:
        """Hash of a template's source and, recursively, of every template it references."""
        if name in self.template_fps:
            return self.template_fps[name]
        assert self.env is not None and self.env.loader is not None
        source, _, _ = self.env.loader.get_source(self.env, name)
        refs = sorted(r for r in meta.find_referenced_templates(self.env.parse(source)) if r)
        fp = _hash(name, source, [self._template_fp(r, seen | {name}) for r in refs if r not in seen | {name}])
        self.template_fps[name] = fp
        return fp

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

    def _media(self, root: Path, site: Any) -> dict[str, str]:
        """Source digest → signature of the image files it shows (cover and Markdown images).

        Processed images are named by content hash, so a photo replaced under the same name
        changes every page that shows it although no source text changed."""
        out: dict[str, str] = {}
        for doc in (*site.branches, *site.news, *site.pages):
            refs = [doc.cover] if getattr(doc, "cover", "") else []
            if "<img" in doc.html:
                refs += [src for src, _alt, _tag in images.html_refs(doc.html)
                         if not images.is_external(src) and not src.startswith("/")]
            if refs:
                path = root / doc.path
                out[doc.digest] = _hash([(r, _signature(images.resolve(path, r))) for r in refs])
        return out

    # ------------------------------------------------------------------ rebuild
    def rebuild(self, on_written: Callable[[list[str], list[str]], None] | None = None) -> Outcome:
        """Bring the output folder up to date; on errors, leave it untouched.

        ``on_written(changed, removed)`` reports progress, each time with what changed since the
        last call: (1) once the edited sources' own pages are written (the page an editor has
        open), when there are such pages and the rest is still to come; (2) once every page
        and static file is written and pages no longer produced are gone. The machine-readable
        files (search index, sitemap, statistics downloads, processed images) come after."""
        t0 = time.perf_counter()
        opts = self.opts
        report = Report(opts.root)
        site = self._load(report)
        self.first = False
        if not report.ok:
            return Outcome(False, report, seconds=time.perf_counter() - t0)
        root = opts.root
        self._theme(root, site.config.theme)
        assert self.env is not None
        data_fp = _hash(
            [_file_bytes(root / "data" / n) for n in ("site.yaml", "units.yaml", "metrics.yaml")],
            opts.drafts,
        )
        site.pages = [p for p in site.pages if opts.drafts or not p.draft]
        branches, news = pipeline.published(site, opts.drafts)
        stats = statistics.compute(site, branches)
        jobs = list(render.Pages(site, stats, branches, news).jobs())
        media = self._media(root, site)
        todo: list[render.Job] = []
        fps: dict[str, str] = {}
        # pages written earlier are trusted to be on disk, unless the folder was emptied meanwhile
        check = not self.produced or not (self.out.out / "index.html").exists()
        for job in jobs:
            shown = [media[d] for d in job.deps if d in media] if media else None
            fp = _hash(data_fp, self._template_fp(job.template), job.path, job.title, job.lang, job.deps, shown)
            fps[job.path] = fp
            if self.fingerprints.get(job.path) != fp or check and not (self.out.out / job.path).exists():
                todo.append(job)
        # the edited sources' own pages first: the page an editor has open is written soonest
        digests = {d.digest for d in (*site.branches, *site.news, *site.pages)}
        edited = digests - self.digests if self.produced else set()
        first = [j for j in todo if j.kind in ("branch", "news", "page") and j.deps and j.deps[0] in edited]
        rest = [j for j in todo if not (j.kind in ("branch", "news", "page") and j.deps and j.deps[0] in edited)]
        self.out.files = set()
        changed = pipeline.render_jobs(opts, self.env, site, first, self.out) if first else []
        own_seconds = time.perf_counter() - t0
        if changed and rest and on_written is not None:
            on_written(sorted(changed), [])
        told = len(changed) if rest else 0
        changed += pipeline.render_jobs(opts, self.env, site, rest, self.out)
        self.out.files = set(fps)
        changed += copy_static(root, site.config.theme, self.out)
        removed = self._remove(sorted(self.pages - set(fps))) if self.produced else []
        pages_seconds = time.perf_counter() - t0
        if on_written is not None:
            on_written(sorted(changed[told:]), removed)
        for rel, payload in extra_files(site, stats, jobs, self.env):
            if self.out.write(rel, payload):
                changed.append(rel)
        keep = set(self.out.files)
        if not self.produced:  # first good build: clear whatever an earlier run left in the folder
            removed = self.out.remove_except(keep)
        else:  # then only what this session wrote and no longer produces (no walk over the whole folder)
            removed += self._remove(sorted(self.produced - keep - set(removed)))
        self.produced = keep
        self.pages = set(fps)
        self.digests = digests
        self.fingerprints = fps
        return Outcome(True, report, sorted(changed), sorted(removed), len(todo), time.perf_counter() - t0,
                       pages_seconds, own_seconds if first else pages_seconds)
