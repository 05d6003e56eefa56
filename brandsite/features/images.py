"""The images feature: ``image()`` for templates, Markdown images replaced by ``<picture>``, and
the processed files written with the site.

Pages show processed images as ``<picture>`` with ``srcset``, ``sizes``, ``width``/``height``
(no layout shift) and ``loading="lazy"`` except for the cover, which is above the fold. What a
document shows is :mod:`brandsite.features.image_refs`, the check of those files
:mod:`brandsite.features.image_check`, and the processing (the pipeline's images stage, before
rendering) :mod:`brandsite.features.image_process`; this module is what plugs into the pipeline.
"""

from __future__ import annotations

import html as htmlmod
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from brandsite.features.feature import Feature
from brandsite.features.image_process import MEDIA_DIR, ImageSet, media_of, output_files
from brandsite.features.image_refs import _IMG_RE, _attrs, is_external, resolve

if TYPE_CHECKING:
    from brandsite.model.page import Job
    from brandsite.model.site import Site

#: display widths for ``sizes``: the story column of the default theme (a theme passes its own to image())
SIZES = "(min-width: 1152px) 720px, calc(100vw - 2rem)"


def picture(s: ImageSet, alt: str, prefix: str, *, eager: bool = False, sizes: str = SIZES,
            attrs: str = "") -> Markup:
    """``<picture>`` for ``s``; ``prefix`` is the relative link to the media folder."""

    def srcset(ext: str) -> str:
        return ", ".join(f"{prefix}{s.key}-{w}.{ext} {w}w" for w, _ in s.variants)

    fallback = max((v for v in s.variants if v[0] <= 960), default=s.variants[0])[0]
    load = 'loading="eager" fetchpriority="high"' if eager else 'loading="lazy"'
    if s.ext == "svg":
        return Markup(f'<img src="{prefix}{s.key}-{fallback}.svg" width="{s.width}" height="{s.height}" '
                      f'alt="{escape(alt)}"{attrs} {load} decoding="async">')
    webp = (f'<source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">'
            if s.ext != "webp" else "")
    return Markup(
        f'<picture>{webp}<img src="{prefix}{s.key}-{fallback}.{s.ext}" srcset="{srcset(s.ext)}" sizes="{sizes}" '
        f'width="{s.width}" height="{s.height}" alt="{escape(alt)}"{attrs} {load} decoding="async"></picture>'
    )


def _prefix(job_path: str) -> str:
    here = posixpath.dirname(job_path) or "."
    return posixpath.relpath(MEDIA_DIR.rstrip("/"), here) + "/"


def template_fn(site: Site, job: Job) -> Callable[..., Markup]:
    """``image(doc, ref, alt, eager=False)`` for templates: the processed image or nothing."""
    media = media_of(site)

    def image(doc: Any, ref: str, alt: str, eager: bool = False, sizes: str = SIZES) -> Markup:
        if media is None or not ref:
            return Markup("")
        s = media.sets.get(resolve(media.root / doc.path, ref))
        if s is None:
            return Markup("")
        return picture(s, alt, _prefix(job.path), eager=eager, sizes=sizes)

    return image


def rewrite(site: Site, job: Job, page: str) -> str:
    """Replace the Markdown images of a branch, news item or page by their processed form."""
    if "<img" not in page or job.kind not in ("branch", "news", "page"):
        return page
    media = media_of(site)
    doc = job.doc
    if media is None or doc is None or not media.sets or "<img" not in doc.html:
        return page
    base = media.root / doc.path
    prefix = _prefix(job.path)

    def sub(m: re.Match[str]) -> str:
        tag = m.group(0)
        a = _attrs(tag)
        src = htmlmod.unescape(a.get("src", ""))
        if not src or is_external(src) or src.startswith("/"):
            return tag
        s = media.sets.get(resolve(base, src))
        if s is None:
            return tag
        extra = "".join(f' {k}="{a[k]}"' for k in ("title", "class") if a.get(k))
        return str(picture(s, htmlmod.unescape(a.get("alt", "")), prefix, attrs=extra))

    return _IMG_RE.sub(sub, page)


#: processed images: ``image()`` for templates, Markdown images replaced, the files themselves
#: (prepared beforehand by the pipeline's images stage, ``prepare``)
FEATURE = Feature("images", context=lambda site, job: {"image": template_fn(site, job)}, finish=rewrite,
                  files=lambda site, jobs, run: output_files(site))
