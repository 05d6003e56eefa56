"""先审后发: the sign-off record (``data/signoff.yaml``) and the rule that publishing needs it.

A court publishes nothing that the levels it names (拟稿, 审核, 签发 by default; ``review:`` in
data/site.yaml) have not signed. The record lives in the source tree so that it travels with
the editors' commits. It holds, for every published source file and every level, the SHA-256
of the bytes that were reviewed: editing a file after signing changes its digest, and the old
sign-off no longer counts. Names are plain text (no accounts, no passwords, no server).

The file is written one entry per line, one entry per file per level, sorted by file and
level, so that two editors' sign-offs touch different lines; the shipped ``.gitattributes``
adds git's built-in ``union`` merge for it, so even two sign-offs inserted at the same place
merge without a conflict. Entries duplicated by such a merge are harmless (any entry with the
current digest counts) and are folded into one when that file and level are signed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from brandsite.content.data import SIGNOFF_RECORD
from brandsite.content.yamlio import load_file
from brandsite.core.diagnostics import Report
from brandsite.features import image_refs
from brandsite.model.site import Site

DEFAULT_LEVELS = ("拟稿", "审核", "签发")
RECORD = SIGNOFF_RECORD
#: data files whose content reaches the published pages (names, units, how totals are formed)
DATA_FILES = ("data/site.yaml", "data/units.yaml", "data/metrics.yaml")
CONTENT_DIRS = ("content/branches", "content/news", "content/pages")
_KEYS = ("file", "level", "name", "date", "sha256")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEADER = (
    "# 审核签发记录（先审后发）：由 python build.py sign 写入，每个文件每一级一行。\n"
    "# 请不要手工修改。文件在签发后又被修改时，原有签发自动失效，需要重新审核签发。\n"
)
_HOW = "此文件由 python build.py sign 写入，请不要手工修改；改坏时可从版本库中恢复上一版"


@dataclass(frozen=True)
class Entry:
    """One signature: ``name`` signed ``file`` (with this SHA-256) at ``level`` on ``date``."""

    file: str
    level: str
    name: str
    date: str  # YYYY-MM-DD
    sha256: str
    line: int = 0


def levels_of(site: Site) -> list[str]:
    return list(site.config.review) or list(DEFAULT_LEVELS)


def published_files(root: Path, site: Site) -> list[str]:
    """Every source file whose content reaches the published site, relative to ``root``, sorted.

    Drafts are left out (they are not published); images a published page shows are in, since
    a swapped photo is a change the reviewers must see."""
    files: set[str] = {f for f in DATA_FILES if (root / f).is_file()}
    loaded = {PurePosixPath(doc.path).as_posix() for doc in (*site.branches, *site.news, *site.pages)}
    for folder in CONTENT_DIRS:  # a file that failed to load may well be published once fixed: not "removed"
        if (root / folder).is_dir():
            files.update(rel for p in (root / folder).rglob("*.md")
                         if p.is_file() and (rel := p.relative_to(root).as_posix()) not in loaded)
    for doc in (*site.branches, *site.news, *site.pages):
        if getattr(doc, "draft", False):
            continue
        files.add(PurePosixPath(doc.path).as_posix())
        for src in image_refs.shown(doc):
            if image_refs.is_external(src):
                continue
            target = image_refs.resolve(root / doc.path, src)
            try:
                rel = target.relative_to(root).as_posix()
            except ValueError:
                continue
            if target.is_file():
                files.add(rel)
    return sorted(files)


TEXT_SUFFIXES = (".md", ".yaml", ".yml")


def sha256_of(path: Path) -> str:
    """The digest a sign-off records. A text source is hashed with Unix line ends and no BOM: git on
    Windows (core.autocrlf) checks files out with CRLF, on 统信UOS with LF, and the pages are the same,
    so a colleague's checkout must not void a signature. Every other byte counts."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
        return hashlib.sha256(raw).hexdigest()
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digests(root: Path, files: list[str]) -> dict[str, str]:
    return {f: sha256_of(root / f) for f in files}


def code(current: dict[str, str]) -> str:
    """A short number for one state of the published content, printed on the 审核表 and the package.

    ``sign --code`` compares it, so a reviewer's signature is not put on content edited after
    the form was printed."""
    h = hashlib.sha256("".join(f"{f}\t{d}\n" for f, d in sorted(current.items())).encode("utf-8")).hexdigest()
    return "-".join(h[i : i + 4] for i in range(0, 12, 4)).upper()


# --------------------------------------------------------------------------- the record


