"""data/*.yaml: site settings, the units branches belong to, and the metrics vocabulary."""

from __future__ import annotations

from pathlib import Path

from brandsite.content import fields, schema
from brandsite.content.yamlio import load_file
from brandsite.core.diagnostics import Report
from brandsite.core.script import fold
from brandsite.model.site import Footer, Metric, NavItem, SiteConfig, Unit
from brandsite.model.slugs import pinyin_key
from brandsite.model.totals import default_total, never_summed


def load_site(path: Path, report: Report) -> SiteConfig:
    cfg = SiteConfig()
    if not path.is_file():
        report.error(path, 0, "缺少网站设置文件 data/site.yaml：至少需要 title（网站标题）和 owner（主办单位）", "site")
        return cfg
    doc = load_file(path, report)
    if doc is None:
        return cfg
    data = fields.check(schema.SITE, doc, path, report)
    if not data:
        return cfg
    for key in ("title", "subtitle", "owner", "description", "url", "theme", "publish", "summary_length",
                "hant_variant", "image_max_mb", "search"):
        if key in data:
            setattr(cfg, key, data[key])
    cfg.review = list(data.get("review") or [])  # 先审后发 levels, in order (the schema drops repeats)
    langs = data.get("languages") or ["zh-Hans"]
    if "zh-Hans" not in langs:
        report.error(path, doc.line(("languages",)), "languages 中必须包含 zh-Hans（简体中文版本总会生成）", "site")
    cfg.languages = ["zh-Hans"] + [lang for lang in langs if lang != "zh-Hans"]
    base = data.get("base_path") or _path_of(cfg.url) or "/"
    if not base.startswith("/"):
        base = "/" + base
    if not base.endswith("/"):
        base += "/"
    cfg.base_path = base
    if cfg.url and not cfg.url.startswith(("http://", "https://")):
        report.error(path, doc.line(("url",)), f"网站地址“{cfg.url}”应以 https:// 或 http:// 开头", "site")
    if cfg.url and not cfg.url.endswith("/"):
        cfg.url += "/"
    footer = data.get("footer") or {}
    cfg.footer = Footer(**{k: v for k, v in footer.items() if not k.startswith("_")})
    if isinstance(doc.value, dict) and isinstance(doc.value.get("footer"), list):
        cfg.footer.from_lines = True
        _identity_from_lines(cfg.footer)
    if not cfg.footer.owner:
        cfg.footer.owner = cfg.owner
    cfg.nav = [NavItem(n["title"], n.get("url", "")) for n in data.get("nav", []) if "title" in n]
    for n in cfg.nav:
        if n.url.startswith("/") and not n.url.startswith("//"):
            n.url = n.url.lstrip("/")  # "/stats/" means the site's stats/, wherever the site is published
    if cfg.publish:
        for key, label in (("owner", "主办单位"), ("contact", "联系方式"), ("site_code", "网站标识码"),
                           ("icp", "ICP备案号"), ("police", "公安机关备案号")):
            if not getattr(cfg.footer, key):
                report.error(path, doc.line(("footer",)), f"publish: true 时页脚必须填写 footer.{key}（{label}）", "site-identity")
    return cfg


#: The sign-off record 先审后发 keeps (``publish/signoff.py``): a data file the editors do not
#: write, so the publishing scans skip it.
SIGNOFF_RECORD = "data/signoff.yaml"

_IDENTITY_PREFIXES = (
    ("owner", ("主办单位", "主办")),
    ("site_code", ("网站标识码", "标识码")),
    ("contact", ("联系电话", "联系方式", "联系地址", "电话")),
)


def _identity_from_lines(footer: Footer) -> None:
    """Footer written as plain lines (the spec's form): recognise the identity fields in them,
    so inspection meta tags and the publish check see them; the lines still show as written."""
    for line in footer.lines:
        head, _, value = line.partition("：") if "：" in line else line.partition(":")
        for key, words in _IDENTITY_PREFIXES:
            if value and head.strip() in words and not getattr(footer, key):
                setattr(footer, key, value.strip() if key != "contact" else line.strip())
        if "ICP备" in line and not footer.icp:
            footer.icp = line.strip()
        if "公网安备" in line and not footer.police:
            footer.police = line.strip()


def _path_of(url: str) -> str:
    if "://" not in url:
        return ""
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def load_units(path: Path, report: Report) -> dict[str, Unit] | None:
    """None when the file does not exist (then branches need no ``unit``)."""
    if not path.is_file():
        return None
    doc = load_file(path, report)
    if doc is None:
        return {}
    if not isinstance(doc.value, list):
        report.error(path, 1, "data/units.yaml 应为单位列表，每项以“- id: …”开头", "units")
        return {}
    units: dict[str, Unit] = {}
    for i, row in enumerate(doc.value):
        data = fields.check(schema.UNIT, doc, path, report, (i,), row if row is not None else "")
        if not data or "id" not in data or "name" not in data:
            continue
        uid = data["id"]
        line = doc.line((i,))
        if uid in units:
            report.error(path, line, f"单位 id“{uid}”重复（第一次在第 {units[uid].line} 行）", "units")
            continue
        order = data.get("order")
        units[uid] = Unit(uid, data["name"], data.get("level", ""), data.get("region", ""), order, line,
                          (order is None, order or 0, pinyin_key(data["name"])))
    return units


def load_metrics(path: Path, report: Report) -> dict[str, Metric]:
    if not path.is_file():
        return {}
    doc = load_file(path, report)
    if doc is None:
        return {}
    if doc.value in (None, {}):
        return {}
    if not isinstance(doc.value, dict):
        report.error(path, 1, "data/metrics.yaml 应为“指标名称: 设置”的形式", "metrics")
        return {}
    metrics: dict[str, Metric] = {}
    seen: dict[str, str] = {}  # folded name or alias -> metric
    for name, spec in doc.value.items():
        line = doc.line((name,))
        data = fields.check(schema.METRIC, doc, path, report, (name,), spec if spec is not None else {})
        if data is None:
            continue
        unit = data.get("unit") or None
        total = data.get("total") or default_total(str(name), unit)
        why = never_summed(str(name), unit)
        if why and total == "sum":
            report.error(path, doc.line((name, "total")),
                         f"指标“{name}”{why}，不能相加：请把 total 改为 latest（取最近一年）、max（取最大值）或 none（不汇总）",
                         "metrics")
            total = "latest"
        m = Metric(str(name), unit, data.get("aliases", []), total, data.get("order"), data.get("headline", False), line,
                   unit_aliases=data.get("unit_aliases", []), campaigns=data.get("campaigns", False),
                   latest_only=data.get("headline_latest", False))
        if unit in m.unit_aliases:
            report.error(path, doc.line((name, "unit_aliases")),
                         f"指标“{name}”的同义单位里又写了它自己的单位“{unit}”：请删去", "metrics")
        for word in [m.name, *m.aliases]:
            key = fold(word)
            if key in seen and seen[key] != m.name:
                report.error(path, line, f"“{word}”同时是指标“{seen[key]}”和“{m.name}”的名称或别名：一个名称只能对应一个指标", "metrics")
                continue
            seen[key] = m.name
        metrics[m.name] = m
    return metrics
