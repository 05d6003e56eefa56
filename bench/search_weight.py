#!/usr/bin/env python3
"""What a visitor's first search transfers, measured in Debian's Chromium (headless).

    python bench/search_weight.py SITE_DIR [QUERY …]

Serves SITE_DIR from a sub-folder of a loopback HTTP server (a fresh browser context each
query: nothing cached), opens ``search/index.html?q=QUERY`` and waits for the results. Every
response the page received is counted at its gzip size (level 6, what a web server sends for
text; images as they are). Two sums per query: the whole visit (page, styles, scripts, images,
index) and the search alone (search.js and the files under ``search/idx/``).

Budget (issue 15): the whole first search ≤ 150 KB on the 10,000-branch corpus
(bench/gen_branches.py), ≤ 30 KB for the search alone on the sample site
(tests/browser/test_phone.py checks the sample in CI).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]  # fmt: skip
QUERIES = ["调解", "法官妈妈", "faguan mama", "调解 金融 普法", "量子计算机"]
RESULTS = "() => /找到|没有找到|無法|无法/.test(document.getElementById('search-status').textContent)"


def gz_size(body: bytes, content_type: str) -> int:
    if content_type.startswith("image/") and "svg" not in content_type:
        return len(body)
    return len(gzip.compress(body, compresslevel=6, mtime=0))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def first_search(browser: Any, url: str) -> tuple[int, int, dict[str, int]]:
    """(whole visit, search alone, bytes per path) of one search in a fresh context."""
    ctx = browser.new_context(locale="zh-CN", service_workers="block")
    sizes: dict[str, int] = {}
    try:
        page = ctx.new_page()

        def count(response: Any) -> None:
            with contextlib.suppress(Exception):  # a response the page dropped has no body
                sizes[urllib.parse.urlsplit(response.url).path] = gz_size(
                    response.body(), response.headers.get("content-type", ""))

        page.on("response", count)
        page.goto(url, wait_until="load")
        page.wait_for_function(RESULTS)
        page.wait_for_load_state("networkidle")
    finally:
        ctx.close()
    search = sum(n for p, n in sizes.items() if "/search/idx/" in p or p.endswith("/search.js"))
    return sum(sizes.values()), search, sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("queries", nargs="*", default=QUERIES)
    args = ap.parse_args(argv)
    site = args.site.resolve()
    from playwright.sync_api import sync_playwright

    with serve(site.parent) as origin, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        print(f"{site} (gzip level 6, KB = 1000 bytes)")
        print("| query | whole first search | search alone | requests |\n|---|---:|---:|---:|")
        for q in args.queries:
            url = f"{origin}/{site.name}/search/index.html?q={urllib.parse.quote(q)}"
            whole, alone, sizes = first_search(browser, url)
            print(f"| {q} | {whole / 1000:.1f} KB | {alone / 1000:.1f} KB | {len(sizes)} |")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
