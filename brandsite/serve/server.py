"""``python build.py serve``: preview with incremental rebuilds, live reload and an error overlay.

This module is the preview process: it watches the sources (watchdog), waits for a quiet moment
after a burst of saves, runs the incremental rebuild (:mod:`brandsite.serve.incremental`) and
tells open pages what changed (:mod:`brandsite.serve.live`), while the HTTP side
(:mod:`brandsite.serve.handler`) serves the output folder.

A content error never stops the server: the last good site stays up, the terminal prints the
``path:line: message`` list and every open page shows it in an overlay.
"""

from __future__ import annotations

import contextlib
import errno
import sys
import threading
import time
from pathlib import Path
from typing import Any

from brandsite import pipeline
from brandsite.serve.handler import Handler, Server, free_port
from brandsite.serve.incremental import Incremental, Outcome
from brandsite.serve.live import Hub
from brandsite.write.lock import OutputLock

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEBOUNCE_S = 0.03  # quiet time after the last file event before rebuilding
DEBOUNCE_MAX_S = 0.4  # never wait longer than this while events keep coming


class Preview:
    """Owns the incremental builder, the HTTP server and the file watcher."""

    def __init__(self, opts: pipeline.Options, host: str = "127.0.0.1", port: int = 8000,
                 stream: object = None) -> None:
        self.opts = opts
        self.host = host
        self.stream = stream or sys.stderr
        self.hub = Hub()
        self.builder = Incremental(opts)
        self.lock = threading.Lock()
        self.pending = threading.Event()
        self.stopping = threading.Event()
        self.last_event = 0.0
        self.first_event = 0.0
        assert opts.out is not None
        handler = type("BoundHandler", (Handler,), {"out": opts.out, "hub": self.hub})
        self.httpd = Server((host, port), handler)
        self.port = self.httpd.server_address[1]
        self.observer: Any = None
        self.handler: Any = None
        #: folder watched (path as text) → (watchdog watch, inode of the folder it was made for)
        self.watches: dict[str, tuple[Any, int]] = {}
        self.rewatch = threading.Event()  # content/, data/ or themes/ appeared, went or was renamed
        self.threads: list[threading.Thread] = []
        self.warned: list[str] = []  # the warnings last listed: listed again only when they change
        self.drafts_said = ""  # the drafts note last printed (``pipeline.drafts_note``)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)  # type: ignore[call-overload]

    def _announce(self, changed: list[str], removed: list[str], everyone: bool) -> bool:
        """Tell open pages what changed; False when there was nothing to tell.

        ``reload`` carries ``pages``: the HTML pages that changed, so that only the pages showing
        them reload (null: every page reloads). A stylesheet alone is swapped in place (``css``).
        Machine-readable files (sitemap, statistics downloads) reload nothing, except that a new
        search index reloads the search page."""
        touched = changed + removed
        html = [p for p in touched if p.endswith(".html")]
        assets = [p for p in touched if p.startswith("assets/")]
        search = [p for p in touched if p.startswith("search/") and not p.endswith(".html")]
        if not (html or assets or search or everyone):
            return False
        self.hub.errors = []
        self.hub.version += 1
        payload: dict[str, object] = {"version": self.hub.version, "changed": changed[:50], "errors": []}
        if not everyone and not html and not removed and assets and all(p.endswith(".css") for p in assets):
            self.hub.publish("css", payload)
            return True
        pages: list[str] | None = None
        if not everyone and not assets and len(html) <= 2000:
            pages = html + [p for p in sorted(self.builder.pages) if search and p.split("/")[-2:] == ["search", "index.html"]]
        self.hub.publish("reload", {**payload, "pages": pages})
        return True

    def _list_warnings(self, outcome: Outcome) -> None:
        """Each warning as ``path:line: 警告：…``, as ``build`` prints them; a save that leaves them
        as they were does not print the same list again."""
        lines = [d.format() for d in outcome.report.warnings]
        if lines != self.warned:
            for line in lines:
                self.say(line)
        self.warned = lines

    def rebuild(self) -> Outcome:
        had_errors = bool(self.hub.errors)  # the overlay must leave every page once the sources are fixed
        told: set[str] = set()
        announced: list[bool] = []

        def written(changed: list[str], removed: list[str]) -> None:
            # the edited page first, then every other page: browsers reload while data files follow
            told.update(changed, removed)
            announced.append(self._announce(changed, removed, had_errors and not any(announced)))

        with self.lock:
            # a newer save stops the rest of this rebuild (other pages, search index…): the loop
            # starts the next one at once, and it writes the newly edited page first
            outcome = self.builder.rebuild(on_written=written, should_stop=self.pending.is_set)
        if outcome.ok:
            rest = [p for p in outcome.changed if p not in told]
            gone = [p for p in outcome.removed if p not in told]
            self._announce(rest, gone, had_errors and not any(announced))
            self.hub.errors = []
            warn = len(outcome.report.warnings)
            if outcome.stopped:
                own = f"，所改页面 {outcome.own_seconds * 1000:.0f} 毫秒" if outcome.own_seconds else ""
                self.say(f"有新的修改，先处理新的修改……（已重新生成 {outcome.rendered} 个页面{own}）")
            else:
                self._list_warnings(outcome)
                self.say(f"已更新：重新生成 {outcome.rendered} 个页面，{len(outcome.changed)} 个文件有变化，"
                         f"用时 {outcome.seconds * 1000:.0f} 毫秒（所改页面 {outcome.own_seconds * 1000:.0f} 毫秒）"
                         + (f"，{warn} 条警告" if warn else ""))
                if self.builder.drafts_note != self.drafts_said:  # once, and again when the drafts change
                    self.drafts_said = self.builder.drafts_note
                    if self.drafts_said:
                        self.say(self.drafts_said)
        else:
            self.hub.errors = [d.format() for d in outcome.report.errors]
            self.hub.version += 1
            self.hub.publish("errors", {"version": self.hub.version, "errors": self.hub.errors})
            self.say("内容有错误，网站未更新（浏览器中显示同样的列表）：")
            for line in self.hub.errors:
                self.say("  " + line)
        return outcome

    # -------------------------------------------------------------- watching
    def watched(self) -> list[Path]:
        root = self.opts.root
        dirs = [root / "content", root / "data", root / "themes"]
        from brandsite.render.pages import SHIPPED_THEMES

        dirs.append(SHIPPED_THEMES)
        out: list[Path] = []
        for d in dirs:
            if d.is_dir() and not any(d.resolve() == o.resolve() or o.resolve() in d.resolve().parents for o in out):
                out.append(d)
        return out

    def relevant(self, path: str) -> bool:
        p = Path(path)
        name = p.name
        if name.startswith((".#", "~$")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913":
            return False
        try:
            p.resolve().relative_to(self.opts.out.resolve())  # type: ignore[union-attr]
            return False
        except ValueError:
            return ".brandsite-cache" not in p.parts

    def notify(self, path: str) -> None:
        p = Path(path)
        if p.parent == self.opts.root:  # from the watch on the project folder itself
            if p.name not in ("content", "data", "themes"):
                return
            self.rewatch.set()  # deleted, recreated or renamed: its old watch (if any) is stale
        elif not self.relevant(path):
            return
        now = time.monotonic()
        if not self.pending.is_set():
            self.first_event = now
        self.last_event = now
        self.pending.set()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            if not self.pending.wait(0.2):
                continue
            while True:  # debounce: wait for a quiet moment, but not forever
                now = time.monotonic()
                quiet = now - self.last_event
                if quiet >= DEBOUNCE_S or now - self.first_event >= DEBOUNCE_MAX_S:
                    break
                time.sleep(DEBOUNCE_S - quiet)
            self.pending.clear()
            if self.rewatch.is_set():
                self.rewatch.clear()
                self.follow()
            self.safe_rebuild()

    def safe_rebuild(self) -> None:
        try:
            self.rebuild()
        except Exception as exc:  # noqa: BLE001 - the server must survive anything
            self.hub.errors = [f"生成网站时出现内部错误：{type(exc).__name__}: {exc}"]
            self.hub.version += 1
            self.hub.publish("errors", {"version": self.hub.version, "errors": self.hub.errors})
            self.say(self.hub.errors[0])

    def watch(self) -> None:
        """Start watching the sources. ``serve`` calls it before the first build: a file saved
        while that build runs (it takes seconds on a large site) is rebuilt right after it,
        instead of waiting unseen for the next save."""
        if self.observer is not None:
            return
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        preview = self

        class _Events(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                preview.notify(str(event.src_path))
                dest = getattr(event, "dest_path", "")
                if dest:
                    preview.notify(str(dest))

        self.observer = Observer()
        self.handler = _Events()
        # the project folder itself, not its subfolders: tells when content/, data/ or themes/
        # appear, are deleted (a `git checkout`, a fresh copy unzipped) or renamed
        self.observer.schedule(self.handler, str(self.opts.root), recursive=False)
        self.follow()
        self.observer.start()

    def follow(self) -> None:
        """Watch each folder of ``watched()`` as it is now: a folder deleted and made again (or
        renamed away and back) is a new folder, and a watch follows the old one."""
        assert self.observer is not None
        wanted: dict[str, int] = {}
        for d in self.watched():
            with contextlib.suppress(OSError):
                wanted[str(d)] = d.stat().st_ino
        for key, (watch, ino) in list(self.watches.items()):
            if wanted.get(key) != ino:
                with contextlib.suppress(Exception):  # its emitter may have ended with the folder
                    self.observer.unschedule(watch)
                del self.watches[key]
        for key, ino in wanted.items():
            if key not in self.watches:
                with contextlib.suppress(OSError):  # gone again meanwhile: the next event tells
                    self.watches[key] = (self.observer.schedule(self.handler, key, recursive=True), ino)

    def start(self) -> None:
        """Serve, and rebuild on every change (watching first, if ``watch`` was not called)."""
        self.watch()
        for target in (self.httpd.serve_forever, self._loop):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self.threads.append(t)

    def stop(self) -> None:
        self.stopping.set()
        self.hub.close_all()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=2)
        if self.threads:  # shutdown() waits for serve_forever(): only when start() ran
            self.httpd.shutdown()
        self.httpd.server_close()


def serve(opts: pipeline.Options, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Preview until Ctrl-C; the output folder is locked meanwhile (no build can swap it away)."""
    assert opts.out is not None
    with OutputLock(opts.root, opts.out):
        return _serve(opts, host, port)


def _serve(opts: pipeline.Options, host: str, port: int) -> int:
    if host not in LOOPBACK:
        print(f"警告：正在监听 {host}，局域网内其他电脑也能访问预览。只在本机预览请去掉 --host。", file=sys.stderr)
    try:
        preview = Preview(opts, host, port)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):  # (Windows: 10048)
            alt = free_port(host, port + 1)
            tip = f"可以改用 --port {alt}，" if alt else ""
            print(f"端口 {port} 已被占用（可能已有一个预览在运行）：{tip}或用 --port 0 自动选择空闲端口。", file=sys.stderr)
            return 2
        print(f"无法在 {host}:{port} 启动预览：{exc.strerror or exc}", file=sys.stderr)
        return 2
    try:  # Ctrl-C during a long first build stops cleanly too
        preview.say("正在生成网站……")
        preview.watch()
        preview.safe_rebuild()
        preview.start()
        preview.say(f"预览地址：{preview.url}  （修改 content/、data/、themes/ 后自动刷新；按 Ctrl-C 停止）")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        preview.say("\n正在停止预览……")
    finally:
        preview.stop()
    return 0


__all__ = ["Preview", "serve"]
