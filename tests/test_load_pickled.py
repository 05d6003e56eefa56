"""Sources loaded in worker processes are pickled there once: the parent unpickles them for the
build and stores those same bytes in the render cache, never pickling the model itself (which
gave each of its objects a ``__dict__`` kept for the whole build). The entries, the site and a
warm rebuild are those of the plain path, where one process loads and the cache pickles."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import make_small_site, tree_bytes

from brandsite import pipeline
from brandsite.content import reading
from brandsite.core import cache as cache_mod
from brandsite.core import workers
from brandsite.model.site import Branch


def _entries(root: Path) -> dict[str, str]:
    """Every loaded source's cache entry, as its ``repr`` (every field of the model objects; pickles
    of equal values may differ in which equal strings they share)."""
    con = sqlite3.connect(root / cache_mod.CACHE_DIR / "render.sqlite")
    try:
        rows = con.execute("SELECT k, v FROM entries").fetchall()
    finally:
        con.close()
    out = {}
    for k, v in rows:
        value = pickle.loads(v)
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], list):
            out[k] = repr(value)
    return out


@pytest.mark.skipif(workers.start_method() != "fork", reason="the loading pool forks here")
def test_worker_pickled_entries_equal_the_plain_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain_root = make_small_site(tmp_path / "plain").root
    for n in range(6):
        shutil.copy(plain_root / "content/branches/shantiao.md", plain_root / f"content/branches/more-{n}.md")
        text = (plain_root / f"content/branches/more-{n}.md").read_text(encoding="utf-8")
        (plain_root / f"content/branches/more-{n}.md").write_text(
            text.replace("善调乡村", f"善调乡村第{n + 1}号"), encoding="utf-8")
    forked_root = tmp_path / "forked"
    shutil.copytree(plain_root, forked_root)

    pickled_in_parent: list[Any] = []
    real_put = cache_mod.RenderCache.put

    def put(self: cache_mod.RenderCache, k: str, value: Any) -> None:
        if isinstance(value, tuple) and value and isinstance(value[0], Branch):
            pickled_in_parent.append(k)
        real_put(self, k, value)

    monkeypatch.setattr(cache_mod.RenderCache, "put", put)
    plain = pipeline.build(pipeline.Options(plain_root, workers=1))
    assert plain.ok, plain.report.lines()
    assert len(pickled_in_parent) == 8  # the plain path: the parent pickles every branch it loaded
    pickled_in_parent.clear()

    monkeypatch.setattr(reading, "_MIN_PARALLEL", 1)
    forked = pipeline.build(pipeline.Options(forked_root, workers=2))
    assert forked.ok, forked.report.lines()
    assert pickled_in_parent == []
    assert tree_bytes(forked_root / "site") == tree_bytes(plain_root / "site")
    plain_entries, forked_entries = _entries(plain_root), _entries(forked_root)
    assert len(forked_entries) >= 10 and forked_entries == plain_entries

    calls: list[Any] = []
    real = reading._load_one
    monkeypatch.setattr(reading, "_load_one", lambda job: calls.append(job) or real(job))
    again = pipeline.build(pipeline.Options(forked_root, workers=2))  # warm: every source from the cache
    assert again.ok and calls == []
    assert tree_bytes(forked_root / "site") == tree_bytes(plain_root / "site")
