"""Reading a Word report: refuse what is not a readable .docx, then mammoth → sanitised HTML → blocks.

mammoth is the library made for clean docx → HTML: it keeps what a paragraph *is* (heading,
list item, table cell, bold) and drops how Word drew it (fonts, colours, sizes). The HTML is
sanitised with nh3 like every body, then read into :class:`Block` objects that carry both the
plain text (for finding brands and figures) and the Markdown the draft's story is written in.
Images stay placeholders (``\\0brandsite-image/N\\0``) until the importer names their files.
"""

from __future__ import annotations

import html as htmlmod
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: larger files are refused: Word embeds photos at full size, and a report this big is
#: almost always uncompressed pictures (Word: 文件 → 压缩图片 shrinks it)
MAX_BYTES = 40 * 1024 * 1024
#: bound on the unpacked size, against zip bombs disguised as reports
MAX_UNPACKED = 400 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


class ImportProblem(Exception):
    """The document cannot be imported; ``str(e)`` is the Chinese message for the editor."""


def refuse_bad_input(path: Path) -> bytes:
    """The file's bytes, or a message that says what the file is and what to do instead."""
    name = path.name
    if not path.exists():
        raise ImportProblem(f"找不到文件“{path}”：请检查文件名和所在文件夹")
    if not path.is_file():
        raise ImportProblem(f"“{path}”是文件夹，不是 Word 文档：请写出 .docx 文件的路径")
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_BYTES else b""
    except OSError as exc:
        raise ImportProblem(f"无法读取“{name}”（{exc.strerror or exc}）：请确认文件没有在 Word 里打开着，且有读取权限") from None
    if size > MAX_BYTES:
        raise ImportProblem(
            f"“{name}”有 {size / 1024 / 1024:.0f} MB，超过导入上限 {MAX_BYTES // 1024 // 1024} MB，通常是文中照片没有压缩："
            "请在 Word 中点“文件 → 压缩图片”（分辨率选“Web (150 ppi)”）后另存，或把材料分成几个文件分别导入"
        )
    if not data.strip(b"\x00 \t\r\n"):
        raise ImportProblem(f"“{name}”是空文件（0 字节）：请确认保存的是写好内容的 Word 文档")
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportProblem(
                f"“{name}”设置了打开密码，无法读取：请在 Word 中打开，点“文件 → 信息 → 保护文档 → 用密码进行加密”，"
                "清空密码后保存，再导入"
            )
        raise ImportProblem(
            f"“{name}”是旧版 Word（.doc）或 WPS 格式，只能导入 .docx：请用 Word 或 WPS 打开它，"
            "“另存为”时选择“Word 文档 (*.docx)”，再导入另存的文件"
        )
    if not data.startswith(_ZIP_MAGIC):
        kind = "一个 PDF 文件" if data.startswith(b"%PDF") else "文本或其他格式的文件"
        raise ImportProblem(f"“{name}”不是 Word 文档（看起来是{kind}）：只能导入 Word 的 .docx 文件")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportProblem(f"“{name}”已损坏，无法打开：请用 Word 打开后重新“另存为” .docx 再导入") from None
    if "word/document.xml" not in names:
        other = "Excel 表格" if "xl/workbook.xml" in names else "PowerPoint 演示文稿" if "ppt/presentation.xml" in names else "压缩包"
        raise ImportProblem(f"“{name}”是{other}，不是 Word 文档：只能导入 Word 的 .docx 文件")
    if unpacked > MAX_UNPACKED:
        raise ImportProblem(f"“{name}”解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，不像一份正常的材料，没有导入")
    return data


@dataclass
class Picture:
    data: bytes
    ext: str


def to_html(data: bytes, name: str) -> tuple[str, list[Picture | str]]:
    """mammoth's HTML (sanitised) and the embedded images in order (a str: one that failed)."""
    import mammoth

    found: list[Picture | str] = []

    def image(img: object) -> dict[str, str]:
        idx = len(found)
        try:
            with img.open() as f:  # type: ignore[attr-defined]
                blob = f.read()
            found.append(_picture(blob, str(getattr(img, "content_type", "") or "")))
        except Exception as exc:  # noqa: BLE001 - a broken picture must not stop the import
            found.append(f"第 {idx + 1} 张图片无法读取（{type(exc).__name__}）")
        return {"src": f"brandsite-image:{idx}", "alt": ""}

    style_map = "p[style-name='Title'] => h1.doc-title:fresh\np[style-name='Subtitle'] => p:fresh"
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=mammoth.images.img_element(image),
                                         style_map=style_map)
    except Exception as exc:  # noqa: BLE001 - any failure inside a damaged document
        raise ImportProblem(f"“{name}”无法解析（{type(exc).__name__}）：请用 Word 打开后重新“另存为” .docx 再导入") from None
    html = result.value
    # nh3 drops unknown URL schemes; make the placeholders plain relative paths first
    html = html.replace('src="brandsite-image:', 'src="brandsite-image/')
    return _sanitize(html), found


