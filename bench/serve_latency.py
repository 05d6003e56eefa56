#!/usr/bin/env python3
"""Latency of ``python build.py serve``: from saving one branch file to the page on disk and the reload event.

    python bench/serve_latency.py [N ...] [--edits 20] [--seed S] [--work DIR] [--timeout 300]

For each N (default: 1000 10000):

1. a corpus of N branch files is generated with ``bench/gen_branches.py`` (cached in
   ``WORK/corpus-N``; falls back to ``../shared/bench-anchors/gen_corpus.py N DIR`` and its
   ``ours/`` tree) and copied to a scratch folder, so edits never touch the cache;
2. the real server starts as editors start it, ``python build.py serve --root SRC --out OUT
   --port 0``; the initial build is done when it prints its URL line;
3. an SSE client (a raw socket on ``/__brandsite/events``) reads events in a thread and
   stamps each with the time it arrived;
4. ``--edits`` times, on a different branch file each time: a unique marker sentence is
   appended to the body; t0 is taken just before the write. The branch's output page is
   polled every 2 ms until the marker is in it ("written"), and the first ``reload``
   event after t0 that reloads that page (it lists the page, or every page) is timed
   ("event"). The server tells the edited page first and the pages listing it after, so
   the next edit waits until the server logs the end of the whole rebuild (its time is
   the "whole rebuild" column) and is quiet again: edits never queue behind each other;
5. the server is stopped with SIGINT (its own process, by id).

The server runs from a snapshot of ``build.py``, ``brandsite/`` and ``themes/`` taken at the
start (``--no-snapshot``: the working tree), so that others editing the repository meanwhile
neither trigger rebuilds (the server watches the shipped theme) nor mix old and new code.

Prints a Markdown table (median, min and max of both figures, the times the server logs
itself, and the machine's load average: on a shared machine other processes slow every
figure) and the comparison with the targets and ``hugo server``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ANCHOR_GEN = PROJECT.parent / "shared" / "bench-anchors" / "gen_corpus.py"
TARGET_MS = {1000: 100, 10000: 1000}
HUGO_MS = {1000: 471, 10000: 2900}
SLUG_RE = re.compile(r"^slug:\s*([a-z0-9-]+)\s*$", re.M)
REBUILD_RE = re.compile(r"用时 (\d+) 毫秒")
OWN_RE = re.compile(r"所改页面 (\d+) 毫秒")


# --------------------------------------------------------------------------- corpus


def corpus(n: int, work: Path, seed: int | None) -> Path:
    """A cached source tree of n branches (DIR with data/ and content/)."""
    folder = work / (f"corpus-{n}" + (f"-s{seed}" if seed is not None else ""))
    if (folder / "content" / "branches").is_dir() and (folder / "data").is_dir():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    gen = HERE / "gen_branches.py"
    seed_args = ["--seed", str(seed)] if seed is not None else []
    if gen.is_file():
        subprocess.run([sys.executable, str(gen), str(n), str(folder), *seed_args], check=True,
                       stdout=subprocess.DEVNULL)
        return folder
    if ANCHOR_GEN.is_file():  # writes DIR/ours/ in our format (and hugo/, pelican/)
        raw = work / f"anchor-corpus-{n}"
        subprocess.run([sys.executable, str(ANCHOR_GEN), str(n), str(raw)], check=True, stdout=subprocess.DEVNULL)
        shutil.move(str(raw / "ours"), folder)
        shutil.rmtree(raw, ignore_errors=True)
        return folder
    raise SystemExit("no corpus generator: bench/gen_branches.py or ../shared/bench-anchors/gen_corpus.py")


# --------------------------------------------------------------------------- server and client


class Server:
    """``python build.py serve`` in a subprocess; its output lines are collected by a thread."""

    def __init__(self, src: Path, out: Path, python: str, project: Path) -> None:
        self.lines: list[str] = []
        self.url_line = threading.Event()
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        self.proc = subprocess.Popen(
            [python, str(project / "build.py"), "serve", "--root", str(src), "--out", str(out), "--port", "0"],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
        )
        self.port = 0
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"预览地址：http://[^:]+:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                self.url_line.set()

    def rebuild_ms(self, since: int, pattern: re.Pattern[str] = REBUILD_RE) -> list[int]:
        return [int(m.group(1)) for line in self.lines[since:] if (m := pattern.search(line))]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Events:
    """SSE client on a raw socket; every event is queued as (arrival time, kind, data)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(b"GET /__brandsite/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        self.sock.settimeout(None)
        self.file = self.sock.makefile("rb")
        self.queue: queue.Queue[tuple[float, str, dict]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        kind, data = "message", ""
        header = True
        try:
            for raw in self.file:
                now = time.monotonic()
                line = raw.decode("utf-8").rstrip("\r\n")
                if header:
                    header = bool(line)
                    continue
                if not line:
                    if data:
                        self.queue.put((now, kind, json.loads(data)))
                    kind, data = "message", ""
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
        except (OSError, ValueError):
            pass

    def wait(self, kinds: tuple[str, ...], after: float, timeout: float) -> tuple[float, str, dict] | None:
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                at, kind, data = self.queue.get(timeout=left)
            except queue.Empty:
                return None
            if kind in kinds and at >= after:
                return at, kind, data
        return None

    def quiet(self, seconds: float) -> None:
        """Wait until no event has arrived for ``seconds``."""
        while True:
            try:
                self.queue.get(timeout=seconds)
            except queue.Empty:
                return

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


# --------------------------------------------------------------------------- one size


@dataclass
class Row:
    n: int
    initial_s: float
    written_ms: list[float] = field(default_factory=list)
    event_ms: list[float] = field(default_factory=list)
    server_ms: list[int] = field(default_factory=list)
    own_ms: list[int] = field(default_factory=list)
    failures: int = 0
    load: tuple[float, float] = (0.0, 0.0)


def run_size(n: int, args: argparse.Namespace) -> Row:
    work: Path = args.work
    src_cache = corpus(n, work, args.seed)
    scratch = work / f"run-{n}-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    src, out = scratch / "src", scratch / "out"
    shutil.copytree(src_cache, src, ignore=shutil.ignore_patterns(".brandsite-cache", "site"))
    files = []
    for p in sorted((src / "content" / "branches").glob("*.md")):
        text = p.read_text(encoding="utf-8")
        m = SLUG_RE.search(text.split("\n---", 1)[0])
        if m and "\ndraft: true" not in text:
            files.append((p, m.group(1)))
    picked = random.Random(n).sample(files, args.edits)

    t_start = time.monotonic()
    server = Server(src, out, args.python, args.project)
    try:
        if not server.url_line.wait(args.timeout):
            raise SystemExit(f"N={n}: no URL line within {args.timeout}s:\n" + "\n".join(server.lines[-20:]))
        row = Row(n, time.monotonic() - t_start)
        load_before = os.getloadavg()[0]
        print(f"N={n}: initial build and start {row.initial_s:.1f} s", file=sys.stderr, flush=True)
        events = Events(server.port)
        hello = events.wait(("hello",), 0, 30)
        assert hello is not None and not hello[2]["errors"], hello
        events.quiet(1.0)
        for i, (path, slug) in enumerate(picked):
            page = out / "branches" / slug / "index.html"
            marker = f"基准测试标记{n}x{i}x{os.getpid()}"
            text = path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}。\n"
            since = len(server.lines)
            t0 = time.monotonic()
            path.write_text(text, encoding="utf-8")
            written = None
            while time.monotonic() - t0 < args.timeout:
                try:
                    if marker.encode() in page.read_bytes():
                        written = time.monotonic()
                        break
                except OSError:
                    pass
                time.sleep(0.002)
            rel = f"branches/{slug}/index.html"
            got = None
            while (left := args.timeout - (time.monotonic() - t0)) > 0:
                got = events.wait(("reload", "errors"), t0, max(1.0, left))
                # the event that reloads this page: it lists the page, or every page (pages: null)
                if got is None or got[1] != "reload" or got[2].get("pages") is None or rel in got[2]["pages"]:
                    break
            if written is None or got is None or got[1] != "reload":
                row.failures += 1
                print(f"  edit {i}: failed (written={written is not None}, event={got and got[1]})", file=sys.stderr)
                continue
            row.written_ms.append((written - t0) * 1000)
            row.event_ms.append((got[0] - t0) * 1000)
            # let the rebuild finish (the rest of the pages, the search index …): edits must not queue
            end = time.monotonic() + args.timeout
            while not server.rebuild_ms(since) and time.monotonic() < end:
                time.sleep(0.05)
            events.quiet(0.3)
            row.server_ms += server.rebuild_ms(since)
            row.own_ms += server.rebuild_ms(since, OWN_RE)
            print(f"  edit {i + 1}/{len(picked)}: written {row.written_ms[-1]:.0f} ms, event {row.event_ms[-1]:.0f} ms"
                  f" (server: {' '.join(server.lines[since:][-1:])})", file=sys.stderr, flush=True)
        events.close()
        row.load = (load_before, os.getloadavg()[0])
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return row


# --------------------------------------------------------------------------- report


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.0f}" if xs else "–"


