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


PHONE_FACTS = """() => {
  const header = document.querySelector('body > header');
  const card = document.querySelector('.card');
  const filters = document.querySelector('[data-filters]');
  const visibleLinks = [...filters.querySelectorAll('a[data-filter]')].filter(a => a.checkVisibility()).length;
  return {header: header.getBoundingClientRect().bottom + scrollY, card: card.getBoundingClientRect().top + scrollY,
          filtersOpen: filters.open, visibleLinks, summary: filters.querySelector('summary').getBoundingClientRect().height,
          scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("width", [320, 375, 414])
@pytest.mark.parametrize(("mode", "header_share"), [("default", 0.20), ("elder", 0.30)])
def test_phone_first_header_card_and_folded_filters(new_tab, width, mode, header_share):
    """At 667 px high: the header with its tools ≤ 20 % of the screen (30 % in 长者模式), the first
    brand card within 1.5 screens, the unit and tag filters one folded control that opens."""
    height = 667
    tab = new_tab(width=width, height=height)
    tab.open(HOME)
    if mode == "elder":
        tab.page.evaluate("localStorage.setItem('brandsite.pref.elder', '1')")
        tab.open(HOME)
    f = tab.page.evaluate(PHONE_FACTS)
    assert f["header"] <= header_share * height, f
    assert f["card"] <= 1.5 * height, f
    assert not f["filtersOpen"] and f["visibleLinks"] == 0 and 0 < f["summary"] <= 60, f
    assert f["scroll"] <= 0, f
    tab.page.click("[data-filters] summary")
    assert tab.page.evaluate(PHONE_FACTS)["visibleLinks"] > 10
    # the search button in the header still leads to the search page
    tab.page.click(".site-search-button")
    tab.page.wait_for_url("**/search/index.html?q=")
    assert not tab.watch.problems(), tab.watch.problems()


def test_filters_stay_open_on_a_wide_screen_and_without_javascript(new_tab):
    for js in (True, False):
        tab = new_tab(width=1280, js=js)
        tab.open(HOME)
        assert tab.page.evaluate("document.querySelector('[data-filters]').open") is True
    tab = new_tab(width=375, js=False)
    tab.open(HOME)
    assert tab.page.evaluate("document.querySelector('[data-filters]').open") is True


#: per element: are its last two characters on one line?
LONE_LAST = """() => [...document.querySelectorAll('h1, h2, h3, .card-title, .slogan, .card-slogan')]
  .filter(e => e.checkVisibility() && e.textContent.trim().length >= 2).map(e => {
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) { if (n.data[i].trim()) { chars.push([n, i]); } }
    }
    const top = ([n, i]) => { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                               const b = r.getBoundingClientRect(); return b.top + b.height / 2; };
    const [a, b] = chars.slice(-2);
    return {text: e.textContent.trim(), lone: Math.abs(top(a) - top(b)) > 4};
  })"""


#: an older browser: no text-wrap balance/pretty (CSS.supports says so, and the property does nothing)
NO_TEXT_WRAP = """(() => { const s = CSS.supports.bind(CSS);
  CSS.supports = (a, b) => /text-wrap/.test(a) ? false : (b === undefined ? s(a) : s(a, b)); })();"""


@pytest.mark.parametrize("native", [True, False], ids=["text-wrap", "script-fallback"])
def test_no_heading_title_or_slogan_ends_in_a_lone_character(new_tab, native):
    """With text-wrap: balance, and without it (older browsers): site.js joins the last two characters."""
    tab = new_tab(width=320, bypass_csp=True)  # (the style that switches text-wrap off is inline)
    if not native:
        tab.page.add_init_script(NO_TEXT_WRAP)
    bad = []
    for mode in ("default", "elder"):
        if mode == "elder":
            tab.page.evaluate("localStorage.setItem('brandsite.pref.elder', '1')")
        for width in (320, 360, 375, 414, 768, 1280):
            tab.page.set_viewport_size({"width": width, "height": 800})
            for rel in (HOME, BRANCH, "branches/index.html", "zh-hant/index.html"):
                tab.open(rel)
                if not native:
                    tab.page.add_style_tag(content="* { text-wrap-style: auto !important; }")
                bad += [f"{rel} @{width} {mode}: {e['text']!r}" for e in tab.page.evaluate(LONE_LAST) if e["lone"]]
    assert not bad, "\n".join(bad)


def test_home_on_a_phone_weighs_at_most_200_kb_with_logos_and_photos(new_tab):
    """Everything the home page transfers at 375 px, images included; photos below the fold wait (lazy)."""
    tab = new_tab(width=375, height=667)
    sizes: dict[str, int] = {}
    tab.page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
    tab.open(HOME)
    tab.page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert total <= 200_000, sorted(sizes.items(), key=lambda x: -x[1])
    lazy = tab.page.evaluate("""() => [...document.querySelectorAll('.card img')].map(i => ({
        lazy: i.loading === 'lazy', src: i.currentSrc || i.src, top: i.getBoundingClientRect().top}))""")
    assert len(lazy) >= 8 and all(i["lazy"] for i in lazy), lazy  # logos and photos on the cards
    far = [i for i in lazy if i["top"] > 4 * 667]
    assert far and not any(i["src"] in sizes for i in far if i["src"]), "images far below the fold were loaded"
    assert not tab.watch.problems(), tab.watch.problems()


CHART_OVERFLOW = """() => [...document.querySelectorAll('figure.chart svg text')].map(t => {
  const s = t.closest('svg').getBoundingClientRect(); const r = t.getBoundingClientRect();
  return [t.textContent, r.right - Math.min(s.right, innerWidth)]; }).filter(x => x[1] > 0.5)"""


@pytest.mark.parametrize("width", [320, 340, 360])
def test_chart_labels_stay_inside_the_chart_in_elder_mode_on_narrow_phones(new_tab, width):
    tab = new_tab(width=width, height=700)
    tab.open(HOME)
    tab.page.evaluate("localStorage.setItem('brandsite.pref.elder', '1')")
    for rel in (STATS, BRANCH, "units/xuyi/index.html"):
        tab.open(rel)
        assert tab.page.evaluate(CHART_OVERFLOW) == [], rel


NAV_FACTS = """() => {
  const list = document.querySelector('.site-nav ul');
  const box = list.getBoundingClientRect();
  const cur = list.querySelector('[aria-current]').getBoundingClientRect();
  return {scrolls: list.scrollWidth > list.clientWidth, more: list.classList.contains('nav-more'),
          before: list.classList.contains('nav-before'), wrap: list.classList.contains('wrap'),
          currentShown: cur.left >= box.left - 0.5 && cur.right <= box.right + 0.5};
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_phone_navigation_shows_there_is_more_and_where_you_are(new_tab, width):
    """The sideways-scrolling navigation fades at the edge where items wait, and the current
    section's item (关于, the last one) is scrolled into view rather than cut off."""
    tab = new_tab(width=width, height=667)
    tab.open(HOME)
    f = tab.page.evaluate(NAV_FACTS)
    assert f["scrolls"] and f["more"] and not f["before"] and f["wrap"] and f["currentShown"], f
    tab.open("about/index.html")
    f = tab.page.evaluate(NAV_FACTS)
    assert f["scrolls"] and f["before"] and f["currentShown"], f
    assert not tab.watch.problems(), tab.watch.problems()
