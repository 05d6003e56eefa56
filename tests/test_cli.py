"""The command line as editors and publishers use it: build | check | new, options, exit codes."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pytest
from conftest import branch_text, front, make_small_site, run_script, tree_bytes

from brandsite import cli as cli_mod

pytestmark = pytest.mark.usefixtures("fast_templates")

SUMMARY_RE = re.compile(r"已生成 (\d+) 个页面（共 (\d+) 个文件），用时 [\d.]+ 秒，(\d+) 条警告")
DIAG_RE = re.compile(r"^(content/[^:\s]+\.md|data/[^:\s]+\.yaml):(\d+): (.+)$")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, hidden ones included (cache folders would show up here)."""
    return tree_bytes(root)


# ---------------------------------------------------------------------------- build


def test_build_is_the_default_command(small_site, cli):
    r = cli("--root", small_site.root)
    assert r.code == 0, r.text
    assert (small_site.site / "index.html").is_file()
    assert (small_site.site / "branches" / "faguan-mama" / "index.html").is_file()


def test_explicit_build_gives_the_same_site_as_the_default(small_site, tmp_path, cli):
    assert cli("--root", small_site.root, "--out", tmp_path / "a").code == 0
    assert cli("build", "--root", small_site.root, "--out", tmp_path / "b").code == 0
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_build_prints_one_line_summary_with_pages_time_and_warnings(small_site, cli):
    # a free-text metric gives exactly one warning
    small_site.branch(
        "ziyou", branch_text("自由指标", "xuyi", "stats:", "  - metric: 诉调对接功能室", "    value: 3个")
    )
    r = cli("build", "--root", small_site.root)
    assert r.code == 0, r.text
    lines = [ln for ln in r.out.splitlines() if SUMMARY_RE.search(ln)]
    assert len(lines) == 1, r.out
    m = SUMMARY_RE.search(lines[0])
    assert m is not None
    pages, files, warnings = map(int, m.groups())
    html_pages = [p for p in small_site.site.rglob("*.html")]
    assert pages == len(html_pages)
    assert files == sum(1 for p in small_site.site.rglob("*") if p.is_file())
    assert warnings == 1
    assert "诉调对接功能室" in r.err  # the warning itself, path:line: 警告：…
    assert "content/branches/ziyou.md:6: 警告：" in r.err


def test_build_with_content_error_exits_1_and_writes_nothing(site_dir, cli):
    site_dir.branch("bad", branch_text("坏品牌", "xuyi", "members: 很多"))
    r = cli("build", "--root", site_dir.root)
    assert r.code == 1
    assert "content/branches/bad.md:5:" in r.err
    assert "网站没有生成" in r.err
    assert not site_dir.site.exists()


def test_out_option_writes_elsewhere_and_leaves_root_site_alone(small_site, tmp_path, cli):
    out = tmp_path / "published" / "djpp"
    r = cli("build", "--root", small_site.root, "--out", out)
    assert r.code == 0, r.text
    assert (out / "index.html").is_file()
    assert (out / "stats" / "stats.json").is_file()
    assert not small_site.site.exists()


def test_root_option_from_another_working_directory(small_site, tmp_path, monkeypatch, cli):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli("--root", small_site.root).code == 0
    assert (small_site.site / "index.html").is_file()
    assert list(elsewhere.iterdir()) == []


def test_root_defaults_to_current_directory(small_site, monkeypatch, cli):
    monkeypatch.chdir(small_site.root)
    assert cli().code == 0
    assert (small_site.site / "index.html").is_file()


