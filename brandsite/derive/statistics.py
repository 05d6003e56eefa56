"""Site-wide achievement statistics: totals per metric, per year, per unit, per branch, honors.

Only stats naming a vocabulary entry (data/metrics.yaml) are aggregated; qualifiers stay
honest through :func:`brandsite.model.totals.total` ("180余 + 65 = 245余"), and percentages are
never summed (their metric's mode is ``latest`` or ``max``).

The preview (``serve``) computes statistics after every save. It reuses the last
:class:`Stats` when :func:`inputs` of every published branch (and the vocabulary and units)
are unchanged, rebinding it to the new branch objects (:func:`rebind`), and otherwise keeps
each branch's own figures in a :class:`FigureMemo`, so that a stat edit recomputes the sums
but not the thousands of one-branch figures.

The downloadable CSV and JSON are written by :mod:`brandsite.derive.stats_export`, the list of
figures the office signs off by :mod:`brandsite.derive.signoff_list`.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from brandsite.content.levels import LEVEL_ORDER
from brandsite.content.schema import TOTAL_MODES
from brandsite.model.numbers import NumberError, Quantity, format_quantity
from brandsite.model.site import Branch, Metric, Site, Stat
from brandsite.model.slugs import pinyin_key
from brandsite.model.totals import total

#: why a stat does not enter a site-wide figure, in the words of the sign-off list
WIDER = "是{scope}的数字，大于本品牌所在单位，不计入本单位和全站合计"
CAMPAIGN = "是专项活动的数字（{scope}），统计口径未设定专项活动计入合计（campaigns: true）"
FREE = "指标“{metric}”不在统计口径（data/metrics.yaml）中，只在品牌页显示"
NOT_TOTALLED = "指标“{metric}”设为不汇总（total: none），只在品牌页显示"
NOT_LATEST = "不是最近一年（{year}）的数字：本指标取最近一年"
UNDATED_LATEST = "没有年份，无法判断是否最近一年：本指标取最近一年"
ONE_BRAND = "只有一个品牌填报，不是全站合计：作为该品牌自己的数字显示"
_CAMPAIGN_WORDS = re.compile(r"专项|活动|行动|攻坚|竞赛|比赛|专题")


@dataclass(frozen=True)
class Part:
    """One stat as the sign-off list shows it: where it is written and what it says, as written."""

    path: str
    line: int
    brand: str
    slug: str
    unit_id: str
    metric: str  # as the editor wrote it
    shown: str  # value as written, e.g. "50多名"
    unit: str  # measurement unit as written ("" = none)
    year: int | None
    when: str  # 2024年, 2024年8月, 2014年以来, 年份未注明
    scope: str


@dataclass
class Figure:
    """One aggregated number as shown; ``value`` is None for a range of percentages.

    ``parts`` are the stats it adds up (the coverage a reader is told: span of years, brands,
    undated figures), ``left`` those of its candidates that the total mode left out, with why."""

    shown: str
    value: Quantity | None
    count: int
    parts: tuple[Part, ...] = ()
    left: tuple[tuple[Part, str], ...] = ()

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.parts if p.year is not None})

    @property
    def undated(self) -> int:
        return sum(1 for p in self.parts if p.year is None)

    @property
    def brands(self) -> int:
        return len({p.slug for p in self.parts})

    @property
    def span(self) -> str:
        """"2017—2024年", "2024年", or "" when no figure it adds has a year."""
        ys = self.years
        if not ys:
            return ""
        return f"{ys[0]}年" if ys[0] == ys[-1] else f"{ys[0]}—{ys[-1]}年"

    @property
    def when(self) -> str:
        """What period the figure covers, for a reader: never hides that years were added together."""
        ys = self.years
        if not ys:
            return "年份未注明"
        head = self.span if len(ys) == 1 else f"{self.span}累计"
        return head + ("，含年份未注明的数字" if self.undated else "")

    @property
    def coverage(self) -> str:
        """"2017—2024年累计 · 2个品牌 · 3项数据": what a total adds up, in one line."""
        return f"{self.when} · {self.brands}个品牌 · {len(self.parts)}项数据"


@dataclass
class MetricTotal:
    metric: Metric
    total: Figure
    by_year: list[tuple[int | None, Figure]] = field(default_factory=list)
    by_unit: list[tuple[str, Figure]] = field(default_factory=list)  # unit id ("" = none)
    by_branch: list[tuple[Branch, Figure]] = field(default_factory=list)
    #: stats naming this metric that no figure of it adds (scope, campaign), with the reason
    left: list[tuple[Part, str]] = field(default_factory=list)

    #: how many branches the stats page charts per metric; the CSV has them all
    LEADERS = 20

    @property
    def leaders(self) -> list[tuple[Branch, Figure]]:
        """The branches with the largest figures: a chart of 10,000 bars helps nobody."""
        ranked = sorted(
            self.by_branch,
            key=lambda bf: (-(bf[1].value.value if bf[1].value is not None else 0), bf[0].sort_key),
        )
        return ranked[: self.LEADERS]

    @property
    def mode_label(self) -> str:
        return TOTAL_MODES[self.metric.total]

    @property
    def single(self) -> bool:
        """One brand's figure is not a site total: it is shown as that brand's, never as 全站合计."""
        return len(self.by_branch) == 1

    @property
    def headline(self) -> Figure:
        """The home page's figure: the total over its span, or only the latest year where the vocabulary says so."""
        if self.metric.latest_only:
            dated = [(y, f) for y, f in self.by_year if y is not None]
            if dated:
                return dated[-1][1]
        return self.total

    @property
    def year_chart(self) -> list[tuple[int, Figure]]:
        """Year-by-year figures worth a chart: only when the same brands report in every year shown.

        Two bars of two different brands suggest a trend that does not exist, so then nothing is drawn."""
        dated = [(y, f) for y, f in self.by_year if y is not None]
        if len(dated) < 2:
            return []
        first = {p.slug for p in dated[0][1].parts}
        if any({p.slug for p in f.parts} != first for _, f in dated[1:]):
            return []
        return dated


