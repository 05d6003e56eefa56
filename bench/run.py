#!/usr/bin/env python3
"""Build-speed and memory benchmark of brandsite on generated branch corpora.

    python bench/run.py [--sizes 100 1000 10000] [--runs 3] [--hugo]

For each size N it generates (or reuses) a corpus with ``bench/gen_branches.py`` under
``~/.cache/brandsite-bench-own/corpus-N`` and times, each build in a fresh subprocess
``python build.py build --root CORPUS --out OUT``:

    cold             OUT removed before every run: the render cache is written, not read
    warm             OUT kept from the previous build, cache warm, no source changed
    cold --no-cache  OUT removed before every run, and --no-cache
    hugo (cold)      with --hugo: Hugo on ../shared/bench-anchors/gen_corpus.py's Hugo site
                     of the same N, ``--ignoreCache``, OUT removed before every run

Runs are taken round-robin (one of each mode, then the next round), so drift on the
machine hits every mode alike. Peak memory comes from ``/usr/bin/time -v`` (else from
``resource.getrusage(RUSAGE_CHILDREN)`` in a small wrapper process); the untimed warm-up
build of each mode also samples the proportional memory (PSS) of the whole process tree,
workers included. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
GEN = HERE / "gen_branches.py"
ANCHOR_GEN = PROJECT.parent / "shared" / "bench-anchors" / "gen_corpus.py"
ANCHOR_SEED = 20241121  # run.sh's default SEED
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "brandsite-bench-own"
GNU_TIME = "/usr/bin/time"
MIB = 1024 * 1024

_WRAPPER = """\
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
with open(sys.argv[1], "w") as f:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    json.dump({"rc": rc, "wall": wall, "maxrss_kib": ru.ru_maxrss, "cpu_s": ru.ru_utime + ru.ru_stime}, f)
"""


# ----------------------------------------------------------------------------- helpers
def sha16(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def code_version(project: Path = PROJECT) -> str:
    """Same hash brandsite's render cache keys use: every brandsite/*.py file."""
    h = hashlib.blake2b(digest_size=8)
    for p in sorted((project / "brandsite").rglob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder)) if folder.is_dir() else 0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "?"


def mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "?"


def nproc() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load_avg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"? ({exc})"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "?"


def snapshot(dest: Path) -> Path:
    """Copy build.py, brandsite/ and themes/ so every build of this run uses the same code.

    brandsite's render cache is keyed by a hash of its own source files: an edit to the
    working tree between the build that seeds the cache and a timed warm build would turn
    that warm build into a cold one.
    """
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT / "build.py", dest / "build.py")
    shutil.copytree(PROJECT / "brandsite", dest / "brandsite", ignore=ignore)
    shutil.copytree(PROJECT / "themes", dest / "themes", ignore=ignore)
    return dest


# ----------------------------------------------------------------------------- corpora
def ensure_corpus(n: int, seed: int, python: str) -> Path:
    """Our corpus of N branches, regenerated when gen_branches.py, N or the seed changed."""
    folder = CACHE / f"corpus-{n}"
    want = f"{sha16(GEN)} seed={seed} n={n}"
    stamp = folder / ".stamp"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == want:
        log(f"reusing corpus N={n} in {folder}")
        return folder
    log(f"generating corpus N={n} in {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([python, str(GEN), str(n), str(folder), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(want + "\n", encoding="utf-8")
    log(f"  generated in {time.perf_counter() - t:.1f} s")
    return folder


def ensure_anchor(n: int, python: str) -> Path | None:
    """The shared bench-anchors corpus (its hugo/ copy is what Hugo builds)."""
    if not ANCHOR_GEN.is_file():
        log(f"no {ANCHOR_GEN}: Hugo is not timed")
        return None
    folder = CACHE / f"anchor-corpus-{n}"
    want = f"{sha16(ANCHOR_GEN)} seed={ANCHOR_SEED} n={n}"
    stamp = folder / ".stamp"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == want:
        log(f"reusing anchor corpus N={n} in {folder}")
        return folder / "hugo"
    log(f"generating anchor corpus N={n} in {folder} (shared/bench-anchors/gen_corpus.py)")
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([python, str(ANCHOR_GEN), str(n), str(folder), "--seed", str(ANCHOR_SEED)], check=True,
                   stdout=subprocess.DEVNULL)
    stamp.write_text(want + "\n", encoding="utf-8")
    return folder / "hugo"


# ----------------------------------------------------------------------------- memory sampling
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Polls the summed PSS of a process and all its descendants (workers included)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self.stop.is_set():
            kids = _children_map()
            todo, tree = [self.pid], []
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(kids.get(p, []))
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in tree))
            self.stop.wait(self.interval)


