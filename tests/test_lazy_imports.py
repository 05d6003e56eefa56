"""Commands import only what they use: Pillow, rapidfuzz, mammoth, watchdog and importlib.metadata
cost start-up time that ``check`` and ``build`` of a site without images never need; rjieba (0.11 s)
only when a name must be segmented (a branch without ``slug:``, a Chinese tag), pypinyin only when a
reading is asked for, OpenCC's s2t tables only for Traditional text. A loading pool gets them from
its parent instead of importing them once per worker. Every shortcut taken on the way is compared
with the plain path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, branch_text, make_site, make_small_site, tiny_png
from hypothesis import given, settings
from hypothesis import strategies as st

HEAVY = ("PIL", "rapidfuzz", "mammoth", "watchdog", "docx", "importlib.metadata")
PROBE = """
import json, sys
from brandsite.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in {heavy} if m in sys.modules)]))
"""


def run(*args: object) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))  # type: ignore[return-value]


def site_with_slugs(tmp_path: Path) -> Path:
    """Every branch names its slug, and no tags."""
    s = make_small_site(tmp_path / "src")
    s.write("content/news/2024-12-01-xuanjiang.md", "---\ntitle: 法官妈妈走进小学\ndate: \"2024-12-01\"\n---\n讲法。\n")
    s.branch("faguan-mama", branch_text("法官妈妈", "ordos", "slug: faguan-mama"))
    s.branch("shantiao", branch_text("善调乡村", "xuyi", "slug: shantiao-xiangcun"))
    return s.root


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_of_a_site_with_slugs_and_no_images_import_none_of_them(tmp_path, command):
    root = site_with_slugs(tmp_path)
    code, loaded = run(command, "--root", root)
    assert code == 0
    # every cache key names the versions of the libraries that shape its entry (importlib.metadata),
    # and check reads the cache builds wrote
    assert loaded == ["importlib.metadata"]


PROBE_HELP = """
import json, sys
from brandsite.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)))
"""


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["new", "--help"], ["import", "--help"]])
def test_help_imports_no_library_the_commands_load(args):
    heavy = (*HEAVY, "rjieba", "pypinyin", "opencc", "jinja2", "markdown", "yaml", "brandsite.pipeline")
    proc = subprocess.run([sys.executable, "-c", PROBE_HELP.format(heavy=heavy), *args], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


# ------------------------------------------------------------------ what each site needs

NEEDED = ("rjieba", "pypinyin", "PIL", "watchdog", "mammoth")
#: also records the OpenCC tables loaded (its module is imported here, so its name proves nothing)
PROBE_NEEDS = """
import json, sys
import opencc
made = []
_init = opencc.OpenCC.__init__
def _record(self, config="t2s", *args, **kwargs):
    made.append(config)
    _init(self, config, *args, **kwargs)
