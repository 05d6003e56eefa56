"""Search tokens: the script fold, character runs, bigrams, shards and pinyin keys of brand names.

These rules are shared with ``assets/search.js``, which must cut a query exactly as the index was
cut; they live apart from building the index files so that both sides of that contract read in one
place.
Folding is character by character with a table taken from OpenCC's t2s, applied the same
way here and in ``assets/search.js`` (which receives the part of the table the site needs),
so it keeps string lengths: a match position in the folded text is the position in the
text as written, which is what the excerpt highlighting needs.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from functools import lru_cache

from brandsite.core.script import converter
from brandsite.model.slugs import pinyin_library

_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_RUN_RE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """Character → its folded form: OpenCC t2s per character (BMP to BMP only), full-width
    ASCII to ASCII, and ASCII letters to lower case. Never changes a string's length."""
    t2s = converter("t2s")
    chars = [chr(c) for a, b in _CJK_RANGES for c in range(a, b)]
    conv = t2s.convert("\n".join(chars)).split("\n")
    if len(conv) != len(chars):  # pragma: no cover - OpenCC keeps newlines; be safe anyway
        conv = [t2s.convert(c) for c in chars]
    table = {c: s for c, s in zip(chars, conv, strict=True) if len(s) == 1 and s != c and ord(s) < 0x10000}
    for c in range(0xFF01, 0xFF5F):
        table[chr(c)] = chr(c - 0xFEE0).lower()
    for c in range(ord("A"), ord("Z") + 1):
        table[chr(c)] = chr(c).lower()
    return table


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return str.maketrans(fold_table())


@lru_cache(maxsize=1)
def _folder() -> Callable[[str], str]:
    from brandsite.core.script import translator

    return translator(_translation())


def fold(text: str) -> str:
    """The search form of ``text``: Simplified, lower-case, half-width; same length.

    A regular expression over the table's characters replaces only those a text has (about
    130 in a 3,000-character story): ``str.translate`` looked every character up in the
    dict, 4× slower on a mainly Simplified site (search index of 1,000 branches)."""
    return _folder()(text)


def runs(folded: str) -> list[str]:
    """Runs of letters and digits (CJK included); everything else separates them."""
    return _RUN_RE.findall(folded)


def bigrams(folded: str) -> set[str]:
    r"""Every pair of adjacent characters inside a run, built and kept in C (map, filter):
    ``str.isalnum`` of a pair holds exactly when both are ``[^\W_]``, the run characters."""
    return set(filter(str.isalnum, map(operator.add, folded, folded[1:])))


def shard_of(token: str, shards: int) -> int:
    """The shard of a token: of its last two characters, so ``^ab``, ``~ab`` and ``ab`` share one."""
    return (ord(token[-2]) * 31 + ord(token[-1])) % shards


@lru_cache(maxsize=8192)
def _readings(ch: str) -> tuple[str, ...]:
    """Every reading of one character (a brand name's characters repeat across a large site)."""
    py = pinyin_library()
    return tuple(py.pinyin(ch, style=py.Style.NORMAL, heteronym=True)[0])


def pinyin_keys(name: str) -> list[str]:
    """A brand name's full pinyin and its initials, lower case, letters and digits only:
    法官妈妈 → faguanmama, fgmm. Visitors on a phone keyboard type these. A character with
    several readings gives each (善调: shandiao and shantiao), up to eight spellings."""
    from itertools import product

    py = pinyin_library()  # (the court phrases taught, whichever process asks first)
    text = fold(name)
    first = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in py.lazy_pinyin(text, style=py.Style.NORMAL, errors="default")]
    # each character's readings on its own: a phrase the slugs teach pypinyin (善调 → shantiao)
    # must not hide the reading a visitor may type (shandiao)
    chars = re.findall(r"[\u3400-\u9fff]|[^\u3400-\u9fff]+", text)
    if len(chars) != len(first):
        chars = [""] * len(first)
    readings: list[list[str]] = []
    for best, ch in zip(first, chars, strict=True):
        own = _readings(ch) if len(ch) == 1 else ()
        alts = [a for a in dict.fromkeys([best, *(re.sub(r"[^a-z0-9]", "", a.lower()) for a in own)]) if a]
        if alts:
            readings.append(alts)
    keys: list[str] = []
    for i, sylls in enumerate(product(*readings)):
        if i == 8:
            break
        keys.append("".join(sylls))
        keys.append("".join(s if s[0].isdigit() else s[0] for s in sylls))
    return [k for k in dict.fromkeys(keys) if len(k) >= 2]