def test_drafts_are_built_only_with_drafts_option(small_site, tmp_path, cli):
    small_site.branch("caogao", branch_text("草稿品牌", "xuyi", "draft: true"))
    assert cli("--root", small_site.root, "--out", tmp_path / "pub").code == 0
    assert not (tmp_path / "pub" / "branches" / "caogao-pinpai").exists()
    assert "草稿品牌" not in (tmp_path / "pub" / "branches" / "index.html").read_text(encoding="utf-8")
    assert "caogao-pinpai" not in (tmp_path / "pub" / "sitemap.xml").read_text(encoding="utf-8")

    assert cli("--root", small_site.root, "--out", tmp_path / "preview", "--drafts").code == 0
    assert (tmp_path / "preview" / "branches" / "caogao-pinpai" / "index.html").is_file()
    assert "草稿品牌" in (tmp_path / "preview" / "branches" / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- check


def test_check_ok_exits_0_and_writes_nothing(small_site, cli):
    before = snapshot(small_site.root)
    r = cli("check", "--root", small_site.root)
    assert r.code == 0, r.text
    assert "0 个错误" in r.out
    assert snapshot(small_site.root) == before
    assert not small_site.site.exists()
    assert not (small_site.root / ".brandsite-cache").exists()


def test_check_lists_every_error_at_once_as_path_line_message(site_dir, cli):
    site_dir.branch("a-missing-brand", front("branch: 第一党支部", "unit: xuyi") + "正文\n")
    site_dir.branch("b-members", branch_text("乙品牌", "xuyi", "members: 很多"))
    site_dir.branch("c-typo", branch_text("丙品牌", "xuyi", "slogna: 一句口号"))
    site_dir.branch("d-unit", branch_text("丁品牌", "xuyii"))
    site_dir.write("content/branches/e-gbk.md", branch_text("戊品牌").encode("gbk"))
    before = snapshot(site_dir.root)
    r = cli("check", "--root", site_dir.root)
    assert r.code == 1
    found = {(m.group(1), int(m.group(2))) for m in map(DIAG_RE.match, r.out.splitlines()) if m}
    assert found == {
        ("content/branches/a-missing-brand.md", 2),
        ("content/branches/b-members.md", 5),
        ("content/branches/c-typo.md", 5),
        ("content/branches/d-unit.md", 4),
        ("content/branches/e-gbk.md", 2),
    }, r.out
    assert "5 个错误" in r.out
    # messages are Chinese
    for line in r.out.splitlines():
        if DIAG_RE.match(line):
            assert re.search(r"[\u4e00-\u9fff]", DIAG_RE.match(line).group(3))
    assert snapshot(site_dir.root) == before


def test_check_reports_warnings_but_exits_0(site_dir, cli):
    site_dir.branch("a", branch_text("甲品牌", "xuyi", "stats:", "  - metric: 诉源治理试点镇", "    value: 3个"))
    r = cli("check", "--root", site_dir.root)
    assert r.code == 0, r.text
    assert "content/branches/a.md:6: 警告：" in r.out
    assert "1 条警告" in r.out


# ---------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    "args",
    [
        ["bogus"],
        ["--bogus"],
        ["build", "--no-such-option"],
        ["new"],
        ["new", "page", "关于"],
        ["check", "--root"],
    ],
)
def test_usage_errors_exit_2_with_bilingual_message(args, cli):
    r = cli(*args)
    assert r.code == 2
    assert "usage" in r.err
    assert "命令行参数有误" in r.err


def test_missing_root_folder_is_a_usage_error(tmp_path, cli):
    for cmd in ("build", "check"):
        r = cli(cmd, "--root", tmp_path / "nope")
        assert r.code == 2
        assert "找不到网站源文件夹" in r.err
    assert not (tmp_path / "nope").exists()


def test_help_is_bilingual(cli):
    r = cli("--help")
    assert r.code == 0
    assert "usage" in r.out
    assert "检查" in r.out and "validate" in r.out
    assert "一支部一品牌" in r.out and "brandsite" in r.out
    sub = cli("build", "--help")
    assert sub.code == 0
    assert "--out" in sub.out and "输出文件夹" in sub.out and "output folder" in sub.out


# ---------------------------------------------------------------------------- new branch


def test_new_branch_writes_pinyin_file_that_passes_check(site_dir, cli):
    r = cli("new", "branch", "法官妈妈", "--root", site_dir.root)
    assert r.code == 0, r.text
    target = site_dir.root / "content" / "branches" / "faguan-mama.md"
    assert target.is_file()
    assert "content/branches/faguan-mama.md" in r.out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\nbrand: 法官妈妈")
    assert "draft: true" in text
    assert "unit: xuyi" in text  # first id of data/units.yaml
    c = cli("check", "--root", site_dir.root)
    assert c.code == 0, c.out


def test_new_branch_is_a_draft_until_published(site_dir, tmp_path, cli):
    assert cli("new", "branch", "法官妈妈", "--root", site_dir.root).code == 0
    assert cli("--root", site_dir.root, "--out", tmp_path / "pub").code == 0
    assert not (tmp_path / "pub" / "branches" / "faguan-mama").exists()
    assert cli("--root", site_dir.root, "--out", tmp_path / "pre", "--drafts").code == 0
    assert (tmp_path / "pre" / "branches" / "faguan-mama" / "index.html").is_file()


def test_new_branch_without_units_file_passes_check(tmp_path, cli):
    from conftest import make_site

    s = make_site(tmp_path / "src", units=False)
    assert cli("new", "branch", "聽我斷案", "--root", s.root).code == 0
    assert (s.root / "content" / "branches" / "tingwo-duanan.md").is_file()  # pinyin, paired into words
    assert cli("check", "--root", s.root).code == 0


