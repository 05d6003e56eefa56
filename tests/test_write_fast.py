"""The staged output writes each file with plain strings and an ``O_NOFOLLOW`` open (issue 14,
fourth round: ``pathlib`` objects and an ``lstat`` per written file were most of the Python side of
writing). Each part is compared with the plain path it replaced, kept here: the same paths, the same
refusals, the same files, and never a write through a link."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandsite.write import claim, staging
from brandsite.write.staging import StagedOutput

#: what a written path is made of, with the characters that need care
_PART = st.text(alphabet=string.ascii_lowercase + "./\\\x00-_中", max_size=6)
_REL = st.lists(_PART, max_size=5).map("/".join) | st.text(alphabet="./a\\", max_size=8)


def _plain_join(base: str, rel: str) -> str | type[claim.UnsafePath]:
    try:
        return str(claim.safe_join(Path(base), rel))
    except claim.UnsafePath:
        return claim.UnsafePath


def _fast_join(base: str, rel: str) -> str | type[claim.UnsafePath]:
    try:
        return claim.safe_join_str(base, rel)
    except claim.UnsafePath:
        return claim.UnsafePath


@settings(max_examples=3000, deadline=None)
@given(_REL)
def test_the_string_join_is_safe_join(rel):
    assert _fast_join("/srv/out/staging", rel) == _plain_join("/srv/out/staging", rel)


@pytest.mark.parametrize("rel", ["", ".", "./a.html", "a//b.html", "a/./b.html", "a/", "/etc/passwd", "../x",
                                 "a/../../b", "a\\b", "a\x00b", "..", "a/..", "branches/a/index.html"])
def test_the_string_join_on_the_edges(rel):
    assert _fast_join("/srv/out", rel) == _plain_join("/srv/out", rel)


def _plain_write(out: StagedOutput, rel: str, data: bytes) -> None:
    """``StagedOutput.write`` of a cold build as it was: ``pathlib``, an ``lstat`` per file."""
    target = claim.safe_join(out.tmp, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        target.unlink(missing_ok=True)
    with open(target, "wb") as f:
        f.write(data)


def _tree(folder: Path) -> dict[str, tuple[str, bytes | str]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_file():
            out[rel] = ("file", p.read_bytes())
        else:
            out[rel] = ("dir", b"")
    return out


def _with_traps(out: StagedOutput, victim: Path) -> None:
    """Links where pages will go: to a file outside (must stay untouched), dangling, to a folder."""
    (out.tmp / "a").mkdir()
    os.symlink(victim, out.tmp / "a" / "index.html")
    os.symlink(out.tmp / "nowhere", out.tmp / "dangling.html")
    os.symlink(victim.parent, out.tmp / "a" / "folder.html")


@pytest.mark.parametrize("recycle", [False, True])
def test_writes_equal_the_plain_path_and_never_follow_a_link(tmp_path, recycle):
    victim = tmp_path / "elsewhere" / "precious.txt"
    victim.parent.mkdir()
    victim.write_bytes(b"keep me")
    files = [("index.html", "首页"), ("a/index.html", "甲"), ("dangling.html", b"x"), ("a/b/c/index.html", "深"),
             ("a/b/c/other.html", "同一文件夹"), ("./a/./d.html", "点"), ("a//e.html", "双斜线"),
             ("a/index.html", "再写一次"), ("zh-hant/a/index.html", "繁")]
    trees = []
    for write in (_plain_write, StagedOutput.write):
        out_dir = tmp_path / f"out-{len(trees)}"
        out = StagedOutput(out_dir, recycle=False)
        out.recycling = recycle  # both branches of write: a recycled folder unlinks first
        _with_traps(out, victim)
        for rel, data in files:
            write(out, rel, data.encode("utf-8") if isinstance(data, str) else data)
        trees.append(_tree(out.tmp))
        out.abort()
    assert trees[0] == trees[1]
    assert victim.read_bytes() == b"keep me"
    assert trees[1]["a/index.html"] == ("file", "再写一次".encode())
    assert trees[1]["dangling.html"] == ("file", b"x")


def test_a_link_to_a_folder_in_place_of_a_file_is_refused_as_before(tmp_path):
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    out = StagedOutput(tmp_path / "out", recycle=False)
    os.symlink(victim, out.tmp / "x.html")
    out.write("x.html", "页")
    assert not (out.tmp / "x.html").is_symlink() and (out.tmp / "x.html").read_text(encoding="utf-8") == "页"
    assert list(victim.iterdir()) == []
    out.abort()


def test_without_o_nofollow_the_link_is_looked_for_first(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "_NOFOLLOW", 0)  # as on Windows
    victim = tmp_path / "precious.txt"
    victim.write_bytes(b"keep me")
    out = StagedOutput(tmp_path / "out", recycle=False)
    os.symlink(victim, out.tmp / "index.html")
    out.write("index.html", "首页")
    assert victim.read_bytes() == b"keep me"
    assert (out.tmp / "index.html").read_text(encoding="utf-8") == "首页"
    out.abort()


def test_one_mkdir_per_new_folder(tmp_path, monkeypatch):
    made = []
    real = Path.mkdir
    monkeypatch.setattr(Path, "mkdir", lambda self, *a, **k: (made.append(self.name), real(self, *a, **k))[1])
    out = StagedOutput(tmp_path / "out", recycle=False)
    made.clear()
    for rel in ("a/index.html", "a/x.html", "b/index.html", "b/c/index.html", "b/y.html", "top.html"):
        out.write(rel, "页")
    assert made == ["a", "b", "c"]
    out.abort()
