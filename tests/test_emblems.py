"""Generated emblems: two characters on a seal in a theme colour, distinct across the site."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import branch_text, make_small_site

from brandsite.features import emblems

REPO = Path(__file__).resolve().parent.parent
EMBLEM = re.compile(r'<svg class="emblem (em-\d)[^"]*"[^>]*data-emblem="([^"]+)"[^>]*>.*?<text[^>]*>([^<]+)</text></svg>', re.S)


def _card_emblems(page: Path) -> dict[str, tuple[str, str, str]]:
    """Brand page address → (css class, data-emblem, text shown) of every card on a list page."""
    html = page.read_text(encoding="utf-8")
    out = {}
    for card in re.findall(r'<article class="card".*?</article>', html, re.S):
        href = re.search(r'class="card-title"><a href="([^"]+)"', card).group(1)
        logo = re.search(r'<span class="emblem emblem-logo">.*?<img src="([^"]+)"', card, re.S)
        if logo:  # the brand's own logo
            out[href] = ("logo", "", logo.group(1))
            continue
        m = EMBLEM.search(card)
        assert m, card[:300]
        out[href] = m.groups()
    return out


def test_no_two_emblems_on_a_site_are_the_same(tmp_path, cli):
    """Brands whose names start alike (党建…, 法官…) still get emblems that differ, in both scripts."""
    s = make_small_site(tmp_path / "src")
    names = ["党建引领", "党建先锋", "党建护航", "党建+", "党建“135”工作法", "法官妈妈工作室", "法官爸爸", "六六调解", "六钢"]
    for i, name in enumerate(names):
        s.branch(f"b{i}", branch_text(name, "xuyi", f"slug: b{i}"))
    assert cli("--root", s.root).code == 0
    cards = _card_emblems(s.site / "branches" / "index.html")
    assert len(cards) >= len(names)
    identities = [(cls, text) for cls, _data, text in cards.values()]
    assert len(set(identities)) == len(identities), identities
    assert all(t in "".join(names) + "法官妈妈" or len(t) == 2 for _c, t in identities)
    # every page shows a brand with the same emblem: its own page, its card
    own = (s.site / "branches" / "b0" / "index.html").read_text(encoding="utf-8")
    data = next(v[1] for k, v in cards.items() if k.endswith("b0/index.html"))
    assert f'data-emblem="{data}"' in own


def test_sample_site_emblems_are_distinct(tmp_path, cli):
    out = tmp_path / "site"
    assert cli("--root", REPO, "--out", out, "--no-cache").code == 0
    cards = _card_emblems(out / "branches" / "index.html")
    assert len(cards) >= 20
    shown = [(cls, text) for cls, _d, text in cards.values()]
    assert len(set(shown)) == len(shown), sorted(shown)
    assert len({text for _c, text in shown}) >= len(shown) - 2  # nearly all by their characters alone
    # the sample shows a designed logo or photos for at least a third of its brands
    listing = (out / "branches" / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<article class="card".*?</article>', listing, re.S)
    rich = [c for c in cards if "emblem-logo" in c or 'class="card-cover"' in c]
    assert len(rich) * 3 >= len(cards), (len(rich), len(cards))


def test_assignment_prefers_other_characters_then_other_colours():
    got = emblems.assign([("a", "党建引领"), ("b", "党建先锋"), ("c", "党建"), ("d", "党建")])
    assert got["a"].text == "党建" and got["b"].text == "党先"  # first with third character
    assert got["c"].text == got["d"].text == "党建" and len({got["a"], got["c"], got["d"]}) == 3
    # a brand taken later in slug order never moves an earlier one
    assert emblems.assign([("a", "法官妈妈")])["a"] == emblems.assign([("a", "法官妈妈"), ("z", "法官妈妈")])["a"]
