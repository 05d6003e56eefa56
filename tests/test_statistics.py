"""Site-wide statistics: totals, per year/unit/branch, qualifiers, percentages, honors, CSV/JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import branch_text, make_site, visible_text

from brandsite import pipeline
from brandsite.derive import statistics

pytestmark = pytest.mark.usefixtures("fast_templates")


def stat(metric: str, value: str, year: int | None = None, unit: str | None = None) -> list[str]:
    rows = [f"  - metric: {metric}", f"    value: {value}"]
    if year is not None:
        rows.append(f"    year: {year}")
    if unit is not None:
        rows.append(f"    unit: {unit}")
    return rows


def honor(title: str, level: str, year: int) -> list[str]:
    return [f"  - title: {title}", f"    level: {level}", f"    year: {year}"]


@pytest.fixture
def stats_site(tmp_path):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text(
        "法官妈妈", "ordos",
        "stats:", *stat("普法宣传", "180余", 2023), *stat("满意度", "98%", 2023),
        *stat("诉调对接功能室", "3个"),
        "honors:", *honor("全国先进集体", "全国", 2022), *honor("全市优秀品牌", "全市", 2021),
    ))
    s.branch("b", branch_text(
        "善调乡村", "xuyi",
        "stats:", *stat("普法宣傳", "65", 2024), *stat("群众满意度", "99%", 2024),
        "honors:", *honor("全省创新案例", "全省", 2023), *honor("院级先进", "院级", 2023),
    ))
    s.branch("c", branch_text(
        "红心护航", "xuyi",
        "stats:", *stat("法治宣传", "30次", 2024), *stat("满意度", "97%", 2024),
    ))
    return s


def built(s, cli) -> Path:
    r = cli("build", "--root", s.root)
    assert r.code == 0, r.text
    return s.site


def test_totals_with_aliases_in_both_scripts_and_qualifier(stats_site, cli):
    site = built(stats_site, cli)
    data = json.loads((site / "stats" / "stats.json").read_text(encoding="utf-8"))
    pufa = next(m for m in data["metrics"] if m["metric"] == "普法宣传")
    assert pufa["total"]["shown"] == "275余次"  # 180余 + 65 + 30, still "at least"
    assert pufa["total"]["value"] == "275"
    assert pufa["total"]["qualifier"] == "at_least"
    assert pufa["total"]["count"] == 3
    assert pufa["unit"] == "次" and pufa["mode"] == "sum"
    assert "275余次" in visible_text(site / "stats" / "index.html")


def test_180yu_plus_65_is_245yu(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text("甲品牌", "xuyi", "stats:", *stat("普法宣传", "180余次", 2023)))
    s.branch("b", branch_text("乙品牌", "ordos", "stats:", *stat("普法宣傳", "65", 2023)))
    site = built(s, cli)
    data = json.loads((site / "stats" / "stats.json").read_text(encoding="utf-8"))
    (pufa,) = data["metrics"]
    assert pufa["total"]["shown"] == "245余次"
    assert "普法宣传245余次" in visible_text(site / "stats" / "index.html")
    assert "245余次" in visible_text(site / "index.html")  # headline figure on the home page


def test_per_year_unit_and_branch(stats_site, cli):
    data = json.loads((built(stats_site, cli) / "stats" / "stats.json").read_text(encoding="utf-8"))
    pufa = next(m for m in data["metrics"] if m["metric"] == "普法宣传")
    assert [(y["year"], y["shown"]) for y in pufa["by_year"]] == [(2023, "180余次"), (2024, "95次")]
    assert {u["unit_id"]: u["shown"] for u in pufa["by_unit"]} == {"ordos": "180余次", "xuyi": "95次"}
    assert all(u["unit"] == "次" for u in pufa["by_unit"])  # measurement unit, not the organisation
    assert {u["unit_id"]: u["name"] for u in pufa["by_unit"]} == {"ordos": "鄂尔多斯市中级人民法院", "xuyi": "盱眙县人民法院"}
    assert {b["brand"]: b["shown"] for b in pufa["by_branch"]} == {"法官妈妈": "180余次", "善调乡村": "65次", "红心护航": "30次"}
    assert data["branches"] == 3 and data["units"] == 2


def test_percentages_use_latest_and_are_never_summed(stats_site, cli):
    data = json.loads((built(stats_site, cli) / "stats" / "stats.json").read_text(encoding="utf-8"))
    pct = next(m for m in data["metrics"] if m["metric"] == "群众满意度")
    assert pct["mode"] == "latest"
    # 2024 is the latest year; two branches reported then: a range, not a sum
    assert pct["total"]["shown"] == "97%–99%"
    assert pct["total"]["value"] is None
    assert [(y["year"], y["shown"]) for y in pct["by_year"]] == [(2023, "98%"), (2024, "97%–99%")]
    assert {b["brand"]: b["shown"] for b in pct["by_branch"]} == {"法官妈妈": "98%", "善调乡村": "99%", "红心护航": "97%"}
    text = json.dumps(data, ensure_ascii=False)
    assert "294%" not in text and "196%" not in text and "197%" not in text


def test_single_latest_percentage(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text("甲品牌", "xuyi", "stats:", *stat("满意度", "98%", 2023)))
    s.branch("b", branch_text("乙品牌", "xuyi", "stats:", *stat("满意度", "99%", 2024)))
    data = json.loads((built(s, cli) / "stats" / "stats.json").read_text(encoding="utf-8"))
    (pct,) = data["metrics"]
    assert pct["total"]["shown"] == "99%"
    assert pct["total"]["value"] == "0.99" and pct["total"]["qualifier"] == "percent"
    assert [(u["unit_id"], u["shown"], u["value"], u["count"]) for u in pct["by_unit"]] == [("xuyi", "99%", "0.99", 1)]  # the 2023 figure is left out: not the latest


def test_free_text_metric_is_a_warning_not_totalled(stats_site, cli):
    r = cli("check", "--root", stats_site.root)
    assert r.code == 0
    assert "content/branches/a.md:" in r.out and "诉调对接功能室" in r.out and "警告" in r.out
    site = built(stats_site, cli)
    data = json.loads((site / "stats" / "stats.json").read_text(encoding="utf-8"))
    assert {m["metric"] for m in data["metrics"]} == {"普法宣传", "群众满意度"}
    assert "诉调对接功能室" not in (site / "stats" / "stats.csv").read_text(encoding="utf-8-sig")
    # still shown on its own branch page
    assert "诉调对接功能室" in (site / "branches" / "faguan-mama" / "index.html").read_text(encoding="utf-8")


def test_same_metric_two_units_is_an_error(stats_site, cli):
    stats_site.branch("d", branch_text("第四品牌", "xuyi", "stats:", *stat("普法宣传", "12场", 2024)))
    r = cli("build", "--root", stats_site.root)
    assert r.code == 1
    assert "content/branches/d.md:6:" in r.err
    assert not stats_site.site.exists()


def test_honors_by_level_and_provincial_up(stats_site, cli):
    site = built(stats_site, cli)
    data = json.loads((site / "stats" / "stats.json").read_text(encoding="utf-8"))
    h = data["honors"]
    assert h["total"] == 4
    assert h["by_level"] == {"国家级": 1, "省级": 1, "市级": 1, "县级": 0, "院级": 1}
    assert h["provincial_and_above"] == 2
    assert h["by_year"] == [{"year": 2023, "count": 2}, {"year": 2022, "count": 1}, {"year": 2021, "count": 1}]
    assert "省级以上荣誉2项" in visible_text(site / "stats" / "index.html")
    assert "其中省级以上2项" in visible_text(site / "honors" / "index.html")
    honors = (site / "honors" / "index.html").read_text(encoding="utf-8")
    for title in ("全国先进集体", "全市优秀品牌", "全省创新案例", "院级先进"):
        assert title in honors
    # highest level first
    assert honors.index("全国先进集体") < honors.index("全省创新案例") < honors.index("全市优秀品牌") < honors.index("院级先进")


def test_stats_csv_has_bom_and_parses(stats_site, cli):
    raw = (built(stats_site, cli) / "stats" / "stats.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    assert list(rows[0]) == ["汇总层级", "名称", "指标", "年份", "数值", "限定", "单位", "显示", "统计时段", "品牌数",
                             "数据条数", "含年份未注明"]
    assert all(ord(c) > 127 for h in rows[0] for c in h)  # Chinese headers only: no developer words
    total = next(r for r in rows if r["汇总层级"] == "全站" and r["指标"] == "普法宣传")
    assert (total["数值"], total["限定"], total["单位"], total["显示"]) == ("275", "不少于（余、多）", "次", "275余次")
    assert (total["统计时段"], total["品牌数"], total["数据条数"], total["含年份未注明"]) == ("2023—2024年累计", "3", "3", "否")
    branch_rows = {r["名称"]: r["显示"] for r in rows if r["汇总层级"] == "品牌" and r["指标"] == "普法宣传"}
    assert branch_rows == {"法官妈妈": "180余次", "善调乡村": "65次", "红心护航": "30次"}
    unit_rows = {r["名称"] for r in rows if r["汇总层级"] == "单位"}
    assert unit_rows == {"鄂尔多斯市中级人民法院", "盱眙县人民法院"}


def test_stats_json_matches_computed_stats_and_csv(stats_site, cli):
    site = built(stats_site, cli)
    data = json.loads((site / "stats" / "stats.json").read_text(encoding="utf-8"))
    opts = pipeline.Options(root=stats_site.root)
    loaded = pipeline.check(opts).site
    st = statistics.compute(loaded, loaded.branches)
    assert [m["metric"] for m in data["metrics"]] == [mt.metric.name for mt in st.metrics]
    assert [m["total"]["shown"] for m in data["metrics"]] == [mt.total.shown for mt in st.metrics]
    rows = list(csv.DictReader(io.StringIO((site / "stats" / "stats.csv").read_text(encoding="utf-8-sig"))))
    for m in data["metrics"]:
        csv_total = next(r for r in rows if r["汇总层级"] == "全站" and r["指标"] == m["metric"])
        assert csv_total["显示"] == m["total"]["shown"]
        assert csv_total["数值"] == (m["total"]["value"] or "")
        assert len([r for r in rows if r["指标"] == m["metric"] and r["汇总层级"] == "品牌"]) == len(m["by_branch"])


def test_drafts_do_not_count(stats_site, tmp_path, cli):
    stats_site.branch("d", branch_text("草稿品牌", "xuyi", "draft: true", "stats:", *stat("普法宣传", "1000", 2024)))
    data = json.loads((built(stats_site, cli) / "stats" / "stats.json").read_text(encoding="utf-8"))
    pufa = next(m for m in data["metrics"] if m["metric"] == "普法宣传")
    assert pufa["total"]["shown"] == "275余次"
    assert data["branches"] == 3


def test_max_mode(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.write("data/metrics.yaml", "宣讲团成员:\n  unit: 名\n  total: max\n")
    s.branch("a", branch_text("甲品牌", "xuyi", "stats:", *stat("宣讲团成员", "50多", 2023)))
    s.branch("b", branch_text("乙品牌", "xuyi", "stats:", *stat("宣讲团成员", "30", 2024)))
    data = json.loads((built(s, cli) / "stats" / "stats.json").read_text(encoding="utf-8"))
    (m,) = data["metrics"]
    assert m["total"]["shown"] == "50多名" and m["mode"] == "max"


def test_metric_unit_applied_when_stat_has_none(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text("甲品牌", "xuyi", "stats:", *stat("普法宣传", "3.4万", 2023)))
    s.branch("b", branch_text("乙品牌", "xuyi", "stats:", *stat("普法宣传", "6000", 2023)))
    data = json.loads((built(s, cli) / "stats" / "stats.json").read_text(encoding="utf-8"))
    (m,) = data["metrics"]
    assert m["total"]["value"] == "40000" and m["total"]["unit"] == "次"
    assert "次" in m["total"]["shown"]


def test_count_honors_unit():
    from brandsite.model.site import Honor

    class B:
        def __init__(self, honors):
            self.honors = honors

    hc = statistics.count_honors([B([Honor("甲", "国家级", 2020, "", 1), Honor("乙", "省级", None, "", 2)]),
                                  B([Honor("丙", "县级", 2021, "", 1)])])
    assert hc.total == 3 and hc.provincial_up == 2
    assert hc.by_year == [(2021, 1), (2020, 1), (None, 1)]


def _loaded(root: Path) -> tuple[object, list]:
    site = pipeline.check(pipeline.Options(root=root)).site
    assert site is not None
    return site, site.branches


def test_figure_memo_gives_what_compute_gives(stats_site):
    """The preview keeps one-branch figures between rebuilds: same results, and only what the last call used."""
    site, branches = _loaded(stats_site.root)
    memo = statistics.FigureMemo()
    assert statistics.compute(site, branches, memo) == statistics.compute(site, branches)
    stats_site.branch("c", branch_text("红心护航", "xuyi", "stats:", *stat("法治宣传", "31次", 2024)))
    site, branches = _loaded(stats_site.root)
    with_memo = statistics.compute(site, branches, memo)
    assert with_memo == statistics.compute(site, branches)
    used = {(mt.metric.name, b.slug): f for mt in with_memo.metrics for b, f in mt.by_branch}
    assert used[("普法宣传", "hongxin-huhang")].shown == "31次"
    assert len(memo.old) == len(used)  # a figure no branch shows any more is dropped


def test_rebind_points_at_the_new_branch_objects(stats_site):
    site, branches = _loaded(stats_site.root)
    stats = statistics.compute(site, branches)
    again, fresh = _loaded(stats_site.root)
    assert [statistics.inputs(b) for b in fresh] == [statistics.inputs(b) for b in branches]
    rebound = statistics.rebind(stats, fresh)
    ids = {id(b) for b in fresh}
    assert all(id(b) in ids for mt in rebound.metrics for b, _ in mt.by_branch)
    assert rebound == statistics.compute(again, fresh)
    assert all(id(b) not in ids for mt in stats.metrics for b, _ in mt.by_branch)  # the original is left alone
