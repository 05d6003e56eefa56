"""The editor guide (docs/编辑指南.md) must say only what the tool really does.

* the 属性参考 block is exactly :func:`brandsite.content.guide_tables.markdown_reference` (tools/gen_docs.py);
* the complete example branch file, with the guide's own data/*.yaml examples, passes
  ``python build.py check`` and builds;
* every command the guide tells editors to type exists in ``python build.py --help``;
* the number tables agree with :mod:`brandsite.model.numbers`;
* every ``path:line: message`` the guide quotes is printed, word for word, by the tool for
  the mistake the guide describes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from brandsite import pipeline
from brandsite.cli import make_parser
from brandsite.content import guide_tables, schema
from brandsite.model.number_guide import EXAMPLES, GRAMMAR_DOC
from brandsite.model.numbers import NumberError, format_quantity, parse_quantity
from brandsite.model.totals import total

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "编辑指南.md"

_spec = importlib.util.spec_from_file_location("gen_docs", REPO / "tools" / "gen_docs.py")
assert _spec is not None and _spec.loader is not None
gen_docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_docs)


# ----------------------------------------------------------------------------- reading the guide


@functools.lru_cache(maxsize=1)
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of the level-2 section whose heading contains ``title`` (up to the next one)."""
    parts: list[list[str]] = [[]]
    fence = False
    for line in guide().splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            fence = not fence
        elif line.startswith("## ") and not fence:  # a "## " inside a code example is no heading
            parts.append([])
        parts[-1].append(line)
    found = ["".join(p) for p in parts if p and p[0].startswith("## ") and title in p[0]]
    assert len(found) == 1, f"指南中应有且只有一个标题含“{title}”的二级小节"
    return found[0]


_FENCE = re.compile(r"^([ \t]*)```([^\n`]*)\n(.*?)^\1```[ \t]*$", re.M | re.S)


def fenced(text: str, lang: str | None = None) -> list[str]:
    """Contents of fenced code blocks (of language ``lang`` when given), list indentation removed."""
    out = []
    for indent, info, body in _FENCE.findall(text):
        if lang is None or info.strip() == lang:
            out.append("".join(ln.removeprefix(indent) for ln in body.splitlines(keepends=True)))
    return out


