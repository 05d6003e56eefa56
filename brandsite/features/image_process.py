"""Processing images: covers and Markdown images resized, WebP + fallback, no metadata, cached.

Each image is decoded once (EXIF orientation applied), resized to the widths in
:data:`WIDTHS` that are not wider than the image itself (never upscaled), and written as
WebP plus its own format as the fallback (JPEG stays JPEG, PNG stays PNG), with no EXIF,
GPS, XMP or comments: phone photos carry the place they were taken. Names are content
hashes (``media/<hash>-<width>.<ext>``), so a changed photo gets a new name and old copies
in browser caches cannot show.

The processed files are cached across builds in ``ROOT/.brandsite-cache/images/<hash>/``;
the hash covers the source bytes and every setting below, so a cache entry can never be
stale. This is the pipeline's images stage (:func:`prepare`), kept apart from the markup
the pages show (:mod:`brandsite.features.images`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree  # (expat: no external entities, bounded entity expansion)

from brandsite.core.workers import pool as worker_pool
from brandsite.core.workers import worth
from brandsite.features.image_refs import _docs, resolve, shown

if TYPE_CHECKING:
    from PIL import Image

    from brandsite.model.site import Site

WIDTHS = (480, 960, 1440)
JPEG_QUALITY = 82
WEBP_QUALITY = 80


@functools.lru_cache(maxsize=1)
def settings() -> str:
    """What shapes a processed image (Pillow's version among them): a cached image made with other
    settings is never used. A function, so a site without images never imports Pillow."""
    import PIL

    return f"v2;pillow={PIL.__version__};w={','.join(map(str, WIDTHS))};jq={JPEG_QUALITY};wq={WEBP_QUALITY}"


MEDIA_DIR = "media/"
CACHE_DIR = Path(".brandsite-cache") / "images"
#: Pillow formats we process, and the extension of the fallback file
FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
_MIN_PARALLEL = 2


@dataclass
class ImageSet:
    key: str
    width: int  # of the largest variant
    height: int
    ext: str  # fallback format
    variants: list[tuple[int, int]]  # (width, height), narrowest first


@dataclass
class Media:
    root: Path
    sets: dict[Path, ImageSet] = field(default_factory=dict)
    cache: Path = Path()
    failed: dict[Path, str] = field(default_factory=dict)
    blobs: dict[str, dict[str, bytes]] = field(default_factory=dict)  # processed in this run


_KEYS: dict[Path, tuple[tuple[int, int], str]] = {}  # source → (mtime, size), key


def source_key(path: Path) -> str:
    st = path.stat()
    sig = (st.st_mtime_ns, st.st_size)
    got = _KEYS.get(path)
    if got is not None and got[0] == sig:
        return got[1]
    h = hashlib.blake2b(settings().encode(), digest_size=8)
    h.update(path.read_bytes())
    key = h.hexdigest()[:12]
    _KEYS[path] = (sig, key)
    return key


def widths_for(width: int) -> list[int]:
    return sorted({min(w, width) for w in WIDTHS})


def _clean(im: Image.Image) -> Image.Image:
    im.info = {k: v for k, v in im.info.items() if k in ("icc_profile", "transparency")}
    return im


def svg_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of an SVG file from its width/height or viewBox, or None when it is not
    an SVG document. A logo is shown with ``<img>``, where an SVG runs no script."""
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError, ValueError):
        return None
    if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        return None

    def num(v: str | None) -> float | None:
        m = re.match(r"\s*([\d.]+)\s*(px)?\s*$", v or "")
        return float(m.group(1)) if m else None

    w, h = num(root.get("width")), num(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (not w or not h) and len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
        except ValueError:
            w = h = None
    return (max(1, round(w)), max(1, round(h))) if w and h else (256, 256)


def process(src: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Every variant of ``src``: the manifest and the files (name → bytes). An SVG is copied as it
    is (it scales by itself)."""
    if src.suffix.lower() == ".svg":
        size = svg_size(src)
        if size is None:
            raise ValueError("not an SVG document")
        w, h = size
        return {"w": w, "h": h, "ext": "svg", "variants": [[w, h]], "settings": settings()}, {f"{w}.svg": src.read_bytes()}
    from PIL import Image, ImageOps

    with Image.open(src) as opened:
        fmt = opened.format or "PNG"
        animated = getattr(opened, "is_animated", False)
        orientation = opened.getexif().get(0x0112, 1)
        w0, h0 = opened.size
        if orientation in (5, 6, 7, 8):
            w0, h0 = h0, w0
        if fmt in ("JPEG", "MPO"):
            opened.draft("RGB", (max(WIDTHS), max(WIDTHS)))
        if animated:
            opened.seek(0)
        icc = opened.info.get("icc_profile")
        im = ImageOps.exif_transpose(opened)
        im.load()
    ext = FORMATS.get(fmt, "png")
    if ext == "jpg":
        im = im.convert("RGB")
    elif im.mode not in ("RGB", "RGBA", "L", "LA"):
        im = im.convert("RGBA" if "transparency" in im.info or im.mode in ("P", "PA") else "RGB")
    files: dict[str, bytes] = {}
    variants = []
    extra = {"icc_profile": icc} if icc else {}
    source = im
    for w in sorted(widths_for(w0), reverse=True):  # each size from the next larger one: less work
        h = max(1, round(w * h0 / w0))
        v = source.copy() if source.size == (w, h) else source.resize((w, h), Image.Resampling.LANCZOS)
        source = v
        v = _clean(v.copy())
        if ext == "jpg":
            files[f"{w}.jpg"] = _save(v, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
        elif ext == "png":
            files[f"{w}.png"] = _save(v, "PNG", **extra)
        files[f"{w}.webp"] = _save(v, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
        variants.append([w, h])
    variants.sort()
    manifest = {"w": variants[-1][0], "h": variants[-1][1], "ext": ext, "variants": variants, "settings": settings()}
    return manifest, files


def _save(im: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def _process_job(src: str) -> tuple[dict[str, Any] | None, dict[str, bytes], str]:
    """Runs in a worker: (manifest, files, "") or (None, {}, why it failed)."""
    try:
        manifest, files = process(Path(src))
    except Exception as exc:  # noqa: BLE001 - a broken photo must not stop the build
        return None, {}, f"{type(exc).__name__}: {exc}"
    return manifest, files, ""


def _store(folder: Path, manifest: dict[str, Any], files: dict[str, bytes]) -> None:
    """Write one cache entry atomically (a folder renamed into place)."""
    tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    (tmp / "info.json").write_text(json.dumps(manifest), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)


def _imageset(key: str, info: dict[str, Any]) -> ImageSet | None:
    if info.get("settings") != settings():
        return None
    return ImageSet(key, info["w"], info["h"], info["ext"], [tuple(v) for v in info["variants"]])


def _load(key: str, folder: Path) -> ImageSet | None:
    try:
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _imageset(key, info)


def prepare(root: Path, site: Site, drafts: bool = False, workers: int = 1, write_cache: bool = True,
            previous: Media | None = None) -> Media:
    """Process (or take from the cache) every image the published pages use.

    With ``write_cache`` False (``check``, ``--no-cache``) new results stay in memory. The preview
    runs this stage on every save and hands in its ``previous`` result: an image whose content
    key it already holds is taken from there, without reading the cache folder again.
    """
    media = Media(root, cache=root / CACHE_DIR)
    wanted: dict[Path, None] = {}
    for doc in _docs(site, drafts):
        refs = shown(doc)
        if refs:
            path = root / doc.path
            for src in refs:
                wanted[resolve(path, src)] = None
    keys: dict[Path, str] = {}
    for p in wanted:
        try:
            keys[p] = source_key(p)
        except OSError:
            continue
    todo: list[Path] = []
    known = {s.key: s for s in previous.sets.values()} if previous is not None else {}
    for p, key in keys.items():
        got = known.get(key)
        if got is not None and previous is not None:
            if key in previous.blobs:
                media.blobs[key] = previous.blobs[key]
        else:
            got = _load(key, media.cache / key)
        if got is None:
            todo.append(p)
        else:
            media.sets[p] = got
    if todo:
        jobs = [str(p) for p in todo]
        if workers > 1 and worth(len(todo), _MIN_PARALLEL):
            with worker_pool(min(workers, len(todo))) as pool:
                results = list(pool.map(_process_job, jobs))
        else:
            results = [_process_job(j) for j in jobs]
        if write_cache:
            try:
                media.cache.mkdir(parents=True, exist_ok=True)
                ignore = media.cache.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("*\n", encoding="utf-8")
            except OSError:
                write_cache = False
        for p, (manifest, files, why) in zip(todo, results, strict=True):
            if manifest is None:
                media.failed[p] = why
                continue
            key = keys[p]
            s = _imageset(key, manifest)
            if s is None:  # pragma: no cover - manifest written with these settings just now
                continue
            media.sets[p] = s
            media.blobs[key] = files
            if write_cache:
                with contextlib.suppress(OSError):
                    _store(media.cache / key, manifest, files)
        if write_cache:
            _prune(media.cache, set(keys.values()))
    site.__dict__["_media"] = media
    return media


def _prune(cache: Path, used: set[str]) -> None:
    """Drop cache entries made with other settings (they can never be used again)."""
    for folder in cache.iterdir():
        if folder.name in used or not folder.is_dir():
            continue
        try:
            made_with = json.loads((folder / "info.json").read_text(encoding="utf-8")).get("settings")
        except (OSError, ValueError):
            made_with = None
        if made_with != settings():
            shutil.rmtree(folder, ignore_errors=True)


def media_of(site: Site) -> Media | None:
    return site.__dict__.get("_media")


def output_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """Every processed file, as (site path, bytes), from the cache."""
    media = media_of(site)
    if media is None:
        return
    seen: set[str] = set()
    for s in sorted(media.sets.values(), key=lambda s: s.key):
        if s.key in seen:
            continue
        seen.add(s.key)
        blobs = media.blobs.get(s.key)
        folder = media.cache / s.key
        names = [f"{w}.{s.ext}" for w, _ in s.variants]
        if s.ext not in ("webp", "svg"):
            names += [f"{w}.webp" for w, _ in s.variants]
        for name in names:
            data = blobs[name] if blobs is not None else (folder / name).read_bytes()
            yield f"{MEDIA_DIR}{s.key}-{name}", data
