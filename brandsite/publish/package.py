"""``package``: the one zip the web team receives, and the record that it was sent.

The zip holds the built site in the folder its ``base_path`` names (``djpp/`` for ``/djpp/``),
``SHA256SUMS.txt`` (``sha256sum -c`` checks it on Linux; every other file of the zip is listed),
the 审核表 with the recorded sign-offs and a short Chinese 说明.txt. Entries are sorted and
carry the publication's date (the latest sign-off) as their time, never the clock: the same
sources and sign-offs give the same bytes, so a package can be rebuilt and compared.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from brandsite.core.diagnostics import Report
from brandsite.model.site import Site
from brandsite.publish import publication, review, signoff

MANIFEST = "SHA256SUMS.txt"
FORM = "审核表.html"
NOTES = "说明.txt"
FOLDER = "发布包"  # default place of the zips, in the source tree (ignored by git)


@dataclass
class Package:
    path: Path
    code: str
    date: str
    folder: str
    files: int
    changes: list[review.Change]
    reused: bool  # the same content as the last publication: its 审核表 and 说明 were reused


def site_folder(base_path: str) -> str:
    return base_path.strip("/") or "site"


def publication_date(entries: list[signoff.Entry], current: dict[str, str]) -> str:
    dates = [e.date for by_level in signoff.signed(entries, current).values() for e in by_level.values()]
    return max(dates) if dates else "1980-01-01"


def notes(site: Site, code: str, date: str, folder: str, changes: list[review.Change], since: str) -> str:
    cfg = site.config
    where = f"{cfg.url}" if cfg.url else f"网站的 {cfg.base_path} 路径下"
    lines = [
        f"{cfg.title} · 发布包",
        f"主办单位：{cfg.owner}",
        f"发布编号：{code}    签发日期：{date}",
        "",
        "一、如何发布",
        f"1. 把压缩包中的“{folder}”文件夹整体复制到网站上，使它的地址是 {where}。",
        f"   本网站按发布路径（base_path）{cfg.base_path} 生成，页面之间都是相对链接，不需要数据库或服务器程序。",
        "2. 不要修改文件夹中的文件；需要修改时请编辑人员修改源文件，重新审核签发后再打包。",
        f"3. 核对文件是否完整：{MANIFEST} 列出了每个文件的 SHA-256。Linux（统信UOS、麒麟）在解压后的文件夹中运行",
        f"   sha256sum -c {MANIFEST}；Windows 可用 certutil -hashfile 文件名 SHA256 逐个核对。",
        f"4. {FORM} 是本次发布的信息发布审核表（含各级签发），请存档备查。",
        "",
        f"二、本次变更（{since}）",
    ]
    if not changes:
        lines.append("无变更。")
    for kind in ("新增", "修改", "删除", "未签发"):
        picked = [c for c in changes if c.kind == kind]
        if picked:
            lines.append(f"{kind} {len(picked)} 项：")
            lines += [f"  {c.title}（{c.file}）" for c in picked]
    return "\ufeff" + "\r\n".join(lines) + "\r\n"  # BOM and CRLF: Notepad on an old Windows shows it right


def zip_bytes(files: dict[str, bytes], date: str) -> bytes:
    """A zip of ``files`` that depends on nothing else: sorted names, one fixed time, fixed attributes."""
    y, m, d = (int(x) for x in date.split("-"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(max(y, 1980), m, d, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read everywhere
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name], compresslevel=9)
    return buf.getvalue()


def manifest(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(b).hexdigest()}  {name}\n" for name, b in sorted(files.items())).encode("utf-8")


def ours(path: Path) -> bool:
    """A zip this command wrote (so it may be replaced)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return {MANIFEST, NOTES, FORM} <= names


def write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".package-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make(root: Path, site: Site, built: Path, written: list[str], zip_path: Path | None, report: Report) -> Package | None:
    """The zip of the site files ``written`` by a build (with every check) into ``built``, and the publication
    kept; None when refused. Only the build's own files go in (never a marker or stray file of the folder)."""
    got = review.build_form(root, site, report, None)
    if got is None:
        return None
    form, current, pub = got
    entries = signoff.load_record(root, Report(root), signoff.levels_of(site)) or []
    date = publication_date(entries, current)
    form.date = date
    folder = site_folder(site.config.base_path)
    reused = pub is not None and pub.code == form.code and pub.kept(FORM) is not None and pub.kept("发布说明.txt") is not None
    if reused:
        assert pub is not None
        form_html, notes_txt = pub.kept(FORM) or b"", pub.kept("发布说明.txt") or b""
    else:
        form_html = review.render(form).encode("utf-8")
        notes_txt = notes(site, form.code, date, folder, form.changes, form.since).encode("utf-8")
    files = {f"{folder}/{rel}": (built / rel).read_bytes() for rel in sorted(written)}
    files[FORM] = form_html
    files[NOTES] = notes_txt
    files[MANIFEST] = manifest(files)
    target = zip_path or root / FOLDER / f"{folder.replace('/', '-')}-{date}-{form.code}.zip"
    if target.exists() and not ours(target):
        report.error(target, 0, f"“{target}”已存在且不是发布包：为免覆盖，请用 --zip 指定另一个文件名", "package")
        return None
    if not reused and not publication.replaceable(root, report):
        return None
    write(target, zip_bytes(files, date))
    if not reused:
        kept = {FORM: form_html, "发布说明.txt": notes_txt}
        if not publication.save(root, current, form.code, date, site.config.base_path, kept, report):
            return None
    return Package(target, form.code, date, folder, len(files), form.changes, reused)
