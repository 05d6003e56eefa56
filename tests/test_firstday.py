"""A court's first day: ``new site``, ``new branch``, and a blank form that cannot leak."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import branch_text, front, tree_bytes

from brandsite.checks import leftovers

pytestmark = pytest.mark.usefixtures("fast_templates")

DIAG = re.compile(r"^(content/[^:\s]+|data/[^:\s]+):(\d+): (.+)$", re.M)


def errors(text: str) -> list[tuple[str, int, str]]:
    return [(m[1], int(m[2]), m[3]) for m in DIAG.finditer(text) if not m[3].startswith("警告")]


def set_line(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def new_court(tmp_path: Path, cli) -> Path:
    root = tmp_path / "court"
    r = cli("new", "site", root)
    assert r.code == 0, r.text
    return root


# ---------------------------------------------------------------------------- new site


def test_new_site_is_complete_and_passes_check_as_it_is(tmp_path, cli):
    root = new_court(tmp_path, cli)
    for rel in ("data/site.yaml", "data/units.yaml", "data/metrics.yaml", "data/terms.yaml", "data/pii.yaml",
                "content/pages/about.md", "content/branches", "content/news"):
        assert (root / rel).exists(), rel
    site_yaml = (root / "data" / "site.yaml").read_text(encoding="utf-8")
    for key in ("title:", "owner:", "publish: false", "contact:", "site_code:", "icp:", "police:", "nav:"):
        assert key in site_yaml
    r = cli("check", "--root", root)
    assert r.code == 0, r.text
    assert "可以发布" in r.out
    # the sample identity is pointed out once per file, not refused
    assert "data/site.yaml" in r.out and "示例" in r.out
    b = cli("build", "--root", root)
    assert b.code == 0, b.text
    assert (root / "site" / "about" / "index.html").is_file()


def test_new_site_refuses_a_folder_with_anything_in_it(tmp_path, cli):
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.txt").write_text("编辑的文件", encoding="utf-8")
    before = tree_bytes(root)
    r = cli("new", "site", root)
    assert r.code == 1
    assert "不是空的" in r.err
    assert tree_bytes(root) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("new", "site", empty).code == 0
    assert (empty / "data" / "site.yaml").is_file()


def test_new_site_placeholders_are_refused_once_published(tmp_path, cli):
    root = new_court(tmp_path, cli)
    set_line(root / "data" / "site.yaml", "publish", "true")
    r = cli("check", "--root", root)
    assert r.code == 1
    found = errors(r.out)
    site_lines = {line for path, line, msg in found if path == "data/site.yaml" and "示例" in msg or "占位号码" in msg}
    text = (root / "data" / "site.yaml").read_text(encoding="utf-8").split("\n")
    expected = {i + 1 for i, line in enumerate(text) if "示例人民法院" in line or "0000" in line}
    assert expected and expected <= site_lines
    assert any(path == "data/units.yaml" and "示例人民法院" in msg for path, _, msg in found)


# ---------------------------------------------------------------------------- the blank form


def test_blank_form_with_only_draft_false_is_refused_line_by_line(tmp_path, cli):
    """The shared first-day hook, and the issue's story: only the story filled in, then draft: false."""
    root = new_court(tmp_path, cli)
    assert cli("new", "branch", "三心系天平", "--root", root).code == 0
    (path,) = (root / "content" / "branches").glob("*.md")
    assert cli("check", "--root", root).code == 0  # a fresh form is a valid draft
    text = path.read_text(encoding="utf-8")
    text = text.replace("【待填写】用几段话介绍品牌的由来、做法和成效。第一段会自动作为简介。", "支部以“三心”为抓手服务群众。")
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    r = cli("check", "--root", root)
    assert r.code == 1
    lines = text.split("\n")
    marked = {i + 1 for i, line in enumerate(lines) if "【示例】" in line or "【待填写】" in line}
    reported = {line for p, line, msg in errors(r.out) if p.endswith(path.name) and "表单" in msg}
    assert marked and marked == reported
    assert "180余次" not in [ln.split("#")[0] for ln in lines if not ln.startswith("#")]
    b = cli("build", "--root", root)
    assert b.code == 1
    assert not (root / "site").exists()


