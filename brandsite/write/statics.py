"""Theme static files (CSS, JS, icons) copied to ``assets/``, minified on the way.

The site theme's files override the shipped theme's file by file, like templates.
CSS and JS are hand-written and small; a conservative minifier (comments and
indentation out, nothing clever) keeps them smaller without a build tool.
"""

from __future__ import annotations

import re
from pathlib import Path

from brandsite.render.pages import theme_dirs
from brandsite.write.inplace import InPlaceOutput
from brandsite.write.staging import StagedOutput

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE = re.compile(r"\s*([{};:,>])\s*")


def minify_css(text: str) -> str:
    text = _CSS_COMMENT.sub("", text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    text = " ".join(lines)
    text = _CSS_SPACE.sub(r"\1", text)
    return text.replace(";}", "}").strip() + "\n"


def minify_js(text: str) -> str:
    """Drop full-line // comments and indentation; never touches string contents mid-line."""
    out = []
    for ln in text.splitlines():
        s = ln.strip()
        if not s or s.startswith("//"):
            continue
        out.append(s)
    return "\n".join(out) + "\n"


def static_files(root: Path, theme: str) -> dict[str, Path]:
    """Relative name → source path, site theme first."""
    files: dict[str, Path] = {}
    for d in reversed(theme_dirs(root, theme)):
        static = d / "static"
        if not static.is_dir():
            continue
        for p in sorted(static.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                files[p.relative_to(static).as_posix()] = p
    return files


def copy_static(root: Path, theme: str, out: StagedOutput | InPlaceOutput) -> list[str]:
    """Copy (minifying CSS and JS); returns the output paths whose bytes changed."""
    changed = []
    for rel, src in sorted(static_files(root, theme).items()):
        target = "assets/" + rel
        if src.suffix == ".css":
            hit = out.write(target, minify_css(src.read_text(encoding="utf-8")))
        elif src.suffix == ".js":
            hit = out.write(target, minify_js(src.read_text(encoding="utf-8")))
        else:
            hit = out.copy(src, target)
        if hit:
            changed.append(target)
    return changed
