"""Images: the cover of a branch and every image in Markdown, relative to its source file.

Each image is decoded once (EXIF orientation applied), resized to the widths in
:data:`WIDTHS` that are not wider than the image itself (never upscaled), and written as
WebP plus its own format as the fallback (JPEG stays JPEG, PNG stays PNG), with no EXIF,
GPS, XMP or comments: phone photos carry the place they were taken. Names are content
hashes (``media/<hash>-<width>.<ext>``), so a changed photo gets a new name and old copies
in browser caches cannot show.

The processed files are cached across builds in ``ROOT/.brandsite-cache/images/<hash>/``;
the hash covers the source bytes and every setting below, so a cache entry can never be
stale. Pages show them as ``<picture>`` with ``srcset``, ``sizes``, ``width``/``height``
(no layout shift) and ``loading="lazy"`` except for the cover, which is above the fold.

:func:`check` runs with every load (``check``, ``build``, ``serve``) and reports, as
``path:line`` messages in Chinese, a missing image, a file over ``image_max_mb`` (default
20), a file that is not a picture, and an image without alt text.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html as htmlmod
import io
import json
import os
import posixpath
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote
from xml.etree import ElementTree  # (expat: no external entities, bounded entity expansion)

from markupsafe import Markup, escape

from brandsite.content import image_refs
from brandsite.core.workers import pool as worker_pool
from brandsite.core.workers import worth
from brandsite.features.feature import Feature

if TYPE_CHECKING:
    from PIL import Image

    from brandsite.core.diagnostics import Report
    from brandsite.model.page import Job
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
#: display widths for ``sizes``: the story column of the default theme (a theme passes its own to image())
SIZES = "(min-width: 1152px) 720px, calc(100vw - 2rem)"
#: Pillow formats we process, and the extension of the fallback file
FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
_IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
_ATTR_RE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
_MIN_PARALLEL = 2


# ------------------------------------------------------------------------------ references


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


# ------------------------------------------------------------------------------ checking


def _line_of(lines: list[str], needle: str, start: int = 0, default: int = 0) -> int:
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1
    return default


def _front_end(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


def check_file(path: Path, ref: str, max_mb: int) -> str | None:
    """Why ``path`` cannot be used as an image, or None."""
    if not path.is_file():
        return f"图片“{ref}”不存在：路径相对于本文件所在的文件夹"
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        return (f"图片“{ref}”有 {size / 1024 / 1024:.1f} MB，超过上限 {max_mb} MB：请先缩小或压缩后再放入"
                "（上限可在 data/site.yaml 的 image_max_mb 中调整）")
    if path.suffix.lower() == ".svg":
        return None if svg_size(path) else f"“{ref}”不是可用的 SVG 图片：请用设计软件重新导出为 SVG，或改用 PNG"
    from PIL import Image, UnidentifiedImageError  # (only a site with images pays for Pillow)

    try:
        with Image.open(path) as im:
            fmt = im.format or ""
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return f"“{ref}”不是可识别的图片文件：请使用 JPG、PNG、WebP 或 GIF 格式"
    if fmt not in FORMATS:
        return f"图片“{ref}”是 {fmt} 格式，网站不支持：请另存为 JPG 或 PNG"
    return None


def check(site: Site, report: Report) -> None:
    """Every image a page uses exists, is not too large, is a picture and has alt text."""
    root = report.root or Path(".")
    max_mb = getattr(site.config, "image_max_mb", 20) or 20
    for doc in _docs(site):
        refs = html_refs(doc.html) if "<img" in doc.html else []
        cover = getattr(doc, "cover", "")
        logo = getattr(doc, "logo", "")
        gallery = getattr(doc, "gallery", ())
        if not refs and not cover and not logo and not gallery:
            continue
        path = root / doc.path
        try:
            lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
        except (OSError, UnicodeDecodeError):
            lines = []
        body = _front_end(lines)
        if cover:
            line = next((i + 1 for i, ln in enumerate(lines[:body]) if re.match(r"\s*cover\s*:", ln)), 1)
            problem = check_file(resolve(path, cover), cover, max_mb)
            if problem:
                if problem.endswith("本文件所在的文件夹"):
                    problem += image_refs.did_you_mean(path.parent, cover)
                report.error(path, line, problem.replace("图片“", "封面图“", 1), "image")
        if logo:
            line = next((i + 1 for i, ln in enumerate(lines[:body]) if re.match(r"\s*logo\s*:", ln)), 1)
            problem = check_file(resolve(path, logo), logo, max_mb) if not logo.startswith("/") and not is_external(logo) \
                else f"品牌标志“{logo}”必须是本文件旁边的图片，请写相对路径，如 images/标志.svg"
            if problem:
                report.error(path, line, problem.replace("图片“", "品牌标志“", 1), "image")
        for photo in gallery:
            if photo.src.startswith("/") or is_external(photo.src):
                problem = f"照片“{photo.src}”必须是本文件旁边的图片，请写相对路径，如 images/照片.jpg"
            elif photo.src.lower().endswith(".svg"):
                problem = f"照片“{photo.src}”是 SVG 矢量图：活动照片请用 JPG 或 PNG"
            else:
                problem = check_file(resolve(path, photo.src), photo.src, max_mb)
            if problem:
                report.error(path, photo.line, problem.replace("图片“", "照片“", 1), "image")
        for src, alt, _tag in refs:
            line = _line_of(lines, src, body, body or 1)
            if is_external(src):
                if not src.startswith("data:"):
                    report.warning(path, line, f"图片“{src}”来自外部网站：发布后访客会向外部网站发出请求，"
                                   "请把图片下载后放在本文件旁边并使用相对路径", "image-external")
                continue
            if src.startswith("/"):
                report.error(path, line, f"图片路径“{src}”以 / 开头：请写相对于本文件的路径，如 images/照片.jpg", "image")
                continue
            if alt is None or not alt.strip():
                report.error(path, line, f"图片“{src}”缺少文字说明（alt）：请写成 ![图片内容的简短描述]({src})，"
                             "供读屏软件朗读", "image-alt")
            elif image_refs.weak_alt(alt):
                report.error(path, line, f"图片“{src}”的{image_refs.weak_alt(alt)}", "image-alt")
            problem = check_file(resolve(path, src), src, max_mb)
            if problem:
                if problem.endswith("本文件所在的文件夹"):
                    problem += image_refs.did_you_mean(path.parent, src)
                report.error(path, line, problem, "image")


# ------------------------------------------------------------------------------ processing


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


# ------------------------------------------------------------------------------ markup


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
