"""The link check: every internal reference of the rendered site resolves to a file of it.

A broken one is an error at the Markdown file and line it was written on when it comes from
content, else at the template or page; the same mistake on many pages (in both scripts) is
reported once. A link to a draft branch's page is a warning: it works once the draft is
published. External links are only collected (never fetched) for ``check --external``.
"""

from __future__ import annotations

import posixpath
from typing import Any

from brandsite.checks.scan import _SCHEME, _SKIP_SCHEMES, OUT_LABEL, _Page, _what
from brandsite.core.diagnostics import Severity


def reference(c: Any, page: _Page, tag: str, attr: str, value: str) -> None:
    value = value.strip()
    if not value or value.startswith("#"):
        return
    low = value.lower()
    if low.startswith(_SKIP_SCHEMES):
        return
    own = c.cfg.url
    # Only 404.html (shown by the web server at any depth) may use absolute paths; everywhere
    # else they break once the site sits in a sub-folder of the court's website.
    absolute_ok = page.rel == "404.html"
    if own and value.startswith(own):
        value = c.cfg.base_path + value[len(own) :]
        absolute_ok = True
    elif low.startswith("//") or _SCHEME.match(value):
        url = ("https:" + value) if low.startswith("//") else value
        c.external[url].add((page, value))
        return
    c.inspection.links += 1
    target = c.resolver.target(page.rel, value, absolute_ok)
    if target is not None and target in c.files:
        return
    src, line, canon = c.where(page, value)
    if target is None:  # not inside the site folder: each written form is its own problem
        key = ("\0/" if value.startswith("/") else "\0..") + value
    else:  # one mistake, however many pages (in both scripts) show it
        key = "\0w" + canon
    c.broken[(src, line, _what(tag, attr, value), key)].append((page.rel, value, target or ""))


def report_broken(c: Any) -> None:
    for (src, line, what, key), seen in sorted(c.broken.items()):
        c.inspection.broken += 1
        pages = sorted({rel for rel, _, _ in seen})
        _, written, target = min(seen)  # as written on the first page
        shown = f"“{written}”"
        if target and target != written:
            shown += f"（即 {target}）"
        on = f"出现在 {OUT_LABEL}/{pages[0]}" + (f" 等 {len(pages)} 个页面" if len(pages) > 1 else "")
        if key.startswith("\0/"):
            fix = (
                "以“/”开头的地址在网站放到子目录后会失效：请改为相对地址"
                f"（网站放在 {c.cfg.base_path}，站内页面之间用 ../ 这样的相对路径链接）"
            )
        elif not line and not key.startswith("\0.."):
            fix = "这个链接由主题模板生成：请修改模板中的链接，或补上它指向的页面/文件"
        elif key.startswith("\0.."):
            fix = "地址超出了网站文件夹：请改为站内的相对地址，或写完整的 https:// 外部地址"
        else:
            base = posixpath.dirname(pages[0])
            fix = (
                f"请改正地址或删除；站内相对地址从本页所在位置 {base + '/' if base else '网站根目录'} 算起"
                "（如 ../../stats/ 指向成效统计）"
            )
            if what in ("图片", "附件"):
                fix += "，并确认文件已放入网站"
        draft = draft_target(c, target or written)
        if draft is not None:
            # a link to a page still being written: it will work once that page is published
            c.emit(src, line, f"{what}{shown}指向草稿“{draft}”（尚未发布），{on}：草稿发布后链接即可使用，"
                      "在此之前读者会看到“页面未找到”", "link-draft", Severity.WARNING)
            continue
        c.emit(src, line, f"{what}{shown}指向的文件不存在，{on}：{fix}", "link")


def draft_target(c: Any, target: str) -> str | None:
    """The brand of the draft branch a missing page belongs to, if it is one."""
    parts = target.split("/")
    if "branches" not in parts:
        return None
    i = parts.index("branches")
    slug = parts[i + 1] if i + 1 < len(parts) else ""
    for b in c.site.branches:
        if b.draft and b.slug == slug:
            return b.brand
    return None
