"""One brand section → the text of its draft branch file (and its images).

The draft must read back as the YAML it looks like, keep the schema's key order that
``new branch`` uses, and carry every suggestion commented out beneath its source sentence, so an
editor adopts a figure by deleting one "#". The suggestion marker is
:data:`brandsite.checks.leftovers.REVIEW`, so the leftover check refuses a published file that still
carries one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from brandsite.authoring.docx_read import Picture
from brandsite.authoring.sections import Section, branch_name, brand_name
from brandsite.authoring.suggest import Figure, HonorHint, _sentences, figures, honors
from brandsite.checks.leftovers import REVIEW as MARK
from brandsite.content.schema import BRANCH
from brandsite.model.slugs import slugify

__all__ = ["MARK", "REVIEW_HELP", "Draft", "render_draft"]


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
