"""Publish-safe checks (issue 6): personal information, formulations, links, titles, columns,
site identity, the HTML report and the editors' pre-commit hook - all on real files, through
the real command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SITE_YAML, branch_text, front, tree_bytes

from brandsite import pipeline
from brandsite.checks import publishcheck
from brandsite.checks.pii import id_check_digit

ID17 = "11010519491231002"
VALID_ID = ID17 + id_check_digit(ID17)  # 11010519491231002X: check digit and birth date valid
CASE_NO = "320830202401150017"  # 18 digits, plausible date, wrong check digit: not an ID
MOBILE = "13812345678"

FULL_FOOTER = """\
url: https://www.example.gov.cn/djpp/
publish: true
footer:
  owner: 测试人民法院机关党委
  contact: 联系电话：0517-88888888
  site_code: "3208000001"
  icp: 苏ICP备12345678号
  police: 苏公网安备 32080002000001号
"""


def diag_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if re.match(r"^\S+?(:\d+)?: ", ln)]


def errors(root: Path) -> list[tuple[str, int, str, str]]:
    result = pipeline.check(pipeline.Options(root=root))
    return [(d.path, d.line, d.code, d.message) for d in result.report.errors]


def codes(root: Path) -> set[str]:
    return {c for _, _, c, _ in errors(root)}


# ---------------------------------------------------------------------------- personal information


def test_id_number_in_body_is_an_error_at_its_line(small_site, cli):
    # front matter is lines 1-5, body starts at line 6; the ID is on body line 3 = file line 8
    small_site.branch("pii", branch_text("个人信息", "xuyi", body=f"第一段。\n\n当事人身份证号 {VALID_ID}。\n"))
    r = cli("check", "--root", small_site.root)
    assert r.code == 1, r.text
    line = next(ln for ln in r.out.splitlines() if "身份证号" in ln)
    assert line.startswith("content/branches/pii.md:8: ")
    assert VALID_ID not in r.text  # the report does not re-publish the number
    assert "110***2X" in line


def test_front_matter_is_scanned_with_its_own_line_numbers(small_site):
    small_site.branch("fm", branch_text("前置信息", "xuyi", f"slogan: 有事请拨 {MOBILE}"))
    errs = [(p, ln, c) for p, ln, c, _ in errors(small_site.root) if c.startswith("pii")]
    assert errs == [("content/branches/fm.md", 5, "pii-phone")]


def test_crlf_and_bom_files_keep_their_line_numbers(small_site):
    text = branch_text("换行", "xuyi", body=f"第一段。\n\n手机 {MOBILE}\n")
    small_site.branch("crlf", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    errs = [(p, ln) for p, ln, c, _ in errors(small_site.root) if c.startswith("pii")]
    assert errs == [("content/branches/crlf.md", 8)]


def test_eighteen_digit_case_number_is_not_an_id(small_site):
    small_site.branch("case", branch_text("案号", "xuyi", body=f"该案立案编号 {CASE_NO}，已审结。\n"))
    assert not any(c.startswith("pii") for c in codes(small_site.root))


def test_name_next_to_case_word_needs_mou(small_site):
    small_site.branch(
        "name", branch_text("姓名", "xuyi", body="被告人张三，男，因盗窃罪被判刑。\n\n原告李某撤回起诉。\n")
    )
    errs = [(ln, c, m) for p, ln, c, m in errors(small_site.root) if c == "pii-name"]
    assert len(errs) == 1
    assert errs[0][0] == 6 and "张某" in errs[0][2]


def test_bank_card_passing_luhn_is_an_error(small_site):
    small_site.branch("card", branch_text("银行卡", "xuyi", body="执行款打入 6222 0212 3456 7890 128 账户。\n"))
    assert "pii-bank" in codes(small_site.root)


def test_published_hotline_in_data_pii_yaml_is_allowed(small_site):
    small_site.branch(
        "hot", branch_text("热线", "xuyi", body=f"法官热线：{MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}，欢迎来电。\n")
    )
    assert "pii-phone" in codes(small_site.root)
    small_site.write("data/pii.yaml", f'allow:\n  - "{MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}"   # 本院公开热线\n')
    assert not any(c.startswith("pii") for c in codes(small_site.root))


def test_pii_ok_marker_exempts_one_line_in_body_and_front_matter(small_site):
    small_site.branch(
        "ok",
        branch_text(
            "豁免",
            "xuyi",
            f"slogan: 热线 {MOBILE}  # <!-- pii: ok -->",
            body=f"值班电话 {MOBILE} <!-- pii: ok -->\n\n另一行 {MOBILE}\n",
        ),
    )
    errs = [(p, ln) for p, ln, c, _ in errors(small_site.root) if c.startswith("pii")]
    assert errs == [("content/branches/ok.md", 9)]


def test_data_yaml_is_scanned_but_rule_files_are_not(small_site):
    text = (small_site.root / "data/site.yaml").read_text(encoding="utf-8")
    small_site.write("data/site.yaml", text + f"description: 联系人手机 {MOBILE}\n")
    small_site.write("data/terms.yaml", "- wrong: 扫黑险恶\n  right: 扫黑除恶\n")
    errs = [(p, ln, c) for p, ln, c, _ in errors(small_site.root)]
    assert errs == [("data/site.yaml", text.count("\n") + 1, "pii-phone")]


def test_drafts_are_scanned_too(small_site):
    small_site.branch("d", branch_text("草稿", "xuyi", "draft: true", body=f"身份证 {VALID_ID}\n"))
    assert "pii-id" in codes(small_site.root)


# ---------------------------------------------------------------------------- formulations


def test_wrong_formulation_names_the_right_form(small_site, cli):
    small_site.write("data/terms.yaml", "- wrong: [扫黑险恶, 扫黑出恶]\n  right: 扫黑除恶\n  note: 固定提法\n")
    small_site.branch(
        "t", branch_text("提法", "xuyi", "slogan: 深入推进扫黑险恶", body="正文。\n\n常态化扫黑出恶斗争。\n")
    )
    r = cli("check", "--root", small_site.root)
    assert r.code == 1
    assert "content/branches/t.md:5: 表述错误：“扫黑险恶”应为“扫黑除恶”（固定提法）" in r.out
    assert "content/branches/t.md:9: 表述错误：“扫黑出恶”应为“扫黑除恶”" in r.out


def test_traditional_variant_of_a_listed_term_is_caught(small_site):
    small_site.write("data/terms.yaml", "- wrong: 牢记史命\n  right: 牢记使命\n")
    small_site.branch("hant", branch_text("繁體", "xuyi", body="本院全體幹警牢記史命、深入開展掃黑險惡專項鬥爭。\n"))
    errs = [(p, ln, m) for p, ln, c, m in errors(small_site.root) if c == "term"]
    assert sorted(errs) == sorted([("content/branches/hant.md", 6, "表述错误：“牢記史命”应为“牢记使命”"),
                                   ("content/branches/hant.md", 6, "表述错误：“掃黑險惡”应为“扫黑除恶”（固定提法）")])


def test_shipped_list_catches_common_mistakes_without_any_terms_file(small_site):
    assert not (small_site.root / "data" / "terms.yaml").exists()
    small_site.branch("s", branch_text("样例", "xuyi", body="坚持不忘出心，践行习近平法制思想，深化诉原治理。\n"))
    found = {m for _, _, c, m in errors(small_site.root) if c == "term"}
    assert found == {
        "表述错误：“不忘出心”应为“不忘初心”",
        "表述错误：“习近平法制思想”应为“习近平法治思想”（“法治”不是“法制”）",
        "表述错误：“诉原治理”应为“诉源治理”",
    }


def test_rule_file_change_invalidates_the_cache(small_site, cli):
    small_site.branch("c", branch_text("缓存", "xuyi", body="坚持牢记史命。\n"))
    assert cli("build", "--root", small_site.root).code == 0  # seeds the cache
    assert cli("build", "--root", small_site.root).code == 0
    small_site.write("data/terms.yaml", "- wrong: 牢记史命\n  right: 牢记使命\n")
    r = cli("build", "--root", small_site.root)
    assert r.code == 1 and "content/branches/c.md:6: 表述错误：“牢记史命”应为“牢记使命”" in r.err
    small_site.write("data/pii.yaml", "allow: []\n")  # any rule-file change: still found, not a stale pass
    assert cli("build", "--root", small_site.root).code == 1


def test_scan_results_come_from_the_cache_on_a_warm_build(small_site, cli, monkeypatch):
    assert cli("build", "--root", small_site.root).code == 0
    calls: list[str] = []
    real = publishcheck.scan_file
    monkeypatch.setattr(publishcheck, "scan_file", lambda data, rel, rules: calls.append(rel) or real(data, rel, rules))
    publishcheck._MEMO.clear()
    assert cli("build", "--root", small_site.root).code == 0
    assert calls == []
    small_site.branch("new", branch_text("新品牌", "xuyi"))
    publishcheck._MEMO.clear()
    assert cli("build", "--root", small_site.root).code == 0
    assert calls == ["content/branches/new.md"]


# ---------------------------------------------------------------------------- build refuses


def test_build_refused_on_pii_and_site_untouched(small_site, cli):
    assert cli("build", "--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    small_site.branch("leak", branch_text("泄露", "xuyi", body=f"申请执行人手机 {MOBILE}\n"))
    r = cli("build", "--root", small_site.root)
    assert r.code == 1
    assert "content/branches/leak.md:6: 发现手机号 138***78" in r.err
    assert "网站没有生成" in r.err
    assert tree_bytes(small_site.site) == before


def test_broken_markdown_link_fails_build_with_source_named(small_site, cli):
    assert cli("build", "--root", small_site.root).code == 0
    before = tree_bytes(small_site.site)
    small_site.branch("link", branch_text("链接", "xuyi", body="第一段。\n\n详见[这里](../nowhere/)。\n"))
    r = cli("build", "--root", small_site.root)
    assert r.code == 1, r.text
    line = next(ln for ln in r.err.splitlines() if "nowhere" in ln)
    assert line.startswith("content/branches/link.md:8: 链接“../nowhere/”")
    assert "branches/nowhere/index.html" in line and "不存在" in line
    assert tree_bytes(small_site.site) == before


def test_check_reports_broken_links_but_not_good_ones(small_site, cli):
    small_site.branch(
        "links",
        branch_text(
            "链接检查",
            "xuyi",
            body="[统计](../../stats/) [荣誉](../../honors/index.html#lv1) [品牌](../faguan-mama/) [顶部](#top)\n\n"
            "[附件](../../files/a.pdf)\n\n[根](/stats/)\n\n[上级](../../../other/)\n",
        ),
    )
    r = cli("check", "--root", small_site.root)
    assert r.code == 1
    bad = [ln for ln in diag_lines(r.out) if ln.startswith("content/branches/links.md")]
    assert len(bad) == 3, bad
    assert any(ln.startswith("content/branches/links.md:8: 附件“../../files/a.pdf”") for ln in bad)
    assert any(ln.startswith("content/branches/links.md:10: 链接“/stats/”") and "子目录" in ln for ln in bad)
    assert any(ln.startswith("content/branches/links.md:12: 链接“../../../other/”") and "超出" in ln for ln in bad)


def test_missing_markdown_image_is_an_error_at_its_line(small_site, cli):
    small_site.branch("img", branch_text("图片", "xuyi", body="第一段。\n\n![法官在社区讲解民法典](images/none.jpg)\n"))
    r = cli("check", "--root", small_site.root)
    assert r.code == 1
    assert any(ln.startswith("content/branches/img.md:8: ") and "images/none.jpg" in ln for ln in diag_lines(r.out))


def test_broken_nav_link_is_reported_once_at_site_yaml(site_dir, cli):
    site_dir.write("data/site.yaml", SITE_YAML + "  - {title: 关于, url: about/}\n")
    site_dir.branch("a", branch_text("甲品牌", "xuyi"))
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    bad = [ln for ln in diag_lines(r.out) if "about/index.html" in ln]
    assert len(bad) == 1 and bad[0].startswith("data/site.yaml:7: 链接"), bad


def test_broken_link_in_a_template_is_reported_at_the_template(small_site, cli):
    shipped = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    assert "{% block content %}" in shipped
    small_site.write(
        "themes/default/templates/page.html",
        shipped.replace("{% block content %}", "{% block content %}<a href=\"{{ url('missing/') }}\">坏链接</a>", 1),
    )
    r = cli("check", "--root", small_site.root)
    assert r.code == 1
    bad = [ln for ln in diag_lines(r.out) if "missing/index.html" in ln]
    assert len(bad) == 1 and bad[0].startswith("themes/default/templates/page.html: 链接"), bad
    assert "模板" in bad[0]


def test_a_missing_script_is_reported_at_the_template(small_site, cli):
    """A script's body is not scanned (its text only looks like markup), but its ``src`` is checked."""
    shipped = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    small_site.write(
        "themes/default/templates/page.html",
        shipped.replace("{% block content %}", "{% block content %}<script src=\"{{ url('assets/missing.js') }}\">"
                        "var a = '<a href=\"nowhere/\">';</script>", 1),
    )
    r = cli("check", "--root", small_site.root)
    assert r.code == 1
    bad = [ln for ln in diag_lines(r.out) if "missing.js" in ln]
    assert len(bad) == 1 and bad[0].startswith("themes/default/templates/page.html: 脚本文件"), bad
    assert not [ln for ln in diag_lines(r.out) if "nowhere" in ln]


