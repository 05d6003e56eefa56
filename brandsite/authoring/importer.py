"""``import 材料.docx``: the Word report a court already has → draft branch files.

Editors otherwise retype each brand from the report into YAML, which is where most
mistakes come from. mammoth turns the .docx into plain semantic HTML (it ignores Word's
styling by design), nh3 sanitises it like every body, and this module then

* splits the document into brand sections (headings, 一、二、 numbered parts, bold lead
  lines, or none),
* writes each section's body as Markdown (paragraphs, lists, bold, tables, images),
* finds every figure the number grammar reads and every honor, and writes them as
  **commented** suggestions with the sentence they came from: a figure on the court's site
  is an official statement, so nothing counts until an editor has read its source and
  uncommented it. The suggestion marker is :data:`brandsite.checks.leftovers.REVIEW`, so the one
  leftover check that refuses form examples also refuses a published (non-draft) file that
  still carries a suggestion.

Reading the .docx is :mod:`brandsite.authoring.docx_read`. Nothing is written until the whole document
has been read and converted; then images and branch files are created next to each other
without ever replacing an existing file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from brandsite.authoring.docx_read import (
    Block,
    ImportProblem,
    Picture,
    clean_text,
    read_blocks,
    refuse_bad_input,
    to_html,
)
from brandsite.checks.leftovers import REVIEW as MARK
from brandsite.content.fields import SLUG_RE
from brandsite.content.levels import AMBIGUOUS_LEVELS, HONOR_LEVELS, LEVEL_ORDER
from brandsite.content.schema import BRANCH
from brandsite.core.script import fold, fold_in_place
from brandsite.model.numbers import NumberError, Qualifier, Quantity, parse_quantity
from brandsite.model.slugs import slugify

SPLITS = ("auto", "heading", "none")

__all__ = ["MARK", "SPLITS", "ImportProblem", "Plan", "figures", "honors", "plan", "write"]


# ------------------------------------------------------------------------------ sections


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


# ------------------------------------------------------------------------------ figures


#: measure words that follow a figure in reports (both scripts); longest tried first
_UNITS = sorted(
    {
        "次", "件", "名", "人", "人次", "个", "個", "场", "場", "场次", "場次", "期", "份", "元", "条", "條", "起",
        "家", "所", "项", "項", "批", "户", "戶", "篇", "案", "位", "支", "处", "處", "部", "张", "張", "本",
        "册", "冊", "封", "笔", "筆", "组", "組", "队", "隊", "座", "间", "間", "面", "节", "節", "堂", "轮", "輪",
        "届", "屆", "类", "類", "种", "種", "个百分点", "個百分點", "小时", "小時", "平方米", "公里", "亩", "畝",
        "余次", "万元", "萬元",
    },
    key=len,
    reverse=True,
)
#: time words: "2023年", "12月", "3天" are dates or durations, not achievements
_TIME_UNITS = ("年", "月", "日", "号", "號", "岁", "歲", "周", "週", "天", "时", "時", "分", "秒", "季度")
_CN = "零〇一二两兩三四五六七八九十百千万萬亿億"
_CANDIDATE = re.compile(
    rf"(?P<pre>将近|將近|接近|近|大约|大約|大概|约|約|超过|超過|超|逾)?(?P<pct>百分之)?"
    rf"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[,，][0-9]{{3}})*|[{_CN}]+)"
    rf"(?P<qa>余|餘|多)?(?P<scale>万亿|萬億|千万|千萬|百万|百萬|亿|億|万|萬|千)?(?P<q>余|餘|多)?"
    r"(?P<after>[%％]|)"
)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(度)?(以来|以來)?")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE_SPLIT = re.compile(r"[，,、：:（）()“”\"「」]")
_LEADING_FILLER = re.compile(
    r"^(?:\s+|[0-9]{4}年(?:度)?(?:以来)?|如今|现在|至今|其中|同时|并|還|还|又|也|共计|共|累计|先后|已经|已|全年|年均|通过|目前|现有|今年以来|近年来|"
    r"开展|開展|组织|組織|举办|舉辦|召开|召開|提供|发送|發送|发放|發放|办结|辦結|选派|選派|邀请|邀請|制作|製作|"
    r"新建|设立|設立|收集|完成|实现|實現|深入|走访|走訪|回访|回訪|帮助|幫助|为|為|向|在|有|的|达到|達到|达|達)+"
)
_TRAILING_FILLER = re.compile(r"(?:均达|均達|达到|達到|达|達|为|為|保持在|共|累计|共计|约|約|有|了|的)+$")


@dataclass
class Figure:
    """A figure found in a sentence: a suggestion, never a fact until an editor uncomments it."""

    sentence: str
    value: str  # as written in the document
    quantity: Quantity
    metric: str  # suggested name: vocabulary entry when one fits, else words of the sentence
    vocabulary: bool
    year: int | None
    note: str
    wider: str = ""  # "全市法院": the sentence speaks of more than one branch


_WIDER = re.compile(r"全国|全省|全市|全县|全区|全院|两级法院|兩級法院|各支部|各党支部|全體|全体")


@dataclass
class HonorHint:
    sentence: str
    title: str
    level: str  # canonical level, "" when the sentence does not say
    level_note: str
    year: int | None
    to: str = ""  # "法院": the sentence gives the honor to someone other than the branch


#: who else an honor in a court's report goes to (only the brand's own honors are its honors)
_HONOR_TO = re.compile(r"法院|中院|我院|本院|院机关|院領導|院领导|机关党委|機關黨委|党组|黨組|干警|幹警|法官|党员|黨員")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _year_of(sentence: str, at: int | None = None) -> tuple[int | None, str]:
    """(year, note) of the figure at ``at``: a year in its own clause, else one that opens the
    sentence ("2023年，各支部……"); "2022年以来" is a period and "累计" is said only when written.
    A year elsewhere ("成立于2014年，如今已有50多名") belongs to another statement."""
    text = fold(sentence)
    if at is None:
        clause = text
    else:
        lo = max((m.end() for m in _CLAUSE_END.finditer(text, 0, at)), default=0)
        hi = next((m.start() for m in _CLAUSE_END.finditer(text, at)), len(text))
        clause = text[lo:hi]
    note = "累计" if "累计" in clause else ""
    found = _YEAR.findall(clause)
    if not found:
        lead = _LEADING_YEAR.match(text)
        found = _YEAR.findall(lead.group(0)) if lead else []
    years = {int(y) for y, _, _ in found}
    since = [y for y, _, s in found if s]
    if since:
        return None, f"{since[0]}年以来"
    return (years.pop() if len(years) == 1 else None), note


_CLAUSE_END = re.compile(r"[，,；;：:]")
_LEADING_YEAR = re.compile(r"^\s*(?:在|于|自|从)?(?:19|20)[0-9]{2}\s*年(?:度)?(?:以来)?")


def _unit_at(text: str, pos: int) -> str:
    for u in _UNITS:
        if text.startswith(u, pos):
            return u
    return ""


def figures(sentence: str, vocabulary: dict[str, tuple[str, str | None]]) -> list[Figure]:
    """Every figure of one sentence the number grammar reads, with a suggested metric.

    ``vocabulary``: folded name or alias → (vocabulary name, its unit)."""
    out: list[Figure] = []
    for m in _CANDIDATE.finditer(sentence):
        start, end = m.span()
        num = m.group("num")
        if start and sentence[start - 1] in "第0123456789０-９.":
            continue
        if sentence[end:].startswith(("、", "是")) and not m.group("after"):
            continue  # 一、 二是: ordinals, not figures
        is_pct = bool(m.group("after") or m.group("pct"))
        cn = not num[0].isdigit() and not "０" <= num[0] <= "９"
        time_word = next((t for t in _TIME_UNITS if sentence.startswith(t, end)), "")
        if time_word and not is_pct:
            continue
        unit = "" if is_pct else _unit_at(sentence, end)
        if cn and not unit:
            continue
        if cn and len(num) < 2 and not (m.group("q") or m.group("qa")):
            continue  # 一批, 两个维护, 三大目标: words, not figures
        if not (unit or is_pct or m.group("scale")):
            continue  # "832"工作模式, 12368 热线: names and numbers without a measure
        stop = end + len(unit)
        for tail in ("以上", "左右", "上下"):
            if sentence.startswith(tail, stop):
                stop += len(tail)
                break
        written = sentence[start:stop]
        try:
            q = parse_quantity(written)
        except NumberError:
            continue
        metric, in_vocab = _metric(sentence, start, stop, q, vocabulary)
        year, note = _year_of(sentence, start)
        wider = _WIDER.search(fold_in_place(sentence[:start]))
        out.append(Figure(sentence, written, q, metric, in_vocab, year, note, wider.group(0) if wider else ""))
    return out


def _metric(sentence: str, start: int, stop: int, q: Quantity,
            vocabulary: dict[str, tuple[str, str | None]]) -> tuple[str, bool]:
    """The vocabulary entry named in the clause of the figure (unit agreeing), else its words."""
    # the vocabulary is looked for in the whole clause: "开展巡回审判、送法下乡、法治讲堂180余次" counts
    # all three; the free-text name is the last of them
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, start)), default=0)
    folded = fold_in_place(sentence[clause_start:start])
    before = sentence[max((m.end() for m in _CLAUSE_SPLIT.finditer(sentence, 0, start)), default=0):start]
    best: tuple[int, int, str] | None = None
    for word, (name, unit) in vocabulary.items():
        pos = folded.rfind(word)
        if pos < 0:
            continue
        pct = q.qualifier is Qualifier.PERCENT
        if unit and ((unit == "%") != pct or (not pct and q.unit and fold(q.unit) != unit)):
            continue
        rank = (pos + len(word), len(word))
        if best is None or rank > best[:2]:
            best = (*rank, name)
    if best is not None:
        return best[2], True
    words = _TRAILING_FILLER.sub("", _LEADING_FILLER.sub("", before.strip())).strip()
    if len(words) < 2 or words[-1] in _PREPOSITIONS:  # "有368名干警", "在17个社区": the counted thing follows
        import rjieba

        after = re.split(r"[，,。；;、（(“”]", sentence[stop:], maxsplit=1)[0]
        words = next((w for w in rjieba.cut(after) if len(w) >= 2), "") or words
    return _QUOTES.sub("", words)[-12:].strip(), False


_PREPOSITIONS = "在向到对對给給与與和从從于於把被"


_HONOR_VERB = re.compile(r"(荣获|榮獲|获评|獲評|被评为|被評為|评为|評為|被授予|授予|被表彰为|被表彰為|荣膺|榮膺|入选|入選|获得|獲得)")
_HONOR_WORDS = ("称号", "稱號", "荣誉", "榮譽", "先进", "先進", "模范", "模範", "示范", "示範", "案例", "单位", "單位",
                "集体", "集體", "组织", "組織", "标兵", "標兵", "优秀", "優秀", "品牌", "班子", "之星",
                "文明岗", "文明崗", "文明号", "文明號", "巾帼", "巾幗", "红旗", "紅旗", "先锋", "先鋒", "奖", "獎")


def honors(sentence: str) -> list[HonorHint]:
    out: list[HonorHint] = []
    for m in _HONOR_VERB.finditer(sentence):
        year, _ = _year_of(sentence, m.start())
        rest = sentence[m.end():]
        titles: list[str] = []
        if rest.startswith(("“", "\"", "「")):
            for q in re.finditer(r"[“\"「]([^”\"」]{2,40})[”\"」]([、和及与與]?)", rest):
                titles.append(q.group(1))
                if not q.group(2):
                    break
        else:
            clause = re.split(r"[，,。；;！!？?]", rest, maxsplit=1)[0].strip()
            clause = re.sub(r"(?:等)?(?:荣誉)?(?:称号|稱號)$", "", clause)
            if 4 <= len(clause) <= 40:
                titles.append(clause)
        before = sentence[: m.start()]
        for title in titles:
            if not any(w in title for w in _HONOR_WORDS):
                continue
            level, level_note = _level(title, before)
            clause = before[max((c.end() for c in _CLAUSE_END.finditer(before)), default=0):]
            to = _HONOR_TO.search(fold_in_place(clause))
            out.append(HonorHint(sentence, title, level, level_note, year, to.group(0) if to else ""))
    return out


_LEVEL_WORDS = sorted((k for k in HONOR_LEVELS if len(k) >= 2), key=len, reverse=True)


def _level(title: str, before: str) -> tuple[str, str]:
    folded = fold(title)
    for word in _LEVEL_WORDS:
        if word in folded:
            return HONOR_LEVELS[word], ""
    for word in AMBIGUOUS_LEVELS:
        if word in folded:
            return "", f"“{word}”有歧义：自治区一级写省级，市辖区一级写县级"
    if folded[:1] in ("省", "市", "县"):
        return HONOR_LEVELS[folded[:1]], ""
    fb = fold(before)
    for word in _LEVEL_WORDS:
        if word in fb:
            return HONOR_LEVELS[word], ""
    return "", f"材料中没有写明级别，请填写 {'、'.join(LEVEL_ORDER)} 之一"


# ------------------------------------------------------------------------------ drafts


@dataclass
class Draft:
    brand: str
    slug: str
    text: str
    images: dict[str, bytes]  # file name in images/ → bytes
    figures: list[Figure]
    honors: list[HonorHint]
    problems: list[str]


_PLAIN_CJK = re.compile(r"[\u3400-\u9fff](?:(?!: | #)[^\n\t\\])*(?<![ :])")


def _yaml_text(value: str) -> str:
    """A plain scalar when YAML reads it back unchanged, else a double-quoted string."""
    import yaml

    value = value.replace("\n", " ").strip()
    if _PLAIN_CJK.fullmatch(value):
        return value  # starts with a Chinese character, no ": " or " #": YAML reads it as this text
    try:
        plain_ok = yaml.load(f"k: {value}", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == {"k": value}
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and "#" not in value:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_source(sentence: str, around: str = "", limit: int = 90) -> str:
    s = sentence.replace("\n", " ").strip()
    if len(s) > limit:
        at = s.find(around) if around else 0
        lo = max(0, min(at - limit // 2, len(s) - limit))
        s = ("…" if lo else "") + s[lo : lo + limit] + ("…" if lo + limit < len(s) else "")
    return f"“{s}”"


def _ordered(keys: dict[str, list[str]]) -> list[str]:
    """Front matter in the schema's (and so ``new branch``'s) key order."""
    order = [f.key for f in BRANCH.fields]
    return [line for k in sorted(keys, key=order.index) for line in keys[k]]


_FOUNDED = re.compile(r"(?:成立|创建|創建|组建|組建|创立|創立)(?:于|於)\s*((?:19|20)[0-9]{2})\s*年"
                      r"|((?:19|20)[0-9]{2})\s*年(?:[0-9]{1,2}月)?(?:成立|创建|創建|组建|組建|创立|創立)")


def _founded(section: Section) -> tuple[int, str] | None:
    """(year, sentence) of the first "成立于2014年" / "2014年成立" in the section."""
    for b in section.blocks:
        for s in _sentences(b.text):
            m = _FOUNDED.search(s)
            if m:
                return int(m.group(1) or m.group(2)), s
    return None


REVIEW_HELP = [
    f"# {MARK}下面以“#”紧接着内容开头的行（如“#- {{…}}”）是从 Word 材料中找到的，还没有生效。逐条对照出处核对：",
    "#   采用的，删掉这一行开头的“#”（VS Code 里可按 Ctrl+/），再删掉它上面的出处行；",
    "#   不采用的，连同出处行一起删掉。全部核对完，删掉这三行说明，把 draft 改为 false 后才能发布。",
]


def _flow_scalar(text: str) -> str:
    """Plain when YAML reads it back as this text inside braces (180余次, 99%), else quoted."""
    import yaml

    if not text or re.search(r"[,\[\]{}#\"']|: |:$", text):
        return json.dumps(text, ensure_ascii=False)
    if _PLAIN_CJK.fullmatch(text):
        return text
    try:
        same = yaml.load(f"{{k: {text}}}", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == {"k": text}
    except yaml.YAMLError:
        same = False
    return text if same else json.dumps(text, ensure_ascii=False)


def _flow(pairs: list[tuple[str, object]]) -> str:
    """One suggestion as one YAML flow mapping: uncommenting is deleting one "#", whichever
    way an editor does it, so no indentation can go wrong."""
    parts = []
    for key, value in pairs:
        if isinstance(value, int):
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{key}: {_flow_scalar(str(value))}")
    return "{" + ", ".join(parts) + "}"


def render_draft(section: Section, unit: str, stem: str, vocabulary: dict[str, tuple[str, str | None]],
                 images: list[Picture | str], unit_ids: tuple[str, ...] = ()) -> Draft:
    brand = section.brand or brand_name(section)
    slug = slugify(brand)
    problems: list[str] = []
    figs: list[Figure] = []
    hons: list[HonorHint] = []
    for b in section.blocks:
        if b.kind == "table":
            for row in b.rows:
                figs += figures(" ".join(c for c in row if c), vocabulary)
            continue
        for s in _sentences(b.text):
            figs += figures(s, vocabulary)
            hons += honors(s)
    files: dict[str, bytes] = {}
    body: list[str] = []
    for b in section.blocks:
        md = b.md
        if b.kind == "h":
            md = "#" * min(6, max(2, b.level)) + " " + md
        for ph in re.findall(r"\x00brandsite-image/(\d+)\x00", md):
            img = images[int(ph)] if int(ph) < len(images) else "图片无法读取"
            if isinstance(img, str):
                problems.append(img)
                md = md.replace(f"\x00brandsite-image/{ph}\x00", "")
                continue
            name = f"{slug or stem}-{hashlib.sha256(img.data).hexdigest()[:12]}.{img.ext}"
            files[name] = img.data
            md = md.replace(f"\x00brandsite-image/{ph}\x00", f"\n\n![](images/{name})\n\n")
        md = re.sub(r"\n{3,}", "\n\n", md).strip()
        if md:
            body.append(md)

    f = BRANCH.by_key
    branch = branch_name(section)
    keys: dict[str, list[str]] = {
        "brand": [f"brand: {_yaml_text(brand)}   # {f['brand'].label}（必填）{MARK}从材料中识别，核对后删去这段注释"],
        "branch": [f"branch: {_yaml_text(branch)}   # {f['branch'].label}（必填）{MARK}从材料中识别，核对后删去这段注释"
                   if branch else f"branch:   # {f['branch'].label}（必填）：材料中没有找到，请填写，如 第六党支部"],
        "draft": [f"draft: true   # {f['draft'].label}：核对完导入建议后改为 false"],
    }
    if unit:
        keys["unit"] = [f"unit: {unit}   # {f['unit'].label}：{f['unit'].doc}"]
    elif unit_ids:
        keys["unit"] = [f"unit:   # {f['unit'].label}（必填）：请填写 data/units.yaml 中的单位 id：{'、'.join(unit_ids)}"]
    founded = _founded(section)
    if founded:
        keys["founded"] = [f"# {MARK}出处：{_quote_source(founded[1], str(founded[0]))}",
                           f"#founded: {founded[0]}   # {f['founded'].label}"]
    if figs:
        lines = [f"stats:   # {f['stats'].label}"]
        for fig in figs:
            lines.append(f"# {MARK}出处：{_quote_source(fig.sentence, fig.value)}"
                         + (f"（注意：说的是“{fig.wider}”，不只是本品牌，通常不应采用）" if fig.wider else ""))
            pairs: list[tuple[str, object]] = [("metric", fig.metric), ("value", fig.value)]
            pairs += [("year", fig.year)] if fig.year else []
            pairs += [("note", fig.note)] if fig.note else []
            guess = "统计口径中的指标" if fig.vocabulary else "统计口径中没有对应指标，按原文暂拟，可改写"
            lines.append(f"#- {_flow(pairs)}   # {guess}")
        keys["stats"] = lines
    if hons:
        lines = [f"honors:   # {f['honors'].label}"]
        for h in hons:
            lines.append(f"# {MARK}出处：{_quote_source(h.sentence, h.title)}"
                         + (f"（注意：获得荣誉的是“{h.to}”，不是本支部，通常不列为本品牌的荣誉）" if h.to else ""))
            pairs = [("title", h.title), ("level", h.level)] + ([("year", h.year)] if h.year else [])
            lines.append(f"#- {_flow(pairs)}" + (f"   # {h.level_note}" if h.level_note else ""))
        keys["honors"] = lines
    front = _ordered(keys)
    first = next((i for i, line in enumerate(front) if line.startswith(f"# {MARK}出处")), None)
    if first is not None:  # the instructions stand above the first suggestion
        front[first:first] = REVIEW_HELP
    text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"
    return Draft(brand, slug, text, files, figs, hons, problems)


def _vocabulary(root: Path) -> dict[str, tuple[str, str | None]]:
    from brandsite.content.data import load_metrics
    from brandsite.core.diagnostics import Report

    out: dict[str, tuple[str, str | None]] = {}
    for m in load_metrics(root / "data" / "metrics.yaml", Report(root)).values():
        for word in (m.name, *m.aliases):
            out.setdefault(fold(word), (m.name, m.unit))
    return out


def _unit_ids(root: Path) -> tuple[str, ...] | None:
    """Unit ids of data/units.yaml (None when there is none); problems there are for ``check``."""
    from brandsite.content.data import load_units
    from brandsite.core.diagnostics import Report

    units = load_units(root / "data" / "units.yaml", Report(root))
    return None if units is None else tuple(units)


@dataclass
class Plan:
    """What an import would write, computed before anything is written."""

    drafts: list[tuple[Path, Draft]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what could not be placed, for the editor
    written: list[Path] = field(default_factory=list)


def plan(docx: Path, root: Path, unit: str = "", split: str = "auto") -> Plan:
    """Read and convert the whole document; raises :class:`ImportProblem` for a bad input."""
    unit_ids = _unit_ids(root)
    if unit and unit_ids is not None and unit not in unit_ids:
        raise ImportProblem(f"单位 id“{unit}”在 data/units.yaml 中不存在：可用的 id 有 {'、'.join(unit_ids) or '（无）'}")
    if unit and not SLUG_RE.match(unit):
        raise ImportProblem(f"单位 id“{unit}”只能由小写英文字母、数字和连字符组成，如 xuyi")
    data = refuse_bad_input(docx)
    html, images = to_html(data, docx.name)
    blocks = read_blocks(html)
    if not any(b.text for b in blocks) and not any(isinstance(i, Picture) for i in images):
        raise ImportProblem(f"“{docx.name}”里没有文字：请确认打开的是写好内容的材料（扫描件需要先转成文字）")
    before, sections = split_sections(blocks, split)
    vocabulary = _vocabulary(root)
    out = Plan()
    lost = [b.text or "（图片）" for b in before if b.kind not in ("h", "title")]
    if lost:
        out.skipped.append(f"开头 {len(lost)} 段不属于任何品牌，没有导入（第一段：{_quote_source(lost[0], limit=30)}）")
    folder = root / "content" / "branches"
    existing = _existing_brands(folder)
    seen: dict[str, str] = {}
    for sec in sections:
        sec.brand = sec.brand or brand_name(sec) or _QUOTES.sub("", docx.stem)
        draft = render_draft(sec, unit, "import", vocabulary, images, unit_ids or ())
        where = f"“{_QUOTES.sub('', sec.heading or draft.brand)}”"
        out.skipped += [f"{where}：{p}" for p in draft.problems]
        if not draft.slug:
            out.skipped.append(f"{where}：无法从品牌名“{draft.brand}”生成文件名，没有导入")
            continue
        if draft.slug in seen:
            out.skipped.append(f"{where}：与“{seen[draft.slug]}”是同一个品牌名，没有导入（请合并两部分，或用 --split 换一种分法）")
            continue
        seen[draft.slug] = where
        target = folder / f"{draft.slug}.md"
        same = existing.get(_brand_key(draft.brand))
        if same and same != target.name:
            out.skipped.append(f"{where}：品牌“{draft.brand}”已经有文件 content/branches/{same}（简繁体或引号不同也算同一品牌），"
                               "没有导入：需要的内容请从材料里复制到那个文件")
            continue
        if target.exists():
            out.skipped.append(f"{where}：{target.relative_to(root).as_posix()} 已存在，没有覆盖（要重新导入，请先把原文件改名或移走）")
            continue
        out.drafts.append((target, draft))
    return out


def _brand_key(brand: str) -> str:
    """One brand whatever its script and quotes: 筑法秉正·先鋒行 = 筑法秉正·先锋行, “五心”服务 = 五心服务."""
    return fold(_QUOTES.sub("", brand)).replace(" ", "")


_BRAND_LINE = re.compile(r"^brand:[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?$", re.M)


def _existing_brands(folder: Path) -> dict[str, str]:
    """Brand (folded) → file name of the branch files already there, from their ``brand:`` line."""
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            head = path.read_text(encoding="utf-8-sig", errors="replace")[:4000]
        except OSError:
            continue
        m = _BRAND_LINE.search(head)
        if m and m.group(1).strip("\"' "):
            out.setdefault(_brand_key(m.group(1).strip("\"' ")), path.name)
    return out


def write(p: Plan) -> None:
    """Create every image, then every branch file; never replace a file, undo on failure."""
    made: list[Path] = []
    folders: list[Path] = []
    try:
        jobs: list[tuple[Path, bytes]] = []
        for target, draft in p.drafts:
            for name, blob in draft.images.items():
                jobs.append((target.parent / "images" / name, blob))
        jobs += [(t, d.text.encode("utf-8")) for t, d in p.drafts]
        for path, blob in jobs:
            if path.exists():
                if path.parent.name == "images" and path.read_bytes() == blob:
                    continue  # the same picture imported before: content-hashed names match
                raise ImportProblem(f"{path} 已存在，没有覆盖")
            missing = [d for d in (path.parent, *path.parent.parents) if not d.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            folders += [d for d in missing if d not in folders]
            _create(path, blob)
            made.append(path)
    except BaseException as exc:  # also Ctrl+C: an interrupted import leaves nothing behind
        for path in reversed(made):
            path.unlink(missing_ok=True)
        for d in sorted(folders, key=lambda d: len(d.parts), reverse=True):
            with contextlib.suppress(OSError):
                d.rmdir()  # only the folders this import created, and only when empty
        if isinstance(exc, OSError):
            raise ImportProblem(f"写入失败（{exc.strerror or exc}），已撤回本次写入的文件：请检查文件夹是否可写、磁盘是否已满") from None
        raise
    p.written = [t for t, _ in p.drafts]


def _create(path: Path, blob: bytes) -> None:
    """Write beside, then link into place: the name appears complete, and only if it was free."""
    tmp = path.with_name(f".{path.name}.import-tmp")
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # fails if the name was taken meanwhile: never replaces
    except FileExistsError:
        raise ImportProblem(f"{path} 已存在，没有覆盖") from None
    except OSError:  # file systems without hard links (FAT, some shares)
        if path.exists():
            raise ImportProblem(f"{path} 已存在，没有覆盖") from None
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