def _sanitize(html: str) -> str:
    """The body sanitiser's rules (markup.py), plus h1: Word's top headings still split brands here."""
    import nh3

    from brandsite.content import markup

    return nh3.clean(html, tags=markup._ALLOWED_TAGS | {"h1"}, attributes=markup._ALLOWED_ATTRS,
                     url_schemes=markup._URL_SCHEMES, strip_comments=True, link_rel=None)


def _picture(blob: bytes, content_type: str) -> Picture | str:
    """Keep JPEG, PNG, GIF and WebP as they are; convert BMP/TIFF to PNG; refuse vector formats."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as im:
            fmt = im.format or ""
            if fmt in ("JPEG", "MPO"):
                return Picture(blob, "jpg")
            if fmt in ("PNG", "GIF", "WEBP"):
                return Picture(blob, fmt.lower())
            out = io.BytesIO()
            im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
            return Picture(out.getvalue(), "png")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        kind = content_type.split("/")[-1].upper() or "未知"
        return f"一张 {kind} 格式的图片（多为 Word 里画的图形或图表）无法转换：请在 Word 中右键该图“另存为图片”存成 PNG，放进 images 文件夹后手动插入"


# ------------------------------------------------------------------------------ HTML → blocks


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    _VOID = {"img", "br", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self._VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _text(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    inner = "".join(_text(c) for c in node.children)
    return inner + "\n" if node.tag == "p" else inner


def clean_text(text: str) -> str:
    """Word's invisible debris (zero-width spaces, soft hyphens, NBSP runs) out of one line."""
    text = text.translate({0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None, 0x00AD: None, 0x00A0: " ", 0x3000: " "})
    return re.sub(r"[ \t]+", " ", text).strip()


_MD_ESCAPE = re.compile(r"([\\`*_\[\]{}!|])")


def _escape(text: str) -> str:
    text = _MD_ESCAPE.sub(r"\\\1", text)
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)


def _inline(node: _Node | str, images: list[str]) -> str:
    """Markdown of inline content; ``images`` collects the placeholder indexes met."""
    if isinstance(node, str):
        return _escape(node.replace("\n", " "))
    tag = node.tag
    if tag == "br":
        return "\n"
    if tag == "img":
        src = node.attrs.get("src", "")
        if src.startswith("brandsite-image/"):
            images.append(src)
            return f"\x00{src}\x00"
        return ""
    inner = "".join(_inline(c, images) for c in node.children)
    if tag in ("strong", "b", "em", "i"):
        core = inner.strip()
        if not core or "\x00" in core:
            return inner
        mark = "**" if tag in ("strong", "b") else "*"
        return f"{mark}{core}{mark}"
    if tag == "p":  # a paragraph inside a table cell or list item
        return inner + "\n"
    if tag == "a":
        href = node.attrs.get("href", "")
        if href.startswith(("http://", "https://")) and inner.strip():
            return f"[{inner.strip()}]({href})"
    return inner


_LINE_START = re.compile(r"^(#|[-+>]|[0-9]+[.)])")


def _inline_md(node: _Node, images: list[str]) -> str:
    md = "".join(_inline(c, images) for c in node.children)
    md = md.replace("****", "")  # adjacent bold runs Word split in two
    return "\n".join(_guard_line(clean_text(line)) for line in md.split("\n")).strip()


def _guard_line(line: str) -> str:
    """Text that would start a heading, list or quote in Markdown stays text (3. → 3\\.)."""
    m = _LINE_START.match(line)
    if not m:
        return line
    mark = m.group(1)
    return ("\\" + mark if mark[0] in "#-+>" else mark[:-1] + "\\" + mark[-1]) + line[m.end():]


