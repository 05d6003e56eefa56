"""The last signed-off publication: what ``review`` compares the sources with.

``package`` keeps, in ``data/published/``, a byte copy of every published source (Markdown,
data/*.yaml and the pictures pages show) with the SHA-256 of each, as they were in the package
sent to the web team. The folder is part of the source tree, so it goes into the editors'
commits and every editor's ``review`` compares with the same publication, no git needed. In
git the copies cost nothing: a copy has the same bytes as its source, hence the same blob.

Only ``package`` writes the folder, and it replaces it only when every file in it is one it
wrote itself (listed in ``publication.yaml``): the tool never deletes a file it did not create.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from brandsite.content.yamlio import load_file
from brandsite.core.diagnostics import Report
from brandsite.publish.signoff import TEXT_SUFFIXES

FOLDER = "data/published"
INFO = "publication.yaml"
README = "说明.txt"
#: the package's own 审核表 and 说明, archived with the publication
KEPT = ("审核表.html", "发布说明.txt")
_HEADER = "# 上次发布的记录：由 python build.py package 写入，review 用它列出修改；请不要手工修改或删除本文件夹。\n"
_README = (
    "本文件夹由 python build.py package 写入，保存上次发布（交给网站管理部门的发布包）时的内容副本，\r\n"
    "python build.py review 用它列出此后新增、修改、删除的页面和改动的文字、数字。\r\n"
    "请随其他文件一起提交到版本库，不要手工修改或删除；下次打包时会自动更新。\r\n"
)


@dataclass
class Publication:
    folder: Path
    code: str = ""
    date: str = ""
    base_path: str = ""
    files: dict[str, str] = field(default_factory=dict)  # source path → SHA-256

    def path(self, rel: str) -> Path | None:
        """The published copy of a source file, when kept."""
        p = self.folder / rel
        return p if rel in self.files and p.is_file() else None

    def kept(self, name: str) -> bytes | None:
        p = self.folder / name
        return p.read_bytes() if name in KEPT and p.is_file() else None

    def text(self, rel: str) -> str | None:
        """The published text of a source, when a copy was kept."""
        p = self.folder / rel
        if not rel.endswith(TEXT_SUFFIXES) or not p.is_file():
            return None
        return p.read_bytes().decode("utf-8", errors="replace")


def load(folder: Path, report: Report) -> Publication | None:
    """The publication kept in ``folder``; None when there is none yet (or its record is broken: reported)."""
    info = folder / INFO
    if not info.is_file():
        return None
    doc = load_file(info, report)
    if doc is None:
        return None
    v = doc.value if isinstance(doc.value, dict) else {}
    files = v.get("files")
    if not isinstance(files, dict) or not all(isinstance(d, str) and len(d) == 64 for d in files.values()):
        report.error(info, doc.line(("files",)), "发布记录已损坏（files 应为“文件: SHA-256”）：请从版本库恢复本文件，"
                     "或删除整个 data/published 文件夹（下次审核表会把全部页面列为新增）", "publication")
        return None
    return Publication(folder, str(v.get("code", "")), str(v.get("date", "")), str(v.get("base_path", "")),
                       {str(k): str(d) for k, d in files.items()})


def render_info(code: str, date: str, base_path: str, files: dict[str, str]) -> str:
    lines = [_HEADER, f"code: {code}\n", f"date: {date}\n", f'base_path: "{base_path}"\n', "files:\n"]
    lines += [f'  "{f}": {d}\n' for f, d in sorted(files.items())]
    return "".join(lines)


def _ours(folder: Path, report: Report) -> bool:
    """True when every file below ``folder`` is one ``save`` wrote (so it may be replaced)."""
    pub = load(folder, report)
    if pub is None:
        return False
    known = {INFO, README, *KEPT, *pub.files}
    for p in folder.rglob("*"):
        if p.is_file() and p.relative_to(folder).as_posix() not in known:
            report.error(p, 0, f"{FOLDER} 中有不是打包时写入的文件“{p.relative_to(folder).as_posix()}”：请把它移到别处后再打包", "publication")
            return False
    return True


def replaceable(root: Path, report: Report) -> bool:
    """Whether data/published may be replaced (absent, or holding only files ``save`` wrote); reported if not."""
    target = root / FOLDER
    if target.exists() and not (target / INFO).is_file():
        report.error(target, 0, f"{FOLDER} 已存在，但不是打包时写入的发布记录：请把它改名或移走后再打包", "publication")
        return False
    return not target.exists() or _ours(target, report)


def save(root: Path, current: dict[str, str], code: str, date: str, base_path: str,
         extra: dict[str, bytes], report: Report) -> bool:
    """Keep this publication in data/published (replacing the previous one); False when refused (reported).

    ``extra``: the 审核表 and 说明 of the package, kept as the archived trail of this publication
    and reused when the same content is packaged again (so the zip comes out byte for byte the same)."""
    target = root / FOLDER
    if not replaceable(root, report):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=".published-new-", dir=target.parent))
    try:
        for rel in sorted(current):  # pictures too: a story's cover must be there to read the story again
            dest = new / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, dest)
        (new / README).write_bytes(("\ufeff" + _README).encode("utf-8"))
        for name, payload in sorted(extra.items()):
            (new / name).write_bytes(payload)
        (new / INFO).write_bytes(render_info(code, date, base_path, current).encode("utf-8"))
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".published-old-", dir=target.parent))
            os.replace(target, old / "published")
        os.replace(new, target)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)  # the previous copy, every file of which this module wrote (checked above)
    return True
