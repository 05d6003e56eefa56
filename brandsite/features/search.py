"""Site search: a build-time character-bigram index over a script-folded form of every page.

Why not Pagefind: measured on the sample site (bench/search_recall.py, docs/search.md),
Pagefind 1.5.2 with the extended binary splits its index by ``lang`` and segments Chinese
into words, so a Traditional page is not found by a Simplified query (听我断案 → 聽我斷案
missed), two-character queries inside longer words miss (枫桥 in 枫桥经验), and recall over
the test queries stayed at 63-65 %. Character bigrams have no segmentation to get wrong:
a page contains a query exactly when it contains every bigram of it *and* the text
(checked in the browser) contains the folded query.

Tokens and folding: ``search_text.py``; the documents indexed: ``search_docs.py``.

Files written under ``search/idx/`` (one index for the whole site, both scripts). Every file
is a script, ``brandsiteIndex("<name>", {...});``, that search.js loads with a ``<script>``
element rather than ``fetch``: a site opened from disk (file://, a reviewer's zip) can then
search too, and ``script-src 'self'`` still holds.

* ``meta.js``: units, tags, the fold table, the names of the posting shards and, per
  document, only what ranking and the unit/tag filters need (kind, unit, tags): on a
  10,000-branch site the titles and addresses of every page would be most of a first
  search's transfer, so they live in the document files.
* ``p-<n>-<hash>.js``: shard ``n`` of the postings, ``{token: [doc id deltas]}``; a token
  is a bigram of the folded text, ``^`` + a bigram of the folded title (ranking), or ``~`` +
  a bigram of the pinyin or pinyin initials of a brand name (``fgmm``, ``faguan mama``). A
  token's shard is ``(cp1 * 31 + cp2) % shards`` of its bigram. Content-hashed.
* ``d/<id>.js``: one document (address, kind, titles, text, pinyin), loaded only for the
  results shown, for checking and excerpts; ``d/<id>h.js`` its Traditional text (zh-Hant
  result pages only).
"""

from __future__ import annotations

import hashlib
import json
import operator
from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from brandsite.features.feature import Feature, Run
from brandsite.features.search_docs import Doc, collect
from brandsite.features.search_text import bigrams, fold, fold_table, pinyin_keys, shard_of

if TYPE_CHECKING:
    from brandsite.model.page import Job
    from brandsite.model.site import Site

INDEX_DIR = "search/idx/"
PAGE = "search/index.html"
VERSION = 2
#: the function every index file calls (search.js defines it)
CALLBACK = "brandsiteIndex"
#: aim for posting shards of about this many bytes (JSON, before HTTP compression): small, because a
#: first search loads one shard per bigram of the query (measured: bench/search_weight.py)
SHARD_TARGET = 8_000
# ---------------------------------------------------------------------------------- files


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def wrap(name: str, obj: Any) -> str:
    """An index file: a script that hands its data to search.js (works from file://, unlike fetch)."""
    return f"{CALLBACK}({_dump(name)},{_dump(obj)});\n"


def unwrap(text: str) -> tuple[str, Any]:
    """(name, data) of an index file (tests and bench read the index as the browser does)."""
    head = CALLBACK + "("
    if not (text.startswith(head) and text.endswith(");\n")):
        raise ValueError("not a brandsite search index file")
    name, _, rest = text[len(head) : -3].partition(",")
    return json.loads(name), json.loads(rest)


def _digest(text: str, n: int = 10) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()[:n]


def _deltas(ids: Sequence[int]) -> list[int]:
    return list(map(operator.sub, ids, [0, *ids[:-1]]))


def index_files(site: Site, jobs: list[Job], cache: Any = None, workers: int = 1,
                memo: PartMemo | None = None) -> Iterator[tuple[str, str]]:
    """Every file of the search index, as (site path, text). Deterministic.

    With a render ``cache`` (``build``), an index whose every input is unchanged is taken from
    it: building it is the largest cost of a rebuild in which nothing changed. Without one,
    a :class:`PartMemo` (the preview's) spares recomputing the documents that did not change."""
    from brandsite.core import cache as cache_mod
    from brandsite.features import hant

    if not getattr(site.config, "search", True):
        return
    docs, units, tags = collect(site, jobs)
    if cache is None or cache.db is None:
        yield from _index_files(site, docs, units, tags, workers, memo)
        return
    names = (hant.prepare(site).variant, hant.prepare(site).names) if hant.enabled(site) else None
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((VERSION, SHARD_TARGET, units, tags, names)).encode("utf-8"))
    for d in docs:
        h.update(repr((d.url, d.kind, d.title, d.sub, d.unit, d.tags, d.body)).encode("utf-8"))
    key = cache_mod.key("search-index", "", h.hexdigest())
    keep = cache.keep if cache.keep is not None else set()
    keep.add(key)
    listing = cache.get_many([key]).get(key)  # [(site path, cache key of its text)]
    if listing is not None:
        texts: dict[str, str] = {}
        keys = [k for _, k in listing]
        for i in range(0, len(keys), 500):
            texts.update(cache.get_many(keys[i : i + 500]))
        if len(texts) == len(keys):
            keep.update(keys)
            for path, k in listing:
                yield path, texts[k]
            return
    listing = []
    for path, text in _index_files(site, docs, units, tags, workers):  # one file at a time: the index is large
        k = cache_mod.key("search-file", path, _digest(text, 16))
        cache.put(k, text)
        keep.add(k)
        listing.append((path, k))
        yield path, text
    cache.put(key, listing)


