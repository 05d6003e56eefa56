"""The 信息发布审核表: what changed since the last publication, for the people who sign it off.

Reviewers are not programmers: a line diff of Markdown and YAML is not what they can check. So a
changed source is compared as what its page shows: named fields (品牌名称, 口号 …), figures
keyed by metric and year (old → new), honors and milestones as items, and the story as
sentences (added, removed, and edited ones with the changed characters marked). The form also
carries the publishing checks' findings, the statistics sign-off list, and one blank (or the
recorded names) for every level the site asks for. It is a self-contained HTML page printed on A4.
"""

from __future__ import annotations

import base64
import difflib
import io
import re
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path

import jinja2
from markupsafe import Markup

from brandsite.content.loading import LOADERS
from brandsite.core.diagnostics import Diagnostic, Report, Severity
from brandsite.derive import signoff_list, statistics
from brandsite.model.site import Branch, Site
from brandsite.publish import publication, signoff

#: what a data file is to a reviewer
DATA_TITLES = {"data/site.yaml": "网站设置", "data/units.yaml": "单位名单", "data/metrics.yaml": "统计口径"}
KINDS = {"content/branches/": "branch", "content/news/": "news", "content/pages/": "page"}
_SENTENCE = re.compile(r"(?<=[。！？；!?;])|\n")


