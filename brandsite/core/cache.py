"""Persistent render cache: parsed + rendered sources keyed by content hash.

Python-Markdown is the dominant cost of a build; a rebuild where nothing changed should
only re-read files, hash them and fetch their rendered form. Keys include the hash of the
package's own code, so upgrading brandsite can never serve stale HTML.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".brandsite-cache"
#: pending entries written at once: a large build must not hold every pickle until the end
_FLUSH_EVERY = 256


#: the libraries whose version shapes a cached entry or a page: parsed Markdown and its HTML
#: (Markdown, nh3), templates (Jinja2, MarkupSafe), Traditional text (opencc), slugs and search
#: keys (pypinyin, rjieba), YAML (PyYAML), images (Pillow), imported Word files (mammoth)
LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "nh3", "opencc", "pypinyin", "rjieba", "PyYAML", "Pillow",
             "mammoth", "rapidfuzz")


@lru_cache(maxsize=1)
def library_versions() -> tuple[str, ...]:
    from importlib import metadata  # (here: 12 ms that `--help`, `new` and `serve`'s start need not pay)

    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=?")
    return tuple(out)


@lru_cache(maxsize=1)
def code_version() -> str:
    """brandsite's own code and the versions of the libraries in ``LIBRARIES``: every cache key
    starts with it, so an upgrade of either never serves an entry the old one made."""
    h = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent.parent
    for p in sorted(package.rglob("*.py")):
        h.update(p.relative_to(package).as_posix().encode())
        h.update(p.read_bytes())
    h.update("\0".join(library_versions()).encode())
    return h.hexdigest()


def key(kind: str, rel: str, digest: str, *extra: object) -> str:
    return f"{code_version()}:{kind}:{rel}:{digest}:{':'.join(map(str, extra))}"


class RenderCache:
    """A small sqlite key → pickle store; any problem with it degrades to "no cache"."""

    def __init__(self, root: Path, enabled: bool = True, readonly: bool = False) -> None:
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, bytes]] = []
        self.pending_pages: list[tuple[Any, ...]] = []
        self.keep: set[str] | None = None
        self.readonly = readonly
        #: False on a cold build: entries are written for the next build but never read (a clean
        #: build must compute everything, and the benchmarks compare it with Hugo's --ignoreCache)
        self.reuse = True
        if not enabled:
            return
        if readonly:  # `check` may read what builds cached, but writes nothing, not even the cache
            path = root / CACHE_DIR / "render.sqlite"
            if path.is_file():
                try:
                    self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                except sqlite3.Error:
                    self.db = None
            return
        try:
            folder = root / CACHE_DIR
            folder.mkdir(exist_ok=True)
            (folder / ".gitignore").write_text("*\n", encoding="utf-8")
            self.db = sqlite3.connect(folder / "render.sqlite")
            self.db.execute("CREATE TABLE IF NOT EXISTS entries (k TEXT PRIMARY KEY, v BLOB)")
        except (OSError, sqlite3.Error):
            self.db = None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        if self.db is None or not keys or not self.reuse:
            return {}
        out: dict[str, Any] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for k, v in self.db.execute(f"SELECT k, v FROM entries WHERE k IN ({marks})", chunk):
                    try:
                        out[k] = pickle.loads(v)
                    except Exception:  # noqa: BLE001 - a corrupt entry is just a miss
                        continue
        except sqlite3.Error:
            return {}
        return out

    # ------------------------------------------------------------------ page ledger
    def ledger(self) -> dict[int, tuple[str, int, int, str, str, bytes | None]]:
        """What earlier builds wrote: inode → (path, size, mtime_ns, page fingerprint, facts key, facts).

        A file in the recycled staging folder whose stat still matches its row holds exactly what
        that fingerprint rendered (see ``pipeline.build``)."""
        if self.db is None:
            return {}
        try:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS pages (ino INTEGER PRIMARY KEY, path TEXT, size INTEGER, mtime INTEGER,"
                " fp TEXT, facts_key TEXT, facts BLOB, gen INTEGER)"
            )
            row = self.db.execute("SELECT MAX(gen) FROM pages").fetchone()
            self.gen = (row[0] or 0) + 1 if row else 1
            return {r[0]: r[1:] for r in self.db.execute("SELECT ino, path, size, mtime, fp, facts_key, facts FROM pages")}
        except sqlite3.Error:
            return {}

    def record_pages(self, rows: list[tuple[int, str, int, int, str, str, bytes | None]]) -> None:
        """Rows for the pages this build's folder holds; rows older than the previous build's go
        (that build's folder is the one the next build recycles)."""
        if self.db is None or self.readonly or not hasattr(self, "gen"):
            return
        self.pending_pages = [(*r, self.gen) for r in rows]

    def put(self, k: str, value: Any) -> None:
        if self.db is not None and not self.readonly:
            self.put_pickled(k, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, k: str, blob: bytes) -> None:
        """``put`` of a value a worker process already pickled (``pickle.HIGHEST_PROTOCOL``)."""
        if self.db is not None and not self.readonly:
            self.pending.append((k, blob))
            if len(self.pending) >= _FLUSH_EVERY:
                self.flush()

    def flush(self) -> None:
        """Write pending entries now: ten thousand parsed sources are hundreds of megabytes of
        pickles, which must not stay in memory for the rest of the build."""
        if self.db is None or self.readonly or not self.pending:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self.pending)
        except sqlite3.Error:
            pass
        self.pending = []

    def close(self, keep: set[str] | None = None) -> None:
        """Write pending entries; drop entries no longer referenced (keeps the file small)."""
        if self.db is None:
            return
        if self.readonly:
            self.db.close()
            self.db = None
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self.pending)
                if self.pending_pages:
                    self.db.execute("DELETE FROM pages WHERE gen < ?", (self.gen - 1,))
                    self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.pending_pages)
                if keep is not None:
                    self.db.execute("CREATE TEMP TABLE keep (k TEXT PRIMARY KEY)")
                    self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keep])
                    self.db.execute("DELETE FROM entries WHERE k NOT IN (SELECT k FROM keep)")
                    self.db.execute("DROP TABLE keep")
            self.db.close()
        except sqlite3.Error:
            pass
        self.db = None