class PartMemo:
    """``_doc_part`` results kept between the preview's rebuilds, so that after an edit only the
    edited documents' parts are computed again (the whole index took seconds at 10,000 branches).

    A part is remembered under everything ``_doc_part`` reads of its document (title, sub-title,
    unit and tag names, body); the Traditional conversion, which depends on the whole site's
    protected names, is compared once per index (``context``) and forgets every part when it
    changed. Parts no document used in the last complete index are dropped."""

    def __init__(self) -> None:
        self.context: object = None
        self.parts: dict[tuple[object, ...], tuple[str, ...]] = {}


#: state forked workers inherit (documents and names), see ``_doc_parts``
_MIN_PARALLEL = 400


def _doc_part(d: Doc, unit_names: list[str], tag_names: list[str], to_hant: Any) -> tuple[str, ...]:
    """One document's share of the index: its tokens (bigrams of the text, ``^`` + bigrams of
    the title, ``~`` + bigrams of a brand's pinyin; tab-separated), the characters it uses, and
    the JSON of its document file (without address and kind) and of its Traditional text."""
    body = d.body
    text = d.fields(unit_names, tag_names, body)
    chars = set(text)
    toks = bigrams(fold(text))
    toks.update("^" + g for g in bigrams(fold(d.title)))
    payload: dict[str, Any] = {"t": d.title, "s": d.sub, "x": body}
    if d.kind == "branch":
        py = pinyin_keys(d.title)
        payload["py"] = py
        for key in py:
            toks.update("~" + g for g in bigrams(key))
    hant_file = ""
    if to_hant is not None:
        title_h, sub_h, body_h = to_hant(d.title), to_hant(d.sub), to_hant(body)
        if title_h != d.title:
            payload["th"] = title_h
        if sub_h != d.sub:
            payload["sh"] = sub_h
        hant_file = _dump({"h": body_h})
        chars.update(title_h + sub_h + body_h)
    # unsorted: the parent only adds each token's document id and each character to a set, and
    # sorting two thousand tokens per document cost as much as folding its text
    return "\t".join(toks), "".join(chars), _dump(payload), hant_file


def _doc_parts(bounds: tuple[int, int]) -> list[tuple[str, ...]]:
    from brandsite.core.workers import SHARED
    from brandsite.features import hant

    docs, unit_names, tag_names = SHARED["args"]
    if "to_hant" not in SHARED:  # spawned: the converter is made again from the site it was made for
        SHARED["to_hant"] = hant.text_converter(SHARED["hant"]) if SHARED["hant"] is not None else None
    to_hant = SHARED["to_hant"]
    return [_doc_part(d, unit_names, tag_names, to_hant) for d in docs[bounds[0] : bounds[1]]]


def _parts(
    docs: list[Doc], unit_names: list[str], tag_names: list[str], to_hant: Any, workers: int,
    memo: PartMemo | None = None, hant_site: Any = None,
) -> Iterator[tuple[str, ...]]:
    """``_doc_part`` of every document in order, on every core for a large site (chunk by chunk,
    so that the parts of ten thousand documents are never all in memory); with a ``memo``, only
    the documents it does not know are computed."""
    if memo is None:
        yield from _computed(docs, unit_names, tag_names, to_hant, workers, hant_site)
        return
    parts = memo.parts
    keys = [(d.title, d.sub, unit_names[d.unit] if d.unit >= 0 else "", tuple(tag_names[t] for t in d.tags), d.body)
            for d in docs]
    todo = [d for d, k in zip(docs, keys, strict=True) if k not in parts]
    fresh = _computed(todo, unit_names, tag_names, to_hant, workers, hant_site)
    try:
        for k in keys:
            got = parts.get(k)
            if got is None:
                got = parts[k] = next(fresh)
            yield got
    finally:
        fresh.close()  # (closed early: its worker processes end now)
    if len(parts) > len(keys):
        used = set(keys)
        for k in [k for k in parts if k not in used]:
            del parts[k]


