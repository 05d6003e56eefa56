"""``python build.py serve``: preview with incremental rebuilds, live reload and an error overlay.

* The HTTP side serves only files inside the output folder: no ``..``, no absolute or
  encoded escapes, no symlink pointing outside, no directory listings.
* Live reload uses Server-Sent Events (a plain HTTP response that stays open), so there
  is no websocket dependency. The script is injected into HTML *responses* by this
  server; files on disk never contain it, so a ``site/`` built by ``serve`` is still
  publishable.
* A content error never stops the server: the last good site stays up, the terminal
  prints the ``path:line: message`` list and every open page shows it in an overlay.
"""

from __future__ import annotations

import contextlib
import errno
import json
import mimetypes
import queue
import socket
import sys
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from brandsite import pipeline
from brandsite.serve.incremental import Incremental, Outcome
from brandsite.write.lock import OutputLock

PREFIX = "__brandsite/"
MIME = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".webp": "image/webp",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pagefind": "application/octet-stream",
}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEBOUNCE_S = 0.03  # quiet time after the last file event before rebuilding
DEBOUNCE_MAX_S = 0.4  # never wait longer than this while events keep coming

RELOAD_JS = (Path(__file__).parent / "reload.js").read_text(encoding="utf-8")


class Hub:
    """Fan-out of rebuild events to every open page (one queue per SSE connection)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: set[queue.Queue[str]] = set()
        self.version = 0
        self.errors: list[str] = []
        # a restarted server counts versions from 0 again: pages tell servers apart by this id
        self.instance = f"{time.time_ns():x}"

    def subscribe(self) -> queue.Queue[str]:
        q: queue.Queue[str] = queue.Queue()
        with self.lock:
            self.clients.add(q)
        return q

    def unsubscribe(self, q: queue.Queue[str]) -> None:
        with self.lock:
            self.clients.discard(q)

    def state(self) -> str:
        return json.dumps({"version": self.version, "instance": self.instance, "errors": self.errors},
                          ensure_ascii=False)

    def publish(self, kind: str, payload: dict[str, object]) -> None:
        data = json.dumps(payload, ensure_ascii=False)
        message = f"event: {kind}\ndata: {data}\n\n"
        with self.lock:
            for q in self.clients:
                q.put(message)

    def close_all(self) -> None:
        with self.lock:
            for q in self.clients:
                q.put("")


def resolve(out: Path, url_path: str) -> Path | None:
    """Map a URL path to a file inside ``out``; None for anything outside or missing."""
    path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0])
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    target = out.joinpath(*parts) if parts else out
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    root = out.resolve()
    if real != root and root not in real.parents:
        return None
    if real.is_dir():
        # the index is checked like any other file: a symlinked index.html may point outside too
        return resolve(out, url_path.split("?", 1)[0].split("#", 1)[0].rstrip("/") + "/index.html")
    return real if real.is_file() else None


def inject(html: bytes, url_path: str) -> bytes:
    """Add the reload client with a path relative to the page, so sub-path proxies work too."""
    depth = max(0, urllib.parse.unquote(url_path.split("?", 1)[0]).count("/") - 1)
    if url_path.endswith("/"):
        depth = url_path.count("/") - 1
    prefix = "../" * depth
    tag = f'<script src="{prefix}{PREFIX}reload.js" data-brandsite-reload></script>'.encode()
    low = html.lower()
    at = low.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class Handler(BaseHTTPRequestHandler):
    server_version = "brandsite"
    out: Path
    hub: Hub

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # the terminal is for the editor's error list, not for access logs

    def _send(self, status: int, body: bytes, ctype: str, head_only: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head_only=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._serve(head_only=False)

    def _serve(self, head_only: bool) -> None:
        raw = self.path
        name = raw.split("?", 1)[0]
        tail = name.rsplit("/" + PREFIX, 1)[1] if "/" + PREFIX in name else None
        if tail == "reload.js":
            self._send(200, RELOAD_JS.encode("utf-8"), MIME[".js"], head_only)
            return
        if tail == "events":
            if head_only:  # a HEAD must not hold a thread and a connection open forever
                self._send(200, b"", "text/event-stream; charset=utf-8", head_only=True)
            else:
                self._events()
            return
        if tail == "state":
            self._send(200, self.hub.state().encode("utf-8"), MIME[".json"], head_only)
            return
        target = resolve(self.out, name)
        if target is None:
            self._not_found(raw, head_only)
            return
        if target.name == "index.html" and not name.endswith("/") and not name.endswith("index.html"):
            # a folder without its slash: relative links in the page would point one level too high
            query = raw[len(name):]
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", "/" + name.lstrip("/") + "/" + query)  # never "//host/…"
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype = MIME.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        try:
            body = target.read_bytes()
        except OSError:  # removed by a rebuild between the lookup and the read
            self._not_found(raw, head_only)
            return
        if target.suffix.lower() == ".html":
            body = inject(body, name)
        self._send(200, body, ctype, head_only)

    def _not_found(self, raw: str, head_only: bool) -> None:
        page = self.out / "404.html"
        if page.is_file():
            body = inject(page.read_bytes(), raw.split("?", 1)[0])
        else:  # no site built yet (the first build failed): still show the overlay
            body = inject(b"<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>brandsite</title>"
                          b"<body><p>\xe7\xbd\x91\xe7\xab\x99\xe5\xb0\x9a\xe6\x9c\xaa\xe7\x94\x9f\xe6\x88\x90</p></body></html>",
                          raw)
        self._send(404, body, MIME[".html"], head_only)

    def _events(self) -> None:
        q = self.hub.subscribe()
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "keep-alive")
            self.end_headers()
            # the current state first: a page opened while the sources have errors shows them at once
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {self.hub.state()}\n\n".encode())
            self.wfile.flush()
            while True:
                try:
                    msg = q.get(timeout=15)
                except queue.Empty:
                    msg = ": keep-alive\n\n"
                if msg == "":
                    break
                self.wfile.write(msg.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            self.hub.unsubscribe(q)
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    #: listen backlog: a browser opening a page with many images, or a burst of reloads, sends
    #: about a hundred connections at once (socketserver's default of 5 stalled them for seconds)
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler)


def free_port(host: str, start: int) -> int | None:
    for port in range(start, min(start + 50, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    return None


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


__all__ = ["Preview", "serve", "resolve", "inject"]