def code_spans(text: str) -> list[str]:
    """Inline `code` outside fenced blocks."""
    return re.findall(r"`([^`\n]+)`", _FENCE.sub("", text))


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Markdown tables as (header cells, body rows); cells stripped, code ticks kept."""
    out = []
    lines = _FENCE.sub("", text).splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1]):
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(_cells(lines[j]))
                j += 1
            out.append((_cells(lines[i]), rows))
            i = j
        else:
            i += 1
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table(text: str, header: list[str]) -> list[list[str]]:
    found = [rows for head, rows in tables(text) if head == header]
    assert len(found) == 1, f"找不到表头为 {header} 的表格"
    assert found[0], f"表格 {header} 是空的"
    return found[0]


def code(cell: str) -> str:
    """The text of the one code span in a table cell."""
    spans = re.findall(r"`([^`]*)`", cell)
    assert len(spans) == 1, f"单元格“{cell}”中应恰好有一个 `代码`"
    return spans[0]


# ----------------------------------------------------------------------------- (a) reference block


def test_reference_block_is_the_schema_reference() -> None:
    block = gen_docs.extract(guide())
    assert block == gen_docs.reference_block(), "属性参考已过期：请运行 python tools/gen_docs.py"
    assert block.rstrip("\n") == guide_tables.markdown_reference().rstrip("\n")


def test_reference_block_sits_in_its_section() -> None:
    ref = section("属性参考")
    assert gen_docs.START in ref and gen_docs.END in ref


def test_gen_docs_check_passes_on_the_repository() -> None:
    done = subprocess.run([sys.executable, "tools/gen_docs.py", "--check"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_gen_docs_rewrites_only_the_block(tmp_path: Path) -> None:
    good = guide()
    head, _, tail = gen_docs.split(good)
    stale = tmp_path / "指南.md"
    stale.write_text(head + "| 旧的 | 表格 |\n" + tail, encoding="utf-8")
    assert gen_docs.main(["--guide", str(stale), "--check"]) == 1
    assert gen_docs.main(["--guide", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == good
    assert gen_docs.main(["--guide", str(stale), "--check"]) == 0


def test_gen_docs_refuses_a_guide_without_markers(tmp_path: Path) -> None:
    broken = tmp_path / "指南.md"
    broken.write_text(guide().replace(gen_docs.END, ""), encoding="utf-8")
    assert gen_docs.main(["--guide", str(broken)]) == 2
    assert gen_docs.END not in broken.read_text(encoding="utf-8")  # left alone


# ----------------------------------------------------------------------------- (b) the example site


def example_branch() -> str:
    blocks = fenced(section("完整的品牌文件"), "markdown")
    assert len(blocks) == 1, "第二节应恰好有一个 ```markdown 示例"
    return blocks[0]


def example_data() -> dict[str, str]:
    """data/*.yaml examples: ```yaml blocks whose first line is ``# data/NAME.yaml``."""
    files = {}
    for body in fenced(guide(), "yaml"):
        m = re.match(r"#\s*(data/[\w-]+\.yaml)\s*\n", body)
        if m:
            assert m.group(1) not in files, f"{m.group(1)} 的示例出现了两次"
            files[m.group(1)] = body
    return files


def write_image(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image

        Image.new("RGB", (16, 9), (180, 30, 40)).save(path, "JPEG")
    except ImportError:  # pragma: no cover - Pillow is a runtime requirement
        path.write_bytes(b"\xff\xd8\xff\xd9")


def write_site(root: Path, files: dict[str, str | bytes], data: dict[str, str] | None = None) -> Path:
    for rel, body in {**(example_data() if data is None else data), **files}.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            target.write_bytes(body)
        else:
            target.write_text(body, encoding="utf-8")
    return root


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def test_guide_gives_every_data_file() -> None:
    assert {"data/site.yaml", "data/units.yaml", "data/metrics.yaml"} <= set(example_data())


def test_example_branch_uses_every_field() -> None:
    data = front_matter(example_branch())
    missing = [f.key for f in schema.BRANCH.fields if f.key not in data]
    for key, sub in (("stats", schema.STAT), ("honors", schema.HONOR), ("milestones", schema.MILESTONE)):
        used = {k for row in data.get(key) or [] for k in row}
        missing += [f"{key}.{f.key}" for f in sub.fields if f.key not in used]
    assert not missing, f"完整示例缺少属性：{missing}（schema 新增属性后请补进第二节的示例）"


def test_example_site_checks_clean_and_builds(tmp_path: Path) -> None:
    text = example_branch()
    cover = front_matter(text)["cover"]
    root = write_site(tmp_path / "src", {"content/branches/faguan-mama.md": text})
    write_image(root / "content" / "branches" / cover)
    for photo in front_matter(text).get("gallery", []):
        write_image(root / "content" / "branches" / photo["src"])
    (root / "content" / "branches" / front_matter(text)["logo"]).write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>\n', encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "build.py", *args, "--root", str(root)], cwd=REPO,
                              capture_output=True, text=True)

    checked = run("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # the model file should not even warn; the guide's site.yaml shows all-zero sample record numbers,
    # which are pointed out (once) until they are replaced
    assert "0 个错误，1 条警告" in checked.stdout, checked.stdout
    assert [ln for ln in checked.stdout.splitlines() if "警告" in ln and "检查完成" not in ln] == [
        ln for ln in checked.stdout.splitlines() if ln.startswith("data/site.yaml:") and "新建网站时的示例内容" in ln]

    built = run("build")
    assert built.returncode == 0, built.stdout + built.stderr
    page = root / "site" / "branches" / "faguan-mama" / "index.html"
    assert page.is_file()
    html = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
    for shown in ("法官妈妈", "第六党支部", "50多名", "65次", "全省法院新时代党建工作创新案例"):
        assert shown in html, shown
    assert (root / "site" / "index.html").is_file()
    assert (root / "site" / "stats" / "index.html").is_file()


# ----------------------------------------------------------------------------- (c) commands


@functools.cache
def help_text(*args: str) -> str:
    """``python build.py [SUB] --help``: the real command line for the top level, in-process for sub-commands."""
    if not args:
        done = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exc:
        make_parser().parse_args([*args, "--help"])
    assert exc.value.code == 0
    return out.getvalue()


def subcommands() -> set[str]:
    m = re.search(r"\{([a-z,]+)\}", help_text())
    assert m, help_text()
    return set(m.group(1).split(","))


def commands(text: str) -> list[str]:
    """``python build.py …`` command lines in code spans and code blocks of ``text``."""
    lines = code_spans(text) + [ln for body in fenced(text) for ln in body.splitlines()]
    return [ln.strip() for ln in lines if ln.strip().startswith("python build.py")]


def check_command(line: str) -> None:
    words = shlex.split(line)[2:]
    if words in ([], ["-h"], ["--help"]):
        return
    sub = "build" if words[0].startswith("-") else words[0]
    assert sub in subcommands(), f"“{line}”：python build.py --help 中没有 {sub} 命令"
    sub_help = help_text(sub)
    for w in words:
        if w.startswith("--"):
            assert re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", sub_help), f"“{line}”：{sub} 没有选项 {w}"
    if sub == "new":
        assert len(words) >= (2 if words[1:2] == ["site"] else 3) and words[1] in re.search(r"\{([a-z,]+)\}", sub_help).group(1).split(","), line


def test_quickstart_commands_exist() -> None:
    quick = section("五分钟上手")
    found = commands(quick)
    used = {("build" if not shlex.split(c)[2:] or shlex.split(c)[2].startswith("-") else shlex.split(c)[2])
            for c in found}
    assert {"serve", "new", "check", "build"} <= used, used
    for line in found:
        check_command(line)
    # options named on their own (`--drafts`) exist in some command
    every_help = "\n".join(help_text(s) for s in sorted(subcommands()))
    for span in code_spans(quick):
        if span.startswith("--"):
            assert span.split()[0] in every_help, span
    assert "pip install -r requirements.txt" in quick and (REPO / "requirements.txt").is_file()


def test_quickstart_preview_address_is_the_default() -> None:
    args = make_parser().parse_args(["serve"])
    assert f"http://{args.host}:{args.port}/" in section("五分钟上手")


def test_every_command_in_the_guide_exists() -> None:
    found = commands(guide())
    assert found
    for line in found:
        check_command(line)


# ----------------------------------------------------------------------------- numbers


def test_grammar_doc_is_quoted_verbatim() -> None:
    assert GRAMMAR_DOC in [body.rstrip("\n") for body in fenced(section("数字的写法"))]


def test_accepted_numbers_are_shown_as_the_guide_says() -> None:
    rows = table(section("数字的写法"), ["写法", "意思", "网页上显示"])
    shown_as = {code(r[0]): code(r[2]) for r in rows}
    for w, shown in EXAMPLES:
        assert w in shown_as, f"number_guide.EXAMPLES 中的“{w}”没有写进第三节的表格"
        assert shown_as[w] == shown, (w, shown)
    for row in rows:
        q = parse_quantity(code(row[0]))
        assert format_quantity(q) == code(row[2]), row


def test_unit_field_table() -> None:
    for row in table(section("数字的写法"), ["value 写", "unit 写", "网页上显示"]):
        assert format_quantity(parse_quantity(code(row[0]), unit=code(row[1]))) == code(row[2]), row


def test_rejected_numbers_give_the_quoted_message() -> None:
    for row in table(section("数字的写法"), ["value 写", "unit 写", "工具的提示"]):
        unit = code(row[1]) if row[1] else None
        with pytest.raises(NumberError) as exc:
            parse_quantity(code(row[0]), unit=unit)
        assert str(exc.value) == code(row[2])


def test_totals_keep_their_qualifier() -> None:
    for row in table(section("数字的写法"), ["甲品牌写", "乙品牌写", "合计显示为"]):
        got = total([parse_quantity(code(row[0])), parse_quantity(code(row[1]))])
        assert got is not None and got.written == code(row[2]), row
    with pytest.raises(NumberError):
        total([parse_quantity("99%"), parse_quantity("96.5%")])


# ----------------------------------------------------------------------------- quoted messages

H = "---\nbrand: 法官妈妈\nbranch: 第六党支部\nunit: ordos-intermediate\n"  # lines 1-4
BODY = "正文第一段。\n"
BRANCH = "content/branches/faguan-mama.md"
IMAGE = "content/branches/images/faguan-mama.jpg"


def _branch(text: str) -> dict[str, str | bytes]:
    return {BRANCH: text + BODY}


def _stat(*lines: str) -> dict[str, str | bytes]:
    return _branch(H + "stats:\n" + "".join(ln + "\n" for ln in lines) + "---\n")


def _body(line: str) -> dict[str, str | bytes]:
    """A valid front matter, then ``line`` as line 8 of the file."""
    return {BRANCH: H + "---\n" + BODY + "\n" + line + "\n"}


TWINS = "---\nbrand: 听我断案\nbranch: 第一党支部\nunit: xuyi\n---\n" + BODY

#: one small site per mistake the guide describes (files on top of the guide's data/ examples)
MISTAKES: dict[str, dict[str, str | bytes]] = {
    "全角冒号": _branch("---\nbrand：法官妈妈\nbranch: 第六党支部\nunit: ordos-intermediate\n---\n"),
    "Tab 缩进": _branch(H + "stats:\n\t- metric: 普法宣传\n\t  value: 65次\n---\n"),
    "冒号后缺空格": _branch("---\nbrand: 法官妈妈\nbranch:第六党支部\nunit: ordos-intermediate\n---\n"),
    "多一个冒号": _branch(H + "slogan: 为民: 司法\n---\n"),
    "没有结束线": _branch(H + "slogan: 用母亲的温度守护未成年人成长\n"),
    "全角分隔线": _branch("———\nbrand: 法官妈妈\nbranch: 第六党支部\nunit: ordos-intermediate\n---\n"),
    "GBK 编码": {BRANCH: (H + "---\n" + BODY).encode("gbk")},
    "拼错属性名": _branch(H + "slogen: 用母亲的温度守护未成年人成长\n---\n"),
    "中文属性名": _branch(H + "书记: 刘某\n---\n"),
    "属性重复": _branch(H + "slogan: 甲\nslogan: 乙\n---\n"),
    "缺少必填": _branch("---\nbrand: 法官妈妈\nunit: ordos-intermediate\n---\n"),
    "缺少单位": _branch("---\nbrand: 法官妈妈\nbranch: 第六党支部\n---\n"),
    "单位 id 不存在": _branch("---\nbrand: 法官妈妈\nbranch: 第六党支部\nunit: ordos-intermediat\n---\n"),
    "简繁体网址名重复": {
        "content/branches/ting-wo-duan-an.md": TWINS,
        "content/branches/聽我斷案.md": "---\nbrand: 聽我斷案\nbranch: 第一黨支部\nunit: xuyi\n---\n" + BODY,
    },
    "简繁体品牌重复": {
        "content/branches/ting-wo-duan-an.md": TWINS,
        "content/branches/聽我斷案.md":
            "---\nbrand: 聽我斷案\nbranch: 第一黨支部\nunit: xuyi\nslug: ting-wo-duan-an-fanti\n---\n" + BODY,
    },
    "网址名格式": _branch(H + "slug: 法官妈妈\n---\n"),
    "日期": _branch(H + "founded: 2014年春\n---\n"),
    "荣誉级别": _branch(H + "honors:\n  - title: 全区法院先进党支部\n    level: 全区\n---\n"),
    "非具体数字": _stat("  - metric: 普法宣传", "    value: 很多"),
    "错误数字": _stat("  - metric: 普法宣传", "    value: 3..4"),
    "空数值": _stat("  - metric: 普法宣传", "    value:"),
    "两位年份": _stat("  - metric: 普法宣传", "    value: 65次", "    year: 24"),
    "党员人数": _branch(H + "members: 十几\n---\n"),
    "单位与口径不符": _stat("  - metric: 普法宣传", "    value: 65场"),
    "百分比不符": _stat("  - metric: 群众满意度", "    value: 98"),
    "自由文字指标": _stat("  - metric: 普法进校园", "    value: 30次"),
    "封面缺说明": {**_branch(H + "cover: images/faguan-mama.jpg\n---\n"), IMAGE: b""},
    "封面不存在": _branch(H + "cover: images/faguan-mama.jpg\ncover_alt: 法官为小学生讲解宪法知识\n---\n"),
    "正文图片缺说明": {**_body("![](images/xianfa-ke.jpg)"), "content/branches/images/xianfa-ke.jpg": b""},
    "正文图片不存在": _body("![法官为小学生讲解宪法知识](images/xianfa-ke.jpg)"),
    "正文图片绝对路径": _body("![法官为小学生讲解宪法知识](/images/xianfa-ke.jpg)"),
    "站内链接失效": _body("见[工作动态](../../news/)。"),
    "手机号": _body("联系人手机13912345678。"),
    "当事人全名": _body("被告人张三当庭认罪。"),
    "错误提法": _body("开展扫黑险恶专项斗争。"),
    "发布缺备案号": {
        **_branch(H + "---\n"),
        "data/site.yaml": "title: 测试站点\nowner: 某某人民法院机关党委\npublish: true\nfooter:\n"
                          "  contact: 联系电话：0000-00000000\n  site_code: \"0000000000\"\n"
                          "  police: 京公网安备 00000000000000号\n",
    },
    "缺少签发": {  # 审核与发布: 拟稿 signed, the other two levels not yet
        **_branch(H + "---\n"),
        "data/site.yaml": "title: 测试站点\nowner: 某某人民法院机关党委\npublish: true\nreview: [拟稿, 部门审核, 分管领导签发]\n",
        "data/signoff.yaml": f'- {{file: "{BRANCH}", level: "拟稿", name: "张某", date: 2026-12-01, '
                             f"sha256: {hashlib.sha256(_branch(H + '---' + chr(10))[BRANCH].encode()).hexdigest()}}}\n",
    },
}


@functools.lru_cache(maxsize=1)
def printed(tmp_root: str) -> dict[str, list[str]]:
    out = {}
    for i, (name, files) in enumerate(MISTAKES.items()):
        root = write_site(Path(tmp_root) / f"m{i}", {k: v for k, v in files.items() if v != b""})
        for rel, body in files.items():
            if body == b"":  # a real picture wanted here
                write_image(root / rel)
        out[name] = pipeline.check(pipeline.Options(root=root)).report.lines()
    return out


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    return printed(str(tmp_path_factory.mktemp("mistakes")))


_QUOTED = re.compile(r"^(?:content|data)/[^\s:]+:\d+: ")


def quoted_messages() -> list[str]:
    # the first-day walkthrough's answers are checked by walking it (tests/test_firstday.py)
    text = guide().replace(section("第一天"), "")
    lines = code_spans(text) + [ln.strip() for body in fenced(text) for ln in body.splitlines()]
    return sorted({ln for ln in lines if _QUOTED.match(ln)})


def test_every_mistake_produces_a_message(messages: dict[str, list[str]]) -> None:
    silent = [name for name, lines in messages.items() if not lines]
    assert not silent, f"这些错误示例没有任何提示（示例写错了？）：{silent}"


def test_quoted_messages_are_printed_by_the_tool(messages: dict[str, list[str]]) -> None:
    quoted = quoted_messages()
    assert len(quoted) >= 20
    real = {ln for lines in messages.values() for ln in lines}
    stale = [q for q in quoted if q not in real]
    assert not stale, "指南引用的提示与工具实际输出不一致：\n" + "\n".join(stale) + "\n\n实际输出：\n" + "\n".join(sorted(real))


def test_common_mistakes_table_covers_the_brief() -> None:
    rows = table(section("常见错误"), ["你写的", "工具的提示", "怎么改"])
    text = "\n".join(code(r[1]) for r in rows)
    for needle in ("全角冒号", "Tab 缩进", "冒号后缺少空格", "front matter 没有结束", "GBK", "未知属性", "缺少必填属性",
                   "在 data/units.yaml 中不存在", "网址名", "无法识别：请写成", "荣誉级别", "无法识别的数字"):
        assert needle in text, needle
    assert all(r[2] for r in rows), "每一行都要写“怎么改”"


# ----------------------------------------------------------------------------- what the screens say

#: fixed parts of the lines the guide quotes from the terminal and the browser overlay
SCREEN_TEXT = {
    "brandsite/cli.py": ["检查完成：", "可以发布。", "网站没有生成（原有的 site/ 保持不变）。请按上面的提示修改后重试。", "已生成 "],
    "brandsite/serve/server.py": ["预览地址：", "已更新：重新生成 ", "内容有错误，网站未更新（浏览器中显示同样的列表）："],
    "brandsite/serve/reload.js": ["内容有错误，网站未更新（共 ", "暂时关闭"],
}


def test_screen_texts_quoted_in_the_guide_exist() -> None:
    for rel, phrases in SCREEN_TEXT.items():
        source = (REPO / rel).read_text(encoding="utf-8")
        for phrase in phrases:
            assert phrase in source, f"{rel} 不再输出“{phrase}”，请更新指南第一、九节"
            assert phrase.strip("：。 ") in guide(), phrase
