"""Simplified/Traditional script handling (OpenCC), shared by slugs, vocabulary and search.

Editors paste Traditional text (聽我斷案) next to Simplified; identity comparisons
(slugs, metric names, duplicate brands) must treat both scripts as the same word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc


@lru_cache(maxsize=8)
def converter(config: str) -> opencc.OpenCC:
    """OpenCC's converter for ``config``, made on first use and shared by every module: loading
    the tables costs 7 ms (t2s) and 45 ms (s2t), and a site in Simplified only never needs s2t."""
    import opencc

    return opencc.OpenCC(config)


def _t2s(text: str) -> str:
    return converter("t2s").convert(text)


def _s2t(text: str) -> str:
    return converter("s2t").convert(text)


def preload() -> None:
    """Load both tables now: before a pool forks, so that its workers share them instead of
    each loading its own."""
    converter("t2s")
    converter("s2t")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The Simplified form used as the identity of a name in either script."""
    return text if text.isascii() else _t2s(text)


def to_traditional(text: str) -> str:
    return text if text.isascii() else _s2t(text)


def is_traditional(text: str) -> bool:
    """True when text is mostly written in Traditional characters.

    Counts characters that t2s changes (Traditional-only) against those s2t changes
    (Simplified-only); characters shared by both scripts do not vote.
    """
    if not text or text.isascii():
        return False
    simp = _t2s(text)
    trad_only = sum(map(str.__ne__, text, simp))  # (zip's shortest length, as the pairs were counted)
    if not trad_only:  # nothing Traditional-only: False whatever s2t says (and s2t stays unloaded)
        return False
    trad = _s2t(text)
    simp_only = sum(map(str.__ne__, text, trad))
    return trad_only > simp_only


def fold_in_place(text: str) -> str:
    """Traditional → Simplified keeping the length, so a match position is a source position.

    OpenCC's phrase tables map character for character for practically all text; on the rare
    string where they do not, each character is converted on its own and any character whose
    conversion would change the length is kept as it is. Used by the publishing checks, whose
    findings must point at the exact line and column the editor wrote.
    """
    if text.isascii():
        return text
    folded = _t2s(text)
    if len(folded) == len(text):
        return folded
    out = []
    for ch in text:
        conv = _t2s(ch)
        out.append(conv if len(conv) == 1 else ch)
    return "".join(out)


def fold_lines(lines: list[str]) -> list[str]:
    """``fold_in_place`` of every line, with one OpenCC call for them all.

    The publishing checks read each line of every file folded: one call per file instead of
    one per line (and one fold shared by both checks). OpenCC never matches across a line
    break, so a line of the whole text's conversion is that line's conversion; a line whose
    length the conversion changed is folded on its own, as ``fold_in_place`` does."""
    joined = "\n".join(lines)
    if joined.isascii():
        return list(lines)
    folded = _t2s(joined).split("\n")
    if len(folded) != len(lines):
        return [fold_in_place(line) for line in lines]
    return [f if len(f) == len(line) else fold_in_place(line) for f, line in zip(folded, lines, strict=True)]


def translator(table: dict[int, str]) -> Callable[[str], str]:
    """``str.translate(table)`` for a few one-character replacements.

    ``translate`` looks every character of a non-ASCII string up in the dict; a regular
    expression over the few keys skips the rest in C (a page is converted several times faster)."""
    assert all(len(v) == 1 for v in table.values())
    if not table:
        return lambda text: text
    by_char = {chr(k): v for k, v in table.items()}
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(by_char)) + "]")

    def translate(text: str) -> str:
        return pattern.sub(lambda m: by_char[m.group()], text)

    return translate
