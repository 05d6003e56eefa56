"""Pinyin slugs and pinyin sort order for Chinese names.

URLs must be ASCII, readable and stable: ``法官妈妈`` and ``法官媽媽`` both become ``faguan-mama``
(the name is folded to Simplified first), so the two scripts of one brand collide
loudly instead of publishing two pages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import rjieba
from pypinyin import Style, lazy_pinyin

from .script import fold

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
MAX_SLUG = 60


def _syllables(run: str) -> list[str]:
    return [s for s in lazy_pinyin(run, style=Style.NORMAL, errors="ignore") if s]


def _words(run: str) -> list[str]:
    """Segment a CJK run into words (jieba's dictionary, via the Rust port rjieba).

    Runs of single characters — usually a personal name (褚夫课) or an abbreviation — stay
    together as one word, so 褚夫课法官工作室 → chufuke-faguan-gongzuoshi.
    """
    out: list[str] = []
    single = ""
    for w in rjieba.cut(run, hmm=False):
        if len(w) == 1:
            single += w
            continue
        if single:
            out.append(single)
            single = ""
        out.append(w)
    if single:
        out.append(single)
    return out


@lru_cache(maxsize=8192)
def slugify(name: str) -> str:
    """ASCII slug of a Chinese/mixed name; '' when nothing usable is left."""
    text = unicodedata.normalize("NFKC", fold(name)).lower()
    words: list[str] = []
    pos = 0
    for m in _CJK.finditer(text):
        words += _ASCII_WORD.findall(text[pos : m.start()])
        words += ["".join(_syllables(w)) for w in _words(m.group())]
        pos = m.end()
    words += _ASCII_WORD.findall(text[pos:])
    slug = "-".join(w for w in words if w)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    return slug


@lru_cache(maxsize=8192)
def pinyin_key(name: str) -> tuple[str, str]:
    """Sort key: pinyin (as a Chinese reader expects an index to run), then the name itself."""
    text = unicodedata.normalize("NFKC", fold(name)).lower()
    return (" ".join(lazy_pinyin(text, style=Style.TONE3, errors="default")), name)
