"""Where a build's CPU goes, by what the work is for: one table for brandsite and Pelican side by side.

Issue 14 asks, for every speed target that is not met, for "the profile that shows why". A
profile of brandsite alone says where our time goes, not whether a tool that does the same job
could do it in less: so this script splits a brandsite profile and a Pelican profile of the same
corpus into the same rows (the libraries both use, start-up, and each of our own stages by what
it is for), and prints CPU seconds per row for each.

Input: py-spy "raw" (collapsed stack) files of whole builds, every process, made with
``py-spy record -s -r RATE -f raw -o OUT.raw -- COMMAND`` (py-spy is a sampling profiler; it is
not a project dependency: ``pip install py-spy`` where you profile). Samples of threads that only
wait (the pool's bookkeeping threads, a parent blocked on its workers) are left out, so a row is
CPU time, not wall time.

    python3 bench/profile_split.py --rate 250 ours-plain=ours.raw pelican=pelican.raw@2.98

A sampler counts a process that is ready to run but waiting for a core as busy, so on a shared
machine a profile's total runs above the CPU time the kernel accounts. ``NAME=RAW@SECONDS``
scales that profile's rows to SECONDS, the user + system CPU time of the same build measured
without the profiler (``/usr/bin/time -f '%U %S'``); the shares stay the sampler's.

A sample belongs to the first row, walking from the innermost frame outwards, whose pattern
matches that frame's file; imports win over everything (a module body runs inside the import
machinery). Rows and their patterns are listed once, in ``ROWS``.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

#: (row, regular expression over one frame's "function (file:line)"), in order of precedence
ROWS: list[tuple[str, str]] = [
    ("Python-Markdown", r"\(markdown/"),
    ("Jinja2 + markupsafe", r"\((jinja2|markupsafe)/"),
    ("PyYAML", r"\(yaml/"),
    ("nh3 (sanitising)", r"^sanitize \(brandsite/content/markup\.py"),
    ("OpenCC", r"\(opencc/"),
    ("pypinyin + rjieba", r"\((pypinyin|rjieba)/"),
    ("pool traffic (pickling, pipes)", r"\((multiprocessing|concurrent|pickle|copyreg)/|\(pickle\.py"),
    ("publishing scans (formulation, personal data, leftovers)", r"\(brandsite/checks/(terms|pii|leftovers|publishcheck)\.py"),
    ("link and page checks", r"\(brandsite/checks/"),
    ("search index", r"\(brandsite/features/search"),
    ("Traditional pages", r"\(brandsite/(features/hant|core/script)\.py"),
    ("statistics and number grammar", r"\(brandsite/(derive/|model/(numbers|numerals|totals|number_guide))"),
    ("planning pages and their dependencies", r"\(brandsite/render/depends\.py"),
    ("writing files", r"\(brandsite/write/"),
    ("our rendering code", r"\(brandsite/render/"),
    ("slugs and sort keys", r"\(brandsite/model/slugs\.py"),
    ("loading and validating sources", r"\(brandsite/(content|model)/"),
    ("other brandsite code", r"\(brandsite/|\(build\.py"),
    ("Pelican's own code", r"\(pelican/"),
]
_IMPORT = "start-up: imports"
_WAITING = re.compile(r"(^|\.)(wait|_wait_for_tstate_lock|select|poll|_poll|recv|_recv|_recv_bytes|acquire) \(")
_COMPILED = [(name, re.compile(pattern)) for name, pattern in ROWS]


def row_of(frames: list[str]) -> str | None:
    """The row a sample's stack belongs to, or None for a thread that is only waiting."""
    if _WAITING.search(frames[-1]) or any("Thread._bootstrap" in f for f in frames):
        return None
    if any("_find_and_load" in f for f in frames):
        return _IMPORT
    for frame in reversed(frames):
        for name, pattern in _COMPILED:
            if pattern.search(frame):
                return name
    return "other (interpreter, standard library)"


def split(raw: Path, rate: float, cpu: float | None = None) -> collections.Counter[str]:
    """CPU seconds per row of one profile, scaled to ``cpu`` seconds in all when given."""
    seconds: collections.Counter[str] = collections.Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        row = row_of(stack.split(";"))
        if row is not None:
            seconds[row] += int(count) / rate
    total = sum(seconds.values())
    if cpu is not None and total:
        for row in seconds:
            seconds[row] *= cpu / total
    return seconds


def table(profiles: dict[str, collections.Counter[str]]) -> str:
    """A Markdown table: one row per kind of work, one column of CPU seconds per profile."""
    names = list(profiles)
    order = [_IMPORT] + [name for name, _ in ROWS] + ["other (interpreter, standard library)"]
    lines = ["| work | " + " | ".join(f"{n} CPU s" for n in names) + " |", "|---|" + "---:|" * len(names)]
    for row in order:
        if any(p[row] >= 0.005 for p in profiles.values()):
            lines.append(f"| {row} | " + " | ".join(f"{p[row]:.2f}" for p in profiles.values()) + " |")
    lines.append("| **total** | " + " | ".join(f"**{sum(p.values()):.2f}**" for p in profiles.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "profiles", nargs="+", metavar="NAME=RAW[@CPU]",
        help="a name for the column, a py-spy raw file, and optionally the build's measured CPU seconds",
    )
    parser.add_argument("--rate", type=float, default=250, help="py-spy's sampling rate (-r) of every file")
    args = parser.parse_args()
    profiles = {}
    for item in args.profiles:
        name, _, rest = item.partition("=")
        path, _, cpu = rest.partition("@")
        profiles[name] = split(Path(path), args.rate, float(cpu) if cpu else None)
    print(table(profiles))


if __name__ == "__main__":
    main()
