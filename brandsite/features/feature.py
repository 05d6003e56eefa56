"""How a feature plugs into the pipeline: one small record of optional hooks.

The search index, the Traditional version and the processed images are features: the
renderer does not import them, it runs the hooks of the features it is handed (see
``plugins.FEATURES``, the one list of them). A hook left out does nothing.

* ``pages(site, pages)``: extra pages, made with the page builder's ``job`` (the search page);
* ``expand(site, jobs)``: the page list with variants added (Traditional twins);
* ``context(site, job)``: template globals for one page (``image``, ``alternates`` …);
* ``link(site, job)``: how this page's links map site paths (a twin links to twins), or None;
* ``finish(site, job, html)``: the rendered page as written (images replaced, text converted);
* ``files(site, jobs, run)``: extra output files, as (site path, bytes or text), one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from brandsite.model.page import Job
from brandsite.model.site import Site


@dataclass
class Run:
    """What the ``files`` hooks may use of the run that calls them."""

    cache: Any = None  # the render cache (``build``), or None
    workers: int = 1
    #: per feature name, what the feature keeps between the preview's rebuilds
    memo: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Feature:
    name: str
    pages: Callable[[Site, Any], Iterable[Job]] | None = None
    expand: Callable[[Site, list[Job]], list[Job]] | None = None
    context: Callable[[Site, Job], dict[str, Any]] | None = None
    link: Callable[[Site, Job], Callable[[str], str] | None] | None = None
    finish: Callable[[Site, Job, str], str] | None = None
    files: Callable[[Site, list[Job], Run], Iterator[tuple[str, bytes | str]]] | None = None


def extra_pages(features: Iterable[Feature], site: Site, pages: Any, jobs: list[Job]) -> list[Job]:
    """``jobs`` with every feature's pages, then every feature's variants."""
    jobs = [*jobs, *(j for f in features if f.pages is not None for j in f.pages(site, pages))]
    for f in features:
        if f.expand is not None:
            jobs = f.expand(site, jobs)
    return jobs
