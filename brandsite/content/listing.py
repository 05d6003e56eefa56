"""Which files under ``content/`` are sources: every ``.md``; a word for every other file an editor put there.

The load stage's first step. Nothing an editor put in a content folder may vanish without a word:
a Word file, a ``.txt``, a linked or unreadable folder each gets a warning, a link to a file
outside the project an error.
"""

from __future__ import annotations

import os
from pathlib import Path

from brandsite.core.diagnostics import Report, shown
from brandsite.core.options import Options

CONTENT_DIRS = {"branch": "content/branches", "news": "content/news", "page": "content/pages"}
_IGNORED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}


def list_sources(opts: Options, report: Report) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    branches_dir = opts.root / CONTENT_DIRS["branch"]
    if not branches_dir.is_dir():
        report.error(branches_dir, 0, "缺少品牌文件夹 content/branches：每个支部品牌一个 .md 文件放在这里", "layout")
    for kind, rel in CONTENT_DIRS.items():
        folder = opts.root / rel
        if not folder.is_dir():
            continue
        links: set[str] = set()
        unread: list[tuple[Path, bool]] = []
        files = _files_under(folder, links, unread)
        for where, is_link in unread:  # nothing an editor put here may vanish without a word
            if is_link:
                report.warning(where, 0, f"“{where.name}”是指向别处文件夹的链接，里面的文件不会被读取："
                                         "请把文件夹本身放到这里（替换这个链接）", "ignored")
            else:
                report.warning(where, 0, f"文件夹“{where.name}”没有读取权限，里面的文件不会被读取："
                                         "请检查文件夹的权限", "ignored")
        for name, p in files:
            if name.startswith("."):
                continue
            dot = name.rfind(".")
            suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""  # Path.suffix, on the bare name
            if suffix == ".md":
                if links and str(p) in links and not _inside_project(opts.root, p, report):
                    continue
                found.append((kind, p))
            elif suffix in (".markdown", ".txt"):
                report.warning(p, 0, f"“{p.name}”不会被发布：内容文件的扩展名必须是 .md，请改名为 {p.stem}.md", "ignored")
            elif suffix in (".doc", ".docx", ".wps"):
                report.warning(p, 0, f"Word 文件“{p.name}”不会被发布：请把内容粘贴到 .md 文件中", "ignored")
            elif suffix not in _IGNORED_SUFFIXES and suffix not in (".pdf", ".yaml", ".yml"):
                report.warning(p, 0, f"“{p.name}”不是 .md 文件，已忽略", "ignored")
    return found


def _inside_project(root: Path, p: Path, report: Report) -> bool:
    """A source that is a link to a file outside the project is not read (it would publish a file
    nobody sees in the project folder): an error naming where it points."""
    target = Path(os.path.realpath(p))
    if target == root or root in target.parents:
        return True
    report.error(p, 0, f"“{p.name}”是指向项目以外文件 {shown(target)} 的链接，为防止误发布，不会读取它："
                       "请把该文件复制到这里（替换这个链接），或删除这个链接", "symlink")
    return False


def _files_under(folder: Path, links: set[str] | None = None,
                 unread: list[tuple[Path, bool]] | None = None) -> list[tuple[str, Path]]:
    """(name, path) of the files below ``folder`` in the order of ``sorted(folder.rglob("*"))``, without pathlib's cost.

    The preview lists every source on each rebuild, so this walk is on the path from saving a file
    to its page. Same rules as ``rglob``: symlinked folders are not entered, hidden folders are,
    a folder that may not be read is skipped; a file is what ``Path.is_file`` calls one (links
    followed). Paths sort by their parts, as ``Path`` objects do (case-folded where the file
    system ignores case). Files that are symbolic links are added to ``links`` (paths as text);
    folders not entered (a link to a folder: True, one that may not be read: False) to ``unread``."""
    # pathlib's own child constructor skips re-parsing the path (Path(str) costs ~4 µs a file)
    child = getattr(type(folder), "_make_child_relpath", None) or type(folder).joinpath
    found: list[tuple[tuple[str, ...], str, Path]] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    while stack:
        here, parts = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except PermissionError:
            if unread is not None and here != folder:
                unread.append((here, False))
            continue
        for entry in entries:
            key = (*parts, os.path.normcase(entry.name))
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((child(here, entry.name), key))
                continue
            try:
                is_file = entry.is_file()
            except OSError:  # Path.is_file's answer, errors and all (a link loop is "not a file")
                is_file = Path(entry.path).is_file()
            if is_file:
                found.append((key, entry.name, child(here, entry.name)))
                if links is not None and entry.is_symlink():  # (known from the listing: no extra call)
                    links.add(entry.path)
            elif unread is not None and entry.is_symlink() and os.path.isdir(entry.path) \
                    and not entry.name.startswith("."):
                unread.append((child(here, entry.name), True))
    found.sort(key=lambda kp: kp[0])
    return [(name, p) for _, name, p in found]
