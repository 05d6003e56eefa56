"""The preview's HTTP side: serves only files inside the output folder.

No ``..``, no absolute or encoded escapes, no symlink pointing outside, no directory listings;
a folder without its slash is redirected (relative links would point one level too high); every
HTML response gets the live-reload client, and ``__brandsite/`` answers the reload script, the
event stream and the current state.
"""

from __future__ import annotations

import mimetypes
import queue
import socket
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from brandsite.serve.live import PREFIX, RELOAD_JS, Hub, inject

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
