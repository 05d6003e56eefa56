"""``new branch 品牌名``: a ready-to-fill branch file, written from the schema itself."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Report
from .schema import BRANCH, HONOR, MILESTONE, STAT
from .slugs import slugify


def branch_template(brand: str, unit: str = "") -> str:
    f = BRANCH.by_key
    lines = [
        "---",
        f"brand: {brand}                # {f['brand'].label}（必填）",
        f"branch: 第一党支部            # {f['branch'].label}（必填）：{f['branch'].doc}",
        *([f"unit: {unit}                   # {f['unit'].label}：{f['unit'].doc}"] if unit else []),
        f"slogan: 一句话品牌口号          # {f['slogan'].label}",
        f"founded: 2024                 # {f['founded'].label}：{f['founded'].doc}",
        f"# secretary: 张某             # {f['secretary'].label}：{f['secretary'].doc}",
        f"# members: 12                 # {f['members'].label}",
        f"tags: [普法宣传]               # {f['tags'].label}：{f['tags'].doc}",
        f"# cover: images/{slugify(brand) or 'cover'}.jpg   # {f['cover'].label}：{f['cover'].doc}",
        f"# cover_alt: 图片内容说明        # {f['cover_alt'].label}（有封面图时必填）",
        f"draft: true                   # {f['draft'].label}：写完后改为 false 或删除此行",
        f"stats:                        # {f['stats'].label}",
        f"  - metric: {STAT.by_key['metric'].example}            # {STAT.by_key['metric'].doc}",
        f"    value: {STAT.by_key['value'].example}             # {STAT.by_key['value'].doc}",
        f"    year: {STAT.by_key['year'].example}",
        f"honors:                       # {f['honors'].label}",
        f"  - title: {HONOR.by_key['title'].example}",
        f"    level: {HONOR.by_key['level'].example}                 # {HONOR.by_key['level'].doc}",
        f"    year: {HONOR.by_key['year'].example}",
        f"milestones:                   # {f['milestones'].label}",
        f'  - date: "{MILESTONE.by_key["date"].example}"',
        f"    text: {MILESTONE.by_key['text'].example}",
        "---",
        "",
        "## 品牌由来",
        "",
        "在这里用几段话介绍品牌的由来、做法和成效。第一段会自动作为简介。",
        "",
    ]
    return "\n".join(lines)


def new_branch(root: Path, brand: str, report: Report) -> Path | None:
    brand = brand.strip()
    slug = slugify(brand)
    if not brand or not slug:
        report.error("content/branches", 0, f"无法从“{brand}”生成文件名：请换一个品牌名", "new")
        return None
    folder = root / "content" / "branches"
    target = folder / f"{slug}.md"
    if target.exists():
        report.error(target, 0, f"文件已存在：{report.rel(target)}，没有覆盖", "new")
        return None
    unit = ""
    units = root / "data" / "units.yaml"
    if units.is_file():
        import re

        m = re.search(r"^\s*-\s*id:\s*([a-z0-9-]+)", units.read_text(encoding="utf-8", errors="replace"), re.M)
        unit = m.group(1) if m else ""
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(branch_template(brand, unit), encoding="utf-8")
    return target