# ----------------------------------------------------------------------------- one build
@dataclass
class Sample:
    wall: float
    rc: int
    maxrss_kib: int | None
    files: int
    tree_pss_kib: int | None = None
    log: str = ""
    cpu_s: float | None = None  # user + system time of the build and its workers


def run_build(
    cmd: list[str], out: Path, log_path: Path, max_s: float, sample_tree: bool = False, cwd: Path = PROJECT
) -> Sample:
    """Run ``cmd`` once in a fresh process; wall time, exit code, peak RSS, files in ``out``."""
    with tempfile.NamedTemporaryFile("r", suffix=".rusage", delete=False) as tf:
        rusage_path = Path(tf.name)
    use_time = os.access(GNU_TIME, os.X_OK)
    argv = ([GNU_TIME, "-v", "-o", str(rusage_path), *cmd] if use_time
            else [sys.executable, "-c", _WRAPPER, str(rusage_path), *cmd])
    with open(log_path, "wb") as logf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        sampler = TreeSampler(proc.pid) if sample_tree else None
        if sampler is not None:
            sampler.start()
        try:
            rc = proc.wait(timeout=max_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = -9
            logf.write(f"\n[bench] killed after {max_s:.0f} s\n".encode())
        wall = time.perf_counter() - t0
        if sampler is not None:
            sampler.stop.set()
            sampler.join()
    maxrss: int | None = None
    cpu: float | None = None
    text = rusage_path.read_text(encoding="utf-8", errors="replace") if rusage_path.exists() else ""
    rusage_path.unlink(missing_ok=True)
    if use_time:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        maxrss = int(m.group(1)) if m else None
        times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)
        cpu = sum(float(t) for t in times) if len(times) == 2 else None
    elif text.strip():
        got = json.loads(text)
        wall, rc, maxrss, cpu = got["wall"], got["rc"], got["maxrss_kib"], got["cpu_s"]
    return Sample(wall, rc, maxrss, count_files(out), sampler.peak_kib if sampler else None, str(log_path), cpu)


def tail(path: str, lines: int = 6) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip("\n").splitlines()[-lines:])


# ----------------------------------------------------------------------------- modes
@dataclass
class Mode:
    name: str
    cmd: list[str]
    out: Path
    keep_out: bool  # True: warm (OUT kept between runs)
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None
    tree_pss_kib: int | None = None


def prepare(mode: Mode) -> None:
    if not mode.keep_out:
        shutil.rmtree(mode.out, ignore_errors=True)


def bench_size(
    n: int, args: argparse.Namespace, hugo: str | None, raw: Path, code: Path, progress: Callable[[list[Mode]], None]
) -> list[Mode]:
    corpus = ensure_corpus(n, args.seed, args.python)
    outs = Path(tempfile.mkdtemp(prefix=f"brandsite-bench-{n}-"))
    ours = [args.python, "build.py", "build", "--root", str(corpus)]
    modes = [
        Mode("cold", [*ours, "--out", str(outs / "cold")], outs / "cold", False),
        Mode("warm", [*ours, "--out", str(outs / "warm")], outs / "warm", True),
        Mode("cold --no-cache", [*ours, "--out", str(outs / "nocache"), "--no-cache"], outs / "nocache", False),
    ]
    wanted = {"cold": "cold", "warm": "warm", "nocache": "cold --no-cache"}
    modes = [m for m in modes if m.name in {wanted[k] for k in args.modes}]
    if hugo:
        site = ensure_anchor(n, args.python)
        if site is not None:
            hugo_cmd = [hugo, "--quiet", "--ignoreCache", "-s", str(site), "-d", str(outs / "hugo")]
            modes.insert(0, Mode("hugo (cold)", hugo_cmd, outs / "hugo", False))  # first: its time is the yardstick
    try:
        for mode in modes:
            slug = re.sub(r"[^a-z]+", "-", mode.name).strip("-")
            shutil.rmtree(mode.out, ignore_errors=True)
            # untimed: the warm mode's first build creates OUT (a cold build that seeds the cache)
            primes = (1 if mode.keep_out else 0) + args.warmup
            for k in range(primes):
                s = run_build(mode.cmd, mode.out, raw / f"{n}-{slug}-warmup{k}.log", args.max_s, True, code)
                if not mode.keep_out or k > 0:
                    mode.tree_pss_kib = max(mode.tree_pss_kib or 0, s.tree_pss_kib or 0) or None
                if s.rc != 0:
                    mode.failure = f"exit {s.rc}: {tail(s.log)}"
                    log(f"  N={n} {mode.name}: FAILED ({mode.failure.splitlines()[0]}); log {s.log}")
                    break
                log(f"  N={n} {mode.name}: warm-up {k + 1}/{primes} {s.wall:.2f} s, {s.files} files")
                prepare(mode)
        for r in range(args.runs):
            for mode in modes:
                if mode.failure:
                    continue
                slug = re.sub(r"[^a-z]+", "-", mode.name).strip("-")
                prepare(mode)
                sample = r == 0 and mode.tree_pss_kib is None  # no warm-up sampled it
                s = run_build(mode.cmd, mode.out, raw / f"{n}-{slug}-run{r}.log", args.max_s, sample, code)
                if sample and s.tree_pss_kib:
                    mode.tree_pss_kib = s.tree_pss_kib
                if s.rc != 0:
                    mode.failure = f"exit {s.rc} in run {r + 1}: {tail(s.log)}"
                    log(f"  N={n} {mode.name}: FAILED in run {r + 1}; log {s.log}")
                    continue
                mode.samples.append(s)
                progress(modes)
                peak = f"{s.maxrss_kib / 1024:.0f} MiB" if s.maxrss_kib else "?"
                log(f"  N={n} {mode.name}: run {r + 1}/{args.runs} {s.wall:.2f} s, peak {peak}, {s.files} files")
    finally:
        shutil.rmtree(outs, ignore_errors=True)
    return modes


