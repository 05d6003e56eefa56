"""Properties of honest statistics over random sites (hypothesis): written as files, loaded by the real pipeline.

- no total mixes years without showing its span;
- a percentage is never summed;
- a year-by-year chart never shows a year whose set of brands differs from another year's.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from conftest import branch_text, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandsite import pipeline
from brandsite.core.diagnostics import Report
from brandsite.derive import statistics, stats_export

METRICS = '普法宣传:\n  unit: 次\n  aliases: [法制宣传]\n满意度:\n  unit: "%"\n'
UNITS = ("xuyi", "ordos")

a_stat = st.tuples(
    st.sampled_from(["普法宣传", "法制宣传", "满意度"]),
    st.integers(min_value=1, max_value=100),
    st.sampled_from(["", "余", "近"]),
    st.one_of(st.none(), st.integers(min_value=2016, max_value=2024)),
)
a_site = st.lists(st.lists(a_stat, max_size=4), min_size=1, max_size=4)


def _rows(metric: str, n: int, qualifier: str, year: int | None) -> list[str]:
    if metric == "满意度":
        value = f'"{n}%"'
    else:
        value = f"近{n}次" if qualifier == "近" else f"{n}{qualifier}次"
    rows = [f"  - metric: {metric}", f"    value: {value}"]
    return rows + ([f"    year: {year}"] if year is not None else [])


def _stats(branches: list[list[tuple[str, int, str, int | None]]]) -> statistics.Stats:
    with tempfile.TemporaryDirectory() as tmp:
        s = make_site(Path(tmp))
        s.write("data/metrics.yaml", METRICS)
        for i, stats in enumerate(branches):
            lines = ["stats:", *(r for stat in stats for r in _rows(*stat))] if stats else []
            s.branch(f"b{i}", branch_text(f"品牌{i}", UNITS[i % 2], f"slug: brand-{i}", *lines))
        opts = pipeline.Options(root=s.root, use_cache=False, workers=1)
        report = Report(opts.root)
        site = pipeline.load(opts, report)
        assert report.ok, report.lines()
        return statistics.compute(site, site.branches)


def _figures(mt: statistics.MetricTotal) -> list[statistics.Figure]:
    return [mt.total, mt.headline, *(f for _, f in mt.by_year), *(f for _, f in mt.by_unit), *(f for _, f in mt.by_branch)]


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(a_site)
def test_no_total_mixes_years_without_showing_its_span(branches):
    stats = _stats(branches)
    for mt in stats.metrics:
        for f in _figures(mt):
            years = {p.year for p in f.parts if p.year is not None}
            if len(years) > 1:
                assert f"{min(years)}—{max(years)}年累计" in f.when and f.when in f.coverage
            if any(p.year is None for p in f.parts) and years:
                assert "含年份未注明" in f.when
    rows = csv.DictReader(io.StringIO(stats_export.to_csv(stats, {}).decode("utf-8-sig")))
    for row in rows:
        if row["汇总层级"] in ("全站", "单位"):
            mt = next(m for m in stats.metrics if m.metric.name == row["指标"])
            years = {p.year for p in mt.total.parts if p.year is not None}
            if row["汇总层级"] == "全站" and len(years) > 1:
                assert row["统计时段"].startswith(f"{min(years)}—{max(years)}年")


@FAST
@given(a_site)
def test_a_percentage_is_never_summed(branches):
    stats = _stats(branches)
    inputs = {Decimal(n) / 100 for b in branches for m, n, _, _ in b if m == "满意度"}
    for mt in stats.metrics:
        if mt.metric.name != "满意度":
            continue
        for f in _figures(mt):
            assert f.value is None or f.value.value in inputs  # one brand's figure, never a sum
            assert all(int(x) <= 100 for x in re.findall(r"\d+", f.shown))


@FAST
@given(a_site)
def test_a_chart_never_shows_a_year_whose_brands_differ(branches):
    stats = _stats(branches)
    for mt in stats.metrics:
        chart = mt.year_chart
        brand_sets = [frozenset(p.slug for p in f.parts) for _, f in chart]
        assert len(set(brand_sets)) <= 1
        dated = [(y, frozenset(p.slug for p in f.parts)) for y, f in mt.by_year if y is not None]
        if len(dated) >= 2 and len({b for _, b in dated}) == 1:
            assert [y for y, _ in chart] == [y for y, _ in dated]  # like with like: drawn
