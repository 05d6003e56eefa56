"""Formulation check: find misspelt political and legal formulations ("严重表述错误").

Government website inspections treat a mis-written fixed formulation (扫黑险恶 for 扫黑除恶,
两学一作 for 两学一做) as a serious error that fails the site. Spell checkers do not know these
phrases, so the court keeps its own list of wrong forms and their correct forms in
``data/terms.yaml``, and every content file is checked against it before publishing.

``data/terms.yaml`` is a list; each entry names one or more wrong forms and the right form::

    - wrong: 扫黑险恶
      right: 扫黑除恶
      note: 固定提法          # optional, shown after the message
    - wrong: [依法至国, 依法冶国]   # several wrong forms of one right form
      right: 依法治国

A missing file means no rules. Mistakes in the file are reported with the line of the entry:
an entry without ``wrong``/``right``, a wrong form equal to its right form, the same wrong form
given two different right forms, and a rule set in which a right form would itself be flagged
(its correct text contains a wrong form of some entry), because then every correct text would
be reported as an error.

Matching is script-insensitive: rules and text are both folded to Simplified with OpenCC, so a
Traditional-script variant pasted into a page (掃黑險惡) is found as well. Folding is done line
by line and keeps every character in place, so reported line numbers are exact. A wrong form
that is part of an occurrence of its own right form is not reported (wrong 党的十九大 / right
党的十九大精神: the text 党的十九大精神 is correct).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brandsite.checks import linefilter
from brandsite.content import yamlio
from brandsite.core.diagnostics import Report
from brandsite.core.script import fold_in_place

__all__ = ["BUILTIN", "TermRule", "TermRules", "fold", "load_rule_sets", "load_terms", "scan_text"]

#: the formulation list that ships with brandsite: always checked, whatever the site has
BUILTIN = Path(__file__).with_name("rules") / "terms.yaml"

_CODE = "term"
_CONFIG_CODE = "term-config"


def fold(text: str) -> str:
    """Traditional -> Simplified, keeping the length (see :func:`brandsite.core.script.fold_in_place`)."""
    return fold_in_place(text)


@dataclass(frozen=True)
class TermRule:
    """One entry of ``data/terms.yaml``; ``line`` is the entry's line in that file (0 if built in code)."""

    wrong: tuple[str, ...]
    right: str
    note: str = ""
    line: int = 0

    def message(self, found: str) -> str:
        text = f"表述错误：“{found}”应为“{self.right}”"
        return f"{text}（{self.note}）" if self.note else text


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression that finds, at the leftmost place, the longest of ``words`` there: what
    ``"|".join(longest first)`` finds, but as a prefix tree. The regex engine tries the branches
    of an alternation one by one at every character, so 500 wrong forms scanned a text at under
    3 million characters a second; in the tree only the branch of the next character is tried."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return emit(trie)


