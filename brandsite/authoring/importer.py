"""``import 材料.docx``: the Word report a court already has → draft branch files.

Editors otherwise retype each brand from the report into YAML, which is where most
mistakes come from. mammoth turns the .docx into plain semantic HTML (it ignores Word's
styling by design), nh3 sanitises it like every body (:mod:`brandsite.authoring.docx_read`);
:mod:`brandsite.authoring.sections` splits the document into brand sections,
:mod:`brandsite.authoring.suggest` finds every figure and honor, and
:mod:`brandsite.authoring.draft` writes each section as a draft file with those as
**commented** suggestions.

This module is the command itself: it plans the whole import before anything is written
(unit ids, brands already on file, names that collide), then creates images and branch files
next to each other without ever replacing an existing file, and undoes its own files on failure.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from brandsite.authoring.docx_read import ImportProblem, Picture, read_blocks, refuse_bad_input, to_html
from brandsite.authoring.draft import Draft, _quote_source, render_draft
from brandsite.authoring.sections import _QUOTES, brand_name, split_sections
from brandsite.content.fields import SLUG_RE
from brandsite.core.script import fold

SPLITS = ("auto", "heading", "none")

__all__ = ["SPLITS", "ImportProblem", "Plan", "plan", "write"]


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