@dataclass
class Block:
    kind: str  # h | p | list | table | img
    text: str  # plain text (for detection and figures)
    md: str  # Markdown, with \0brandsite-image/N\0 placeholders for images
    level: int = 0  # heading level
    bold: bool = False  # a paragraph that is one bold run: a lead line
    rows: list[list[str]] = field(default_factory=list)  # plain cells of a table


def _is_all_bold(node: _Node) -> bool:
    meaningful = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
    return len(meaningful) == 1 and isinstance(meaningful[0], _Node) and meaningful[0].tag in ("strong", "b")


def read_blocks(html: str) -> list[Block]:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    out: list[Block] = []
    for node in tree.root.children:
        if isinstance(node, str):
            if node.strip():
                out.append(Block("p", clean_text(node), _escape(clean_text(node))))
            continue
        out.extend(_block(node))
    return out


def _block(node: _Node) -> Iterator[Block]:
    tag = node.tag
    if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
        imgs: list[str] = []
        md = _inline_md(node, imgs).replace("\n", " ")
        text = clean_text(_text(node).replace("\n", " "))
        if text:  # the document's title (Word's 标题 style) names the report, not a brand
            kind = "title" if "doc-title" in node.attrs.get("class", "") else "h"
            yield Block(kind, text, md, level=int(tag[1]))
        for src in imgs:
            yield Block("img", "", f"\x00{src}\x00")
        return
    if tag in ("ul", "ol"):
        lines = list(_list_lines(node, 0))
        if lines:
            yield Block("list", "\n".join(t for t, _ in lines), "\n".join(m for _, m in lines))
        return
    if tag == "table":
        yield from _table(node)
        return
    imgs = []
    md = _inline_md(node, imgs)
    bold = _is_all_bold(node)
    for part in [p for p in md.split("\n") if p.strip()] or ([""] if imgs else []):
        text = clean_text(re.sub(r"\x00[^\x00]*\x00", "", _unescape(part)))
        if text:
            yield Block("p", text, part, bold=bold)
        elif "\x00" in part:
            yield Block("img", "", part)


def _unescape(md: str) -> str:
    return htmlmod.unescape(re.sub(r"\\(.)", r"\1", md.replace("**", "")))


def _list_lines(node: _Node, depth: int) -> Iterator[tuple[str, str]]:
    n = 0
    for li in node.children:
        if not isinstance(li, _Node) or li.tag != "li":
            continue
        n += 1
        nested = [c for c in li.children if isinstance(c, _Node) and c.tag in ("ul", "ol")]
        own = _Node("li", children=[c for c in li.children if c not in nested])
        imgs: list[str] = []
        md = _inline_md(own, imgs).replace("\n", " ")
        bullet = f"{n}." if node.tag == "ol" else "-"
        if md:
            yield clean_text(_text(own)), f"{'    ' * depth}{bullet} {md}"
        for sub in nested:
            yield from _list_lines(sub, depth + 1)


def _table(node: _Node) -> Iterator[Block]:
    rows: list[list[str]] = []
    plain: list[list[str]] = []
    stack: list[_Node] = [node]
    trs: list[_Node] = []
    while stack:  # rows in document order, also inside thead/tbody
        cur = stack.pop(0)
        for c in cur.children:
            if isinstance(c, _Node):
                if c.tag == "tr":
                    trs.append(c)
                elif c.tag in ("thead", "tbody", "tfoot"):
                    stack.append(c)
    pictures: list[str] = []
    for tr in trs:
        cells = []
        texts = []
        for td in tr.children:
            if isinstance(td, _Node) and td.tag in ("td", "th"):
                imgs: list[str] = []
                md = re.sub(r"\x00[^\x00]*\x00", "", _inline_md(td, imgs)).replace("\n", " ")
                pictures += imgs  # a table cell cannot hold an image in Markdown: it follows the table
                cells.append(md.strip() or " ")
                texts.append(clean_text(_text(td).replace("\n", " ")))
                span = int(td.attrs.get("colspan", "1") or 1) if td.attrs.get("colspan", "1").isdigit() else 1
                cells += [" "] * (span - 1)
                texts += [""] * (span - 1)
        if any(t for t in texts):
            rows.append(cells)
            plain.append(texts)
    if not rows:
        yield from (Block("img", "", f"\x00{src}\x00") for src in pictures)
        return
    width = max(len(r) for r in rows)
    rows = [r + [" "] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    yield Block("table", "\n".join("，".join(t for t in r if t) for r in plain), "\n".join(lines), rows=plain)
    yield from (Block("img", "", f"\x00{src}\x00") for src in pictures)


