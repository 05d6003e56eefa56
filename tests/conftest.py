"""Helpers shared by the core tests: a minimal valid site written into ``tmp_path``.

Every test works on real files: the helpers below write ``data/*.yaml`` and
``content/**/*.md`` exactly as an editor would, then run the real command line
(``brandsite.cli.main``) or the real pipeline on them.
"""

from __future__ import annotations

import posixpath
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import pytest

from brandsite.cli import main
from brandsite.render import pages as render

REPO = Path(__file__).resolve().parent.parent

SITE_YAML = """\
title: 测试站点
owner: 测试人民法院机关党委
nav:
  - {title: 首页, url: ""}
  - {title: 品牌, url: branches/}
  - {title: 成效统计, url: stats/}
"""

UNITS_YAML = """\
- id: xuyi
  name: 盱眙县人民法院
  level: 基层法院
  region: 江苏省淮安市
- id: ordos
  name: 鄂尔多斯市中级人民法院
  level: 中级法院
"""

METRICS_YAML = """\
普法宣传:
  unit: 次
  aliases: [法治宣传, 普法宣傳]
  total: sum
群众满意度:
  unit: "%"
  aliases: [满意度]
"""

BODY = "这是品牌故事的第一段。支部立足审判职能开展特色活动。\n\n## 做法\n\n- 走进校园\n- 走进社区\n"


def front(*lines: str) -> str:
    """A branch/news/page file from front-matter lines and a body: line 1 is ``---``."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n"


def branch_text(brand: str = "法官妈妈", unit: str = "xuyi", *extra: str, body: str = BODY, branch: str = "第六党支部") -> str:
    """Front matter lines: 2 brand, 3 branch, 4 unit, then ``extra`` from line 5."""
    head = [f"brand: {brand}", f"branch: {branch}"]
    if unit:
        head.append(f"unit: {unit}")
    return front(*head, *extra) + body


class SiteDir:
    """A site source tree in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, content: str | bytes) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_bytes(content.encode("utf-8"))
        return p

    def branch(self, stem: str, content: str | bytes) -> Path:
        return self.write(f"content/branches/{stem}.md", content)

    @property
    def site(self) -> Path:
        return self.root / "site"

    def rel(self, p: Path) -> str:
        return p.relative_to(self.root).as_posix()


def make_site(root: Path, *, units: bool = True, metrics: bool = True) -> SiteDir:
    """Configuration only (no branches)."""
    s = SiteDir(root)
    s.write("data/site.yaml", SITE_YAML)
    if units:
        s.write("data/units.yaml", UNITS_YAML)
    if metrics:
        s.write("data/metrics.yaml", METRICS_YAML)
    (root / "content" / "branches").mkdir(parents=True, exist_ok=True)
    return s


def make_small_site(root: Path) -> SiteDir:
    """Two branches in two units, tags, stats, honors, one news item and an about page."""
    s = make_site(root)
    s.branch(
        "faguan-mama",
        branch_text(
            "法官妈妈",
            "ordos",
            "slogan: 用母亲的温度守护未成年人成长",
            "founded: 2014",
            "tags: [未成年人保护, 普法宣传]",
            "stats:",
            "  - metric: 普法宣传",
            "    value: 180余次",
            "    year: 2023",
            "honors:",
            "  - title: 全国法院先进集体",
            "    level: 国家级",
            "    year: 2022",
            body="“法官妈妈”宣讲团常年走进校园为孩子们讲法。\n\n## 做法\n\n| 年份 | 场次 |\n|---|---|\n| 2024 | 12 |\n",
        ),
    )
    s.branch(
        "shantiao",
        branch_text(
            "善调乡村",
            "xuyi",
            "tags: [多元解纷]",
            "stats:",
            "  - metric: 法治宣传",
            "    value: 65",
            "    year: 2024",
            "honors:",
            "  - title: 全省法院党建工作创新案例",
            "    level: 全省",
            "    year: 2023",
        ),
    )
    s.write(
        "content/news/2024-12-01-xuanjiang.md",
        front("title: 法官妈妈走进小学", 'date: "2024-12-01"', "branch: 法官妈妈", "tags: [普法宣传]")
        + "宣讲团为学生讲解宪法知识。\n",
    )
    s.write("content/pages/about.md", front("title: 关于本站", "slug: about") + "本站展示法院党支部品牌。\n")
    return s


@pytest.fixture
def site_dir(tmp_path: Path) -> SiteDir:
    """Configuration of a site without any branch yet."""
    return make_site(tmp_path / "src")


@pytest.fixture
def small_site(tmp_path: Path) -> SiteDir:
    return make_small_site(tmp_path / "src")


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the builds of one test session (checked against the source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


@pytest.fixture
def fast_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every in-process build compiles the theme afresh; reuse the bytecode to keep the suite fast.

    Jinja validates each cached entry against the template source, so an edited or overriding
    template is still compiled from its own text.
    """
    real = render.make_env

    def make_env(*args: object, **kwargs: object) -> jinja2.Environment:
        env = real(*args, **kwargs)
        env.bytecode_cache = _BYTECODE
        return env

    monkeypatch.setattr(render, "make_env", make_env)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``brandsite.cli.main`` in-process; usage errors (SystemExit) become exit codes."""

    def run(*args: object) -> Run:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_script(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``python build.py`` as editors do, in a subprocess (stdout/stderr are pipes, not ttys)."""
    import subprocess

    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), *map(str, args)],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative posix path → bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class LinkParser(HTMLParser):
    """Collects every href/src and the <html lang> of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "html" and name == "lang":
                self.lang = value
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))


def parse_html(path: Path) -> LinkParser:
    p = LinkParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    """Text a reader sees on a page, whitespace removed (figures are split over several tags)."""
    p = _TextParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return re.sub(r"\s+", "", "".join(p.parts))


def tiny_png() -> bytes:
    """A real (decodable) 4x3 PNG for covers and story images."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def page_ids(path: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def check_links(site: Path) -> int:
    """Every href/src in every page is relative and points at an existing file (and anchor)."""
    checked = 0
    problems = []
    for page in sorted(site.rglob("*.html")):
        rel_page = page.relative_to(site).as_posix()
        if rel_page == "404.html":
            continue
        for tag, attr, value in parse_html(page).links:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https", "mailto", "tel"):
                if attr == "src":  # the site makes no external requests
                    problems.append(f"{rel_page}: <{tag} src={value!r}> loads an external resource")
                continue
            if value.startswith("/") or parts.scheme or parts.netloc:
                problems.append(f"{rel_page}: <{tag} {attr}={value!r}> is not relative")
                continue
            target_rel = unquote(parts.path)
            if target_rel == "":
                target = page
            else:
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel_page), target_rel))
                if joined.startswith(".."):
                    problems.append(f"{rel_page}: {value!r} leaves the site")
                    continue
                target = site / joined
                if target_rel.endswith("/") or target.is_dir():
                    target = target / "index.html"
            if not target.is_file():
                problems.append(f"{rel_page}: {value!r} → missing {target.relative_to(site)}")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in page_ids(target):
                problems.append(f"{rel_page}: {value!r} → no id {parts.fragment!r}")
            checked += 1
    assert problems == []
    return checked


def process_group(pgid: int) -> list[int]:
    """Live processes of a process group, from /proc (empty where there is none): what a killed
    or stopped command left running."""
    pids = []
    proc = Path("/proc")
    if not proc.is_dir():
        return pids
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # (a zombie is dead already)
            pids.append(int(entry.name))
    return pids


def bench_module(name: str):
    """A script of bench/ (not a package) imported by file, for the tests of its pure functions."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module
