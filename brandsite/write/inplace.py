"""Writing into a live folder, the preview's: only what changed, each file replaced atomically.

The preview rewrites a few pages on every save while a browser may be reading them; staging and
swapping the whole site (:mod:`brandsite.write.staging`) would cost more than the page itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from brandsite.write.claim import MARKER, MARKER_TEXT, safe_join


class InPlaceOutput:
    """Writes into a live folder (the preview server's): only files whose bytes changed, each
    replaced atomically so a browser never reads half a page."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        marker = self.out / MARKER
        if not marker.is_file():
            marker.write_bytes(MARKER_TEXT.encode("utf-8"))
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
                if rel not in keep and rel != MARKER:
                    p.unlink()
                    removed.append(rel)
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
        return removed
