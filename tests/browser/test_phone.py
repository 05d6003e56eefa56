"""The showcase on a phone and at every width: figures that never break, a header that leaves room."""

from __future__ import annotations

import pytest

from .conftest import BRANCH, HOME, STATS

#: every width class from the smallest phone to a wide desktop
WIDTHS = [320, 360, 375, 414, 600, 768, 1024, 1280, 1920]
FIGURE_PAGES = [HOME, BRANCH, STATS, "units/xuyi/index.html", "zh-hant/index.html"]

#: per figure: does its number share one line with its qualifier and unit, and does it stay inside
#: its tile and the screen?
FIGURE_FACTS = """() => [...document.querySelectorAll('.fig')].filter(f => f.offsetParent).map(f => {
  const parts = [...f.children].map(c => c.getBoundingClientRect());
  const box = f.getBoundingClientRect();
  const tile = f.parentElement.getBoundingClientRect();
  const whole = [...f.children].every(c => c.getClientRects().length === 1);
  const level = parts.every(r => r.top < parts[0].bottom && r.bottom > parts[0].top);
  return {text: f.textContent, oneLine: whole && level && box.height < 1.6 * Math.max(...parts.map(r => r.height)),
          inside: box.right <= tile.right + 0.5 && box.left >= tile.left - 0.5 && box.right <= innerWidth};
})"""


@pytest.mark.parametrize("mode", ["default", "elder"])
def test_figures_never_break_inside_number_and_unit(new_tab, mode):
    """ "9337.42万元" stays whole at every width from 320 to 1920 px, in both text sizes."""
    tab = new_tab(width=320)
    tab.open(HOME)
    if mode == "elder":
        tab.page.evaluate("localStorage.setItem('brandsite.pref.elder', '1')")
    bad = []
    seen = 0
    for width in WIDTHS:
        tab.page.set_viewport_size({"width": width, "height": 900})
        for rel in FIGURE_PAGES:
            tab.open(rel)
            for f in tab.page.evaluate(FIGURE_FACTS):
                seen += 1
                if not f["oneLine"]:
                    bad.append(f"{rel} @{width}: {f['text']!r} breaks across lines")
                if not f["inside"]:
                    bad.append(f"{rel} @{width}: {f['text']!r} overflows its tile")
    assert seen > 100, seen
    assert not bad, "\n".join(bad)
    assert not tab.watch.problems(), tab.watch.problems()