def table(rows: list[Row], edits: int) -> str:
    out = [
        "| N branches | edits | median ms written | median ms event | min ms (written / event) | max ms (written / event) "
        "| server: edited page ms / whole rebuild ms (medians) | initial build + start s | load avg (start/end) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        w, e = r.written_ms, r.event_ms
        out.append(
            f"| {r.n:,} | {len(w)}/{edits} | {fmt(w)} | {fmt(e)} | "
            f"{min(w, default=0):.0f} / {min(e, default=0):.0f} | {max(w, default=0):.0f} / {max(e, default=0):.0f} | "
            f"{fmt([float(x) for x in r.own_ms])} / {fmt([float(x) for x in r.server_ms])} | {r.initial_s:.1f} | "
            f"{r.load[0]:.1f} / {r.load[1]:.1f} |"
        )
    out.append("")
    for r in rows:
        target, hugo = TARGET_MS.get(r.n), HUGO_MS.get(r.n)
        if not r.written_ms:
            out.append(f"- N={r.n:,}: no successful edit ({r.failures} failed)")
            continue
        med = statistics.median(r.written_ms)
        parts = [f"- N={r.n:,}: median {med:.0f} ms from save to page on disk"]
        if target:
            parts.append(f"target < {target} ms: {'met' if med < target else 'MISSED'}")
        if hugo:
            parts.append(f"hugo server {hugo} ms: {'ahead' if med < hugo else 'behind'} ({med / hugo:.2f}× Hugo)")
        out.append(", ".join(parts))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000], help="numbers of branches (default 1000 10000)")
    ap.add_argument("--edits", type=int, default=20, help="edits per size (default 20)")
    ap.add_argument("--seed", type=int, default=None, help="corpus seed (default: the generator's)")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                    / "brandsite-bench" / "serve", help="cache and scratch folder")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for a build or an edit")
    ap.add_argument("--python", default=sys.executable, help="interpreter that runs build.py")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folders")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="run the working tree itself (default: a copy of build.py, brandsite/ and themes/, so that "
                         "edits made meanwhile neither trigger rebuilds nor mix old and new code)")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    args.project = PROJECT
    if not args.no_snapshot:
        args.project = args.work / f"project-{os.getpid()}"
        shutil.rmtree(args.project, ignore_errors=True)
        args.project.mkdir()
        shutil.copy2(PROJECT / "build.py", args.project / "build.py")
        for name in ("brandsite", "themes"):
            shutil.copytree(PROJECT / name, args.project / name, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        rows = [run_size(n, args) for n in args.sizes]
    finally:
        if not args.no_snapshot and not args.keep:
            shutil.rmtree(args.project, ignore_errors=True)
    print(table(rows, args.edits))
    return 0 if all(r.written_ms for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
