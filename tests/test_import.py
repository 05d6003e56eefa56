"""``import 材料.docx``: Word reports (generated with python-docx from the seeds' facts) → drafts."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SiteDir, make_site, tree_bytes
from docx_report import EXPECTED_FIGURES, EXPECTED_HONORS, SECTIONS, png, write_report

from brandsite.authoring import draft, importer, suggest
from brandsite.authoring.scaffold import branch_template

pytest.importorskip("docx")
pytest.importorskip("mammoth")


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """A site with the project's own statistics vocabulary (data/metrics.yaml)."""
    s = make_site(tmp_path / "src")
    s.write("data/metrics.yaml", (REPO / "data" / "metrics.yaml").read_text(encoding="utf-8"))
    return s


def guide_section() -> str:
    text = (REPO / "docs" / "编辑指南.md").read_text(encoding="utf-8")
    return text.split("## 十一、从 Word 材料开始", 1)[1].split("\n## ", 1)[0]


def drafts(s: SiteDir) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((s.root / "content" / "branches").glob("*.md"))}


def front_of(text: str) -> str:
    return text.split("---\n", 2)[1]


def accept_all(text: str) -> str:
    """What an editor does who has checked every suggestion against its source and keeps it."""
    lines = []
    for line in text.split("\n"):
        if line.startswith(("# ", "#   ")):
            continue  # the source lines and the instructions: deleted after review
        if re.match(r"#[^\s#]", line):
            line = line[1:]  # Ctrl+/ in VS Code, or deleting the "#" by hand: the same line
        lines.append(re.sub(r"\s+#[^\n]*" + re.escape(draft.MARK) + r".*$", "", line))
    return "\n".join(lines)


def suggestions(text: str) -> tuple[list[dict], list[dict]]:
    data = yaml.safe_load(front_of(accept_all(text)))
    return data.get("stats") or [], data.get("honors") or []


def import_report(cli, s: SiteDir, docx: Path, *extra: object):
    return cli("import", docx, "--root", s.root, *extra)


def test_five_brand_sections_give_five_drafts_whose_figures_match_the_table(site, tmp_path, cli):
    docx = write_report(tmp_path / "材料.docx")
    run = import_report(cli, site, docx, "--unit", "xuyi")
    assert run.code == 0, run.text
    files = drafts(site)
    assert len(files) == 5
    found = []
    honors = []
    for text in files.values():
        data = yaml.safe_load(front_of(text))
        assert data["draft"] is True and data["unit"] == "xuyi"
        assert not data.get("stats") and not data.get("honors")  # nothing counts before review
        stats, hons = suggestions(text)
        found += [(data["brand"], s["metric"], str(s["value"]), s.get("year")) for s in stats]
        honors += [(data["brand"], h["title"], h["level"]) for h in hons]
    assert sorted(found, key=str) == sorted(EXPECTED_FIGURES, key=str)
    assert sorted(honors) == sorted(EXPECTED_HONORS)
    assert "已导入：content/branches/faguan-mama.md" in run.out
    assert "开头 1 段不属于任何品牌" in run.err  # the preamble is reported, not silently dropped


