"""The downloadable statistics (stats/stats.csv, stats/stats.json): the same figures the pages show.

Why a module of its own: the files are read by people outside the site (Excel or WPS on Chinese
Windows, other offices' tools), so their encoding, headers and field names are a published
format with its own rules; computing the figures stays in :mod:`brandsite.derive.statistics`.
"""

from __future__ import annotations

import csv
import io
import json

from brandsite.derive.statistics import Figure, Stats
from brandsite.model.numbers import Quantity


def _num(q: Quantity | None) -> str:
    return "" if q is None else format(q.value.normalize(), "f")


#: the qualifier column of stats.csv, in the words of the number grammar
QUALIFIER_ZH = {"exact": "准确数", "at_least": "不少于（余、多）", "below": "接近（近）", "about": "约数", "percent": "百分比"}
CSV_HEADER = ["汇总层级", "名称", "指标", "年份", "数值", "限定", "单位", "显示", "统计时段", "品牌数", "数据条数", "含年份未注明"]


def to_csv(stats: Stats, units: dict) -> bytes:
    """UTF-8 with BOM and Chinese headers: Excel and WPS on Chinese Windows open it without garbling.

    A metric only one brand reports has no 全站 row: its figure is that brand's, not a total."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for mt in stats.metrics:
        m = mt.metric
        rows = [] if mt.single else [("全站", "合计", None, mt.total)]
        rows += [("年度", str(y) if y else "未注明", y, f) for y, f in mt.by_year]
        rows += [("单位", units[u].name if u in units else (u or "未注明"), None, f) for u, f in mt.by_unit]
        rows += [("品牌", b.brand, None, f) for b, f in mt.by_branch]
        for level, name, year, f in rows:
            q = f.value
            w.writerow([level, name, m.name, year or "", _num(q), QUALIFIER_ZH[q.qualifier.value] if q else "",
                        (q.unit if q else m.unit) or "", f.shown, f.when, f.brands, len(f.parts),
                        "是" if f.undated else "否"])
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
            "period": f.when,
            "years": f.years,
            "brands": f.brands,
            "undated": f.undated,
        }

    data = {
        "branches": stats.branch_count,
        "units": stats.unit_count,
        "metrics": [
            {
                "metric": mt.metric.name,
                "unit": mt.metric.unit,
                "mode": mt.metric.total,
                "single_brand": mt.single,
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
