#!/usr/bin/env python3
"""Start-up of ``build.py`` commands: the imports each one pays, for one or more code trees.

    python bench/startup.py --tree before=/tmp/startup-before --tree after=. [--runs 5]

Every command runs under ``python -X importtime`` ``--runs`` times per tree, alternating the
trees; the table gives the smallest sum of the self times of every import in the run (lazy
ones included, so what a command pays for, not only what ``import brandsite.cli`` pulls in),
the interpreter's own share (``encodings``, ``site`` and what they import), the process's wall
and CPU time, and which of the heavy libraries were imported. The sites are the repository's
sample and the shared anchor corpus at 100 branches (``run.sh 100`` makes it). A measurement,
not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("rjieba", "pypinyin", "opencc", "PIL", "watchdog", "mammoth", "rapidfuzz", "importlib.metadata")
CORPUS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "brandsite-bench" / "corpus-100"
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def slug_site(root: Path) -> Path:
    """The tests' small site (tests/conftest.py), one script, no search, every branch with its
    ``slug:`` and no tags: what needs no segmenter."""
    repo = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(repo), str(repo / "tests")]
    from conftest import branch_text, make_site

    s = make_site(root)
    s.write("data/site.yaml", (root / "data/site.yaml").read_text("utf-8") + "search: false\n")
    s.branch("faguan-mama", branch_text("法官妈妈", "ordos", "slug: faguan-mama"))
    s.branch("shantiao", branch_text("善调乡村", "xuyi", "slug: shantiao-xiangcun"))
    return root


def commands(tree: Path, out: Path) -> dict[str, list[str]]:
    small = out.parent / "slug-site"
    return {
        "--help": ["--help"],
        "serve --help": ["serve", "--help"],
        "check (2 branches with slugs)": ["check", "--no-cache", "--root", str(small)],
        "build (2 branches with slugs)": ["build", "--root", str(small), "--out", str(out)],
        "check (sample)": ["check", "--no-cache", "--root", str(tree)],
        "check (100, plain)": ["check", "--no-cache", "--root", str(CORPUS / "ours-plain")],
        "build (100, plain)": ["build", "--root", str(CORPUS / "ours-plain"), "--out", str(out)],
        "build (100, full)": ["build", "--root", str(CORPUS / "ours"), "--out", str(out)],
    }


def run(tree: Path, args: list[str], out: Path) -> tuple[float, float, float, float, set[str]]:
    """(imports s, interpreter's own imports s, wall s, CPU s, heavy modules imported)."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-X", "importtime", "build.py", *args], cwd=tree,
                          capture_output=True, text=True, encoding="utf-8")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{tree}: build.py {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    total = interp = 0
    top: list[tuple[int, str]] = []  # children precede their parent: collect until a top-level line
    names: set[str] = set()
    for m in _LINE.finditer(proc.stderr):
        self_us, depth, name = int(m[1]), len(m[3]) // 2, m[4]
        total += self_us
        names.add(name)
        top.append((self_us, name))
        if depth == 0:
            if name in ("encodings", "site") or name.startswith("encodings."):
                interp += sum(s for s, _ in top)
            top = []
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    heavy = {h for h in HEAVY if h in names}
    return total / 1e6, interp / 1e6, wall, cpu, heavy


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tree", action="append", required=True, help="NAME=DIR of a checkout holding build.py")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    trees = [(n, Path(d).resolve()) for n, d in (t.split("=", 1) for t in a.tree)]
    scratch = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    slug_site(scratch / "slug-site")
    best: dict[tuple[str, str], list[tuple[float, float, float, float, set[str]]]] = {}
    try:
        for _ in range(a.runs):
            for name, tree in trees:
                for label, args in commands(tree, scratch / "out").items():
                    best.setdefault((label, name), []).append(run(tree, args, scratch / "out"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("| command | tree | imports s (min) | of it interpreter | wall s (min) | CPU s (min) | heavy modules imported |")
    print("|---|---|---:|---:|---:|---:|---|")
    for label in commands(Path("."), scratch):
        for name, _ in trees:
            rs = best[(label, name)]
            heavy = sorted(set().union(*(r[4] for r in rs)))
            print(f"| {label} | {name} | {min(r[0] for r in rs):.3f} | {min(r[1] for r in rs):.3f} "
                  f"| {min(r[2] for r in rs):.2f} | {min(r[3] for r in rs):.2f} | {', '.join(heavy) or '—'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