# ----------------------------------------------------------------------------- report
def fmt(x: float | None, nd: int) -> str:
    return "" if x is None else f"{x:,.{nd}f}"


def report(results: dict[int, list[Mode]], meta: list[str]) -> str:
    lines = ["## brandsite build benchmark", "", *[f"- {m}" for m in meta], ""]
    hugo_any = any(m.name.startswith("hugo") for ms in results.values() for m in ms)
    head = "| N | mode | median wall s | min | max | pages/s | peak MiB | output files | CPU s | tree PSS MiB |"
    rule = "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    if hugo_any:
        head += " × Hugo median |"
        rule += "---:|"
    lines += [head, rule]
    targets: list[str] = []
    for n, modes in results.items():
        hugo = next((m for m in modes if m.name.startswith("hugo") and m.samples), None)
        hugo_med = statistics.median(s.wall for s in hugo.samples) if hugo else None
        for m in modes:
            if not m.samples:
                why = (m.failure or "not run").replace("|", "/").replace("\n", " ⏎ ")
                row = f"| {n} | {m.name} | failed: {why[:300]} | | | | | | | |"
                lines.append(row + (" |" if hugo_any else ""))
                continue
            walls = [s.wall for s in m.samples]
            med = statistics.median(walls)
            peaks = [s.maxrss_kib for s in m.samples if s.maxrss_kib]
            peak = max(peaks) / 1024 if peaks else None
            files = m.samples[-1].files
            pss = m.tree_pss_kib / 1024 if m.tree_pss_kib else None
            cpus = [s.cpu_s for s in m.samples if s.cpu_s is not None]
            cpu = statistics.median(cpus) if cpus else None
            note = f" (failed later: {m.failure.splitlines()[0][:80]})" if m.failure else ""
            row = (f"| {n} | {m.name}{note} | {med:.3f} | {min(walls):.3f} | {max(walls):.3f} | {fmt(n / med, 0)} | "
                   f"{fmt(peak, 0)} | {files} | {fmt(cpu, 2)} | {fmt(pss, 0)} |")
            if hugo_any:
                row += f" {med / hugo_med:.2f} |" if hugo_med else " |"
            lines.append(row)
        ours = {m.name: m for m in modes if not m.name.startswith("hugo") and m.samples}
        if "cold" in ours:
            cold = statistics.median(s.wall for s in ours["cold"].samples)
            peak_kib = max((s.maxrss_kib or 0) for m in ours.values() for s in m.samples)
            pss_kib = max((m.tree_pss_kib or 0) for m in ours.values())
            mem = f"largest process {peak_kib / 1024:.0f} MiB, whole tree {pss_kib / 1024:.0f} MiB PSS"
            ok = peak_kib < 1024 * 1024 and pss_kib < 1024 * 1024
            targets.append(f"N={n}: peak memory under 1 GiB: {'yes' if ok else 'NO'} ({mem})")
            if hugo_med:
                r = cold / hugo_med
                targets.append(f"N={n}: cold full build within 3× Hugo: {'yes' if r <= 3 else 'NO'} ({r:.2f}×)")
                if "warm" in ours:
                    w = statistics.median(s.wall for s in ours["warm"].samples)
                    targets.append(f"N={n}: warm rebuild no longer than Hugo's cold build: "
                                   f"{'yes' if w <= hugo_med else 'NO'} ({w / hugo_med:.2f}×)")
    if targets:
        lines += ["", "Targets (issue: cold 10,000 within 3× Hugo, peak < 1 GB, warm ≤ Hugo cold):", ""]
        lines += [f"- {t}" for t in targets]
    failures = [(n, m) for n, ms in results.items() for m in ms if m.failure]
    if failures:
        lines += ["", "Failures (last lines of the build's output):", ""]
        for n, m in failures:
            lines += [f"- N={n} {m.name}:", "", "```", m.failure, "```", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time brandsite builds on generated corpora (see bench/README.md).")
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="corpus sizes (default 100 1000 10000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per mode and size (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs per mode first (default 1)")
    ap.add_argument("--modes", nargs="+", choices=["cold", "warm", "nocache"], default=["cold", "warm", "nocache"],
                    help="which of our modes to time (default all three)")
    ap.add_argument("--seed", type=int, default=20241121, help="corpus seed")
    ap.add_argument("--hugo", action="store_true", help="also time Hugo on the shared anchor corpus, same run")
    ap.add_argument("--hugo-bin", default=None, help="Hugo binary (default: hugo on PATH)")
    ap.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                    help="run build.py from the working tree instead of a copy taken at start")
    ap.add_argument("--python", default=sys.executable, help="interpreter for build.py (default: this one)")
    ap.add_argument("--max-s", type=float, default=900, help="kill a build that takes longer (default 900 s)")
    args = ap.parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.runs < 1 or args.warmup < 0:
        ap.error("sizes and --runs must be positive, --warmup not negative")

    hugo: str | None = None
    if args.hugo:
        hugo = args.hugo_bin or shutil.which("hugo")
        if not hugo:
            log("--hugo: no hugo binary found (apt-get install -y hugo); timing brandsite only")

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    raw = CACHE / "runs" / stamp
    raw.mkdir(parents=True, exist_ok=True)
    log(f"raw logs and results: {raw}")
    code = snapshot(raw / "code") if args.snapshot else PROJECT
    meta = [
        f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: nproc {nproc()}, {cpu_model()}, {mem_total()} memory",
        f"python: {tool_version([args.python, '--version'])} ({args.python})",
        f"brandsite: code version {code_version(code)} (hash of brandsite/*.py)"
        + (", builds run from a snapshot taken at start" if args.snapshot else ", builds run from the working tree"),
        f"corpus: bench/gen_branches.py {sha16(GEN)}, seed {args.seed}",
        f"timing: {args.warmup} untimed warm-up per mode, then {args.runs} timed runs round-robin over the modes; "
        f"peak MiB = largest single process ({'/usr/bin/time -v' if os.access(GNU_TIME, os.X_OK) else 'getrusage'}), "
        "max over the timed runs; CPU s = median user+system time of the build and its workers; "
        "tree PSS = summed PSS of the build and its workers, sampled at 20 Hz in the warm-up (else the first run)",
        f"load average at start: {load_avg()} (other work on the machine inflates wall times; compare CPU s)",
    ]
    if hugo:
        meta.append(f"hugo: {tool_version([hugo, 'version'])}, on shared/bench-anchors/gen_corpus.py's hugo/ site "
                    f"(seed {ANCHOR_SEED}), --ignoreCache, output removed before each run")
    results: dict[int, list[Mode]] = {}
    for n in args.sizes:
        log(f"== N={n} (load average {load_avg()})")
        def partial(modes: list[Mode], n: int = n) -> None:
            text = report({**results, n: modes}, [*meta, "(partial: still running)"])
            (raw / "results.md").write_text(text, encoding="utf-8")

        results[n] = bench_size(n, args, hugo, raw, code, partial)
        text = report(results, meta)
        (raw / "results.md").write_text(text, encoding="utf-8")
    meta.append(f"load average at end: {load_avg()}")
    text = report(results, meta)
    print(text, end="")
    dump = {str(n): [{"mode": m.name, "failure": m.failure, "tree_pss_kib": m.tree_pss_kib,
                      "samples": [s.__dict__ for s in m.samples]} for m in ms] for n, ms in results.items()}
    (raw / "results.json").write_text(json.dumps({"meta": meta, "results": dump}, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    log(f"saved {raw / 'results.md'} and results.json")
    return 1 if any(m.failure for ms in results.values() for m in ms) else 0


if __name__ == "__main__":
    sys.exit(main())
