"""Hints about the pictures editors reference: a file name that differs only in case or extension,
and alt texts that say nothing about the picture.

Why a module of its own: both the loader (a cover's alt text, checked with its one file) and the
image stage (does the file exist?) ask these questions, and they must ask them the same way.
"""

from __future__ import annotations

import re
from pathlib import Path


def did_you_mean(folder: Path, ref: str) -> str:
    """A hint naming the file an editor most likely meant: one beside the missing one whose name
    differs only in letter case or extension (sanxin.jpg for SanXin.JPG, .jpeg for .jpg). Windows
    ignores case, the web server does not, so the page would break only once published."""
    target = folder / ref
    try:
        candidates = sorted(p for p in target.parent.iterdir() if p.is_file())
    except OSError:
        return ""
    stem = target.stem.lower()
    for p in candidates:
        if p.stem.lower() == stem and p.name != target.name:
            shown = ref[: len(ref) - len(target.name)] + p.name
            return f"。是不是“{shown}”？文件名的大小写和扩展名要与实际文件完全一致"
    return ""


#: alt texts that say nothing about the picture (a screen reader would read just "照片")
WEAK_ALTS = frozenset({"照片", "图片", "图像", "相片", "封面", "封面图", "配图", "插图", "示意图", "截图", "图",
                       "image", "img", "photo", "picture", "pic", "cover"})


def weak_alt(alt: str) -> str | None:
    """Why ``alt`` does not describe its picture, or None when it may."""
    text = alt.strip().strip("。.")
    if text.lower() in WEAK_ALTS or re.fullmatch(r"[\w-]+\.(?:jpe?g|png|gif|webp)", text, re.I):
        return (f"图片说明“{alt.strip()}”没有说出图片里是什么：读屏软件会只读出这几个字。请写一句描述，"
                "如“法官在社区为居民讲解民法典”")
    return None
