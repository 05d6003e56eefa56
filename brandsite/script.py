"""Simplified/Traditional script handling (OpenCC), shared by slugs, vocabulary and search.

Editors paste Traditional text (聽我斷案) next to Simplified; identity comparisons
(slugs, metric names, duplicate brands) must treat both scripts as the same word.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The Simplified form used as the identity of a name in either script."""
    return _T2S.convert(text)


def to_traditional(text: str) -> str:
    return _S2T.convert(text)


def is_traditional(text: str) -> bool:
    """True when text is mostly written in Traditional characters.

    Counts characters that t2s changes (Traditional-only) against those s2t changes
    (Simplified-only); characters shared by both scripts do not vote.
    """
    if not text:
        return False
    simp = _T2S.convert(text)
    trad = _S2T.convert(text)
    trad_only = sum(1 for a, b in zip(text, simp, strict=False) if a != b)
    simp_only = sum(1 for a, b in zip(text, trad, strict=False) if a != b)
    return trad_only > simp_only