@dataclass
class TermRules:
    """The rules plus one compiled matcher over all folded wrong forms (built once, used per line)."""

    rules: tuple[TermRule, ...] = ()
    #: ``disable:`` entries of a site's file: (right or wrong form, reason, line) of built-in rules to drop
    switched_off: tuple[tuple[str, str, int], ...] = ()
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False, default=None)
    # folded wrong form -> (rule, folded right form); the first rule wins on duplicates
    _by_wrong: dict[str, tuple[TermRule, str]] = field(init=False, repr=False, compare=False)
    _longest_first: tuple[str, ...] = field(init=False, repr=False, compare=False)
    #: the same prefix tree split by first character, to find the lines to check (``linefilter``)
    _groups: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.rules = tuple(self.rules)
        by_wrong: dict[str, tuple[TermRule, str]] = {}
        for rule in self.rules:
            right = fold(rule.right)
            for wrong in rule.wrong:
                folded = fold(wrong)
                if folded and folded != right:
                    by_wrong.setdefault(folded, (rule, right))
        self._by_wrong = by_wrong
        # Longest first, so 中国特色社会注意 wins over a shorter wrong form at the same spot.
        self._longest_first = tuple(sorted(by_wrong, key=lambda w: (-len(w), w)))
        self._pattern = re.compile(trie_pattern(self._longest_first)) if by_wrong else None
        self._groups = tuple(re.compile(trie_pattern(g)) for g in linefilter.by_first_char(self._longest_first))

    def __len__(self) -> int:
        return len(self.rules)

    def find(self, folded: str) -> list[tuple[int, int, TermRule]]:
        """``(start, end, rule)`` of every wrong form in an already folded line, left to right."""
        if self._pattern is None:
            return []
        hits: list[tuple[int, int, TermRule]] = []
        pos = 0
        while (m := self._pattern.search(folded, pos)) is not None:
            start = m.start()
            wrong = self._resolve(folded, start, m.group())
            if wrong is None:
                pos = start + 1  # a correct form here; a shorter wrong form may still start later
                continue
            hits.append((start, start + len(wrong), self._by_wrong[wrong][0]))
            pos = start + len(wrong)
        return hits

    def _resolve(self, folded: str, start: int, longest: str) -> str | None:
        """The longest wrong form at ``start`` that is not part of its own right form there."""
        if not self._inside_right(folded, start, longest):
            return longest
        for wrong in self._longest_first:
            if (
                len(wrong) < len(longest)
                and folded.startswith(wrong, start)
                and not self._inside_right(folded, start, wrong)
            ):
                return wrong
        return None

    def _inside_right(self, folded: str, start: int, wrong: str) -> bool:
        right = self._by_wrong[wrong][1]
        offset = right.find(wrong)
        while offset != -1:
            if start - offset >= 0 and folded.startswith(right, start - offset):
                return True
            offset = right.find(wrong, offset + 1)
        return False


def scan_text(
    text: str, path: Path | str, first_line: int, report: Report, rules: TermRules, folded: list[str] | None = None
) -> None:
    """Report every wrong formulation in ``text``, whose first line is line ``first_line`` of ``path``.

    Lines are split on "\\n" only (as editors count them); the message quotes the text as it is
    written in the file, so the editor can search for it even when it is in Traditional script.
    ``folded``: the lines already folded (``script.fold_lines``, "\\r" stripped), when the caller has them.
    """
    if rules._pattern is None:
        return
    folded = [fold(raw.rstrip("\r")) for raw in text.split("\n")] if folded is None else folded
    marked = linefilter.marked_lines(rules._groups, "\n".join(folded), folded)  # the lines holding a wrong form
    lines = text.split("\n") if marked else []
    for offset in marked:
        line = lines[offset].rstrip("\r")
        for start, end, rule in rules.find(folded[offset]):
            report.error(path, first_line + offset, rule.message(line[start:end]), _CODE)


# --- loading -------------------------------------------------------------------------------

_FORMAT_HINT = "每条写作“- wrong: 错误写法”“  right: 正确写法”"


