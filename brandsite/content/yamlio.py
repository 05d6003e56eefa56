"""Safe YAML with line numbers, for messages that point at the offending key or value.

PyYAML's composer gives every node a start mark; we build plain Python values from the
node tree ourselves so we can (a) remember the line of every key and list item, (b) refuse
duplicate keys (PyYAML silently keeps the last one: an editor's text would vanish), and
(c) bound the work, so an alias bomb ("billion laughs") fails fast instead of hanging.
Before parsing, the text is scanned for the mistakes editors actually make (full-width
colons, tabs, a missing space after the colon) so the message names the fix instead of
quoting a YAML parser error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from brandsite.core.diagnostics import Report

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Upper bound on nodes visited per document: a real front matter has well under 1,000.
MAX_NODES = 50_000

Key = tuple[str | int, ...]


@dataclass
class Located:
    """A parsed YAML document plus the file line of every key path ("stats", 0, "value")."""

    value: Any
    lines: dict[Key, int] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)  # scalars as written, e.g. "2014" for 2014
    first_line: int = 1
    #: the composed node tree, for loaders that walk it themselves (the rule files); None for an empty document
    node: Node | None = None

    def line(self, key: Key) -> int:
        """Line of ``key``, or of its nearest located parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), self.first_line)


class _TooLarge(Exception):
    pass


# Only ASCII keys: "主办单位：某某法院" in a list is ordinary Chinese text, "brand：" is a mistake.
_FULLWIDTH_COLON = re.compile(r"^(\s*-?\s*)([A-Za-z_][\w\-]*)\s*：")
_NO_SPACE = re.compile(r"^(\s*-?\s*)([A-Za-z_][\w\-]*):(?=[^\s/])")


#: what every mistake ``_prescan`` repairs needs somewhere in the text: a tab, a full-width colon, or
#: a colon followed by something other than a space or a slash (``_NO_SPACE``'s lookahead). A text
#: with none of them (nearly every file) skips the line-by-line pass, a fifth of its YAML time.
_COLON_THEN_TEXT = re.compile(r":[^\s/]")


def _prescan(text: str, path: Path, first_line: int, report: Report) -> str | None:
    """Catch editor mistakes with a precise fix; the text with them repaired, or None if none.

    Every mistake found is reported here. The repaired text (tabs as two spaces, a half-width
    colon and a space after the key) is what the editor meant, so the rest of the checks run on
    it and report the file's other mistakes in the same run instead of the next one.
    """
    if "\t" not in text and "：" not in text and not _COLON_THEN_TEXT.search(text):
        return None
    lines = text.split("\n")
    repaired = False
    for i, line in enumerate(lines):
        n = first_line + i
        body = line.lstrip()
        if body.startswith("#"):
            continue
        indent = line[: len(line) - len(body)]
        if "\t" in indent:
            report.error(path, n, "行首用了 Tab 缩进：YAML 只能用空格缩进，请把 Tab 换成两个空格", "yaml-tab")
            line = lines[i] = indent.replace("\t", "  ") + body
            repaired = True
        m = _FULLWIDTH_COLON.match(line)
        if m:
            key = m.group(2)
            report.error(
                path, n, f"“{key}”后面用了全角冒号“：”：请改为半角冒号加空格，写成“{key}: …”", "yaml-colon"
            )
            lines[i] = line[: m.start(2)] + key + ": " + line[m.end() :].lstrip()
            repaired = True
            continue
        m = _NO_SPACE.match(line)
        if m:
            key = m.group(2)
            report.error(path, n, f"冒号后缺少空格：请写成“{key}: …”（半角冒号后加一个空格）", "yaml-colon")
            lines[i] = line[: m.end()] + " " + line[m.end() :]
            repaired = True
    return "\n".join(lines) if repaired else None


def _translate(exc: yaml.MarkedYAMLError) -> str:
    """Turn PyYAML's English into a hint an editor can act on."""
    problem = (exc.problem or "") + " " + (exc.context or "")
    if "mapping values are not allowed" in problem:
        return "这一行多了一个冒号：值中含有“: ”时，请给整个值加英文引号，如 slogan: \"为民: 司法\""
    if "could not find expected ':'" in problem:
        return "这一行缺少“键: 值”中的冒号，或上一行的引号没有闭合"
    if "found character '\\t'" in problem or "\\t" in problem:
        return "这里用了 Tab：YAML 只能用空格缩进"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "缩进不一致：同一层的属性要左对齐，列表项以“- ”开头并对齐"
    if "cannot start any token" in problem:
        return "这里的值以 %、@、` 等特殊字符开头：请给整个值加英文引号，如 unit: \"%\""
    if "found undefined alias" in problem:
        return "用了未定义的别名（*）：请删除以 * 开头的写法"
    if "while scanning a quoted scalar" in problem or "found unexpected end of stream" in problem:
        return "引号没有闭合：请检查这一行的引号是否成对（使用英文引号）"
    if "while parsing a flow" in problem or "expected ',' or ']'" in problem:
        return "方括号列表书写有误：应写成 [甲, 乙]，用英文逗号分隔并以 ] 结束"
    return f"YAML 格式错误：{(exc.problem or exc.context or '').strip()}"