opencc.OpenCC.__init__ = _record
from brandsite.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in {needed} if m in sys.modules), sorted(set(made))]))
"""


def run_needs(*args: object) -> tuple[int, list[str], list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE_NEEDS.format(needed=NEEDED), *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.stdout.strip(), proc.stderr
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))  # type: ignore[return-value]


def plain_site(tmp_path: Path, *lines: str) -> Path:
    """One script, no search, every branch with its ``slug:``, no tags; ``lines`` added to site.yaml."""
    s = make_site(tmp_path / "src")
    s.write("data/site.yaml", (s.root / "data/site.yaml").read_text("utf-8") + "search: false\n" + "".join(
        line + "\n" for line in lines))
    s.branch("faguan-mama", branch_text("法官妈妈", "ordos", "slug: faguan-mama"))
    s.branch("shantiao", branch_text("善调乡村", "xuyi", "slug: shantiao-xiangcun"))
    return s.root


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_site_with_slugs_one_script_and_no_search_loads_no_segmenter_and_no_s2t(tmp_path, command):
    code, loaded, tables = run_needs(command, "--root", plain_site(tmp_path))
    assert code == 0
    # pypinyin: the branches and units are sorted by their pinyin; t2s: names are compared folded
    assert loaded == ["pypinyin"]
    assert tables == ["t2s"]


def _slugless(root: Path) -> None:
    (root / "content/branches/shantiao.md").write_text(branch_text("善调乡村", "xuyi"), "utf-8")


def _tagged(root: Path) -> None:
    (root / "content/branches/shantiao.md").write_text(
        branch_text("善调乡村", "xuyi", "slug: shantiao-xiangcun", "tags: [多元解纷]"), "utf-8")


def _pictured(root: Path) -> None:
    (root / "content/branches/images").mkdir()
    (root / "content/branches/images/cover.png").write_bytes(tiny_png())
    (root / "content/branches/shantiao.md").write_text(branch_text(
        "善调乡村", "xuyi", "slug: shantiao-xiangcun", "cover: images/cover.png", "cover_alt: 调解员在村口调解纠纷"), "utf-8")


@pytest.mark.parametrize(("change", "extra", "module", "table"), [
    (_slugless, (), "rjieba", None),
    (_tagged, (), "rjieba", None),
    (_pictured, (), "PIL", None),
    (None, ("languages: [zh-Hans, zh-Hant]",), None, "s2t"),
])
def test_what_a_site_needs_is_loaded(tmp_path, change, extra, module, table):
    root = plain_site(tmp_path, *extra)
    if change is not None:
        change(root)
    code, loaded, tables = run_needs("build", "--root", root)
    assert code == 0
    assert module is None or module in loaded
    assert table is None or table in tables
    assert "watchdog" not in loaded and "mammoth" not in loaded


PROBE_POOL = """
import sys
from pathlib import Path
from brandsite import pipeline
from brandsite.content import reading
reading._MIN_PARALLEL = 2
result = pipeline.check(pipeline.Options(root=Path(sys.argv[1]), workers=2, use_cache=False))
print("ok" if result.ok else "errors")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="forked workers only")
def test_a_loading_pool_inherits_the_segmenter_and_pinyin_instead_of_importing_them_per_worker(tmp_path):
    s = make_site(tmp_path / "src")
    for i, name in enumerate(["法官妈妈", "善调乡村", "金秤纽带", "古城热线", "格桑园丁", "初心花开"]):
        s.branch(f"b{i}", branch_text(name, "xuyi"))  # no slug: every loader segments its name
    s.branch("b6", branch_text("山海之路", "xuyi", "tags: [多元解纷]"))  # and the parent a tag's name
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", PROBE_POOL, str(s.root)], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr[-3000:]
    imported = [line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert imported.count("rjieba") == 1
    assert imported.count("pypinyin") == 1


# ------------------------------------------------------------------ the shortcuts equal the plain paths

READINGS = """
import json, os, sys
sys.path.insert(0, {repo!r})
names = json.loads(sys.argv[1])
if sys.argv[2] == "plain":
    os.environ.pop("PYPINYIN_NO_DICT_COPY", None)
    import pypinyin
    from brandsite.model.slugs import COURT_PHRASES
    pypinyin.load_phrases_dict(COURT_PHRASES)
else:
    from brandsite.model import slugs
    pypinyin = slugs.pinyin_library()
out = [[pypinyin.lazy_pinyin(n, style=s, errors=e) for s, e in ((pypinyin.Style.TONE3, "default"),
       (pypinyin.Style.NORMAL, "ignore"))] for n in names]
print(json.dumps(out))
"""


def test_pinyin_readings_equal_those_of_load_phrases_dict_with_copied_tables():
    names = ["法官妈妈", "善调乡村", "诉调对接", "访调结合", "调查取证", "调解员", "重庆重要", "银行行长", "长安长大",
             "聽我斷案", "褚夫课", "为人民服务", "乐山音乐", "还钱还是", "朝阳朝代", "了解了", "abc 2024", "的确的士"]
    outs = [subprocess.run([sys.executable, "-c", READINGS.format(repo=str(REPO)), json.dumps(names), mode],
                           capture_output=True, text=True, encoding="utf-8", timeout=120, check=True).stdout
            for mode in ("plain", "ours")]
    assert outs[0] == outs[1]
    assert json.loads(outs[1])[2][0] == ["su4", "tiao2", "dui4", "jie1"]


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
@settings(max_examples=300, deadline=None)
def test_ascii_names_get_the_key_and_folds_the_libraries_give(text):
    import unicodedata

    from pypinyin import Style, lazy_pinyin

    from brandsite.core import script
    from brandsite.model import slugs

    norm = unicodedata.normalize("NFKC", text).lower()
    assert slugs.pinyin_key(text) == (" ".join(lazy_pinyin(norm, style=Style.TONE3, errors="default")), text)
    assert script.fold(text) == script.converter("t2s").convert(text)
    assert script.to_traditional(text) == script.converter("s2t").convert(text)


_MIXED = "法官妈妈聽我斷案善调乡村為人民服務发發后後里裡干幹面麵云雲abc，。 "


@given(st.text(alphabet=_MIXED, max_size=30))
@settings(max_examples=300, deadline=None)
def test_is_traditional_without_s2t_when_nothing_is_traditional_only_is_the_full_count(text):
    from brandsite.core import script

    t2s, s2t = script.converter("t2s").convert(text), script.converter("s2t").convert(text)
    trad_only = sum(1 for a, b in zip(text, t2s, strict=False) if a != b)
    simp_only = sum(1 for a, b in zip(text, s2t, strict=False) if a != b)
    assert script.is_traditional(text) == (bool(text) and trad_only > simp_only)


def test_search_keys_in_a_fresh_process_know_the_court_phrases():
    """A spawned search worker (Windows) asks for readings before anything loaded a slug."""
    from brandsite.features.search_text import pinyin_keys

    probe = "import json; from brandsite.features.search_text import pinyin_keys; print(json.dumps(pinyin_keys('善调乡村')))"
    fresh = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                           timeout=120, check=True).stdout
    assert json.loads(fresh) == pinyin_keys("善调乡村") == ["shantiaoxiangcun", "stxc", "shandiaoxiangcun", "sdxc"]