def test_form_holds_no_example_value_outside_comments_and_a_slug_line(tmp_path, cli):
    root = new_court(tmp_path, cli)
    assert cli("new", "branch", "法官妈妈", "--root", root).code == 0
    text = (root / "content" / "branches" / "faguan-mama.md").read_text(encoding="utf-8")
    assert re.search(r"^slug: faguan-mama\b", text, re.M)
    for line in text.split("\n"):
        value = line.split("#", 1)[0]
        for example in ("180余次", "普法宣传", "省级", "2023", "2024", "一句话品牌口号", "全省法院"):
            assert example not in value, line


def test_filled_in_branch_publishes(tmp_path, cli):
    root = new_court(tmp_path, cli)
    assert cli("new", "branch", "法官妈妈", "--root", root).code == 0
    path = root / "content" / "branches" / "faguan-mama.md"
    kept = [ln for ln in path.read_text(encoding="utf-8").split("\n") if "【示例】" not in ln]
    text = "\n".join(kept).replace("branch: 【待填写】", "branch: 第二党支部")
    text = text.replace("【待填写】用几段话介绍品牌的由来、做法和成效。第一段会自动作为简介。", "法官走进网格化解纠纷。")
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    r = cli("build", "--root", root)
    assert r.code == 0, r.text
    assert (root / "site" / "branches" / "faguan-mama" / "index.html").is_file()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("slogan: 一句话品牌口号", "form"),
        ("cover_alt: 图片内容说明", "form"),
        ("在这里用几段话介绍品牌的由来", "form"),
        ("#  - metric: 普法宣传    # 【示例】指标名称", "form"),
        ("#    value: 180余次    # 【导入建议】", "form"),
        ("# 【导入建议】出处：“开展送法下乡180余次”", "form"),
        ("branch: 【待填写】", "form"),
        ("owner: 示例人民法院机关党委", "site"),
        ("  contact: 联系电话：0000-00000000", "site"),
        ('  site_code: "0000000000"', "site"),
        ("  icp: ICP备00000000号", "site"),
    ],
)
def test_leftover_table(line, kind):
    found = leftovers.find("first\n" + line, 10)
    assert [(lo.line, lo.kind) for lo in found] == [(11, kind)]


@pytest.mark.parametrize(
    "line",
    ["value: 10000次", "year: 2000", "电话：0517-80000000", "办结案件3000件", "示例性做法得到推广"],
)
def test_real_content_is_no_leftover(line):
    assert leftovers.find(line) == []


def test_old_form_placeholders_in_a_published_branch_are_refused(site_dir, cli):
    site_dir.branch("a", branch_text("法官妈妈", "xuyi", "slogan: 一句话品牌口号"))
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    assert ("content/branches/a.md", 5) in {(p, ln) for p, ln, _ in errors(r.out)}
    site_dir.branch("a", branch_text("法官妈妈", "xuyi", "slogan: 一句话品牌口号", "draft: true"))
    assert cli("check", "--root", site_dir.root).code == 0


def test_leftovers_in_a_file_with_broken_yaml_are_still_named(site_dir, cli):
    site_dir.write("content/news/a.md", front("title：动态", "date: 2024-01-02") + "【待填写】正文\n")
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    assert ("content/news/a.md", 5) in {(p, ln) for p, ln, _ in errors(r.out)}


# ---------------------------------------------------------------------------- checks that are always on


def test_builtin_formulation_list_is_large_and_every_entry_has_miswritings():
    from brandsite.checks.terms import BUILTIN, load_terms
    from brandsite.core.diagnostics import Report

    report = Report()
    rules = load_terms(BUILTIN, report)
    assert report.items == [], report.lines()
    assert len(rules) >= 300
    assert all(rule.wrong for rule in rules.rules)
    rights = {rule.right for rule in rules.rules}
    for phrase in ("不忘初心", "牢记使命", "两个维护", "扫黑除恶", "枫桥经验", "以人民为中心", "从严治党"):
        assert phrase in rights, phrase


