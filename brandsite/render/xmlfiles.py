"""Machine-readable files: sitemap.xml, robots.txt, feed.xml, stats/stats.csv and stats.json."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from brandsite.derive import statistics, stats_export
from brandsite.features.feature import Feature, Run
from brandsite.model.page import Job
from brandsite.model.site import Site
from brandsite.render.pages import absolute


def robots_here(site: Site) -> bool:
    """Whether the site is published at the web root, the only place a robots.txt has any effect
    (in a sub-folder it would be dead weight that suggests a setting that is not there)."""
    return site.config.base_path == "/"


def robots_lines(site: Site) -> list[str]:
    """What the web root's robots.txt needs for a site in a sub-folder (for the check report)."""
    return [f"Sitemap: {absolute(site)('sitemap.xml')}"]


def extra_files(
    site: Site, stats: statistics.Stats, jobs: list[Job], env: Any, features: Sequence[Feature] = (),
    run: Run | None = None,
) -> Iterator[tuple[str, bytes | str]]:
    """Every machine-readable file, one at a time (a consumer may stop early and close it); then
    the features' files (search index, processed images)."""
    units = site.units or {}
    yield "stats/stats.csv", stats_export.to_csv(stats, units)
    yield "stats/stats.json", stats_export.to_json(stats, units)
    to_abs = absolute(site)
    urls = sorted(to_abs(j.path) for j in jobs if j.sitemap)
    yield "sitemap.xml", env.get_template("sitemap.xml").render(urls=urls)
    if robots_here(site):  # crawlers read robots.txt only at the root of a host
        yield "robots.txt", env.get_template("robots.txt").render(site=site.config, sitemap=to_abs("sitemap.xml"))
    news = [j for j in jobs if j.kind == "news" and not j.path.startswith("zh-hant/")]
    if news:
        items = [j.doc for j in news]
        yield "feed.xml", env.get_template("feed.xml").render(
            site=site.config, items=items, abs=to_abs, feed_url=to_abs("feed.xml"), home=to_abs("index.html"),
            updated=max((n.date for n in items), key=lambda d: d.sort_key()),
        )
    run = run or Run()
    for f in features:
        if f.files is not None:
            yield from f.files(site, jobs, run)