def _computed(
    docs: list[Doc], unit_names: list[str], tag_names: list[str], to_hant: Any, workers: int,
    hant_site: Any = None,
) -> Iterator[tuple[str, ...]]:
    """(``hant_site``: the site ``to_hant`` converts for; a spawned worker makes its converter from it)"""
    from brandsite.core.workers import pool, worth

    if workers <= 1 or not worth(len(docs), _MIN_PARALLEL):
        for d in docs:
            yield _doc_part(d, unit_names, tag_names, to_hant)
        return
    step = max(50, len(docs) // (workers * 16))
    bounds = [(a, min(a + step, len(docs))) for a in range(0, len(docs), step)]
    shared = {"args": (docs, unit_names, tag_names), "hant": hant_site if to_hant is not None else None}
    with pool(workers, shared=shared, fork_only={"to_hant": to_hant}) as executor:
        for chunk in executor.map(_doc_parts, bounds):
            yield from chunk


def _index_files(
    site: Site, docs: list[Doc], units: list[tuple[str, str]], tags: list[tuple[str, str]], workers: int = 1,
    memo: PartMemo | None = None,
) -> Iterator[tuple[str, str]]:
    from brandsite.features import hant

    unit_names = [n for _, n in units]
    tag_names = [n for _, n in tags]
    to_hant = hant.text_converter(site)
    if memo is not None:
        context = (VERSION, (hant.prepare(site).variant, hant.prepare(site).names) if to_hant else None)
        if memo.context != context:
            memo.context, memo.parts = context, {}
    parts = _parts(docs, unit_names, tag_names, to_hant, workers, memo, site)
    postings: dict[str, array[int]] = defaultdict(lambda: array("I"))  # 4 bytes a posting, not 8
    chars: set[str] = set()
    kinds: list[str] = []
    digest = hashlib.blake2b(digest_size=8)
    try:
        for i, (d, (toks, used, doc_file, hant_file)) in enumerate(zip(docs, parts, strict=True)):
            chars.update(used)
            for tok in toks.split("\t"):
                if tok:
                    postings[tok].append(i)
            head = f'{CALLBACK}("d/{i}",{{"k":{_dump(d.kind)},"u":{_dump(d.url)},'
            text = head + doc_file[1:] + ");\n"
            digest.update(text.encode("utf-8"))
            yield f"{INDEX_DIR}d/{i}.js", text
            if hant_file:
                text = f'{CALLBACK}("d/{i}h",{hant_file});\n'
                digest.update(text.encode("utf-8"))
                yield f"{INDEX_DIR}d/{i}h.js", text
            kinds.append(d.kind[0])
    finally:
        parts.close()  # (closed early: worker processes end now, not when the collector finds them)

    size = sum(len(ids) * 3 + 12 for ids in postings.values())
    shards = 1
    while size / shards > SHARD_TARGET and shards < 1024:
        shards *= 2
    tokens: list[list[str]] = [[] for _ in range(shards)]
    for tok in sorted(postings):
        tokens[shard_of(tok, shards)].append(tok)
    shard_names = []
    for n, toks in enumerate(tokens):  # one shard's lists at a time
        text = wrap(f"p-{n}", {tok: _deltas(postings.pop(tok)) for tok in toks})
        name = f"p-{n}-{_digest(text, 8)}.js"
        shard_names.append(name)
        digest.update(name.encode("utf-8"))
        yield INDEX_DIR + name, text

    table = fold_table()
    targets = {table.get(c, c) for c in chars}
    fold_map = {c: s for c, s in table.items() if ord(c) > 0x7F and (c in chars or s in targets) and not 0xFF01 <= ord(c) <= 0xFF5E}

    def hant_names(rows: list[tuple[str, str]]) -> list[list[str]]:
        out = []
        for key, name in rows:
            h = to_hant(name) if to_hant else name
            out.append([key, name, h if h != name else ""])
        return out

    meta = {
        "v": VERSION,
        "b": digest.hexdigest(),  # changes with any file of the index: the browser's cache key
        "n": len(docs),
        "hant": 1 if to_hant is not None else 0,
        "kinds": "".join(kinds),
        "du": [d.unit for d in docs],
        "dt": [d.tags for d in docs],
        "units": hant_names(units),
        "tags": hant_names(tags),
        "shards": shard_names,
        "fold": "".join(f"{c}{s}" for c, s in sorted(fold_map.items())),
    }
    yield INDEX_DIR + "meta.js", wrap("meta", meta)


def page_jobs(site: Site, pages: Any) -> Iterator[Job]:
    """The search page (results are drawn by assets/search.js from the index)."""
    if not getattr(site.config, "search", True):
        return
    yield pages.job(PAGE, "search.html", {"units_list": pages.unit_list(), "tags_list": pages.tag_list()},
                    "站内搜索", "search", sitemap=False)


def _files(site: Site, jobs: list[Job], run: Run) -> Iterator[tuple[str, str]]:
    return index_files(site, jobs, run.cache, run.workers, run.memo.get("search"))


#: site search: its page, and its index among the extra files
FEATURE = Feature("search", pages=page_jobs, files=_files)