def test_a_new_site_without_terms_file_catches_a_set_phrase_typo_in_either_script(tmp_path, cli):
    root = new_court(tmp_path, cli)
    (root / "data" / "terms.yaml").unlink()
    (root / "content" / "pages" / "about.md").write_text(
        front("title: 关于本站", "slug: about") + "全院坚持不忘出心。\n\n堅持新時代峰橋經驗。\n", encoding="utf-8")
    r = cli("check", "--root", root)
    assert r.code == 1
    assert "content/pages/about.md:5: 表述错误：“不忘出心”应为“不忘初心”" in r.out
    assert "content/pages/about.md:7: 表述错误：“峰橋經驗”应为“枫桥经验”" in r.out
    assert re.search(r"已运行的检查规则：表述规范：内置 (\d{3}) 条固定提法；个人信息：身份证号、手机号、银行卡号、当事人姓名", r.out)


def test_site_terms_add_entries_and_switch_one_off_only_with_a_reason(tmp_path, cli):
    root = new_court(tmp_path, cli)
    about = root / "content" / "pages" / "about.md"
    about.write_text(front("title: 关于本站", "slug: about") + "牢记史命。不忘出心。\n", encoding="utf-8")
    terms = root / "data" / "terms.yaml"
    terms.write_text("- wrong: 牢记史命\n  right: 牢记使命\n- disable: 不忘初心\n", encoding="utf-8")
    r = cli("check", "--root", root)
    assert "data/terms.yaml:3: 第 2 条：关闭内置规则“不忘初心”必须写明原因" in r.out
    assert "“不忘出心”应为“不忘初心”" in r.out  # not switched off without a reason
    assert "“牢记史命”应为“牢记使命”" in r.out
    terms.write_text("- wrong: 牢记史命\n  right: 牢记使命\n- disable: 不忘初心\n  reason: 测试\n", encoding="utf-8")
    r = cli("check", "--root", root)
    assert "不忘出心" not in r.out and "“牢记史命”应为“牢记使命”" in r.out
    assert re.search(r"表述规范：内置 \d+ 条固定提法，本站增加 1 条，本站关闭 1 条", r.out)
    terms.write_text("- disable: 不存在的提法\n  reason: 测试\n", encoding="utf-8")
    assert "没有可关闭的规则" in cli("check", "--root", root).out


def test_site_pii_switches_a_check_off_only_with_a_reason(tmp_path, cli):
    root = new_court(tmp_path, cli)
    about = root / "content" / "pages" / "about.md"
    about.write_text(front("title: 关于本站", "slug: about") + "被告人张三到庭。\n", encoding="utf-8")
    pii_file = root / "data" / "pii.yaml"
    assert "张三" in cli("check", "--root", root).out
    pii_file.write_text("disable:\n  - check: 当事人姓名\n", encoding="utf-8")
    r = cli("check", "--root", root)
    assert "必须写明原因" in r.out and "张三" in r.out
    pii_file.write_text("disable:\n  - check: 当事人姓名\n    reason: 历史案例均已公开\n", encoding="utf-8")
    r = cli("check", "--root", root)
    assert r.code == 0, r.out
    assert "本站关闭：当事人姓名" in r.out


def test_inspection_report_names_the_rule_sets(tmp_path, cli):
    root = new_court(tmp_path, cli)
    out = tmp_path / "report.html"
    assert cli("check", "--root", root, "--report", out).code == 0
    html = out.read_text(encoding="utf-8")
    assert re.search(r"内置 \d{3} 条固定提法", html)
    assert "13 个案件角色词" in html


# ---------------------------------------------------------------------------- every error in one round


FIVE_ROUNDS = (
    "---\n"
    "brand：三心系天平\n"                     # 2 full-width colon
    "branch: 第一党支部\n"
    "unit: xuyi\n"
    "founded:2017\n"                          # 5 no space after the colon
    "stats:\n"
    "\t- metric: 普法宣传\n"                   # 7 tab
    "\t  value: 很多次\n"                      # 8 tab, and not a number
    "\t  year: 2024\n"                         # 9 tab
    "  - metric: 法治宣传\n"
    "    value: 65件\n"                        # 11 the vocabulary counts 次, not 件 (reported at line 10)
    "    year: 二〇二四年\n"                   # 12 not a year
    "honors:\n"
    "  - title: 先进基层党组织\n"
    "    level: 很高\n"                        # 15 not a level
    "---\n"
    "支部以“三心”服务群众。\n"
)


