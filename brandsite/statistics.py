"""Site-wide achievement statistics: totals per metric, per year, per unit, per branch, honors.

Only stats naming a vocabulary entry (data/metrics.yaml) are aggregated; qualifiers stay
honest through :func:`brandsite.numbers.total` ("180余 + 65 = 245余"), and percentages are
never summed (their metric's mode is ``latest`` or ``max``).

The preview (``serve``) computes statistics after every save. It reuses the last
:class:`Stats` when :func:`inputs` of every published branch (and the vocabulary and units)
are unchanged, rebinding it to the new branch objects (:func:`rebind`), and otherwise keeps
each branch's own figures in a :class:`FigureMemo`, so that a stat edit recomputes the sums
but not the thousands of one-branch figures.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Branch, Metric, Site, Stat
from .numbers import NumberError, Quantity, format_quantity, total
from .schema import LEVEL_ORDER, TOTAL_MODES
from .slugs import pinyin_key


@dataclass
class Figure:
    """One aggregated number as shown; ``value`` is None for a range of percentages."""

    shown: str
    value: Quantity | None
    count: int


@dataclass
class MetricTotal:
    metric: Metric
    total: Figure
    by_year: list[tuple[int | None, Figure]] = field(default_factory=list)
    by_unit: list[tuple[str, Figure]] = field(default_factory=list)  # unit id ("" = none)
    by_branch: list[tuple[Branch, Figure]] = field(default_factory=list)

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

    @property
    def headline(self) -> list[MetricTotal]:
        marked = [m for m in self.metrics if m.metric.headline]
        return (marked or self.metrics)[:4]


def _normalised(stat: Stat, metric: Metric) -> Quantity:
    if metric.unit and stat.value.unit is None and metric.unit != "%":
        return dataclasses.replace(stat.value, unit=metric.unit)
    return stat.value


class FigureMemo:
    """One-branch figures by (mode, the branch's (year, value) pairs) across :func:`compute` calls.

    Only the entries the last call used are kept, so the memo stays the size of the site."""

    def __init__(self) -> None:
        self.old: dict[tuple[object, ...], Figure] = {}
        self.new: dict[tuple[object, ...], Figure] = {}

    def figure(self, items: list[tuple[Stat, Quantity]], mode: str) -> Figure:
        key = (mode, *((s.year, q) for s, q in items))
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
    return (b.slug, b.unit_id, b.sort_key, tuple((s.metric, s.value, s.year) for s in b.stats),
            tuple((h.level, h.year) for h in b.honors))


def rebind(stats: Stats, branches: Iterable[Branch]) -> Stats:
    """``stats`` pointing at these branch objects (same slugs and :func:`inputs`), e.g. loaded again after
    a story edit: templates read more of a branch (its name, its link) than the figures depend on."""
    by_slug = {b.slug: b for b in branches}
    metrics = [dataclasses.replace(mt, by_branch=[(by_slug[b.slug], f) for b, f in mt.by_branch])
               for mt in stats.metrics]
    return dataclasses.replace(stats, metrics=metrics)


def _figure(items: list[tuple[Stat, Quantity]], mode: str) -> Figure:
    qs = [q for _, q in items]
    if mode == "sum" and any(q.qualifier.value == "percent" for q in qs):
        mode = "latest"  # percentages are never summed, whatever the vocabulary says
    try:
        if mode == "sum":
            q = total(qs)
            assert q is not None
            return Figure(q.written, q, len(qs))
        if mode == "max":
            q = max(qs, key=lambda x: x.value)
            return Figure(format_quantity(q), q, len(qs))
        # latest: the most recent year's figure; several branches' figures form a range
        newest = max((s.year or 0) for s, _ in items)
        latest = [q for s, q in items if (s.year or 0) == newest]
        lo, hi = min(latest, key=lambda x: x.value), max(latest, key=lambda x: x.value)
        if lo.value == hi.value:
            return Figure(format_quantity(hi), hi, len(qs))
        return Figure(f"{format_quantity(lo)}–{format_quantity(hi)}", None, len(qs))
    except NumberError:
        return Figure("—", None, len(qs))


def compute(site: Site, branches: Iterable[Branch], memo: FigureMemo | None = None) -> Stats:
    branches = list(branches)
    one = memo.figure if memo is not None else _figure
    rows: dict[str, list[tuple[Branch, Stat, Quantity]]] = defaultdict(list)
    for b in branches:
        for s in b.stats:
            if s.key is not None:
                rows[s.key].append((b, s, _normalised(s, site.metrics[s.key])))
    units = site.units or {}
    metrics: list[MetricTotal] = []
    ordered = sorted(site.metrics.values(), key=lambda m: (m.order is None, m.order or 0, pinyin_key(m.name)))
    for m in ordered:
        items = rows.get(m.name)
        if not items:
            continue
        mt = MetricTotal(m, _figure([(s, q) for _, s, q in items], m.total))
        years: dict[int | None, list[tuple[Stat, Quantity]]] = defaultdict(list)
        per_unit: dict[str, list[tuple[Stat, Quantity]]] = defaultdict(list)
        per_branch: dict[str, list[tuple[Stat, Quantity]]] = defaultdict(list)
        by_slug = {}
        for b, s, q in items:
            years[s.year].append((s, q))
            per_unit[b.unit_id].append((s, q))
            per_branch[b.slug].append((s, q))
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
    return Stats(metrics, count_honors(branches), len(branches), len({b.unit_id for b in branches if b.unit_id}))


def count_honors(branches: Iterable[Branch]) -> HonorCount:
    levels: dict[str, int] = dict.fromkeys(LEVEL_ORDER, 0)
    years: dict[int | None, int] = defaultdict(int)
    n = 0
    for b in branches:
        for h in b.honors:
            levels[h.level] += 1
            years[h.year] += 1
            n += 1
    return HonorCount(
        [(lv, c) for lv, c in levels.items()],
        levels["国家级"] + levels["省级"],
        n,
        sorted(years.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0))),
    )


def _num(q: Quantity | None) -> str:
    return "" if q is None else format(q.value.normalize(), "f")


def to_csv(stats: Stats, units: dict) -> bytes:
    """UTF-8 with BOM: Excel on Chinese Windows opens it without garbling."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["范围", "名称", "指标", "年份", "数值", "限定", "单位", "显示"])
    for mt in stats.metrics:
        m = mt.metric
        rows = [("全站", "合计", None, mt.total)]
        rows += [("年度", str(y) if y else "未注明", y, f) for y, f in mt.by_year]
        rows += [("单位", units[u].name if u in units else (u or "未注明"), None, f) for u, f in mt.by_unit]
        rows += [("品牌", b.brand, None, f) for b, f in mt.by_branch]
        for scope, name, year, f in rows:
            q = f.value
            w.writerow([scope, name, m.name, year or "", _num(q), q.qualifier.value if q else "", (q.unit if q else m.unit) or "", f.shown])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(stats: Stats, units: dict) -> bytes:
    def fig(f: Figure) -> dict[str, object]:
        q = f.value
        return {
            "value": _num(q) or None,
            "qualifier": q.qualifier.value if q else None,
            "unit": q.unit if q else None,
            "shown": f.shown,
            "count": f.count,
        }

    data = {
        "branches": stats.branch_count,
        "units": stats.unit_count,
        "metrics": [
            {
                "metric": mt.metric.name,
                "unit": mt.metric.unit,
                "mode": mt.metric.total,
                "total": fig(mt.total),
                "by_year": [{"year": y, **fig(f)} for y, f in mt.by_year],
                # "unit" of a figure is its measurement unit (次); the organisation is "unit_id"
                "by_unit": [{"unit_id": u, "name": units[u].name if u in units else u, **fig(f)} for u, f in mt.by_unit],
                "by_branch": [{"slug": b.slug, "brand": b.brand, **fig(f)} for b, f in mt.by_branch],
            }
            for mt in stats.metrics
        ],
        "honors": {
            "total": stats.honors.total,
            "provincial_and_above": stats.honors.provincial_up,
            "by_level": dict(stats.honors.by_level),
            "by_year": [{"year": y, "count": c} for y, c in stats.honors.by_year],
        },
    }
    # one line: an indented dump goes through json's pure-Python encoder, ten times slower on a large site
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")
