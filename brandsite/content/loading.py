"""One source file → one model object plus its diagnostics.

Everything here depends on a single file only, so results can be cached by content hash
and computed in worker processes. Checks that need several files (unit ids, duplicate
slugs, the metrics vocabulary) live in :mod:`brandsite.derive.validation`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brandsite.content import fields, image_hints, levels, markup, schema
from brandsite.content.sources import SourceText, read_text, split_front_matter
from brandsite.content.yamlio import Located, load
from brandsite.core.diagnostics import Diagnostic, Report
from brandsite.core.script import is_traditional
from brandsite.model.numbers import NumberError, format_quantity, parse_quantity
from brandsite.model.site import Branch, Honor, Milestone, News, Page, Photo, Stat
from brandsite.model.slugs import pinyin_key, slugify

Result = tuple[Any, list[Diagnostic]]


def _source(path: Path, report: Report) -> tuple[SourceText, Located] | None:
    got = read_text(path, report)
    if got is None:
        return None
    src = split_front_matter(path, got[0], got[1], report)
    if src is None:
        return None
    doc = load(src.front, path, report, src.front_line)
    if doc is None:
        return None
    return src, doc


def _lang(*texts: str) -> str:
    return "zh-Hant" if is_traditional("".join(texts)) else "zh-CN"


def _default_slug(path: Path, title: str) -> str:
    stem = path.stem.lower()
    if fields.SLUG_RE.match(stem):
        return stem
    return slugify(title)


def load_branch(path: Path, root: Path, summary_length: int = 80) -> Result:
    report = Report(root)
    got = _source(path, report)
    if got is None:
        return None, report.items
    src, doc = got
    data = fields.check(schema.BRANCH, doc, path, report)
    if data is None:
        return None, report.items
    brand = data.get("brand", "")
    stats = [_stat(row, path, doc, report) for row in data.get("stats", [])]
    honors = sorted(
        (
            Honor(r["title"], r["level"], r.get("year"), r.get("by", ""), r["_line"], _level_shown(doc, r["_line"]),
                  r.get("to") or "支部")
            for r in data.get("honors", [])
            if "title" in r and "level" in r
        ),
        key=lambda h: (h.year is None, -(h.year or 0)),
    )
    milestones = sorted(
        (Milestone(r["date"], r["text"], r["_line"]) for r in data.get("milestones", []) if "date" in r and "text" in r),
        key=lambda m: m.date.sort_key(),
    )
    cover = data.get("cover", "")
    cover_alt = data.get("cover_alt", "")
    weak = image_hints.weak_alt(cover_alt) if cover_alt else None
    if weak:
        report.error(path, doc.line(("cover_alt",)), weak, "cover-alt")
    if cover:
        if not cover_alt:
            report.error(path, doc.line(("cover",)), "填写了封面图 cover，但缺少 cover_alt（图片文字说明，供读屏软件朗读）", "cover-alt")
        # whether the file exists is a question about another file: the image checks of the site
        # (image_check.check) ask it on every build, so adding the picture clears the error
    elif cover_alt:
        report.warning(path, doc.line(("cover_alt",)), "填写了 cover_alt 但没有封面图 cover", "cover-alt")

    rendered = markup.render(src.body)
    slug = data.get("slug") or slugify(brand)
    if brand and not slug:
        report.error(path, doc.line(("brand",)), f"无法从品牌名“{brand}”生成网址名：请填写 slug，如 slug: my-brand", "slug")
    summary = data.get("summary") or markup.summarize(markup.first_paragraph(rendered.html), summary_length)
    if not report.ok and not (brand and slug):
        return None, report.items
    # With errors (the build is refused anyway) the branch is still returned with its valid parts,
    # so the checks across files (units, metric units, news that name it) run in the same round.
    order = data.get("order")
    branch = Branch(
        path=report.rel(path),
        slug=slug,
        slug_line=doc.line(("slug",)) if "slug" in data else doc.line(("brand",)),
        brand=brand,
        branch=data.get("branch", ""),
        unit_id=data.get("unit", ""),
        unit_line=doc.line(("unit",)),
        slogan=data.get("slogan", ""),
        founded=data.get("founded"),
        updated=data.get("updated"),
        secretary=data.get("secretary", ""),
        members=data.get("members"),
        tags=data.get("tags", []),
        cover=cover,
        cover_alt=cover_alt,
        logo=data.get("logo", ""),
        gallery=[Photo(r["src"], r["alt"], r.get("caption", ""), r["_line"])
                 for r in data.get("gallery", []) if "src" in r and "alt" in r],
        summary=summary,
        order=order,
        draft=data.get("draft", False),
        stats=[s for s in stats if s is not None],
        honors=honors,
        milestones=milestones,
        html=rendered.html,
        toc=rendered.toc,
        text=rendered.text,
        lang=_lang(brand, data.get("slogan", ""), rendered.text[:400]),
        digest=src.digest,
        sort_key=(order is None, order or 0, pinyin_key(brand)),
        branch_descriptive=data.get("branch_descriptive", False),
    )
    return branch, report.items


def _stat(row: dict[str, Any], path: Path, doc: Located, report: Report) -> Stat | None:
    if "metric" not in row or "value" not in row:
        return None
    line = row["_line"]
    unit = row.get("unit") or None
    try:
        q = parse_quantity(row["value"], unit=unit)
    except NumberError as exc:
        report.error(path, _value_line(doc, line), str(exc), "number")
        return None
    when = row.get("year")  # a PartialDate: a year, or a month when the source gives one
    return Stat(row["metric"], q, format_quantity(q), when.year if when else None, row.get("note", ""), line,
                period=row.get("period", ""), scope=row.get("scope", ""),
                when=when if when is not None and when.month is not None else None)


def _level_shown(doc: Located, item_line: int) -> str:
    """The ``level`` of the honor that starts at ``item_line``, as written (区级, 省、市、区)."""
    honors = doc.value.get("honors") if isinstance(doc.value, dict) else None
    for i, row in enumerate(honors if isinstance(honors, list) else []):
        if doc.lines.get(("honors", i)) == item_line and isinstance(row, dict):
            return levels.level_as_written(row.get("level"))
    return ""


def _value_line(doc: Located, item_line: int) -> int:
    """Line of the ``value:`` key inside the stats item that starts at ``item_line``."""
    for key, ln in doc.lines.items():
        if len(key) == 3 and key[0] == "stats" and key[2] == "value" and doc.lines.get(key[:2]) == item_line:
            return ln
    return item_line


def load_news(path: Path, root: Path, summary_length: int = 80) -> Result:
    report = Report(root)
    got = _source(path, report)
    if got is None:
        return None, report.items
    src, doc = got
    data = fields.check(schema.NEWS, doc, path, report)
    if data is None or not report.ok:
        return None, report.items
    rendered = markup.render(src.body)
    title = data["title"]
    news = News(
        path=report.rel(path),
        slug=data.get("slug") or _default_slug(path, title) or "news",
        title=title,
        date=data["date"],
        branch=data.get("branch", ""),
        branch_line=doc.line(("branch",)),
        tags=data.get("tags", []),
        summary=data.get("summary") or markup.summarize(markup.first_paragraph(rendered.html), summary_length),
        source=data.get("source", ""),
        draft=data.get("draft", False),
        html=rendered.html,
        text=rendered.text,
        lang=_lang(title, rendered.text[:400]),
        digest=src.digest,
    )
    return news, report.items


def load_page(path: Path, root: Path, summary_length: int = 80) -> Result:
    report = Report(root)
    got = _source(path, report)
    if got is None:
        return None, report.items
    src, doc = got
    data = fields.check(schema.PAGE, doc, path, report)
    if data is None or not report.ok:
        return None, report.items
    rendered = markup.render(src.body)
    title = data["title"]
    page = Page(
        path=report.rel(path),
        slug=data.get("slug") or _default_slug(path, title) or "page",
        title=title,
        summary=data.get("summary") or markup.summarize(markup.first_paragraph(rendered.html), summary_length),
        order=data.get("order"),
        draft=data.get("draft", False),
        html=rendered.html,
        text=rendered.text,
        lang=_lang(title, rendered.text[:400]),
        digest=src.digest,
    )
    return page, report.items


LOADERS = {"branch": load_branch, "news": load_news, "page": load_page}
