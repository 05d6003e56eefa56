"""The Traditional-Chinese version of the site under ``zh-hant/``.

With ``languages: [zh-Hans, zh-Hant]`` in data/site.yaml every page (but 404.html) gets a
twin job at ``zh-hant/<path>``. It is rendered from the same template and context, with
links to other pages kept inside ``zh-hant/`` and links to shared files (assets, images,
the search index, feeds) pointing at the one copy in the site root; the finished HTML is
then converted with OpenCC (``hant_variant``: hktw, the default, for the forms Hong Kong and
Taiwan readers share; s2t, OpenCC's own standard forms such as 爲 and 衆, which neither place
uses; s2tw for Taiwan or s2hk for Hong Kong forms). Every Traditional page quotes with
「」 and 『』, as Traditional text in Hong Kong and Taiwan does, so text an editor wrote with
「」 and converted text with “” never meet on one page.

Names that editors wrote in Traditional script (a brand, branch, unit or tag, the title of
a news item or page, and every name field of a branch whose file is written in
Traditional) are protected from the conversion, so they stay exactly as written in both
versions. The Simplified version is never converted at all: Traditional text an editor
wrote stays Traditional there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import filterfalse
from typing import TYPE_CHECKING, Any

import opencc
from markupsafe import Markup

from brandsite.core.script import converter, is_traditional, to_traditional, translator
from brandsite.features import emblems
from brandsite.features.feature import Feature
from brandsite.model.page import relative

if TYPE_CHECKING:
    from brandsite.model.page import Job
    from brandsite.model.site import Site

PREFIX = "zh-hant/"
HANT = "zh-Hant"
#: the default: OpenCC s2t, then every character for which Hong Kong and Taiwan agree on another
#: form than OpenCC's standard (爲→為, 衆→眾, 僞→偽, 喫→吃 …); where they disagree (啓/啟), s2t's
COMMON = "hktw"
VARIANTS = (COMMON, "s2t", "s2tw", "s2hk")
#: Traditional pages quote with corner brackets
QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
#: text between these two characters is never converted (the "简体" label of the switch)
KEEP_OPEN, KEEP_CLOSE = "\ue000", "\ue001"
_SKIP_KINDS = {"special"}


def enabled(site: Site) -> bool:
    return HANT in site.config.languages


def is_hant(job: Job) -> bool:
    return job.path.startswith(PREFIX)


def site_path(path: str) -> str:
    """The path of the Simplified page a (possibly Traditional) output path belongs to."""
    return path.removeprefix(PREFIX)


def is_page(target: str) -> bool:
    """Site targets that have a Traditional twin: folders ("x/"), "" (home) and .html files."""
    t = target.split("#", 1)[0].split("?", 1)[0]
    return t == "" or t.endswith("/") or t.endswith(".html")


def target(t: str) -> str:
    """Where a link in a Traditional page must point: pages inside zh-hant/, files shared."""
    if "://" in t or t.startswith(("#", "mailto:", "tel:", PREFIX)) or not is_page(t) or t.startswith("404.html"):
        return t
    return PREFIX + t


# ------------------------------------------------------------------------------ jobs


def expand(site: Site, jobs: Iterable[Job]) -> list[Job]:
    """``jobs`` plus, when the site has a Traditional version, the twin of every page."""
    base = list(jobs)
    if not enabled(site):
        return base
    prepare(site)
    twins = [
        replace(j, path=PREFIX + j.path, lang=HANT, variant_of=j.path)
        for j in base
        if j.kind not in _SKIP_KINDS and j.path.endswith(".html")
    ]
    return base + twins


def context(site: Site, job: Job, relative: Callable[[str, str], str]) -> dict[str, Any]:
    """Template globals: ``alternates`` (both versions of this page) and ``script``."""
    hant = is_hant(job)
    if not enabled(site) or job.kind in _SKIP_KINDS:
        return {"alternates": [], "script": "hant" if hant else "hans"}
    base = site_path(job.path)
    cfg = site.config
    out = []
    for lang, path, label in (("zh-Hans", base, "简体"), (HANT, PREFIX + base, "繁體")):
        current = (lang == HANT) == hant
        shown = Markup(KEEP_OPEN + label + KEEP_CLOSE) if hant else label
        out.append({
            "hreflang": lang,
            "label": shown,
            "current": current,
            "href": relative(job.path, path),
            "abs": cfg.url + path.removesuffix("index.html") if cfg.url else relative(job.path, path),
        })
    return {"alternates": out, "script": "hant" if hant else "hans"}


# ------------------------------------------------------------------------------ conversion


@dataclass
class _State:
    variant: str
    names: tuple[str, ...]  # runs of protected names that the conversion would change, longest first


@lru_cache(maxsize=1)
def common_forms() -> dict[int, str]:
    """s2t output character → the form Hong Kong (t2hk) and Taiwan (t2tw) both use, where that
    differs from it. Derived from OpenCC's own tables, so it follows the installed OpenCC."""
    s2t, tw, hk = converter("s2t"), opencc.OpenCC("t2tw"), opencc.OpenCC("t2hk")
    ranges = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
    outs = sorted({c for c in s2t.convert("\n".join(chr(c) for a, b in ranges for c in range(a, b))).split("\n")
                   if len(c) == 1})
    joined = "\n".join(outs)
    pairs = zip(outs, tw.convert(joined).split("\n"), hk.convert(joined).split("\n"), strict=True)
    return {ord(c): t for c, t, h in pairs if t == h and t != c and len(t) == 1}


