"""Personal-information scanner: stop a site from publishing ID, phone, bank-card numbers and names.

Government website inspections fail a site that publishes personal information, and court
publicity rules require parties to be named "张某", never "张三". Editors paste text out of
case files and Word reports, so every content file (front matter included, scanned as plain
text with its real line numbers) is checked before anything is published.

Each finding is an *error* on the exact line, naming what was found (numbers masked: first 3
and last 2 digits, so the report itself does not re-publish the number) and what to do.

The detectors are tuned against false positives, because a check that cries wolf gets switched
off: an ID number must carry a valid ISO 7064 check digit *and* a real birth date, a card number
must pass the Luhn check and start like a card (3/4/5/6/9, not a "2024..." file number), a number
embedded in a longer run of digits (case numbers, serials) is never taken apart, and names are
only flagged right after a case-role word (被告人张三), with surnames that double as everyday
words (于, 向, 高, 马 ...) flagged only when the name stands alone ("被告人于海，男").

Escape hatches, both visible in review:

* ``data/pii.yaml`` lists numbers that may be published (the court's hotline)::

      allow: ["0517-88888888", "12368"]

* a line containing ``<!-- pii: ok -->`` is not scanned at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from brandsite.checks import linefilter
from brandsite.content import yamlio
from brandsite.core.diagnostics import Report
from brandsite.core.script import fold_in_place, fold_lines, translator

__all__ = ["PiiRules", "id_check_digit", "load_pii_rules", "scan_text"]

_OK_MARKER = re.compile(r"<!--\s*pii\s*:\s*ok\s*-->", re.IGNORECASE)

_FIX = "请删除，或确需公开时在该行末尾加 <!-- pii: ok -->"

# Full-width forms pasted from Word/WeChat, mapped one character to one character so that
# match positions in the folded line are positions in the original line.
_WIDTH_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "Ｘ": "X",
        "ｘ": "x",
        "－": "-",
        "\u3000": " ",
        "＋": "+",
    }
)


#: ``str.translate(_WIDTH_FOLD)``, fast on Chinese text (see ``script.translator``)
_width_fold = translator(_WIDTH_FOLD)


def _normalise_number(value: str) -> str:
    """Digits (and an ID's trailing X) only, so "0517-8888 8888" and "051788888888" compare equal."""
    folded = value.translate(_WIDTH_FOLD)
    return "".join(ch for ch in folded if ch.isascii() and (ch.isdigit() or ch in "Xx")).upper()


@dataclass
class PiiRules:
    """Numbers that may be published although they look personal (normalised on construction)."""

    allow: frozenset[str] = field(default_factory=frozenset)
    #: codes of the checks a site switched off in ``data/pii.yaml`` (each with a written reason)
    off: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.allow = frozenset(n for n in (_normalise_number(str(a)) for a in self.allow) if n)


def load_pii_rules(path: Path, report: Report) -> PiiRules:
    """Read optional ``data/pii.yaml``; a missing file means nothing is exempt.

    Mistakes are reported (never raised) so that the editor sees them with every other error.
    """
    path = Path(path)
    if not path.is_file():
        return PiiRules()
    # Through yamlio like data/*.yaml: the editor's usual mistakes (full-width colon, tab, GBK,
    # a key written twice) come back as a fix at their line; the node tree keeps every line.
    doc = yamlio.load_file(path, report)
    if doc is None or doc.node is None:
        return PiiRules()
    node, data = doc.node, doc.value
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        report.error(path, 1, '格式错误：应为 allow: ["0517-88888888", "12368"] 这样的写法', "pii-config")
        return PiiRules()

    value_nodes = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    for key in data:
        if key not in ("allow", "disable"):
            line = value_nodes[key].start_mark.line + 1 if key in value_nodes else 1
            report.warning(path, line, f"未知字段“{key}”，已忽略（只支持 allow 和 disable）", "pii-config")
    off = _switched_off(data.get("disable"), value_nodes.get("disable"), path, report)

    allow = data.get("allow")
    if allow is None:
        return PiiRules(off=off)
    allow_node = value_nodes.get("allow")
    allow_line = allow_node.start_mark.line + 1 if allow_node is not None else 1
    if isinstance(allow, (str, int)) and not isinstance(allow, bool):
        allow = [allow]
        item_nodes: list[yaml.Node] = [allow_node] if allow_node is not None else []
    elif isinstance(allow, list) and isinstance(allow_node, yaml.SequenceNode):
        item_nodes = list(allow_node.value)
    else:
        report.error(
            path, allow_line, 'allow 应为号码列表，如 allow: ["0517-88888888", "12368"]', "pii-config"
        )
        return PiiRules()

    numbers: set[str] = set()
    for index, item in enumerate(allow):
        line = item_nodes[index].start_mark.line + 1 if index < len(item_nodes) else allow_line
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            report.error(path, line, f"allow 第 {index + 1} 项应为号码（文字），实际为“{item}”", "pii-config")
            continue
        number = _normalise_number(str(item))
        if not number:
            report.error(path, line, f"allow 第 {index + 1} 项“{item}”不含数字，不是号码", "pii-config")
            continue
        numbers.add(number)
    return PiiRules(frozenset(numbers), off)


#: the checks a site may switch off, by the name an editor writes
CHECK_NAMES = {"身份证号": "pii-id", "手机号": "pii-phone", "银行卡号": "pii-bank", "当事人姓名": "pii-name"}


def _switched_off(value: object, node: yaml.Node | None, path: Path, report: Report) -> frozenset[str]:
    """``disable: [{check: 手机号, reason: …}]``: a check is switched off only with a written reason."""
    if value is None:
        return frozenset()
    items = value if isinstance(value, list) else [value]
    nodes = list(node.value) if isinstance(node, yaml.SequenceNode) else [node] * len(items)
    codes: set[str] = set()
    for item, item_node in zip(items, nodes, strict=False):
        line = item_node.start_mark.line + 1 if item_node is not None else 1
        name = item.get("check") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        if name not in CHECK_NAMES:
            report.error(path, line, f"disable 的每一项写 check: 和 reason:，check 只能是 {'、'.join(CHECK_NAMES)} 之一", "pii-config")
        elif not isinstance(reason, str) or not reason.strip():
            report.error(path, line, f"关闭“{name}”检查必须写明原因 reason:（会留在文件里供审核）", "pii-config")
        else:
            codes.add(CHECK_NAMES[name])
    return frozenset(codes)


# --- numbers -------------------------------------------------------------------------------

# A number is never cut out of a longer run of digits: digits joined by a hyphen count as one
# run (case and serial numbers), digits merely separated by a space do not.
_NOT_AFTER_DIGITS = r"(?<!\d)(?<!\d-)"
_NOT_BEFORE_DIGITS = r"(?!\d)(?!-\d)"

_ID_RE = re.compile(
    _NOT_AFTER_DIGITS + r"([1-9]\d{5}[ -]?(?:19|20)\d{6}[ -]?\d{3}[\dXx])" + _NOT_BEFORE_DIGITS
)
_MOBILE_RE = re.compile(
    _NOT_AFTER_DIGITS + r"((?:(?:\+|00)86[ -]?)?(1[3-9]\d(?:[ -]?\d{4}){2}))" + _NOT_BEFORE_DIGITS
)
# Contiguous 16-19 digits, or 4-digit groups separated by one space or hyphen (4-4-4-4[-1..3]).
_CARD_RE = re.compile(
    _NOT_AFTER_DIGITS
    + r"(\d{16,19}"
    + _NOT_BEFORE_DIGITS
    + r"|\d{4}([ -])\d{4}(?:\2\d{4}){2}(?:\2\d{1,3})?(?![ -]?\d))"
)
# Issuer prefixes of cards in use in China: 3 (JCB/AmEx), 4 (Visa), 5 (Mastercard),
# 6 (UnionPay, 62...) and 9 (old domestic debit cards such as 9558). Long numbers that start
# with 1, 2, 7, 8 or 0 are serials and year-prefixed file numbers ("2024...") - excluding them
# removes the one-in-ten Luhn coincidences that would otherwise flag them.
_CARD_FIRST_DIGITS = frozenset("34569")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a PRC resident ID (GB 11643)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _is_resident_id(number: str) -> bool:
    """Check digit and birth date: together they reject almost every non-ID 18-digit number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2099:
        return False
    return id_check_digit(number[:17]) == number[17].upper()


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _mask(number: str) -> str:
    """First 3 and last 2 characters: enough to find it, not enough to re-publish it."""
    return f"{number[:3]}***{number[-2:]}"


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


# Cheap pre-check: every detected number has at least 11 digits (a mobile number); most lines
# of prose have none, and the detectors' look-behinds make them slow to run on every line.
_ELEVEN_DIGITS = re.compile(r"\d(?:[ -]?\d){10}")


def _scan_numbers(line: str, path: Path | str, line_no: int, report: Report, rules: PiiRules) -> None:
    if not _ELEVEN_DIGITS.search(line):
        return
    taken: list[tuple[int, int]] = []

    for m in _ID_RE.finditer(line) if "pii-id" not in rules.off else ():
        number = _normalise_number(m.group(1))
        if _is_resident_id(number) and number not in rules.allow:
            taken.append(m.span(1))
            report.error(
                path, line_no, f"发现身份证号 {_mask(number)}，属于个人信息，不得公开：{_FIX}", "pii-id"
            )

    for m in _MOBILE_RE.finditer(line) if "pii-phone" not in rules.off else ():
        full, core = _normalise_number(m.group(1)), _normalise_number(m.group(2))
        if full in rules.allow or core in rules.allow or _overlaps(m.span(1), taken):
            continue
        taken.append(m.span(1))
        report.error(
            path,
            line_no,
            f"发现手机号 {_mask(core)}，属于个人信息，不得公开：{_FIX}"
            "（单位对外公开的电话可加入 data/pii.yaml 的 allow 列表）",
            "pii-phone",
        )

    for m in _CARD_RE.finditer(line) if "pii-bank" not in rules.off else ():
        number = _normalise_number(m.group(1))
        if (
            number[0] not in _CARD_FIRST_DIGITS
            or not _luhn_ok(number)
            or number in rules.allow
            or _overlaps(m.span(1), taken)
        ):
            continue
        taken.append(m.span(1))
        report.error(
            path, line_no, f"发现疑似银行卡号 {_mask(number)}，属于个人信息，不得公开：{_FIX}", "pii-bank"
        )


# --- names ---------------------------------------------------------------------------------

# The word lists of the name check ship as data (brandsite/checks/rules/pii.yaml), next to the
# formulation list: what they contain is a matter of court publicity rules, not of code. Lines
# are folded to Simplified before matching, so Simplified lists cover Traditional text.
BUILTIN = Path(__file__).with_name("rules") / "pii.yaml"


def _word_lists() -> dict[str, Any]:
    """Read like every YAML file (yamlio): a mistake in an edit of the shipped list fails here with its line."""
    found = Report()
    doc = yamlio.load_file(BUILTIN, found)
    if doc is None or found.errors:
        raise RuntimeError("；".join(f"{d.path}:{d.line}: {d.message}" for d in found.errors))
    return doc.value


_LISTS = _word_lists()
ROLES: tuple[str, ...] = tuple(_LISTS["roles"])
_ROLES = ROLES
_SINGLE_SURNAMES: str = _LISTS["single_surnames"]
_DOUBLE_SURNAMES: tuple[str, ...] = tuple(_LISTS["double_surnames"])
_AMBIGUOUS_SURNAMES = frozenset(_LISTS["ambiguous_surnames"]) | set(_LISTS["ambiguous_double_surnames"])
_NOT_NAME_CHARS = frozenset(_LISTS["not_name_chars"])
_NOT_NAME_WORDS = frozenset(_LISTS["not_name_words"])

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_ROLE_ALT = "|".join(sorted(_ROLES, key=len, reverse=True))  # longest first: 被告人 before 被告
_SURNAME_ALT = "|".join(_DOUBLE_SURNAMES) + f"|[{_SINGLE_SURNAMES}]"
# role, an optional "：" or space, surname, then 1-2 characters none of which is 某 (张某, 张某某,
# 李某甲 are the required form); "(?!某)" also stops 欧阳某 being read as 欧 + 阳.
_NAME_RE = re.compile(
    f"(?P<role>{_ROLE_ALT})[：:\\s]?(?P<surname>{_SURNAME_ALT})(?P<given>(?:(?!某)[{_CJK}]){{1,2}})(?!某)"
)


def _fold_line(line: str) -> str:
    return fold_in_place(line)


def _scan_names(line: str, path: Path | str, line_no: int, report: Report, folded: str | None = None) -> None:
    folded = _fold_line(line) if folded is None else folded
    for m in _NAME_RE.finditer(folded):
        surname, given = m.group("surname"), m.group("given")
        if given[0] in _NOT_NAME_CHARS or (surname + given[0]) in _NOT_NAME_WORDS:
            continue
        if surname in _AMBIGUOUS_SURNAMES:
            if m.end() < len(folded) and _CJK_CHAR.match(folded, m.end()):
                continue  # runs on into a sentence: "申请人向本院申请", "当事人高度评价"
        elif len(given) == 2 and given[1] in _NOT_NAME_CHARS:
            given = given[0]  # "被告人张三因盗窃": the name is 张三, 因 starts the sentence
        role = line[m.start("role") : m.end("role")]
        name = line[m.start("surname") : m.start("surname") + len(surname) + len(given)]
        report.error(
            path,
            line_no,
            f"“{role}{name}”疑似写出了当事人全名：按裁判文书公开规则，应保留姓氏、名字写作“某”，"
            f"如“{name[: len(surname)]}某”；确需公开时在该行末尾加 <!-- pii: ok -->",
            "pii-name",
        )


# --- entry point ---------------------------------------------------------------------------


def scan_text(
    text: str, path: Path | str, first_line: int, report: Report, rules: PiiRules, folded: list[str] | None = None
) -> None:
    """Report personal information in ``text``, whose first line is line ``first_line`` of ``path``.

    Lines are split on "\\n" only (as editors and ``path:line`` tools count them), so a finding
    on the third line of a block starting at line 10 is reported at line 12. ``folded``: the
    lines already folded (``script.fold_lines``, "\\r" stripped), when the caller has them.
    """
    width_text = _width_fold(text)  # (one pass: the table maps no character to or from "\n")
    # Only lines with 11 digits or a case-role word and a name can hold a finding: one search each
    # over the whole text finds them (``linefilter``); the per-line checks below decide.
    candidates = set(linefilter.marked_lines((_ELEVEN_DIGITS,), width_text))
    names = "pii-name" not in rules.off
    if names:
        folded = fold_lines([raw.rstrip("\r") for raw in text.split("\n")]) if folded is None else folded
        candidates.update(linefilter.marked_lines((_NAME_RE,), "\n".join(folded), folded))
    if not candidates:
        return
    raw_lines, widths = text.split("\n"), width_text.split("\n")
    for offset in sorted(candidates):
        line = raw_lines[offset].rstrip("\r")
        if not line or ("<!--" in line and _OK_MARKER.search(line)):
            continue
        line_no = first_line + offset
        _scan_numbers(widths[offset].rstrip("\r"), path, line_no, report, rules)
        if names:
            _scan_names(line, path, line_no, report, None if folded is None else folded[offset])