def _show(value: object) -> str:
    """A YAML value as the editor wrote it, not as a Python repr."""
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _text_list(value: object) -> list[str] | None:
    """A wrong form or a list of them, stripped; ``None`` when the value is not text."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        return None
    return [item.strip() for item in items]


def load_terms(path: Path, report: Report) -> TermRules:
    """Read ``data/terms.yaml``; a missing file means no rules. Every mistake is reported, none raised."""
    path = Path(path)
    if not path.is_file():
        return TermRules()
    # Through yamlio like data/*.yaml: the editor's usual mistakes (full-width colon, tab, GBK,
    # a key written twice) come back as a fix at their line; the node tree keeps every line.
    doc = yamlio.load_file(path, report)
    if doc is None or doc.node is None:
        return TermRules()
    root, data = doc.node, doc.value
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        report.error(path, 1, f"格式错误：提法规则应为列表，{_FORMAT_HINT}", _CONFIG_CODE)
        return TermRules()

    rules: list[TermRule] = []
    offs: list[tuple[str, str, int]] = []
    seen: dict[str, TermRule] = {}  # folded wrong form -> first entry giving it
    for number, (entry, node) in enumerate(zip(data, root.value, strict=True), start=1):
        line = node.start_mark.line + 1
        if isinstance(entry, dict) and "disable" in entry:
            off = _parse_off(entry, number, line, path, report)
            if off is not None:
                offs.append(off)
            continue
        rule = _parse_entry(entry, node, number, line, path, report)
        if rule is None:
            continue
        right = fold(rule.right)
        wrongs: list[str] = []
        for wrong in rule.wrong:
            folded = fold(wrong)
            if folded == right:
                report.error(
                    path, line, f"第 {number} 条：错误写法“{wrong}”与正确写法“{rule.right}”相同", _CONFIG_CODE
                )
                continue
            earlier = seen.get(folded)
            if earlier is not None:
                if fold(earlier.right) != right:
                    report.error(
                        path,
                        line,
                        f"第 {number} 条：错误写法“{wrong}”在第 {earlier.line} 行已对应正确写法"
                        f"“{earlier.right}”，同一错误写法不能对应两种正确写法",
                        _CONFIG_CODE,
                    )
                else:
                    report.warning(
                        path,
                        line,
                        f"第 {number} 条：错误写法“{wrong}”与第 {earlier.line} 行重复",
                        _CONFIG_CODE,
                    )
                continue
            seen[folded] = rule
            wrongs.append(wrong)
        if wrongs:
            rules.append(TermRule(tuple(wrongs), rule.right, rule.note, rule.line))

    result = TermRules(tuple(rules), tuple(offs))
    # A right form that itself contains a wrong form would make every correct text an error.
    for rule in result.rules:
        for start, end, other in result.find(fold(rule.right)):
            report.error(
                path,
                rule.line,
                f"正确写法“{rule.right}”中含有第 {other.line} 行规定的错误写法“{rule.right[start:end]}”，"
                "按此规则正确的文字也会被判为错误，请修改其中一条",
                _CONFIG_CODE,
            )
    return result


def _parse_off(entry: dict[str, object], number: int, line: int, path: Path, report: Report) -> tuple[str, str, int] | None:
    """``- disable: 正确写法`` plus ``reason:``: a built-in rule the site does not want, and why.

    (Not ``off:``: YAML 1.1 reads a bare ``off`` key as the boolean false.)"""
    off, reason = entry.get("disable"), entry.get("reason")
    if not isinstance(off, str) or not off.strip():
        report.error(path, line, f"第 {number} 条：disable 后面写要关闭的内置规则的正确写法，如 disable: 扫黑除恶", _CONFIG_CODE)
        return None
    if not isinstance(reason, str) or not reason.strip():
        report.error(path, line, f"第 {number} 条：关闭内置规则“{off.strip()}”必须写明原因，如 reason: 本院文件中该词另有含义",
                     _CONFIG_CODE)
        return None
    return off.strip(), reason.strip(), line


def load_rule_sets(site_path: Path, report: Report) -> tuple[TermRules, dict[str, int]]:
    """The built-in list, plus the site's ``data/terms.yaml`` entries, minus what it switched off.

    A site cannot lose the check by forgetting a file: the list ships with the package. It can
    add its own entries and drop a built-in one only with a reason (both visible in review).
    Returns the rules and counts for the check report (built-in, added, switched off).
    """
    builtin = load_terms(BUILTIN, report)
    site = load_terms(Path(site_path), report)
    dropped: set[int] = set()
    for off, _reason, line in site.switched_off:
        key = fold(off)
        hits = [i for i, r in enumerate(builtin.rules) if fold(r.right) == key or key in map(fold, r.wrong)]
        if not hits:
            report.error(site_path, line, f"disable: “{off}”不是内置规则中的正确写法或错误写法，没有可关闭的规则", _CONFIG_CODE)
        dropped.update(hits)
    kept = [r for i, r in enumerate(builtin.rules) if i not in dropped]
    by_wrong = {fold(w): r for r in kept for w in r.wrong}
    added: list[TermRule] = []
    for rule in site.rules:
        wrongs = []
        for wrong in rule.wrong:
            other = by_wrong.get(fold(wrong))
            if other is None:
                wrongs.append(wrong)
            elif fold(other.right) == fold(rule.right):
                report.warning(site_path, rule.line, f"错误写法“{wrong}”已在内置规则中，可以删除", _CONFIG_CODE)
            else:
                report.error(site_path, rule.line, f"错误写法“{wrong}”在内置规则中对应“{other.right}”：要改用本条，"
                             f"请先写 disable: {other.right} 和 reason: 关闭内置规则", _CONFIG_CODE)
        if wrongs:
            added.append(TermRule(tuple(wrongs), rule.right, rule.note, rule.line))
    result = TermRules(tuple(added) + tuple(kept))
    for rule in added:  # a site rule must not make a correct text (its own or a built-in one) an error
        for other in kept:
            if any(fold(w) in fold(other.right) for w in rule.wrong):
                report.error(site_path, rule.line, f"错误写法“{'、'.join(rule.wrong)}”是内置正确写法“{other.right}”的一部分，"
                             "按此规则正确的文字也会被判为错误，请修改", _CONFIG_CODE)
                break
        for start, end, _other in result.find(fold(rule.right)):
            report.error(site_path, rule.line, f"正确写法“{rule.right}”中含有错误写法“{rule.right[start:end]}”，"
                         "按此规则正确的文字也会被判为错误，请修改", _CONFIG_CODE)
    counts = {"builtin": len(builtin.rules), "added": len(added), "off": len(dropped)}
    return result, counts


def _parse_entry(
    entry: object, node: yaml.Node, number: int, line: int, path: Path, report: Report
) -> TermRule | None:
    """Validate one list item; report what is wrong with it at its own line."""
    if not isinstance(entry, dict) or not isinstance(node, yaml.MappingNode):
        report.error(path, line, f"第 {number} 条格式错误：{_FORMAT_HINT}", _CONFIG_CODE)
        return None
    key_lines = {k.value: v.start_mark.line + 1 for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    for key in entry:
        if key not in ("wrong", "right", "note"):
            report.warning(
                path,
                key_lines.get(key, line),
                f"第 {number} 条：未知字段“{key}”，已忽略（只支持 wrong、right、note）",
                _CONFIG_CODE,
            )
    ok = True

    wrongs = _text_list(entry.get("wrong"))
    if "wrong" not in entry or entry["wrong"] is None:
        report.error(path, line, f"第 {number} 条缺少 wrong（错误写法）：{_FORMAT_HINT}", _CONFIG_CODE)
        ok = False
    elif wrongs is None or not all(wrongs):
        report.error(
            path,
            key_lines.get("wrong", line),
            f"第 {number} 条：wrong 应为文字或文字列表，且不能为空，实际为“{_show(entry['wrong'])}”",
            _CONFIG_CODE,
        )
        ok = False

    right = entry.get("right")
    if right is None:
        report.error(path, line, f"第 {number} 条缺少 right（正确写法）：{_FORMAT_HINT}", _CONFIG_CODE)
        ok = False
    elif not isinstance(right, str) or not right.strip():
        report.error(
            path,
            key_lines.get("right", line),
            f"第 {number} 条：right 应为一个非空的文字，实际为“{_show(right)}”",
            _CONFIG_CODE,
        )
        ok = False

    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        report.error(
            path,
            key_lines.get("note", line),
            f"第 {number} 条：note 应为文字，实际为“{_show(note)}”",
            _CONFIG_CODE,
        )
        ok = False

    if not ok or wrongs is None or not isinstance(right, str):
        return None
    return TermRule(tuple(dict.fromkeys(wrongs)), right.strip(), (note or "").strip(), line)
