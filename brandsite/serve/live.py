"""Live reload: rebuild events fanned out to every open page over Server-Sent Events.

Server-Sent Events are a plain HTTP response that stays open, so there is no websocket
dependency. The reload client (``reload.js``, which also draws the error overlay) is injected
into HTML *responses* only; files on disk never contain it, so what the preview writes is the
same as what ``build`` writes.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.parse
from pathlib import Path

PREFIX = "__brandsite/"

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
