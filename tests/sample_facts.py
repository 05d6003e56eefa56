"""The facts of the sample content that docs/sample-sources.md must trace to a seed, and how its rows are read.

A fact is every stat, honor, milestone, founding date, news date and every figure written in a
story: what an office would have to defend if it were published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import opencc

from brandsite import pipeline
from brandsite.core.diagnostics import Report

_T2S = opencc.OpenCC("t2s")
#: the seeds carry pinyin annotations after some characters ("区(qū)"), left over from a converter
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
#: a figure in a story: a month (2024年12月), or a number with the character after it (its unit, 年, 名 …),
#: which tells 17次 from 17个
_FIGURE = re.compile(r"[0-9]{4}年[0-9]{1,2}月|(?<![0-9.])[近约]?[0-9]+(?:\.[0-9]+)?[万亿]?[余多]?[^0-9\s，。、；：,.]?")
#: the numbers of an ordered list ("1. 忠心向党") are no figures
_LIST_NUMBER = re.compile(r"^\s*[0-9]+\.\s", re.M)
_NUMBER = re.compile(r"[近约]?(?:[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千]+)[万亿]?[余多]?")
KINDS = ("成效", "荣誉", "大事记", "创建", "动态日期", "正文数字")


def norm(text: str) -> str:
    """Simplified script, no annotations, no spaces: how quotes are compared with the seeds."""
    return re.sub(r"\s+", "", _PINYIN.sub("", _T2S.convert(text))).replace("\ufe62", "+").replace("\uff0b", "+")


@dataclass(frozen=True)
class Fact:
    path: str
    kind: str
    key: str  # what the table's 项目 column says
    needles: tuple[str, ...]  # one of these must be in the quoted words
    unit: str


def _body(text: str) -> str:
    body = text.split("\n---\n", 1)[1] if text.startswith("---") else text
    return _LIST_NUMBER.sub("", body)


def facts(root: Path) -> list[Fact]:
    opts = pipeline.Options(root=root, use_cache=False, workers=1, drafts=True)
    report = Report(opts.root)
    site = pipeline.load(opts, report)
    out: list[Fact] = []
    for b in site.branches:
        for s in b.stats:
            m = _NUMBER.match(norm(s.shown))
            out.append(Fact(b.path, "成效", f"{s.metric} {s.shown}", (m.group(0) if m else s.shown,), b.unit_id))
        for h in b.honors:
            out.append(Fact(b.path, "荣誉", h.title, (re.sub(r"（[^）]*）", "", h.title),), b.unit_id))
        for ms in b.milestones:
            out.append(Fact(b.path, "大事记", f"{ms.date.iso} {ms.text}", (ms.date.zh, ms.date.iso), b.unit_id))
        if b.founded:
            out.append(Fact(b.path, "创建", b.founded.iso, (b.founded.zh, str(b.founded.year)), b.unit_id))
    brands = {b.brand: b.unit_id for b in site.branches}
    for n in site.news:
        out.append(Fact(n.path, "动态日期", n.date.iso, (n.date.zh, n.date.iso), brands.get(n.branch, "")))
    for p in sorted((root / "content").rglob("*.md")):
        rel = p.relative_to(root).as_posix()
        unit = next((b.unit_id for b in site.branches if b.path == rel), "")
        unit = unit or next((brands.get(n.branch, "") for n in site.news if n.path == rel), "")
        seen: set[str] = set()
        for token in _FIGURE.findall(norm(_body(p.read_text(encoding="utf-8")))):
            if token not in seen:
                seen.add(token)
                bare = _NUMBER.match(token)
                out.append(Fact(rel, "正文数字", token, (token, bare.group(0) if bare else token), unit))
    return out


@dataclass(frozen=True)
class Row:
    path: str
    kind: str
    key: str
    seed: str
    quote: str


def rows(doc: str) -> list[Row]:
    """The table rows of docs/sample-sources.md: | 文件 | 类别 | 项目 | 种子 | 原文 |."""
    found = []
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1] in KINDS:
            path, kind, key, seed, quote = cells
            found.append(Row(path.strip("`"), kind, key, seed.strip("`"), quote.strip("“”")))
    return found