# ---------------------------------------------------------------------------- external, titles, columns


def test_check_external_lists_external_links_without_network(small_site, cli):
    small_site.branch("ext", branch_text("外链", "xuyi", body="见[最高法](https://www.court.gov.cn/zixun.html)。\n"))
    r = cli("check", "--external", "--root", small_site.root)
    assert r.code == 0, r.text
    assert "外部链接" in r.out
    assert "https://www.court.gov.cn/zixun.html  ← content/branches/ext.md:6" in r.out


def test_duplicate_titles_are_errors_at_both_sources(small_site):
    for day in ("01", "02"):
        small_site.write(
            f"content/news/2024-10-{day}-dangri.md", front("title: 主题党日活动", f'date: "2024-10-{day}"') + "活动。\n"
        )
    errs = [(p, ln) for p, ln, c, _ in errors(small_site.root) if c == "title"]
    assert errs == [("content/news/2024-10-01-dangri.md", 2), ("content/news/2024-10-02-dangri.md", 2)]


def test_empty_column_is_an_error_only_when_publishing(site_dir, cli, tmp_path):
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "founded: 2020", "draft: true"))  # nothing published yet
    r = cli("check", "--root", site_dir.root, "--report", tmp_path / "r.html")
    assert r.code == 0, r.text
    assert "全部品牌" in (tmp_path / "r.html").read_text(encoding="utf-8")  # noted for later
    site_dir.write("data/site.yaml", SITE_YAML + FULL_FOOTER)
    errs = [(p, c) for p, _, c, _ in errors(site_dir.root)]
    assert errs == [("site/branches/index.html", "column-empty"), ("site/units/index.html", "column-empty")]


