"""Which output folders a build or preview may write, and where inside them: only our own.

A build replaces everything in its output folder, so the first promise to the people whose
folders these are is **only our folder**: a build or preview writes into an output folder only
when it does not exist, is empty, carries the :data:`MARKER` file every output gets, or holds
pages the render cache recorded (a ``site/`` built before the marker existed). Never the project,
its ``content/``, ``data/``, ``themes/`` or cache, a folder containing the project, the user's home
or a file (:func:`claim`); and never a path that would land outside the folder (:func:`safe_join`).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path, PurePosixPath

from brandsite.core.cache import CACHE_DIR
from brandsite.core.diagnostics import shown as shown_path
from brandsite.model.page import clean_parts

#: every output folder holds this file: it tells later builds (and people) the folder is ours
MARKER = ".brandsite-output"
MARKER_TEXT = (
    "此文件夹由 brandsite 生成，每次生成都会整体替换其中的内容，请不要在这里存放其他文件。\n"
    "This folder is written by brandsite and replaced by every build: keep nothing else in it.\n"
)
_WAY_OUT = "请用 --out 指定一个新的（不存在或空的）文件夹，例如 --out site-new"


class UnsafePath(ValueError):
    pass


class OutputRefused(Exception):
    """The output folder may not be written; ``str()`` is the complete Chinese message."""


def safe_join(base: Path, rel: str) -> Path:
    """``base/rel`` refusing anything that would land outside ``base``."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel or "\x00" in rel:
        raise UnsafePath(rel)
    return base.joinpath(*pure.parts)


def safe_join_str(base: str, rel: str) -> str:
    """``str(safe_join(Path(base), rel))`` for a ``base`` without a trailing slash, without the
    ``pathlib`` objects: a build joins one path per written file (4,600 at 1,000 branches).

    A ``rel`` with nothing to normalise (no empty, ``.`` or ``..`` part) is joined as it is;
    anything else, refusals included, goes through :func:`safe_join` itself."""
    if clean_parts(rel) is None or "\\" in rel or "\x00" in rel:
        return str(safe_join(Path(base), rel))
    return f"{base}/{rel}"


def _why(exc: OSError) -> str:
    """The reason of a failed file operation in the editor's words."""
    reasons = {
        errno.EEXIST: "路径中有一段是文件而不是文件夹",
        errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "所在磁盘是只读的",
        errno.ENOSPC: "磁盘空间已满",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def _inside(p: Path, folder: Path) -> bool:
    return p == folder or folder in p.parents


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError, KeyError):
        return None


def _known_to_cache(root: Path, out: Path) -> bool:
    """Whether the render cache's page ledger describes ``out/index.html`` as it is now: a folder
    built before outputs got the marker (the ledger records inode, size and mtime of what a
    build wrote)."""
    db_path = root / CACHE_DIR / "render.sqlite"
    try:
        st = (out / "index.html").stat()
    except OSError:
        return False
    if not db_path.is_file():
        return False
    try:
        db = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT path, size, mtime FROM pages WHERE ino = ?", (st.st_ino,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return row is not None and tuple(row) == ("index.html", st.st_size, st.st_mtime_ns)


def preview_folder(root: Path) -> Path:
    """Where ``serve`` writes its pages: inside the cache, a folder ``build`` never publishes from,
    so a page the preview wrote (checked or not) can never be copied to the court's website."""
    return root.resolve() / CACHE_DIR / "preview"


def claim(root: Path, out: Path) -> None:
    """Raise :class:`OutputRefused` unless ``out`` may be written by a build of ``root``."""
    root, out = root.resolve(), out.resolve()
    shown = shown_path(out)
    if _inside(root, out):
        what = "网站源文件夹本身" if out == root else "包含网站源文件夹的上级文件夹"
        raise OutputRefused(f"输出文件夹 {shown} 是{what}，生成网站会替换其中的全部内容，已拒绝。{_WAY_OUT}。")
    for name, what in (("content", "内容"), ("data", "数据"), ("themes", "主题"), (CACHE_DIR, "缓存")):
        if _inside(out, root / name) and out != preview_folder(root):
            raise OutputRefused(f"输出文件夹 {shown} 在网站的{what}文件夹 {name}/ 里，已拒绝。{_WAY_OUT}。")
    home = _home()
    if home is not None and _inside(home, out):
        raise OutputRefused(f"输出文件夹 {shown} 是用户主文件夹（或其上级），已拒绝。{_WAY_OUT}。")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"输出位置 {shown} 是一个文件，不是文件夹，已拒绝（不会改动它）。{_WAY_OUT}。")
    if not out.is_dir():
        return
    try:
        names = sorted(os.listdir(out))
    except OSError as exc:
        raise OutputRefused(f"无法读取输出文件夹 {shown}：{_why(exc)}。{_WAY_OUT}。") from None
    if not names or MARKER in names or _known_to_cache(root, out):
        return
    sample = "、".join(names[:3]) + (" 等" if len(names) > 3 else "")
    raise OutputRefused(
        f"输出文件夹 {shown} 里已有不是 brandsite 生成的文件（{sample}），生成网站会替换它们，已拒绝。"
        f"{_WAY_OUT}；如果它是旧版 brandsite 生成的网站，或确定其中的文件都不要了，请先自己删除或清空这个文件夹。"
    )
