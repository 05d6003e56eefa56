"""Resident memory of a cold build, stage by stage: where the main process's peak comes from.

``/usr/bin/time``'s figure is one number for the whole run; this script runs the real
``pipeline.build`` in this process with each stage wrapped, and prints after every stage the
main process's resident set (``VmRSS``), its peak so far (``VmHWM``), the largest sum of the
process tree's resident sets (main process + workers; a forked worker's RSS counts the pages it
shares with the parent) and of their proportional sets (PSS: shared pages counted once), and the
largest worker, as a sampler thread saw them during that stage (every 50 ms). With
``--top N`` it also takes a tracemalloc snapshot at the peak stage boundary (after rendering the
pages: what the parent holds while the render workers run) and prints the N largest allocation
sites, which is what to cut. tracemalloc slows the build down about 2×; use it on ≤ 2,000
branches.

    python bench/mem_stages.py ~/.cache/brandsite-bench/corpus-10000/ours
    python bench/mem_stages.py /tmp/corpus-2000/ours --top 25
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _status(pid: int | str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """Proportional set size (MiB): shared pages split among the processes sharing them, so
    that a forked worker's inherited copy of the parent is not counted twice in a sum."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    out += _tree(int(child))
    except OSError:
        pass
    return out


class Sampler(threading.Thread):
    """The largest process-tree resident sum (MiB) since the last ``take``."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.largest_child = 0
        self.pss = 0

    def run(self) -> None:
        me = os.getpid()
        while True:
            pids = _tree(me)
            rss = [_status(p, "VmRSS") for p in pids]
            self.peak = max(self.peak, sum(rss))
            self.largest_child = max([self.largest_child, *rss[1:]])
            self.pss = max(self.pss, sum(_pss(p) for p in pids))
            time.sleep(0.05)

    def take(self) -> tuple[int, int, int]:
        got = self.peak, self.largest_child, self.pss
        self.peak = self.largest_child = self.pss = 0
        return got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--top", type=int, default=0, help="tracemalloc: the N largest allocation sites at the peak")
    ap.add_argument("--at", default="render_jobs", help="the stage after which the snapshot is taken")
    ap.add_argument("--no-cache", action="store_true", help="as build --no-cache (by default the cold build writes "
                    "the render cache into ROOT/.brandsite-cache, as the command line's does)")
    args = ap.parse_args()
    if args.top:
        tracemalloc.start(1)
    from brandsite import pipeline
    from brandsite.derive import statistics
    from brandsite.render import pages as render

    sampler = Sampler()
    sampler.start()
    t0 = time.perf_counter()
    rows: list[tuple[str, float, int, int, int, int]] = []

    def mark(name: str) -> None:
        tree, child, pss = sampler.take()
        rows.append((name, time.perf_counter() - t0, _status("self", "VmRSS"), _status("self", "VmHWM"), tree, child))
        print(f"{name:<16} {rows[-1][1]:7.1f} s  rss {rows[-1][2]:5} MiB  peak {rows[-1][3]:5} MiB  "
              f"tree {tree:5} MiB (PSS {pss:5})  largest worker {child:5} MiB", file=sys.stderr, flush=True)
        if args.top and name == args.at:
            snap = tracemalloc.take_snapshot()
            total = sum(s.size for s in snap.statistics("filename"))
            print(f"\ntracemalloc after {name}: {total / 2**20:.1f} MiB traced; largest sites:", file=sys.stderr)
            for s in snap.statistics("lineno")[: args.top]:
                frame = s.traceback[0]
                print(f"  {s.size / 2**20:7.1f} MiB {s.count:9} blocks  {frame.filename.split('brandsite/')[-1]}:{frame.lineno}",
                      file=sys.stderr)
            print(file=sys.stderr)

    def wrap(owner: Any, name: str, label: str) -> None:
        fn = getattr(owner, name)

        def wrapped(*a: Any, **kw: Any) -> Any:
            got = fn(*a, **kw)
            if label == "jobs":  # a generator: the stage is making the list
                got = list(got)
            mark(label)
            return got

        setattr(owner, name, wrapped)

    mark("imports")
    wrap(pipeline, "load", "load")
    wrap(statistics, "compute", "statistics")
    wrap(render.Pages, "jobs", "jobs")
    wrap(pipeline, "extra_files", "extra_files")
    wrap(pipeline, "render_jobs", "render_jobs")
    wrap(pipeline.checks, "inspect_output", "inspect")
    tmp = Path(tempfile.mkdtemp(prefix="mem-stages-"))
    try:
        opts = pipeline.Options(root=args.root.resolve(), out=tmp / "site", use_cache=not args.no_cache)
        result = pipeline.build(opts)
        mark("done")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'ok' if result.ok else 'errors'}: {result.pages} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