def test_new_branch_refuses_to_overwrite(site_dir, cli):
    existing = site_dir.branch("faguan-mama", branch_text("法官妈妈", "xuyi"))
    before = existing.read_bytes()
    r = cli("new", "branch", "法官妈妈", "--root", site_dir.root)
    assert r.code == 1
    assert "已存在" in r.err and "content/branches/faguan-mama.md" in r.err
    assert existing.read_bytes() == before


def test_new_branch_traditional_name_collides_with_simplified_file(site_dir, cli):
    site_dir.branch("faguan-mama", branch_text("法官妈妈", "xuyi"))
    assert cli("new", "branch", "法官媽媽", "--root", site_dir.root).code == 1


def test_new_branch_with_unusable_name_fails(site_dir, cli):
    r = cli("new", "branch", "！！", "--root", site_dir.root)
    assert r.code == 1
    assert list((site_dir.root / "content" / "branches").iterdir()) == []


# ---------------------------------------------------------------------------- progress bar


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_after_a_second(monkeypatch):
    clock = itertools.count(0, 5)
    monkeypatch.setattr(cli_mod.time, "monotonic", lambda: next(clock))
    tty = _Tty()
    bar = cli_mod.ProgressBar(tty)
    bar("生成", 5, 10)
    assert "5/10" in tty.getvalue() and "#" in tty.getvalue()
    bar.clear()
    assert tty.getvalue().endswith("\r")

    pipe = io.StringIO()
    quiet = cli_mod.ProgressBar(pipe)
    quiet("生成", 5, 10)
    quiet.clear()
    assert pipe.getvalue() == ""


def test_progress_bar_not_shown_for_a_quick_build_on_a_terminal(monkeypatch):
    tty = _Tty()
    bar = cli_mod.ProgressBar(tty)
    bar("生成", 1, 10)  # well under a second after start
    assert tty.getvalue() == ""


def test_build_through_cli_prints_no_bar_when_stderr_is_not_a_tty(small_site, monkeypatch, cli):
    # make every stage look slow, so only the tty check can keep the bar away
    clock = itertools.count(0, 7)
    monkeypatch.setattr(cli_mod.time, "monotonic", lambda: next(clock))
    r = cli("--root", small_site.root)
    assert r.code == 0
    assert "\r" not in r.err and "生成 [" not in r.err and "读取 [" not in r.err


def test_build_through_cli_shows_bar_on_a_tty(small_site, monkeypatch, capsys):
    clock = itertools.count(0, 7)
    monkeypatch.setattr(cli_mod.time, "monotonic", lambda: next(clock))
    tty = _Tty()
    monkeypatch.setattr(cli_mod.sys, "stderr", tty)
    assert cli_mod.main(["--root", str(small_site.root)]) == 0
    assert "生成 [" in tty.getvalue()


def test_subprocess_build_py(tmp_path):
    s = make_small_site(tmp_path / "src")
    r = run_script("--root", s.root, "--out", tmp_path / "out")
    assert r.code == 0, r.err
    assert SUMMARY_RE.search(r.out)
    assert "\r" not in r.err  # stderr is a pipe: no progress bar
    assert (tmp_path / "out" / "index.html").is_file()
    bad = run_script("check", "--root", s.root, "--nonsense")
    assert bad.code == 2


# ---------------------------------------------------------------------------- brandsite's own failures


def _crash(*args, **kwargs):
    raise RuntimeError("模拟的内部错误")


def test_an_internal_error_exits_3_with_a_short_apology_and_a_log(small_site, cli, monkeypatch):
    from brandsite import pipeline

    monkeypatch.setattr(pipeline, "build", _crash)
    r = cli("--root", small_site.root)
    assert r.code == 3
    assert "Traceback" not in r.text and "很抱歉" in r.err and "--debug" in r.err
    log = small_site.root / ".brandsite-cache" / "brandsite-error.log"
    assert str(log.resolve()) in r.err
    assert "RuntimeError: 模拟的内部错误" in log.read_text(encoding="utf-8")
    assert len(r.err.strip().splitlines()) == 1


def test_debug_shows_the_traceback_anywhere_on_the_line(small_site, cli, monkeypatch):
    from brandsite import pipeline

    monkeypatch.setattr(pipeline, "check", _crash)
    for args in (("--debug", "check", "--root", small_site.root), ("check", "--root", small_site.root, "--debug")):
        r = cli(*args)
        assert r.code == 3 and "Traceback" in r.err and "模拟的内部错误" in r.err


def test_content_errors_still_exit_1_and_usage_errors_2(small_site, cli):
    small_site.branch("bad", branch_text("坏品牌", "xuyi", "members: 很多"))
    assert cli("--root", small_site.root).code == 1
    assert cli("--root", small_site.root, "--no-such-option").code == 2