def load(text: str, path: Path, report: Report, first_line: int = 1) -> Located | None:
    """Parse one YAML document; None (after reporting) when it cannot be used.

    Mistakes the pre-scan recognises are reported and repaired in memory: the document is
    still returned (the report holds the errors), so its other mistakes come in the same run."""
    text = _prescan(text, path, first_line, report) or text
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        report.error(path, line, _translate(exc), "yaml")
        return None
    except yaml.reader.ReaderError as exc:
        # no mark, and libyaml counts the position in UTF-8 bytes: the reader stops at the character's
        # first occurrence, so find that to say which line, and name the character instead of PyYAML's English
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = first_line + text.count("\n", 0, max(text.find(char), 0))
        report.error(path, line, f"这一行含有不可见的控制字符（U+{ord(char):04X}）：请删除它，或重新输入这一行", "yaml")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        report.error(path, first_line, f"YAML 格式错误：{exc}", "yaml")
        return None
    doc = Located(None, first_line=first_line, node=node)
    doc.lines[()] = first_line
    if node is None:
        doc.value = {}
        return doc
    builder = _Builder(doc, path, report, first_line)
    try:
        doc.value = builder.build(node, ())
    except _TooLarge:
        report.error(path, first_line, "YAML 内容展开后过大（别名嵌套过深）：请不要使用 & 和 * 别名", "yaml-bomb")
        return None
    if builder.failed:
        return None
    return doc


#: tags the safe constructor knows (str, int, float, bool, null, timestamp, seq, map …)
_SAFE_TAGS = frozenset(t for t in SafeConstructor.yaml_constructors if t is not None)
_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    def __init__(self, doc: Located, path: Path, report: Report, first_line: int) -> None:
        self.doc = doc
        self.path = path
        self.report = report
        self.first_line = first_line
        self.count = 0
        self.failed = False
        self.ctor = SafeConstructor()

    def build(self, node: Node, key: Key) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        line = self.first_line + node.start_mark.line
        self.doc.lines.setdefault(key, line)
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:value":
            self.doc.raw[key] = node.value
            return node.value  # a bare "=" is resolved to the (unsupported) value type: it is just text
        if node.tag not in _SAFE_TAGS:
            # An explicit tag such as ``!!python/object/apply:os.system`` on a list or mapping
            # would otherwise be ignored silently (only scalars went through the constructor).
            self.failed = True
            self.report.error(
                self.path, line, f"不支持 YAML 类型标记“{node.tag.replace('tag:yaml.org,2002:', '!!')}”：请删除以“!”开头的写法，只写文字、数字或列表", "yaml-tag"
            )
            return None
        if isinstance(node, ScalarNode):
            self.doc.raw[key] = node.value
            if node.tag == _STR_TAG:  # what ``construct_object`` gives a string node, without its bookkeeping
                return node.value
            try:
                return self.ctor.construct_object(node)
            except (ConstructorError, ValueError) as exc:
                if node.tag == "tag:yaml.org,2002:timestamp":
                    # "2024-02-30" looks like a date but is none: keep the text, and let the
                    # schema say which field wants what (in Chinese, with the accepted forms).
                    return node.value
                self.failed = True
                msg = getattr(exc, "problem", None) or str(exc)
                self.report.error(self.path, line, f"无法识别的值“{node.value}”：{msg}", "yaml")
                return None
        if isinstance(node, SequenceNode):
            return [self.build(child, key + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                kline = self.first_line + knode.start_mark.line
                if not isinstance(knode, ScalarNode):
                    self.failed = True
                    self.report.error(self.path, kline, "属性名必须是简单文字", "yaml")
                    continue
                name = knode.value
                if name == "<<":
                    self.failed = True
                    self.report.error(self.path, kline, "不支持 YAML 合并键“<<”：请把属性逐条写出", "yaml")
                    continue
                if name in out:
                    self.failed = True
                    first = self.doc.lines.get(key + (name,), kline)
                    self.report.error(
                        self.path,
                        kline,
                        f"属性“{name}”重复出现（第一次在第 {first} 行）：请合并为一处，否则前面的内容会丢失",
                        "yaml-duplicate",
                    )
                    continue
                self.doc.lines[key + (name,)] = kline
                out[name] = self.build(vnode, key + (name,))
            return out
        raise ConstructorError(None, None, f"unexpected node {node!r}", node.start_mark)  # pragma: no cover


def load_file(path: Path, report: Report) -> Located | None:
    """Load a data/*.yaml file (encoding problems reported like Markdown sources)."""
    from brandsite.content.sources import read_text

    got = read_text(path, report)
    if got is None:
        return None
    return load(got[0], path, report, 1)