def test_the_five_round_file_reports_everything_in_one_round(site_dir, cli):
    site_dir.branch("sanxin", FIVE_ROUNDS)
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    lines = sorted(ln for p, ln, _ in errors(r.out) if p == "content/branches/sanxin.md")
    assert lines == [2, 5, 7, 8, 8, 9, 10, 12, 15], r.out  # the unit: at its stat (line 10)


def test_a_news_item_naming_an_unreadable_branch_gets_no_false_error(site_dir, cli):
    site_dir.branch("sanxin", "---\nbrand: 三心系天平\nbranch: [第一党支部\n---\n正文。\n")
    site_dir.write("content/news/2024-01-02-a.md",
                   front("title: 三心系天平开展活动", 'date: "2024-01-02"', "branch: 三心系天平") + "正文。\n")
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    assert "不存在" not in r.out
    assert "content/news/2024-01-02-a.md:4: 警告：无法核对：content/branches/sanxin.md 有错误" in r.out
    assert [p for p, _, _ in errors(r.out)] == ["content/branches/sanxin.md"]


# ---------------------------------------------------------------------------- editors' wording: images


def test_cover_path_differing_in_case_or_extension_gets_did_you_mean(site_dir, cli):
    from conftest import tiny_png as png_bytes

    site_dir.write("content/branches/images/SanXin-DangJian.JPG", png_bytes())
    site_dir.branch("a", branch_text("三心系天平", "xuyi", "cover: images/sanxin-dangjian.jpg",
                                     "cover_alt: 法官在社区讲解民法典"))
    r = cli("check", "--root", site_dir.root)
    assert "content/branches/a.md:5: 封面图“images/sanxin-dangjian.jpg”不存在" in r.out
    assert "是不是“images/SanXin-DangJian.JPG”？" in r.out
    site_dir.branch("a", branch_text("三心系天平", "xuyi", body="正文。\n\n![法官在社区讲解民法典](images/sanxin-dangjian.jpeg)\n"))
    r = cli("check", "--root", site_dir.root)
    assert "是不是“images/SanXin-DangJian.JPG”？" in r.out
    site_dir.branch("a", branch_text("三心系天平", "xuyi", "cover: images/other.jpg", "cover_alt: 法官在社区讲解民法典"))
    assert "是不是" not in cli("check", "--root", site_dir.root).out


@pytest.mark.parametrize("alt", ["照片", "图片", "image", "封面", "Photo", "IMG_0001.jpg"])
def test_alt_texts_that_say_nothing_are_errors(site_dir, cli, alt):
    from conftest import tiny_png as png_bytes

    site_dir.write("content/branches/images/a.png", png_bytes())
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "cover: images/a.png", f"cover_alt: {alt}"))
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    assert f"content/branches/a.md:6: 图片说明“{alt}”没有说出图片里是什么" in r.out
    site_dir.branch("a", branch_text("甲品牌", "xuyi", body=f"正文。\n\n![{alt}](images/a.png)\n"))
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1 and "没有说出图片里是什么" in r.out
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "cover: images/a.png", "cover_alt: 法官为小学生讲解宪法"))
    assert cli("check", "--root", site_dir.root).code == 0


# ---------------------------------------------------------------------------- suggestions only when close

