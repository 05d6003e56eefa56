"""Warm builds (the output folder exists) render only pages whose fingerprint changed.

They keep the pages of the recycled staging folder that the render cache's ledger vouches
for, so every test here compares the result with a clean build, byte for byte, after edits
of every kind (the random walk of test_incremental.py) and after tampering with the files.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from test_incremental import World, assert_same_as_clean, tree

from brandsite import pipeline
from brandsite.model.slugs import slugify
from brandsite.write import pages as writing
from brandsite.write.staging import recycled_path

SEEDS = list(range(1, 1 + int(os.environ.get("BRANDSITE_WARM_SEEDS", "2"))))


def build(root: Path, out: Path, **kw: object) -> pipeline.Result:
    return pipeline.build(pipeline.Options(root=root, out=out, workers=1, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", SEEDS)
def test_warm_builds_after_random_edits_match_a_clean_build(tmp_path: Path, seed: int) -> None:
    world = World(tmp_path / "src", random.Random(100 + seed))
    world.setup(8)
    out = tmp_path / "out" / "site"
    assert build(world.root, out).ok
    history: list[str] = []
    kept = 0
    for _ in range(30):
        history.append(world.step())
        result = build(world.root, out)
        broken = any(b.broken for b in world.branches.values())
        assert result.ok != broken, (history[-3:], result.report.lines())
        if result.ok:
            kept += result.pages - result.rendered
            assert_same_as_clean(world.root, out, tmp_path / "clean" / "site", history)
    assert kept > 0  # pages were kept, not just rendered again
    for stem in [s for s, b in world.branches.items() if b.broken]:
        world.branches[stem].broken = False
        world.write_branch(stem)
    assert build(world.root, out).ok
    assert build(world.root, out).ok
    quiet = build(world.root, out)  # its staging folder is the site of the build before: all pages kept
    assert quiet.ok and quiet.pages > 0 and quiet.rendered == 0, quiet.rendered
    assert_same_as_clean(world.root, out, tmp_path / "clean" / "site", history)


@pytest.fixture
def built(tmp_path: Path) -> tuple[World, Path]:
    world = World(tmp_path / "src", random.Random(5))
    world.setup(6)
    out = tmp_path / "out" / "site"
    for _ in range(3):
        assert build(world.root, out).ok
    return world, out


def test_nothing_changed_renders_nothing(built: tuple[World, Path]) -> None:
    world, out = built
    again = build(world.root, out)
    assert again.ok and again.rendered == 0 and again.written == len(again.files)


def test_a_page_changed_in_the_recycled_folder_is_rendered_again(built: tuple[World, Path], tmp_path: Path) -> None:
    world, out = built
    prev = recycled_path(world.root, out)
    page = next(p for p in sorted(prev.rglob("index.html")) if "branches/" in p.as_posix())
    data = page.read_bytes()
    page.write_bytes(data[:-1] + (b"Y" if data[-1:] != b"Y" else b"Z"))  # same size, other bytes
    again = build(world.root, out)
    assert again.ok and again.rendered >= 1
    assert_same_as_clean(world.root, out, tmp_path / "clean" / "site", ["tampered"])


def test_no_cache_and_a_deleted_cache_render_everything(built: tuple[World, Path], tmp_path: Path) -> None:
    world, out = built
    plain = build(world.root, out, use_cache=False)
    assert plain.ok and plain.rendered == plain.pages
    shutil.rmtree(world.root / ".brandsite-cache")
    fresh = build(world.root, out)
    assert fresh.ok and fresh.rendered == fresh.pages
    assert_same_as_clean(world.root, out, tmp_path / "clean" / "site", ["cache deleted"])


def test_a_template_edit_renders_its_pages_again(built: tuple[World, Path], tmp_path: Path) -> None:
    world, out = built
    template = world.root / "themes" / "default" / "templates" / "base.html"
    template.write_text(template.read_text(encoding="utf-8").replace("</footer>", "<!-- 新页脚 --></footer>", 1),
                        encoding="utf-8")
    for _ in range(2):
        again = build(world.root, out)
        assert again.ok and again.rendered == again.pages
        assert "新页脚" in (out / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(world.root, out, tmp_path / "clean" / "site", ["template"])


def test_the_build_after_a_clean_build_keeps_pages_and_leaves_the_old_site_untouched(tmp_path: Path) -> None:
    """The first warm build stages in hard links to the live site: it renders only what changed,
    and writing a changed page must never write through a link into the site being replaced."""
    world = World(tmp_path / "src", random.Random(11))
    world.setup(6)
    out = tmp_path / "out" / "site"
    assert build(world.root, out).ok  # a clean build: no recycled folder yet
    before = tree(out)
    stem = sorted(world.branches)[0]
    world.branches[stem].body += "\n\n新增的一段工作介绍。\n"
    world.write_branch(stem)
    again = build(world.root, out)
    assert again.ok and 0 < again.rendered < again.pages, (again.rendered, again.pages)
    assert tree(recycled_path(world.root, out)) == before  # the replaced site, byte for byte
    assert_same_as_clean(world.root, out, tmp_path / "clean" / "site", ["edit after clean build"])


def test_a_name_newly_kept_in_traditional_renders_other_traditional_pages_again(tmp_path: Path) -> None:
    """A brand written in Traditional is kept as written on every zh-Hant page, also on pages
    that do not list it (another brand's story may quote it): both the warm build and the
    preview must render those pages again when such a name appears."""
    from conftest import branch_text, make_small_site

    from brandsite.serve.incremental import Incremental

    site = make_small_site(tmp_path / "src")
    site.write("data/site.yaml", (site.root / "data/site.yaml").read_text(encoding="utf-8")
               + "languages: [zh-Hans, zh-Hant]\n")
    quoted = "善调乡村向台灣鄉親調解站学习调解经验。\n"
    site.branch("shantiao", branch_text("善调乡村", "xuyi", body=quoted))
    out = tmp_path / "out" / "site"
    preview = Incremental(pipeline.Options(root=site.root, out=tmp_path / "preview", use_cache=False, workers=1))
    for _ in range(3):
        assert build(site.root, out).ok
    assert preview.rebuild().ok
    twin = out / "zh-hant/branches" / slugify("善调乡村") / "index.html"
    assert "臺灣鄉親調解站" in twin.read_text(encoding="utf-8")  # converted: nobody wrote that name yet
    site.branch("taiwan", branch_text("台灣鄉親調解站", "ordos", body="這個品牌的檔案以繁體書寫。\n"))
    for _ in range(2):
        assert build(site.root, out).ok
        assert "台灣鄉親調解站" in twin.read_text(encoding="utf-8")
    assert preview.rebuild().ok
    assert "台灣鄉親調解站" in (tmp_path / "preview" / twin.relative_to(out)).read_text(encoding="utf-8")
    assert_same_as_clean(site.root, out, tmp_path / "clean" / "site", ["traditional name"])
    assert_same_as_clean(site.root, tmp_path / "preview", tmp_path / "clean" / "site", ["traditional name"])


def test_rendering_in_rounds_of_workers_gives_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large sites render in forked workers, a fresh pool per round of pages (memory stays low):
    the pages must be exactly those one process renders."""
    world = World(tmp_path / "src", random.Random(3))
    world.setup(420)  # over 400 pages: the parallel path
    monkeypatch.setattr(writing, "_ROUND_PAGES", 60)  # several rounds
    rounds = writing._render_rounds([type("J", (), {"path": f"p{i}"})() for i in range(500)], 2)
    assert len(rounds) > 3
    import jinja2

    compiled = tmp_path / "compiled.txt"  # which process compiled a template (forked workers too)
    plain_compile = jinja2.Environment._compile

    def counting(self: jinja2.Environment, source: str, filename: str) -> object:
        with open(compiled, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {filename}\n")
        return plain_compile(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    parallel = pipeline.build(pipeline.Options(root=world.root, out=tmp_path / "a" / "site", workers=2, use_cache=False))
    # every template is compiled once, in the build's own process, before the workers fork
    assert {line.split()[0] for line in compiled.read_text(encoding="utf-8").splitlines()} == {str(os.getpid())}
    single = pipeline.build(pipeline.Options(root=world.root, out=tmp_path / "b" / "site", workers=1, use_cache=False))
    assert parallel.ok and single.ok and parallel.pages >= 400
    assert tree(tmp_path / "a" / "site") == tree(tmp_path / "b" / "site")


def test_a_cold_build_reads_nothing_from_the_render_cache(tmp_path: Path) -> None:
    """A build into a missing output folder computes everything: even with a render cache whose
    entries (here: every search-index file) were tampered with, it writes
    what the first build wrote."""
    import pickle
    import sqlite3

    from conftest import make_small_site, tree_bytes

    from brandsite.core.cache import CACHE_DIR

    s = make_small_site(tmp_path / "src")
    out = tmp_path / "out" / "site"
    assert build(s.root, out).ok
    first = tree_bytes(out)
    assert any(p.startswith("search/idx/") for p in first)
    db = sqlite3.connect(s.root / CACHE_DIR / "render.sqlite")
    with db:
        n = db.execute("UPDATE entries SET v = ? WHERE k LIKE '%:search-file:%'", (pickle.dumps("tampered();\n"),))
        assert n.rowcount > 0
    db.close()
    shutil.rmtree(out)
    assert build(s.root, out).ok
    assert tree_bytes(out) == first
