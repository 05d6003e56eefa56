"""The identification check (``publish: true``): every page carries the meta tags inspection tools
read (``SiteName``, ``SiteDomain``, ``SiteIDCode``; ``ColumnName``/``ColumnType`` on list pages;
``ArticleTitle``, ``PubDate`` as ``YYYY-MM-DD HH:MM``, ``ContentSource`` on branch and news pages)
and the footer identifiers (主办单位, 联系方式, 网站标识码, ICP备案号, 公安机关备案号)."""

from __future__ import annotations

from typing import Any

from brandsite.checks.scan import _PUBDATE, OUT_LABEL, _identity_values, _Page

_COLUMN_KINDS = {"list", "unit", "tag", "honors"}
_ARTICLE_KINDS = {"branch", "news"}
_BRANCH_PUBDATE = "branch-pubdate"


def collect(c: Any, page: _Page, metas: dict[str, str], footer: set[str]) -> None:
    kind = page.job.kind if page.job is not None else ""
    need = ["SiteName", "SiteDomain", "SiteIDCode"]
    if kind in _COLUMN_KINDS:
        need += ["ColumnName", "ColumnType"]
    if kind in _ARTICLE_KINDS:
        need += ["ArticleTitle", "PubDate", "ContentSource"]
    for name in need:
        if metas.get(name, "").strip():
            continue
        if name == "SiteIDCode" and not c.cfg.footer.site_code:
            continue  # data/site.yaml itself is reported (footer.site_code)
        if name == "PubDate" and kind == "branch" and page.source:
            c.missing_meta[(page.source, _BRANCH_PUBDATE)].append(page.rel)
            continue
        c.missing_meta[(c.template_of(page), f'<meta name="{name}">')].append(page.rel)
    pub = metas.get("PubDate", "").strip()
    if pub and not _PUBDATE.match(pub):
        c.missing_meta[(c.template_of(page), f"PubDate 格式（应为 YYYY-MM-DD HH:MM，实为“{pub}”）")].append(
            page.rel
        )
    for key, label, value in _identity_values(c.cfg):
        if value and key not in footer:
            c.missing_meta[(c.template_of(page), f"页脚{label}“{value}”")].append(page.rel)


def report_identity(c: Any) -> None:
    for (src, what), pages in sorted(c.missing_meta.items()):
        pages = sorted(set(pages))
        on = f"{OUT_LABEL}/{pages[0]}" + (f" 等 {len(pages)} 个页面" if len(pages) > 1 else "")
        if what == _BRANCH_PUBDATE:
            c.emit(
                src,
                c.sources.key_line(src, "brand"),
                "品牌页没有发布日期 PubDate（政府网站检查工具读取）：请填写 updated（本页发布日期，写发布当天，"
                "如 updated: 2024-12-01）；不写时用最近一条大事记（milestones）的日期或创建时间（founded），"
                "但不要为此编造来源没有的日期",
                "site-identity",
            )
            continue
        if what.startswith("页脚"):
            msg = f"{on}缺少{what}（publish: true 时每个页面的页脚须带备案信息）：请在模板页脚中显示 site.footer 的各项"
        elif what.startswith("PubDate"):
            msg = f"{on}的 {what}：请修改模板"
        else:
            msg = f"{on}缺少网站标识标签 {what}（政府网站检查工具读取）：请在模板中加上"
            if "SiteDomain" in what and not c.cfg.url:
                msg = f"{on}缺少 {what}：请在 data/site.yaml 中填写网站地址 url（如 https://www.example.gov.cn/djpp/）"
                src = "data/site.yaml"
        c.emit(src, 0, msg, "site-identity")
