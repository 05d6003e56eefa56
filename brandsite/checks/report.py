"""The inspection report: one self-contained Chinese HTML page an office head reads before approving.

``python build.py check --report report.html`` writes it: the verdict (can this be published?),
a table with the count of findings per check, the site's identification data, then every
finding with file, line, the problem and the fix. No scripts, no external files, inline CSS
only, so it can be mailed, opened offline and printed on A4. This module gathers the data;
the markup is ``templates/report.html`` (autoescaped: every text an editor wrote shows as text).

``check --external`` prints the external links found in the rendered pages (never fetched).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import jinja2

from brandsite.core.diagnostics import Diagnostic, Severity

__all__ = ["CHECKS", "category", "print_external", "render_report", "split_fix", "write_report"]


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


def _status(check: Check, errors: int, warnings: int, ran: bool) -> str:
    """The verdict of one check, as the template's status names it."""
    if check.rendered and not ran:
        return "skip"
    if errors:
        return "bad"
    if warnings:
        return "warn"
    return "ok"


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


def _finding(d: Diagnostic) -> dict[str, Any]:
    problem, fix = split_fix(d)
    return {"error": d.severity is Severity.ERROR, "path": d.path, "line": d.line, "problem": problem, "fix": fix}


def _signoff(result: Any) -> dict[str, Any] | None:
    """统计口径核对: each site-wide figure with every stat it adds, and each stat left out with the reason.

    The office signs this list before publishing; the rows come from :func:`brandsite.derive.signoff_list.signoff`,
    so the report and the ``review`` command always list the same figures."""
    stats = getattr(result, "stats", None)
    if stats is None:
        return None
    from brandsite.derive.signoff_list import signoff

    site = getattr(result, "site", None)
    figures, left = signoff(stats, (getattr(site, "units", None) or {}))
    return {"figures": figures, "left": left}


@functools.cache
def _template() -> jinja2.Template:
    """The report's markup lives in a template next to this module (autoescaped), so this module only gathers data."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    return env.get_template("report.html")


def render_report(result: Any, now: dt.datetime | None = None) -> str:
    """The report page for a :class:`brandsite.pipeline.Result`."""
    report = result.report
    errors, warnings = report.errors, report.warnings
    insp = getattr(result, "inspection", None)
    ran = bool(getattr(insp, "ran", False))
    title, publish, identity = _site_info(result)
    now = now or dt.datetime.now()

    per: dict[str, list[Diagnostic]] = {c.key: [] for c in CHECKS}
    for d in errors + warnings:
        per[category(d)].append(d)
    ran_sets = _rule_sets(report)
    summary = []
    for c in CHECKS:
        e = sum(1 for d in per[c.key] if d.severity is Severity.ERROR)
        wn = len(per[c.key]) - e
        summary.append({"name": c.name, "what": ran_sets.get(c.key, c.what), "errors": e, "warnings": wn,
                        "status": _status(c, e, wn, ran)})
    findings = [{"name": c.name, "items": [_finding(d) for d in per[c.key]]} for c in CHECKS if per[c.key]]

    robots = None
    site = getattr(result, "site", None)
    if site is not None and site.config.base_path != "/":
        from brandsite.render.xmlfiles import robots_lines

        robots = {"base_path": site.config.base_path, "lines": robots_lines(site)}

    pending = list(getattr(insp, "pending", []) or []) if ran else []
    return _template().render(
        title=title, publish=publish, checked=f"{now:%Y-%m-%d %H:%M}", errors=len(errors), warnings=len(warnings),
        summary=summary, inspection=insp if ran else None, identity=identity, robots=robots, findings=findings,
        signoff=_signoff(result), pending=[_finding(d) for d in pending],
    )


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
