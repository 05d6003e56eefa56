"""Model → pages: the list of every output file and the Jinja environment that renders them.

All links are relative to the page that contains them (``url()``), so ``site/`` works
unchanged in any sub-folder of a court's website. The one exception is ``404.html``,
which a web server shows at arbitrary depths: its links use ``base_path``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2

from brandsite.content.levels import LEVEL_ORDER
from brandsite.derive.statistics import Figure, Stats
from brandsite.features import emblems
from brandsite.features.feature import Feature, extra_pages
from brandsite.model.page import Job
from brandsite.model.site import Branch, Honor, Metric, News, Page, PartialDate, Site, has_honors
from brandsite.render.calls import FastContext
from brandsite.render.depends import Deriver

SHIPPED_THEMES = Path(__file__).resolve().parents[2] / "themes"


def theme_dirs(root: Path, theme: str) -> list[Path]:
    """The site's own theme first, then the shipped theme of that name, then shipped default."""
    dirs = [root / "themes" / theme, SHIPPED_THEMES / theme, SHIPPED_THEMES / "default"]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def make_env(root: Path, theme: str) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d / "templates")) for d in theme_dirs(root, theme)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build renders every page from one version of each template; the preview makes a new
        # environment when a theme file changes. Jinja's check of every template's file on every
        # lookup was 1 % of a cold build.
        auto_reload=False,
    )
    env.context_class = FastContext  # calls into Python without Jinja's generic checks (calls.py)
    env.filters["zh_date"] = lambda d: d.zh if isinstance(d, PartialDate) else f"{d.year}年{d.month}月{d.day}日"
    return env


def bars(rows: list[tuple[str, Figure]]) -> list[dict[str, Any]]:
    """Rows for a bar chart: label, shown text and length as a fraction of the largest value."""
    vals = [f.value.value if f.value is not None else Decimal(0) for _, f in rows]
    top = max(vals, default=Decimal(0)) or Decimal(1)
    return [
        {"label": label, "shown": f.shown, "frac": float(v / top)}
        for (label, f), v in zip(rows, vals, strict=True)
    ]


def series(rows: list[tuple[str, Any]], top: Any = None) -> list[dict[str, Any]]:
    """Chart rows from plain numbers (counts): label, shown text, fraction of ``top`` (default: the largest)."""
    top = top or max((v for _, v in rows), default=0) or 1
    return [{"label": label, "shown": str(v), "frac": float(v) / float(top)} for label, v in rows]


_FIGURE = re.compile(r"^(\D*?)(\d[\d,.]*[万亿]?)(\D*)$")


def figure_parts(shown: str) -> tuple[str, str, str]:
    """"近3000名" → ("近", "3000", "名"): lets a theme set the number large and its qualifier small."""
    m = _FIGURE.match(shown)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", shown, "")


def initial(text: str) -> str:
    """The first letter or digit of a name ("“五心”服务" → "五"): the character on a brand's emblem."""
    return next((c for c in text if unicodedata.category(c)[0] in "LN"), text[:1])


@dataclass(frozen=True)
class UnitMetric:
    """What a unit page is given of a site-wide metric: its definition (``mt.metric`` in the template).

    Not the ``MetricTotal``: that names every branch reporting the metric, and a page depends on
    everything it is given (``depends.py``), so every unit page was rendered again when any
    branch's story changed. The unit's own figure comes beside it."""

    metric: Metric


