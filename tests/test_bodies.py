"""A build keeps the stories' HTML and text in a spool file, not in the main process's model
(``model/bodies.py``); every page, search file and check is the plain path's, in one process,
in forked workers and in spawned ones, and the objects read, compare, copy and pickle as before."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import make_small_site, tree_bytes

from brandsite import pipeline
from brandsite.content import reading
from brandsite.derive import statistics
from brandsite.features import search, search_docs
from brandsite.features.plugins import FEATURES
from brandsite.model import bodies
from brandsite.render import pages as render
from brandsite.write import pages as write_pages

HANT = "languages: [zh-Hans, zh-Hant]\n"


def _site(root: Path) -> Path:
    s = make_small_site(root)
    text = (s.root / "data/site.yaml").read_text(encoding="utf-8")
    (s.root / "data/site.yaml").write_text(text + HANT, encoding="utf-8")
    story = (s.root / "content/branches/shantiao.md").read_text(encoding="utf-8")
    for n in range(5):  # stories with a picture check, a table and text that search indexes
        (s.root / f"content/branches/more-{n}.md").write_text(
            story.replace("善调乡村", f"善调乡村第{n + 1}号") + f"\n\n第{n}段：调解员走村入户化解纠纷。\n",
            encoding="utf-8")
    return s.root


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "body_spool", lambda opts: None)


@pytest.mark.parametrize("workers", [1, 2])
def test_spooled_build_equals_the_plain_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    plain_root = _site(tmp_path / "plain")
    spooled_root = tmp_path / "spooled"
    shutil.copytree(plain_root, spooled_root)
    # with two workers the render and search pools run (forked, or spawned under BRANDSITE_START_METHOD=spawn)
    monkeypatch.setattr(write_pages, "RENDER_MIN_PARALLEL", 1)
    monkeypatch.setattr(search, "_MIN_PARALLEL", 1)
    monkeypatch.setattr(reading, "_MIN_PARALLEL", 1)  # loading workers: each result spooled as it arrives

    spooled = pipeline.build(pipeline.Options(spooled_root, workers=workers, use_cache=False))
    assert spooled.ok, spooled.report.lines()
    assert spooled.site is not None
    docs = [*spooled.site.branches, *spooled.site.news, *spooled.site.pages]
    assert len(docs) == 9
    for doc in docs:  # the bodies are not in the parent's objects …
        assert "html" not in vars(doc) and "text" not in vars(doc)
    with monkeypatch.context() as m:
        _plain(m)
        plain = pipeline.build(pipeline.Options(plain_root, workers=workers, use_cache=False))
    assert plain.ok and plain.site is not None
    assert all("html" in vars(d) for d in plain.site.branches)
    # … and nothing a reader sees changed: every file of both scripts and the search index
    assert any(p.startswith("zh-hant/") for p in tree_bytes(spooled_root / "site"))
    assert tree_bytes(spooled_root / "site") == tree_bytes(plain_root / "site")
    assert spooled.site.branches == plain.site.branches
    assert [b.html for b in spooled.site.branches] == [b.html for b in plain.site.branches]
    assert spooled.report.lines() == plain.report.lines()

    ch = pipeline.check(pipeline.Options(spooled_root, workers=workers))
    assert ch.ok and ch.report.lines() == plain.report.lines()


def test_a_spooled_object_reads_copies_and_pickles_like_the_plain_one(tmp_path: Path) -> None:
    root = _site(tmp_path / "src")
    with pytest.MonkeyPatch.context() as m:
        _plain(m)
        result = pipeline.build(pipeline.Options(root, workers=1, use_cache=False))
    assert result.site is not None
    docs = [*result.site.branches, *result.site.news, *result.site.pages]
    before = [(repr(d), pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)) for d in docs]
    copies = [dataclasses.replace(d) for d in docs]
    spool = bodies.spool(docs)
    assert bodies.spool(docs, spool) is spool  # spooling twice changes nothing
    for d, c, (text, blob) in zip(docs, copies, before, strict=True):
        assert "html" not in vars(d)
        assert d == c and repr(d) == text and d.html == c.html and d.text == c.text
        assert d.html and d.text
        back = pickle.loads(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL))  # what a spawned worker gets
        assert "_spooled" not in vars(back) and vars(back)["html"] == c.html and back == c
        assert pickle.dumps(back, protocol=pickle.HIGHEST_PROTOCOL) == blob
        assert dataclasses.replace(d, slug="x").html == c.html
        with pytest.raises(AttributeError):
            d.no_such_field  # noqa: B018
    with pytest.raises(TypeError):
        pickle.dumps(spool)


def test_search_documents_read_their_text_when_indexed(tmp_path: Path) -> None:
    """A search document holds its source, not its text: the parent never has every document's
    text at once; the text it gives is the one the plain path indexed."""
    root = _site(tmp_path / "src")
    result = pipeline.build(pipeline.Options(root, workers=1, use_cache=False))
    assert result.ok and result.site is not None
    site = result.site
    branches, news = pipeline.published(site, False)
    jobs = render.Pages(site, statistics.compute(site, branches), branches, news, FEATURES).jobs()
    docs, _, _ = search_docs.collect(site, jobs)
    assert {d.kind for d in docs} == {"branch", "news", "page"}
    for d in docs:
        assert all(not isinstance(v, str) or len(v) < 100 for v in vars(d).values())
        s = d.source
        if d.kind == "branch":
            want = "\n".join(x for x in [s.slogan, s.summary, s.text] if x)
        elif d.kind == "news":
            want = "\n".join(x for x in (s.branch, s.summary, s.text) if x)
        else:
            want = s.text
        assert d.body.startswith(want) and s.text in d.body


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="where an open file is: Linux")
def test_the_spool_is_an_anonymous_file_in_the_cache_folder(tmp_path: Path) -> None:
    """Not the system's temporary folder, which may be a RAM disk; nothing is left behind."""
    root = _site(tmp_path / "src")
    result = pipeline.build(pipeline.Options(root, workers=1))
    assert result.ok and result.site is not None
    spool, _ = vars(result.site.branches[0])["_spooled"]
    where = os.readlink(f"/proc/self/fd/{spool._file.fileno()}")
    assert where.startswith(str(root / ".brandsite-cache")) and where.endswith("(deleted)")
    names = {p.name for p in (root / ".brandsite-cache").iterdir()}
    assert not any("bodies" in n for n in names)
    checked = pipeline.check(pipeline.Options(root, workers=1))  # writes nothing into the cache folder
    assert checked.site is not None
    spool, _ = vars(checked.site.branches[0])["_spooled"]
    assert not os.readlink(f"/proc/self/fd/{spool._file.fileno()}").startswith(str(root))


def test_a_cache_folder_that_refuses_the_spool_does_not_stop_the_build(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path / "src")
    real = bodies.tempfile.TemporaryFile
    refused: list[str] = []

    def temporary_file(*args: object, dir: str | None = None, **kw: object):  # type: ignore[no-untyped-def]
        if dir is not None:
            refused.append(dir)
            raise PermissionError(13, "Permission denied", dir)
        return real(*args, **kw)

    monkeypatch.setattr(bodies.tempfile, "TemporaryFile", temporary_file)
    result = pipeline.build(pipeline.Options(root, workers=1))
    assert result.ok and refused == [str(root / ".brandsite-cache")]
    assert result.site is not None and "html" not in vars(result.site.branches[0]) and result.site.branches[0].html
