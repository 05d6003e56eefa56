"""The typed page model: one output page, what it is about and what it is given.

Every stage after planning reads pages through this type: the renderer (template, context),
the features (``doc``: the source a branch, news or free page shows; ``variant_of``: the page a
Traditional twin was made from), the checks and the fingerprints (``deps``, derived from the
context by ``depends.py``). It imports nothing of the pipeline, so features can use it
without importing the renderer.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from brandsite.model.site import Branch, News, Page


@dataclass
class Job:
    path: str  # output path relative to the site root, e.g. "branches/faguan-mama/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    kind: str = "page"  # home | list | branch | unit | tag | stats | honors | news | page | special | search
    lang: str = "zh-CN"
    sitemap: bool = True
    #: what the page shows, derived from ``context`` (see ``depends.py``): the digests of the sources
    #: in it, own source first, then a digest of the rest; with the template and the site-wide
    #: part they decide whether a page must be rendered again
    deps: tuple[str, ...] = ()
    #: the source the page is about (a branch, news or free page); None for lists and the like
    doc: Branch | News | Page | None = None
    #: the site path of the page this one is a variant of (a Traditional twin); "" = itself
    variant_of: str = ""

    @property
    def base_path(self) -> str:
        """The path of the page as the Simplified site has it (the navigation marks its section)."""
        return self.variant_of or self.path


def relative(from_path: str, target: str) -> str:
    """Link from page ``from_path`` to site path ``target`` ("" = home, "x/" = folder page)."""
    if "://" in target or target.startswith(("#", "mailto:", "tel:")):
        return target
    frag = ""
    if "#" in target:
        target, frag = target.split("#", 1)
        frag = "#" + frag
    if target == "" or target.endswith("/"):
        target += "index.html"
    here = posixpath.dirname(from_path)
    return _relpath(target, here) + frag


def clean_parts(path: str) -> list[str] | None:
    """The "/"-separated parts of a relative site path that needs no normalising, or None when it
    has an empty, ``.`` or ``..`` part (a leading, doubled or trailing slash makes an empty one):
    such paths are joined and compared by their parts as they are, without ``posixpath``."""
    parts = path.split("/")
    return None if "" in parts or "." in parts or ".." in parts else parts


def _relpath(target: str, here: str) -> str:
    """``posixpath.relpath(target, here or ".")`` for site paths, from their parts alone.

    ``relpath`` makes both paths absolute and normal first (about 12 µs, four times a page for the
    language switch); site paths with no empty, ``.`` or ``..`` part and no leading slash are
    normal already, so the shared leading folders are dropped straight away. Anything else goes
    to ``relpath`` itself (``tests/test_fast_calls.py`` compares the two)."""
    t = clean_parts(target)
    h = clean_parts(here) if here else []
    if t is None or h is None:
        return posixpath.relpath(target, here or ".")
    i = 0
    for a, b in zip(h, t, strict=False):
        if a != b:
            break
        i += 1
    return "/".join([".."] * (len(h) - i) + t[i:]) or "."
