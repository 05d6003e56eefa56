"""CPU of the loading workers' per-file work, for two code trees side by side (issue 14, fourth round).

A cold build spreads loading over worker processes, so its profile says little about how much one
story costs. This loads every source of a corpus in one process, as one worker would, and times
(``time.process_time``, smallest of the rounds, trees alternated in every round) the whole loaders,
the Markdown conversion alone (``markup.render``) and the front matter alone (``yamlio.load``):

    python bench/load_cpu.py --tree before=/tmp/old-checkout --tree after=. \\
        --corpus ~/.cache/brandsite-bench/corpus-1000/ours-plain --rounds 5
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

#: run inside each tree's own interpreter, with that tree first on the path
_CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from brandsite.content import loading, markup, yamlio
from brandsite.content.sources import read_text, split_front_matter
from brandsite.core.diagnostics import Report
from brandsite.model import slugs

slugs.preload()
root = Path(sys.argv[2])
files = sorted(root.glob("content/**/*.md"))
loaders = {"branches": loading.load_branch, "news": loading.load_news, "pages": loading.load_page}
parts = []
for f in files:
    report = Report(root)
    text, digest = read_text(f, report)
    parts.append(split_front_matter(f, text, digest, report))
out = {}
t = time.process_time()
for f in files:
    loaders[f.parent.name](f, root)
out["load"] = time.process_time() - t
t = time.process_time()
for p in parts:
    markup.render(p.body)
out["markdown"] = time.process_time() - t
t = time.process_time()
for p in parts:
    yamlio.load(p.front, p.path, Report(root), p.front_line)
out["yaml"] = time.process_time() - t
out["files"] = len(files)
print(json.dumps(out))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tree", action="append", required=True, help="NAME=DIR of a checkout")
    ap.add_argument("--corpus", type=Path, required=True, help="a site folder (content/ and data/)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree)
    got: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name, tree in trees.items():
            run = subprocess.run([sys.executable, "-c", _CHILD, str(Path(tree).resolve()), str(args.corpus)],
                                 check=True, capture_output=True, text=True, cwd=tree)
            got[name].append(json.loads(run.stdout))
            print(f"round {r} {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in got[name][-1].items()), flush=True)
    print(f"\n| {args.corpus} ({got[next(iter(trees))][0]['files']:.0f} files), min of {args.rounds} | "
          "load CPU s | Markdown CPU s | YAML CPU s |")
    print("|---|---:|---:|---:|")
    for name, rows in got.items():
        print(f"| {name} | " + " | ".join(f"{min(r[k] for r in rows):.3f}" for k in ("load", "markdown", "yaml")) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