def load_record(root: Path, report: Report, levels: list[str]) -> list[Entry] | None:
    """The entries of data/signoff.yaml ([] when there is none); None when it is malformed (reported)."""
    path = root / RECORD
    if not path.is_file():
        return []
    errors_before = len(report.errors)
    doc = load_file(path, report)
    if doc is None:
        return None
    if doc.value in (None, {}, []):
        return []
    if not isinstance(doc.value, list):
        report.error(path, 1, f"签发记录应为列表，每项一行：- {{file: …, level: …, name: …, date: …, sha256: …}}（{_HOW}）", "signoff-record")
        return None
    entries: list[Entry] = []
    for i, row in enumerate(doc.value):
        line = doc.line((i,))
        if not isinstance(row, dict):
            report.error(path, line, f"这一项不是签发记录：应写成 - {{file: …, level: …, name: …, date: …, sha256: …}}（{_HOW}）", "signoff-record")
            continue
        unknown = [k for k in row if k not in _KEYS]
        missing = [k for k in _KEYS if k not in row or row[k] in (None, "")]
        if unknown:
            report.error(path, doc.line((i, unknown[0])), f"签发记录中有未知属性“{unknown[0]}”：只能有 {'、'.join(_KEYS)}（{_HOW}）", "signoff-record")
        if missing:
            report.error(path, line, f"签发记录缺少 {'、'.join(missing)}：每一项都应有 {'、'.join(_KEYS)}（{_HOW}）", "signoff-record")
        if unknown or missing:
            continue
        sha = str(doc.raw.get((i, "sha256"), row["sha256"])).strip().lower()  # as written: 0123… is no number
        if not _HEX64.match(sha):
            report.error(path, doc.line((i, "sha256")), f"sha256“{row['sha256']}”不是 64 位十六进制摘要（{_HOW}）", "signoff-record")
            continue
        date = _date(row["date"])
        if date is None:
            report.error(path, doc.line((i, "date")), f"签发日期“{row['date']}”应写成 2024-12-01 这样的年-月-日（{_HOW}）", "signoff-record")
            continue
        entry = Entry(str(row["file"]).strip(), str(row["level"]).strip(), str(row["name"]).strip(), date, sha, line)
        if entry.level not in levels:
            report.warning(path, line, f"签发级别“{entry.level}”不在 data/site.yaml 的 review（{'、'.join(levels)}）中，这条签发不起作用", "signoff-level")
        entries.append(entry)
    return entries if len(report.errors) == errors_before else None


def _date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        return None


def render_record(entries: list[Entry], levels: list[str]) -> str:
    """One line per entry, sorted by file and level order: the form that merges line by line."""
    rank = {lv: i for i, lv in enumerate(levels)}
    rows = sorted(entries, key=lambda e: (e.file, rank.get(e.level, len(rank)), e.level, e.date, e.name, e.sha256))
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - a JSON string is a YAML double-quoted scalar
    lines = [f"- {{file: {q(e.file)}, level: {q(e.level)}, name: {q(e.name)}, date: {e.date}, sha256: {q(e.sha256)}}}\n" for e in rows]
    return _HEADER + "".join(lines)


def write_record(root: Path, entries: list[Entry], levels: list[str]) -> None:
    """Replace data/signoff.yaml in one step: a crash leaves the old record or the new one, never half."""
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".signoff-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(render_record(entries, levels).encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- what is signed


def signed(entries: list[Entry], current: dict[str, str]) -> dict[str, dict[str, Entry]]:
    """file → level → the entry that signs the file's current content."""
    out: dict[str, dict[str, Entry]] = {}
    for e in entries:
        if current.get(e.file) == e.sha256:
            out.setdefault(e.file, {}).setdefault(e.level, e)
    return out


def missing(entries: list[Entry], current: dict[str, str], levels: list[str]) -> dict[str, list[str]]:
    """file → the levels that have not signed its current content (files fully signed left out)."""
    ok = signed(entries, current)
    out = {}
    for f in sorted(current):
        lack = [lv for lv in levels if lv not in ok.get(f, {})]
        if lack:
            out[f] = lack
    return out


def require(root: Path, site: Site, report: Report) -> None:
    """The publishing rule: every published file's current content signed at every level."""
    levels = levels_of(site)
    entries = load_record(root, report, levels)
    if entries is None:
        return  # the record's own errors already stop the build
    current = digests(root, published_files(root, site))
    stale = {e.file for e in entries if e.level in levels and current.get(e.file) != e.sha256}
    for f, lack in missing(entries, current, levels).items():
        names = "、".join(f"“{lv}”" for lv in lack)
        why = "签发后文件又被修改，原有签发已失效" if f in stale else "尚未审核签发"
        report.error(
            root / f, 1,
            f"{why}，缺少{names}：请运行 python build.py review 生成审核表，审核后依次运行 "
            f"python build.py sign --as {lack[0]} --name 姓名（未签发的内容不能发布）",
            "signoff",
        )


@dataclass
class Signing:
    """What ``sign`` did (or why it refused)."""

    signed: list[str]
    blocked: dict[str, list[str]]  # file → earlier levels still missing


def sign(root: Path, site: Site, level: str, name: str, date: str, report: Report) -> Signing | None:
    """Record ``level`` by ``name`` for every published file whose current content lacks it.

    Levels are signed in order (先审后签): a file whose earlier levels are missing is not signed,
    and then nothing is written. None when the record is malformed (nothing is written either)."""
    levels = levels_of(site)
    entries = load_record(root, report, levels)
    if entries is None:
        return None
    current = digests(root, published_files(root, site))
    ok = signed(entries, current)
    before = levels[: levels.index(level)]
    todo, blocked = [], {}
    for f in sorted(current):
        have = ok.get(f, {})
        if level in have:
            continue
        lack = [lv for lv in before if lv not in have]
        if lack:
            blocked[f] = lack
        else:
            todo.append(f)
    if blocked or not todo:
        return Signing([], blocked)
    replaced = set(todo)
    kept = [e for e in entries if not (e.file in replaced and e.level == level)]
    new = [Entry(f, level, name, date, current[f]) for f in todo]
    write_record(root, one_per_level(kept + new, current), levels)
    return Signing(todo, {})


def one_per_level(entries: list[Entry], current: dict[str, str]) -> list[Entry]:
    """One entry per file and level again after a merge kept both sides' lines: the one that signs
    the current content (else the latest), so the record stays one line per file per level."""
    best: dict[tuple[str, str], Entry] = {}
    for e in entries:
        key = (e.file, e.level)
        rank = (current.get(e.file) == e.sha256, e.date, e.name, e.sha256)
        old = best.get(key)
        if old is None or rank > (current.get(old.file) == old.sha256, old.date, old.name, old.sha256):
            best[key] = e
    return list(best.values())
