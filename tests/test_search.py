"""Site search (brandsite/features/search.py + assets/search.js).

Unit tests of the folding, the bigram index and its shards (a Python re-implementation of
the client's lookup must find exactly the brute-force answer), and recall tests in a real
browser (Debian's Chromium via Playwright) against the built sample site, served from a
sub-folder with a strict Content-Security-Policy, with every request that would leave
127.0.0.1 aborted and recorded.
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, branch_text, make_small_site

from brandsite import pipeline
from brandsite.core.diagnostics import Report
from brandsite.core.script import fold as opencc_fold
from brandsite.features import search, search_docs, search_text

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]  # fmt: skip
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
SUBFOLDER = "/gov/dangjian/djpp/"


# ------------------------------------------------------------------------------ folding


def test_fold_is_simplified_lowercase_halfwidth_and_keeps_length():
    assert search_text.fold("聽我斷案") == "听我断案"
    assert search_text.fold("法官媽媽") == search_text.fold("法官妈妈") == "法官妈妈"
    assert search_text.fold("審判調解") == "审判调解"
    assert search_text.fold("ＡＢＣ１２３abc") == "abc123abc"
    text = "「聽我斷案」故事匯，Ｅ法同行 2024年"
    assert len(search_text.fold(text)) == len(text)
    for src, dst in search_text.fold_table().items():
        assert len(dst) == 1 and ord(dst) < 0x10000 and ord(src) < 0x10000


def test_fold_by_pattern_is_the_plain_translation_of_every_character():
    """``fold`` replaces only the table's characters by a regular expression; ``str.translate``
    over the whole table (the plain path) must give the same text for every BMP character."""
    every = "".join(chr(c) for c in range(1, 0x10000) if not 0xD800 <= c < 0xE000)
    plain = every.translate(search_text._translation())
    assert search_text.fold(every) == plain
    mixed = "聽我斷案 ＡＢＣ Court 法官妈妈，「調解」2024年 ẞ Ⅻ"
    assert search_text.fold(mixed) == mixed.translate(search_text._translation())


def test_run_characters_are_those_isalnum_accepts():
    """``bigrams`` keeps a pair when ``str.isalnum`` holds: that must be the pattern ``runs``
    splits by, for every code point (else the index and search.js's runs disagree)."""
    every = "".join(chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000)
    assert {c for c in every if c.isalnum()} == set(re.findall(r"[^\W_]", every))
    old = re.sub(r"[\W_]+", "\x00", every)
    assert search_text.bigrams(every) == {p for p in map(str.__add__, old, old[1:]) if "\x00" not in p}


def test_bigrams_split_at_punctuation_and_skip_single_characters():
    assert search_text.bigrams("法官妈妈") == {"法官", "官妈", "妈妈"}
    assert search_text.bigrams("党建+135工程") == {"党建", "13", "35", "5工", "工程"}
    assert search_text.bigrams("法、院") == set()
    assert search_text.runs(search_text.fold("“听我断案”，讲好故事")) == ["听我断案", "讲好故事"]


# ------------------------------------------------------------------------------ the index


def _build(root: Path) -> Path:
    result = pipeline.build(pipeline.Options(root, use_cache=False, workers=1))
    assert result.ok, result.report.lines()
    assert result.site is not None
    return root / "site"


def _read(path: Path) -> Any:
    return search.unwrap(path.read_text(encoding="utf-8"))[1]


def _index(site: Path) -> tuple[dict[str, Any], list[dict[str, list[int]]]]:
    idx = site / "search" / "idx"
    meta = _read(idx / "meta.js")
    shards = [_read(idx / name) for name in meta["shards"]]
    return meta, shards


def _ids(shards: list[dict[str, list[int]]], tok: str) -> set[int]:
    got, v = set(), 0
    for d in shards[search_text.shard_of(tok, len(shards))].get(tok, []):
        v += d
        got.add(v)
    return got


def _client_search(site: Path, query: str) -> list[str]:
    """What assets/search.js does, in Python, for a one-word query: fold, bigrams, shard lookup,
    intersect, check text."""
    meta, shards = _index(site)
    table = dict(zip(meta["fold"][0::2], meta["fold"][1::2], strict=True))
    folded = "".join(table.get(c, c) for c in query.lower())
    runs = search_text.runs(folded)
    toks = sorted(search_text.bigrams(folded))
    assert toks, query
    ids: set[int] | None = None
    for tok in toks:
        got = _ids(shards, tok)
        ids = got if ids is None else ids & got
    out = []
    for i in sorted(ids or ()):
        doc = _read(site / "search" / "idx" / "d" / f"{i}.js")
        unit = meta["units"][meta["du"][i]][1] if meta["du"][i] >= 0 else ""
        tags = " ".join(meta["tags"][k][1] for k in meta["dt"][i])
        text = "".join(table.get(c, c) for c in "\n".join([doc["t"], doc["s"], unit, tags, doc["x"]]).lower())
        if all(r in text for r in runs):
            out.append(doc["u"])
    return out


def _brute_force(site_root: Path, query: str) -> list[str]:
    report = Report(site_root)
    site = pipeline.load(pipeline.Options(site_root, use_cache=False), report)
    docs, units, tags = search_docs.collect(site, _content_jobs(site))
    names_u = [n for _, n in units]
    names_t = [n for _, n in tags]
    q = search_text.fold(query)
    return [d.url for d in docs if all(r in search_text.fold(d.fields(names_u, names_t)) for r in search_text.runs(q))]


def _content_jobs(site: Any) -> list[Any]:
    from brandsite.render.pages import Job

    jobs = [Job(b.url + "index.html", "branch.html", {"branch": b}, b.brand, "branch", doc=b) for b in site.branches]
    jobs += [Job(n.url + "index.html", "news.html", {"item": n}, n.title, "news", doc=n) for n in site.news]
    jobs += [Job(p.url + "index.html", "page.html", {"item": p}, p.title, "page", doc=p) for p in site.pages]
    return jobs


@pytest.mark.parametrize("shard_target", [48_000, 300])
def test_client_lookup_equals_brute_force(tmp_path, monkeypatch, shard_target):
    monkeypatch.setattr(search, "SHARD_TARGET", shard_target)
    s = make_small_site(tmp_path / "src")
    s.branch("ting", branch_text("聽我斷案", "ordos", "slug: ting", "tags: [普法宣傳]",
                                 body="法官們走下審判席、走上講臺，把辦過的案子講給大家聽。調解員也來了。\n"))
    site = _build(s.root)
    meta, shards = _index(site)
    assert len(shards) == (1 if shard_target > 1000 else len(shards)) and (shard_target > 1000 or len(shards) > 1)
    for tok_map_n, part in enumerate(shards):  # every bigram sits in the shard the client will look in
        assert all(search_text.shard_of(tok, len(shards)) == tok_map_n for tok in part)
    for q in ["法官妈妈", "法官媽媽", "听我断案", "聽我斷案", "审判", "調解", "宪法", "普法", "走进校园", "盱眙", "乡村"]:
        assert _client_search(site, q) == _brute_force(s.root, q), q
    assert _client_search(site, "听我断案") == ["branches/ting/"]
    assert "branches/faguan-mama/" in _client_search(site, "法官媽媽")


def test_index_equals_the_plain_path(tmp_path, monkeypatch):
    """The fast path (pattern fold, unsorted tokens and characters handed to the parent) writes
    the index byte for byte as the plain one (``str.translate``, every part sorted), with the
    document parts computed in forked workers as on a large site."""
    s = make_small_site(tmp_path / "src")
    s.branch("ting", branch_text("聽我斷案", "ordos", "slug: ting", "tags: [普法宣傳]",
                                 body="法官們走下審判席、走上講臺，ＡＢＣ Court 把辦過的案子講給大家聽。\n"))
    site_yaml = s.root / "data" / "site.yaml"
    s.write("data/site.yaml", site_yaml.read_text(encoding="utf-8") + "languages: [zh-Hans, zh-Hant]\n")

    def files(out: Path) -> dict[str, bytes]:
        result = pipeline.build(pipeline.Options(s.root, out=out, use_cache=False, workers=2))
        assert result.ok, result.report.lines()
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "search").rglob("*") if p.is_file()}

    monkeypatch.setattr(search, "_MIN_PARALLEL", 1)
    fast = files(tmp_path / "fast")
    fast_part = search._doc_part

    def plain_part(*args: Any) -> tuple[str, ...]:
        toks, chars, doc_file, hant_file = fast_part(*args)
        return "\t".join(sorted(toks.split("\t"))), "".join(sorted(chars)), doc_file, hant_file

    monkeypatch.setattr(search, "fold", lambda text: text.translate(search_text._translation()))
    monkeypatch.setattr(search, "_doc_part", plain_part)
    plain = files(tmp_path / "plain")
    assert len(fast) > 5 and any(name.endswith("h.js") for name in fast)  # Traditional texts too
    assert fast == plain


