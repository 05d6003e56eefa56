"""Issue 14's table from one run of ``../shared/bench-anchors/run.sh``: wall, CPU and memory ratios.

``run.sh`` prints wall-time medians and ratios to Hugo. Issue 14's targets also compare CPU time
with Pelican's and the largest process with a limit, so this reads the same run's raw files
(hyperfine's JSON: median wall, mean user + system CPU; ``/usr/bin/time -v``: the largest
resident set of the build and of the processes it waited for) and prints one table per run,
then each target of the issue with the figure that decides it. Nothing is measured here: every
figure comes from the one run, so the ratios are side by side.

    ../shared/bench-anchors/run.sh 100 1000 10000
    python3 bench/anchor_table.py ~/.cache/brandsite-bench/runs/<UTC time>
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("hugo", "pelican", "ours", "ours-plain")
NAMES = {"hugo": "Hugo", "pelican": "Pelican", "ours": "brandsite, every feature", "ours-plain": "brandsite, like-for-like"}


@dataclass
class Row:
    wall: float  # median of the counted runs, s
    cpu: float  # mean user + system of the counted runs, s (children included)
    peak: float | None  # MiB, largest resident set under /usr/bin/time -v
    files: str


def read_run(run: Path) -> dict[int, dict[str, Row]]:
    """Every (N, tool) the run timed."""
    rows: dict[int, dict[str, Row]] = {}
    for js in sorted(run.glob("*.json")):
        m = re.fullmatch(r"(\d+)-(hugo|pelican|ours|ours-plain)\.json", js.name)
        if not m:
            continue
        n, tool = int(m.group(1)), m.group(2)
        result = json.loads(js.read_text(encoding="utf-8"))["results"][0]
        peak = None
        time_file = run / f"{n}-{tool}.time"
        if time_file.exists():
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_file.read_text(encoding="utf-8"))
            peak = int(found.group(1)) / 1024 if found else None
        files_file = run / f"{n}-{tool}.files"
        files = files_file.read_text(encoding="utf-8").strip() if files_file.exists() else ""
        wall = statistics.median(result["times"])
        rows.setdefault(n, {})[tool] = Row(wall, result["user"] + result["system"], peak, files)
    return rows


def table(rows: dict[int, dict[str, Row]]) -> str:
    out = [
        "| N | build | wall s | × Hugo | × Pelican | CPU s | CPU × Pelican | largest process MiB | files |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted(rows):
        by = rows[n]
        hugo, pelican = by.get("hugo"), by.get("pelican")
        for tool in TOOLS:
            r = by.get(tool)
            if r is None:
                continue
            out.append(
                f"| {n:,} | {NAMES[tool]} | {r.wall:.2f} | {_ratio(r.wall, hugo and hugo.wall)} "
                f"| {_ratio(r.wall, pelican and pelican.wall)} | {r.cpu:.2f} | {_ratio(r.cpu, pelican and pelican.cpu)} "
                f"| {'' if r.peak is None else f'{r.peak:,.0f}'} | {r.files} |"
            )
    return "\n".join(out)


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}" if b else ""


#: issue 14's targets: (what, N, tool, measure, reference tool or None for an absolute limit, limit)
TARGETS = [
    ("like-for-like wall ≤ 0.6× Pelican", 1000, "ours-plain", "wall", "pelican", 0.6),
    ("like-for-like wall ≤ 0.6× Pelican", 10000, "ours-plain", "wall", "pelican", 0.6),
    ("like-for-like wall ≤ 2.5× Hugo", 1000, "ours-plain", "wall", "hugo", 2.5),
    ("like-for-like wall ≤ 2.5× Hugo", 10000, "ours-plain", "wall", "hugo", 2.5),
    ("like-for-like CPU ≤ 1.2× Pelican", 1000, "ours-plain", "cpu", "pelican", 1.2),
    ("like-for-like CPU ≤ 1.2× Pelican", 10000, "ours-plain", "cpu", "pelican", 1.2),
    ("every feature wall ≤ 3× Hugo", 10000, "ours", "wall", "hugo", 3.0),
    ("like-for-like wall ≤ 1.0× Pelican", 100, "ours-plain", "wall", "pelican", 1.0),
    ("every feature wall ≤ 1.5× Pelican", 100, "ours", "wall", "pelican", 1.5),
    ("largest process ≤ 512 MiB", 10000, "ours", "peak", None, 512),
    ("largest process ≤ 512 MiB (like-for-like)", 10000, "ours-plain", "peak", None, 512),
]


def targets(rows: dict[int, dict[str, Row]]) -> str:
    out = ["| target | N | figure | met |", "|---|---:|---:|---|"]
    for what, n, tool, measure, ref, limit in TARGETS:
        by = rows.get(n, {})
        r = by.get(tool)
        base = by.get(ref) if ref else None
        if r is None or (ref and base is None) or getattr(r, measure) is None:
            continue
        value = getattr(r, measure) / getattr(base, measure) if base else getattr(r, measure)
        shown = f"{value:.2f}×" if base else f"{value:,.0f} MiB"
        out.append(f"| {what} | {n:,} | {shown} | {'yes' if value <= limit else 'no'} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="a run folder of run.sh (…/brandsite-bench/runs/<UTC time>)")
    args = parser.parse_args()
    rows = read_run(args.run)
    meta = args.run / "meta.txt"
    if meta.exists():
        print("\n".join(f"- {line}" for line in meta.read_text(encoding="utf-8").splitlines() if line))
        print()
    print(table(rows))
    print()
    print(targets(rows))


if __name__ == "__main__":
    main()