def test_a_site_without_honors_has_no_honors_column_until_the_first(site_dir, cli):
    """No empty 荣誉榜 to publish (an inspection fault), and no link to one; it comes with the first honor."""
    site_dir.write("data/site.yaml", SITE_YAML + FULL_FOOTER)
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "founded: 2020"))
    r = cli("build", "--root", site_dir.root)
    assert r.code == 0, r.text
    assert not (site_dir.site / "honors").exists()
    assert not [f for f in site_dir.site.rglob("*.html") if 'honors/index.html"' in f.read_text(encoding="utf-8")]
    for page in ("index.html", "stats/index.html"):  # no "0项" tiles for honors a site does not have yet
        assert "荣誉</span>" not in (site_dir.site / page).read_text(encoding="utf-8"), page
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "founded: 2020", "honors:", "  - title: 市级先进基层党组织",
                                     "    level: 市级", "    year: 2023"))
    r = cli("build", "--root", site_dir.root)
    assert r.code == 0, r.text
    assert "市级先进基层党组织" in (site_dir.site / "honors" / "index.html").read_text(encoding="utf-8")
    assert 'href="../honors/index.html"' in (site_dir.site / "stats" / "index.html").read_text(encoding="utf-8")
    assert '品牌获得荣誉</span>' in (site_dir.site / "stats" / "index.html").read_text(encoding="utf-8")