@dataclass
class Change:
    file: str
    kind: str  # 新增 | 修改 | 删除 | 未签发 (unchanged since the publication, but lacking sign-offs)
    title: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    figures: list[tuple[str, str, str]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    edited: list[tuple[Markup, Markup]] = field(default_factory=list)
    note: str = ""
    image: str = ""  # a small copy of a new or replaced picture (data: URI), so the form shows what is published
    old_image: str = ""  # … and of the picture it replaces, as last published


def thumbnail(path: Path, size: int = 360) -> str:
    """A JPEG data: URI of ``path`` at most ``size`` pixels wide or high; empty when it is no readable picture.

    Embedded, so the form stays one self-contained file that can be mailed and printed."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.thumbnail((size, size))
            buf = io.BytesIO()
            im.convert("RGB").save(buf, "JPEG", quality=80)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@dataclass
class Facts:
    """What one source shows a reader, in a form two versions can be compared in."""

    title: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|blockquote|pre|dt|dd|figcaption|caption)>|<br\s*/?>", re.I)
_CELL_END = re.compile(r"</t[dh]>", re.I)
_TAG = re.compile(r"<[^>]+>")


def story_sentences(html: str) -> list[str]:
    """The sentences of a rendered story: paragraphs, list items, headings and table rows never run together."""
    text = _TAG.sub("", _CELL_END.sub(" ", _BLOCK_END.sub("\n", html)))
    return sentences(unescape(text))


def _kind(rel: str) -> str | None:
    if not rel.endswith(".md"):
        return None
    return next((k for prefix, k in KINDS.items() if rel.startswith(prefix)), None)


def facts_of(rel: str, folder: Path, text: str | None, site: Site, summary_length: int) -> Facts:
    """The facts of ``folder/rel`` (a source tree or a kept publication); text files by line, others by digest."""
    kind = _kind(rel)
    obj = None
    if kind is not None:
        obj, found = LOADERS[kind](folder / rel, folder, summary_length)
        if any(d.severity is Severity.ERROR for d in found):
            obj = None  # a file with errors loads in part: show every line so no figure drops out of the form
    if obj is None:
        return Facts(DATA_TITLES.get(rel, rel), sentences=[ln.strip() for ln in (text or "").splitlines() if ln.strip() and not ln.lstrip().startswith("#")])
    f = Facts()
    if isinstance(obj, Branch):
        units = site.units or {}
        f.title = obj.brand
        f.fields = {
            "品牌名称": obj.brand, "支部名称": obj.branch,
            "所属单位": units[obj.unit_id].name if obj.unit_id in units else obj.unit_id,
            "口号": obj.slogan, "创建时间": obj.founded.zh if obj.founded else "",
            "页面更新": obj.updated.zh if obj.updated else "", "支部书记": obj.secretary,
            "党员人数": "" if obj.members is None else str(obj.members), "标签": "、".join(obj.tags),
            "封面图片": obj.cover, "封面说明": obj.cover_alt, "网址": obj.url,
        }
        for s in obj.stats:
            if s is None:
                continue
            # period and scope come with the honest-statistics model; read them where it has them
            when = getattr(s, "period_label", "") or (f"{s.year}年" if s.year else "年份未注明")
            extra = [x for x in (getattr(s, "scope", ""), s.note) if x]
            label = f"{s.metric}（{'，'.join([when, *extra])}）"
            n, key = 2, label
            while key in f.figures:
                key, n = f"{label}#{n}", n + 1
            f.figures[key] = s.shown
        items = [f"荣誉：{h.title}（{h.level}{f'，{h.year}年' if h.year else ''}{f'，{h.by}' if h.by else ''}）" for h in obj.honors]
        items += [f"大事记：{m.date.zh} {m.text}" for m in obj.milestones]
        f.sentences = items + story_sentences(obj.html)
        return f
    f.title = obj.title
    f.fields = {"标题": obj.title, "网址": obj.url}
    if kind == "news":
        date = obj.date.zh if hasattr(obj.date, "zh") else obj.date.isoformat()  # a PartialDate, or a date
        f.fields.update({"日期": date, "所属品牌": obj.branch, "标签": "、".join(obj.tags), "来源": obj.source})
    f.sentences = story_sentences(obj.html)
    return f


def _marked(old: str, new: str) -> tuple[Markup, Markup]:
    """Both versions of an edited sentence, the removed characters in <del>, the added ones in <ins>."""
    a, b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            a.append(escape(old[i1:i2]))
            b.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            a.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            b.append(f"<ins>{escape(new[j1:j2])}</ins>")
    return Markup("".join(a)), Markup("".join(b))


def _keyed(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str, str]]:
    keys = list(new) + [k for k in old if k not in new]
    return [(k, old.get(k, ""), new.get(k, "")) for k in keys if old.get(k, "") != new.get(k, "")]


def compare(change: Change, old: Facts, new: Facts) -> None:
    change.fields = _keyed(old.fields, new.fields)
    change.figures = _keyed(old.figures, new.figures)
    sm = difflib.SequenceMatcher(None, old.sentences, new.sentences, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        gone, come = old.sentences[i1:i2], new.sentences[j1:j2]
        pairs = min(len(gone), len(come)) if op == "replace" else 0
        for a, b in zip(gone[:pairs], come[:pairs], strict=True):
            if difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5:
                change.edited.append(_marked(a, b))
            else:
                change.removed.append(a)
                change.added.append(b)
        change.removed += gone[pairs:]
        change.added += come[pairs:]


def changes(root: Path, site: Site, current: dict[str, str], pub: publication.Publication | None,
            unsigned: set[str]) -> list[Change]:
    """Every published file that is new, changed or removed since ``pub``, or still lacks a sign-off."""
    before = pub.files if pub is not None else {}
    n = site.config.summary_length
    out: list[Change] = []
    for rel in sorted(set(current) | set(before)):
        if rel in current and before.get(rel) == current[rel] and rel not in unsigned:
            continue
        kind = "新增" if rel not in before else "删除" if rel not in current else "修改" if before[rel] != current[rel] else "未签发"
        binary = not rel.endswith(publication.TEXT_SUFFIXES)
        new_text = None if binary or rel not in current else (root / rel).read_bytes().decode("utf-8", "replace")
        new = facts_of(rel, root, new_text, site, n) if rel in current else Facts()
        old_text = pub.text(rel) if pub is not None and rel in before else None
        old = facts_of(rel, pub.folder, old_text, site, n) if old_text is not None else Facts()
        ch = Change(rel, kind, new.title or old.title or rel)
        if binary:
            ch.title = f"图片 {rel.rsplit('/', 1)[-1]}"
            ch.note = {"新增": "新增的图片文件", "删除": "不再使用的图片文件", "修改": "图片文件已更换（内容不同）"}.get(kind, "")
            ch.image = thumbnail(root / rel) if rel in current else ""
            was = pub.path(rel) if pub is not None and kind in ("修改", "删除") else None
            ch.old_image = thumbnail(was) if was is not None else ""
        elif kind == "修改" and old_text is None:
            ch.note = "上次发布没有保存这个文件的文字副本，无法逐句对比"
        if kind != "未签发":
            compare(ch, old, new)
        out.append(ch)
    return out


# ------------------------------------------------------------------- statistics sign-off


@dataclass
class StatRow:
    metric: str
    total: str
    mode: str
    parts: list[tuple[str, str, str, str]]  # (file:line, brand, year, value as written)


def statistics_rows(site: Site, branches: list[Branch]) -> list[StatRow]:
    """The site-wide figures with the stats each adds up, exactly as ``check --report`` lists them
    (``signoff_list.signoff``), so the 审核表 and the sign-off list cannot disagree."""
    figures, _left = signoff_list.signoff(statistics.compute(site, branches), getattr(site, "units", None) or {})
    return [StatRow(f.metric, f.shown, f"{f.where}；{f.when}",
                    [(f"{p.path}:{p.line}", p.brand, p.when, p.shown) for p in f.parts])
            for f in figures]


# ------------------------------------------------------------------------------ the form


@dataclass
class Level:
    name: str
    signers: list[tuple[str, str]]  # (name, date) when every listed file is signed at this level


@dataclass
class Form:
    title: str
    owner: str
    code: str
    base_path: str
    since: str  # what the changes are counted from
    changes: list[Change]
    findings: list[Diagnostic]
    stats: list[StatRow]
    levels: list[Level]
    date: str = ""  # the publication's date (package); empty on a form for review


def levels(entries: list[signoff.Entry], current: dict[str, str], files: list[str], names: list[str]) -> list[Level]:
    ok = signoff.signed(entries, current)
    out = []
    for lv in names:
        got = [ok.get(f, {}).get(lv) for f in files if f in current]
        if got and all(got):
            out.append(Level(lv, sorted({(e.name, e.date) for e in got if e is not None})))
        else:
            out.append(Level(lv, []))
    return out


def since_text(pub: publication.Publication | None) -> str:
    if pub is None:
        return "尚无发布记录：全部页面按新增列出"
    return f"与上次发布（编号 {pub.code}，{pub.date}）相比"


def render(form: Form) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    return env.get_template("review_form.html").render(form=form)


def findings(report: Report) -> list[Diagnostic]:
    """The publishing checks' findings a reviewer should see (the missing sign-offs are the form itself)."""
    return [d for d in report.errors + report.warnings if not d.code.startswith("signoff")]


def build_form(root: Path, site: Site, report: Report, since: Path | None, date: str = "") -> tuple[Form, dict[str, str], publication.Publication | None] | None:
    """The form for the current sources; None when the sign-off record or the publication kept is broken (reported)."""
    names = signoff.levels_of(site)
    entries = signoff.load_record(root, report, names)
    pub_report = Report(root)
    pub = publication.load(since or root / publication.FOLDER, pub_report)
    report.extend(pub_report)
    if entries is None or not pub_report.ok:
        return None
    current = signoff.digests(root, signoff.published_files(root, site))
    unsigned = set(signoff.missing(entries, current, names))
    listed = changes(root, site, current, pub, unsigned)
    branches = [b for b in site.branches if not b.draft]
    form = Form(
        site.config.title, site.config.owner, signoff.code(current), site.config.base_path, since_text(pub),
        listed, findings(report), statistics_rows(site, branches),
        levels(entries, current, [c.file for c in listed if c.kind != "删除"], names), date,
    )
    return form, current, pub


def write_form(path: Path, html: str) -> str | None:
    """Write the form unless ``path`` is a file this tool did not write; the reason when refused."""
    if path.exists() and (not path.is_file() or MARK.encode() not in path.read_bytes()[:400]):
        return f"“{path}”已存在且不是审核表：为免覆盖，请用 --output 指定另一个文件名"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html.encode("utf-8"))
    except OSError as exc:
        return f"无法写入“{path}”（{exc.strerror or exc}）：文件是否正被其他程序打开，或文件夹不可写？关闭后重试，或用 --output 指定另一个文件"
    return None


MARK = "<!-- brandsite 信息发布审核表 -->"

