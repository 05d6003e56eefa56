"""A generated emblem for every brand without a logo: two characters of its name on a seal in
one of the theme's colours, distinct across the site.

Why two characters and a colour: with one character on one red seal, 4 of the sample's 23
brands showed 党 and 4 showed 法, and the grid looked uniform. A brand's first choice is the
first two (Chinese) characters of its name in the colour its name hashes to; when another
brand already shows those characters (brands are taken in slug order), the next pair (first
with third, …); when every pair is taken, a free colour. No two emblems on a site are the same.

Only the brands that could not have their first choice depend on other brands; that list
(:func:`deviations`) is part of every page's fingerprint (fingerprint.py, incremental.py),
so a warm build re-renders pages when an edit elsewhere moves an emblem.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brandsite.model.site import Site

#: seal colours of the theme (white text on each is at least 7:1); style.css .em-0 … .em-7
COLOURS = 8


@dataclass(frozen=True)
class Emblem:
    text: str  # one or two characters
    colour: int  # 0 … COLOURS - 1

    @property
    def css(self) -> str:
        return f"em-{self.colour}"


def _letters(name: str) -> list[str]:
    """The characters an emblem may show: the Chinese ones when there are two, else letters and digits."""
    cs = [c for c in name if unicodedata.category(c)[0] in "LN"]
    han = [c for c in cs if unicodedata.name(c, "").startswith("CJK")]
    return han if len(han) >= 2 else cs


def _pairs(name: str) -> Iterator[str]:
    """Candidate texts: the first two characters, then the first with each later one, then others."""
    cs = _letters(name) or [name[:1] or "品"]
    if len(cs) == 1:
        yield cs[0]
        return
    seen: set[str] = set()
    order = [(0, j) for j in range(1, len(cs))] + [(i, j) for i, j in itertools.combinations(range(1, len(cs)), 2)]
    for i, j in order:
        text = cs[i] + cs[j]
        if text not in seen:
            seen.add(text)
            yield text


def _colour(name: str) -> int:
    return hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest()[0] % COLOURS


def first_choice(name: str) -> Emblem:
    return Emblem(next(_pairs(name)), _colour(name))


def assign(brands: list[tuple[str, str]]) -> dict[str, Emblem]:
    """(slug, brand name) pairs → a distinct emblem each (deterministic: slug order)."""
    used: set[Emblem] = set()
    out: dict[str, Emblem] = {}
    texts: set[str] = set()
    for slug, name in sorted(brands):
        start = _colour(name)
        # characters no other brand shows, in the brand's own colour; else any free colour
        chosen = next((Emblem(t, start) for t in _pairs(name) if t not in texts), None)
        if chosen is None:
            free = (Emblem(t, (start + k) % COLOURS) for t in _pairs(name) for k in range(COLOURS))
            chosen = next((e for e in free if e not in used), None)
        if chosen is None:  # every pair in every colour taken: the slug's first letters, still distinct
            n = 0
            while chosen is None or chosen in used:
                chosen = Emblem(f"{slug[:1].upper()}{n}", start)
                n += 1
        used.add(chosen)
        texts.add(chosen.text)
        out[slug] = chosen
    return out


def table(site: Site) -> dict[str, Emblem]:
    """The emblem of every branch of the site (computed once per site object)."""
    got = site.__dict__.get("_emblems")
    if got is None:
        got = assign([(b.slug, b.brand) for b in site.branches])
        site.__dict__["_emblems"] = got
    return got


def deviations(site: Site) -> list[tuple[str, str, int]]:
    """The brands whose emblem is not their first choice: the only way one brand's emblem
    depends on others."""
    names = {b.slug: b.brand for b in site.branches}
    return sorted((slug, e.text, e.colour) for slug, e in table(site).items() if e != first_choice(names[slug]))


def lookup(site: Site) -> Any:
    """``emblem_of(branch)`` for templates."""
    emblems = table(site)

    def emblem_of(b: Any) -> Emblem:
        return emblems.get(b.slug) or first_choice(b.brand)

    return emblem_of


def keep_script(name: str) -> bool:
    """Whether a brand name is written in Traditional: its emblem's characters then stay as
    written on Traditional pages too, like the name (hant.py protects names, not pieces)."""
    from brandsite.core.script import is_traditional

    return is_traditional(name)
