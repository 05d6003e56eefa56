"""The showcase at work: filters with and without JavaScript, charts, print brief, weight, screenshots."""

from __future__ import annotations

import re

from .conftest import BRANCH, HOME, REPO, STATS, html_pages

#: a brand with a designed logo and a gallery (tools/make_sample_art.py)
GALLERY = "branches/liuliu-duoyuan-tiaojie/index.html"

VISIBLE_CARDS = "() => [...document.querySelectorAll('[data-cards] .card')].filter(c => !c.hidden).map(c => c.dataset.unit + '|' + c.dataset.tags)"


def test_filters_work_in_place_with_javascript(new_tab):
    tab = new_tab()
    tab.open(HOME)
    page = tab.page
    total = len(page.evaluate(VISIBLE_CARDS))
    unit_link = page.locator("a[data-filter='unit:xuyi']")
    expected = int(re.sub(r"\D", "", unit_link.locator(".count").inner_text()))
    unit_link.click()
    assert page.url.endswith("index.html#unit=xuyi"), "stays on the page, choice in the hash"
    cards = page.evaluate(VISIBLE_CARDS)
    assert len(cards) == expected < total
    assert all(c.startswith("xuyi|") for c in cards)
    assert unit_link.get_attribute("aria-current") == "true"
    assert "盱眙县人民法院" in page.locator("[data-filter-status]").inner_text()
    # and a tag on top: both must match
    tag = page.locator("a[data-filter^='tag:']").nth(1)
    slug = tag.get_attribute("data-filter").split(":", 1)[1]
    tag.click()
    both = page.evaluate(VISIBLE_CARDS)
    assert all(c.startswith("xuyi|") and slug in c.split("|", 1)[1].split() for c in both)
    assert f"tag={slug}" in page.url
    # a reload keeps the choice, "全部" clears it
    page.reload()
    assert page.evaluate(VISIBLE_CARDS) == both
    page.locator("a[data-filter='unit:']").click()
    page.locator("a[data-filter='tag:']").click()
    assert len(page.evaluate(VISIBLE_CARDS)) == total
    assert not tab.watch.problems(), tab.watch.problems()


def test_filters_are_plain_links_without_javascript(new_tab):
    tab = new_tab(js=False)
    tab.open(HOME)
    page = tab.page
    page.locator("a[data-filter='unit:xuyi']").click()
    page.wait_for_url("**/units/xuyi/index.html")
    assert page.locator("h1").inner_text() == "盱眙县人民法院"
    tab.open(HOME)
    tag = page.locator("a[data-filter^='tag:']").nth(1)
    slug = tag.get_attribute("data-filter").split(":", 1)[1]
    tag.click()
    page.wait_for_url(f"**/tags/{slug}/index.html")


def test_charts_are_inline_svg_with_a_name_and_a_table(new_tab):
    tab = new_tab()
    # issue 11: no share-of-total chart on branch pages; the sample's years never compare the same brands,
    # so the stats page draws no year-by-year chart either (tests/test_honest_stats.py covers when it does)
    for rel, least in ((STATS, 0), (BRANCH, 0)):
        tab.open(rel)
        charts = tab.page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].map(s => ({
            role: s.getAttribute('role'), title: (s.querySelector('title') || {}).textContent || '',
            label: s.getAttribute('aria-labelledby') || '', bars: s.querySelectorAll('.c-bar').length,
            table: !!s.closest('figure').parentElement.querySelector('table caption')}))""")
        assert len(charts) >= least, rel
        for c in charts:
            assert c["role"] == "img" and c["title"] and c["label"] and c["bars"] >= 1 and c["table"], (rel, c)
    tab.open(BRANCH)
    assert tab.page.locator("figure.chart").count() == 0, "no share-of-total chart on a branch page"
    tab.open(STATS)
    assert tab.page.locator("figure.chart-columns").count() == 0, "no trend drawn from different brands"
    assert tab.page.locator("details.metric-detail").count() >= 1


def test_branch_page_prints_as_a_brief_of_at_most_two_pages(site_dir, new_tab, artifacts):
    tab = new_tab()
    branches = [p for p in html_pages(site_dir) if p.startswith("branches/") and p != "branches/index.html"]
    longest = sorted(branches, key=lambda p: -(site_dir / p).stat().st_size)[:2]
    for rel in [BRANCH, *longest]:
        tab.open(rel)
        pdf = tab.page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 2, f"{rel}: {pages} printed pages"
        if rel == BRANCH:
            (artifacts / "branch-print.pdf").write_bytes(pdf)


def test_home_page_weighs_under_200_kb_before_images(new_tab):
    tab = new_tab()
    sizes: dict[str, int] = {}

    def count(response):
        if response.request.resource_type != "image":
            sizes[response.url] = len(response.body())

    tab.page.on("response", count)
    tab.open(HOME)
    tab.page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert total < 200_000, sizes
    assert not tab.watch.problems(), tab.watch.problems()


def test_screenshots(new_tab, site_dir, chromium):
    """The README's screenshots, regenerated into docs/screenshots/: home, a branch page and stats at 375
    and 1280 px, 长者模式 and 高对比度, the phone header, a brand with its logo and gallery, and search
    opened from disk (file://)."""
    shots = REPO / "docs" / "screenshots"
    shots.mkdir(exist_ok=True)
    ours = {f"{name}-{width}.png" for width in (375, 1280) for name in ("home", "branch", "stats", "brand-gallery", "header")}
    ours |= {f"branch-{width}-elder.png" for width in (375, 1280)} | {f"home-{width}-contrast.png" for width in (375, 1280)}
    ours.add("search-file-375.png")
    for name in ours:  # only the shots this test makes: other tests keep theirs here (import-draft, review-form)
        (shots / name).unlink(missing_ok=True)
    for width, height in ((375, 812), (1280, 900)):
        tab = new_tab(width=width, height=height)
        for name, rel in (("home", HOME), ("branch", BRANCH), ("stats", STATS), ("brand-gallery", GALLERY)):
            tab.open(rel)
            tab.page.wait_for_load_state("networkidle")
            tab.page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=name != "brand-gallery")
        tab.open(HOME)
        tab.page.screenshot(path=str(shots / f"header-{width}.png"), full_page=False)
        tab.page.evaluate("localStorage.setItem('brandsite.pref.elder', '1')")
        tab.open(BRANCH)
        tab.page.screenshot(path=str(shots / f"branch-{width}-elder.png"), full_page=False)
        tab.page.evaluate("localStorage.removeItem('brandsite.pref.elder'); localStorage.setItem('brandsite.pref.contrast', '1')")
        tab.open(HOME)
        tab.page.screenshot(path=str(shots / f"home-{width}-contrast.png"), full_page=False)
        assert not tab.watch.problems(), tab.watch.problems()
    # search from disk, as a reviewer opens a zip: the index loads as scripts
    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto((site_dir / "search" / "index.html").as_uri() + "?q=fgmm", wait_until="load")
        page.wait_for_function("() => /找到/.test(document.getElementById('search-status').textContent)")
        page.screenshot(path=str(shots / "search-file-375.png"), full_page=False)
    finally:
        ctx.close()
    assert len(ours) == 15 and all((shots / name).is_file() for name in ours)
