"""先审后发: review (the 审核表), sign (data/signoff.yaml), the publish refusal, and package (the zip)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SiteDir, branch_text, make_small_site, tree_bytes, visible_text

pytestmark = pytest.mark.usefixtures("fast_templates")

LEVELS = ("拟稿", "部门审核", "分管领导签发")
PUBLISH = """\
url: https://www.example.gov.cn/djpp/
base_path: /djpp/
publish: true
review: [拟稿, 部门审核, 分管领导签发]
footer:
  owner: 测试人民法院机关党委
  contact: 联系电话：12368
  site_code: "3201000013"
  icp: 苏ICP备12345678号
  police: 苏公网安备 32010202000123号
"""
FAGUAN = "content/branches/faguan-mama.md"


def publishable(root: Path, review: bool = True) -> SiteDir:
    """The small test site, complete enough for ``publish: true`` (identity data, a date on every page)."""
    s = make_small_site(root)
    extra = PUBLISH if review else PUBLISH.replace("review: [拟稿, 部门审核, 分管领导签发]\n", "")
    s.write("data/site.yaml", (root / "data" / "site.yaml").read_text(encoding="utf-8") + extra)
    shantiao = root / "content" / "branches" / "shantiao.md"
    shantiao.write_text(shantiao.read_text(encoding="utf-8").replace("tags: [多元解纷]", "founded: 2019\ntags: [多元解纷]"),
                        encoding="utf-8")
    return s


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sign_all(cli, root: Path, levels=LEVELS, date: str = "2026-12-01") -> None:
    for level, name in zip(levels, ("张某", "王某", "李某"), strict=False):
        r = cli("sign", "--root", root, "--as", level, "--name", name, "--date", date)
        assert r.code == 0, r.text


def form_text(root: Path) -> str:
    return visible_text(root / "审核表.html")


@pytest.fixture
def pub(tmp_path: Path) -> SiteDir:
    return publishable(tmp_path / "src")


# ------------------------------------------------------------------------ 1. review


def test_review_without_a_publication_lists_every_published_file_as_new(pub, cli):
    pub.write("content/branches/caogao.md", branch_text("草稿品牌", "xuyi", "draft: true"))
    r = cli("review", "--root", pub.root)
    assert r.code == 0, r.text
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    text = form_text(pub.root)
    assert "信息发布审核表" in text and "尚无发布记录" in text
    for f in (FAGUAN, "content/branches/shantiao.md", "content/news/2024-12-01-xuanjiang.md",
              "content/pages/about.md", "data/site.yaml", "data/metrics.yaml", "data/units.yaml"):
        assert f in html
    assert "caogao" not in html  # a draft is not published, so nobody signs it
    assert text.count("新增") >= 7
    # one blank row per level the site asks for, in its order
    levels = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="opinion">', html)
    assert levels == list(LEVELS)


def test_review_levels_default_to_three(tmp_path, cli):
    s = make_small_site(tmp_path / "src")
    assert cli("review", "--root", s.root).code == 0
    html = (s.root / "审核表.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr><th scope="row">([^<]+)</th><td class="opinion">', html) == ["拟稿", "审核", "签发"]


def _published(cli, s: SiteDir) -> None:
    sign_all(cli, s.root)
    r = cli("package", "--root", s.root)
    assert r.code == 0, r.text


def test_diff_shows_a_changed_figure_old_to_new_and_edited_sentences(pub, cli):
    _published(cli, pub)
    f = pub.root / FAGUAN
    edit(f, "180余次", "200余次")
    edit(f, "常年走进校园为孩子们讲法。", "常年走进校园和社区为孩子们讲法。")
    f.write_text(f.read_text(encoding="utf-8") + "\n宣讲团还走进了社区。\n", encoding="utf-8")
    r = cli("review", "--root", pub.root)
    assert r.code == 0, r.text
    assert "修改 1" in r.out
    text = form_text(pub.root)
    assert "普法宣传（2023年）180余次→200余次" in text
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    assert "常年走进校园<ins>和社区</ins>为孩子们讲法。" in html
    assert '<span class="tag">增</span><ins>宣讲团还走进了社区。</ins>' in html
    # only the changed file is listed; unchanged ones stay out
    assert "content/branches/shantiao.md" not in html.split("三、发布检查")[0]


def test_diff_shows_removed_sentences_and_pages(pub, cli):
    _published(cli, pub)
    edit(pub.root / FAGUAN, "“法官妈妈”宣讲团常年走进校园为孩子们讲法。", "")
    (pub.root / "content/news/2024-12-01-xuanjiang.md").unlink()
    assert cli("review", "--root", pub.root).code == 0
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    assert '<span class="tag">删</span><del>“法官妈妈”宣讲团常年走进校园为孩子们讲法。</del>' in html
    assert re.search(r'<td class="kind">删除</td><td>法官妈妈走进小学</td>', html)


def test_review_shows_publishing_findings_and_statistics(pub, cli):
    edit(pub.root / FAGUAN, "“法官妈妈”宣讲团", "联系人手机13812345678，“法官妈妈”宣讲团")
    r = cli("review", "--root", pub.root)
    assert r.code == 1  # the form is written, and the editor is told that it cannot be published like this
    text = form_text(pub.root)
    assert "手机号" in text and f"{FAGUAN}:" in text
    # the statistics sign-off list: each site-wide figure with the stats it adds up (file:line, year, as written)
    assert "普法宣传245余次" in text
    assert f"{FAGUAN}:9法官妈妈，2023年，180余次" in text
    assert "content/branches/shantiao.md:8善调乡村，2024年，65" in text


def test_review_never_overwrites_a_file_it_did_not_write(pub, cli):
    mine = pub.write("审核表.html", "<p>编辑自己的文件</p>")
    r = cli("review", "--root", pub.root)
    assert r.code == 2 and "已存在且不是审核表" in r.err
    assert mine.read_text(encoding="utf-8") == "<p>编辑自己的文件</p>"
    assert cli("review", "--root", pub.root, "--output", pub.root / "表.html").code == 0


# ------------------------------------------------------------------ 2–3. sign, refuse


def test_build_refuses_until_every_level_has_signed(pub, cli):
    r = cli("build", "--root", pub.root)
    assert r.code == 1
    assert (f"{FAGUAN}:1: 尚未审核签发，缺少“拟稿”、“部门审核”、“分管领导签发”") in r.err
    assert "data/site.yaml:1: 尚未审核签发" in r.err
    assert not pub.site.exists()
    r = cli("sign", "--root", pub.root, "--as", "拟稿", "--name", "张某", "--date", "2026-12-01")
    assert r.code == 0, r.text
    r = cli("build", "--root", pub.root)
    assert r.code == 1  # one level of three is not enough
    assert f"{FAGUAN}:1: 尚未审核签发，缺少“部门审核”、“分管领导签发”" in r.err
    assert cli("sign", "--root", pub.root, "--as", "部门审核", "--name", "王某", "--date", "2026-12-02").code == 0
    assert "缺少“分管领导签发”" in cli("build", "--root", pub.root).err
    assert cli("sign", "--root", pub.root, "--as", "分管领导签发", "--name", "李某", "--date", "2026-12-03").code == 0
    r = cli("build", "--root", pub.root)
    assert r.code == 0, r.text


def test_a_figure_changed_after_signing_is_caught(pub, cli):
    sign_all(cli, pub.root)
    assert cli("build", "--root", pub.root).code == 0
    edit(pub.root / FAGUAN, "180余次", "1800余次")
    r = cli("build", "--root", pub.root)
    assert r.code == 1
    assert f"{FAGUAN}:1: 签发后文件又被修改，原有签发已失效，缺少“拟稿”、“部门审核”、“分管领导签发”" in r.err
    assert "shantiao" not in r.err  # the other files' sign-offs still hold
    assert "1800余次" not in (pub.site / "branches" / "faguan-mama" / "index.html").read_text(encoding="utf-8")
    # review shows the file again, with blanks to sign
    assert cli("review", "--root", pub.root).code == 0
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    assert FAGUAN in html
    assert '<td class="opinion"></td><td></td>' in html
    # signing again covers only the edited file
    r = cli("sign", "--root", pub.root, "--as", "拟稿", "--name", "张某", "--date", "2026-12-05")
    assert "共 1 个文件" in r.out and FAGUAN in r.out


def test_a_changed_vocabulary_needs_signing_too(pub, cli):
    sign_all(cli, pub.root)
    edit(pub.root / "data/metrics.yaml", "total: sum", "total: max")
    r = cli("build", "--root", pub.root)
    assert r.code == 1 and "data/metrics.yaml:1: 签发后文件又被修改" in r.err


def test_drafts_serve_and_unset_review_are_unaffected(pub, tmp_path, cli):
    r = cli("build", "--root", pub.root, "--drafts", "--out", tmp_path / "preview")
    assert r.code == 0, r.text  # a drafts build is a preview
    sign_all(cli, pub.root)
    pub.write("content/branches/caogao.md", branch_text("草稿品牌", "xuyi", "draft: true"))
    assert cli("build", "--root", pub.root).code == 0  # a draft needs no sign-off
    other = publishable(tmp_path / "noreview", review=False)
    assert cli("build", "--root", other.root).code == 0  # publish: true without review: levels


def test_serve_builds_unsigned_content(pub):
    from brandsite import pipeline
    from brandsite.serve import incremental

    builder = incremental.Incremental(pipeline.Options(root=pub.root, out=pub.root / "preview"))
    outcome = builder.rebuild()
    assert outcome.ok, [d.format() for d in outcome.report.errors]
    assert (pub.root / "preview" / "index.html").is_file()


def test_the_record_never_reaches_the_site(pub, cli):
    sign_all(cli, pub.root)
    assert cli("package", "--root", pub.root).code == 0
    assert cli("build", "--root", pub.root).code == 0
    record = (pub.root / "data/signoff.yaml").read_text(encoding="utf-8")
    digests = re.findall(r"[0-9a-f]{64}", record)
    assert digests
    for rel, payload in tree_bytes(pub.site).items():
        assert "signoff" not in rel and "published" not in rel
        assert not any(d.encode() in payload for d in digests), rel
        assert "王某".encode() not in payload, rel


def test_record_format_one_sorted_line_per_file_and_level(pub, cli):
    sign_all(cli, pub.root)
    lines = [ln for ln in (pub.root / "data/signoff.yaml").read_text(encoding="utf-8").splitlines() if ln.startswith("- ")]
    assert len(lines) == 7 * 3
    keys = [re.match(r'- \{file: "([^"]+)", level: "([^"]+)", name: "([^"]+)", date: (\S+), sha256: "([0-9a-f]{64})"\}$', ln)
            for ln in lines]
    assert all(keys), lines
    pairs = [(m.group(1), LEVELS.index(m.group(2))) for m in keys if m]
    assert pairs == sorted(pairs) and len(set(pairs)) == len(pairs)
    m = keys[0]
    assert m is not None and m.group(5) == hashlib.sha256((pub.root / m.group(1)).read_bytes()).hexdigest()


def test_levels_are_signed_in_order(pub, cli):
    r = cli("sign", "--root", pub.root, "--as", "分管领导签发", "--name", "李某", "--date", "2026-12-01")
    assert r.code == 1
    assert f"{FAGUAN}: 还缺少“拟稿”、“部门审核”" in r.err
    assert not (pub.root / "data/signoff.yaml").exists()


def test_sign_checks_the_level_name_date_and_form_number(pub, cli):
    r = cli("sign", "--root", pub.root, "--as", "科长", "--name", "张某")
    assert r.code == 2 and "可用 拟稿、部门审核、分管领导签发" in r.err
    assert cli("sign", "--root", pub.root, "--as", "拟稿", "--name", " ").code == 2
    assert cli("sign", "--root", pub.root, "--as", "拟稿", "--name", "张某", "--date", "12/01").code == 2
    assert cli("review", "--root", pub.root).code == 0
    code = re.search(r"编号 ([0-9A-F-]{14})", form_text(pub.root).replace("审核表编号", "编号 "))
    assert code is not None
    edit(pub.root / FAGUAN, "180余次", "190余次")  # edited after the form was printed
    r = cli("sign", "--root", pub.root, "--as", "拟稿", "--name", "张某", "--code", code.group(1))
    assert r.code == 1 and "审核表编号不符" in r.err
    assert not (pub.root / "data/signoff.yaml").exists()
    assert cli("review", "--root", pub.root).code == 0
    code = re.search(r"审核表编号([0-9A-F-]{14})", form_text(pub.root))
    assert code is not None
    assert cli("sign", "--root", pub.root, "--as", "拟稿", "--name", "张某", "--code", code.group(1)).code == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('- {file: "content/pages/about.md", level: "拟稿", name: "张某", date: 2026-12-01}', "签发记录缺少 sha256"),
        ('- {file: "content/pages/about.md", level: "拟稿", name: "张某", date: 2026-13-01, sha256: ' + "a" * 64 + "}",
         "签发日期“2026-13-01”应写成"),
        ('- {file: "content/pages/about.md", level: "拟稿", name: "张某", date: 2026-12-01, sha256: abc}', "不是 64 位"),
        ('- {file: "content/pages/about.md", level: "拟稿", who: "张某", name: "张某", date: 2026-12-01, sha256: '
         + "a" * 64 + "}", "未知属性“who”"),
        ("- 张某签了", "这一项不是签发记录"),
        ('\t- {file: "content/pages/about.md"}', "Tab"),
    ],
)
def test_a_malformed_record_gets_path_line_errors(pub, cli, line, expected):
    good = f'- {{file: "content/branches/shantiao.md", level: "拟稿", name: "王某", date: 2026-12-01, sha256: {"b" * 64}}}'
    text = f"# 记录\n{good}\n{line}\n"
    record = pub.write("data/signoff.yaml", text)
    r = cli("build", "--root", pub.root)
    assert r.code == 1
    assert re.search(rf"^data/signoff\.yaml:3: .*{re.escape(expected)}", r.err, re.M), r.err
    r = cli("sign", "--root", pub.root, "--as", "拟稿", "--name", "张某", "--date", "2026-12-02")
    assert r.code == 1 and "没有登记" in r.err
    assert record.read_text(encoding="utf-8") == text  # a broken record is never rewritten (entries would vanish)


def test_two_editors_sign_offs_merge_in_git_without_conflict(pub, cli):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    root = pub.root
    shutil.copy(REPO / ".gitattributes", root / ".gitattributes")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([git, "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=root,
                              capture_output=True, text=True, encoding="utf-8")

    sign_all(cli, root)
    # as in a real project (the repository's .gitignore): output and cache are never committed
    (root / ".gitignore").write_text("site/\n.brandsite-cache/\n", encoding="utf-8")
    assert run("init", "-q", "-b", "main").returncode == 0
    assert run("add", "-A").returncode == 0 and run("commit", "-q", "-m", "signed").returncode == 0
    # editor A: the first branch file (its three lines sit right above editor B's in the record)
    assert run("checkout", "-q", "-b", "a").returncode == 0
    edit(root / FAGUAN, "180余次", "190余次")
    sign_all(cli, root, date="2026-12-02")
    assert run("commit", "-q", "-am", "a").returncode == 0
    # editor B: the next file, from the same starting point
    assert run("checkout", "-q", "main").returncode == 0
    edit(root / "content/branches/shantiao.md", "value: 65", "value: 66")
    sign_all(cli, root, date="2026-12-03")
    assert run("commit", "-q", "-am", "b").returncode == 0
    merged = run("merge", "-q", "--no-edit", "a")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "<<<<<<<" not in (root / "data/signoff.yaml").read_text(encoding="utf-8")
    r = cli("build", "--root", root)
    assert r.code == 0, r.text  # both edits, both editors' sign-offs
    text = (pub.site / "branches" / "faguan-mama" / "index.html").read_text(encoding="utf-8")
    assert "<strong>190</strong><small>余次</small>" in text  # the edited figure, as the card renders it


# ------------------------------------------------------------------------ 4. package


def _zip(s: SiteDir) -> Path:
    found = sorted((s.root / "发布包").glob("*.zip"))
    assert len(found) == 1, found
    return found[0]


def test_package_manifest_matches_its_files(pub, cli):
    sign_all(cli, pub.root)
    r = cli("package", "--root", pub.root)
    assert r.code == 0, r.text
    with zipfile.ZipFile(_zip(pub)) as z:
        names = z.namelist()
        files = {n: z.read(n) for n in names}
        infos = z.infolist()
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(2026, 12, 1, 0, 0, 0)}  # the sign-off date, never the clock
    listed = {}
    for line in files["SHA256SUMS.txt"].decode("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(names) - {"SHA256SUMS.txt"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    # the site sits in the folder its base_path names, exactly as build writes it
    assert cli("build", "--root", pub.root).code == 0
    assert {n.removeprefix("djpp/"): b for n, b in files.items() if n.startswith("djpp/")} == tree_bytes(pub.site)
    notes = files["说明.txt"].decode("utf-8-sig")
    assert "/djpp/" in notes and "“djpp”文件夹" in notes and "新增 7 项" in notes
    form = files["审核表.html"].decode("utf-8")
    assert "张某" in form and "王某" in form and "李某" in form and "2026-12-01" in form


def test_same_sources_and_signoffs_give_the_same_zip(pub, tmp_path, cli):
    sign_all(cli, pub.root)
    twin = tmp_path / "twin"
    shutil.copytree(pub.root, twin)
    assert cli("package", "--root", pub.root).code == 0
    first = _zip(pub).read_bytes()
    assert cli("package", "--root", pub.root).code == 0  # again, after the publication was recorded
    assert _zip(pub).read_bytes() == first
    assert cli("package", "--root", twin, "--no-cache").code == 0
    assert _zip(SiteDir(twin)).read_bytes() == first


def test_package_refuses_unsigned_or_unpublishable_content(pub, tmp_path, cli):
    r = cli("package", "--root", pub.root)
    assert r.code == 1 and "尚未审核签发" in r.err and "没有打包" in r.err
    assert not (pub.root / "发布包").exists() and not (pub.root / "data/published").exists()
    plain = make_small_site(tmp_path / "plain")
    sign_all(cli, plain.root, levels=("拟稿", "审核", "签发"))
    r = cli("package", "--root", plain.root)
    assert r.code == 1 and "publish: true" in r.err


def test_package_records_the_publication_and_review_compares_with_it(pub, cli):
    sign_all(cli, pub.root)
    assert cli("package", "--root", pub.root).code == 0
    kept = pub.root / "data/published"
    assert (kept / FAGUAN).read_bytes() == (pub.root / FAGUAN).read_bytes()
    assert (kept / "审核表.html").is_file()
    assert cli("review", "--root", pub.root).code == 0
    assert "一、本次发布的变更（0项）" in form_text(pub.root)
    edit(pub.root / FAGUAN, "180余次", "200余次")
    sign_all(cli, pub.root, date="2026-12-09")
    r = cli("package", "--root", pub.root)
    assert r.code == 0 and "修改 1" in r.out
    with zipfile.ZipFile(sorted((pub.root / "发布包").glob("*2026-12-09*.zip"))[0]) as z:
        notes = z.read("说明.txt").decode("utf-8-sig")
        form = visible_text_of(z.read("审核表.html").decode("utf-8"))
    assert "修改 1 项" in notes and "法官妈妈（content/branches/faguan-mama.md）" in notes
    assert "180余次→200余次" in form


def visible_text_of(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", re.sub(r"<(style|title)>.*?</\1>", "", html, flags=re.S)))


def test_package_never_replaces_files_it_did_not_write(pub, cli):
    sign_all(cli, pub.root)
    foreign = pub.write("data/published/笔记.txt", "编辑的笔记")
    r = cli("package", "--root", pub.root)
    assert r.code == 1 and "不是打包时写入的发布记录" in r.err
    assert foreign.read_text(encoding="utf-8") == "编辑的笔记"
    foreign.unlink()
    (pub.root / "data/published").rmdir()
    target = pub.write("mine.zip", b"not a zip")
    r = cli("package", "--root", pub.root, "--zip", target)
    assert r.code == 1 and "不是发布包" in r.err and target.read_bytes() == b"not a zip"
    assert cli("package", "--root", pub.root).code == 0
    # an extra file in the kept publication stops the next package, and stays
    extra = pub.write("data/published/content/branches/x.md", "x")
    assert cli("package", "--root", pub.root).code == 0  # the same content: nothing is replaced
    edit(pub.root / FAGUAN, "180余次", "200余次")
    sign_all(cli, pub.root, date="2026-12-09")
    r = cli("package", "--root", pub.root)
    assert r.code == 1 and "不是打包时写入的文件" in r.err and extra.is_file()


# ------------------------------------------------------------------------ 6. the guide


def test_the_guide_chapter_works_step_by_step(tmp_path, cli):
    """docs/编辑指南.md “审核与发布”: every command block in order, on a site an editor could have."""
    from test_docs import fenced, section

    chapter = section("审核与发布")
    steps = re.split(r"^### ", chapter, flags=re.M)[1:]
    assert [s.split("\n", 1)[0][:3] for s in steps[:4]] == ["第一步", "第二步", "第三步", "第四步"]
    s = make_small_site(tmp_path / "src")
    identity = "".join(ln + "\n" for ln in PUBLISH.splitlines() if not ln.startswith(("publish:", "review:")))
    s.write("data/site.yaml", (s.root / "data/site.yaml").read_text(encoding="utf-8") + identity)
    edit(s.root / "content/branches/shantiao.md", "tags: [多元解纷]", "founded: 2019\ntags: [多元解纷]")
    code = ""
    ran: list[str] = []
    for step in steps:
        heading = step.split("\n", 1)[0]
        if heading.startswith("再次发布"):
            edit(s.root / FAGUAN, "180余次", "200余次")  # “哪怕只改了一个数字”
        for block in fenced(step, "yaml"):
            s.write("data/site.yaml", (s.root / "data/site.yaml").read_text(encoding="utf-8") + block)
        quoted = [b.strip() for b in fenced(step, "") if b.strip().startswith("content/")]
        for block in fenced(step, "sh"):
            for line in block.splitlines():
                words = line.split()[2:]  # after "python build.py"
                words = [code if w == "审核表编号" else w for w in words]
                r = cli(*words, "--root", s.root)
                ran.append(" ".join(words[:1] or ["build"]))
                if words[:1] == ["review"]:
                    assert r.code == 0, r.text
                    code = re.search(r"编号 ([0-9A-F-]{14})", r.out).group(1)  # type: ignore[union-attr]
                elif not words:  # the build the guide shows refused, with the message it quotes
                    assert r.code == 1
                    assert quoted and all(q in r.err.splitlines() for q in quoted), r.err
                else:
                    assert r.code == 0, (line, r.text)
        if heading.startswith("第三步"):
            assert cli("--root", s.root).code == 0  # “各级都签发后，python build.py 正常生成网站”
    assert ran == ["review", "sign", "build", "sign", "sign", "package", "review", "sign", "sign", "sign", "package"]
    zips = sorted((s.root / "发布包").glob("*.zip"))
    assert len(zips) == 2
    for z in zips:
        with zipfile.ZipFile(z) as archive:
            sums = archive.read("SHA256SUMS.txt").decode("utf-8").splitlines()
            assert all(hashlib.sha256(archive.read(n)).hexdigest() == d for d, n in (ln.split("  ", 1) for ln in sums))
    assert "180余次→200余次" in visible_text(s.root / "data/published/审核表.html")


def test_digests_in_the_record_are_not_taken_for_personal_information(pub, cli):
    # a SHA-256 in hex can hold a run of digits that looks like a mobile number or a bank card
    sha = "a13912345678b" + "c" * 51
    pub.write("data/signoff.yaml", f'- {{file: "content/pages/about.md", level: "拟稿", name: "张某", date: 2026-12-01, sha256: {sha}}}\n')
    edit(pub.root / "data/site.yaml", "publish: true", "publish: false")
    r = cli("build", "--root", pub.root)
    assert r.code == 0, r.text
    assert "signoff" not in r.text


def test_a_page_that_fails_to_load_is_not_reported_as_removed(pub, cli):
    _published(cli, pub)
    edit(pub.root / FAGUAN, "value: 180余次", "value: 很多")
    r = cli("review", "--root", pub.root)
    assert r.code == 1 and f"{FAGUAN}:" in r.err
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    assert re.search(r'<td class="kind">修改</td><td>[^<]*</td><td class="file">content/branches/faguan-mama.md', html)
    assert "value: 很多" in html  # shown line by line


def test_review_since_an_earlier_publication(pub, tmp_path, cli):
    _published(cli, pub)
    first = tmp_path / "first"
    shutil.copytree(pub.root / "data/published", first)
    edit(pub.root / FAGUAN, "180余次", "200余次")
    sign_all(cli, pub.root, date="2026-12-05")
    assert cli("package", "--root", pub.root).code == 0
    edit(pub.root / "content/branches/shantiao.md", "value: 65", "value: 66")
    assert cli("review", "--root", pub.root).code == 0
    text = form_text(pub.root)
    assert "65→66" in text and "180余次→200余次" not in text
    assert cli("review", "--root", pub.root, "--since", first).code == 0
    text = form_text(pub.root)
    assert "65→66" in text and "180余次→200余次" in text
    r = cli("review", "--root", pub.root, "--since", tmp_path)
    assert r.code == 2 and "不是发布记录文件夹" in r.err


def test_a_replaced_picture_needs_signing_and_is_shown_on_the_form(pub, cli):
    import io

    from PIL import Image

    def picture(color: tuple[int, int, int]) -> bytes:
        buf = io.BytesIO()
        Image.new("RGB", (40, 30), color).save(buf, "PNG")
        return buf.getvalue()

    pub.write("content/branches/images/cover.png", picture((200, 30, 30)))
    edit(pub.root / FAGUAN, "founded: 2014", "founded: 2014\ncover: images/cover.png\ncover_alt: 法官为小学生讲解宪法知识")
    _published(cli, pub)
    pub.write("content/branches/images/cover.png", picture((30, 30, 200)))
    r = cli("build", "--root", pub.root)
    assert r.code == 1 and "content/branches/images/cover.png:1: 签发后文件又被修改" in r.err
    assert FAGUAN not in r.err  # the page's own text was not edited
    assert cli("review", "--root", pub.root).code == 0
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    assert "图片文件已更换" in html and html.count('<img class="thumb" src="data:image/jpeg;base64,') == 2  # old → new


def test_lines_doubled_by_a_merge_count_and_are_folded_at_the_next_signing(pub, cli):
    sign_all(cli, pub.root, levels=LEVELS[:1])
    record = pub.root / "data/signoff.yaml"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    about = next(ln for ln in lines if "content/pages/about.md" in ln)
    # what git's union merge leaves when two editors signed the same file at the same level
    record.write_text("".join(lines) + about.replace("张某", "赵某").replace("2026-12-01", "2026-11-30")
                      + about.replace(about.split('sha256: "')[1][:64], "0" * 64), encoding="utf-8")
    assert cli("sign", "--root", pub.root, "--as", "部门审核", "--name", "王某", "--date", "2026-12-02").code == 0
    text = record.read_text(encoding="utf-8")
    assert text.count('"content/pages/about.md", level: "拟稿"') == 1
    assert '"content/pages/about.md", level: "拟稿", name: "张某"' in text  # signs the current content, latest
    assert len([ln for ln in text.splitlines() if ln.startswith("- ")]) == 7 * 2


def test_an_unwritable_place_is_a_message_not_a_crash(pub, cli):
    blocked = pub.write("blocked", "a file where a folder is expected")
    r = cli("review", "--root", pub.root, "--output", blocked / "审核表.html")
    assert r.code == 2 and "无法写入" in r.err
    sign_all(cli, pub.root)
    r = cli("package", "--root", pub.root, "--zip", blocked / "x.zip")
    assert r.code == 1 and "无法写入" in r.err and "Traceback" not in r.text
    assert not (pub.root / "data/published").exists()  # nothing recorded as published


def test_a_windows_checkout_keeps_the_signatures(pub, cli):
    """git on Windows writes CRLF line ends (core.autocrlf), Notepad a BOM: the pages are the same, so is the signature."""
    sign_all(cli, pub.root)
    f = pub.root / FAGUAN
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes().replace(b"\n", b"\r\n"))
    r = cli("build", "--root", pub.root)
    assert r.code == 0, r.text
    f.write_bytes(f.read_bytes().replace("180余次".encode(), "181余次".encode()))
    assert cli("build", "--root", pub.root).code == 1


# ------------------------------------------------------------------------ from the sample


def test_from_the_sample_a_changed_branch_is_shown_refused_and_signed_again(tmp_path, cli):
    """The issue's “done when”, on a copy of the shipped sample (its publishing checks aside)."""
    from brandsite.core.diagnostics import Report
    from brandsite.publish import publication, signoff

    root = tmp_path / "sample"
    for part in ("content", "data"):
        shutil.copytree(REPO / part, root / part)
    site_yaml = root / "data/site.yaml"
    identity = (site_yaml.read_text(encoding="utf-8").replace("示例人民法院", "测试人民法院")
                .replace("0000-00000000（示例）", "12368").replace('"0000000000"', '"3201000013"')
                .replace("京ICP备00000000号（示例）", "苏ICP备12345678号")
                .replace("京公网安备 00000000000000号（示例）", "苏公网安备 32010202000123号"))
    site_yaml.write_text(identity + "publish: true\nreview: [拟稿, 部门审核, 分管领导签发]\n",
                         encoding="utf-8")
    signoff_lines = lambda r: [ln for ln in r.err.splitlines() if "签发" in ln and ".md:1:" in ln]  # noqa: E731
    assert len(signoff_lines(cli("build", "--root", root))) >= 24
    sign_all(cli, root)
    assert signoff_lines(cli("build", "--root", root)) == []
    # the sources as they stand are what was last published (what `package` keeps)
    report = Report(root)
    from brandsite import pipeline

    site = pipeline.load(pipeline.Options(root=root), report)
    current = signoff.digests(root, signoff.published_files(root, site))
    assert publication.save(root, current, signoff.code(current), "2026-12-01", "/djpp/", {}, Report(root))
    edit(root / FAGUAN, "    value: 50多\n", "    value: 60多\n")
    assert signoff_lines(cli("build", "--root", root)) == [
        f"{FAGUAN}:1: 签发后文件又被修改，原有签发已失效，缺少“拟稿”、“部门审核”、“分管领导签发”：请运行 python build.py review "
        "生成审核表，审核后依次运行 python build.py sign --as 拟稿 --name 姓名（未签发的内容不能发布）"]
    cli("review", "--root", root)  # exit 1: the sample's own publishing findings are listed on the form too
    text = form_text(root)
    assert "一、本次发布的变更（1项）" in text
    assert "宣讲团成员（2024年）50多名→60多名" in text
    sign_all(cli, root, date="2026-12-02")
    assert signoff_lines(cli("build", "--root", root)) == []


def test_a_news_item_changes_field_by_field(pub, cli):
    _published(cli, pub)
    news = pub.root / "content/news/2024-12-01-xuanjiang.md"
    edit(news, "title: 法官妈妈走进小学", "title: 法官妈妈走进康巴什小学")
    assert cli("review", "--root", pub.root).code == 0
    text = form_text(pub.root)
    assert "标题法官妈妈走进小学→法官妈妈走进康巴什小学" in text
    html = (pub.root / "审核表.html").read_text(encoding="utf-8")
    assert "<tr><td>标题</td>" in html and "<tr><td>日期</td>" not in html  # unchanged fields stay out
