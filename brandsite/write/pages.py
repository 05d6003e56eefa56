"""The render-and-write stage: each page rendered into the output, in worker processes when there are many.

A page is written while its HTML is still in memory, and its link-check facts are taken from
it there too (``checks.Scanner``), so no page is read back from disk. This sits above
``render/`` and ``checks/`` because it runs the features' finishing steps and the scanner on
what it renders; ``build`` writes into a staged folder, ``serve`` in place.
"""

from __future__ import annotations

from typing import Any

from brandsite import checks
from brandsite.core import workers
from brandsite.core.options import Options, tick
from brandsite.core.workers import pool as worker_pool
from brandsite.features import image_process
from brandsite.features.plugins import FEATURES
from brandsite.model.site import Site
from brandsite.render import fingerprint
from brandsite.render import pages as render

#: pages from which rendering is spread over worker processes (when forking; see ``workers.worth``)
RENDER_MIN_PARALLEL = 400


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
                    tick(opts, "生成", done, total)
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
            tick(opts, "生成", i, total)
    tick(opts, "生成", total, total)
    return changed
