"""Reading editor files: bytes → text → front matter + body, with every mistake located.

Editors save files from Word-era tools: GBK encodings, UTF-8 BOMs, CRLF line ends and
full-width punctuation are the normal case, not the exception. BOM and CRLF simply work;
everything else becomes a Chinese message naming the line and the fix, never a traceback.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from brandsite.core.diagnostics import Report

FENCE = "---"


@dataclass(frozen=True)
class SourceText:
    """A decoded Markdown source split at its front matter fences."""

    path: Path
    front: str  # YAML text between the fences ("" when the file has none)
    front_line: int  # file line number of the first YAML line
    body: str
    body_line: int  # file line number of the first body line
    digest: str  # hash of the raw bytes: the render cache key


def decode(data: bytes, path: Path, report: Report) -> str | None:
    """Decode UTF-8 (BOM tolerated) and normalise line ends; GBK files get a fix-it message."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.error(path, 1, "文件以 UTF-16 编码保存：请在编辑器中“另存为”，编码选择 UTF-8", "encoding")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            data.decode("gb18030")
            hint = "看起来是 GBK/GB18030（Windows 中文默认编码）"
        except UnicodeDecodeError:
            hint = "其中有无法识别的字节"
        report.error(
            path,
            line,
            f"文件不是 UTF-8 编码，{hint}：请用记事本或 VS Code 打开，“另存为”时把编码选为 UTF-8",
            "encoding",
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        report.error(path, text[: text.index("\x00")].count("\n") + 1, "文件中含有空字符（NUL），可能不是文本文件", "encoding")
        return None
    return text


def read_text(path: Path, report: Report) -> tuple[str, str] | None:
    """Return (text, digest) or None after reporting why the file cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(path, 0, f"无法读取文件：{exc.strerror or exc}", "io")
        return None
    text = decode(data, path, report)
    if text is None:
        return None
    return text, hashlib.blake2b(data, digest_size=16).hexdigest()


_FENCE_RE = re.compile(r"^(-{3,}|—{1,3}|－{3,})\s*$")


def split_front_matter(path: Path, text: str, digest: str, report: Report) -> SourceText | None:
    """Split ``---`` fenced YAML from the body; explain a missing or unclosed fence."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    if first != FENCE:
        if _FENCE_RE.match(first):
            report.error(path, 1, f"front matter 的分隔线应为三个半角减号“---”，这里写成了“{first}”", "front-matter")
        else:
            report.error(
                path,
                1,
                "文件开头缺少 front matter：第一行应为“---”，接着写 brand: 等属性，再以一行“---”结束",
                "front-matter",
            )
        return None
    for i in range(1, len(lines)):
        stripped = lines[i].strip()
        if stripped == FENCE or stripped == "...":
            front = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            return SourceText(path, front, 2, body, i + 2, digest)
        if _FENCE_RE.match(stripped) and stripped != FENCE:
            report.error(path, i + 1, f"front matter 的结束线应为三个半角减号“---”，这里写成了“{stripped}”", "front-matter")
            return None
    report.error(
        path,
        1,
        "front matter 没有结束：在最后一个属性之后、正文之前加一行“---”",
        "front-matter",
    )
    return None
