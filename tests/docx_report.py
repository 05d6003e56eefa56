"""Word reports for the import tests and benchmark, written with python-docx (test-only).

The content restates facts of ../shared/seeds/ in our own words: the brands, figures and
years are the seeds'; the sentences are not.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

CN = "一二三四五六七八九十"


def png(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


#: five brand sections: (heading, items); an item is a paragraph, ("bullets", [...]),
#: ("table", rows), ("image", png bytes) or ("bold", text)
SECTIONS: list[tuple[str, list[Any]]] = [
    (
        "打造“筑法秉正·先鋒行”黨建品牌",
        [
            "鄂爾多斯中院以讀書會為平臺建設學習型法院，2024年共組織讀書學習活動230余次。",
            "全市法院推行“三端五防線”解紛模式，2024年在前端分流化解糾紛3.4萬件。",
            ("bullets", ["與社區結對共建，開展普法宣傳65次。", "為群眾提供法律諮詢380余次。"]),
        ],
    ),
    (
        "“法官妈妈”",
        [
            "第六党支部的“法官妈妈”宣讲团成立于2014年，如今已有50多名成员。",
            ("image", "red"),
            ("bold", "走进校园"),
            "2024年12月，宣讲团走进康巴什区第五小学讲解宪法知识。",
        ],
    ),
    (
        "“三心”系天平",
        [
            "支部坚持把服务送到群众身边。2016年回访当事人后统计，群众满意度达99%。",
            ("table", [["年份", "活动", "数量"], ["2016年", "巡回审判", "126次"], ["2016年", "法制宣传活动", "17次"]]),
            "法院先后被授予“全省政法系统先进基层党组织”称号。",
        ],
    ),
    (
        "“党建+”工作模式",
        [
            "2023年，“执行信访百日攻坚”专项活动执行到位金额9337.42万元。",
            "干警深入社区向近3000名老人面对面讲解防骗知识。",
        ],
    ),
    (
        "党建“135”工作机制",
        [
            "2023年，各支部深入田间地头开展送法下乡180余次。",
            "“135”党建工作法获评全省法院新时代党建工作创新案例。",
        ],
    ),
]

#: what the import must find in SECTIONS: (brand, metric, value, year) for each figure
EXPECTED_FIGURES = [
    ("筑法秉正·先鋒行", "学习活动", "230余次", 2024),
    ("筑法秉正·先鋒行", "化解纠纷", "3.4萬件", 2024),
    ("筑法秉正·先鋒行", "普法宣传", "65次", None),
    ("筑法秉正·先鋒行", "法律咨询", "380余次", None),
    ("法官妈妈", "成员", "50多名", None),
    ("三心系天平", "群众满意度", "99%", 2016),
    ("三心系天平", "巡回审判", "126次", 2016),
    ("三心系天平", "普法宣传", "17次", 2016),
    ("党建+工作模式", "执行到位金额", "9337.42万元", 2023),
    ("党建+工作模式", "老人", "近3000名", None),
    ("党建135工作机制", "普法宣传", "180余次", 2023),
]

EXPECTED_HONORS = [
    ("三心系天平", "全省政法系统先进基层党组织", "省级"),
    ("党建135工作机制", "全省法院新时代党建工作创新案例", "省级"),
]


def write_report(path: Path, sections: list[tuple[str, list[Any]]] = SECTIONS, *, style: str = "heading",
                 title: str = "党支部品牌建设情况汇报", preamble: str = "近年来，各党支部立足审判职能创建支部品牌。") -> Path:
    """A .docx with a title, a preamble and one part per section, marked as ``style`` says:
    ``heading`` (Word's 标题 1), ``numbered`` (plain 一、二、 paragraphs), ``bold`` (bold lead lines)."""
    import docx
    from docx.shared import Cm

    doc = docx.Document()
    if title:
        doc.add_heading(title, level=0)
    if preamble:
        doc.add_paragraph(preamble)
    for n, (heading, items) in enumerate(sections):
        if style == "heading":
            doc.add_heading(heading, level=1)
        elif style == "numbered":
            doc.add_paragraph(f"{CN[n]}、{heading}")
        else:
            doc.add_paragraph().add_run(heading).bold = True
        for item in items:
            if isinstance(item, str):
                doc.add_paragraph(item)
            elif item[0] == "bullets":
                for text in item[1]:
                    doc.add_paragraph(text, style="List Bullet")
            elif item[0] == "table":
                rows = item[1]
                table = doc.add_table(rows=len(rows), cols=len(rows[0]))
                for r, row in enumerate(rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
            elif item[0] == "image":
                doc.add_picture(io.BytesIO(png() if item[1] == "red" else item[1]), width=Cm(4))
            elif item[0] == "bold":
                doc.add_paragraph().add_run(item[1]).bold = True
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