def test_index_is_deterministic_and_lists_only_content_pages(tmp_path):
    s = make_small_site(tmp_path / "src")
    site = _build(s.root)
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*") if p.is_file()}
    (site.parent / "site").rename(site.parent / "old")
    site = _build(s.root)
    second = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*") if p.is_file()}
    assert first == second
    meta, _ = _index(site)
    docs = [_read(site / "search" / "idx" / "d" / f"{i}.js") for i in range(meta["n"])]
    assert sorted(d["k"] for d in docs) == ["branch", "branch", "news", "page"]
    assert "".join(d["k"][0] for d in docs) == meta["kinds"]
    urls = {d["u"] for d in docs}
    assert {"branches/faguan-mama/", "news/2024-12-01-xuanjiang/", "about/"} < urls
    # one index for the whole site: the zh-hant pages are not indexed a second time
    assert not any(u.startswith("zh-hant/") for u in urls)


def test_every_page_has_a_get_search_box_and_the_search_page_needs_no_inline_script(tmp_path):
    s = make_small_site(tmp_path / "src")
    site = _build(s.root)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        if page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        form = re.search(r'<form class="site-search" role="search" aria-label="站内搜索" action="([^"]+)" method="get">', text)
        assert form, page
        target = (page.parent / form.group(1)).resolve()
        assert target == (site / "search" / "index.html").resolve(), page
        assert 'name="q"' in text
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script[^>]*>", search_page)
    assert '<script src="../assets/search.js" defer>' in scripts
    assert all(re.fullmatch(r'<script src="[./]*assets/[a-z0-9.-]+\.js"( defer)?>', t) for t in scripts), scripts
    assert 'name="unit"' in search_page and 'name="tag"' in search_page and "<noscript>" in search_page
    index = re.search(r'data-index="([^"]+)"', search_page)
    assert index and (site / "search" / index.group(1)).resolve() == (site / "search" / "idx" / "meta.js").resolve()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "search/" not in sitemap