def test_traditional_pages_of_a_published_site_carry_the_footer_in_traditional(site_dir, cli):
    """With both scripts and publish: true the Traditional twins show the identity as converted
    (蘇ICP備…號) and pass; a theme that drops the footer from them is still caught."""
    site_dir.write("data/site.yaml", SITE_YAML + "languages: [zh-Hans, zh-Hant]\n" + FULL_FOOTER)
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "founded: 2020"))
    r = cli("build", "--root", site_dir.root)
    assert r.code == 0, r.text
    twin = (site_dir.site / "zh-hant" / "index.html").read_text(encoding="utf-8")
    assert "蘇ICP備12345678號" in twin and "測試人民法院機關黨委" in twin
    theme = site_dir.root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    base = (REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    dropped = base.replace("{% if f.icp %}", '{% if f.icp and page.lang != "zh-Hant" %}', 1)
    assert dropped.count("page.lang != ") == 1 and dropped != base
    (theme / "base.html").write_text(dropped, encoding="utf-8")
    r = cli("build", "--root", site_dir.root)
    assert r.code == 1
    assert "site/zh-hant/index.html缺少页脚ICP备案号" in r.text and "site/index.html缺少" not in r.text


# ---------------------------------------------------------------------------- site identity


@pytest.mark.parametrize("key", ["contact", "site_code", "icp", "police"])
def test_publish_requires_every_footer_identifier(site_dir, key):
    lines = [ln for ln in FULL_FOOTER.splitlines() if not ln.strip().startswith(f"{key}:")]
    site_dir.write("data/site.yaml", SITE_YAML + "\n".join(lines) + "\n")
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "founded: 2020"))
    errs = [(p, m) for p, _, c, m in errors(site_dir.root) if c == "site-identity"]
    assert len(errs) == 1 and errs[0][0] == "data/site.yaml" and f"footer.{key}" in errs[0][1], errs