@dataclass
class HonorCount:
    by_level: list[tuple[str, int]]
    provincial_up: int  # 省级以上
    total: int
    by_year: list[tuple[int | None, int]]


@dataclass
class Stats:
    metrics: list[MetricTotal]
    honors: HonorCount
    branch_count: int
    unit_count: int
    #: stats that enter no site-wide figure (free text, not totalled, scope), with the reason
    left: list[tuple[Part, str]] = field(default_factory=list)

    @property
    def totals(self) -> list[MetricTotal]:
        """Metrics that have a real site-wide figure (more than one brand reports them)."""
        return [m for m in self.metrics if not m.single]

    @property
    def headline(self) -> list[MetricTotal]:
        """The few figures the home page leads with: marked ones, else those most brands report; never one brand's."""
        marked = [m for m in self.totals if m.metric.headline]
        return (marked or sorted(self.totals, key=lambda m: -m.total.brands))[:4]


def _normalised(stat: Stat, metric: Metric) -> Quantity:
    q = stat.value
    if metric.unit and q.unit in metric.unit_aliases:  # 起 counts as 件; the card keeps 起
        return dataclasses.replace(q, unit=metric.unit)
    if metric.unit and q.unit is None and metric.unit != "%":
        return dataclasses.replace(q, unit=metric.unit)
    return q


def part(b: Branch, s: Stat) -> Part:
    return Part(b.path, s.line, b.brand, b.slug, b.unit_id, s.metric, s.shown, s.value.unit or "", s.year,
                s.period_label, s.scope)


Item = tuple[Part, Quantity]


class FigureMemo:
    """One-branch figures by (mode, the branch's parts and values) across :func:`compute` calls.

    Only the entries the last call used are kept, so the memo stays the size of the site."""

    def __init__(self) -> None:
        self.old: dict[tuple[object, ...], Figure] = {}
        self.new: dict[tuple[object, ...], Figure] = {}

    def figure(self, items: list[Item], mode: str) -> Figure:
        key = (mode, *items)
        got = self.new.get(key)
        if got is None:
            got = self.old.get(key)
            if got is None:
                got = _figure(items, mode)
            self.new[key] = got
        return got

    def done(self) -> None:
        self.old, self.new = self.new, {}


def inputs(b: Branch) -> tuple[object, ...]:
    """Every field of one branch that :func:`compute` reads (besides the branch object itself).

    Equal inputs for the published branches (in the same order) and equal ``site.metrics`` and
    ``site.units`` give equal statistics; a change here that reads another field must add it,
    or the preview would show stale figures. ``Stat.key`` follows from ``Stat.metric`` and the
    vocabulary."""
    return (b.slug, b.path, b.brand, b.unit_id, b.sort_key,
            tuple((s.metric, s.value, s.shown, s.year, s.when, s.period, s.scope, s.line) for s in b.stats),
            tuple((h.level, h.year, h.to) for h in b.honors))


def rebind(stats: Stats, branches: Iterable[Branch]) -> Stats:
    """``stats`` pointing at these branch objects (same slugs and :func:`inputs`), e.g. loaded again after
    a story edit: templates read more of a branch (its name, its link) than the figures depend on."""
    by_slug = {b.slug: b for b in branches}
    metrics = [dataclasses.replace(mt, by_branch=[(by_slug[b.slug], f) for b, f in mt.by_branch])
               for mt in stats.metrics]
    return dataclasses.replace(stats, metrics=metrics)