def test_search_can_be_switched_off(tmp_path):
    s = make_small_site(tmp_path / "src")
    s.write("data/site.yaml", (s.root / "data" / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    site = _build(s.root)
    assert not (site / "search").exists()
    assert 'class="site-search"' not in (site / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ in the browser


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built by the real command line into <tmp>/gov/dangjian/djpp/."""
    top = tmp_path_factory.mktemp("pub")
    out = top / SUBFOLDER.strip("/")
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def origin(sample: Path) -> Iterator[str]:
    top = sample.parents[len(SUBFOLDER.strip("/").split("/")) - 1]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(top)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install chromium (bash .ci/run does)")
    pw_api = pytest.importorskip("playwright.sync_api")
    with pw_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Tab:
    def __init__(self, browser: Any, origin: str, js: bool = True, bypass_csp: bool = False) -> None:
        self.ctx = browser.new_context(java_script_enabled=js, locale="zh-CN", service_workers="block",
                                       viewport={"width": 1100, "height": 900}, bypass_csp=bypass_csp)
        self.origin = origin
        self.outside: list[str] = []
        self.errors: list[str] = []
        local = urllib.parse.urlsplit(origin).netloc

        def route(r: Any) -> None:
            if urllib.parse.urlsplit(r.request.url).netloc == local:
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.ctx.route("**/*", route)
        self.page = self.ctx.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

    def open(self, rel: str) -> None:
        self.page.goto(self.origin + SUBFOLDER + rel, wait_until="load")

    def results(self) -> list[dict[str, Any]]:
        self.page.wait_for_function("() => /找到|没有找到|沒有找到/.test(document.getElementById('search-status').textContent)")
        return self.page.eval_on_selector_all("#search-results > li", """els => els.map(li => ({
            href: li.querySelector('h2 a').href, title: li.querySelector('h2 a').textContent,
            meta: (li.querySelector('.result-meta') || {}).textContent || '',
            excerpt: li.querySelector('.result-excerpt').textContent,
            marks: [...li.querySelectorAll('.result-excerpt mark')].map(m => m.textContent)}))""")

    def all_results(self) -> list[dict[str, Any]]:
        """Every result, pressing "显示更多结果" (ten at a time) until it goes away."""
        res = self.results()
        while self.page.is_visible("#search-more"):
            self.page.click("#search-more")
            self.page.wait_for_function("n => document.querySelectorAll('#search-results > li').length > n", arg=len(res))
            res = self.results()
        return res

    def close(self) -> None:
        assert not self.outside, self.outside
        assert not self.errors, self.errors
        self.ctx.close()


@pytest.fixture
def tab(browser: Any, origin: str) -> Iterator[Tab]:
    t = Tab(browser, origin)
    yield t
    t.close()


def _expected(query: str) -> set[str]:
    """Ground truth independent of the index: branch/news/page files whose text, folded with
    OpenCC's phrase-level t2s (plus the unit's name), contains the folded query."""
    report = Report(REPO)
    site = pipeline.load(pipeline.Options(REPO, use_cache=False), report)
    units = site.units or {}
    out = set()
    for doc in (*site.branches, *site.news, *site.pages):
        if getattr(doc, "draft", False):
            continue
        text = (REPO / doc.path).read_text(encoding="utf-8") + "\n" + getattr(units.get(getattr(doc, "unit_id", "")), "name", "")
        if opencc_fold(query) in opencc_fold(text):
            out.add(doc.url)
    return out


QUERY_JS = "async (q) => (await window.brandsiteSearch.query(q)).map(r => r.url)"
RECALL_QUERIES = ["法官妈妈", "法官媽媽", "听我断案", "聽我斷案", "调解", "調解", "审判", "審判", "枫桥", "讲台", "宪法", "诉源治理"]


def test_recall_of_every_query_in_the_browser(tab):
    """Every page whose text contains the query is found, in either script, and nothing else."""
    tab.open("search/index.html")
    for q in RECALL_QUERIES:
        want = _expected(q)
        assert want, q
        got = set(tab.page.evaluate(QUERY_JS, q))
        assert got == want, (q, sorted(want - got), sorted(got - want))


@pytest.mark.parametrize(("query", "first"), [
    ("法官妈妈", "branches/faguan-mama/"),
    ("法官媽媽", "branches/faguan-mama/"),
    ("听我断案", "branches/ting-wo-duan-an/"),
    ("聽我斷案", "branches/ting-wo-duan-an/"),
])
def test_brand_query_puts_the_brand_page_first(tab, query, first):
    tab.open("search/index.html?q=" + urllib.parse.quote(query))
    res = tab.results()
    assert res and res[0]["href"] == tab.origin + SUBFOLDER + first + "index.html"
    assert res[0]["title"] in ("法官妈妈", "聽我斷案")


def test_results_show_brand_branch_and_highlighted_excerpt_and_link_to_the_page(tab):
    tab.open("search/index.html?q=" + urllib.parse.quote("调解"))
    res = tab.all_results()
    assert len(res) == len({u for u in _expected("调解") if u.startswith("branches/")}) + len(
        {u for u in _expected("调解") if not u.startswith("branches/")})
    for r in res:
        assert r["title"] and r["meta"], r
        assert r["marks"] and all(search_text.fold(m) == "调解" for m in r["marks"]), r
        assert "调解" in search_text.fold(r["excerpt"])
    jin = next(r for r in res if "金其华" in r["title"])
    assert "党支部" in jin["meta"] and "法院" in jin["meta"]  # branch and unit
    status = tab.page.text_content("#search-status")
    assert f"共找到 {len(res)} 个结果" in status
    tab.page.click("#search-results > li:first-child h2 a")
    tab.page.wait_for_load_state("load")
    assert tab.page.url == res[0]["href"]
    assert tab.page.text_content("h1").strip() == res[0]["title"]


def test_traditional_query_highlights_simplified_text(tab):
    tab.open("search/index.html?q=" + urllib.parse.quote("審判"))
    res = tab.all_results()
    assert len(res) == len(_expected("審判")) >= 5
    marks = {m for r in res for m in r["marks"]}
    assert "审判" in marks and "審判" in marks  # both scripts on the site, each highlighted as written


def test_filters_by_unit_and_tag(tab):
    tab.open("search/index.html?q=" + urllib.parse.quote("审判"))
    every = tab.all_results()
    tab.page.select_option("#search-unit", "xuecheng")
    in_unit = tab.results()
    assert 0 < len(in_unit) < len(every)
    assert all("薛城区人民法院" in r["meta"] for r in in_unit)
    assert "unit=xuecheng" in tab.page.url
    tab.page.select_option("#search-unit", "")
    tab.page.select_option("#search-tag", "pufa-xuanchuan")
    tagged = tab.results()
    assert 0 < len(tagged) < len(every)
    assert all("普法宣传" in r["meta"] or "普法宣傳" in r["meta"] for r in tagged)
    # option labels carry the number of matches
    label = tab.page.eval_on_selector('#search-unit option[value="xuecheng"]', "o => o.textContent")
    assert label.endswith(f"（{len(in_unit)}）")


def test_header_search_box_from_a_branch_page(tab):
    tab.open("branches/faguan-mama/index.html")
    tab.page.fill("#site-search-q", "听我断案")
    tab.page.press("#site-search-q", "Enter")
    tab.page.wait_for_url("**/search/index.html?q=*")
    res = tab.results()
    assert res[0]["href"].endswith("/branches/ting-wo-duan-an/index.html")
    assert tab.page.input_value("#search-q") == "听我断案"


def test_traditional_site_searches_the_same_index_and_stays_traditional(tab):
    tab.open("zh-hant/search/index.html?q=" + urllib.parse.quote("法官妈妈"))
    res = tab.results()
    assert res[0]["href"] == tab.origin + SUBFOLDER + "zh-hant/branches/faguan-mama/index.html"
    assert res[0]["title"] == "法官媽媽"
    assert "個結果" in tab.page.text_content("#search-status")


def test_single_character_and_no_match_messages(tab):
    tab.open("search/index.html?q=" + urllib.parse.quote("法"))
    tab.page.wait_for_function("() => document.getElementById('search-status').textContent.includes('两个字')")
    tab.page.fill("#search-q", "量子计算机")
    tab.page.press("#search-q", "Enter")
    assert tab.results() == []
    assert "没有找到" in tab.page.text_content("#search-status")


def test_without_javascript_the_form_still_goes_to_the_search_page(browser, origin):
    t = Tab(browser, origin, js=False)
    try:
        t.open("index.html")
        t.page.fill("#site-search-q", "调解")
        t.page.press("#site-search-q", "Enter")
        t.page.wait_for_url("**/search/index.html?q=*")
        assert "JavaScript" in t.page.text_content(".search-noscript")
    finally:
        t.close()


@pytest.mark.parametrize("mode", ["default", "contrast"])
def test_search_page_with_results_has_no_serious_axe_violation(browser, origin, mode):
    axe = REPO / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.skip("node_modules/axe-core missing: run npm ci (bash .ci/run does)")
    t = Tab(browser, origin, bypass_csp=True)  # axe is injected as a script for the test only
    try:
        if mode == "contrast":
            t.open("index.html")
            t.page.evaluate("localStorage.setItem('brandsite.pref.contrast', '1')")
        for rel in ("search/index.html?q=" + urllib.parse.quote("调解"), "zh-hant/search/index.html?q=" + urllib.parse.quote("審判")):
            t.open(rel)
            t.results()
            t.page.add_script_tag(path=str(axe))
            found = t.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
            serious = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in found if v["impact"] in ("serious", "critical")]
            assert not serious, (rel, mode, serious)
    finally:
        t.close()


def test_index_size_of_the_sample(sample):
    meta, shards = _index(sample)
    total = sum(p.stat().st_size for p in (sample / "search" / "idx").rglob("*") if p.is_file())
    assert meta["n"] == sum(1 for _ in (REPO / "content").rglob("*.md")) - _drafts()
    assert total < 400_000


def _drafts() -> int:
    return sum(1 for p in (REPO / "content").rglob("*.md") if re.search(r"^draft:\s*true", p.read_text(encoding="utf-8"), re.M))



# ------------------------------------------------------------------------------ search that forgives


def test_pinyin_keys_of_brand_names():
    assert search_text.pinyin_keys("法官妈妈") == ["faguanmama", "fgmm"]
    assert {"tingwoduanan", "twda"} <= set(search_text.pinyin_keys("聽我斷案"))  # Traditional folds first
    # a character with two readings gives both spellings
    assert {"shantiaoxiangcun", "stxc"} <= set(search_text.pinyin_keys("善调乡村")) and "sdxc" in search_text.pinyin_keys("善调乡村")
    assert search_text.pinyin_keys("“1+N”工作室")[:2] == ["1ngongzuoshi", "1ngzs"]


def test_pinyin_keys_with_remembered_readings_are_the_plain_ones(monkeypatch):
    """Each character's readings are remembered across names; the keys are those computed afresh."""
    from pypinyin import Style, pinyin

    names = ["白杨堡垒", "白杨工坊", "善调乡村", "法官妈妈", "聽我斷案", "长乐调解", "重庆行", "“1+N”工作室", "堡垒长乐"]
    remembered = [search_text.pinyin_keys(n) for n in names]
    assert {"baiyangbulei", "boyangpulei"} <= set(remembered[0])  # 堡 and 白 have several readings
    monkeypatch.setattr(search_text, "_readings", lambda ch: tuple(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))
    assert [search_text.pinyin_keys(n) for n in names] == remembered


def test_index_files_are_scripts_that_name_themselves(tmp_path):
    s = make_small_site(tmp_path / "src")
    site = _build(s.root)
    files = sorted((site / "search" / "idx").rglob("*"))
    assert files and not [f for f in files if f.is_file() and f.suffix != ".js"]
    for f in files:
        if f.is_file():
            name, _ = search.unwrap(f.read_text(encoding="utf-8"))
            assert f.name.startswith(name.rsplit("/", 1)[-1]), (f, name)
    with pytest.raises(ValueError):
        search.unwrap('{"v": 1}\n')


@pytest.mark.parametrize(("query", "first"), [
    ("fgmm", "法官妈妈"), ("faguan mama", "法官妈妈"), ("FaGuan", "法官妈妈"), ("ＦＧＭＭ", "法官妈妈"),
    ("twda", "聽我斷案"), ("tingwo duanan", "聽我斷案"),
])
def test_pinyin_and_initials_find_brand_names(tab, query, first):
    tab.open("search/index.html?q=" + urllib.parse.quote(query))
    res = tab.results()
    assert res and res[0]["title"] == first, (query, [r["title"] for r in res])


def test_several_words_rank_pages_with_more_of_them_first(tab):
    """"调解 乡村": pages with both words first, then pages with one; nothing requires all."""
    both = _expected("调解") & _expected("乡村")
    either = _expected("调解") | _expected("乡村")
    assert both and either - both
    tab.open("search/index.html")
    got = tab.page.evaluate(QUERY_JS, "调解 乡村")
    assert len(got) == len(set(got)) and set(got) == either
    assert set(got[: len(both)]) == both, got
    # words no page holds together (the example) still find every page with either
    assert set(tab.page.evaluate(QUERY_JS, "调解 金融")) == _expected("调解") | _expected("金融")
    tab.open("search/index.html?q=" + urllib.parse.quote("调解 乡村"))
    res = tab.all_results()
    assert f"共找到 {len(either)} 个结果" in tab.page.text_content("#search-status")
    assert len(res) == len(either)
    assert {r["href"].removeprefix(tab.origin + SUBFOLDER).removesuffix("index.html") for r in res[: len(both)]} == both


def test_header_box_shows_the_query_on_the_results_page(tab):
    tab.open("search/index.html?q=" + urllib.parse.quote("枫桥"))
    tab.results()
    assert tab.page.input_value("#site-search-q") == "枫桥"
    tab.page.fill("#search-q", "讲台")
    tab.page.press("#search-q", "Enter")
    tab.results()
    assert tab.page.input_value("#site-search-q") == "讲台"


def test_no_results_suggest_the_nearest_brands_and_all_brands(tab):
    tab.open("search/index.html?q=" + urllib.parse.quote("法官爸爸"))
    assert tab.results() == []
    tab.page.wait_for_selector("#search-suggest a")
    names = tab.page.eval_on_selector_all("#search-suggest li a", "as => as.map(a => a.textContent)")
    assert names and names[0] == "法官妈妈", names
    links = tab.page.eval_on_selector_all("#search-suggest a", "as => as.map(a => a.href)")
    assert tab.origin + SUBFOLDER + "branches/index.html" in links
    # nothing near at all: still a way on
    tab.page.fill("#search-q", "量子计算机")
    tab.page.press("#search-q", "Enter")
    tab.page.wait_for_selector("#search-suggest a")
    assert tab.page.eval_on_selector_all("#search-suggest li", "ls => ls.length") == 0
    assert "浏览全部品牌" in tab.page.text_content("#search-suggest")


def test_search_works_from_disk(browser, sample):
    """A reviewer opens the site from a zip (file://): the index loads as scripts, not with fetch."""
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((sample / "search" / "index.html").as_uri() + "?q=" + urllib.parse.quote("法官妈妈"))
        page.wait_for_function("() => /找到|没有找到|无法/.test(document.getElementById('search-status').textContent)")
        assert "共找到" in page.text_content("#search-status"), page.text_content("#search-status")
        first = page.eval_on_selector("#search-results > li h2 a", "a => [a.textContent, a.href]")
        assert first == ["法官妈妈", (sample / "branches" / "faguan-mama" / "index.html").as_uri()]
        assert not errors, errors
    finally:
        ctx.close()
