"""Cold builds of two brandsite code trees side by side with Hugo and Pelican, round-robin.

``../shared/bench-anchors/run.sh`` times one ``build.py`` per run, each tool's builds back to
back; on a shared 2-core machine the load then drifts between the before and the after of a
change. This script takes the anchor corpora ``run.sh`` generated (``corpus-N`` under
``${XDG_CACHE_HOME:-~/.cache}/brandsite-bench/``, with their ``hugo/``, ``pelican/``, ``ours/``
and ``ours-plain/`` copies: run ``run.sh N`` once first) and builds, in every round, Hugo,
Pelican and each code tree on both the full and the like-for-like (``ours-plain``) corpus,
every build cold (output folder removed) under ``/usr/bin/time``: wall, CPU (user + system,
workers included) and the largest process's peak RSS. Then it prints medians and ratios.

    python bench/anchor_pairs.py --tree before=/tmp/old-checkout --tree after=. --sizes 100 1000 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tree", action="append", required=True, help="NAME=DIR of a checkout holding build.py")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    args = ap.parse_args()
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "brandsite-bench"
    pelican = home / "pelican-venv" / "bin" / "pelican"
    trees = dict(t.split("=", 1) for t in args.tree)
    for n in args.sizes:
        corpus = home / f"corpus-{n}"
        if not (corpus / "ours-plain").is_dir():
            print(f"{corpus}/ours-plain missing: run ../shared/bench-anchors/run.sh {n} first", file=sys.stderr)
            return 2
        out = Path(tempfile.mkdtemp(prefix="anchor-pairs-")) / "site"
        tools: dict[str, tuple[Path | None, list[str]]] = {
            "hugo": (None, [args.hugo, "--quiet", "--ignoreCache", "-s", str(corpus / "hugo"), "-d", str(out)]),
            "pelican": (corpus / "pelican", [str(pelican), "content", "-o", str(out), "-s", "pelicanconf.py"]),
        }
        for name, folder in trees.items():
            for kind, src in (("full", "ours"), ("plain", "ours-plain")):
                cmd = [sys.executable, "build.py", "build", "--root", str(corpus / src), "--out", str(out)]
                tools[f"{name} {kind}"] = (Path(folder), cmd)
        runs: dict[str, list[tuple[float, float, float]]] = {t: [] for t in tools}
        for r in range(args.rounds):
            for tool, (cwd, cmd) in tools.items():
                shutil.rmtree(out, ignore_errors=True)
                p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *cmd], cwd=cwd, capture_output=True, text=True)
                if p.returncode:
                    print(f"{tool} failed: {p.stderr[-400:]}", file=sys.stderr)
                    continue
                wall, user, system, peak = p.stderr.strip().splitlines()[-1].split()
                runs[tool].append((float(wall), float(user) + float(system), int(peak) / 1024))
                print(f"N={n} round {r} {tool}: {wall} s", file=sys.stderr, flush=True)
        shutil.rmtree(out.parent, ignore_errors=True)
        med = {t: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v), max(m for *_, m in v))
               for t, v in runs.items() if v}
        hugo, pel = med["hugo"], med["pelican"]
        print(f"\n| N = {n:,}, {args.rounds} rounds | median wall s | × Hugo | × Pelican | median CPU s | CPU × Pelican "
              "| largest process MiB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for t, (w, c, m) in med.items():
            print(f"| {t} | {w:.2f} | {w / hugo[0]:.2f} | {w / pel[0]:.2f} | {c:.2f} | {c / pel[1]:.2f} | {m:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
