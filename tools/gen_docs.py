#!/usr/bin/env python3
"""Regenerate the 属性参考 block of docs/编辑指南.md from the schema.

The field tables of the editor guide are written by :func:`brandsite.content.guide_tables.markdown_reference`,
the same schema objects that validate editors' files, so the guide cannot promise a field the
tool does not accept. The block sits between two marker lines in the guide; everything outside
the markers is hand-written and left alone.

    python tools/gen_docs.py            # rewrite the block in place
    python tools/gen_docs.py --check    # exit 1 when the guide is stale (for CI)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from brandsite.content.guide_tables import markdown_reference  # noqa: E402 - needs the path above

GUIDE = REPO / "docs" / "编辑指南.md"
START = "<!-- 属性参考：由 tools/gen_docs.py 生成，请勿手改 -->"
END = "<!-- 属性参考结束 -->"


class MarkerError(ValueError):
    """The guide does not contain exactly one well-ordered pair of marker lines."""


def _marker(text: str, marker: str) -> re.Match[str]:
    found = list(re.finditer(rf"^{re.escape(marker)}[ \t]*\r?$", text, re.M))
    if len(found) != 1:
        what = "找不到" if not found else f"出现了 {len(found)} 次"
        raise MarkerError(f"标记行“{marker}”{what}：指南中必须恰好有一行")
    return found[0]


def split(text: str) -> tuple[str, str, str]:
    """(text up to and including the start marker line, the generated block, the rest from the end marker)."""
    start, end = _marker(text, START), _marker(text, END)
    if end.start() < start.end():
        raise MarkerError(f"结束标记“{END}”应在开始标记“{START}”之后")
    head_end = text.find("\n", start.end())
    head_end = len(text) if head_end < 0 else head_end + 1
    return text[:head_end], text[head_end : end.start()], text[end.start() :]


def extract(text: str) -> str:
    """The block currently between the marker lines."""
    return split(text)[1]


def reference_block() -> str:
    """What belongs between the markers: the schema reference, ending in a newline."""
    ref = markdown_reference()
    return ref if ref.endswith("\n") else ref + "\n"


def regenerate(text: str) -> str:
    head, _, tail = split(text)
    return head + reference_block() + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="由 brandsite/content/schema.py（经 guide_tables.py）重新生成编辑指南中的“属性参考”")
    parser.add_argument("--check", action="store_true", help="只检查，指南过期时退出码为 1 / exit 1 if stale")
    parser.add_argument("--guide", type=Path, default=GUIDE, help="指南文件 / guide path (default: docs/编辑指南.md)")
    args = parser.parse_args(argv)
    try:
        text = args.guide.read_text(encoding="utf-8")
        fresh = regenerate(text)
    except (OSError, MarkerError) as exc:
        print(f"{args.guide}: {exc}", file=sys.stderr)
        return 2
    if fresh == text:
        print(f"{args.guide}: 属性参考已是最新 / up to date")
        return 0
    if args.check:
        print(f"{args.guide}: 属性参考已过期，请运行 python tools/gen_docs.py / stale, run python tools/gen_docs.py",
              file=sys.stderr)
        return 1
    with open(args.guide, "w", encoding="utf-8", newline="") as fh:  # keep the file's "\n" line ends
        fh.write(fresh)
    print(f"{args.guide}: 属性参考已更新 / updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
