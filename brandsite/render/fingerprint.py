"""Page fingerprints for ``build``: a hash of everything a rendered page can show.

A warm build (the output folder exists) renders only pages whose fingerprint differs from
the one recorded for the file already in its staging folder (see ``RenderCache.ledger``).
A fingerprint covers:

* the page itself: output path, title, language, template (with every template it includes
  or extends) and the digests of every source it shows (``Job.deps``; list pages list all);
* the images those sources show (processed files are named by content, so a photo replaced
  under the same name changes the page although no text changed);
* everything site-wide: brandsite's code, the versions of the libraries that shape HTML,
  data/*.yaml, every theme file, ``--drafts`` and, for Traditional pages, the names kept
  in their written script.

Anything not listed here must not influence a page; tests rebuild after random edits and
compare with a clean build byte for byte.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, meta

from brandsite.core import cache
from brandsite.features import emblems, hant, image_refs
from brandsite.model.site import Site
from brandsite.render import pages as render


def digest(*parts: object) -> str:
    """A stable hash of ``parts`` (their ``repr``): the same inputs give the same fingerprint in
    every process and every run, which the build's ledger and the preview both rely on."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError:
        return b""


def signature(p: Path | str) -> tuple[int, int, int] | None:
    """(mtime, size, inode): a file changed when this did, without reading it."""
    try:
        st = os.stat(p)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Templates:
    """Fingerprints of an environment's templates: a template's source with, recursively, every
    template it includes, imports or extends (``refs``, which the preview also compiles ahead)."""

    def __init__(self, env: Any) -> None:
        self.env = env
        self.fps: dict[str, str] = {}
        self.refs: dict[str, list[str]] = {}

    def fp(self, name: str, seen: frozenset[str] = frozenset()) -> str:
        if name in self.fps:
            return self.fps[name]
        assert self.env.loader is not None
        source, filename, _ = self.env.loader.get_source(self.env, name)
        # parsed with its file name: a syntax error found here is reported at the theme file and line
        refs = sorted(r for r in meta.find_referenced_templates(self.env.parse(source, name, filename)) if r)
        self.refs[name] = refs
        fp = digest(name, source, [self.fp(r, seen | {name}) for r in refs if r not in seen | {name}])
        self.fps[name] = fp
        return fp


def compile_ahead(env: Any, names: Iterable[str]) -> None:
    """Compile these templates and every template they extend, import or include.

    Forked render workers inherit what the parent compiled; each fresh pool (one per round of
    pages) compiled the whole theme again in every worker, about 0.2 s of CPU each time."""
    templates = Templates(env)
    todo, seen = sorted(names), set(names)
    while todo:
        name = todo.pop()
        try:
            templates.fp(name)
            env.get_template(name)
        except TemplateError:  # reported where the page is rendered, as without this
            continue
        for ref in templates.refs.get(name, []):
            if ref not in seen:
                seen.add(ref)
                todo.append(ref)


class Fingerprints:
    def __init__(self, root: Path, site: Site, env: Any, drafts: bool) -> None:
        self.templates = Templates(env)
        theme = []
        for d in render.theme_dirs(root, site.config.theme):
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    theme.append((p.relative_to(d).as_posix(), hashlib.blake2b(_bytes(p), digest_size=16).hexdigest()))
        self.site = site_wide(
            site, drafts,
            cache.code_version(),  # (with the versions of the libraries that shape HTML)
            [_bytes(root / "data" / n) for n in ("site.yaml", "units.yaml", "metrics.yaml")],
            theme,
        )
        self.media = self._media(root, site)

    @staticmethod
    def _media(root: Path, site: Site) -> dict[str, str]:
        """Source digest → signature of the image files it shows (cover and Markdown images)."""
        out: dict[str, str] = {}
        for doc in (*site.branches, *site.news, *site.pages):
            refs = image_refs.shown(doc)
            if refs:
                path = root / doc.path
                out[doc.digest] = digest([(r, signature(image_refs.resolve(path, r))) for r in refs])
        return out

    def page(self, job: render.Job) -> str:
        return page(self.site, self.templates.fp(job.template), job, self.media)


def site_wide(site: Site, drafts: bool, *inputs: object) -> str:
    """The part of every page's fingerprint that is the same for all pages. ``inputs`` are how the
    caller knows its files (a build: code version, data/ and theme bytes; the preview, which runs
    one version of the code and follows the theme's templates itself: data/ bytes)."""
    names: tuple[str, ...] = ()
    if hant.enabled(site):  # a Traditional page is converted around every protected name of the site
        st = hant.prepare(site)
        names = (st.variant, *st.names)
    return digest(
        *inputs,
        drafts,
        names,
        [(n.title, n.url) for n in site.config.nav],  # as shown: sections without content left out
        emblems.deviations(site),  # an emblem another brand's name moved (emblems.py)
    )


def page(site_part: str, template: str, job: render.Job, media: dict[str, Any]) -> str:
    """A page's fingerprint, for ``build``'s ledger and the preview alike: the site-wide part,
    its template's (with what it includes), the page itself with what it depends on (``deps``,
    derived from its data) and the images its sources show (``media``: source digest → their
    files' signatures)."""
    shown = [media[d] for d in job.deps if d in media] if media else None
    return digest(site_part, template, job.path, job.title, job.lang, job.kind, job.deps, shown)