def test_publish_requires_owner(site_dir):
    text = SITE_YAML.replace("owner: 测试人民法院机关党委\n", "") + FULL_FOOTER.replace(
        "  owner: 测试人民法院机关党委\n", ""
    )
    assert "owner" not in text
    site_dir.write("data/site.yaml", text)
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "founded: 2020"))
    assert any("主办单位" in m for _, _, _, m in errors(site_dir.root))


def test_published_pages_carry_identity_meta_and_footer(small_site, cli):
    small_site.write("data/site.yaml", SITE_YAML + FULL_FOOTER)
    dateless = small_site.root / "content/branches/shantiao.md"
    dateless.write_text(
        dateless.read_text(encoding="utf-8").replace("unit: xuyi\n", "unit: xuyi\nfounded: 2019\n"), encoding="utf-8"
    )
    small_site.branch(
        "ms",
        branch_text(
            "大事记品牌",
            "xuyi",
            "slug: ms",
            "founded: 2015-03",
            "milestones:",
            "  - date: 2016-05-20",
            "    text: 挂牌",
            "  - date: 2023-09",
            "    text: 获评先进",
        ),
    )
    r = cli("build", "--root", small_site.root)
    assert r.code == 0, r.text
    site = small_site.site
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for needle in (
            'name="SiteName"',
            'name="SiteDomain" content="www.example.gov.cn"',
            'name="SiteIDCode" content="3208000001"',
            "苏ICP备12345678号",
            "苏公网安备 32080002000001号",
            "0517-88888888",
        ):
            assert needle in text, (page, needle)
    pub = re.compile(r'<meta name="PubDate" content="([^"]+)">')
    assert pub.findall((site / "branches/ms/index.html").read_text(encoding="utf-8")) == ["2023-09-01 00:00"]
    assert pub.findall((site / "branches/faguan-mama/index.html").read_text(encoding="utf-8")) == ["2014-01-01 00:00"]
    news = next(site.glob("news/*/index.html")).read_text(encoding="utf-8")
    assert pub.findall(news) == ["2024-12-01 00:00"]
    assert 'name="ArticleTitle"' in news and 'name="ContentSource"' in news
    honors = (site / "honors/index.html").read_text(encoding="utf-8")
    assert 'name="ColumnName"' in honors and 'name="ColumnType"' in honors


def test_branch_without_any_date_needs_one_when_publishing(small_site):
    small_site.write("data/site.yaml", SITE_YAML + FULL_FOOTER)
    errs = [(p, ln, m) for p, ln, c, m in errors(small_site.root) if c == "site-identity"]
    # shantiao has neither founded nor milestones
    assert errs == [("content/branches/shantiao.md", 2, errs[0][2])]
    assert "founded" in errs[0][2] and "milestones" in errs[0][2] and "updated" in errs[0][2]
    assert "不要为此编造" in errs[0][2]


