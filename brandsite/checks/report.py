"""The inspection report: one self-contained Chinese HTML page an office head reads before approving.

``python build.py check --report report.html`` writes it: the verdict (can this be published?),
a table with the count of findings per check, the site's identification data, then every
finding with file, line, the problem and the fix. No scripts, no external files, inline CSS
only, so it can be mailed, opened offline and printed on A4.

``check --external`` prints the external links found in the rendered pages (never fetched).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, TextIO

from brandsite.core.diagnostics import Diagnostic, Severity

__all__ = ["CHECKS", "category", "print_external", "render_report", "signoff_section", "split_fix", "write_report"]


@dataclass(frozen=True)
class Check:
    key: str
    name: str
    what: str
    rendered: bool = False  # needs the rendered pages (not run when the content has errors)


CHECKS = (
    Check("pii", "个人信息", "身份证号（校验位）、手机号、银行卡号（Luhn 校验）、案件当事人全名"),
    Check("term", "表述规范", "data/terms.yaml 所列错误提法，简体繁体写法均可识别"),
    Check("link", "链接、图片与附件", "站内链接、图片、附件、样式文件全部可以打开", rendered=True),
    Check("title", "页面标题", "每个页面都有 <title> 且互不重复", rendered=True),
    Check("column", "空白栏目", "单位、标签、荣誉、动态等列表栏目都有内容", rendered=True),
    Check(
        "identity",
        "网站标识与备案信息",
        "主办单位、联系方式、网站标识码、ICP备案号、公安机关备案号及检查工具读取的 meta 标签",
    ),
    Check("content", "内容格式与数据", "品牌文件、data/*.yaml 的格式、数字、单位、日期等"),
)
_BY_KEY = {c.key: c for c in CHECKS}


def category(d: Diagnostic) -> str:
    code = d.code
    if code.startswith("pii"):
        return "pii"
    if code.startswith("term"):
        return "term"
    if code == "link":
        return "link"
    if code == "title":
        return "title"
    if code == "column-empty":
        return "column"
    if code in ("site-identity",):
        return "identity"
    return "content"


_FIXES = {
    "pii-name": "姓名改为“姓+某”（如“张某”）；确需公开（如获表彰的干警）时在该行末尾加 <!-- pii: ok -->",
    "pii-id": "删除身份证号",
    "pii-bank": "删除银行卡号",
    "pii-phone": "删除个人手机号；单位对外公开的电话加入 data/pii.yaml 的 allow 列表",
}
_PLEASE = re.compile(r"[：，；:]\s*(请.+)$", re.S)
_RIGHT = re.compile(r"应为“([^”]+)”")


def split_fix(d: Diagnostic) -> tuple[str, str]:
    """(problem, fix) of a finding, for the two columns of the report."""
    msg = d.message
    if d.code == "term":
        m = _RIGHT.search(msg)
        return msg, f"改为“{m.group(1)}”" if m else "按正确写法修改"
    if d.code in _FIXES:
        m = _PLEASE.search(msg)
        problem = msg[: m.start()] if m else msg.split("：", 1)[0]
        return problem, _FIXES[d.code]
    m = _PLEASE.search(msg)
    if m:
        return msg[: m.start()], m.group(1)
    if "应为" in msg or "应以" in msg:
        return msg, "按提示中的要求修改"
    return msg, "按问题说明修改，改完后重新运行 python build.py check"


_CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","Source Han Sans SC",sans-serif;
 margin:0;color:#1f1f1f;background:#f4f4f4;font-size:16px;line-height:1.6}
.page{max-width:960px;margin:0 auto;background:#fff;padding:28px 36px 40px}
h1{font-size:26px;margin:0 0 4px;color:#a4161a;border-bottom:3px solid #a4161a;padding-bottom:8px}
h2{font-size:20px;margin:28px 0 10px;border-left:5px solid #a4161a;padding-left:10px}
h3{font-size:17px;margin:20px 0 8px}
.meta{color:#555;font-size:14px;margin:6px 0 18px}
.verdict{padding:14px 18px;border-radius:6px;font-size:19px;font-weight:bold;margin:14px 0}
.verdict.block{background:#fdecea;color:#8a1111;border:2px solid #c62828}
.verdict.pass{background:#e8f5e9;color:#1b5e20;border:2px solid #2e7d32}
.verdict small{display:block;font-weight:normal;font-size:15px;margin-top:4px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:15px}
th,td{border:1px solid #cfcfcf;padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#f1e4e4;white-space:nowrap}
td.num{text-align:right;white-space:nowrap}
td.file{font-family:Consolas,"Courier New",monospace;font-size:13px;word-break:break-all;min-width:12em}
.ok{color:#1b5e20;font-weight:bold}.bad{color:#b71c1c;font-weight:bold}.warn{color:#8d5b00;font-weight:bold}
.skip{color:#666}
.sev{white-space:nowrap}
ul.ext{font-family:Consolas,monospace;font-size:13px;word-break:break-all}
footer{margin-top:30px;color:#666;font-size:13px;border-top:1px solid #ddd;padding-top:8px}
@media print{body{background:#fff}.page{padding:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _status(check: Check, errors: int, warnings: int, ran: bool) -> str:
    if check.rendered and not ran:
        return '<span class="skip">未执行（内容有错误，无法生成页面，改正后重新检查）</span>'
    if errors:
        return '<span class="bad">未通过</span>'
    if warnings:
        return '<span class="warn">通过（有警告）</span>'
    return '<span class="ok">通过</span>'


def _site_info(result: Any) -> tuple[str, bool, list[tuple[str, str, str]]]:
    site = getattr(result, "site", None)
    cfg = getattr(site, "config", None)
    title = getattr(cfg, "title", "") or "一支部一品牌"
    publish = bool(getattr(cfg, "publish", False))
    insp = getattr(result, "inspection", None)
    rows = list(getattr(insp, "identity", []) or [])
    if not rows and cfg is not None:
        f = cfg.footer
        rows = [
            ("owner", "主办单位", f.owner or cfg.owner),
            ("contact", "联系方式", f.contact),
            ("site_code", "网站标识码", f.site_code),
            ("icp", "ICP备案号", f.icp),
            ("police", "公安机关备案号", f.police),
        ]
    return title, publish, rows


def _rule_sets(report: Any) -> dict[str, str]:
    """The rule sets the text checks ran, with their sizes (built-in plus the site's own)."""
    root = getattr(report, "root", None)
    if root is None:
        return {}
    from brandsite.checks.publishcheck import describe

    term_line, pii_line = describe(Path(root))
    return {"term": term_line.split("：", 1)[1] + "，简体繁体写法均可识别", "pii": pii_line.split("：", 1)[1]}


def render_report(result: Any, now: dt.datetime | None = None) -> str:
    """The report page for a :class:`brandsite.pipeline.Result`."""
    report = result.report
    errors, warnings = report.errors, report.warnings
    insp = getattr(result, "inspection", None)
    ran = bool(getattr(insp, "ran", False))
    title, publish, identity = _site_info(result)
    now = now or dt.datetime.now()
    out: list[str] = []
    w = out.append
    w('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f'<title>发布前检查报告 - {escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<div class="page">\n')
    w(
        f'<h1>网站发布前检查报告</h1>\n<p class="meta">网站：{escape(title)}　·　检查时间：{now:%Y-%m-%d %H:%M}'
        f"　·　状态：{'正式发布（publish: true）' if publish else '准备中（publish 未设为 true）'}</p>\n"
    )
    if errors:
        w(
            f'<div class="verdict block">不能发布：有 {len(errors)} 个问题必须先改正'
            f"<small>下表列出每个问题所在的文件、行号和改正办法。改正后重新运行 python build.py check --report，"
            f"直到错误为 0。另有 {len(warnings)} 条警告，不影响发布。</small></div>\n"
        )
    else:
        w(
            f'<div class="verdict pass">可以发布：未发现必须改正的问题'
            f"<small>{len(warnings)} 条警告建议处理，不影响发布。</small></div>\n"
        )

    # counts per check
    per: dict[str, list[Diagnostic]] = {c.key: [] for c in CHECKS}
    for d in errors + warnings:
        per[category(d)].append(d)
    w(
        '<h2>检查项目汇总</h2>\n<table>\n<thead><tr><th scope="col">检查项目</th><th scope="col">检查内容</th>'
        '<th scope="col">错误</th><th scope="col">警告</th><th scope="col">结论</th></tr></thead>\n<tbody>\n'
    )
    ran_sets = _rule_sets(report)
    for c in CHECKS:
        e = sum(1 for d in per[c.key] if d.severity is Severity.ERROR)
        wn = len(per[c.key]) - e
        what = ran_sets.get(c.key, c.what)
        w(
            f'<tr><th scope="row">{escape(c.name)}</th><td>{escape(what)}</td><td class="num">{e}</td>'
            f'<td class="num">{wn}</td><td>{_status(c, e, wn, ran)}</td></tr>\n'
        )
    overall = '<span class="bad">不能发布</span>' if errors else '<span class="ok">可以发布</span>'
    w(
        f'<tr><th scope="row">合计</th><td></td><td class="num">{len(errors)}</td><td class="num">{len(warnings)}</td>'
        f"<td>{overall}</td></tr>\n"
    )
    w("</tbody>\n</table>\n")
    if ran:
        w(
            f'<p class="meta">共检查页面 {insp.pages} 个、站内链接和文件引用 {insp.links} 处；'
            f"外部链接 {len(insp.external)} 个（只列出，不联网检查）。</p>\n"
        )

    # identity
    w(
        '<h2>网站标识与备案信息</h2>\n<table>\n<thead><tr><th scope="col">项目</th><th scope="col">填写内容（data/site.yaml）</th></tr></thead>\n<tbody>\n'
    )
    for _key, label, value in identity:
        shown = (
            escape(value)
            if value
            else (
                '<span class="bad">未填写</span>' if publish else '<span class="warn">未填写（正式发布前须填写）</span>'
            )
        )
        w(f'<tr><th scope="row">{escape(label)}</th><td>{shown}</td></tr>\n')
    w("</tbody>\n</table>\n")

    site = getattr(result, "site", None)
    if site is not None and site.config.base_path != "/":
        from brandsite.render.xmlfiles import robots_lines

        w(
            f"<h2>robots.txt</h2>\n<p>网站放在子目录 {escape(site.config.base_path)}，搜索引擎只读取网站根目录的 robots.txt，"
            "所以本站没有生成它。请网站管理员在根目录的 robots.txt 中加入下面一行：</p>\n<pre>"
            + escape("\n".join(robots_lines(site))) + "</pre>\n"
        )

    # findings
    w("<h2>问题明细</h2>\n")
    if not errors and not warnings:
        w("<p>没有发现问题。</p>\n")
    for c in CHECKS:
        items = per[c.key]
        if not items:
            continue
        w(
            f'<h3>{escape(c.name)}（{len(items)} 项）</h3>\n<table>\n<thead><tr><th scope="col">级别</th>'
            '<th scope="col">文件</th><th scope="col">行</th><th scope="col">问题</th><th scope="col">改正办法</th></tr></thead>\n<tbody>\n'
        )
        for d in items:
            problem, fix = split_fix(d)
            sev = '<span class="bad">错误</span>' if d.severity is Severity.ERROR else '<span class="warn">警告</span>'
            w(
                f'<tr><td class="sev">{sev}</td><td class="file">{escape(d.path)}</td>'
                f'<td class="num">{d.line or "—"}</td><td>{escape(problem)}</td><td>{escape(fix)}</td></tr>\n'
            )
        w("</tbody>\n</table>\n")

    w(signoff_section(result))

    pending = list(getattr(insp, "pending", []) or []) if ran else []
    if pending:
        w(
            "<h2>正式发布前还须处理</h2>\n<p>以下问题现在不影响检查结果；data/site.yaml 设置 publish: true（正式发布）后，"
            '它们将成为必须改正的错误。</p>\n<table>\n<thead><tr><th scope="col">文件</th><th scope="col">问题</th>'
            '<th scope="col">改正办法</th></tr></thead>\n<tbody>\n'
        )
        for d in pending:
            problem, fix = split_fix(d)
            w(f'<tr><td class="file">{escape(d.path)}</td><td>{escape(problem)}</td><td>{escape(fix)}</td></tr>\n')
        w("</tbody>\n</table>\n")

    if ran and insp.external:
        w(
            f'<h2>外部链接（{len(insp.external)} 个）</h2>\n<p>以下链接指向本站以外的网站，发布前请人工确认仍可访问、内容合适（本检查不联网）。</p>\n<ul class="ext">\n'
        )
        for url, where in insp.external.items():
            w(f'<li>{escape(url)} <span class="skip">← {escape("、".join(where))}</span></li>\n')
        w("</ul>\n")
    w(
        "<footer>本报告由 brandsite 生成（python build.py check --report）。“错误”必须改正后才能发布；"
        "“警告”建议处理。个人信息的号码已部分隐去，以免报告本身泄露。</footer>\n</div>\n</body>\n</html>\n"
    )
    return "".join(out)


def _where(p: Any) -> str:
    return f'<td class="file">{escape(p.path)}:{p.line}</td><td>{escape(p.brand)}</td>'


def signoff_section(result: Any) -> str:
    """统计口径核对: each site-wide figure with every stat it adds, and each stat left out with the reason.

    The office signs this list before publishing; the rows come from :func:`brandsite.derive.signoff_list.signoff`."""
    from brandsite.derive.signoff_list import signoff

    stats = getattr(result, "stats", None)
    out = ['<h2 id="signoff">统计口径核对</h2>\n']
    if stats is None:
        out.append("<p>内容有错误，页面未能生成，无法列出全站数字。改正错误后重新检查。</p>\n")
        return "".join(out)
    site = getattr(result, "site", None)
    figures, left = signoff(stats, (getattr(site, "units", None) or {}))
    out.append(
        f"<p>网站上每一个汇总数字（共 {len(figures)} 个）及它加总的每一条数据，请逐条与原始材料核对后签字。"
        "“数值”“单位”照品牌文件原样列出；未计入汇总的数据及原因列在最后。</p>\n"
    )
    for i, f in enumerate(figures, 1):
        out.append(
            f'<h3>{i}. {escape(f.metric)}：{escape(f.shown)}</h3>\n<p class="meta">出现在：{escape(f.where)}　·　'
            f"{escape(f.when)}</p>\n"
            '<table>\n<thead><tr><th scope="col">文件:行</th><th scope="col">品牌</th><th scope="col">填报的指标</th>'
            '<th scope="col">年份或时段</th><th scope="col">数值（原文）</th><th scope="col">单位</th></tr></thead>\n<tbody>\n'
        )
        for p in f.parts:
            out.append(f"<tr>{_where(p)}<td>{escape(p.metric)}</td><td>{escape(p.when)}</td>"
                       f'<td class="num">{escape(p.shown)}</td><td>{escape(p.unit) or "—"}</td></tr>\n')
        for p, why in f.left:
            out.append(f'<tr class="skip">{_where(p)}<td>{escape(p.metric)}</td><td>{escape(p.when)}</td>'
                       f'<td class="num">{escape(p.shown)}</td><td>未计入：{escape(why)}</td></tr>\n')
        out.append("</tbody>\n</table>\n")
    out.append(f"<h3>未计入任何汇总的数据（{len(left)} 条）</h3>\n")
    if not left:
        out.append("<p>没有。</p>\n")
        return "".join(out)
    out.append(
        '<table>\n<thead><tr><th scope="col">文件:行</th><th scope="col">品牌</th><th scope="col">指标</th>'
        '<th scope="col">数值（原文）</th><th scope="col">原因</th></tr></thead>\n<tbody>\n'
    )
    for p, why in left:
        out.append(f"<tr>{_where(p)}<td>{escape(p.metric)}</td><td class=\"num\">{escape(p.shown)}</td><td>{escape(why)}</td></tr>\n")
    out.append("</tbody>\n</table>\n")
    return "".join(out)


def write_report(result: Any, path: Path | str) -> Path:
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(result), encoding="utf-8")
    return path


def print_external(result: Any, stream: TextIO) -> None:
    """The external links of the rendered site, one per line with where they were written."""
    insp = getattr(result, "inspection", None)
    if insp is None or not getattr(insp, "ran", False):
        print("外部链接：内容有错误，页面未能生成，无法列出外部链接。", file=stream)
        return
    print(f"外部链接（{len(insp.external)} 个，未联网检查）：", file=stream)
    for url, where in insp.external.items():
        print(f"  {url}  ← {'、'.join(where)}", file=stream)