SAMPLE_METRICS = Path(__file__).resolve().parents[1] / "data" / "metrics.yaml"


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        # the two wrong suggestions of the issue, and other real free-text metrics of the seeds
        ("党员干警办结案件占比", None),
        ("回访当事人", None),
        ("获市级以上表彰党员", None),
        ("诉调对接功能室", None),
        ("诉源治理试点镇", None),
        ("线上收集群众建议", None),
        ("开展法治讲堂", None),
        ("送法进校园", None),
        ("调解成功率", None),
        ("结案", None),
        ("办结案件", None),
        ("结案率", None),
        ("志愿者", None),
        ("读书活动", None),
        ("宣讲团人数", None),
        ("讲述", None),
        ("出庭应诉", None),  # a count is not the rate 出庭应诉率
        ("信访化解率", None),  # nor the other way round
        # near spellings and known names with a short qualifier
        ("普法宣传活动", "普法宣传"),
        ("群众满意率", "群众满意度"),
        ("化解纠纷案件", "化解纠纷"),
        ("执行到位金额数", "执行到位金额"),
        ("志愿服务次数", "志愿服务"),
        ("巡回审理", "巡回审判"),
        ("法律咨詢服务", "法律咨询"),
        ("学习活动次数", "学习活动"),
        ("党员干警获表彰人次", "党员获表彰"),
        ("故事会", "讲述活动"),
        ("普法受众人数", "普法受众"),
        ("宣讲团成员数", "宣讲团成员"),
        ("执行到位款项", "执行到位金额"),
        ("化解信访事项数", "化解信访事项"),
        ("巡回审判点", "巡回审判"),
        ("化解矛盾", "化解纠纷"),
    ],
)
def test_metric_suggestions_only_when_close(tmp_path, cli, written, suggested):
    from conftest import make_site

    s = make_site(tmp_path / "src")
    s.write("data/metrics.yaml", SAMPLE_METRICS.read_text(encoding="utf-8"))
    s.branch("a", branch_text("甲品牌", "xuyi", "stats:", f"  - metric: {written}", "    value: 3"))
    r = cli("check", "--root", s.root)
    line = next(ln for ln in r.out.splitlines() if ln.startswith("content/branches/a.md:6:") and "统计口径" in ln)
    assert f"指标“{written}”不在统计口径中" in line
    if suggested is None:
        assert "是否指" not in line, line
    else:
        assert line.endswith(f"是否指“{suggested}”？"), line


# ---------------------------------------------------------------------------- editors' wording: honor levels


def test_honor_levels_are_shown_as_written_and_counted_once_at_the_highest(small_site, cli):
    small_site.branch("quji", branch_text(
        "区级品牌", "xuyi", "honors:",
        "  - title: 区级先进基层党组织", "    level: 区级", "    year: 2023",
        "  - title: 优秀调解案例", "    level: 省、市、区", "    year: 2024",
        "  - title: 法治宣传先进集体", "    level: [市级, 县级]", "    year: 2022"))
    r = cli("build", "--root", small_site.root)
    assert r.code == 0, r.text
    page = (small_site.site / "branches" / "quji-pinpai" / "index.html").read_text(encoding="utf-8")
    for shown in ("区级", "省、市、区", "市级、县级"):
        assert f">{shown}</span>" in page, shown
    stats = json.loads((small_site.site / "stats" / "stats.json").read_text(encoding="utf-8"))
    by_level = stats["honors"]["by_level"]
    # small_site: 国家级 1, 省级 1; here 省级 +1 (省、市、区), 市级 +1 ([市级, 县级]), 县级 +1 (区级)
    assert by_level == {"国家级": 1, "省级": 2, "市级": 1, "县级": 1, "院级": 0}, by_level
    honors = (small_site.site / "honors" / "index.html").read_text(encoding="utf-8")
    assert ">省、市、区</span>" in honors


def test_whole_region_is_still_ambiguous(site_dir, cli):
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "honors:", "  - title: 先进集体", "    level: 全区"))
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1 and "content/branches/a.md:7: 荣誉级别“全区”有歧义" in r.out


# ---------------------------------------------------------------------------- empty sections, robots.txt


def test_nav_entries_of_empty_sections_are_left_out_with_a_warning_until_content_exists(tmp_path, cli):
    root = new_court(tmp_path, cli)
    r = cli("build", "--root", root)
    assert r.code == 0, r.text
    assert "导航“工作动态”（news/）暂不显示：还没有发布的工作动态" in r.err
    assert "导航“荣誉”（honors/）暂不显示：还没有任何荣誉" in r.err
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="news/' not in home and 'href="honors/' not in home
    assert "荣誉榜" not in home
    assert 'href="about/index.html"' in home
    (root / "content" / "news" / "2024-03-01-a.md").write_text(
        front("title: 第一条动态", 'date: "2024-03-01"') + "正文。\n", encoding="utf-8")
    r = cli("build", "--root", root)  # a warm build: every page shows the entry again
    assert r.code == 0, r.text
    assert "工作动态" not in r.err
    for page in ("index.html", "about/index.html", "stats/index.html"):
        assert 'news/index.html"' in (root / "site" / page).read_text(encoding="utf-8"), page


