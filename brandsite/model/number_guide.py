"""The number grammar as the editor guide states it: the accepted forms and worked examples.

Why a module of its own: the editor guide (docs/编辑指南.md, section 数字的写法) embeds
:data:`GRAMMAR_DOC` verbatim and lists every pair of :data:`EXAMPLES`; tests parse each example
with :func:`brandsite.model.numbers.parse_quantity` and check the guide against both, so the
words editors read cannot promise a form the parser refuses.
"""

from __future__ import annotations

GRAMMAR_DOC = """\
数值的写法（可直接照抄 Word 报告中的写法，网页上按原样显示）：
  确数        65、3.5、3,000、十四、二十八、一百二十、两万
  万/亿/千    3.4万（=34000）、9337.42万元、1.2亿、3千
  不少于      180余、50多、180以上、超180、超过180、逾180、十余万
  接近（不到）近3000、将近3000、接近3000
  大约        约3000、大约3000、3000左右、3000上下
  百分比      99%、96.5%、９９％、百分之九十五（百分比不参与相加）
  单位        紧跟在数字或“余、多”之后，最多 4 个字：65次、180余次、50多名、3.4万件、180次以上；
              也可以写在 unit 栏：value: 50多 / unit: 名（两处都写时必须一致）
不接受：空值、只有单位、“很多/若干/大量”等非具体数字、“3-5”这类范围或两个数字、负数、
        “3..4”这类错误写法、“3000以下/不到3000”这类上限写法。"""

#: (written, shown) pairs: the spec's table plus the normalisations editors run into.
EXAMPLES: list[tuple[str, str]] = [
    ("65", "65"),
    ("65次", "65次"),
    ("180余", "180余"),
    ("180余次", "180余次"),
    ("180多", "180多"),
    ("近3000", "近3000"),
    ("3.4万", "3.4万"),
    ("3.4万件", "3.4万件"),
    ("9337.42万元", "9337.42万元"),
    ("1.2亿", "1.2亿"),
    ("99%", "99%"),
    ("96.5%", "96.5%"),
    ("十四", "十四"),
    ("二十八", "二十八"),
    ("超180", "超180"),
    ("约3000", "约3000"),
    ("3000左右", "3000左右"),
    ("180次以上", "180次以上"),
    ("3千", "3千"),
    ("3,000", "3,000"),
    ("３，０００", "3,000"),
    ("９９％", "99%"),
    ("180 余次", "180余次"),
    ("二十余万元", "二十余万元"),
]