class _CommonForms:
    """The ``hktw`` conversion: OpenCC s2t (phrases included), then the shared HK/TW forms."""

    def __init__(self) -> None:
        self._s2t = converter("s2t")  # (the tables script.py loads too: loaded once)
        self._table = translator(common_forms())

    def convert(self, text: str) -> str:
        return self._table(self._s2t.convert(text))


_quotes = translator(QUOTES)


@lru_cache(maxsize=4)
def _converter(variant: str) -> Any:
    return _CommonForms() if variant == COMMON else opencc.OpenCC(variant)


@lru_cache(maxsize=1 << 17)
def _keeps_script(text: str, force: bool) -> bool:
    """Whether a name is written in Traditional (memoised: the preview asks again on every edit).

    ``force``: a field of a file written in Traditional, unless it has Simplified-only characters.
    """
    return is_traditional(text) or (force and to_traditional(text) == text)


def protected_names(site: Site) -> list[str]:
    """Names written in Traditional script, to be kept as written."""
    names: set[str] = set()

    def add(text: str, force: bool = False) -> None:
        if text and len(text) >= 2 and _keeps_script(text, force):
            names.add(text)

    for b in site.branches:
        force = b.lang == HANT
        for text in (b.brand, b.branch, b.slogan, b.secretary, *b.tags):
            add(text, force)
    for u in (site.units or {}).values():
        add(u.name)
    for n in site.news:
        add(n.title, n.lang == HANT)
        add(n.branch)
        for t in n.tags:
            add(t)
    for p in site.pages:
        add(p.title, p.lang == HANT)
    return sorted(names, key=lambda s: (-len(s), s))


def prepare(site: Site) -> _State:
    """Compute (once per site object) what conversion needs; workers inherit it on fork."""
    st = site.__dict__.get("_hant_state")
    if st is None:
        variant = getattr(site.config, "hant_variant", COMMON) or COMMON
        st = _State(variant, _needing_protection(protected_names(site), variant))
        _converter(variant)  # (OpenCC's tables loaded here, once, not in every forked worker)
        site.__dict__["_hant_state"] = st
    return st


_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")


