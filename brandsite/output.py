"""Writing the site: build aside, then swap, so a failed or killed build never harms ``site/``.

The new site is written into a sibling temporary folder (same filesystem, so the final
renames are cheap and atomic per rename). Only after every page was written does the
old folder move away and the new one take its place; stale files cannot linger because
the new folder starts empty.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path, PurePosixPath

_TMP_PREFIX = ".brandsite-tmp-"
_OLD_PREFIX = ".brandsite-old-"
_PREV_PREFIX = ".brandsite-prev-"


class UnsafePath(ValueError):
    pass


def safe_join(base: Path, rel: str) -> Path:
    """``base/rel`` refusing anything that would land outside ``base``."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel or "\x00" in rel:
        raise UnsafePath(rel)
    return base.joinpath(*pure.parts)


class StagedOutput:
    """Build aside, then swap.

    Deleting a large old tree is slow on many filesystems (one ``rmdir`` per page folder),
    so the replaced site is not deleted: it is kept as a hidden sibling and *recycled* as
    the staging folder of the next rebuild, where only files whose bytes differ are
    rewritten and files no longer produced are removed before the swap. A cold build
    (``recycle=False``) starts from an empty folder.
    """

    def __init__(self, out: Path, recycle: bool = True) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.prev = self.out.parent / f"{_PREV_PREFIX}{self.out.name}"
        self._clean_leftovers()
        self.tmp = self.out.parent / f"{_TMP_PREFIX}{self.out.name}-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.recycling = recycle and self.prev.is_dir()
        if self.recycling:
            os.replace(self.prev, self.tmp)
        elif recycle and self.out.is_dir():
            self.recycling = self._link_tree()
        else:
            self.tmp.mkdir()
        self.files: set[str] = set()
        self._dirs: set[Path] = {self.tmp}

    def _link_tree(self) -> bool:
        """Stage the rebuild that follows a clean build in hard links to the live site's files.

        Unchanged pages then need no writing (``pipeline`` finds them in the ledger by inode);
        ``write`` replaces a changed file by a new one, so the live site is never written
        through a link. Where hard links are not possible, the staging folder starts empty."""
        try:
            for dirpath, _dirnames, filenames in os.walk(self.out):
                here = Path(dirpath)
                there = self.tmp / here.relative_to(self.out)
                there.mkdir(exist_ok=True)
                for name in filenames:
                    src = here / name
                    if not src.is_symlink():
                        os.link(src, there / name)
            return True
        except OSError:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir()
            return False

    def _clean_leftovers(self) -> None:
        """Remove folders a killed earlier build left behind."""
        for p in self.out.parent.glob(f"{_TMP_PREFIX}{self.out.name}-*"):
            shutil.rmtree(p, ignore_errors=True)
        for p in self.out.parent.glob(f"{_OLD_PREFIX}{self.out.name}-*"):
            shutil.rmtree(p, ignore_errors=True)

    def path(self, rel: str) -> Path:
        target = safe_join(self.tmp, rel)
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        self.files.add(rel)
        return target

    def write(self, rel: str, data: bytes | str) -> bool:
        target = self.path(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.recycling:
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    return True
            except OSError:
                pass
        if self.recycling or target.is_symlink():
            # a new file, never the old one rewritten: it may be a hard link into the live site
            target.unlink(missing_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        return True

    def copy(self, src: Path, rel: str) -> bool:
        return self.write(rel, src.read_bytes())

    def _prune(self) -> None:
        """In a recycled folder: delete what this build did not produce (no stale files)."""
        base = str(self.tmp)
        cut = len(base) + 1
        for dirpath, dirnames, filenames in os.walk(base, topdown=False):
            rel_dir = dirpath[cut:]  # "" for the folder itself; plain strings: 30,000 files here
            for name in filenames:
                if (f"{rel_dir}/{name}" if rel_dir else name) not in self.files:
                    os.unlink(os.path.join(dirpath, name))
            for name in dirnames:
                sub = os.path.join(dirpath, name)
                if os.path.islink(sub):
                    os.unlink(sub)
                else:
                    with contextlib.suppress(OSError):  # only succeeds when empty
                        os.rmdir(sub)

    def commit(self) -> None:
        if self.recycling:
            self._prune()
        if self.out.exists():
            if self.prev.exists():
                shutil.rmtree(self.prev, ignore_errors=True)
            os.replace(self.out, self.prev)
        os.replace(self.tmp, self.out)

    def abort(self) -> None:
        """Keep the (partly updated) staging folder for recycling; it never holds the live site."""
        if self.prev.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            try:
                os.replace(self.tmp, self.prev)
            except OSError:
                shutil.rmtree(self.tmp, ignore_errors=True)


class InPlaceOutput:
    """Writes into a live folder (the preview server's): only files whose bytes changed, each
    replaced atomically so a browser never reads half a page."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        self.files: set[str] = set()

    def write(self, rel: str, data: bytes | str) -> bool:
        target = safe_join(self.out, rel)
        self.files.add(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
        return True

    def copy(self, src: Path, rel: str) -> bool:
        return self.write(rel, src.read_bytes())

    def remove_except(self, keep: set[str]) -> list[str]:
        """Delete files no longer produced (a deleted or renamed source) and empty folders."""
        removed = []
        for p in sorted(self.out.rglob("*"), reverse=True):
            rel = p.relative_to(self.out).as_posix()
            if p.is_file() or p.is_symlink():
                if rel not in keep:
                    p.unlink()
                    removed.append(rel)
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
        return removed
