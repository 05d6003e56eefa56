"""What a run of the pipeline is asked to do (``build``, ``check``, ``serve``), and its progress line.

Every stage takes these options, so they live below the stages (``core``): the loading stage in
``content/`` and the render workers in ``write/`` read the same ones ``pipeline.py`` was given.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    root: Path
    out: Path | None = None
    drafts: bool = False
    use_cache: bool = True
    workers: int = 0  # 0 = one per core
    cache_readonly: bool = False  # `check`: reuse what builds cached, write nothing
    progress: Progress | None = None
    #: `package`: the sign-offs are required even when data/site.yaml names no ``review`` levels
    signoff: bool = False

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        if self.out is None:
            self.out = self.root / "site"
        self.out = self.out.resolve()
        if not self.workers:
            self.workers = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def tick(opts: Options, stage: str, done: int, total: int) -> None:
    if opts.progress is not None:
        opts.progress(stage, done, total)
