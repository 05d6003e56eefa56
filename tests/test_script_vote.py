"""``script.is_traditional`` (which script a page is written in) skips the Simplified→Traditional
conversion when the Traditional→Simplified one changes nothing (issue 14: the vote cannot go to
Traditional then, and s2t costs several times t2s). It must give the plain vote's answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from brandsite.core import script

#: shared by both scripts, Simplified-only, Traditional-only, phrase-dependent (后/後, 发/髮/發, 台/臺), ASCII
ALPHABET = "的人民法院党支部服务调解" + "听断案乡村湾个" + "聽斷案鄉灣個" + "后後皇发髮發台臺里裏" + "ab1 ，。\n"


def plain_vote(text: str) -> bool:
    """The vote as first written: both conversions, every differing position counted."""
    if not text:
        return False
    simp = script._t2s(text)
    trad = script._s2t(text)
    trad_only = sum(1 for a, b in zip(text, simp, strict=False) if a != b)
    simp_only = sum(1 for a, b in zip(text, trad, strict=False) if a != b)
    return trad_only > simp_only


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_vote_equals_the_plain_vote(text: str) -> None:
    assert script.is_traditional(text) is plain_vote(text)


def test_the_vote_on_written_pages() -> None:
    cases = {
        "「聽我斷案」是法官們在講台上講述的故事，鄰裏都來聽。": True,
        "善调乡村党支部在村里调解纠纷。": False,
        "皇后與太后": True,
        "皇后和太后": False,
        "": False,
        "abc 123": False,
    }
    for text, expected in cases.items():
        assert script.is_traditional(text) is expected is plain_vote(text), text
