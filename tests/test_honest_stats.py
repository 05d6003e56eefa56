"""Honest statistics (issue 11): every published figure says what it adds, and nothing false is published."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import branch_text, front, make_site, visible_text

from brandsite import pipeline
from brandsite.derive import signoff_list, statistics

pytestmark = pytest.mark.usefixtures("fast_templates")
SLUG = "jiapinpai"  # the page of 甲品牌

METRICS = """\
普法宣传:
  unit: 次
  aliases: [法制宣传, 普法宣傳]
  headline: true
化解纠纷:
  unit: 件
  unit_aliases: [起]
  aliases: [化解分流案件]
  headline: true
执行到位金额:
  unit: 元
宣讲团成员:
  unit: 名
  aliases: [宣講員]
普法受众:
  unit: 名
  aliases: [聽眾代表]
  total: sum
满意度:
  unit: "%"
"""


def stat(metric: str, value: str, year: object = None, **extra: str) -> list[str]:
    rows = [f"  - metric: {metric}", f"    value: {value}"]
    if year is not None:
        rows.append(f'    year: "{year}"')
    rows += [f"    {k}: {v}" for k, v in extra.items()]
    return rows


def site_with(tmp_path: Path, *branches: tuple[str, str, list[str]], metrics: str = METRICS):
    s = make_site(tmp_path / "src")
    s.write("data/metrics.yaml", metrics)
    for i, (brand, unit, rows) in enumerate(branches):
        s.branch(f"b{i}", branch_text(brand, unit, "stats:", *rows) if rows else branch_text(brand, unit))
    return s


def build(s, cli) -> Path:
    r = cli("build", "--root", s.root)
    assert r.code == 0, r.text
    return s.site


def stats_json(site: Path) -> dict:
    return json.loads((site / "stats" / "stats.json").read_text(encoding="utf-8"))


def metric(data: dict, name: str) -> dict:
    return next(m for m in data["metrics"] if m["metric"] == name)


# ---------------------------------------------------------------- 1. metric kinds


def test_entry_without_total_is_summed_only_for_event_units(tmp_path, cli):
    s = site_with(tmp_path,
                  ("甲品牌", "xuyi", [*stat("普法宣传", "10次", 2024), *stat("宣讲团成员", "50多名", 2024)]),
                  ("乙品牌", "ordos", [*stat("普法宣传", "5次", 2024), *stat("宣讲团成员", "30名", 2024)]))
    data = stats_json(build(s, cli))
    assert metric(data, "普法宣传")["total"]["shown"] == "15次"  # 次 counts events: added
    assert "宣讲团成员" not in {m["metric"] for m in data["metrics"]}  # 名 is a stock: never silently added
    assert "80" not in (s.site / "stats" / "stats.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name, unit", [("行政机关负责人出庭应诉率", '"%"'), ("年均结案", "件"), ("群众满意度", "次")])
def test_a_rate_or_average_under_sum_is_an_error(tmp_path, cli, name, unit):
    s = site_with(tmp_path, ("甲品牌", "xuyi", []), metrics=f"{name}:\n  unit: {unit}\n  total: sum\n")
    r = cli("check", "--root", s.root)
    assert r.code == 1
    assert re.search(rf"data/metrics.yaml:3: .*“{name}”.*不能相加：请把 total 改为 latest", r.out), r.out


def test_a_stat_named_as_an_average_cannot_count_toward_a_sum(tmp_path, cli):
    metrics = "结案:\n  unit: 件\n  aliases: [年均结案]\n  total: sum\n"
    s = site_with(tmp_path, ("甲品牌", "xuyi", stat("年均结案", "7000余件")), metrics=metrics)
    r = cli("check", "--root", s.root)
    assert r.code == 1
    assert "content/branches/b0.md:6: “年均结案”名称含“年均”，是比率或平均数，不能计入要相加的指标“结案”" in r.out


def test_unit_aliases_count_as_the_unit_and_the_card_keeps_what_was_written(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", stat("化解纠纷", "7000余起", 2024)),
                  ("乙品牌", "ordos", stat("化解纠纷", "300件", 2024)))
    site = build(s, cli)
    assert metric(stats_json(site), "化解纠纷")["total"]["shown"] == "7300余件"
    assert "7000余起" in visible_text(site / "branches" / SLUG / "index.html")
    s.branch("b2", branch_text("丙品牌", "xuyi", "stats:", *stat("化解纠纷", "12宗", 2024)))
    r = cli("check", "--root", s.root)
    assert r.code == 1 and "content/branches/b2.md:6: " in r.out and "unit_aliases: [宗]" in r.out


# ---------------------------------------------------------------- 2. periods


def test_an_undated_figure_is_never_called_cumulative(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", [*stat("普法宣传", "65次"), *stat("满意度", "100%"),
                                              *stat("化解纠纷", "300件", period="2014年以来")]))
    text = visible_text(build(s, cli) / "branches" / SLUG / "index.html")
    assert "累计" not in text
    assert text.count("年份未注明") == 2 and "2014年以来" in text
    s.branch("b0", branch_text("甲品牌", "xuyi", "stats:", *stat("普法宣传", "65次", period="累计")))
    assert "累计" in visible_text(build(s, cli) / "branches" / SLUG / "index.html")  # the source said so


# ---------------------------------------------------------------- 3. totals that say what they add


def test_a_total_over_several_years_shows_its_span_and_coverage(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", stat("化解分流案件", "1300余件", 2017)),
                  ("乙品牌", "ordos", stat("化解纠纷", "3.4万件", 2024)),
                  ("丙品牌", "ordos", stat("化解纠纷", "100件")))
    site = build(s, cli)
    home = visible_text(site / "index.html")
    assert "化解纠纷3.54万余件2017—2024年累计，含年份未注明的数字·3个品牌" in home
    assert "2017—2024年累计，含年份未注明的数字·3个品牌·3项数据" in visible_text(site / "stats" / "index.html")
    total = metric(stats_json(site), "化解纠纷")["total"]
    assert (total["period"], total["years"], total["brands"], total["undated"]) == (
        "2017—2024年累计，含年份未注明的数字", [2017, 2024], 3, 1)
    rows = list(csv.DictReader(io.StringIO((site / "stats" / "stats.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["汇总层级"] == "全站" and r["指标"] == "化解纠纷")
    assert (row["统计时段"], row["品牌数"], row["含年份未注明"]) == ("2017—2024年累计，含年份未注明的数字", "3", "是")
    unit_page = visible_text(site / "units" / "ordos" / "index.html")
    assert "3.41万件2024年，含年份未注明的数字·2个品牌" in unit_page


def test_headline_latest_only_shows_the_latest_year(tmp_path, cli):
    metrics = METRICS.replace("  aliases: [化解分流案件]\n", "  aliases: [化解分流案件]\n  headline_latest: true\n")
    s = site_with(tmp_path, ("甲品牌", "xuyi", [*stat("化解纠纷", "1300件", 2017), *stat("化解纠纷", "200件", 2024)]),
                  ("乙品牌", "ordos", stat("化解纠纷", "3.4万件", 2024)), metrics=metrics)
    home = visible_text(build(s, cli) / "index.html")
    assert "化解纠纷3.42万件2024年·2个品牌" in home and "3.55万" not in home


def test_one_brands_figure_is_not_a_site_total(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", [*stat("普法宣传", "10次", 2024), *stat("执行到位金额", "9337.42万元", 2023)]),
                  ("乙品牌", "ordos", stat("普法宣传", "5次", 2024)))
    site = build(s, cli)
    assert "执行到位金额" not in visible_text(site / "index.html")
    stats_page = visible_text(site / "stats" / "index.html")
    assert "只有一个品牌填报" in stats_page and "甲品牌执行到位金额9337.42万元2023年" in stats_page
    rows = list(csv.DictReader(io.StringIO((site / "stats" / "stats.csv").read_text(encoding="utf-8-sig"))))
    assert not [r for r in rows if r["汇总层级"] == "全站" and r["指标"] == "执行到位金额"]
    assert metric(stats_json(site), "执行到位金额")["single_brand"] is True


# ---------------------------------------------------------------- 4. charts compare like with like


def test_year_chart_only_when_the_same_brands_report_every_year(tmp_path, cli):
    unlike = site_with(tmp_path / "a", ("甲品牌", "xuyi", stat("普法宣传", "13次", 2017)),
                       ("乙品牌", "ordos", stat("普法宣传", "340次", 2024)))
    page = (build(unlike, cli) / "stats" / "index.html").read_text(encoding="utf-8")
    assert "逐年对比" not in page and "chart-columns" not in page
    like = site_with(tmp_path / "b", ("甲品牌", "xuyi", [*stat("普法宣传", "13次", 2023), *stat("普法宣传", "20次", 2024)]),
                     ("乙品牌", "ordos", [*stat("普法宣传", "30次", 2023), *stat("普法宣传", "34次", 2024)]))
    page = (build(like, cli) / "stats" / "index.html").read_text(encoding="utf-8")
    assert "逐年对比（每年都是同样的 2 个品牌）" in page and "chart-columns" in page


def test_no_share_of_total_chart_on_branch_pages(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", stat("普法宣传", "10次", 2024)), ("乙品牌", "ordos", stat("普法宣传", "30次", 2024)))
    text = visible_text(build(s, cli) / "branches" / SLUG / "index.html")
    assert "占比" not in text and "全站合计" not in text and "40次" not in text


# ---------------------------------------------------------------- 5. as written


def test_cards_show_the_metric_and_value_as_written(tmp_path, cli):
    s = site_with(tmp_path, ("聽我斷案", "ordos", [*stat("聽眾代表", "1000餘名"), *stat("化解分流案件", "50多件", 2024)]),
                  ("乙品牌", "xuyi", [*stat("普法受众", "20名"), *stat("化解纠纷", "3件", 2024)]))
    site = build(s, cli)
    text = visible_text(site / "branches" / "tingwo-duanan" / "index.html")
    assert "聽眾代表1000余名" in text and "化解分流案件50多件" in text
    assert "计入全站“普法受众”" in text and "计入全站“化解纠纷”" in text  # a quiet note, not a new name
    assert "50余" not in text


# ---------------------------------------------------------------- 6. a stats page people read


def test_stats_page_has_a_summary_expandable_detail_and_no_developer_words(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", [*stat("普法宣传", "10次", 2024), *stat("满意度", "98%", 2024)]),
                  ("乙品牌", "ordos", [*stat("普法宣传", "30次", 2024), *stat("满意度", "99%", 2024)]))
    html = (build(s, cli) / "stats" / "index.html").read_text(encoding="utf-8")
    assert html.index("主要成效") < html.index("<details")
    assert html.count("<details") == 2
    text = visible_text(s.site / "stats" / "index.html")
    for word in ("求和", "汇总方式", "sum", "latest", "exact", "at_least", "total"):
        assert word not in text
    assert html.count("<table") == html.count("<details") + 1  # one table per metric, plus units (no honors: no table)


# ---------------------------------------------------------------- 7. sign-off list


def test_check_report_lists_every_figure_with_what_it_adds_and_what_was_left_out(tmp_path, cli):
    s = site_with(tmp_path,
                  ("甲品牌", "xuyi", [*stat("普法宣传", "180余次", 2023), *stat("诉调对接功能室", "四间")]),
                  ("乙品牌", "ordos", [*stat("法制宣传", "65次", 2024),
                                       *stat("普法宣传", "9次", scope="养老诈骗集中宣传活动")]))
    report = tmp_path / "r.html"
    r = cli("check", "--root", s.root, "--report", report)
    assert r.code == 0, r.text
    html = report.read_text(encoding="utf-8")
    section = html[html.index("统计口径核对"):]
    assert "普法宣传：245余次" in section and "2023—2024年累计 · 2个品牌 · 2项数据" in section
    assert "content/branches/b0.md:6" in section and "content/branches/b1.md:6" in section
    assert "法制宣传" in section and "65次" in section  # as written
    assert "content/branches/b1.md:9" in section and "养老诈骗集中宣传活动" in section and "未计入" in section
    assert "content/branches/b0.md:9" in section and "诉调对接功能室" in section
    # the same list as data, for other commands (review) to print
    site = pipeline.check(pipeline.Options(root=s.root)).site
    figures, left = signoff_list.signoff(statistics.compute(site, site.branches), site.units or {})
    assert {(p.path, p.line) for f in figures for p in f.parts} == {("content/branches/b0.md", 6),
                                                                     ("content/branches/b1.md", 6)}
    assert [(p.path, p.line, p.metric) for p, _ in left] == [("content/branches/b0.md", 9, "诉调对接功能室"),
                                                             ("content/branches/b1.md", 9, "普法宣传")]


# ---------------------------------------------------------------- 8. scope, months, honors


def test_a_wider_scope_is_never_credited_and_a_campaign_only_when_the_vocabulary_says(tmp_path, cli):
    rows_a = [*stat("化解纠纷", "3.4万件", 2024, scope="全市法院"), *stat("化解纠纷", "10件", 2024)]
    rows_b = [*stat("化解纠纷", "5件", 2024), *stat("化解纠纷", "100件", 2024, scope="“百日攻坚”专项活动")]
    s = site_with(tmp_path, ("甲品牌", "ordos", rows_a), ("乙品牌", "xuyi", rows_b))
    site = build(s, cli)
    m = metric(stats_json(site), "化解纠纷")
    assert m["total"]["shown"] == "15件"
    assert {u["unit_id"]: u["shown"] for u in m["by_unit"]} == {"ordos": "10件", "xuyi": "5件"}
    card = visible_text(site / "branches" / SLUG / "index.html")
    assert "3.4万件2024年·范围：全市法院" in card
    s.write("data/metrics.yaml", METRICS.replace("  aliases: [化解分流案件]\n", "  aliases: [化解分流案件]\n  campaigns: true\n"))
    m = metric(stats_json(build(s, cli)), "化解纠纷")
    assert m["total"]["shown"] == "115件"  # the campaign now counts; the city-wide figure still does not


def test_months_for_news_milestones_and_stats_without_an_invented_day(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", [*stat("普法宣传", "10次", "2024-08"), "milestones:",
                                              "  - date: 2024-08", "    text: 举办决赛"]),
                  ("乙品牌", "ordos", stat("普法宣传", "3次", 2024)))
    s.write("content/news/juesai.md", front("title: 决赛举行", 'date: "2024-08"', "branch: 甲品牌") + "决赛举行。\n")
    site = build(s, cli)
    assert "普法宣传10次2024年8月" in visible_text(site / "branches" / SLUG / "index.html")
    news = (site / "news" / "juesai" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-08">2024年8月</time>' in news and "2024年8月1日" not in news
    assert metric(stats_json(site), "普法宣传")["by_year"][0]["year"] == 2024
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2024-08-01T00:00:00+08:00</updated>" in feed  # Atom needs a day; pages never show it


def test_only_the_brands_own_honors_count(tmp_path, cli):
    s = make_site(tmp_path / "src")
    s.branch("a", branch_text("甲品牌", "xuyi", "honors:",
                              "  - title: 全国优秀法官", "    level: 国家级", "    to: 个人",
                              "  - title: 全省先进基层党组织", "    level: 省级", "    to: 法院",
                              "  - title: 全市优秀支部品牌", "    level: 市级"))
    site = build(s, cli)
    h = stats_json(site)["honors"]
    assert h["total"] == 1 and h["provincial_and_above"] == 0
    honors = visible_text(site / "honors" / "index.html")
    assert "全市优秀支部品牌" in honors and "全国优秀法官" not in honors
    page = visible_text(site / "branches" / SLUG / "index.html")
    assert "法院和个人获得的荣誉" in page and "全国优秀法官授予个人" in page
    s.branch("a", branch_text("甲品牌", "xuyi", "honors:", "  - title: 某荣誉", "    level: 省级", "    to: 集体"))
    r = cli("check", "--root", s.root)
    assert r.code == 1 and "content/branches/a.md:8: “获得者”只能取 支部、法院、个人" in r.out


def test_the_sign_off_list_says_when_figures_cannot_be_listed(tmp_path, cli):
    s = site_with(tmp_path, ("甲品牌", "xuyi", stat("普法宣传", "很多次", 2024)))
    report = tmp_path / "r.html"
    r = cli("check", "--root", s.root, "--report", report)
    assert r.code == 1
    section = report.read_text(encoding="utf-8").split("统计口径核对", 1)[1]
    assert "内容有错误，页面未能生成，无法列出全站数字" in section
