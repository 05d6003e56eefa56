"""Where editors work: Windows (no ``fork``), a GBK console, paths shown with ``/``.

The pools are forced to ``spawn`` here (as on Windows) with their size thresholds lowered, so that
every pool of a build and of the preview really starts spawned workers on a small site; the result
must be the site one process builds, byte for byte.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest
from conftest import REPO, branch_text, make_site
from test_incremental import World, assert_same_as_clean, tree

from brandsite import pipeline
from brandsite.checks import publishcheck
from brandsite.content import reading
from brandsite.core import workers
from brandsite.core.diagnostics import shown
from brandsite.features import image_process, search
from brandsite.serve.incremental import Incremental
from brandsite.write import pages as writing


def test_start_method_is_fork_where_there_is_one_and_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRANDSITE_START_METHOD", raising=False)
    want = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    assert workers.start_method() == want
    monkeypatch.setenv("BRANDSITE_START_METHOD", "spawn")
    assert workers.start_method() == "spawn"
    assert not workers.worth(workers.SPAWN_FACTOR * 10 - 1, 10) and workers.worth(workers.SPAWN_FACTOR * 10, 10)


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every pool spawns, from two pieces of work on; returns the start methods the pools used."""
    monkeypatch.setenv("BRANDSITE_START_METHOD", "spawn")
    monkeypatch.setattr(workers, "SPAWN_FACTOR", 1)
    for module, name in ((reading, "_MIN_PARALLEL"), (writing, "RENDER_MIN_PARALLEL"), (publishcheck, "_MIN_PARALLEL"),
                         (search, "_MIN_PARALLEL"), (image_process, "_MIN_PARALLEL")):
        monkeypatch.setattr(module, name, 2)
    used: list[str] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None):  # type: ignore[no-untyped-def]
        used.append(method or "")
        return real(method)

    monkeypatch.setattr(workers.multiprocessing, "get_context", get_context)
    return used


def _world(root: Path) -> World:
    world = World(root, random.Random(21))
    world.setup(6)
    site = root / "data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "languages: [zh-Hans, zh-Hant]\n", encoding="utf-8")
    from PIL import Image

    for n, stem in enumerate(sorted(world.branches)[:2]):
        photo = root / "content" / "branches" / "images" / f"p{n}.jpg"
        photo.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (300 + n, 200), (200, 30 * n, 30)).save(photo, "JPEG", quality=80)
        text = world.path(stem).read_text(encoding="utf-8")
        world.path(stem).write_text(text.replace("branch: 第一党支部\n", f"branch: 第一党支部\ncover: images/p{n}.jpg\n"
                                                 "cover_alt: 支部党员在社区开展普法宣传\n", 1), encoding="utf-8")
    return world


def test_spawned_pools_build_the_site_one_process_builds(tmp_path: Path, spawned: list[str]) -> None:
    pytest.importorskip("PIL")
    world = _world(tmp_path / "src")
    got = pipeline.build(pipeline.Options(root=world.root, out=tmp_path / "a" / "site", workers=2, use_cache=False))
    assert got.ok, got.report.lines()
    assert spawned and set(spawned) == {"spawn"}, spawned
    assert len(spawned) >= 4  # reading, the publishing checks, images, pages (and the search index)
    spawned.clear()
    want = pipeline.build(pipeline.Options(root=world.root, out=tmp_path / "b" / "site", workers=1, use_cache=False))
    assert want.ok and not spawned
    assert tree(tmp_path / "a" / "site") == tree(tmp_path / "b" / "site")


def test_spawned_pools_in_the_preview(tmp_path: Path, spawned: list[str]) -> None:
    pytest.importorskip("PIL")
    world = _world(tmp_path / "src")
    inc = Incremental(pipeline.Options(root=world.root, out=tmp_path / "preview", workers=2, use_cache=False))
    first = inc.rebuild(should_stop=lambda: False)
    assert first.ok, first.report.lines()
    assert set(spawned) == {"spawn"}
    history = [world.step() for _ in range(3)]
    if any(b.broken for b in world.branches.values()):
        for stem in [s for s, b in world.branches.items() if b.broken]:
            world.branches[stem].broken = False
            world.write_branch(stem)
    assert inc.rebuild(should_stop=lambda: False).ok
    assert_same_as_clean(world.root, tmp_path / "preview", tmp_path / "clean" / "site", history)


def test_a_gbk_console_does_not_end_the_command(tmp_path: Path) -> None:
    """A Chinese Windows console encodes GBK: a file name it cannot show is shown escaped."""
    s = make_site(tmp_path / "src")
    s.branch("a🏛", branch_text("法官妈妈", "nosuchunit", "slug: faguan-mama"))
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    for command in ("check", "build"):
        r = subprocess.run([sys.executable, str(REPO / "build.py"), command, "--root", str(s.root)],
                           capture_output=True, env=env, timeout=120)
        out = (r.stdout + r.stderr).decode("gbk")
        assert r.returncode == 1, out
        assert "content/branches/a\\U0001f3db.md:4: 单位 id“nosuchunit”" in out, out


def test_paths_in_messages_use_slashes() -> None:
    assert shown(PureWindowsPath("C:\\Users\\法院\\site")) == "C:/Users/法院/site"
    assert shown("D:\\网站\\site") == "D:/网站/site"
    assert shown(Path("content") / "branches" / "a.md") == "content/branches/a.md"
