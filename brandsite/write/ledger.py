"""Which pages a warm build may keep: the ledger of what each page file was rendered from."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from typing import Any

from brandsite import checks
from brandsite.core import cache as cache_mod
from brandsite.core.options import Options
from brandsite.model.site import Site
from brandsite.render import fingerprint
from brandsite.render import pages as render
from brandsite.write.staging import StagedOutput


class Ledger:
    """Warm builds render only pages whose fingerprint changed.

    The staging folder of a warm build is the site of the build before last (``StagedOutput``
    recycles it). The cache remembers, for every page file a build wrote, its inode, size and
    modification time with the fingerprint it was rendered from and its link-check facts. A
    page whose file still has that stat and whose fingerprint is unchanged is left as it is,
    and its facts are reused while the set of output files is the same."""

    def __init__(
        self, opts: Options, site: Site, env: Any, cache: cache_mod.RenderCache, staged: StagedOutput, files: set[str]
    ) -> None:
        self.staged = staged
        self.on = opts.use_cache and not opts.cache_readonly and cache.db is not None
        self.cache = cache
        self.fps: dict[str, str] = {}
        self.rows: dict[int, tuple[str, int, int, str, str, bytes | None]] = {}
        self.files_key = hashlib.blake2b("\n".join(sorted(files)).encode("utf-8"), digest_size=16).hexdigest()
        if self.on:
            self.prints = fingerprint.Fingerprints(opts.root, site, env, opts.drafts)
            self.rows = cache.ledger()

    def stale(self, jobs: list[render.Job], facts: dict[str, checks.Facts]) -> list[render.Job]:
        """The jobs to render; the others' files are kept (and their facts put into ``facts``)."""
        if not self.on:
            return jobs
        self.fps = {job.path: self.prints.page(job) for job in jobs}
        if not self.staged.recycling or not self.rows:
            return jobs
        todo = []
        for job in jobs:
            try:
                st = (self.staged.tmp / job.path).stat()
            except OSError:
                todo.append(job)
                continue
            row = self.rows.get(st.st_ino)
            if row is None or row[:4] != (job.path, st.st_size, st.st_mtime_ns, self.fps[job.path]):
                todo.append(job)
                continue
            self.staged.files.add(job.path)
            if row[4] == self.files_key and row[5] is not None:
                with contextlib.suppress(Exception):  # unreadable facts: the page is read again
                    facts[job.path] = pickle.loads(row[5])
        return todo

    def record(self, jobs: list[render.Job], facts: dict[str, checks.Facts]) -> None:
        if not self.on or not self.fps:
            return
        rows = []
        for job in jobs:
            try:
                st = (self.staged.tmp / job.path).stat()
            except OSError:
                continue
            seen = facts.get(job.path)
            blob = pickle.dumps(seen, protocol=pickle.HIGHEST_PROTOCOL) if seen is not None else None
            rows.append((st.st_ino, job.path, st.st_size, st.st_mtime_ns, self.fps[job.path], self.files_key, blob))
        self.cache.record_pages(rows)