def _figure(items: list[Item], mode: str) -> Figure:
    qs = [q for _, q in items]
    parts = tuple(p for p, _ in items)
    if mode == "sum" and any(q.qualifier.value == "percent" for q in qs):
        mode = "latest"  # percentages are never summed, whatever the vocabulary says
    try:
        if mode == "sum":
            q = total(qs)
            assert q is not None
            return Figure(q.written, q, len(qs), parts)
        if mode == "max":
            q = max(qs, key=lambda x: x.value)
            return Figure(format_quantity(q), q, len(qs), parts)
        # latest: the most recent year's figure; several branches' figures form a range
        newest = max((p.year or 0) for p in parts)
        latest = [(p, q) for p, q in items if (p.year or 0) == newest]
        left = tuple((p, NOT_LATEST.format(year=f"{newest}年") if p.year else UNDATED_LATEST)
                     for p, _ in items if (p.year or 0) != newest)
        lq = [q for _, q in latest]
        lo, hi = min(lq, key=lambda x: x.value), max(lq, key=lambda x: x.value)
        used = tuple(p for p, _ in latest)
        if lo.value == hi.value:
            return Figure(format_quantity(hi), hi, len(lq), used, left)
        return Figure(f"{format_quantity(lo)}–{format_quantity(hi)}", None, len(lq), used, left)
    except NumberError:
        return Figure("—", None, len(qs), parts)


def _excluded(s: Stat, m: Metric) -> str | None:
    """Why a stat naming a vocabulary entry enters none of its figures, or None."""
    if s.scope:
        if _CAMPAIGN_WORDS.search(s.scope):
            return None if m.campaigns else CAMPAIGN.format(scope=s.scope)
        return WIDER.format(scope=s.scope)
    return None


def compute(site: Site, branches: Iterable[Branch], memo: FigureMemo | None = None) -> Stats:
    branches = list(branches)
    one = memo.figure if memo is not None else _figure
    rows: dict[str, list[tuple[Branch, Part, Quantity]]] = defaultdict(list)
    left: dict[str, list[tuple[Part, str]]] = defaultdict(list)
    site_left: list[tuple[Part, str]] = []
    for b in branches:
        for s in b.stats:
            p = part(b, s)
            if s.key is None:
                site_left.append((p, FREE.format(metric=s.metric)))
                continue
            m = site.metrics[s.key]
            if m.total == "none":
                site_left.append((p, NOT_TOTALLED.format(metric=s.metric)))
                continue
            why = _excluded(s, m)
            if why is not None:
                left[s.key].append((p, why))
                continue
            rows[s.key].append((b, p, _normalised(s, m)))
    units = site.units or {}
    metrics: list[MetricTotal] = []
    ordered = sorted(site.metrics.values(), key=lambda m: (m.order is None, m.order or 0, pinyin_key(m.name)))
    for m in ordered:
        items = rows.get(m.name)
        if not items:
            site_left.extend(left.get(m.name, []))
            continue
        mt = MetricTotal(m, _figure([(p, q) for _, p, q in items], m.total), left=left.get(m.name, []))
        years: dict[int | None, list[Item]] = defaultdict(list)
        per_unit: dict[str, list[Item]] = defaultdict(list)
        per_branch: dict[str, list[Item]] = defaultdict(list)
        by_slug = {}
        for b, p, q in items:
            years[p.year].append((p, q))
            per_unit[b.unit_id].append((p, q))
            per_branch[b.slug].append((p, q))
            by_slug[b.slug] = b
        mt.by_year = [(y, _figure(v, m.total)) for y, v in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]
        mt.by_unit = [
            (u, _figure(v, m.total))
            for u, v in sorted(per_unit.items(), key=lambda kv: units[kv[0]].sort_key if kv[0] in units else (True, 0, kv[0]))
        ]
        mt.by_branch = [(by_slug[k], one(v, m.total)) for k, v in sorted(per_branch.items(), key=lambda kv: by_slug[kv[0]].sort_key)]
        metrics.append(mt)
    if memo is not None:
        memo.done()
    return Stats(metrics, count_honors(branches), len(branches), len({b.unit_id for b in branches if b.unit_id}),
                 sorted(site_left, key=lambda pl: (pl[0].path, pl[0].line)))


def count_honors(branches: Iterable[Branch]) -> HonorCount:
    levels: dict[str, int] = dict.fromkeys(LEVEL_ORDER, 0)
    years: dict[int | None, int] = defaultdict(int)
    n = 0
    for b in branches:
        for h in b.honors:
            if not h.own:  # a court's or a person's honor is not the brand's
                continue
            levels[h.level] += 1
            years[h.year] += 1
            n += 1
    return HonorCount(
        [(lv, c) for lv, c in levels.items()],
        levels["国家级"] + levels["省级"],
        n,
        sorted(years.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0))),
    )
