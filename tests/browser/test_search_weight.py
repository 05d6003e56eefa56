"""A first search is light: what the browser receives, at its gzip size, for one search in a fresh context."""

from __future__ import annotations

import gzip
import urllib.parse

import pytest

#: a brand name, pinyin, several words, and a query that finds nothing
QUERIES = ["法官妈妈", "faguan mama", "调解 金融 普法", "量子计算机"]


@pytest.mark.parametrize("query", QUERIES)
def test_first_search_on_the_sample_site_transfers_at_most_30_kb(new_tab, query):
    """search.js and the index files it loads ≤ 30 KB gzipped (the whole visit ≤ 60 KB)."""
    tab = new_tab(width=375, height=667)
    sizes: dict[str, int] = {}

    def count(response):
        body = response.body()
        kind = response.headers.get("content-type", "")
        sizes[response.url] = len(body) if kind.startswith("image/") and "svg" not in kind else len(gzip.compress(body, 6, mtime=0))

    tab.page.on("response", count)
    tab.open("search/index.html?q=" + urllib.parse.quote(query))
    tab.page.wait_for_function("() => /找到/.test(document.getElementById('search-status').textContent)")
    tab.page.wait_for_load_state("networkidle")
    search = {u: n for u, n in sizes.items() if "/search/idx/" in u or u.endswith("/search.js")}
    assert any("/search/idx/p-" in u for u in search), "a posting shard was loaded"
    assert sum(search.values()) <= 30_000, sorted(search.items(), key=lambda x: -x[1])
    assert sum(sizes.values()) <= 60_000, sizes
    assert not tab.watch.problems(), tab.watch.problems()
