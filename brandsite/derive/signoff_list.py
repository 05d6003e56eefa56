"""The sign-off list: every site-wide figure the site publishes, with every stat it adds up.

Why a module of its own: the office signs each figure off before publishing, so the list is a
statement of its own (where a figure appears, what it says, which stats it adds and which it
leaves out, and why); ``check --report`` and the ``review`` command both print it from here,
while :mod:`brandsite.derive.statistics` computes the figures themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from brandsite.derive.statistics import Part, Stats


@dataclass(frozen=True)
class Signed:
    """One published figure as the office signs it off: where it appears, what it says, what it adds up."""

    where: str  # 首页主要成效、成效统计页、单位页、下载表格 …
    metric: str
    shown: str
    when: str  # its span and coverage, as the page says it
    parts: tuple[Part, ...]
    left: tuple[tuple[Part, str], ...] = ()


def signoff(stats: Stats, units: dict) -> tuple[list[Signed], list[tuple[Part, str]]]:
    """Every site-wide figure the site publishes, each with every stat it adds, and every stat left out with why.

    This is data, not text: ``check --report`` prints it as the 统计口径核对 section and the
    ``review`` command prints the same list, so both always agree with what the pages show."""
    figures: list[Signed] = []
    left: list[tuple[Part, str]] = list(stats.left)
    headline = {id(mt) for mt in stats.headline}
    for mt in stats.metrics:
        name = mt.metric.name
        left.extend(mt.left)
        if mt.single:
            f = mt.total
            b = mt.by_branch[0][0]
            figures.append(Signed(f"成效统计页“各品牌单独填报的成效”（{b.brand}自己的数字，不是合计）", name, f.shown, f.when,
                                  f.parts, f.left))
            continue
        t = mt.total
        where = "成效统计页、下载表格"
        if id(mt) in headline and mt.headline is t:
            where = "首页主要成效、" + where
        figures.append(Signed(where, name, t.shown, t.coverage, t.parts, t.left))
        if id(mt) in headline and mt.headline is not t:
            h = mt.headline
            figures.append(Signed("首页主要成效（只显示最近一年）", name, h.shown, h.coverage, h.parts, h.left))
        chart = {y for y, _ in mt.year_chart}
        for y, f in mt.by_year:
            where = "下载表格（按年度）" + ("、成效统计页逐年对比图" if y in chart else "")
            figures.append(Signed(where, name, f.shown, f.coverage, f.parts, f.left))
        for u, f in mt.by_unit:
            uname = units[u].name if u in units else "未注明单位"
            figures.append(Signed(f"单位页：{uname}、下载表格", name, f.shown, f.coverage, f.parts, f.left))
    return figures, sorted(left, key=lambda pl: (pl[0].path, pl[0].line))