def test_nav_entry_to_a_draft_page_is_left_out_but_a_missing_page_is_an_error(site_dir, cli):
    site_dir.branch("a", branch_text("甲品牌", "xuyi"))
    yaml_text = (site_dir.root / "data" / "site.yaml").read_text(encoding="utf-8")
    site_dir.write("data/site.yaml", yaml_text + "  - {title: 关于, url: about/}\n")
    site_dir.write("content/pages/about.md", front("title: 关于", "slug: about", "draft: true") + "正文\n")
    r = cli("check", "--root", site_dir.root)
    assert r.code == 0, r.out
    assert "导航“关于”（about/）暂不显示：页面 content/pages/about.md 还是草稿" in r.out
    (site_dir.root / "content" / "pages" / "about.md").unlink()
    assert cli("check", "--root", site_dir.root).code == 1


def test_robots_txt_only_at_the_web_root(tmp_path, cli):
    root = new_court(tmp_path, cli)
    assert cli("build", "--root", root).code == 0
    assert (root / "site" / "robots.txt").is_file()
    site_yaml = root / "data" / "site.yaml"
    set_line(site_yaml, "base_path", "/djpp/")
    set_line(site_yaml, "# url", "")
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("# url: \n", "url: https://www.example.gov.cn/djpp/\n"),
                         encoding="utf-8")
    assert cli("build", "--root", root).code == 0
    assert not (root / "site" / "robots.txt").exists()
    report = tmp_path / "r.html"
    cli("check", "--root", root, "--report", report)
    assert "Sitemap: https://www.example.gov.cn/djpp/sitemap.xml" in report.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- serve lists its warnings


def test_serve_lists_its_warnings_like_build(site_dir):
    import io

    from brandsite import pipeline
    from brandsite.serve.server import Preview

    site_dir.branch("a", branch_text("甲品牌", "xuyi", "stats:", "  - metric: 诉调对接功能室", "    value: 3个"))
    log = io.StringIO()
    preview = Preview(pipeline.Options(root=site_dir.root, out=site_dir.root / "site", use_cache=False, workers=1),
                      "127.0.0.1", 0, stream=log)
    try:
        assert preview.rebuild().ok, log.getvalue()
        first = log.getvalue()
        assert "content/branches/a.md:6: 警告：指标“诉调对接功能室”不在统计口径中" in first
        assert "1 条警告" in first
        assert preview.rebuild().ok
        assert log.getvalue()[len(first):].count("诉调对接功能室") == 0  # unchanged: not listed again
        site_dir.branch("a", branch_text("甲品牌", "xuyi", "stats:", "  - metric: 诉源治理试点镇", "    value: 3个"))
        assert preview.rebuild().ok
        assert "content/branches/a.md:6: 警告：指标“诉源治理试点镇”" in log.getvalue()[len(first):]
    finally:
        preview.httpd.server_close()


# ---------------------------------------------------------------------------- the guide's first day, step by step

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "编辑指南.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def first_day_section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## 第一天：")
    return text[start : text.index("\n## 一、", start)]


def test_the_guide_starts_with_the_first_day():
    text = GUIDE.read_text(encoding="utf-8")
    headings = [ln for ln in _FENCE.sub("", text).splitlines() if ln.startswith("## ")]
    assert headings[0].startswith("## 第一天：")


def test_first_day_walkthrough_of_the_guide_works_as_written(tmp_path, cli, monkeypatch):
    """Runs every command of the section in order, checks every quoted answer against what the
    tool prints, and applies its edits: step 4 (only the story, draft: false) and the filled file."""
    monkeypatch.chdir(tmp_path)
    blocks = _FENCE.findall(first_day_section())
    last_out, created, ran = "", None, []
    for lang, body in blocks:
        lines = [ln for ln in body.splitlines() if ln.strip()]
        if lang == "markdown":
            assert created is not None
            created.write_text(body, encoding="utf-8")
            continue
        commands = [ln for ln in lines if ln.startswith("python build.py")]
        if commands:
            for command in commands:
                r = cli(*command.split()[2:])
                last_out = r.out + r.err
                ran.append(command.split()[2])
                m = re.search(r"已新建：(content/branches/\S+?\.md)", r.out)
                if m:
                    created = tmp_path / "我院网站" / m.group(1)
                    # step 4 of the guide: only the story written, then draft: false
                    text = created.read_text(encoding="utf-8")
                    text = text.replace("【待填写】用几段话介绍品牌的由来、做法和成效。第一段会自动作为简介。", "法官走进网格。")
                    created.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
            continue
        if lines and not any(ln.startswith(("pip ", "python -m venv", ".venv")) for ln in lines):
            for line in lines:  # a quoted answer of the tool
                assert line in last_out, f"指南中的“{line}”与工具的输出不符：\n{last_out}"
    assert ran[:3] == ["new", "check", "new"] and "check" in ran[3:] and ran[-1] == "--root", ran
    assert (tmp_path / "我院网站" / "site" / "branches" / "faguan-jin-wangge" / "index.html").is_file()