def test_the_page_date_gives_pubdate_without_inventing_a_founding_year(small_site, cli):
    """``updated`` (the page's own date) satisfies PubDate and wins over milestones; it is shown on the page."""
    small_site.write("data/site.yaml", SITE_YAML + FULL_FOOTER)
    dateless = small_site.root / "content/branches/shantiao.md"
    dateless.write_text(dateless.read_text(encoding="utf-8").replace("unit: xuyi\n", "unit: xuyi\nupdated: 2024-12-01\n"),
                        encoding="utf-8")
    small_site.branch("ms", branch_text("大事记品牌", "xuyi", "slug: ms", "updated: 2025-03", "milestones:",
                                        "  - date: 2023-09", "    text: 获评先进"))
    r = cli("build", "--root", small_site.root)
    assert r.code == 0, r.text
    pub = re.compile(r'<meta name="PubDate" content="([^"]+)">')
    page = (small_site.site / "branches/shantiao-xiangcun/index.html").read_text(encoding="utf-8")
    assert pub.findall(page) == ["2024-12-01 00:00"] and "本页更新：<time datetime=\"2024-12-01\">2024年12月1日</time>" in page
    assert pub.findall((small_site.site / "branches/ms/index.html").read_text(encoding="utf-8")) == ["2025-03-01 00:00"]
    assert "创建时间" not in page  # nothing invented on the page


# ---------------------------------------------------------------------------- report


def test_check_report_writes_a_chinese_report_and_exits_1(small_site, cli, tmp_path):
    small_site.branch(
        "bad", branch_text("问题品牌", "xuyi", body=f"被告人王五的电话 {MOBILE}。\n\n见[此处](../nowhere/)。\n")
    )
    before = tree_bytes(small_site.root)
    out = tmp_path / "r.html"
    r = cli("check", "--root", small_site.root, "--report", out)
    assert r.code == 1
    assert tree_bytes(small_site.root) == before  # check writes nothing in the site source
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in text
    assert "不能发布" in text and "检查项目汇总" in text
    for name in ("个人信息", "表述规范", "链接、图片与附件", "页面标题", "空白栏目", "网站标识与备案信息"):
        assert name in text
    assert "content/branches/bad.md" in text
    assert '<td class="num">6</td>' in text and '<td class="num">8</td>' in text  # lines
    assert "张某" in text or "王某" in text  # the fix for a full name
    assert MOBILE not in text
    # self-contained: inline CSS, no scripts, no external files
    assert "<style>" in text and "<script" not in text and "<link" not in text and " src=" not in text


def test_report_says_which_checks_could_not_run(small_site, cli, tmp_path):
    small_site.branch("broken", branch_text("坏数字", "xuyi", "members: 很多"))
    r = cli("check", "--root", small_site.root, "--report", tmp_path / "r.html", "--external")
    assert r.code == 1
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "未执行" in text and "content/branches/broken.md" in text
    assert "无法列出外部链接" in r.out


def test_report_of_a_clean_site_says_it_can_be_published(small_site, cli, tmp_path):
    r = cli("check", "--root", small_site.root, "--report", tmp_path / "ok.html")
    assert r.code == 0
    assert "可以发布" in (tmp_path / "ok.html").read_text(encoding="utf-8")



def test_report_markup_is_the_shipped_template_and_escapes_what_editors_wrote(small_site, cli, tmp_path):
    """The report's markup lives in checks/templates/report.html with autoescape on: a title or a value an editor
    typed shows as text, never as markup (the report is mailed and opened in a browser)."""
    small_site.write("data/site.yaml", SITE_YAML.replace("title: 测试站点", "title: 测试<b>站点</b> & 法院"))
    small_site.branch("bad", branch_text("坏数字", "xuyi", "members: <i>很多</i>"))
    r = cli("check", "--root", small_site.root, "--report", tmp_path / "r.html")
    assert r.code == 1
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "测试&lt;b&gt;站点&lt;/b&gt; &amp; 法院" in text and "<b>" not in text
    assert "&lt;i&gt;很多&lt;/i&gt;" in text and "<i>" not in text
    assert "content/branches/bad.md" in text
    template = (REPO / "brandsite/checks/templates/report.html").read_text(encoding="utf-8")
    assert "<h2>检查项目汇总</h2>" in template
    assert "<h2" not in (REPO / "brandsite/checks/report.py").read_text(encoding="utf-8")

# ---------------------------------------------------------------------------- editors' commits, sample


def test_pre_commit_config_runs_check_on_content_changes():
    cfg = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = [r for r in cfg["repos"] if r["repo"] == "local"]
    (hook,) = repo["hooks"]
    assert hook["entry"] == "python build.py check"
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert re.match(hook["files"], "content/branches/a.md") and re.match(hook["files"], "data/terms.yaml")
    assert not re.match(hook["files"], "brandsite/cli.py")


