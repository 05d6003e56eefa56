"""Reading editor files (sources, yamlio, schema): every mistake at its exact line, in Chinese."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import branch_text, front, tiny_png, tree_bytes

from brandsite import pipeline
from brandsite.content import yamlio
from brandsite.content.loading import load_branch
from brandsite.content.sources import decode, split_front_matter
from brandsite.core.diagnostics import Report

pytestmark = pytest.mark.usefixtures("fast_templates")


def errors_of(root: Path) -> list[tuple[str, int, str]]:
    result = pipeline.check(pipeline.Options(root=root))
    return [(d.path, d.line, d.message) for d in result.report.errors]


def only_error(root: Path, stem: str) -> tuple[int, str]:
    errs = [(line, msg) for path, line, msg in errors_of(root) if path == f"content/branches/{stem}.md"]
    assert len(errs) == 1, errs
    return errs[0]


# ---------------------------------------------------------------------------- schema


def test_missing_required_brand(site_dir):
    site_dir.branch("x", front("branch: 第一党支部", "unit: xuyi") + "正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 2
    assert "brand" in msg and "缺少必填属性" in msg and "品牌名称" in msg


def test_empty_required_value(site_dir):
    site_dir.branch("x", front("brand: 甲品牌", "branch:", "unit: xuyi") + "正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 3
    assert "branch" in msg and "不能为空" in msg


def test_wrong_type_members(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "slogan: 口号", "members: 很多"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 6
    assert "党员人数" in msg and "整数" in msg and "很多" in msg


def test_members_written_with_unit_is_accepted(site_dir, cli):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "members: 12名"))
    assert errors_of(site_dir.root) == []
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "members: -3"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 5 and "不能小于 0" in msg


@pytest.mark.parametrize(
    ("key", "suggested"),
    [("slogna", "slogan"), ("品牌", "brand"), ("Slogan", "slogan"), ("口号", "slogan"), ("成效", "stats")],
)
def test_unknown_key_with_suggestion(site_dir, key, suggested):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "founded: 2014", f"{key}: 某值"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 6
    assert f"未知属性“{key}”" in msg
    assert f"是不是想写“{suggested}”" in msg


def test_unknown_key_without_close_match_lists_known_keys(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "zzzqqq: 1"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 5
    assert "可用的属性" in msg and "brand" in msg and "slogan" in msg


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "1800", "明年"])
def test_bad_founded_date(site_dir, bad):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "slogan: 口号", f"founded: {bad}"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 6
    assert f"“{bad}”" in msg and "创建时间" in msg and "2019-06" in msg


@pytest.mark.parametrize("good", ["2014", "2019-06", '"2019-06"', "2024-12-01", "2024年12月1日", "2019年6月"])
def test_good_founded_dates(site_dir, good):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", f"founded: {good}"))
    assert errors_of(site_dir.root) == []


def test_cover_without_cover_alt(site_dir):
    site_dir.write("content/branches/images/x.png", tiny_png())
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "slogan: 口号", "cover: images/x.png"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 6
    assert "cover_alt" in msg


def test_cover_with_alt_is_fine_and_missing_image_is_an_error(site_dir):
    site_dir.write("content/branches/images/x.png", tiny_png())
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "cover: images/x.png", "cover_alt: 法官讲课"))
    assert errors_of(site_dir.root) == []
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "cover: images/nope.png", "cover_alt: 法官讲课"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 5 and "nope.png" in msg and "不存在" in msg


def test_honor_level_alias_and_bad_level(site_dir):
    site_dir.branch(
        "x",
        branch_text(
            "甲品牌", "xuyi",
            "honors:",                      # 5
            "  - title: 全省优秀案例",       # 6
            "    level: 全省",               # 7
            "  - title: 宇宙大奖",           # 8
            "    level: 宇宙级",             # 9
        ),
    )
    line, msg = only_error(site_dir.root, "x")
    assert line == 9
    assert "宇宙级" in msg and "省级" in msg
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "honors:", "  - title: 全省优秀案例", "    level: 全省"))
    branch, diags = load_branch(site_dir.root / "content/branches/x.md", site_dir.root)
    assert diags == []
    assert [h.level for h in branch.honors] == ["省级"]


def test_stats_value_not_a_number_points_at_value_line(site_dir):
    site_dir.branch(
        "x",
        branch_text("甲品牌", "xuyi", "stats:", "  - metric: 普法宣传", "    year: 2024", "    value: 很多"),
    )
    line, msg = only_error(site_dir.root, "x")
    assert line == 8
    assert "很多" in msg


def test_front_matter_that_is_not_a_mapping(site_dir):
    site_dir.branch("x", front("- 甲", "- 乙") + "正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 2 and "键: 值" in msg


# ---------------------------------------------------------------------------- YAML mistakes


def test_fullwidth_colon_names_the_fix_and_line(site_dir):
    site_dir.branch("x", front("branch: 第一党支部", "brand：法官妈妈", "unit: xuyi") + "正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 3
    assert "全角冒号" in msg and "brand: " in msg


def test_missing_space_after_colon(site_dir):
    site_dir.branch("x", front("brand: 甲品牌", "branch:第一党支部", "unit: xuyi") + "正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 3 and "冒号后缺少空格" in msg


def test_tab_indentation(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "stats:", "\t- metric: 普法宣传", "\t  value: 65"))
    errs = [(p, ln, m) for p, ln, m in errors_of(site_dir.root)]
    assert [(ln) for _, ln, _ in errs] == [6, 7]
    assert all("Tab" in m for _, _, m in errs)


def test_unclosed_front_matter(site_dir):
    site_dir.branch("x", "---\nbrand: 甲品牌\nbranch: 第一党支部\n\n正文第一段。\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 1
    assert "没有结束" in msg and "---" in msg


def test_missing_front_matter(site_dir):
    site_dir.branch("x", "brand: 甲品牌\n正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 1 and "front matter" in msg


def test_fullwidth_fence(site_dir):
    site_dir.branch("x", "---\nbrand: 甲品牌\nbranch: 第一党支部\nunit: xuyi\n———\n正文\n")
    line, msg = only_error(site_dir.root, "x")
    assert line == 5 and "———" in msg


def test_unclosed_quote_is_translated(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", 'slogan: "为民司法', "founded: 2014"))
    errs = errors_of(site_dir.root)
    assert len(errs) == 1
    path, line, msg = errs[0]
    assert path == "content/branches/x.md" and 5 <= line <= 7
    assert "引号" in msg


def test_duplicate_keys_are_an_error(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "slogan: 第一句", "founded: 2014", "slogan: 第二句"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 7
    assert "slogan" in msg and "重复" in msg and "第 5 行" in msg


def test_duplicate_keys_inside_a_list_item(site_dir):
    site_dir.branch(
        "x", branch_text("甲品牌", "xuyi", "stats:", "  - metric: 普法宣传", "    value: 65", "    value: 70")
    )
    line, msg = only_error(site_dir.root, "x")
    assert line == 8 and "value" in msg and "重复" in msg


def test_gbk_file_says_utf8_and_gbk(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi").encode("gbk"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 2  # first non-ASCII byte is in the brand line
    assert "UTF-8" in msg and "GBK" in msg


def test_utf16_file(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi").encode("utf-16"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 1 and "UTF-16" in msg and "UTF-8" in msg


def test_bom_and_crlf_build_same_site_as_lf(tmp_path, cli):
    from conftest import make_site

    text = branch_text("甲品牌", "xuyi", "slogan: 口号", "founded: 2014", body="第一段。\n\n第二段。\n")
    outputs = {}
    for name, data in {
        "lf": text.encode("utf-8"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    }.items():
        s = make_site(tmp_path / name)
        s.branch("jia", data)
        r = cli("build", "--root", s.root, "--no-cache")
        assert r.code == 0, (name, r.text)
        outputs[name] = tree_bytes(s.site)
    assert "branches/jiapinpai/index.html" in outputs["lf"]
    assert outputs["crlf"] == outputs["lf"]
    assert outputs["bom"] == outputs["lf"]
    assert outputs["bom-crlf"] == outputs["lf"]


def test_crlf_errors_keep_line_numbers(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "members: 很多").replace("\n", "\r\n").encode("utf-8"))
    line, _ = only_error(site_dir.root, "x")
    assert line == 5


BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_fails_fast(site_dir):
    site_dir.branch("x", "---\n" + BOMB + "---\n正文\n")
    t0 = time.perf_counter()
    line, msg = only_error(site_dir.root, "x")
    assert time.perf_counter() - t0 < 5
    assert line == 2 and "别名" in msg


def test_alias_bomb_in_data_file(site_dir):
    site_dir.write("data/metrics.yaml", BOMB)
    errs = errors_of(site_dir.root)
    assert any(p == "data/metrics.yaml" and "别名" in m for p, _, m in errs), errs


@pytest.mark.parametrize(
    "line",
    [
        "slogan: !!python/object:os.system ls",
        "slogan: !!python/object/apply:os.system [ls]",
        "tags: !!python/object/apply:os.system [ls]",
        "stats: !!python/object/new:dict {a: 1}",
        "slogan: !custom 文字",
    ],
)
def test_python_tags_are_refused(site_dir, line):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", line))
    ln, msg = only_error(site_dir.root, "x")
    assert ln == 5
    assert "标记" in msg or "无法识别" in msg


def test_bare_equals_sign_is_plain_text(tmp_path):
    r = Report(tmp_path)
    doc = yamlio.load("slogan: =\n", tmp_path / "x", r)
    assert r.ok and doc is not None and doc.value == {"slogan": "="}


def test_yaml_merge_key_is_refused(site_dir):
    site_dir.branch("x", branch_text("甲品牌", "xuyi", "<<: {slogan: 口号}"))
    line, msg = only_error(site_dir.root, "x")
    assert line == 5 and "<<" in msg


# ---------------------------------------------------------------------------- units of the loader


def test_decode_strips_bom_and_normalises_line_ends(tmp_path):
    r = Report(tmp_path)
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\n", tmp_path / "x.md", r) == "a\nb\nc\n"
    assert r.items == []


def test_decode_nul_byte(tmp_path):
    r = Report(tmp_path)
    assert decode(b"a\nb\x00", tmp_path / "x.md", r) is None
    assert [(d.line, "NUL" in d.message) for d in r.errors] == [(2, True)]


def test_split_front_matter_lines(tmp_path):
    r = Report(tmp_path)
    src = split_front_matter(tmp_path / "x.md", "---\na: 1\nb: 2\n---\n正文\n", "d", r)
    assert src is not None and r.ok
    assert src.front == "a: 1\nb: 2" and src.front_line == 2
    assert src.body == "正文\n" and src.body_line == 5


def test_yaml_located_lines_and_raw_values(tmp_path):
    r = Report(tmp_path)
    doc = yamlio.load("brand: 甲\nfounded: 2014\nstats:\n  - metric: 乙\n    value: 65\n", tmp_path / "x", r, 2)
    assert doc is not None and r.ok
    assert doc.value["stats"] == [{"metric": "乙", "value": 65}]
    assert doc.line(("brand",)) == 2
    assert doc.line(("stats", 0)) == 5
    assert doc.line(("stats", 0, "value")) == 6
    assert doc.line(("stats", 0, "nope")) == 5  # nearest located parent
    assert doc.raw[("founded",)] == "2014"


def test_yaml_node_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_NODES", 10)
    r = Report(tmp_path)
    assert yamlio.load("a: [" + ", ".join(["1"] * 20) + "]\n", tmp_path / "x", r) is None
    assert not r.ok


def test_empty_front_matter_reports_required_fields(site_dir):
    site_dir.branch("x", "---\n---\n正文\n")
    errs = errors_of(site_dir.root)
    assert {m.split("“")[1].split("”")[0] for _, _, m in errs if "缺少必填属性" in m} == {"brand", "branch"}


def test_rule_files_parse_with_libyaml_as_with_pure_python():
    """``yamlio.load`` (libyaml) gives the shipped rule files the value and the line of every node
    that PyYAML's pure-Python loader gives, and refuses a broken file at the line it names."""
    import yaml

    from brandsite.checks import pii, terms
    from brandsite.content import yamlio
    from brandsite.core.diagnostics import Report

    def plain(text: str):
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            return node, loader.construct_document(node)
        finally:
            loader.dispose()

    def lines(node):
        out = [(type(node).__name__, node.start_mark.line, node.start_mark.column)]
        if isinstance(node.value, list):
            for item in node.value:
                out += [x for part in (item if isinstance(item, tuple) else (item,)) for x in lines(part)]
        return out

    assert yamlio.Loader is not yaml.SafeLoader  # libyaml is installed (requirements: PyYAML wheels carry it)
    for path in (terms.BUILTIN, pii.BUILTIN):
        text = path.read_text(encoding="utf-8")
        report = Report()
        doc = yamlio.load(text, path, report)
        want_node, want_value = plain(text)
        assert report.items == [] and doc is not None
        assert doc.value == want_value
        assert lines(doc.node) == lines(want_node)
    broken = "- wrong: 甲\n  right: 乙\n- wrong: [丙\n  right: 丁\n"
    report = Report()
    assert yamlio.load(broken, terms.BUILTIN, report) is None
    with pytest.raises(yaml.MarkedYAMLError) as slow:
        plain(broken)
    mark = slow.value.problem_mark or slow.value.context_mark
    assert [e.line for e in report.errors] == [mark.line + 1]
