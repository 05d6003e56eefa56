"""Form leftovers: the blank-form text that must never reach a published page.

``new branch`` and ``new site`` write forms. Whatever the form puts in is either an empty value,
an example inside a YAML comment, or a placeholder that carries a visible marker. An editor who
fills in only the story and sets ``draft: false`` must not publish the rest: every line that still
holds a marker, a placeholder of an older form, or a ``new site`` sample value is reported with
its line number, so the editor sees what to replace.

This is one small table plus one scanner, so that every tool that writes suggestions for an
editor to review (``new branch``, ``new site``, an importer's commented figures) marks them the
same way and ``check``/``build`` refuse them the same way. Comments are scanned too: a commented
example is harmless on the page, but one that an editor uncomments without changing it is not,
so a file to be published must be free of them.

Two kinds of finding:

* ``form`` - marker or placeholder of a form: refused in a content file that is not a draft;
* ``site`` - sample identity of ``new site`` (示例人民法院, all-zero record numbers): refused
  once ``data/site.yaml`` says ``publish: true`` (before that the site is a preview).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EXAMPLE", "REVIEW", "TODO", "SAMPLE_COURT", "Leftover", "find", "is_draft"]

#: marks a commented example line of a form: the editor writes their own line and deletes it
EXAMPLE = "【示例】"
#: marks a value or paragraph the editor has to replace
TODO = "【待填写】"
#: marks a suggestion a tool made from a source document (``import``: a figure, honor or name to
#: be checked against the report it came from)
REVIEW = "【导入建议】"
#: the court name of ``new site``'s sample identity
SAMPLE_COURT = "示例人民法院"

_MARKS: dict[str, str] = {
    EXAMPLE: f"这一行是表单中的写法示例（{EXAMPLE}）：照示例写好本品牌自己的内容后，删除这一行",
    TODO: f"这里还是待填写的占位文字（{TODO}）：请换成本品牌的真实内容",
}


def _review_message(line: str) -> str:
    """What to do with an import suggestion's line: its source line, the instructions, or a value."""
    if f"{REVIEW}出处" in line:
        return (f"还有没核对的导入建议（{REVIEW}）：核对出处后，采用的删掉下一行开头的“#”，"
                "再删掉这一行；不采用的连同下一行一起删掉")
    if line.lstrip().startswith("#"):
        return f"导入时留下的说明（{REVIEW}）还在：核对完全部导入建议后删掉这几行说明"
    return f"这一行是导入时识别的内容，还带着“{REVIEW}”注释：核对无误后删去行尾 # 起的注释"

#: placeholders written by earlier versions of ``new branch`` (files made with them are still around)
_OLD_PLACEHOLDERS: dict[str, str] = {
    "一句话品牌口号": "表单的占位口号",
    "图片内容说明": "表单的占位图片说明",
    "在这里用几段话介绍": "表单的占位正文",
}

# A record number made only of zeros (0000-00000000, 京ICP备00000000号): never a real one.
_ZEROS = re.compile(r"(?<![0-9０-９])[0０]{4,}(?:[-－ ][0０]{4,})*(?![0-9０-９])")


@dataclass(frozen=True)
class Leftover:
    line: int
    kind: str  # "form" | "site"
    found: str
    message: str


#: anything ``find`` looks for, anywhere: a file without one (nearly every file) is not read line by line.
#: Every branch starts with a literal character (four zeros written as ``0[0０]{3}|０[0０]{3}``, not
#: ``[0０]{4}``), so the search skips in C to the next character that can start one: 5× faster.
_ANY = re.compile("|".join([*(re.escape(k) for k in (*_MARKS, REVIEW, *_OLD_PLACEHOLDERS, SAMPLE_COURT)),
                            "0[0０]{3}", "０[0０]{3}"]))


def find(text: str, first_line: int = 1) -> list[Leftover]:
    """Every leftover in ``text`` (line ``first_line`` is its first line), in line order."""
    if not _ANY.search(text):
        return []
    out: list[Leftover] = []
    for offset, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        n = first_line + offset
        for mark, message in _MARKS.items():
            if mark in line:
                out.append(Leftover(n, "form", mark, message))
        if REVIEW in line:
            out.append(Leftover(n, "form", REVIEW, _review_message(line)))
        for phrase, what in _OLD_PLACEHOLDERS.items():
            if phrase in line:
                out.append(Leftover(n, "form", phrase, f"“{phrase}……”是{what}：请换成本品牌的真实内容，或删除这一行"))
        if SAMPLE_COURT in line:
            out.append(Leftover(n, "site", SAMPLE_COURT,
                                f"“{SAMPLE_COURT}”是新建网站时的示例名称：请换成本院全称"))
        for m in _ZEROS.finditer(line):
            out.append(Leftover(n, "site", m.group(),
                                f"“{m.group()}”是新建网站时的占位号码：请填写真实的号码，没有的项目整行删除"))
    return out


_FRONT_DRAFT = re.compile(r"^draft\s*:\s*([^#\r\n]*)", re.M)


def is_draft(text: str) -> bool:
    """Whether a content file's front matter says ``draft: true`` (read without the YAML parser,
    so a file whose YAML is broken still gets its leftovers reported correctly)."""
    from brandsite.content.fields import CONVERTERS
    from brandsite.content.schema import BRANCH

    if not text.startswith(("---", "\ufeff---")):
        return False
    end = text.find("\n---", 3)
    m = _FRONT_DRAFT.search(text[: end if end != -1 else len(text)])
    if m is None:
        return False
    value = m.group(1).strip().strip("\"'")
    try:
        return bool(CONVERTERS["bool"](BRANCH.by_key["draft"], value, value))
    except Exception:  # not a yes/no: the schema reports it; until it is fixed the file is not a draft
        return False