class Pages:
    """Builds the job list for a validated site."""

    def __init__(self, site: Site, stats: Stats, branches: list[Branch], news: list[News],
                 features: Sequence[Feature] = ()) -> None:
        self.site = site
        self.features = features
        self.stats = stats
        self.branches = branches
        self.news = news
        self.units = site.units or {}
        self.deriver = Deriver(site.tag_slugs)
        self.by_unit: dict[str, list[Branch]] = defaultdict(list)
        self.by_tag: dict[str, list[Branch]] = defaultdict(list)
        for b in branches:
            self.by_unit[b.unit_id].append(b)
            for t in b.tags:
                self.by_tag[site.tag_slugs[t]].append(b)
        self.tag_names: dict[str, str] = {}
        for t, slug in sorted(site.tag_slugs.items()):
            self.tag_names.setdefault(slug, t)
        self.news_by_tag: dict[str, list[News]] = defaultdict(list)
        for n in news:
            for t in n.tags:
                self.news_by_tag[site.tag_slugs[t]].append(n)

    def unit_list(self) -> list[dict[str, Any]]:
        units = sorted((u for u in self.units.values() if self.by_unit.get(u.id)), key=lambda u: u.sort_key)
        return [{"unit": u, "count": len(self.by_unit[u.id])} for u in units]

    def tag_list(self) -> list[dict[str, Any]]:
        tags = sorted(self.by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return [{"slug": s, "name": self.tag_names[s], "count": len(bs)} for s, bs in tags]

    def honor_groups(self) -> list[dict[str, Any]]:
        groups: dict[str, list[tuple[Honor, Branch]]] = defaultdict(list)
        for b in self.branches:
            for h in b.honors:
                if h.own:  # a court's or a person's honor is listed on the branch page only
                    groups[h.level].append((h, b))
        out = []
        for level in LEVEL_ORDER:
            items = sorted(groups.get(level, []), key=lambda hb: (-(hb[0].year or 0), hb[1].sort_key, hb[0].title))
            if items:
                out.append({"level": level, "honors": items})
        return out

    def jobs(self) -> list[Job]:
        """Every page; the features' pages (search) and variants (zh-hant/ twins) included.

        The deriver's memo (every object of the model it reduced, about 6 MiB per 1,000 branches)
        is dropped once the list is made: kept, it stayed in the parent's memory for the whole
        build and was inherited by every render worker."""
        try:
            return extra_pages(self.features, self.site, self, list(self._jobs()))
        finally:
            self.deriver.memo.clear()

    def variants(self, jobs: list[Job]) -> list[Job]:
        """``jobs`` with the features' variants of them (the Traditional twins)."""
        for f in self.features:
            if f.expand is not None:
                jobs = f.expand(self.site, jobs)
        return jobs

    def job(self, path: str, template: str, context: dict[str, Any], title: str, kind: str,
            lang: str = "zh-CN", sitemap: bool = True, doc: Branch | News | Page | None = None) -> Job:
        """A page; what it depends on is derived from ``context`` (``depends.py``), so a new page
        type or a new field in a context cannot be left out of the page's fingerprint."""
        return Job(path, template, context, title, kind, lang, sitemap, deps=self.deriver.deps(context), doc=doc)

    def _jobs(self) -> Iterator[Job]:
        common = {"units_list": self.unit_list(), "tags_list": self.tag_list()}
        yield self.job("index.html", "index.html", {**common, "branches": self.branches, "stats": self.stats,
                                                     "news": self.news[:3]}, self.site.config.title, "home")
        yield self.job("branches/index.html", "branches.html", {**common, "branches": self.branches}, "全部品牌", "list")
        for b in self.branches:
            yield self.branch_job(b)
        if self.units:
            yield self.job("units/index.html", "units.html", common, "参建单位", "list")
        for row in common["units_list"]:
            u = row["unit"]
            members = self.by_unit[u.id]
            figures = [
                (UnitMetric(mt.metric), f) for mt in self.stats.metrics for uid, f in mt.by_unit if uid == u.id
            ]
            yield self.job(f"units/{u.id}/index.html", "unit.html", {"unit": u, "branches": members, "figures": figures},
                           u.name, "unit")
        if common["tags_list"]:
            yield self.job("tags/index.html", "tags.html", common, "主题标签", "list")
        for row in common["tags_list"]:
            members = self.by_tag[row["slug"]]
            tag_news = self.news_by_tag.get(row["slug"], [])
            yield self.job(f"tags/{row['slug']}/index.html", "tag.html",
                           {"tag": row["name"], "branches": members, "news": tag_news},
                           f"标签：{row['name']}", "tag")
        yield self.job("stats/index.html", "stats.html", {"stats": self.stats, "units": self.units,
                                                          "units_list": common["units_list"]}, "成效统计", "stats")
        if has_honors(self.branches):  # no empty column: the page comes with the first honor
            yield self.job("honors/index.html", "honors.html",
                           {"groups": self.honor_groups(), "honors": self.stats.honors}, "荣誉榜", "honors")
        if self.news:
            yield self.job("news/index.html", "news_list.html", {"news": self.news}, "工作动态", "list")
            for n in self.news:
                brand = next((b for b in self.branches if n.branch and b.brand == n.branch), None)
                yield self.job(f"news/{n.slug}/index.html", "news.html", {"item": n, "brand": brand}, n.title, "news",
                               n.lang, doc=n)
        for p in self.site.pages:
            yield self.job(f"{p.slug}/index.html", "page.html", {"item": p}, p.title, "page", p.lang, doc=p)
        yield self.job("404.html", "404.html", {}, "页面未找到", "special", sitemap=False)

    def branch_job(self, b: Branch) -> Job:
        unit = self.units.get(b.unit_id)
        related = list(islice((o for o in self.by_unit.get(b.unit_id, ()) if o is not b), 6))  # (not the whole unit's list)
        # a card's quiet note names the site-wide figure it counts toward (by the stat's line)
        counted = {p.line: mt.metric.name for mt, f in self.branch_figures().get(b.slug, []) if not mt.single
                   for p in f.parts}
        return self.job(b.url + "index.html", "branch.html",
                        {"branch": b, "unit": unit, "related": related, "counted": counted}, b.brand, "branch", b.lang,
                        doc=b)

    def branch_figures(self) -> dict[str, list[tuple[Any, Figure]]]:
        """Branch slug → [(MetricTotal, the branch's Figure)], computed once for all branch pages."""
        if not hasattr(self, "_branch_figures"):
            out: dict[str, list[tuple[Any, Figure]]] = defaultdict(list)
            for mt in self.stats.metrics:
                for o, f in mt.by_branch:
                    out[o.slug].append((mt, f))
            self._branch_figures = out
        return self._branch_figures


def _plain(text: Any, name: str) -> Any:
    return text


def page_context(site: Site, job: Job, features: Sequence[Feature] = ()) -> dict[str, Any]:
    """Globals every template sees; ``url`` makes links relative to this page. The features add
    theirs (``image``, ``alternates``, ``script`` …) and may map where this page's links go."""
    cfg = site.config
    if job.path == "404.html":
        def url(target: str) -> str:
            if "://" in target:
                return target
            t = target + "index.html" if target == "" or target.endswith("/") else target
            return cfg.base_path + t
    else:
        prefix = "../" * job.path.count("/")
        link = next((m for f in features if f.link is not None and (m := f.link(site, job)) is not None), None)

        def url(target: str) -> str:
            # every target is a path from the site root, so the relative form is just "../" × depth
            if "://" in target or target.startswith(("#", "mailto:", "tel:", "//")):
                return target
            path, hash_, frag = target.partition("#")
            if link is not None:
                path = link(path)
            if path == "" or path.endswith("/"):
                path += "index.html"
            return prefix + path + hash_ + frag
    here = job.base_path
    section = here.split("/", 1)[0] if "/" in here else ""
    nav = [
        {"title": n.title, "url": url(n.url), "active": (n.url.rstrip("/") == section) or (n.url == "" and job.kind == "home")}
        for n in cfg.nav
    ]
    return {
        "site": cfg,
        "page": job,
        "url": url,
        "nav": nav,
        "tag_slugs": site.tag_slugs,
        "units": site.units or {},
        "bars": bars,
        "series": series,
        "figure_parts": figure_parts,
        "initial": initial,
        "emblem_of": emblems.lookup(site),
        "keep_script": _plain,  # (the Traditional version keeps some names as written)
        "canonical": (cfg.url + job.path.removesuffix("index.html")) if cfg.url else "",
        **{k: v for f in features if f.context is not None for k, v in f.context(site, job).items()},
        **job.context,
    }


def render_job(env: jinja2.Environment, site: Site, job: Job, features: Sequence[Feature] = ()) -> str:
    html = env.get_template(job.template).render(page_context(site, job, features))
    for f in features:  # each feature's finishing step, in order (images, then the Traditional text)
        if f.finish is not None:
            html = f.finish(site, job, html)
    return html


def absolute(site: Site) -> Callable[[str], str]:
    """Absolute URLs for sitemap and feed (protocols require them); falls back to base_path."""
    base = site.config.url or site.config.base_path
    return lambda path: base + path.removesuffix("index.html")
