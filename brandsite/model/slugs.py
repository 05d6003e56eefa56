"""Pinyin slugs and pinyin sort order for Chinese names.

URLs must be ASCII, readable and stable: ``法官妈妈`` and ``法官媽媽`` both become ``faguan-mama``
(the name is folded to Simplified first), so the two scripts of one brand collide
loudly instead of publishing two pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

from brandsite.core.script import fold

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
MAX_SLUG = 60


@cache
def _rjieba() -> ModuleType:
    """rjieba, imported on the first name that must be segmented (0.11 s: its dictionary); a site
    whose branches all have ``slug:`` and whose tags are ASCII never pays for it."""
    import rjieba

    return rjieba


@cache
def pinyin_library() -> Any:
    """pypinyin, imported on the first reading asked for (0.14 s: its phrase and character tables),
    with the court phrases below taught: every reading (slugs, sort keys, search keys) goes through here.

    ``PYPINYIN_NO_DICT_COPY`` spares the copy of both tables made so that custom phrases would
    not touch the module's own dicts; we add ours (below) to the module's dicts, which no other
    code in this process reads, so the readings are the same."""
    import os

    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    import pypinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg import mmseg

    # What ``load_phrases_dict`` does, but the segmenter learns only our words: it would train
    # again on all 47,000 phrases (22 ms), whose prefixes it already holds.
    PHRASES_DICT.update(COURT_PHRASES)
    mmseg.seg.train(COURT_PHRASES)
    return pypinyin


# 调 of 调解 (tiáo), not of 调查 (diào), in the court words pypinyin does not know
COURT_PHRASES = {"诉调": [["sù"], ["tiáo"]], "善调": [["shàn"], ["tiáo"]], "访调": [["fǎng"], ["tiáo"]]}


def preload() -> None:
    """Import both now: before a pool forks, so that its workers inherit them instead of each
    importing its own."""
    _rjieba()
    pinyin_library()


def _syllables(run: str) -> list[str]:
    py = pinyin_library()
    return [s for s in py.lazy_pinyin(run, style=py.Style.NORMAL, errors="ignore") if s]


_MAX_WORD = 6  # longest dictionary word tried when re-segmenting
_MAX_RESEGMENT = 14  # longer runs keep jieba's segmentation (the search below is exponential)


def _is_word(w: str) -> bool:
    # "之" + one character (之声, 之窗, 之家) reads as one word in brand names; jieba lacks most
    return len(w) == 1 or (len(w) == 2 and w[0] == "之") or _rjieba().has_word(w)


def _segmentations(run: str, i: int = 0) -> Iterator[list[str]]:
    if i == len(run):
        yield []
        return
    for j in range(i + 1, min(len(run), i + _MAX_WORD) + 1):
        if _is_word(run[i:j]):
            for rest in _segmentations(run, j):
                yield [run[i:j], *rest]


def _cost(seg: list[str]) -> tuple[int, ...]:
    """Brand names are built from two-character words (金秤|纽带, 古城|热线, 格桑|园丁): cover as
    much as possible with them, then leave the fewest and least isolated single characters,
    then split four-character compounds (合法|权益), then use the fewest words."""
    single = [len(w) == 1 for w in seg]
    isolated = sum(
        1 for k, s in enumerate(single)
        if s and not (k and single[k - 1]) and not (k + 1 < len(seg) and single[k + 1])
    )
    return (-sum(len(w) == 2 for w in seg), sum(single), isolated, sum(len(w) >= 4 for w in seg), len(seg))


def _cut(run: str) -> list[str]:
    """Words of a CJK run.

    jieba's segmentation is kept when it is all two- and three-character words (法官|妈妈,
    雷锋式|党支部). Otherwise its longest-match choice often reads a name wrongly (金|秤纽|带,
    初|心花|开, 热线服务|站), and the run is segmented again over jieba's dictionary by
    :func:`_cost`. A trailing 之 goes to what follows (山海之|路 → 山海|之路)."""
    words = list(_rjieba().cut(run, hmm=False))
    if len(run) <= _MAX_RESEGMENT and not all(2 <= len(w) <= 3 for w in words):
        words = min(_segmentations(run), key=lambda seg: (_cost(seg), seg != words))
    out: list[str] = []
    for w in words:
        if len(w) >= 3 and w.endswith("之"):
            out += [w[:-1], "之"]
        else:
            out.append(w)
    return out


#: characters that link two words of a brand name and read as a word of their own (法官|进|网格,
#: 三心|系|天平, 宣传|赶|大集); the segmenter glues them to a neighbour (心系, 进村, 进社区)
_LINKS = frozenset("进系赶暨")
#: words a linking character does begin (进步, 系统 …): no split there
_LINK_WORDS = frozenset({"进步", "进行", "进取", "进化", "进修", "进一", "系统", "系列", "赶超"})


#: lone characters that read with the word after them (法官|大讲堂, 廉政建设|大讲堂)
_PREFIXES = frozenset("大")

def _linked(run: str) -> list[str]:
    """``run`` cut at its linking characters, when both sides are words of two or more characters."""
    parts: list[str] = []
    start = 0
    for i, ch in enumerate(run):
        if ch in _LINKS and i - start >= 2 and len(run) - i - 1 >= 2 and run[i : i + 2] not in _LINK_WORDS:
            parts += [run[start:i], ch]
            start = i + 1
    return [*parts, run[start:]]


def _words(run: str) -> list[str]:
    """Segment a CJK run into words (jieba's dictionary, via the Rust port rjieba).

    Characters jieba leaves on their own are grouped the way a reader would: a lone one is
    a suffix of the word before it (实践站 → shijianzhan, 先锋行 → xianfengxing), a run of
    them — a personal name or words the dictionary lacks — is read in pairs with an odd one
    joining the last (褚夫课 → chufuke, 护苗之窗 → humiao-zhichuang).
    """
    out: list[str] = []
    single: list[str] = []

    def flush() -> None:
        if len(single) == 1 and out:
            out[-1] += single[0]
        elif single:
            pairs = ["".join(single[i : i + 2]) for i in range(0, len(single), 2)]
            if len(single) % 2 and len(pairs) > 1:
                pairs[-2:] = [pairs[-2] + pairs[-1]]
            out.extend(pairs)
        single.clear()

    for w in _cut(run):
        if len(w) == 1:
            single.append(w)
            continue
        if (len(single) == 1 and not out) or (single and single[-1] in _PREFIXES):
            w = single.pop() + w  # a lone leading character, or 大 of 大讲堂, reads with the next word
        flush()
        out.append(w)
    flush()
    return out


@lru_cache(maxsize=8192)
def slugify(name: str) -> str:
    """ASCII slug of a Chinese/mixed name; '' when nothing usable is left."""
    text = unicodedata.normalize("NFKC", fold(name)).lower()
    words: list[str] = []
    pos = 0
    for m in _CJK.finditer(text):
        words += _ASCII_WORD.findall(text[pos : m.start()])
        words += ["".join(_syllables(w)) for part in _linked(m.group()) for w in _words(part)]
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
    if text.isascii():  # no reading to look up: lazy_pinyin gives such text back as it is
        return (text, name)
    py = pinyin_library()
    return (" ".join(py.lazy_pinyin(text, style=py.Style.TONE3, errors="default")), name)