def test_every_suggestion_names_its_source_sentence(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"))
    text = drafts(site)["dangjian-135-gongzuo-jizhi.md"]
    lines = text.split("\n")
    i = lines.index("#- {metric: 普法宣传, value: 180余次, year: 2023}   # 统计口径中的指标")
    assert lines[i - 1] == (f"# {draft.MARK}出处：“2023年，各支部深入田间地头开展送法下乡180余次。”"
                            "（注意：说的是“各支部”，不只是本品牌，通常不应采用）")


def test_bodies_are_clean_markdown_with_lists_tables_bold_and_images(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"))
    files = drafts(site)
    body = files["sanxin-xi-tianping.md"].split("---\n", 2)[2]
    assert "| 年份 | 活动 | 数量 |\n|---|---|---|\n| 2016年 | 巡回审判 | 126次 |" in body
    zhufa = files["zhufa-bingzheng-xianfengxing.md"].split("---\n", 2)[2]
    assert "- 與社區結對共建，開展普法宣傳65次。\n- 為群眾提供法律諮詢380余次。" in zhufa  # Traditional kept
    mama = files["faguan-mama.md"]
    assert "**走进校园**" in mama
    digest = hashlib.sha256(png()).hexdigest()[:12]
    assert f"![](images/faguan-mama-{digest}.png)" in mama
    assert (site.root / "content" / "branches" / "images" / f"faguan-mama-{digest}.png").read_bytes() == png()
    for text in files.values():
        assert "\x00" not in text and "brandsite-image" not in text and "<" not in text.split("---\n", 2)[2]


def test_reviewed_drafts_pass_check_and_their_figures_count(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"), "--unit", "xuyi")
    run = cli("check", "--root", site.root, "--drafts")
    assert run.code == 1
    assert "缺少文字说明（alt）" in run.out and "“branch”（支部名称）不能为空" in run.out
    for path in (site.root / "content" / "branches").glob("*.md"):
        text = accept_all(path.read_text(encoding="utf-8"))
        text = re.sub(r"^branch:\s*#.*$", "branch: 第一党支部", text, flags=re.M)
        text = text.replace("![](images/", "![宣讲团成员在小学讲解宪法](images/").replace("draft: true", "draft: false")
        path.write_text(text, encoding="utf-8")
    run = cli("check", "--root", site.root, "--drafts")
    assert run.code == 0, run.out
    assert cli("build", "--root", site.root).code == 0
    rows = json.loads((site.site / "stats" / "stats.json").read_text(encoding="utf-8"))
    assert "180余次" in json.dumps(rows, ensure_ascii=False)


def test_unreviewed_suggestions_do_not_count_in_a_draft_build(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"), "--unit", "xuyi")
    for path in (site.root / "content" / "branches").glob("*.md"):
        text = path.read_text(encoding="utf-8").replace("![](images/", "![宣讲团成员在小学讲解宪法](images/")
        path.write_text(re.sub(r"^branch:\s*#.*$", "branch: 第一党支部", text, flags=re.M), encoding="utf-8")
    assert cli("check", "--root", site.root, "--drafts").code == 0  # a draft may keep its suggestions
    assert cli("build", "--root", site.root, "--drafts").code == 0
    shown = (site.site / "stats" / "stats.json").read_text(encoding="utf-8")
    assert "180余" not in shown and "9337.42" not in shown


def test_check_refuses_a_published_file_with_unreviewed_suggestions_naming_each_line(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"), "--unit", "xuyi")
    path = site.root / "content" / "branches" / "faguan-mama.md"
    text = path.read_text(encoding="utf-8").replace("draft: true", "draft: false").replace("![](", "![宣讲团成员在小学讲解宪法](")
    path.write_text(text, encoding="utf-8")
    marked = [i + 1 for i, line in enumerate(text.split("\n")) if draft.MARK in line]
    assert len(marked) == 5  # brand, branch, the instructions, the founding year, one figure
    run = cli("check", "--root", site.root)
    assert run.code == 1
    mine = [ln for ln in run.out.splitlines() if ln.startswith("content/branches/faguan-mama.md:")]
    assert [int(ln.split(":")[1]) for ln in mine] == marked
    assert f"还有没核对的导入建议（{draft.MARK}）：核对出处后" in run.out
    # taken as a draft again, the same file passes
    path.write_text(text.replace("draft: false", "draft: true"), encoding="utf-8")
    assert "faguan-mama.md" not in cli("check", "--root", site.root).out


@pytest.mark.parametrize("style", ["numbered", "bold"])
def test_numbered_parts_and_bold_lead_lines_split_like_headings(site, tmp_path, cli, style):
    run = import_report(cli, site, write_report(tmp_path / "材料.docx", style=style))
    assert run.code == 0, run.text
    assert sorted(drafts(site)) == ["dangjian-135-gongzuo-jizhi.md", "dangjian-gongzuo-moshi.md", "faguan-mama.md",
                                    "sanxin-xi-tianping.md", "zhufa-bingzheng-xianfengxing.md"]


def test_split_none_makes_one_draft_named_by_the_report(site, tmp_path, cli):
    docx = write_report(tmp_path / "材料.docx", SECTIONS[:2])
    run = import_report(cli, site, docx, "--split", "none")
    assert run.code == 0, run.text
    [(name, text)] = drafts(site).items()
    assert name == "zhufa-bingzheng-xianfengxing.md"  # 打造“筑法秉正·先鋒行”黨建品牌 names the brand
    stats, _ = suggestions(text)
    assert len(stats) == 5  # both parts' figures
    assert "## 打造“筑法秉正·先鋒行”黨建品牌" in text and "## “法官妈妈”" in text  # headings stay in the story


def test_split_heading_without_headings_imports_the_whole_report_as_one(site, tmp_path, cli):
    docx = write_report(tmp_path / "材料.docx", SECTIONS, style="numbered", title="")
    run = import_report(cli, site, docx, "--split", "heading")
    assert run.code == 0, run.text
    assert len(drafts(site)) == 1


def test_front_matter_keys_follow_new_branch_order(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"), "--unit", "xuyi")
    template_keys = re.findall(r"^(?:# )?([a-z_]+):", branch_template("法官妈妈", "xuyi"), re.M)
    for text in drafts(site).values():
        keys = [k for k in re.findall(r"^([a-z_]+):", front_of(accept_all(text)), re.M)]
        assert keys == [k for k in template_keys if k in keys]


def test_existing_files_are_never_overwritten(site, tmp_path, cli):
    mine = site.branch("faguan-mama", "---\nbrand: 法官妈妈\nbranch: 第六党支部\n---\n我写的\n")
    run = import_report(cli, site, write_report(tmp_path / "材料.docx"))
    assert run.code == 0
    assert mine.read_text(encoding="utf-8").endswith("我写的\n")
    assert "content/branches/faguan-mama.md 已存在，没有覆盖" in run.err
    assert len(drafts(site)) == 5  # the four others and the editor's own file
    assert not list((site.root / "content" / "branches" / "images").glob("faguan-mama-*"))


def test_a_failed_write_leaves_nothing_behind(site, tmp_path, cli, monkeypatch):
    before = tree_bytes(site.root)
    real = importer._create
    calls = []

    def flaky(path: Path, blob: bytes) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        real(path, blob)

    monkeypatch.setattr(importer, "_create", flaky)
    run = import_report(cli, site, write_report(tmp_path / "材料.docx"))
    assert run.code == 1
    assert "写入失败" in run.err and "已撤回" in run.err
    assert tree_bytes(site.root) == before
    assert not (site.root / "content" / "branches" / "images").exists()


def _ole(stream: str) -> bytes:
    """An OLE compound file's header and a directory entry naming ``stream`` (UTF-16, as Word writes it)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 1024


def _empty_docx(path: Path) -> Path:
    import docx

    docx.Document().save(str(path))
    return path


def _big(path: Path) -> Path:
    write_report(path)
    with open(path, "r+b") as fh:
        fh.truncate(50 * 1024 * 1024)  # a 50 MB document (sparse: the test stays fast)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: (p.write_text("善调乡村\n", encoding="utf-8"), p)[1], "不是 Word 文档"),
        (lambda p: (p.write_bytes(b"%PDF-1.7\n"), p)[1], "看起来是一个 PDF 文件"),
        (lambda p: (p.write_bytes(_ole("EncryptedPackage")), p)[1], "设置了打开密码"),
        (lambda p: (p.write_bytes(_ole("WordDocument")), p)[1], "旧版 Word（.doc）"),
        (lambda p: (p.write_bytes(b"PK\x03\x04broken"), p)[1], "已损坏"),
        (lambda p: (p.write_bytes(b""), p)[1], "是空文件"),
        (_empty_docx, "里没有文字"),
        (_big, "超过导入上限 40 MB"),
    ],
    ids=["text", "pdf", "password", "old-doc", "broken-zip", "zero-bytes", "empty-document", "50MB"],
)
def test_bad_inputs_get_a_chinese_message_exit_1_and_nothing_written(site, tmp_path, cli, make, message):
    before = tree_bytes(site.root)
    bad = make(tmp_path / "材料.docx")
    run = import_report(cli, site, bad)
    assert run.code == 1
    assert message in run.err and "没有写入任何文件" in run.err
    assert "Traceback" not in run.text
    assert tree_bytes(site.root) == before
    assert f"`{run.err.splitlines()[0]}`" in guide_section()  # the guide quotes what the tool prints


def test_unknown_unit_is_refused_before_reading(site, tmp_path, cli):
    run = import_report(cli, site, write_report(tmp_path / "材料.docx"), "--unit", "nowhere")
    assert run.code == 1 and "单位 id“nowhere”在 data/units.yaml 中不存在" in run.err
    assert drafts(site) == {}


def test_markdown_characters_of_the_report_stay_text(site, tmp_path, cli):
    from brandsite.content import markup

    sections = [("“善调乡村”", ["**法院共有党员***人，占干警总数的**%。", "1. 这一段以数字开头", "# 井号开头",
                               "\u3000\u3000首行缩进的段落，\u00a0不间断空格。", "第一行\n换行后的第二行"]),
                ("“法润民企”", ["支部走访企业。"])]
    import_report(cli, site, write_report(tmp_path / "材料.docx", sections))
    body = drafts(site)["shantiao-xiangcun.md"].split("---\n", 2)[2]
    text = markup.render(body).text
    assert "**法院共有党员***人，占干警总数的**%。" in text
    assert "1. 这一段以数字开头" in text and "# 井号开头" in text
    assert "\n\n首行缩进的段落， 不间断空格。\n\n第一行\n\n换行后的第二行\n" in body  # Word's indents and breaks


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2023年，各支部在17个社区开展志愿服务41场次。", [("社区", "17个", 2023), ("志愿服务", "41场次", 2023)]),
        ("自2022年以来，共举办讲述活动52期。", [("讲述活动", "52期", None)]),
        ("一是强化党性修养，两个维护落到实处，三大目标全面完成。", []),
        ("制定“832”工作模式，拨打12368热线，第五小学。", []),
        ("第六党支部第3批选派5名干警。", [("5名", "5名", None)]),
        ("宣讲团成立于2014年，如今已有50多名成员。", [("成员", "50多名", None)]),
        ("2016年发放6000余份，二十余万元用于帮扶。", [("6000余份", "6000余份", 2016), ("二十余万元", "二十余万元", 2016)]),
    ],
)
def test_figures_in_sentences(sentence, expected):
    vocabulary = {"志愿服务": ("志愿服务", "场次"), "讲述活动": ("讲述活动", "期")}
    got = suggest.figures(sentence, vocabulary)
    assert [(f.value, f.year) for f in got] == [(v, y) for _, v, y in expected]
    named = {v: m for m, v, _ in expected if m != v}
    assert {f.value: f.metric for f in got if f.value in named} == named
    if "以来" in sentence:
        assert got[0].note == "2022年以来"


def test_a_figure_after_an_enumeration_takes_the_vocabulary_entry_named_in_it():
    vocabulary = {"送法下乡": ("普法宣传", "次"), "化解纠纷": ("化解纠纷", "件")}
    [fig] = suggest.figures("深入村组开展巡回审判、送法下乡、法治讲堂180余次。", vocabulary)
    assert (fig.metric, fig.vocabulary, fig.value) == ("普法宣传", True, "180余次")
    [fig] = suggest.figures("深入村组开展巡回审判、法治讲堂180余次。", vocabulary)
    assert (fig.metric, fig.vocabulary) == ("法治讲堂", False)  # no entry: the words next to it
    [fig] = suggest.figures("化解纠纷65次。", vocabulary)  # the entry counts 件, not 次
    assert fig.vocabulary is False


def test_a_file_that_appears_meanwhile_is_not_replaced(tmp_path):
    target = tmp_path / "faguan-mama.md"
    target.write_text("编辑刚写的", encoding="utf-8")
    with pytest.raises(importer.ImportProblem, match="已存在，没有覆盖"):
        importer._create(target, b"imported")
    assert target.read_text(encoding="utf-8") == "编辑刚写的"
    assert [p.name for p in tmp_path.iterdir()] == ["faguan-mama.md"]  # no temporary file left


def test_the_guide_quotes_every_check_message_and_shows_a_real_import(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"), "--unit", "xuyi")
    path = site.root / "content" / "branches" / "faguan-mama.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    printed = {ln.split(": ", 1)[1] for ln in cli("check", "--root", site.root).out.splitlines()
               if draft.MARK in ln}
    assert len(printed) == 3
    quoted = guide_section()
    for message in printed:
        assert message in quoted
    fresh = make_site(tmp_path / "fresh")
    run = cli("import", write_report(tmp_path / "again.docx"), "--root", fresh.root)
    shown = re.findall(r"^(?:已导入|未导入)：.*$", quoted, re.M)
    assert len(shown) == 2
    for line in shown:
        assert line in run.text.splitlines()
    assert (REPO / "docs" / "screenshots" / "import-draft.png").is_file()


def test_an_interrupted_write_leaves_nothing_behind(site, tmp_path, cli, monkeypatch):
    before = tree_bytes(site.root)
    real = importer._create
    calls = []

    def interrupted(path: Path, blob: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(path, blob)

    monkeypatch.setattr(importer, "_create", interrupted)
    assert import_report(cli, site, write_report(tmp_path / "材料.docx")).code == 130
    assert tree_bytes(site.root) == before


def test_pictures_word_cannot_hand_over_are_reported_and_others_converted(site, tmp_path, cli):
    import zipfile

    from PIL import Image

    bmp = tmp_path / "a.bmp"
    Image.new("RGB", (8, 6), (10, 120, 10)).save(bmp, "BMP")
    sections = [("“善调乡村”", ["支部走进乡村。", ("image", bmp.read_bytes()), ("image", png((1, 2, 3)))]),
                ("“法润民企”", ["支部走访企业。"])]
    docx = write_report(tmp_path / "材料.docx", sections)
    broken = tmp_path / "broken.docx"  # the second picture's bytes replaced, as a vector drawing would be
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(broken, "w") as zout:
        media = sorted(n for n in zin.namelist() if n.startswith("word/media/"))
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, b"\x01\x00\x00\x00 not a raster picture" if item.filename == media[-1] else data)
    run = import_report(cli, site, broken)
    assert run.code == 0
    assert "未导入：“善调乡村”：一张" in run.err and "无法转换" in run.err
    text = drafts(site)["shantiao-xiangcun.md"]
    [name] = re.findall(r"!\[\]\(images/([^)]+)\)", text)
    assert name.endswith(".png")  # the BMP, converted
    with Image.open(site.root / "content" / "branches" / "images" / name) as im:
        assert im.format == "PNG" and im.size == (8, 6)


def test_a_figure_of_the_whole_court_or_city_is_flagged_in_its_suggestion(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"))
    files = drafts(site)
    wider = [ln for ln in files["zhufa-bingzheng-xianfengxing.md"].split("\n") if "通常不应采用" in ln]
    assert len(wider) == 1 and "3.4萬件" in wider[0]
    note = "（注意：说的是“全市”，不只是本品牌，通常不应采用）"
    assert wider[0].endswith(note) and note in guide_section()
    assert "（注意：说的是“各支部”" in files["dangjian-135-gongzuo-jizhi.md"]
    court = "（注意：获得荣誉的是“法院”，不是本支部，通常不列为本品牌的荣誉）"
    assert court in files["sanxin-xi-tianping.md"] and court in guide_section()
    assert "通常不应采用" not in files["faguan-mama.md"]


def test_a_brand_that_already_has_a_file_under_another_name_is_not_imported_twice(site, tmp_path, cli):
    site.branch("sanxin", "---\nbrand: 三心系天平\nbranch: 综合党支部\nslug: sanxin\n---\n")
    site.branch("zhufa", '---\nbrand: "筑法秉正·先锋行"   # 简体\nbranch: 机关党委\n---\n')
    run = import_report(cli, site, write_report(tmp_path / "材料.docx"))
    assert run.code == 0
    assert "品牌“三心系天平”已经有文件 content/branches/sanxin.md" in run.err
    assert "品牌“筑法秉正·先鋒行”已经有文件 content/branches/zhufa.md（简繁体或引号不同也算同一品牌）" in run.err
    assert sorted(drafts(site)) == ["dangjian-135-gongzuo-jizhi.md", "dangjian-gongzuo-moshi.md", "faguan-mama.md",
                                    "sanxin.md", "zhufa.md"]


@pytest.mark.parametrize("text", ["180余次", "99%", "3,000名", "3.4萬件", "a: b", "[x]", "{x}", "#1", "yes", "12",
                                  "“五心”服务", "", "年份：2023", "O'Brien", 'say "x"'])
def test_a_suggestion_reads_back_as_written_once_uncommented(text):
    line = "#- " + draft._flow([("metric", text), ("value", text), ("year", 2023)])
    assert yaml.safe_load("stats:\n" + line[1:]) == {"stats": [{"metric": text, "value": text, "year": 2023}]}


def test_build_py_import_as_editors_run_it(site, tmp_path):
    from conftest import run_script

    run = run_script("import", write_report(tmp_path / "材料.docx"), "--root", site.root, "--unit", "ordos")
    assert run.code == 0, run.text
    assert "共导入 5 个品牌草稿" in run.out
    assert yaml.safe_load(front_of(drafts(site)["faguan-mama.md"]))["unit"] == "ordos"
    assert run_script("import", tmp_path / "没有这个文件.docx", "--root", site.root).code == 1


def test_a_file_that_cannot_be_read_gets_a_message(site, tmp_path, cli, monkeypatch):
    docx = write_report(tmp_path / "材料.docx")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    run = import_report(cli, site, docx)
    assert run.code == 1 and "无法读取“材料.docx”（Permission denied）" in run.err


def test_the_founding_year_is_suggested_like_a_figure(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"))
    text = drafts(site)["faguan-mama.md"]
    assert "\n#founded: 2014   # 创建时间\n" in text
    assert "founded" not in yaml.safe_load(front_of(text))
    assert yaml.safe_load(front_of(accept_all(text)))["founded"] == 2014


def test_the_same_report_gives_the_same_files(site, tmp_path, cli):
    docx = write_report(tmp_path / "材料.docx")
    other = make_site(tmp_path / "other")
    other.write("data/metrics.yaml", (site.root / "data" / "metrics.yaml").read_text(encoding="utf-8"))
    import_report(cli, site, docx)
    import_report(cli, other, docx)
    assert tree_bytes(site.root / "content") == tree_bytes(other.root / "content")


def test_without_unit_the_draft_lists_the_ids_to_choose_from(site, tmp_path, cli):
    import_report(cli, site, write_report(tmp_path / "材料.docx"))
    assert "\nunit:   # 所属单位（必填）：请填写 data/units.yaml 中的单位 id：xuyi、ordos\n" in drafts(site)["faguan-mama.md"]


@pytest.mark.parametrize(
    ("sentence", "title", "level", "to"),
    [
        ("法院先后被授予“全省政法系统先进基层党组织”称号。", "全省政法系统先进基层党组织", "省级", "法院"),
        ("“135”党建工作法获评全省法院新时代党建工作创新案例。", "全省法院新时代党建工作创新案例", "省级", ""),
        ("2023年，支部被评为全市先进基层党组织。", "全市先进基层党组织", "市级", ""),
        ("支部荣获“全国法院先进集体”、“全区优秀党支部”称号。", "全国法院先进集体", "国家级", ""),
        ("支部荣获优秀基层党组织称号。", "优秀基层党组织", "", ""),
        # titles without a generic honor word, named by their level or their kind
        ("支部女法官走进校园，被评为省级巾帼文明岗。", "省级巾帼文明岗", "省级", ""),
        ("立案庭荣获全国青年文明号。", "全国青年文明号", "国家级", ""),
    ],
)
def test_honors_with_their_level_and_whom_they_went_to(sentence, title, level, to):
    found = suggest.honors(sentence)
    assert (found[0].title, found[0].level, found[0].to) == (title, level, to)
    if "全区" in sentence:
        assert found[1].level == "" and "有歧义" in found[1].level_note
    if not level:
        assert "没有写明级别" in found[0].level_note
    assert found[0].year == (2023 if "2023年" in sentence else None)
