#!/usr/bin/env python3
"""Measure search recall of a built site in a real browser (Debian's Chromium, headless).

    python bench/search_recall.py SITE_DIR [SITE_DIR …] [--engine pagefind|bigram]

Serves each SITE_DIR from a sub-folder of a loopback HTTP server and asks its search for
every query below, through the engine's own JavaScript API:

* ``pagefind``: ``import('pagefind/pagefind.js')`` then ``search(q)`` (all results);
  with ``--fold-query`` the query is folded to Simplified first, which with a site copy
  folded the same way is the best Pagefind can do across scripts;
* ``bigram``: ``window.brandsiteSearch.query(q)`` from ``assets/search.js`` on
  ``search/index.html``.

The expected pages of a query are the branch, news and free pages whose source file
(plus the unit name), folded to Simplified with OpenCC, contains the folded query; only
those pages count (list pages repeat brand names and are left out for both engines).
Recall is found ∩ expected / expected, summed over all queries. This is how the choice between Pagefind and the
project's own bigram index was made (see docs/search.md).

A second table (``bigram`` only) asks what a visitor types on a phone: pinyin and pinyin
initials of brand names (expected: the brand pages whose name's pinyin, from pypinyin's
most common reading, contains the letters), and several words at once (expected: the
pages holding any of the words; the pages holding all of them must come first).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brandsite.core.script import fold  # noqa: E402

QUERIES = [
    "法官妈妈", "法官媽媽", "听我断案", "聽我斷案", "调解", "調解", "审判", "審判",
    "妈妈", "断案", "宪法", "未成年人", "普法", "诉源治理", "枫桥", "讲台", "故事汇",
]  # fmt: skip
#: pinyin / initials of brand names, and several words (any may match; more words rank first)
PINYIN_QUERIES = ["fgmm", "faguan mama", "faguan", "twda", "tingwo duanan", "sdxc", "gaozuxiang", "lldy", "qicai yangguang", "dangjian"]
WORD_QUERIES = ["调解 金融", "调解 乡村", "审判 普法", "普法 未成年人", "法官 讲台 校园"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]  # fmt: skip

def page_texts(root: Path) -> dict[str, str]:
    """Site path ("branches/x/") → folded source text of every branch, news item and page.

    The ground truth is the editor's file as written (front matter and Markdown, folded to
    Simplified with OpenCC's phrase-level t2s) plus the name of the branch's unit: it does
    not depend on either search engine's own text extraction.
    """
    from brandsite import pipeline
    from brandsite.core.diagnostics import Report

    report = Report(root)
    site = pipeline.load(pipeline.Options(root, use_cache=False), report)
    units = site.units or {}
    out = {}
    for doc in (*site.branches, *site.news, *site.pages):
        if getattr(doc, "draft", False):
            continue
        text = (root / doc.path).read_text(encoding="utf-8")
        unit = getattr(doc, "unit_id", "")
        if unit in units:
            text += "\n" + units[unit].name
        out[doc.url] = fold(text)
    return out


def expected(texts: dict[str, str], query: str) -> set[str]:
    q = fold(query)
    return {u for u, t in texts.items() if q in t}


def brand_pinyin(root: Path) -> dict[str, list[str]]:
    """Site path → full pinyin and initials of the brand name (most common reading only)."""
    from pypinyin import Style, lazy_pinyin

    from brandsite import pipeline
    from brandsite.core.diagnostics import Report

    site = pipeline.load(pipeline.Options(root, use_cache=False), Report(root))
    out = {}
    for b in site.branches:
        if getattr(b, "draft", False):
            continue
        syl = ["".join(ch for ch in s.lower() if ch.isalnum() and ch.isascii())
               for s in lazy_pinyin(fold(b.brand), style=Style.NORMAL)]
        syl = [x for x in syl if x]
        out[b.url] = ["".join(syl), "".join(x if x[0].isdigit() else x[0] for x in syl)]
    return out


def expected_pinyin(keys: dict[str, list[str]], query: str) -> set[str]:
    q = "".join(ch for ch in query.lower() if ch.isalnum())
    return {u for u, ks in keys.items() if any(q in k for k in ks)}


def expected_words(texts: dict[str, str], query: str) -> tuple[set[str], set[str]]:
    """(pages with any of the words, pages with all of them)."""
    words = [fold(w) for w in query.split()]
    anyw = {u for u, t in texts.items() if any(w in t for w in words)}
    allw = {u for u, t in texts.items() if all(w in t for w in words)}
    return anyw, allw


def measure_forgiving(site: Path, page, texts: dict[str, str], keys: dict[str, list[str]]) -> tuple[int, int, int, list[str]]:  # noqa: ANN001, E501
    """Recall over the pinyin and several-word queries, and how many queries rank all-word pages first."""
    hit = total = ordered = 0
    lines = []
    with serve(site.parent) as origin:
        base = f"/{site.name}/"
        page.goto(origin + base + "search/index.html")
        for q in PINYIN_QUERIES + WORD_QUERIES:
            got_list = [normalise(u, base) for u in page.evaluate(BIGRAM_JS, q)]
            got = set(got_list) & set(texts)
            if q in PINYIN_QUERIES:
                want, first = expected_pinyin(keys, q), set()
            else:
                want, first = expected_words(texts, q)
            found = want & got
            hit += len(found)
            total += len(want)
            in_order = set(got_list[: len(first)]) == first
            ordered += in_order
            lines.append(f"  {q:<12} expected {len(want):>3}  found {len(found):>3}"
                         f"  all-words first {'yes' if in_order else 'NO'} ({len(first)})  missing {sorted(want - got)[:3]}")
    return hit, total, ordered, lines


@contextlib.contextmanager
def serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


PAGEFIND_JS = """async (q) => {
  const pf = await import(window.__pf);
  const r = await pf.search(q);
  const data = await Promise.all(r.results.map(x => x.data()));
  return data.map(d => d.url);
}"""
BIGRAM_JS = """async (q) => {
  const r = await window.brandsiteSearch.query(q);
  return r.map(x => x.url);
}"""


def normalise(url: str, base: str) -> str:
    url = url.split("#", 1)[0]
    url = url.removeprefix(base)
    return url.removesuffix("index.html")


def measure(site: Path, engine: str, page, texts: dict[str, str], fold_query: bool = False) -> tuple[int, int, int, list[str]]:  # noqa: ANN001, E501
    hit = total = extra = 0
    lines = []
    with serve(site.parent) as origin:
        base = f"/{site.name}/"
        if engine == "pagefind":
            page.goto(origin + base + "index.html")
            page.evaluate(f"window.__pf = '{base}pagefind/pagefind.js'")
            js = PAGEFIND_JS
        else:
            page.goto(origin + base + "search/index.html")
            js = BIGRAM_JS
        for q in QUERIES:
            want = expected(texts, q)
            sent = fold(q) if fold_query else q
            got = {normalise(u, base) for u in page.evaluate(js, sent)} & set(texts)
            found = want & got
            hit += len(found)
            total += len(want)
            extra += len(got - want)
            lines.append(f"  {q:<6} expected {len(want):>3}  found {len(found):>3}  missing {sorted(want - got)[:3]}")
    return hit, total, extra, lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sites", nargs="+", type=Path)
    ap.add_argument("--engine", choices=["pagefind", "bigram"], default="bigram")
    ap.add_argument("--fold-query", action="store_true",
                    help="fold each query to Simplified first (Pagefind over a folded copy of the site)")
    ap.add_argument("--root", type=Path, default=ROOT, help="the site source the sites were built from")
    args = ap.parse_args(argv)
    texts = page_texts(args.root.resolve())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for site in args.sites:
            hit, total, extra, lines = measure(site.resolve(), args.engine, page, texts, args.fold_query)
            print(f"{site}: recall {hit}/{total} = {hit / max(total, 1):.1%}, {extra} unexpected results")
            print("\n".join(lines))
            if args.engine == "bigram":
                keys = brand_pinyin(args.root.resolve())
                hit, total, ordered, lines = measure_forgiving(site.resolve(), page, texts, keys)
                n = len(PINYIN_QUERIES) + len(WORD_QUERIES)
                print(f"{site}: pinyin and several words: recall {hit}/{total} = {hit / max(total, 1):.1%}, "
                      f"pages with every word first in {ordered}/{n} queries")
                print("\n".join(lines))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
