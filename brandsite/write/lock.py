"""One build or preview per output folder, across processes.

Two builds swapping the same folder, or a build replacing the folder a preview is writing,
would each undo the other's promises; the lock makes the second one exit with a message instead.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import filelock

from brandsite.core.cache import CACHE_DIR
from brandsite.core.diagnostics import shown as shown_path
from brandsite.write.claim import OutputRefused


class OutputLock:
    """One build or preview per output folder, across processes.

    An operating-system lock (``flock`` / ``LockFileEx``, via filelock) on a file in the cache
    folder: the system releases it when its holder dies, so a lock left by a killed build is
    simply taken over. A second build does not wait (a preview holds the lock for hours): it
    exits with a message."""

    def __init__(self, root: Path, out: Path) -> None:
        self.out = out.resolve()
        name = hashlib.blake2b(str(self.out).encode("utf-8"), digest_size=8).hexdigest() + ".lock"
        folder = root.resolve() / CACHE_DIR / "locks"
        try:
            _cache_folder(root.resolve())
            folder.mkdir(exist_ok=True)
        except OSError:  # a read-only project: lock beside other users' temporary files
            folder = Path(tempfile.gettempdir()) / "brandsite-locks"
            folder.mkdir(exist_ok=True)
        self.lock = filelock.FileLock(folder / name, timeout=0)

    def __enter__(self) -> OutputLock:
        try:
            self.lock.acquire()
        except filelock.Timeout:
            raise OutputRefused(
                f"另一个生成或预览正在使用输出文件夹 {shown_path(self.out)}：请等它结束（预览按 Ctrl-C 停止）后再试，"
                "或用 --out 指定另一个文件夹。"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _cache_folder(root: Path) -> Path:
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return folder