def _needing_protection(names: list[str], variant: str) -> tuple[str, ...]:
    """The non-ASCII runs (2+ characters) of the names that the conversion would change.

    Most names written in Traditional are left alone by s2t anyway, and every name less is
    a substring search less on every page. Runs, because HTML escaping (which only touches
    ASCII) must not make a name unrecognisable in a page."""
    out: dict[str, None] = {}
    for name in names:
        for run in _NON_ASCII.findall(name):
            if len(run) >= 2 and _changed_by(run, variant):
                out[run] = None
    return tuple(sorted(out, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1 << 17)
def _changed_by(run: str, variant: str) -> bool:
    return _converter(variant).convert(run) != run


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    keep = re.escape(KEEP_OPEN) + ".*?" + re.escape(KEEP_CLOSE)
    alts = [keep, *(re.escape(n) for n in names)]
    return re.compile("|".join(alts), re.S)


def _convert_keeping(text: str, variant: str, names: tuple[str, ...]) -> str:
    conv = _converter(variant)
    if not names and KEEP_OPEN not in text:
        return conv.convert(text)
    out: list[str] = []
    pos = 0
    for m in _pattern(names).finditer(text):
        out.append(conv.convert(text[pos : m.start()]))
        kept = m.group(0)
        if kept.startswith(KEEP_OPEN):
            kept = kept[1:-1]
        out.append(kept)
        pos = m.end()
    out.append(conv.convert(text[pos:]))
    return "".join(out)


def convert(text: str, variant: str, names: Iterable[str] = ()) -> str:
    """OpenCC ``variant`` over ``text``, leaving protected names and KEEP spans untouched.

    A whole page goes to OpenCC in one call (it leaves markup alone and converts about
    30 million characters a second); only around a protected name is the text cut.
    """
    present = tuple(n for n in names if n in text)
    return _quotes(_convert_keeping(text, variant, present))


#: a KEEP span not closed on its own line: the page is then converted whole
_KEEP_ACROSS_LINES = re.compile(re.escape(KEEP_OPEN) + "[^" + re.escape(KEEP_CLOSE) + "\n]*(?:\n|\\Z)")
#: distinct lines remembered per process before the memo starts again (a few MiB)
_LINE_MEMO_SIZE = 8_000
_line_memo: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}


def convert_page(html: str, variant: str, names: tuple[str, ...]) -> str:
    """``convert`` of a whole page, each distinct line converted once per process.

    The header, navigation, footer and every card of a list page repeat from page to page
    (half of a Traditional site's text is such lines); converting only the lines this process
    has not seen, in one OpenCC call, is 20 % cheaper than converting every page whole. Exact:
    no OpenCC dictionary key, protected name or quote contains a line break, so a conversion
    never reaches across one; a KEEP span that does falls back to the whole page."""
    if _KEEP_ACROSS_LINES.search(html):
        return convert(html, variant, names)
    memo = _line_memo.get((variant, names))
    if memo is None or len(memo) > _LINE_MEMO_SIZE:
        _line_memo.clear()
        memo = _line_memo[(variant, names)] = {}
    lines = html.split("\n")
    # lines not converted yet and not pure ASCII (which no conversion changes), once each
    todo = dict.fromkeys(filterfalse(str.isascii, filterfalse(memo.__contains__, lines)))
    if todo:
        done = convert("\n".join(todo), variant, names).split("\n")
        if len(done) != len(todo):  # (never seen: a conversion that made or took a line break)
            return convert(html, variant, names)
        memo.update(zip(todo, done, strict=True))
    return "\n".join(map(memo.get, lines, lines))


def finish(site: Site, job: Job, html: str) -> str:
    """The rendered page as written to disk: Traditional pages converted."""
    if not is_hant(job):
        return html
    st = prepare(site)
    return convert_page(html, st.variant, st.names)


def text_converter(site: Site) -> Callable[[str], str] | None:
    """Plain text (not HTML) → its Traditional form, or None when the site has no zh-Hant."""
    if not enabled(site):
        return None
    st = prepare(site)

    def conv(text: str) -> str:
        return convert(text, st.variant, st.names)

    return conv


# ------------------------------------------------------------------------------ the feature


def _context(site: Site, job: Job) -> dict[str, Any]:
    got = context(site, job, relative)
    if is_hant(job):  # a brand name written in Traditional on purpose stays as written (emblems.keep_script)
        got["keep_script"] = lambda text, name: (Markup(KEEP_OPEN) + text + Markup(KEEP_CLOSE)
                                                 if emblems.keep_script(name) else text)
    return got


def _link(site: Site, job: Job) -> Callable[[str], str] | None:
    return target if is_hant(job) else None


#: the Traditional version: a twin of every page, its links to twins, its text converted
FEATURE = Feature("hant", expand=expand, context=_context, link=_link, finish=finish)