def test_publish_doc_covers_extending_rules_and_ci():
    doc = (REPO / "docs/发布检查.md").read_text(encoding="utf-8")
    for needle in (
        "data/terms.yaml",
        "data/pii.yaml",
        "<!-- pii: ok -->",
        "pre-commit install",
        ".gitlab-ci.yml",
        "python build.py check --report",
        "--external",
        "PubDate",
    ):
        assert needle in doc, needle


def test_sample_site_has_no_publish_findings():
    result = pipeline.check(pipeline.Options(root=REPO))
    blocking = [d.format() for d in result.report.errors]
    assert blocking == []
    assert result.inspection is not None and result.inspection.broken == 0


def test_link_to_a_draft_branch_is_a_warning_not_an_error(tmp_path):
    """Editors link to a brand still being written; it works once that draft is published."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "src"
    shutil.copytree(repo / "content", root / "content")
    shutil.copytree(repo / "data", root / "data")
    draft = root / "content" / "branches" / "xuyi-zhixing-832.md"
    assert "draft: true" in draft.read_text(encoding="utf-8")
    page = root / "content" / "branches" / "faguan-mama.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n另见[执行服务](../xuyi-zhixing-832/)。\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(repo / "build.py"), "check", "--root", str(root)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "警告：链接“../xuyi-zhixing-832/”" in r.stdout and "指向草稿" in r.stdout
    page.write_text(page.read_text(encoding="utf-8").replace("xuyi-zhixing-832", "no-such-brand"), encoding="utf-8")
    r = subprocess.run([sys.executable, str(repo / "build.py"), "check", "--root", str(root)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "指向的文件不存在" in r.stdout


def test_one_fold_for_both_scans_finds_what_each_scan_finds_line_by_line(tmp_path):
    """``scan_file`` folds a file once (``script.fold_lines``) and hands the lines to both scans;
    each scan folding line by line (the plain path) reports exactly the same findings."""
    from brandsite.checks import pii, terms
    from brandsite.core.diagnostics import Report
    from brandsite.core.script import fold_in_place, fold_lines

    rules = publishcheck.load_rules(tmp_path, Report(tmp_path))
    ident = "11010519491231002" + id_check_digit("11010519491231002")
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    texts.append("\r\n".join([
        "---", "brand: 聽我斷案", "---", f"被告人張三，身份證{ident}，電話１３８１２３４５６７８。",
        "坚持以人民为中心的发展思想，全心全意为人民服物。", "", "人民對美好生活的嚮往<!-- pii: ok -->",
        "原告李四 13812345678", "銀行卡 6222 0212 3456 7890 128", "习近平新时代中国特色社会注意思想", "乾隆 後來 髮型 頭髮",
    ]))
    found = 0
    for text in texts:
        fast = publishcheck.scan_file(text.encode("utf-8"), "content/branches/x.md", rules)
        plain = Report()
        pii.scan_text(text, "content/branches/x.md", 1, plain, rules.pii)
        terms.scan_text(text, "content/branches/x.md", 1, plain, rules.terms)
        assert [d for d in fast if d.code.startswith(("pii", "term"))] == plain.items
        found += len(plain.items)
        lines = [raw.rstrip("\r") for raw in text.split("\n")]
        assert fold_lines(lines) == [fold_in_place(line) for line in lines]
    assert found >= 5  # the mixed text has findings of every kind


def test_leftovers_quick_refusal_finds_what_the_line_by_line_search_finds(monkeypatch):
    """``leftovers.find`` skips a file in which none of its marks occurs anywhere; the line-by-line
    search (``_ANY`` matching everything) finds the same leftovers in files that have them."""
    import re as re_mod

    from brandsite.authoring import scaffold
    from brandsite.checks import leftovers

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    texts += [scaffold.branch_template("法官妈妈", "xuyi", "faguan-mama"), "备案号：京ICP备0000０000号\n电话 0000-00000000",
              f"---\nbrand: x\n---\n{leftovers.SAMPLE_COURT}\r\n一句话品牌口号\n", "无\n"]
    fast = [leftovers.find(t, 3) for t in texts]
    monkeypatch.setattr(leftovers, "_ANY", re_mod.compile(""))
    assert [leftovers.find(t, 3) for t in texts] == fast
    assert sum(map(len, fast)) >= 5 and fast[-1] == []
