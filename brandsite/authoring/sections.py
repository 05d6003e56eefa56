"""Where one brand of a court's report ends and the next begins, and what the brand is called.

Reports mark their brands in many ways (Word headings, 一、二、 numbered parts, bold lead lines,
打造“XX” in the text, or nothing at all); guessing the split is its own problem, kept apart from
reading figures out of the sentences and from writing the draft files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brandsite.authoring.docx_read import Block, clean_text

_ORDINAL = re.compile(
    r"^\s*(?:第?[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|[0-9]{1,2}[、.．](?![0-9]))\s*"
)
_TOP_NUMBERED = re.compile(r"^\s*[一二三四五六七八九十]{1,3}、")
_BRAND_QUOTED = re.compile(r"(?:打造|創建|创建|培育)?[“\"「『]([^”\"」』]{2,20})[”\"」』]([\u4e00-\u9fff]{0,4}?)品牌")
_MAKE_QUOTED = re.compile(r"(?:打造|創建|创建|培育)[“\"「『]([^”\"」』]{2,20})[”\"」』]")
_QUOTES = re.compile(r"[“”\"「」『』]")
_LEAD_MAX = 40


@dataclass
class Section:
    """One brand: its heading (or none) and the blocks below it."""

    heading: str
    blocks: list[Block]
    brand: str = ""


def _heading_levels(blocks: list[Block]) -> list[int]:
    """Indexes of the blocks that start brand sections by Word heading, shallowest usable level.

    A level used once at the very top is the document's title, not a brand."""
    levels = sorted({b.level for b in blocks if b.kind == "h"})
    for lv in levels:
        idx = [i for i, b in enumerate(blocks) if b.kind == "h" and b.level == lv]
        if len(idx) == 1 and not any(b.kind in ("p", "list", "table") for b in blocks[: idx[0]]):
            continue  # the title
        return idx
    return []


def _is_lead(b: Block) -> bool:
    return b.kind == "p" and b.bold and len(b.text) <= _LEAD_MAX and not b.text.endswith(("。", "；", "！", "？"))


def split_sections(blocks: list[Block], mode: str = "auto") -> tuple[list[Block], list[Section]]:
    """(the part before the first brand, the brand sections)."""
    blocks_all = blocks
    blocks = [b for b in blocks if b.kind != "title"]
    if mode == "none":
        title = next((b.text for b in blocks_all if b.kind in ("title", "h")), "")
        whole = Section(title, blocks)  # every heading stays in the story; only Word's 标题 style names the file
        named = (_BRAND_QUOTED.search(b.text) or _MAKE_QUOTED.search(b.text) for b in blocks_all)
        whole.brand = next((clean_text(m.group(1)) for m in named if m), "")  # 打造“XX” anywhere names it
        return [], [whole]
    starts = _heading_levels(blocks)
    if mode == "auto" and len(starts) < 2:
        numbered = [i for i, b in enumerate(blocks) if b.kind in ("p", "h") and _TOP_NUMBERED.match(b.text)
                    and len(b.text) <= _LEAD_MAX]
        leads = [i for i, b in enumerate(blocks) if _is_lead(b)]
        brandish = [i for i, b in enumerate(blocks) if b.kind in ("p", "h") and len(b.text) <= _LEAD_MAX
                    and _BRAND_QUOTED.search(b.text) and not b.text.endswith("。")]
        # a bold line that names something in quotes (“法官妈妈”) is a brand; others are sub-leads
        quoted_leads = [i for i in leads if _QUOTES.search(blocks[i].text) or "品牌" in blocks[i].text]
        for candidate in (numbered, brandish, quoted_leads, leads):
            if len(candidate) >= 2:
                starts = candidate
                break
    if not starts:
        return [], [Section("", blocks)]
    sections = []
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(blocks)
        sections.append(Section(blocks[i].text, blocks[i + 1 : end]))
    return blocks[: starts[0]], sections


def brand_name(section: Section) -> str:
    """The brand a section is about, the way reports name it: 打造“XX”, “XX”品牌, or the heading."""
    head = _ORDINAL.sub("", section.heading).strip().rstrip("：:")
    parts = re.split(r"[：:]", head)
    if len(parts) == 2 and re.search("党支部|黨支部", parts[0]):
        head = parts[1].strip()  # 第二党支部：善调乡村
    m = _BRAND_QUOTED.search(head) or _MAKE_QUOTED.search(head)
    if m:
        return clean_text(m.group(1))
    plain = _QUOTES.sub("", head).strip()
    if plain and len(plain) <= 16:
        return plain
    q = re.search(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]", head)
    if q:
        return q.group(1)
    for b in section.blocks[:3]:
        m = _BRAND_QUOTED.search(b.text) or _MAKE_QUOTED.search(b.text)
        if m:
            return clean_text(m.group(1))
    return plain[:16]


_BRANCH_RE = re.compile(r"(第[一二三四五六七八九十0-9]{1,3}|[\u4e00-\u9fff]{2,6}?)(党支部|黨支部)")
_NOT_BRANCH_START = "由是的在为和与及等各该本其把将向对从以"


def branch_name(section: Section) -> str:
    for text in (section.heading, *(b.text for b in section.blocks)):
        for m in _BRANCH_RE.finditer(text):
            name = m.group(0).lstrip(_NOT_BRANCH_START)
            if len(name) >= 4 and name not in ("党支部", "黨支部"):
                return name
    return ""
