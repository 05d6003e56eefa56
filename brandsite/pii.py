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

import yaml

from brandsite.diagnostics import Report
from brandsite.script import fold_in_place
from brandsite.yamlio import node_and_value

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


def _normalise_number(value: str) -> str:
    """Digits (and an ID's trailing X) only, so "0517-8888 8888" and "051788888888" compare equal."""
    folded = value.translate(_WIDTH_FOLD)
    return "".join(ch for ch in folded if ch.isascii() and (ch.isdigit() or ch in "Xx")).upper()


@dataclass
class PiiRules:
    """Numbers that may be published although they look personal (normalised on construction)."""

    allow: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.allow = frozenset(n for n in (_normalise_number(str(a)) for a in self.allow) if n)


def load_pii_rules(path: Path, report: Report) -> PiiRules:
    """Read optional ``data/pii.yaml``; a missing file means nothing is exempt.

    Mistakes are reported (never raised) so that the editor sees them with every other error.
    """
    path = Path(path)
    if not path.is_file():
        return PiiRules()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, 0, f"无法读取个人信息白名单文件（须为 UTF-8 编码）：{exc}", "pii-config")
        return PiiRules()
    try:
        node, data = node_and_value(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        report.error(
            path, line, f"YAML 格式错误：{problem}（检查缩进、冒号后的空格和引号是否成对）", "pii-config"
        )
        return PiiRules()
    if data is None:
        return PiiRules()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        report.error(path, 1, '格式错误：应为 allow: ["0517-88888888", "12368"] 这样的写法', "pii-config")
        return PiiRules()

    value_nodes = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    for key in data:
        if key != "allow":
            line = value_nodes[key].start_mark.line + 1 if key in value_nodes else 1
            report.warning(path, line, f"未知字段“{key}”，已忽略（只支持 allow）", "pii-config")

    allow = data.get("allow")
    if allow is None:
        return PiiRules()
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
    return PiiRules(frozenset(numbers))


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

    for m in _ID_RE.finditer(line):
        number = _normalise_number(m.group(1))
        if _is_resident_id(number) and number not in rules.allow:
            taken.append(m.span(1))
            report.error(
                path, line_no, f"发现身份证号 {_mask(number)}，属于个人信息，不得公开：{_FIX}", "pii-id"
            )

    for m in _MOBILE_RE.finditer(line):
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

    for m in _CARD_RE.finditer(line):
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

# Lines are folded to Simplified before matching, so Traditional role words (當事人, 申請執行人)
# and surnames (張, 陳) are covered by these Simplified lists.
_ROLES = (
    "原告", "被告", "被告人", "当事人", "申请人", "被申请人", "申请执行人", "被执行人",
    "犯罪嫌疑人", "上诉人", "被上诉人", "第三人", "罪犯",
)  # fmt: skip

# The ~100 most common single-character surnames (公安部 2019/2020 rankings) plus a few more
# frequent ones that are rarely ordinary words after a role word. 方 is left out on purpose:
# right after a role word it means "side" ("原告方律师", "被告方认为") far more often than a name.
_SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许邓韩冯曹彭曾肖田董潘袁蔡蒋余于杜叶"
    "程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺"
    "毛郝顾龚邵万覃武钱戴严莫孔向常汤康温施牛樊葛邢乔庞颜倪聂章鲁岳翟殷耿俞柳梅霍涂苗骆靳柴"
    "鲍蒲饶艾穆窦戚欧"
)
_DOUBLE_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "令狐", "端木", "南宫", "独孤", "西门", "澹台", "轩辕",
)  # fmt: skip

# Surnames that are also everyday words right after a role word: prepositions ("原告于2019年",
# "申请人向本院"), "当事人何时/任何/曾经/马上/高度评价" ... For these a name is only
# reported when it stands alone ("被告人于海，男"), i.e. is followed by punctuation, a space,
# a digit or the end of the line - never when the characters run on into a sentence.
_AMBIGUOUS_SURNAMES = frozenset("于向何任曾万常高马石江龙金严白付余程周范许谢田林史毛陆夏武钟康温施章") | {
    "东方",  # 东方红、东方电气 ... company names
    "西门",  # 西门子
    "南宫",  # 南宫市
}

# Characters that (practically) never stand in a given name but often follow a role word:
# function words, verbs of court reports, and the parts of place and organisation names.
_NOT_NAME_CHARS = frozenset(
    "的地得了着过在和与及或等是对向于因称诉已将被均也都仍还并即所为以从到把就又再不没未可会能"
    "要应该其之而但却则给让使由自按据经共各每此这那哪某何时们面"
    "省市县区州镇乡村街路号公司厂局院庭队部委社店校处科室行业"
    "表示提出认同意服拒履支付赔偿起上下签收领取缴纳交归借欠购买卖租说讲问答"
    "送带拿找打通前后走回赶作做获写寄递告请主积亲专特多全当最很非感连随终家妻父母儿"
)
# Common words that begin with a (non-ambiguous) surname character and plausibly follow a
# role word in court news; the ambiguous surnames above are handled by the boundary rule.
_NOT_NAME_WORDS = frozenset(
    (
        "陈述", "陈词", "陈列", "江苏", "江西", "武汉", "苏州", "徐州", "郑州", "吴江", "黄山", "黄冈",
        "邵阳", "沈阳", "韩国", "欧洲", "欧元", "郑重", "孔子", "贺信", "贺电", "黎明", "乔迁", "牛羊",
        "牛奶", "陶瓷", "鲁莽", "宋体", "杜绝", "杜撰", "莫名", "胡搅", "雷同", "戴上", "罗列", "胡乱",
        "唐突", "肖像", "董事", "顾及", "顾全", "顾虑", "钱款", "钱财", "张贴", "黄金", "徐徐", "苏醒",
    )
)  # fmt: skip

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


def _scan_names(line: str, path: Path | str, line_no: int, report: Report) -> None:
    folded = _fold_line(line)
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


def scan_text(text: str, path: Path | str, first_line: int, report: Report, rules: PiiRules) -> None:
    """Report personal information in ``text``, whose first line is line ``first_line`` of ``path``.

    Lines are split on "\\n" only (as editors and ``path:line`` tools count them), so a finding
    on the third line of a block starting at line 10 is reported at line 12.
    """
    for offset, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        if not line or ("<!--" in line and _OK_MARKER.search(line)):
            continue
        line_no = first_line + offset
        _scan_numbers(line.translate(_WIDTH_FOLD), path, line_no, report, rules)
        _scan_names(line, path, line_no, report)
