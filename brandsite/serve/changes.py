"""What changed since the preview's last rebuild, and what can be reused because it did not.

Saving a file should show its page within a blink (issue 3: under 100 ms on a site of
1,000 branches), so the preview remembers each source's stat signature and loaded result and
reloads only sources whose signature changed; the cross-file checks
(:class:`validation.Checked`) and the statistics (:func:`statistics.rebind`) are remembered with
the :func:`validation.inputs` and :func:`statistics.inputs` of every file, which a story edit
does not change, and replayed; personal-information and formulation scans run only on the files
that changed. The theme and the image files a source shows are compared by signature too.
:class:`Changes` holds these steps; :class:`brandsite.serve.incremental.Incremental` owns the
state they keep (set up in its ``__init__``) and runs the rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from brandsite import pipeline
from brandsite.checks import publishcheck
from brandsite.content import listing, reading
from brandsite.core import cache as cache_mod
from brandsite.core.diagnostics import Diagnostic, Report
from brandsite.derive import statistics, validation
from brandsite.features import image_check, image_refs
from brandsite.model.site import Branch, Site
from brandsite.render import pages as render
from brandsite.render.fingerprint import Templates, signature
from brandsite.render.fingerprint import digest as _hash

#: A save of up to this many files (or pages to render first) keeps the garbage collector paused until
#: the edited pages are written. More may fork worker processes, which must not inherit a paused
#: collector, and take long enough that a collection no longer matters.
_SMALL_EDIT = 8


class _Source(NamedTuple):
    """One source as last loaded, with what the site-wide steps read of it."""

    sig: tuple[int, int, int] | None
    kind: str
    summary_length: int
    result: tuple[Any, list[Diagnostic]]
    check_inputs: tuple[object, ...] | None  # validation.inputs of the object (None: it did not load)
    stats_inputs: tuple[object, ...] | None  # statistics.inputs, for branches
    pictured: bool  # whether image_check.check has anything to look at in it (a cover or an <img>)
    images: tuple[str, ...]  # the image files it shows, as written (cover and Markdown images)


def _source(sig: tuple[int, int, int] | None, kind: str, summary_length: int,
            result: tuple[Any, list[Diagnostic]]) -> _Source:
    obj = result[0]
    if obj is None:
        return _Source(sig, kind, summary_length, result, None, None, False, ())
    pictured = bool(getattr(obj, "cover", "")) or "<img" in obj.html
    return _Source(sig, kind, summary_length, result, validation.inputs(obj),
                   statistics.inputs(obj) if isinstance(obj, Branch) else None, pictured, tuple(image_refs.shown(obj)))


def _file_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError:
        return b""


class Changes:
    """The change-detecting steps of :class:`~brandsite.serve.incremental.Incremental`: loading,
    cross-file checks, statistics and scans of what changed; the theme; the images shown."""

    opts: pipeline.Options
    memo: dict[str, _Source]
    first: bool
    scanned: dict[str, list[Diagnostic]]
    rules_sig: str
    checked: tuple[tuple[object, ...], validation.Checked] | None
    stats: tuple[tuple[object, ...], statistics.Stats] | None
    figures: statistics.FigureMemo
    stats_inputs: dict[int, tuple[object, ...]]
    shown_images: list[tuple[str, str, tuple[str, ...]]]
    theme_sig: str
    env: jinja2.Environment | None
    templates: Templates | None
    _resume_gc: Callable[[], None]

    # ------------------------------------------------------------------ sources
    def _load(self, report: Report) -> Site:
        opts = self.opts
        loaded = reading.load_data(opts.root, report)
        summary_length = loaded[0].summary_length
        sources = listing.list_sources(opts, report)
        # remembered by the path as text: Path objects hash and compare in Python, ten thousand times a save
        names = [str(p) for _, p in sources]
        sigs = [signature(n) for n in names]  # taken *before* reading: a save during the read is seen next time
        entries: list[_Source | None] = [None] * len(sources)
        stale: list[int] = []
        memo = self.memo
        for i, name in enumerate(names):
            got = memo.get(name)
            sig = sigs[i]
            if (got is not None and sig is not None and got.sig == sig and got.kind == sources[i][0]
                    and got.summary_length == summary_length):
                entries[i] = got
            else:
                stale.append(i)
        cache = cache_mod.RenderCache(opts.root, enabled=opts.use_cache) if self.first else None
        if len(stale) > _SMALL_EDIT:
            self._resume_gc()
        if stale:
            fresh = reading.load_sources(opts, report, [sources[i] for i in stale], summary_length, cache=cache)
            for i, result in zip(stale, fresh, strict=True):
                entries[i] = memo[names[i]] = _source(sigs[i], sources[i][0], summary_length, result)
        self._scan(report, sources, names, {names[i] for i in stale}, cache, loaded[0].publish)
        if cache is not None:  # write what the first build parsed, so the next start is warm
            cache.close()  # evicting is build's job: the preview keeps what build cached (search index…)
        if len(memo) > len(sources):  # (equal sizes: every remembered source is still there)
            live = set(names)
            for name in [n for n in memo if n not in live]:
                del memo[name]
        return self._assemble(report, loaded, [e for e in entries if e is not None])

    def _assemble(self, report: Report, loaded: tuple[Any, Any, Any], entries: list[_Source]) -> Site:
        """``pipeline.assemble``, replaying the cross-file checks when nothing they read changed.

        Keep the findings in the order ``pipeline.assemble`` gives them."""
        cfg, units, metrics = loaded
        site = reading.collect(report, loaded, ((e.kind, e.result) for e in entries))
        entry = {id(e.result[0]): e for e in entries if e.result[0] is not None}
        branches = [(b, entry[id(b)]) for b in site.branches]
        news = [(n, entry[id(n)]) for n in site.news]
        pages = [(p, entry[id(p)]) for p in site.pages]
        key = (units, metrics, *(e.check_inputs for _, e in branches), None, *(e.check_inputs for _, e in news),
               None, *(e.check_inputs for _, e in pages), site.unreadable)
        if self.checked is not None and self.checked[0] == key:
            self.checked[1].replay(site, report)
        else:
            self.checked = (key, validation.Checked.run(site, report))
        self.stats_inputs = {id(b): e.stats_inputs for b, e in branches if e.stats_inputs is not None}
        # image_check.check skips every source without a cover or an <img>: hand it only the others
        with_images = Site(cfg, units, metrics, *([d for d, e in group if e.pictured] for group in (branches, news, pages)))
        image_check.check(with_images, report)
        self.shown_images = [(d.path, d.digest, e.images) for group in (branches, news, pages) for d, e in group if e.images]
        return site

    def _statistics(self, site: Site, branches: list[Branch]) -> statistics.Stats:
        """``statistics.compute``, or the last result (rebound to these objects) when nothing it reads changed."""
        key = (site.units, site.metrics, *(self.stats_inputs[id(b)] for b in branches))
        if self.stats is not None and self.stats[0] == key:
            return statistics.rebind(self.stats[1], branches)
        stats = statistics.compute(site, branches, self.figures)
        self.stats = (key, stats)
        return stats

    def _scan(self, report: Report, sources: list[tuple[str, Path]], names: list[str], stale: set[str],
              cache: Any, publish: bool = False) -> None:
        """Personal information and wrong formulations, as ``build`` checks them.

        Only sources whose file changed are scanned again (all of them when a rule file
        changed); data/*.yaml is always scanned. Remembered findings are added unchanged.
        ``names`` are the sources' paths as text, ``stale`` those of the files that changed."""
        opts = self.opts
        rules = _hash([_file_bytes(opts.root / f) for f in (publishcheck.TERMS_FILE, publishcheck.PII_FILE)])
        if rules != self.rules_sig:
            self.scanned, self.rules_sig = {}, rules
        scanned = self.scanned
        todo = [(src, name) for src, name in zip(sources, names, strict=True) if name in stale or name not in scanned]
        if len(todo) > _SMALL_EDIT:  # (a rule changed: every file again)
            self._resume_gc()
        found = Report(opts.root)
        publishcheck.scan_sources(opts.root, found, [src for src, _ in todo], cache, True, opts.workers,
                                  publish=publish)
        paths = {found.rel(p): name for (_, p), name in todo}
        fresh: dict[str, list[Diagnostic]] = {name: [] for _, name in todo}
        other: list[Diagnostic] = []
        for d in found.items:
            name = paths.get(d.path)
            (fresh[name] if name is not None else other).append(d)
        scanned.update(fresh)
        if len(scanned) > len(names):  # (equal sizes: every remembered file is still there)
            live = set(names)
            for name in [n for n in scanned if n not in live]:
                del scanned[name]
        for name in names:
            got = scanned[name]
            if got:
                report.extend(got)
        report.extend(other)

    # ------------------------------------------------------------------ theme
    def _theme(self, root: Path, theme: str) -> bool:
        """Rebuilds the environment when a template or static file changed; True if it did."""
        parts = []
        for d in render.theme_dirs(root, theme):
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    parts.append((str(p), signature(p)))
        sig = _hash(parts)
        if sig != self.theme_sig or self.env is None:
            self.env = render.make_env(root, theme)
            self.templates = Templates(self.env)
            self.theme_sig = sig
            return True
        return False

    def _media(self, root: Path) -> dict[str, tuple[object, ...]]:
        """Source digest → signature of the image files it shows (cover and Markdown images).

        Processed images are named by content hash, so a photo replaced under the same name
        changes every page that shows it although no source text changed. Which images a
        source shows is read when it is loaded; the files are looked at each time."""
        return {digest: tuple((r, signature(image_refs.resolve(root / path, r))) for r in refs)
                for path, digest, refs in self.shown_images}
