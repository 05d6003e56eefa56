"""Writing the site: build aside, then swap, so a failed or killed build never harms ``site/``.

Two promises to the people whose folders these are (the third, only our folder, is
:mod:`brandsite.write.claim`):

* **Nothing refused is left where it can be served.** The new site is written into a staging
  folder inside the cache folder (``ROOT/.brandsite-cache/output/``), on the output's filesystem
  so that the swap is a rename; a failed build deletes it. The replaced site is kept there
  (*recycled*) to stage the next build in.
* **No moment without a site.** The swap exchanges the two folders in one step where the system
  can (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on macOS); elsewhere
  (Windows, file systems without it) the old folder is renamed away and the new one renamed into
  place right after: a window of two renames.

When the cache folder is on another filesystem, or the output's parent folder may not be written
(a deployment where only the output folder itself is writable), the output folder cannot be
renamed: the new site is then staged in a hidden folder *inside* it and swapped in entry by entry
(each entry exchanged atomically where the system can); the staging folder is deleted after the
swap and after a failed build.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
import sys
from pathlib import Path

from brandsite.core.cache import CACHE_DIR
from brandsite.core.diagnostics import shown as shown_path
from brandsite.write.claim import _WAY_OUT, MARKER, MARKER_TEXT, OutputRefused, _why, safe_join_str
from brandsite.write.lock import _cache_folder

_OUTPUT_DIR = "output"  # below CACHE_DIR: staging and recycled folders
_INSIDE_STAGING = ".brandsite-staging-"
_INSIDE_TRASH = ".brandsite-replaced-"
# names an earlier version used for its folders beside the output
_LEGACY = (".brandsite-tmp-", ".brandsite-old-", ".brandsite-prev-")


def _exchange_function() -> tuple[str, object] | None:
    if sys.platform.startswith("linux"):
        name = "renameat2"
    elif sys.platform == "darwin":
        name = "renamex_np"
    else:
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = getattr(libc, name)
    except (OSError, AttributeError):
        return None
    return name, fn


_EXCHANGE = _exchange_function()
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM}


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False where the system or file system cannot (the
    caller then renames in two steps)."""
    if _EXCHANGE is None:
        return False
    name, fn = _EXCHANGE
    if name == "renameat2":  # renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
        result = fn(-100, os.fsencode(a), -100, os.fsencode(b), 2)  # type: ignore[operator]
    else:  # renamex_np(a, b, RENAME_SWAP)
        result = fn(os.fsencode(a), os.fsencode(b), 2)  # type: ignore[operator]
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a))


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def recycled_path(root: Path, out: Path) -> Path:
    """Where the site replaced by the last build of ``out`` is kept (staged into by the next)."""
    return root.resolve() / CACHE_DIR / _OUTPUT_DIR / f"recycled-{_key(out)}"


def _key(out: Path) -> str:
    out = out.resolve()
    return f"{hashlib.blake2b(str(out).encode('utf-8'), digest_size=6).hexdigest()}-{out.name}"


#: open() never follows a link as the file's last part (where the system has the flag)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_new(target: str, data: bytes) -> None:
    """Write ``data`` to ``target``, never through a link: a link in its place is replaced by a
    file. With ``O_NOFOLLOW`` the open itself refuses a link (one system call instead of an
    ``lstat`` before every write, and no moment between the check and the open); without it
    (Windows) the link is looked for first."""
    if not _NOFOLLOW and os.path.islink(target):
        os.unlink(target)
    try:
        fd = os.open(target, _CREATE | _NOFOLLOW, 0o666)
    except OSError:
        if not os.path.islink(target):
            raise
        os.unlink(target)
        fd = os.open(target, _CREATE | _NOFOLLOW, 0o666)
    with open(fd, "wb") as f:
        f.write(data)


