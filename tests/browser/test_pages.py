"""Every page of the sample site in a real browser: clean loads, structure, no horizontal scroll."""

from __future__ import annotations

from .conftest import BRANCH, BRANCH_HANT, HOME, HONORS, STATS, html_pages

#: everything a page is checked for, in one round trip through the browser
PAGE_FACTS = """() => {
  const q = (s) => document.querySelector(s);
  const meta = (p) => { const m = q(`meta[property="${p}"], meta[name="${p}"]`); return m ? m.content : ""; };
  const focusables = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter((e) => e.tabIndex >= 0 && !e.closest('[hidden]'));
  return {
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    banner: document.querySelectorAll('body > header, [role=banner]').length,
    contentinfo: document.querySelectorAll('body > footer, [role=contentinfo]').length,
    nav: document.querySelectorAll('nav').length,
    firstFocusable: focusables.length ? (focusables[0].className + '|' + focusables[0].getAttribute('href')) : '',
    imgsWithoutAlt: [...document.images].filter((i) => !i.hasAttribute('alt')).map((i) => i.src),
    og: ['og:title', 'og:description', 'og:image', 'og:type', 'og:site_name'].filter((p) => !meta(p)),
    siteName: meta('SiteName'),
    footer: (q('footer') || {}).textContent || '',
    scroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  };
}"""


def test_every_page_loads_cleanly_at_320px(site_dir, new_tab):
    """No console error, failed or outside request; one h1, landmarks, alt text, share tags, no sideways scroll."""
    pages = html_pages(site_dir)
    assert len(pages) >= 50
    tab = new_tab(width=320, height=640)
    problems: list[str] = []
    for rel in pages:
        tab.watch.clear()
        tab.open(rel)
        f = tab.page.evaluate(PAGE_FACTS)
        here = [*tab.watch.problems()]
        if f["lang"] not in ("zh-CN", "zh-Hans", "zh-Hant"):
            here.append(f"lang={f['lang']!r}")
        if f["h1"] != 1:
            here.append(f"{f['h1']} h1 elements")
        if (f["main"], min(f["banner"], 1), min(f["contentinfo"], 1)) != (1, 1, 1) or not f["nav"]:
            here.append(f"landmarks main/header/footer/nav: {f['main']}/{f['banner']}/{f['contentinfo']}/{f['nav']}")
        if not f["firstFocusable"].startswith("skip-link|#main"):
            here.append(f"first focusable element is not the skip link: {f['firstFocusable']}")
        if f["imgsWithoutAlt"]:
            here.append(f"img without alt: {f['imgsWithoutAlt']}")
        if f["og"]:
            here.append(f"missing share metadata: {f['og']}")
        if not f["siteName"] or not f["title"]:
            here.append("missing <title> or SiteName")
        for needles in (("主办单位", "主辦單位"), ("网站标识码", "網站標識碼"), ("ICP备", "ICP備"), ("公网安备", "公網安備")):
            if not any(n in f["footer"] for n in needles):
                here.append(f"footer lacks {needles[0]}")
        width, client = f["scroll"]
        if width > client:
            here.append(f"horizontal scroll at 320 px: {width} > {client}")
        problems += [f"{rel}: {p}" for p in here]
    assert not problems, "\n".join(problems)


def test_key_pages_in_elder_mode_do_not_scroll_sideways_at_320px(new_tab):
    """长者模式 is 125 % text: like zooming, it must reflow, not overflow."""
    tab = new_tab(width=320, height=640)
    tab.open(HOME)
    tab.page.evaluate("localStorage.setItem('brandsite.pref.elder', '1')")
    bad = []
    for rel in (HOME, BRANCH, BRANCH_HANT, STATS, HONORS, "branches/index.html", "units/index.html"):
        tab.open(rel)
        assert "elder" in tab.page.evaluate("document.documentElement.className")
        w, c = tab.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if w > c:
            bad.append(f"{rel}: {w} > {c}")
    assert not bad, bad
    assert not tab.watch.problems(), tab.watch.problems()


def test_relative_links_work_from_the_sub_folder(site_dir, server, new_tab):
    """The site is served under /djpp/: every same-site link a page holds resolves there."""
    tab = new_tab()
    tab.open(BRANCH)
    hrefs = tab.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    local = [h.split("#", 1)[0] for h in hrefs if h.startswith(server.origin)]
    assert local and all(h.startswith(server.base) for h in local), local
    for h in sorted(set(local)):
        r = tab.page.request.get(h)
        assert r.status == 200, h
