"""Checks that need more than one file: references, uniqueness, the metrics vocabulary.

The preview (``serve``) runs these checks after every save; since most saves change a story
and nothing these checks read, it replays an earlier :class:`Checked` when :func:`inputs`
of every file (and the vocabulary and units) are unchanged.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from brandsite.core.diagnostics import Diagnostic, Report
from brandsite.core.script import fold
from brandsite.model.site import Branch, News, Page, Site, has_honors
from brandsite.model.slugs import slugify
from brandsite.model.totals import never_summed

#: top-level folders the generator writes; a free page may not take their name
RESERVED = {"branches", "units", "tags", "stats", "honors", "news", "search", "assets", "static", "zh-hant", "media",
            "pagefind", "index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt"}


def metric_index(site: Site) -> dict[str, str]:
    """Folded name or alias → vocabulary name (the one place metric names are resolved)."""
    index: dict[str, str] = {}
    for m in site.metrics.values():
        for word in (m.name, *m.aliases):
            index.setdefault(fold(word), m.name)
    return index


def _is_rate(word: str) -> bool:
    """A rate, share or average (结案率, 满意度, 占比, 年均…): never the same measure as a count."""
    return word.endswith(("率", "度", "比")) or "%" in word or "均" in word


def near_word(written: str, words: Iterable[str]) -> str | None:
    """The one word of ``words`` that ``written`` is most likely a slip for, or None.

    A "did you mean" that names an unrelated metric (办结案件占比 → 结案) makes an editor count a
    figure as something it is not, so only close forms qualify: at most one changed character per
    three of the shorter word (满意率 → 满意度, but 结案 is not 立案), or the word itself with a
    short qualifier added (普法宣传活动 → 普法宣传) that does not turn a count into a rate
    (出庭应诉 is not 出庭应诉率). Ties go to the first word in sorted order."""
    from rapidfuzz.distance import Levenshtein  # (only a misspelt name pays for the import)

    w = fold(written)
    best: tuple[int, str] | None = None
    for word in sorted(words):
        short, long_ = sorted((w, word), key=len)
        d = Levenshtein.distance(w, word)
        if _is_rate(w) != _is_rate(word):
            continue  # a rate and a count are never the same measure
        qualified = len(short) >= 3 and short in long_ and len(long_) - len(short) <= 2
        if (d <= len(short) // 3 or qualified) and (best is None or d < best[0]):
            best = (d, word)
    return best[1] if best else None


def cross_check(site: Site, report: Report) -> None:
    _check_units(site, report)
    _check_unique(site, report)
    _resolve_metrics(site, report)
    _check_news(site, report)
    _check_pages(site, report)
    site.tag_slugs = _tag_slugs(site)


def inputs(doc: Branch | News | Page) -> tuple[object, ...]:
    """Every field of one file that :func:`cross_check` reads, and nothing else.

    Equal inputs for every file (in the same order) and equal ``site.units`` and ``site.metrics``
    give the same findings, stat keys and tag slugs: a check that reads another field must
    add it here, or the preview would replay stale findings."""
    if isinstance(doc, Branch):
        stats = tuple((s.metric, s.line, s.value, s.shown) for s in doc.stats)
        return ("branch", doc.path, doc.slug, doc.slug_line, doc.brand, doc.unit_id, doc.unit_line, tuple(doc.tags),
                stats)
    if isinstance(doc, News):
        return ("news", doc.path, doc.slug, doc.branch, doc.branch_line, tuple(doc.tags))
    return ("page", doc.path, doc.slug)


@dataclass(frozen=True)
class Checked:
    """What :func:`cross_check` did to one site: its findings and what it set on the model."""

    diagnostics: tuple[Diagnostic, ...]
    stat_keys: tuple[tuple[str | None, ...], ...]  # per branch, in site order: each stat's vocabulary entry
    tag_slugs: tuple[tuple[str, str], ...]

    @classmethod
    def run(cls, site: Site, report: Report) -> Checked:
        """``cross_check(site, report)``, remembering what it did so that it can be replayed."""
        found = Report(report.root)
        cross_check(site, found)
        report.extend(found)
        return cls(tuple(found.items), tuple(tuple(s.key for s in b.stats) for b in site.branches),
                   tuple(site.tag_slugs.items()))

    def replay(self, site: Site, report: Report) -> None:
        """The effect of ``cross_check`` on a site whose :func:`inputs` equal those of the checked one."""
        report.extend(list(self.diagnostics))
        for b, keys in zip(site.branches, self.stat_keys, strict=True):
            for s, key in zip(b.stats, keys, strict=True):
                s.key = key
        site.tag_slugs = dict(self.tag_slugs)


def _check_units(site: Site, report: Report) -> None:
    if site.units is None:
        return
    for b in site.branches:
        if not b.unit_id:
            report.error(b.path, b.unit_line, "缺少所属单位 unit：data/units.yaml 存在时每个品牌都要填写单位 id", "unit")
        elif b.unit_id not in site.units:
            close = difflib.get_close_matches(b.unit_id, list(site.units), n=1)
            tip = f"，是不是“{close[0]}”？" if close else f"。可用的 id：{'、'.join(sorted(site.units))}"
            report.error(b.path, b.unit_line, f"单位 id“{b.unit_id}”在 data/units.yaml 中不存在{tip}", "unit")


def _check_unique(site: Site, report: Report) -> None:
    by_slug: dict[str, Branch] = {}
    by_brand: dict[str, Branch] = {}
    for b in sorted(site.branches, key=lambda b: b.path):
        first = by_slug.get(b.slug)
        if first is not None:
            if fold(first.brand) == fold(b.brand):
                report.error(
                    b.path, b.slug_line,
                    f"“{b.brand}”与 {first.path} 的“{first.brand}”是同一品牌（简繁体写法不同），网址名都是“{b.slug}”："
                    "同一品牌只保留一个文件，请删除或合并其中一个",
                    "slug-duplicate",
                )
                continue
            report.error(
                b.path,
                b.slug_line,
                f"网址名“{b.slug}”与 {first.path} 重复（“{first.brand}”与“{b.brand}”拼音相同）：请为其中一个填写不同的 slug",
                "slug-duplicate",
            )
        else:
            by_slug[b.slug] = b
        other = by_brand.get(fold(b.brand))
        if other is not None and other.slug != b.slug:
            report.error(b.path, b.slug_line, f"品牌“{b.brand}”与 {other.path} 的“{other.brand}”是同一名称（简繁体不同）：同一品牌只保留一个文件，请删除或合并其中一个", "brand-duplicate")
        by_brand.setdefault(fold(b.brand), b)


def _resolve_metrics(site: Site, report: Report) -> None:
    index = metric_index(site)
    free_units: dict[str, tuple[str | None, str, int]] = {}
    percent_kind: dict[str, bool] = {}  # metrics without a unit: the first value decides
    for b in site.branches:
        for s in b.stats:
            s.key = None  # objects may come from the cache of an earlier vocabulary
            name = index.get(fold(s.metric))
            if name is not None:
                m = site.metrics[name]
                s.key = name
                unit = s.value.unit
                if m.unit and unit and unit != m.unit and unit not in m.unit_aliases:
                    also = f"（或同义单位 {'、'.join(m.unit_aliases)}）" if m.unit_aliases else ""
                    report.error(
                        b.path, s.line,
                        f"指标“{s.metric}”在 data/metrics.yaml 中的单位是“{m.unit}”{also}，这里写的是“{unit}”：请统一单位，"
                        f"或在 data/metrics.yaml 的 {name} 下加上 unit_aliases: [{unit}]",
                        "metric-unit",
                    )
                why = never_summed(s.metric, None)
                if why and m.total == "sum":
                    report.error(
                        b.path, s.line,
                        f"“{s.metric}”{why}，不能计入要相加的指标“{name}”：请换一个指标名称（不计入合计），"
                        "或在 data/metrics.yaml 中为它另设 total: latest 的指标",
                        "metric-kind",
                    )
                is_pct = s.value.qualifier.value == "percent"
                expect_pct = m.unit == "%" if m.unit else percent_kind.setdefault(name, is_pct)
                if expect_pct != is_pct:
                    fix = f"请写成百分数，如 {s.value.written}%" if expect_pct else "请写成数量，不要用 %"
                    report.error(b.path, s.line, f"指标“{name}”{'是' if expect_pct else '不是'}百分比，这里的数值“{s.shown}”与之不符：{fix}",
                                 "metric-unit")
                continue
            key = fold(s.metric)
            unit = s.value.unit
            seen = free_units.get(key)
            if seen is None:
                free_units[key] = (unit, b.path, s.line)
            elif seen[0] != unit:
                report.error(
                    b.path, s.line,
                    f"指标“{s.metric}”的单位“{unit or '（无）'}”与 {seen[1]}:{seen[2]} 的“{seen[0] or '（无）'}”不同：同一指标只能用一种单位",
                    "metric-unit",
                )
            near = near_word(s.metric, index)
            tip = f"；是否指“{index[near]}”？" if near else "；如需计入全站合计，请在 data/metrics.yaml 中加入或设为别名"
            report.warning(b.path, s.line, f"指标“{s.metric}”不在统计口径中，只在本品牌页显示、不计入合计{tip}", "metric-free")


def _check_news(site: Site, report: Report) -> None:
    brands = {fold(b.brand): b for b in site.branches}
    seen: dict[str, str] = {}
    for n in site.news:
        if n.branch and fold(n.branch) not in brands and site.unreadable:
            report.warning(n.path, n.branch_line, f"无法核对：{'、'.join(site.unreadable)} 有错误（相关品牌“{n.branch}”可能在其中），"
                           "改正后再检查", "news-branch")
        elif n.branch and fold(n.branch) not in brands:
            close = difflib.get_close_matches(n.branch, [b.brand for b in site.branches], n=1)
            tip = f"，是不是“{close[0]}”？" if close else ""
            report.error(n.path, n.branch_line, f"相关品牌“{n.branch}”不存在{tip}（应与品牌文件中的 brand 一致）", "news-branch")
        if n.slug in seen:
            report.error(n.path, 1, f"网址名“{n.slug}”与 {seen[n.slug]} 重复：请填写不同的 slug", "slug-duplicate")
        seen[n.slug] = n.path


def _check_pages(site: Site, report: Report) -> None:
    seen: dict[str, str] = {}
    for p in site.pages:
        if p.slug in RESERVED:
            report.error(p.path, 1, f"页面网址名“{p.slug}”与网站自动生成的栏目重名：请换一个 slug", "slug-reserved")
        if p.slug in seen:
            report.error(p.path, 1, f"网址名“{p.slug}”与 {seen[p.slug]} 重复", "slug-duplicate")
        seen[p.slug] = p.path


def prune_nav(site: Site, branches: list[Branch], news: list[News], pages: list[Page], report: Report) -> None:
    """Leave out of the navigation the sections that have nothing to show yet, and say why.

    A new site's 工作动态 or 关于 entry must not be a broken link (or lead to an empty page) before
    its first item exists; the entry comes back by itself with the first published item. An entry
    to a page that does not exist at all stays: the link check reports it as the mistake it is.
    """
    empty: dict[str, str] = {
        "news": "还没有发布的工作动态（content/news/）" if not news else "",
        "honors": "还没有任何荣誉（品牌文件的 honors）" if not has_honors(branches) else "",
        "units": "没有单位设置（data/units.yaml）" if not site.units else "",
        "tags": "还没有任何标签" if not any(b.tags for b in branches) and not any(n.tags for n in news) else "",
        "search": "站内搜索已关闭（search: false）" if not getattr(site.config, "search", True) else "",
    }
    published_pages = {p.slug for p in pages}
    for p in site.pages:
        if p.slug not in published_pages:
            empty.setdefault(p.slug, f"页面 {p.path} 还是草稿")
    kept = []
    for item in site.config.nav:
        url = item.url.split("#", 1)[0].removesuffix("index.html")
        top = url.strip("/").split("/", 1)[0] if "://" not in url else ""
        why = empty.get(top, "") if top and url.strip("/") == top else ""
        if why:
            report.warning("data/site.yaml", 0, f"导航“{item.title}”（{item.url}）暂不显示：{why}，有了内容后会自动出现", "nav-empty")
        else:
            kept.append(item)
    site.config.nav = kept


def _tag_slugs(site: Site) -> dict[str, str]:
    """One slug per tag; the two scripts of a tag share it, different tags never do."""
    out: dict[str, str] = {}
    by_fold: dict[str, str] = {}
    used: set[str] = set()
    names = sorted({t for b in site.branches for t in b.tags} | {t for n in site.news for t in n.tags})
    for tag in names:
        key = fold(tag)
        if key in by_fold:
            out[tag] = by_fold[key]
            continue
        base = slugify(tag) or "tag"
        slug, i = base, 2
        while slug in used:
            slug, i = f"{base}-{i}", i + 1
        used.add(slug)
        by_fold[key] = out[tag] = slug
    return out
