"""Pinned behaviour of slugs and sort keys: the mechanics, not the word choices.

``slugify`` and ``pinyin_key`` sit under ``lru_cache``, which mutmut 3 does not mutate, and
they decide every page address, so their behaviour gets table tests of its own: one-character
runs, characters the dictionary lacks (paired, the odd one joining), the trailing-之 rules,
the resegmentation bound, ASCII mixed in, the length limit. How compound brand names split
into words is deliberately left to ``test_slugs.py`` (it is being made more natural).
Survivors judged equivalent: ``tests/mutation-equivalent.md``.
"""

from __future__ import annotations

import pytest

from brandsite.model.slugs import MAX_SLUG, pinyin_key, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        # one-character CJK runs never crash and read with their neighbour
        ("和·美法庭", "he-meifating"),
        ("和", "he"),
        ("之", "zhi"),
        ("A和B", "a-he-b"),
        ("和 美", "he-mei"),
        # characters the dictionary lacks: read in pairs, an odd one joins the last pair
        ("犇", "ben"),
        ("犇犇", "benben"),
        ("犇淼鑫", "benmiaoxin"),
        ("犇淼鑫垚", "benmiao-xinyao"),
        ("犇淼鑫垚森", "benmiao-xinyaosen"),
        # a lone unknown character is a suffix of the word before it, or a prefix of the next
        ("法庭犇", "fatingben"),
        ("法官犇妈妈", "faguanben-mama"),
        ("犇法庭", "benfating"),
        # 之 + one character is one word; a 之 that jieba glues to the word before moves on
        ("石榴籽之声", "shiliuzi-zhisheng"),
        ("护苗之窗", "humiao-zhichuang"),
        ("山海之路", "shanhai-zhilu"),
        ("法院之家", "fayuan-zhijia"),
        ("之声", "zhisheng"),
        ("法庭之", "fatingzhi"),
        # ASCII, compatibility forms and digits
        ("e家", "e-jia"),
        ("Ⅻ法庭", "xii-fating"),
        ("ｅ法庭", "e-fating"),
        ("法庭2024", "fating-2024"),
        ("法官·妈妈", "faguan-mama"),
        ("", ""),
        ("·", ""),
    ],
)
def test_slug_mechanics(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_run_of_exactly_fourteen_characters_is_still_resegmented() -> None:
    """jieba alone reads 金|秤纽|带; runs up to 14 characters get the natural reading."""
    run = "金秤纽带" * 3 + "调解"
    assert len(run) == 14
    assert slugify(run) == "jincheng-niudai-jincheng-niudai-jincheng-niudai-tiaojie"


def test_trailing_zhi_moves_on_in_a_run_too_long_to_resegment() -> None:
    """Past 14 characters jieba's reading (山海之|路) is kept; its trailing 之 still goes to 路."""
    run = "山海之路党建引领法官妈妈工作室"
    assert len(run) == 15
    assert slugify(run) == "shanhai-zhilu-dangjian-yinling-faguan-mama-gongzuoshi"
    # ... and the words before it stay
    assert slugify("新时代" + run[:4] + "法官妈妈工作室党支部") == "xinshidai-shanhai-zhilu-faguan-mama-gongzuoshi-dangzhibu"


@pytest.mark.parametrize("rare", ["㐂", "㐃", "㐇"])  # CJK Extension A characters without a reading in pypinyin
def test_characters_without_a_reading_leave_the_slug_ascii(rare: str) -> None:
    assert slugify(f"法庭{rare}调解") == "fating-tiaojie"
    assert slugify(rare) == ""


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("a" * MAX_SLUG, "a" * MAX_SLUG),  # exactly the limit: kept
        ("a" * (MAX_SLUG + 1), "a" * MAX_SLUG),  # one word too long: cut hard
        ("x" * 59 + " yy", "x" * 59),  # cut at the last whole word
        ("法官妈妈" * 8, "faguan-mama-faguan-mama-faguan-mama-faguan-mama-faguan-mama"),
    ],
)
def test_slug_length_limit(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert len(slugify(name)) <= MAX_SLUG


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("和美", ("he2 mei3", "和美")),
        ("法官媽媽", ("fa3 guan1 ma1 ma1", "法官媽媽")),  # read as Simplified, keeps its own name
        ("ABC法庭", ("abc fa3 ting2", "ABC法庭")),
        ("Ａ法庭", ("a fa3 ting2", "Ａ法庭")),
    ],
)
def test_pinyin_key(name: str, key: tuple[str, str]) -> None:
    assert pinyin_key(name) == key

