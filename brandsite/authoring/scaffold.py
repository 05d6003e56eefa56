"""``new branch 品牌名`` and ``new site``: ready-to-fill forms, their comments written from the schema."""

from __future__ import annotations

from pathlib import Path

from brandsite.checks.leftovers import EXAMPLE, SAMPLE_COURT, TODO
from brandsite.content.fields import Field
from brandsite.content.schema import BRANCH, FOOTER, HONOR, MILESTONE, SITE, STAT
from brandsite.core.diagnostics import Report, shown
from brandsite.model.slugs import slugify


def _c(field: Field, text: str = "", mark: str = "") -> str:
    """The comment after a key: label, then what to write (from the schema)."""
    return f"# {mark}{field.label}" + (f"：{text or field.doc}" if text or field.doc else "")


def branch_template(brand: str, unit: str = "", slug: str = "") -> str:
    """The form of ``new branch``: it can be saved and previewed as it is, and leaks nothing.

    Values are empty, the editor's own (brand, unit, suggested slug), or marked
    ``leftovers.TODO``; examples stand only in comment lines marked ``leftovers.EXAMPLE``, so a
    file published before it was filled in is refused line by line (:mod:`brandsite.checks.leftovers`).
    """
    f, st, ho, mi = BRANCH.by_key, STAT.by_key, HONOR.by_key, MILESTONE.by_key
    ex = EXAMPLE
    lines = [
        "---",
        f"brand: {brand}    {_c(f['brand'], '必填')}",
        "# 新建的品牌文件（草稿）。“#”后面是说明，不会发布。写着“待填写”的地方换成本品牌的内容；",
        "# 注释里标着“示例”的行只是写法示例：照着写好自己的内容后，把示例行删掉。",
        "# 还留着“待填写”或“示例”的文件不能发布：把 draft 改为 false 后，check 会逐行指出。",
        f"branch: {TODO}    {_c(f['branch'], '必填，' + f['branch'].doc)}",
        f"slug: {slug}    {_c(f['slug'], '页面网址中的名称，已按品牌名拼音建议，可改为小写字母、数字和连字符')}",
        *([f"unit: {unit}    {_c(f['unit'])}"] if unit else []),
        f"slogan:    {_c(f['slogan'], '一句话口号，可不填')}",
        f"# founded: {f['founded'].example}    {_c(f['founded'], mark=ex)}",
        f"# updated: {f['updated'].example}    {_c(f['updated'], '本页发布或更新的日期，正式发布时需要（写发布当天）', mark=ex)}",
        f"# secretary: {f['secretary'].example}    {_c(f['secretary'], mark=ex)}",
        f"# members: {f['members'].example}    {_c(f['members'], mark=ex)}",
        f"tags: []    {_c(f['tags'])}",
        f"# cover: images/{slug or 'cover'}.jpg    {_c(f['cover'], mark=ex)}",
        f"# cover_alt: {f['cover_alt'].example}    {_c(f['cover_alt'], '说明图片里是什么，不能只写“照片”', mark=ex)}",
        f"draft: true    {_c(f['draft'], '写完并核对后改为 false')}",
        f"stats:    {_c(f['stats'], '每项一条，照下面的示例写；没有就留空')}",
        f"#  - metric: {st['metric'].example}    {_c(st['metric'], mark=ex)}",
        f"#    value: {st['value'].example}    {_c(st['value'], mark=ex)}",
        f"#    year: {st['year'].example}    {_c(st['year'], mark=ex)}",
        f"honors:    {_c(f['honors'], '每项一条，照下面的示例写；没有就留空')}",
        f"#  - title: {ho['title'].example}    {_c(ho['title'], mark=ex)}",
        f"#    level: {ho['level'].example}    {_c(ho['level'], mark=ex)}",
        f"#    year: {ho['year'].example}    {_c(ho['year'], mark=ex)}",
        f"milestones:    {_c(f['milestones'], '每项一条，照下面的示例写；没有就留空')}",
        f'#  - date: "{mi["date"].example}"    {_c(mi["date"], mark=ex)}',
        f"#    text: {mi['text'].example}    {_c(mi['text'], mark=ex)}",
        "---",
        "",
        "## 品牌由来",
        "",
        f"{TODO}用几段话介绍品牌的由来、做法和成效。第一段会自动作为简介。",
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
    target.write_text(branch_template(brand, unit, slug), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- new site

def _site_yaml() -> str:
    """``data/site.yaml`` of a new site: every identity field a government site needs, with the
    sample values of :mod:`brandsite.checks.leftovers` (refused once ``publish: true``)."""
    s, ft = SITE.by_key, FOOTER.by_key
    court = SAMPLE_COURT
    return f"""\
# 网站设置。“#”后面是说明，不会发布。
# 名称中带“示例”的单位和全是 0 的号码都是示例：正式发布（publish: true）前必须换成本院的真实信息，
# 否则 check 会逐行报错。发布前需要满足的全部条件见 docs/编辑指南.md 的“正式发布”一节。

title: {court} · 一支部一品牌    {_c(s['title'], '浏览器标题栏和首页大标题')}
subtitle: 一个支部一面旗，一个品牌一份担当    {_c(s['subtitle'])}
owner: {court}机关党委    {_c(s['owner'], '网站主办单位全称（必填）')}
description: {court}各党支部“一支部一品牌”创建成果展示。    {_c(s['description'])}
# url: https://www.example.gov.cn/djpp/    {_c(s['url'], s['url'].doc + '；知道后再填写')}
base_path: /    {_c(s['base_path'])}
languages: [zh-Hans]    {_c(s['languages'])}
publish: false    {_c(s['publish'], '内容核对完毕、准备上线时改为 true；此时下面的备案信息缺一不可')}

footer:    {_c(s['footer'], '政府网站页脚必须有的标识信息')}
  owner: {court}机关党委    {_c(ft['owner'])}
  contact: 联系电话：0000-00000000    {_c(ft['contact'])}
  site_code: "0000000000"    {_c(ft['site_code'], '全国政府网站标识码（10 位）')}
  icp: ICP备00000000号    {_c(ft['icp'])}
  police: 公网安备00000000000000号    {_c(ft['police'])}
  # police_link: https://…    {_c(ft['police_link'])}

nav:    {_c(s['nav'], '顶部导航：还没有内容的栏目（如还没有工作动态）暂不显示，check 会提示')}
  - {{title: 首页, url: ""}}
  - {{title: 品牌, url: branches/}}
  - {{title: 成效统计, url: stats/}}
  - {{title: 荣誉, url: honors/}}
  - {{title: 工作动态, url: news/}}
  - {{title: 关于, url: about/}}
"""


_UNITS_YAML = f"""\
# 单位：品牌所属的法院、人民法庭或机关党委。品牌文件的 unit: 写这里的 id。
# 只有一个单位时也可以删除本文件，品牌文件就不用写 unit。

- id: benyuan                 # 单位 id：小写字母、数字、连字符
  name: {SAMPLE_COURT}        # 单位全称（示例，请换成本院全称）
  level: 基层法院             # 高级法院、中级法院、基层法院、人民法庭、机关党委等
"""

# Only count-of-event units are summed; a percentage takes the latest year (never summed), and a
# figure that is a stock (人数, 个数) is best left out of the vocabulary: it is then shown on its
# brand's page and never added up.
_METRICS_YAML = """\
# 统计口径：哪些成效数据计入全站合计。品牌文件 stats 里的 metric 写这里的名称或别名。
# 不在这里的指标照样显示在品牌页上，但不计入合计（check 会提示）。
# 诚实统计：只有“次、件、场”这类次数、件数才能求和（total: sum）；百分比只取最近一年
# （total: latest），永远不相加；人数、个数等存量数字不要设为求和。

普法宣传:
  unit: 次
  aliases: [法治宣传, 送法下乡, 普法讲座]
  total: sum
  headline: true

化解纠纷:
  unit: 件
  aliases: [化解矛盾纠纷, 诉前化解]
  total: sum
  headline: true

群众满意度:
  unit: "%"
  aliases: [满意度]
  total: latest
"""

_TERMS_YAML = """\
# 本院补充的表述规则。brandsite 自带三百多条党建、法院工作常用固定提法的错误写法
# （不忘初心、两个维护、扫黑除恶、枫桥经验……），不用另外列出；这里只写本院需要补充的。
#
# 增加一条：
#   - wrong: [错误写法1, 错误写法2]
#     right: 正确写法
#     note: 说明（可不写）
# 关闭自带的一条（必须写明原因）：
#   - disable: 正确写法
#     reason: 为什么本院不适用
"""

_PII_YAML = """\
# 个人信息检查的补充设置。brandsite 自带身份证号、手机号、银行卡号和“被告人张三”式全名的检查，
# 总是开启；这里只写本院需要补充的。
#
# 允许公开的号码（本院对外公布的电话等），写法不限：
#   allow: ["0517-88888888"]
# 关闭自带的一项检查（必须写明原因）：
#   disable:
#     - check: 手机号        # 身份证号、手机号、银行卡号、当事人姓名 之一
#       reason: 为什么本院不适用

allow:
  - "12368"            # 全国法院诉讼服务热线
"""

_ABOUT_MD = """\
---
title: 关于本站
slug: about
---
## 什么是“一支部一品牌”

“一支部一品牌”是法院党支部立足本部门职能，总结提炼特色做法，形成有名称、有口号、有举措、有成效的支部品牌。

## 关于本站

本站集中展示各党支部品牌的故事、工作成效、荣誉和大事记。站内数据以本院正式发布的信息为准。
"""


def site_files() -> dict[str, str]:
    """Every file of a new site, by path relative to its root."""
    return {
        "data/site.yaml": _site_yaml(),
        "data/units.yaml": _UNITS_YAML,
        "data/metrics.yaml": _METRICS_YAML,
        "data/terms.yaml": _TERMS_YAML,
        "data/pii.yaml": _PII_YAML,
        "content/pages/about.md": _ABOUT_MD,
        "content/branches/images/.gitkeep": "",
        "content/news/.gitkeep": "",
    }


def new_site(root: Path, report: Report) -> list[Path] | None:
    """Write a new site into ``root`` (created if missing); refuses a folder with anything in it,
    so an editor's files are never mixed with or overwritten by the form."""
    if root.exists() and not root.is_dir():
        report.error(root, 0, f"“{shown(root)}”是一个文件，不是文件夹：请换一个文件夹名", "new")
        return None
    if root.is_dir() and any(root.iterdir()):
        report.error(root, 0, f"文件夹“{shown(root)}”不是空的，没有写入任何文件：请指定一个新的或空的文件夹，"
                              "如 python build.py new site 我院党建品牌", "new")
        return None
    written: list[Path] = []
    for rel, text in site_files().items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