class StagedOutput:
    """Build aside, then swap.

    Deleting a large old tree is slow on many filesystems (one ``rmdir`` per page folder),
    so the replaced site is not deleted: it is kept in the cache folder and *recycled* as
    the staging folder of the next rebuild, where only files whose bytes differ are
    rewritten and files no longer produced are removed before the swap. A cold build
    (``recycle=False``) starts from an empty folder. A failed build deletes its staging
    folder: nothing it rendered (pages refused for personal information) is kept.

    ``root`` is the project whose cache folder holds the staging and recycled folders; without
    it (``check``'s private temporary output) they are siblings of the output.
    """

    def __init__(self, out: Path, recycle: bool = True, root: Path | None = None) -> None:
        self.out = out.resolve()
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.home = self._stage_home(root)
            if self.home is None:  # staged inside the output folder (see the module's docstring)
                self.out.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputRefused(f"无法创建输出文件夹 {shown_path(self.out)}：{_why(exc)}。{_WAY_OUT}。") from None
        self.prev: Path | None = None
        if self.home is None:
            self.tmp = self.out / f"{_INSIDE_STAGING}{os.getpid()}"
        else:
            self.tmp = self.home / f"staging-{_key(self.out)}-{os.getpid()}"
            self.prev = self.home / f"recycled-{_key(self.out)}"
        self._clean_leftovers()
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.recycling = recycle and self.prev is not None and self.prev.is_dir()
        if self.recycling:
            assert self.prev is not None
            os.replace(self.prev, self.tmp)
        elif recycle and self.out.is_dir() and any(self._own_entries(self.out)):
            self.recycling = self._link_tree()
        else:
            self.tmp.mkdir()
        self.files: set[str] = set()
        self._base = str(self.tmp)
        self._dirs: set[str] = {self._base}

    def _stage_home(self, root: Path | None) -> Path | None:
        """The folder for staging and recycled folders: in the cache folder when it is on the
        output's filesystem and the output may be renamed; None: inside the output."""
        parent = self.out.parent
        if not _writable(parent):
            return None
        if root is None:
            return parent
        try:
            home = _cache_folder(root.resolve()) / _OUTPUT_DIR
            home.mkdir(exist_ok=True)
            same = os.stat(home).st_dev == os.stat(parent).st_dev
        except OSError:
            return None
        return home if same else None

    def _own_entries(self, folder: Path) -> list[str]:
        """The entries of the output folder that belong to the site (not our staging folders)."""
        return [n for n in os.listdir(folder) if not n.startswith((_INSIDE_STAGING, _INSIDE_TRASH))]

    def _link_tree(self) -> bool:
        """Stage the rebuild that follows a clean build in hard links to the live site's files.

        Unchanged pages then need no writing (``pipeline`` finds them in the ledger by inode);
        ``write`` replaces a changed file by a new one, so the live site is never written
        through a link. Where hard links are not possible, the staging folder starts empty."""
        try:
            self.tmp.mkdir()
            for dirpath, dirnames, filenames in os.walk(self.out):
                here = Path(dirpath)
                if here == self.out:
                    dirnames[:] = [d for d in dirnames if not d.startswith((_INSIDE_STAGING, _INSIDE_TRASH))]
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
        """Remove what a killed earlier build left: its staging folder, and the folders an older
        brandsite kept beside the output (a refused build's pages could be served from there).
        Names are compared exactly (an output named ``site[1]`` is no pattern)."""
        if self.home is None:
            for name in os.listdir(self.out):
                if name.startswith((_INSIDE_STAGING, _INSIDE_TRASH)):
                    shutil.rmtree(self.out / name, ignore_errors=True)
        else:
            mine = f"staging-{_key(self.out)}-"
            for name in os.listdir(self.home):
                if name.startswith(mine) and name[len(mine):].isdigit():
                    shutil.rmtree(self.home / name, ignore_errors=True)
        parent = self.out.parent
        if not _writable(parent):
            return
        own = self.out.name
        for name in os.listdir(parent):
            p = parent / name
            if not p.is_dir() or p.is_symlink():
                continue
            for prefix in (*_LEGACY, _INSIDE_TRASH):  # (the last: a swap cut between its two renames)
                if name.startswith(prefix + own):
                    rest = name[len(prefix) + len(own):]
                    if (rest == "") if prefix == ".brandsite-prev-" else (rest[:1] == "-" and rest[1:].isdigit()):
                        shutil.rmtree(p, ignore_errors=True)

    def path(self, rel: str) -> str:
        """Where ``rel`` goes in the staging folder, its folder made (once per folder)."""
        target = safe_join_str(self._base, rel)
        parent = os.path.dirname(target)  # (either separator: a path ``safe_join`` normalised has the system's)
        if parent not in self._dirs:
            Path(parent).mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        self.files.add(rel)
        return target

    def write(self, rel: str, data: bytes | str) -> bool:
        target = self.path(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.recycling:
            try:
                if os.stat(target).st_size == len(data) and Path(target).read_bytes() == data:
                    return True
            except OSError:
                pass
            # a new file, never the old one rewritten: it may be a hard link into the live site
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        _write_new(target, data)
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
        self.write(MARKER, MARKER_TEXT)  # one of the site's files (counted, never pruned)
        if self.home is None:
            self._swap_entries()
            return
        assert self.prev is not None
        if not self.out.exists():
            os.replace(self.tmp, self.out)
            return
        if self.prev.exists():
            shutil.rmtree(self.prev, ignore_errors=True)
        if exchange(self.tmp, self.out):
            old = self.tmp  # the exchange left the replaced site here
        else:  # no atomic exchange here: the shortest window, two renames
            old = self.out.parent / f"{_INSIDE_TRASH}{self.out.name}-{os.getpid()}"
            os.replace(self.out, old)
            os.replace(self.tmp, self.out)
        try:
            os.replace(old, self.prev)
        except OSError:
            shutil.rmtree(old, ignore_errors=True)

    def _swap_entries(self) -> None:
        """Staged inside the output: put each entry of the new site in place of the old one
        (exchanged in one step where the system can, a file replaced by one rename anyway)."""
        trash = self.out / f"{_INSIDE_TRASH}{os.getpid()}"
        trash.mkdir(exist_ok=True)
        new = set(os.listdir(self.tmp))
        for name in sorted(self._own_entries(self.out)):
            if name not in new:
                os.replace(self.out / name, trash / name)
        for name in sorted(new):
            src, dst = self.tmp / name, self.out / name
            if not os.path.lexists(dst):
                os.replace(src, dst)
            elif exchange(src, dst):
                continue
            elif not src.is_dir() and not dst.is_dir():
                os.replace(src, dst)
            else:
                os.replace(dst, trash / name)
                os.replace(src, dst)
        shutil.rmtree(self.tmp, ignore_errors=True)
        shutil.rmtree(trash, ignore_errors=True)

    def abort(self) -> None:
        """Delete the staging folder: what a failed build rendered (perhaps refused for personal
        information) must not stay anywhere."""
        shutil.rmtree(self.tmp, ignore_errors=True)
