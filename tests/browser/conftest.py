"""Browser tests of the built sample site: Debian's Chromium driven by Playwright.

The sample site is built once per session into a temporary folder and served from a
sub-folder (``http://127.0.0.1:PORT/djpp/``), as a court publishes it, by a tiny server
that also sends a strict Content-Security-Policy and answers nothing outside the site.
Every page a test opens records its console messages, page errors, failed requests and
every request that would leave 127.0.0.1 (those are aborted, never sent).

The tests need ``/usr/bin/chromium`` (Debian package ``chromium``) and ``node_modules``
(``npm ci``: axe-core and vnu-jar); without them they are skipped with the reason.
Playwright must never download a browser of its own.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "test-artifacts"
PREFIX = "/djpp/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
#: what a court's web server may send: nothing but the site's own files; no inline script
#: (style attributes are allowed: Markdown table alignment uses them)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
#: key pages of the sample site (paths below the site root)
HOME = "index.html"
BRANCH = "branches/zhufa-bingzheng-xianfengxing/index.html"  # stats, story table, honors, milestones
BRANCH_HANT = "branches/ting-wo-duan-an/index.html"  # written in Traditional script
STATS = "stats/index.html"
HONORS = "honors/index.html"


def missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: apt-get install chromium (bash .ci/run does)"
    if not NODE_MODULES.is_dir():
        return "node_modules is missing: run npm ci (bash .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: pip install -r requirements-dev.txt"
    return None


# ---------------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built with the real command line into a temporary folder."""
    out = tmp_path_factory.mktemp("browser") / "site"
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--out", str(out), "--no-cache"],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def html_pages(site: Path) -> list[str]:
    """Every HTML file of the built site, as paths below the site root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``site`` under PREFIX only; strict CSP; records every path asked for."""

    site: Path
    seen: list[str]
    types = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
             ".js": "text/javascript; charset=utf-8", ".json": "application/json",
             ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp",
             ".xml": "application/xml; charset=utf-8", ".csv": "text/csv; charset=utf-8",
             ".txt": "text/plain; charset=utf-8"}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        self.seen.append(path)
        target = None
        if path.startswith(PREFIX):
            rel = path[len(PREFIX):]
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            candidate = (self.site / rel).resolve()
            if candidate.is_file() and self.site in candidate.parents:
                target = candidate
        if target is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"not found")
            return
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.types.get(target.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        # the browser may have moved on (a navigation cuts a favicon request short)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Server:
    origin: str  # http://127.0.0.1:PORT
    base: str  # http://127.0.0.1:PORT/djpp/
    seen: list[str]

    def url(self, rel: str) -> str:
        return self.base + rel


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[Server]:
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"site": site_dir.resolve(), "seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield Server(origin, origin + PREFIX, seen)
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------------------- the browser


@pytest.fixture(scope="package")  # closed when tests/browser is done: other tests may start Playwright too
def chromium() -> Iterator[Any]:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What happened on one page: problems a visitor would never see but a test must."""

    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console, *self.failed, *(f"request leaves 127.0.0.1: {u}" for u in self.outside)]

    def clear(self) -> None:
        self.console.clear()
        self.failed.clear()
        self.outside.clear()


@dataclass
class Tab:
    page: Any
    watch: Watch
    server: Server

    def open(self, rel: str) -> Any:
        response = self.page.goto(self.server.url(rel), wait_until="load")
        assert response is not None and response.status == 200, f"{rel}: HTTP {response and response.status}"
        return response


@pytest.fixture
def new_tab(chromium: Any, server: Server) -> Iterator[Any]:
    """``new_tab(width=1280, js=True, bypass_csp=False)``: a fresh, watched browser context and page."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900, js: bool = True, bypass_csp: bool = False) -> Tab:
        ctx = chromium.new_context(viewport={"width": width, "height": height}, java_script_enabled=js,
                                   bypass_csp=bypass_csp, locale="zh-CN", service_workers="block")
        contexts.append(ctx)
        watch = Watch()
        local = urllib.parse.urlsplit(server.origin).netloc

        def route(r: Any) -> None:
            u = urllib.parse.urlsplit(r.request.url)
            if u.scheme in ("data", "blob") or u.netloc == local:
                r.continue_()
            else:
                watch.outside.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page = ctx.new_page()
        page.on("console", lambda m: watch.console.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: watch.console.append(f"page error: {e}"))
        # net::ERR_ABORTED: a request cut short by the next navigation (a favicon, say); not a fault
        page.on("requestfailed", lambda r: watch.failed.append(f"request failed: {r.url} ({r.failure})")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: watch.failed.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        return Tab(page, watch, server)

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    d = ARTIFACTS
    d.mkdir(exist_ok=True)
    return d


def java() -> str | None:
    return shutil.which("java")
