"""The editor guide's reference tables (属性参考), generated from the schemas.

Why a module of its own: ``tools/gen_docs.py`` writes this text into ``docs/编辑指南.md`` between
markers and a test fails when they drift, so the guide can never promise a field the tool does
not accept; the schemas themselves (:mod:`brandsite.content.schema`) stay plain declarations.
"""

from __future__ import annotations

from brandsite.content.fields import KIND_DOC
from brandsite.content.levels import HONOR_LEVELS
from brandsite.content.schema import BRANCH, FOOTER, HONOR, METRIC, MILESTONE, NEWS, PAGE, PHOTO, SITE, STAT, UNIT

# ---------------------------------------------------------------------------- documentation


def markdown_reference() -> str:
    """The field tables of the editor guide, generated from the schemas above.

    ``docs/编辑指南.md`` embeds this text between markers; a test fails when they drift.
    """
    out: list[str] = []
    sections = [
        ("品牌文件（content/branches/*.md）", BRANCH),
        ("工作成效 stats 的每一项", STAT),
        ("荣誉 honors 的每一项", HONOR),
        ("大事记 milestones 的每一项", MILESTONE),
        ("活动照片 gallery 的每一项", PHOTO),
        ("工作动态（content/news/*.md）", NEWS),
        ("页面（content/pages/*.md）", PAGE),
        ("网站设置（data/site.yaml）", SITE),
        ("页脚 footer", FOOTER),
        ("单位（data/units.yaml 的每一项）", UNIT),
        ("统计指标（data/metrics.yaml 的每一项）", METRIC),
    ]
    for title, sch in sections:
        out.append(f"### {title}\n")
        out.append("| 属性 | 名称 | 必填 | 类型 | 说明 | 示例 |")
        out.append("|---|---|---|---|---|---|")
        for f in sch.fields:
            example = "" if f.example is None else f"`{f.example}`"
            out.append(
                f"| `{f.key}` | {f.label} | {'是' if f.required else ''} | {KIND_DOC[f.kind]} | {f.doc} | {example} |"
            )
        out.append("")
    out.append("荣誉级别 level 可写：" + "、".join(f"{k}→{v}" if k != v else k for k, v in HONOR_LEVELS.items()) + "。\n")
    return "\n".join(out)
