"""The load stage: every source file → its model object and findings, from the cache or the loaders.

Per-file work (decode, YAML, schema, Markdown) is cached by content hash and, on a cold build,
spread over all cores in worker processes (``loading.LOADERS`` are pure functions of one file);
``collect`` then puts the results into a site in display order.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandsite.content import data
from brandsite.content.loading import LOADERS
from brandsite.core import cache as cache_mod
from brandsite.core import workers
from brandsite.core.diagnostics import Diagnostic, Report
from brandsite.core.options import Options, tick
from brandsite.core.workers import pool as worker_pool
from brandsite.model import bodies
from brandsite.model.site import Branch, News, Page, Site

_MIN_PARALLEL = 200


def _load_one(job: tuple[str, str, str, int]) -> tuple[Any, list[Diagnostic]]:
    kind, path, root, summary_length = job
    return LOADERS[kind](Path(path), Path(root), summary_length)


def _load_pickled(job: tuple[str, str, str, int]) -> bytes:
    """``_load_one`` in a worker, pickled there once: the parent stores these bytes in the render
    cache as they are. Pickling the parent's copy instead gave each of its model objects a
    ``__dict__`` that CPython otherwise never creates (about 15 MiB per 1,000 branches, kept for
    the whole build), and cost the parent a second pickling pass."""
    return pickle.dumps(_load_one(job), protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class SideTask:
    """A second per-file task run in the same worker pass as the loaders. The publishing checks'
    text scan rides along this way: one pool over the files instead of a second pool after it.

    ``task((path, rel))`` is a module-level function that finds ``shared`` in ``workers.SHARED``
    (so it pickles by name under spawn); ``results`` gets its result for each file loaded in a
    worker. Files loaded otherwise (from the cache, or in one process) get none: the task's owner
    does those itself."""

    task: Callable[[tuple[str, str]], Any]
    shared: dict[str, Any]
    results: dict[Path, Any] = field(default_factory=dict)


def _load_with_side(job: tuple[tuple[str, str, str, int], str]) -> tuple[bytes, Any]:
    load_job, rel = job
    return _load_pickled(load_job), workers.SHARED["side"]((load_job[1], rel))


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
    side: SideTask | None = None,
    spool: bodies.Spool | None = None,
) -> list[tuple[Any, list[Diagnostic]]]:
    """Per-file results, from the cache or computed (in parallel when there are many).

    ``digests`` receives each readable file's content hash (the publishing checks reuse them).
    When the files are loaded in workers, ``side``'s task runs on each of them in the same pass
    (:class:`SideTask`).
    With a ``spool``, each story's HTML and text go into it as soon as its result arrives
    (``model/bodies.py``), so that the parent never holds them all at once."""
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
    tick(opts, "读取", len(sources) - len(missing), len(sources))
    cached_by_workers = opts.workers > 1 and workers.worth(len(jobs), _MIN_PARALLEL)
    if cached_by_workers:
        task: Callable[[Any], Any] = _load_pickled
        items: list[Any] = jobs
        shared: dict[str, Any] | None = None
        if side is not None:
            task, shared = _load_with_side, {**side.shared, "side": side.task}
            items = [(job, report.rel(sources[i][1])) for i, job in zip(missing, jobs, strict=True)]
        _before_fork()
        with worker_pool(opts.workers, shared=shared) as pool:
            chunk = max(8, len(jobs) // (opts.workers * 8))
            for n, (i, got) in enumerate(zip(missing, pool.map(task, items, chunksize=chunk), strict=True)):
                if side is not None:
                    blob, side.results[sources[i][1]] = got
                else:
                    blob = got
                results[i] = pickle.loads(blob)
                if spool is not None:
                    _spool(results[i], spool)
                if cache is not None:
                    cache.put_pickled(keys[i], blob)
                if n % 100 == 0:
                    tick(opts, "读取", len(sources) - len(missing) + n, len(sources))
    else:
        for n, (i, job) in enumerate(zip(missing, jobs, strict=True)):
            results[i] = _load_one(job)
            if n % 100 == 0:
                tick(opts, "读取", len(sources) - len(missing) + n, len(sources))
    if cache is not None:
        if not cached_by_workers:
            for i in missing:
                cache.put(keys[i], results[i])
        cache.flush()
        cache.keep = set(keys)
    if spool is not None:  # the cache's hits and the one-process path (spooled after the cache pickled them)
        for r in results:
            _spool(r, spool)
    return [r for r in results if r is not None]


def _before_fork() -> None:
    """Import what the loaders may need (segmenter, pinyin, both OpenCC tables) in the parent,
    which needs them too: imported lazily in each forked worker instead, each of them would pay
    for its own copy (about 0.3 CPU s per worker)."""
    from brandsite.core import script
    from brandsite.model import slugs

    slugs.preload()
    script.preload()


def _spool(result: tuple[Any, list[Diagnostic]] | None, spool: bodies.Spool) -> None:
    if result is not None and isinstance(result[0], bodies.Spooled):
        bodies.spool([result[0]], spool)


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
