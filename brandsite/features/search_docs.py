"""Search documents: what of each published branch, news item and page is indexed.

Apart from the index files (``search.py``) because this is the one place that decides what a
visitor can find: a field left out here is a field search never finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brandsite.model.page import Job
    from brandsite.model.site import Site

@dataclass
class Doc:
    url: str  # site path of the page, e.g. "branches/faguan-mama/"
    kind: str  # branch | news | page
    title: str
    sub: str  # branch name (支部) or the date of a news item
    unit: int  # index into the units list, -1 for none
    tags: list[int]
    #: the branch, news item or free page indexed; its ``body`` is made when asked (in a search
    #: worker): the parent never holds the text of every document at once, and a build keeps the
    #: stories themselves on disk until read (``model/bodies.py``)
    source: Any

    @property
    def body(self) -> str:
        """Summary, story, stats, honors, milestones as plain text."""
        return _BODIES[self.kind](self.source)

    def fields(self, unit_names: list[str], tag_names: list[str], body: str | None = None) -> str:
        """The text that is indexed; search.js rebuilds exactly this string to check a match."""
        unit = unit_names[self.unit] if self.unit >= 0 else ""
        body = self.body if body is None else body
        return "\n".join([self.title, self.sub, unit, " ".join(tag_names[t] for t in self.tags), body])


def _branch_body(b: Any) -> str:
    parts = [b.slogan, b.summary, b.text]
    parts += [f"{s.metric} {s.shown}" for s in b.stats]
    parts += [f"{h.title} {h.by}".strip() for h in b.honors]
    parts += [m.text for m in b.milestones]
    if b.secretary:
        parts.append(f"支部书记 {b.secretary}")
    return "\n".join(p for p in parts if p)


def _news_body(n: Any) -> str:
    return "\n".join(p for p in (n.branch, n.summary, n.text) if p)


_BODIES = {"branch": _branch_body, "news": _news_body, "page": lambda p: p.text}


def collect(site: Site, jobs: list[Job]) -> tuple[list[Doc], list[tuple[str, str]], list[tuple[str, str]]]:
    """Documents of every published branch, news item and free page (Simplified-site jobs)."""
    units = site.units or {}
    unit_ids = sorted(units, key=lambda u: units[u].sort_key)
    unit_ix = {u: i for i, u in enumerate(unit_ids)}
    tag_pairs = sorted({(slug, tag) for tag, slug in site.tag_slugs.items()})
    tag_names: dict[str, str] = {}
    for slug, tag in tag_pairs:
        tag_names.setdefault(slug, tag)
    tag_slugs = sorted(tag_names)
    tag_ix = {s: i for i, s in enumerate(tag_slugs)}
    docs: list[Doc] = []
    for job in jobs:
        if job.path.startswith("zh-hant/"):
            continue
        url = job.path.removesuffix("index.html")
        if job.kind == "branch":
            b = job.doc
            docs.append(Doc(url, "branch", b.brand, b.branch, unit_ix.get(b.unit_id, -1),
                            sorted({tag_ix[site.tag_slugs[t]] for t in b.tags}), b))
        elif job.kind == "news":
            n = job.doc
            docs.append(Doc(url, "news", n.title, n.date.zh, -1,
                            sorted({tag_ix[site.tag_slugs[t]] for t in n.tags}), n))
        elif job.kind == "page":
            p = job.doc
            docs.append(Doc(url, "page", p.title, "", -1, [], p))
    return (docs, [(u, units[u].name) for u in unit_ids], [(s, tag_names[s]) for s in tag_slugs])
