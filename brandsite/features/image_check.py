"""The images check: every image a page uses exists, is not too large, is a picture and has alt text.

It runs with every load (``check``, ``build``, ``serve``) and reports, as ``path:line`` messages
in Chinese, a missing image, a file over ``image_max_mb`` (default 20), a file that is not a
picture, and an image without alt text. It asks about files other than the source itself (does
the cover exist?), so it runs after loading, never inside a loader whose result is cached by
that one file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from brandsite.content import image_hints
from brandsite.features.image_process import FORMATS, svg_size
from brandsite.features.image_refs import _docs, html_refs, is_external, resolve

if TYPE_CHECKING:
    from brandsite.core.diagnostics import Report
    from brandsite.model.site import Site


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
                    problem += image_hints.did_you_mean(path.parent, cover)
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
            elif image_hints.weak_alt(alt):
                report.error(path, line, f"图片“{src}”的{image_hints.weak_alt(alt)}", "image-alt")
            problem = check_file(resolve(path, src), src, max_mb)
            if problem:
                if problem.endswith("本文件所在的文件夹"):
                    problem += image_hints.did_you_mean(path.parent, src)
                report.error(path, line, problem, "image")
