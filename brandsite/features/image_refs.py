"""Which of the site's own image files a document shows, and where they are on disk.

The answer is needed well beyond processing: the images check, the sign-off record (a photo
is part of what an office approves), the page fingerprint and the preview's change detection
all ask it, and none of them should need Pillow or the processing code to do so.
"""

from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from brandsite.model.site import Site

_IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
_ATTR_RE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')


def _attrs(tag: str) -> dict[str, str]:
    body = tag[4:].rstrip("/>").rstrip("/ ")
    return {k.lower(): v for k, v in _ATTR_RE.findall(body)}


def html_refs(fragment: str) -> list[tuple[str, str | None, str]]:
    """(src as written, alt or None, the tag) of every <img> in a rendered fragment."""
    out = []
    for m in _IMG_RE.finditer(fragment):
        tag = m.group(0)
        a = _attrs(tag)
        if "src" in a:
            alt = htmlmod.unescape(a["alt"]) if "alt" in a else None
            out.append((htmlmod.unescape(a["src"]), alt, tag))
    return out


def is_external(src: str) -> bool:
    return "://" in src or src.startswith(("//", "data:"))


def shown(doc: Any) -> list[str]:
    """The site's own image files a source shows, as written: its cover, logo and gallery, then its
    Markdown images."""
    cover = getattr(doc, "cover", "")
    refs = [cover] if cover else []
    if getattr(doc, "logo", ""):
        refs.append(doc.logo)
    refs += [p.src for p in getattr(doc, "gallery", ())]
    if "<img" in doc.html:
        refs += [src for src, _alt, _tag in html_refs(doc.html) if not is_external(src) and not src.startswith("/")]
    return refs


def resolve(doc_path: Path, src: str) -> Path:
    return (doc_path.parent / unquote(src.split("#", 1)[0].split("?", 1)[0])).resolve()


def _docs(site: Site, drafts: bool = True) -> list[Any]:
    return [d for d in (*site.branches, *site.news, *site.pages) if drafts or not getattr(d, "draft", False)]
