"""The built sample site as files: valid HTML (Nu Html Checker), feed, sitemap, share metadata, CSP."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

from .conftest import REPO, VNU_JAR, html_pages, java


def test_nu_html_checker_reports_no_error(site_dir):
    if not VNU_JAR.is_file():
        pytest.skip(f"{VNU_JAR} missing: run npm ci")
    if not java():
        pytest.skip("java is missing (the Nu Html Checker runs on Java 11+)")
    proc = subprocess.run([java(), "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", str(site_dir)],
                          capture_output=True, text=True, encoding="utf-8", timeout=240)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr + proc.stdout


def test_feed_parses(site_dir):
    feedparser = pytest.importorskip("feedparser", reason="pip install -r requirements-dev.txt")
    news = [p for p in html_pages(site_dir) if re.fullmatch(r"news/[^/]+/index\.html", p)]
    feed = feedparser.parse((site_dir / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(news) > 0
    for e in feed.entries:
        assert e.title and e.link.startswith("http") and e.updated


def site_url() -> str:
    data = yaml.safe_load((REPO / "data" / "site.yaml").read_text(encoding="utf-8"))
    return data["url"]


def test_sitemap_lists_every_page(site_dir):
    """Every page but 404.html and pages marked noindex (the search page), and nothing else."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(site_dir / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    base = site_url()
    pages = set()
    for rel in html_pages(site_dir):
        text = (site_dir / rel).read_text(encoding="utf-8")
        if rel == "404.html" or re.search(r'<meta name="robots" content="noindex', text):
            continue
        pages.add(base + rel.removesuffix("index.html"))
    assert locs == pages, (sorted(pages - locs), sorted(locs - pages))


def test_every_page_has_share_and_site_metadata(site_dir):
    base = site_url()
    problems = []
    for rel in html_pages(site_dir):
        head = (site_dir / rel).read_text(encoding="utf-8").split("</head>", 1)[0]
        for prop in ("og:title", "og:description", "og:image", "og:type", "og:site_name"):
            if not re.search(rf'<meta property="{prop}" content="[^"]+">', head):
                problems.append(f"{rel}: {prop}")
        image = re.search(r'<meta property="og:image" content="([^"]+)">', head)
        if image and not image.group(1).startswith(base):
            problems.append(f"{rel}: og:image is not absolute: {image.group(1)}")
        for name in ("SiteName", "SiteDomain", "SiteIDCode", "description"):
            if f'<meta name="{name}"' not in head:
                problems.append(f"{rel}: meta {name}")
    assert not problems, "\n".join(problems)


def test_pages_need_no_inline_script_and_ship_no_test_tool(site_dir):
    """A strict CSP (script-src 'self') works: no inline <script>, no on… handlers; axe is not shipped."""
    problems = []
    for rel in html_pages(site_dir):
        text = (site_dir / rel).read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{rel}: inline script")
        if re.search(r"<[a-z][^>]*\son[a-z]+=", text):
            problems.append(f"{rel}: event handler attribute")
        if "<style" in text:
            problems.append(f"{rel}: <style> element")
    assert not problems, problems
    assert not [p for p in site_dir.rglob("*") if "axe" in p.name.lower() or "vnu" in p.name.lower()]


def test_static_assets_are_small(site_dir):
    assets = site_dir / "assets"
    for name, limit in (("style.css", 30_000), ("site.js", 6_000)):
        assert (assets / name).stat().st_size < limit, name
