"""Accessibility in a real browser: axe-core, keyboard, 长者模式 and 高对比度 that persist."""

from __future__ import annotations

import json

import pytest

from .conftest import AXE_JS, BRANCH, BRANCH_HANT, HOME, HONORS, STATS

#: the four pages the issue names, in every mode; a few more in the default mode
AXE_PAGES = [HOME, BRANCH, STATS, HONORS]
AXE_MORE = [BRANCH_HANT, "branches/index.html", "units/xuyi/index.html", "news/index.html", "zh-hant/index.html"]


def run_axe(tab, artifacts, name: str) -> list[dict]:
    """axe-core from node_modules, injected for the test only (never shipped in site/)."""
    tab.page.add_script_tag(path=str(AXE_JS))
    result = tab.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    (artifacts / "axe").mkdir(exist_ok=True)
    (artifacts / "axe" / f"{name}.json").write_text(json.dumps(result["violations"], ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("mode", ["default", "contrast"])  # 长者模式 changes sizes, not colours: see test_pages
def test_axe_finds_no_serious_violation(site_dir, new_tab, artifacts, mode):
    if not AXE_JS.is_file():
        pytest.skip(f"{AXE_JS} missing: run npm ci")
    tab = new_tab(width=1280, bypass_csp=True)  # axe is injected as an inline script
    tab.open(HOME)
    if mode != "default":
        tab.page.evaluate(f"localStorage.setItem('brandsite.pref.{mode}', '1')")
    report = []
    more = [r for r in AXE_MORE if (site_dir / r).is_file()] if mode == "default" else []
    for rel in AXE_PAGES + more:
        tab.open(rel)
        for v in run_axe(tab, artifacts, f"{mode}-{rel.replace('/', '_')}"):
            nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
            report.append(f"{rel} [{mode}]: {v['id']} ({v['impact']}) {v['help']} — {nodes}")
    assert not report, "\n".join(report)


def test_skip_link_is_first_visible_on_focus_and_moves_to_main(new_tab):
    tab = new_tab()
    tab.open(BRANCH)
    page = tab.page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10, "skip link is not visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_visible(new_tab):
    """A visible focus ring (≥ 2 px outline) on links, the preference buttons and cards."""
    tab = new_tab()
    tab.open(HOME)
    page = tab.page
    seen = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            const card = e.closest('.card'); const cs = card && getComputedStyle(card);
            return {tag: e.tagName, cls: e.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    card: cs ? [cs.outlineStyle, parseFloat(cs.outlineWidth)] : null}; }""")
        seen.add(style["tag"])
        ring = style["outline"] != "none" and style["width"] >= 2
        card_ring = style["card"] is not None and style["card"][0] != "none" and style["card"][1] >= 2
        assert ring or card_ring, style
    assert {"A", "BUTTON"} <= seen


def test_elder_mode_enlarges_text_and_persists(new_tab):
    tab = new_tab(width=375, height=800)
    tab.open(HOME)
    page = tab.page
    size = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    assert page.evaluate(size) == 16
    button = page.locator("button[data-pref=elder]")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate(size) >= 18
    line = page.evaluate("() => parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)")
    assert line >= 1.8, "more spacing in 长者模式"
    # another page, reached by a link: applied before the body is parsed, button shows the state
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => { window.__classAtReady = document.documentElement.className; });")
    page.locator(".site-nav a", has_text="成效统计").click()
    page.wait_for_url("**/stats/index.html")
    assert page.evaluate(size) >= 18
    assert "elder" in page.evaluate("window.__classAtReady")
    assert page.locator("button[data-pref=elder]").get_attribute("aria-pressed") == "true"
    page.locator("button[data-pref=elder]").click()
    assert page.evaluate(size) == 16
    tab.open(BRANCH)
    assert page.evaluate(size) == 16
    assert not tab.watch.problems(), tab.watch.problems()


def test_high_contrast_persists(new_tab):
    tab = new_tab()
    tab.open(BRANCH)
    page = tab.page
    bg = "() => getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(bg) == "rgb(255, 255, 255)"
    page.locator("button[data-pref=contrast]").click()
    assert page.evaluate(bg) == "rgb(0, 0, 0)"
    tab.open(HONORS)
    assert page.evaluate(bg) == "rgb(0, 0, 0)"
    assert page.locator("button[data-pref=contrast]").get_attribute("aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.querySelector('.tl-by a')).color") == "rgb(255, 255, 0)"
    assert not tab.watch.problems(), tab.watch.problems()


def test_preference_switches_need_javascript_and_hide_without_it(new_tab):
    tab = new_tab(js=False)
    tab.open(HOME)
    assert not tab.page.locator(".prefs").is_visible()


#: one page of every type (search with results, and the Traditional version of a few)
PAGE_TYPES = [HOME, BRANCH, BRANCH_HANT, "branches/liuliu-duoyuan-tiaojie/index.html", STATS, HONORS,
              "branches/index.html", "units/index.html",
              "units/xuyi/index.html", "tags/index.html", "news/index.html", "about/index.html", "404.html",
              "search/index.html?q=%E8%B0%83%E8%A7%A3", "zh-hant/index.html", "zh-hant/search/index.html?q=fgmm"]


def axe_all(tab) -> list[dict]:
    tab.page.add_script_tag(path=str(AXE_JS))
    return tab.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("mode", ["default", "elder", "contrast"])
def test_axe_finds_no_violation_of_any_impact_on_any_page_type(site_dir, new_tab, width, mode):
    """Moderate and minor too: every page type, in every mode, on a phone and a desktop."""
    if not AXE_JS.is_file():
        pytest.skip(f"{AXE_JS} missing: run npm ci")
    tab = new_tab(width=width, height=800, bypass_csp=True)  # axe is injected as an inline script
    tab.open(HOME)
    if mode != "default":
        tab.page.evaluate(f"localStorage.setItem('brandsite.pref.{mode}', '1')")
    news = sorted(p.parent.name for p in (site_dir / "news").glob("*/index.html"))
    tags = sorted(p.parent.name for p in (site_dir / "tags").glob("*/index.html"))
    report = []
    for rel in [*PAGE_TYPES, f"news/{news[0]}/index.html", f"tags/{tags[0]}/index.html"]:
        tab.page.goto(tab.server.url(rel), wait_until="load")
        if "search/" in rel:
            tab.page.wait_for_function("() => /找到|沒有/.test(document.getElementById('search-status').textContent)")
        for v in axe_all(tab):
            nodes = "; ".join(str(n["target"]) for n in v["nodes"][:4])
            report.append(f"{rel} [{mode} {width}]: {v['id']} ({v['impact']}) {v['help']} — {nodes}")
    assert not report, "\n".join(report)
