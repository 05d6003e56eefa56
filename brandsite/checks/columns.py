"""The empty-column check: no list page (units, tags, honors, news, brands) is empty: an error
once ``publish: true``; while the site is still being prepared it is only listed in the report."""

from __future__ import annotations

from typing import Any

from brandsite.checks.scan import OUT_LABEL
from brandsite.core.diagnostics import Diagnostic, Severity

_LIST_CONTENT = {
    "branches.html": ("branches",),
    "units.html": ("units_list",),
    "unit.html": ("branches",),
    "tags.html": ("tags_list",),
    "tag.html": ("branches", "news"),
    "honors.html": ("groups",),
    "news_list.html": ("news",),
}


def report_empty(c: Any) -> None:
    """Empty list pages: errors once ``publish: true``; before that only noted for the report."""
    for rel, job in sorted(c.jobs.items()):
        keys = _LIST_CONTENT.get(job.template)
        if keys is None or rel not in c.files:
            continue
        if any(job.context.get(k) for k in keys):
            continue
        fix = {
            "honors.html": "请在品牌文件中填写 honors（荣誉）",
            "news_list.html": "请在 content/news 下添加工作动态",
            "branches.html": "请添加品牌文件，或把 draft: true 改为 false",
        }.get(job.template, "请为该栏目补充内容")
        d = Diagnostic(
            f"{OUT_LABEL}/{rel}",
            0,
            f"栏目“{job.title}”没有任何内容（空白栏目，网站检查扣分项）：{fix}",
            Severity.ERROR if c.cfg.publish else Severity.WARNING,
            "column-empty",
        )
        if c.cfg.publish:
            c.report.items.append(d)
        else:
            c.inspection.pending.append(d)
