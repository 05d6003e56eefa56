"""The title check: every page has a ``<title>`` and no two pages share one (a page and its
Traditional twin may)."""

from __future__ import annotations

from typing import Any

from brandsite.checks.scan import OUT_LABEL


def report_titles(c: Any) -> None:
    for title, pages in sorted(c.titles.items()):
        if not title:
            for page in pages:
                src = page.source or c.template_of(page)
                c.emit(src, 0, f"页面 {OUT_LABEL}/{page.rel} 没有 <title> 标题：请在模板中加上 <title>", "title")
            continue
        if len({page.rel.removeprefix("zh-hant/") for page in pages}) < 2:
            continue  # one page and its Traditional twin (brandsite/features/hant.py) may share a title
        for page in pages:
            others = "、".join(
                f"{OUT_LABEL}/{o.rel}" + (f"（{o.source}）" if o.source else "") for o in pages if o is not page
            )
            if page.source:
                src, line = page.source, c.sources.key_line(page.source, "title", "brand")
            else:
                src, line = f"{OUT_LABEL}/{page.rel}", 0
            c.emit(
                src,
                line,
                f"页面标题“{title}”与 {others} 重复：每个页面的 <title> 须各不相同（网站检查项），请修改标题加以区分",
                "title",
            )