def test_every_publish_requirement_of_the_guide_is_enforced(tmp_path, cli):
    """The guide's list of what publish: true adds, each one broken in turn on a site that meets it."""
    root = new_court(tmp_path, cli)
    site_yaml = root / "data" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    for old, new in (("示例人民法院", "盱眙县人民法院"), ("联系电话：0000-00000000", "联系电话：0517-12368"),
                     ('"0000000000"', '"3208300001"'), ("ICP备00000000号", "苏ICP备12345678号"),
                     ("公网安备00000000000000号", "苏公网安备32083002000001号"),
                     ("# url: https://www.example.gov.cn/djpp/", "url: https://www.example.gov.cn/")):
        text = text.replace(old, new)
    site_yaml.write_text(text.replace("publish: false", "publish: true"), encoding="utf-8")
    units = root / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("示例人民法院", "盱眙县人民法院"), encoding="utf-8")
    root.joinpath("content", "branches", "a.md").write_text(
        branch_text("甲品牌", "benyuan", "founded: 2023", "honors:", "  - title: 先进集体", "    level: 县级"),
        encoding="utf-8")
    r = cli("check", "--root", root)
    assert r.code == 0, r.out
    good = site_yaml.read_text(encoding="utf-8")
    breaks = [
        ("data/site.yaml", "  icp: 苏ICP备12345678号", "  icp:", "footer.icp"),  # 1. identity
        ("data/site.yaml", "盱眙县人民法院机关党委", "示例人民法院机关党委", "示例"),  # 2. no sample values
        ("data/site.yaml", "url: https://www.example.gov.cn/", "# url:", "SiteDomain"),  # 3. url
        ("content/branches/a.md", "founded: 2023", "slogan: 口号", "PubDate"),  # 4. a date
        ("content/branches/a.md", "founded: 2023", "founded: 2023\ndraft: true", "空白栏目"),  # 5. no empty column
        ("content/branches/a.md", "这是品牌故事", "【待填写】这是品牌故事", "【待填写】"),  # 6. no form leftovers
    ]
    for rel, old, new, expected in breaks:
        path = root / rel
        before = path.read_text(encoding="utf-8")
        assert old in before, old
        path.write_text(before.replace(old, new), encoding="utf-8")
        r = cli("check", "--root", root)
        assert r.code == 1 and expected in r.out, (expected, r.out)
        path.write_text(before, encoding="utf-8")
    assert site_yaml.read_text(encoding="utf-8") == good
    section = first_day_section()
    for word in ("footer", "site_code", "icp", "police", "contact", "示例人民法院", "url", "updated", "founded", "milestones",
                 "空白栏目", "【待填写】"):
        assert word in section, word


# ---------------------------------------------------------------------------- a README that stands alone

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("rel", ["README.md", "docs/编辑指南.md", "docs/content-format.md", "docs/发布检查.md"])
def test_readme_and_guide_link_to_nothing_outside_the_repository(rel):
    path = REPO_ROOT / rel
    text = path.read_text(encoding="utf-8")
    prose = re.sub(r"`[^`\n]*`", "", _FENCE.sub("", text))  # code shows site-relative examples
    for target in re.findall(r"\]\(([^)\s]+)\)", prose) + re.findall(r'src="([^"]+)"', prose):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(REPO_ROOT) and resolved.exists(), target
    assert "../shared" not in text and "shared/spec" not in text


def test_readme_shows_the_virtual_environment_and_what_ci_needs():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in text and "docs/content-format.md" in text
    for need in ("root or sudo", "node and npm", "apt-get"):
        assert need in text, need
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get" in ci and "npm ci" in ci  # what the README says .ci/run needs is what it does
