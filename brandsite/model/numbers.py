"""Numbers the way Chinese work reports write them -- the one place the number grammar lives.

Why this module exists: editors copy figures straight out of Word reports ("开展法治讲堂180余次",
"化解纠纷3.4万件", "满意率99%"). The site has to (1) show each figure exactly as the report
wrote it, (2) still add figures up for site-wide totals without claiming more precision than
the sources had, and (3) tell an editor in Chinese what is wrong when a value is not a number.
Loading, statistics, templates and the editor guide all go through this module so that they
can never disagree about what "180余" means.

Accepted text, after normalisation (full-width digits, letters and punctuation such as
``３，０００`` and ``９９％`` become ASCII; whitespace and zero-width characters from Word are
removed; the Traditional forms 萬 億 兩 餘 約 過 become Simplified)::

    value      = [prefix] [百分之] number [scale] [余|多] [unit | "%"] [suffix]
    prefix     = 近 | 将近 | 接近                -> BELOW     ("about, from below")
               | 约 | 大约 | 大概                 -> ABOUT     ("about, either side")
               | 超 | 超过 | 逾                  -> AT_LEAST
    number     = ASCII digits, optional ".fraction", optional thousands commas ("3,000")
               | a Chinese numeral of 零〇一二两三四五六七八九十百千万亿
                 (十四, 二十八, 一百二十, 三千五百, 两万, 一万二 = 12000, 二〇二四 = 2024)
    scale      = [余|多] (万 | 亿 | 千 | 百 | 百万 | 千万 | 万亿)      (3.4万, 3千, 180余万)
    余 | 多    -> AT_LEAST                      (180余, 50多名, 十多)
    unit       = 1-4 CJK characters or letters that do not start with a numeral or a
                 qualifier word (次, 件, 名, 人次, 个百分点, km); "万元" is scale 万 + unit 元
    "%"        -> PERCENT, value = number / 100 (also "百分之九十五")
    suffix     = 以上 -> AT_LEAST | 左右, 上下 -> ABOUT   (may follow the unit: "180次以上")

A prefix and a suffix may repeat the same meaning ("约3000左右") but not contradict each other
("近3000余"). A percentage keeps any 近/超 in its written form only; its qualifier is PERCENT.
Rejected: empty values, units without a number, vague words (很多, 若干, 大量), ranges and
other text with two numbers, negative numbers, malformed numbers ("3..4"), upper bounds
(以下, 不到), NaN/infinity and booleans (YAML turns ``yes``/``no`` into booleans).

Values are :class:`decimal.Decimal` throughout -- a float never touches a figure, because
``0.1 + 0.2`` must not appear on an official website. Totals keep the qualifier honest:
``180余 + 65`` is ``245余``, never ``245``; percentages are never added.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, localcontext
from enum import Enum

__all__ = [
    "EXAMPLES",
    "GRAMMAR_DOC",
    "NumberError",
    "Quantity",
    "Qualifier",
    "add",
    "check_size",
    "format_quantity",
    "parse_quantity",
    "render_number",
    "total",
]


class Qualifier(str, Enum):  # noqa: UP042 -- the agreed interface; str() stays "Qualifier.X"
    """How precise a figure is; decides how sums are shown."""

    EXACT = "exact"  # 65, 3.4万
    AT_LEAST = "at_least"  # 180余, 180多, 180以上, 超180, 逾180, 180多次
    BELOW = "below"  # 近3000 (about, from below)
    ABOUT = "about"  # 约3000, 3000左右 (about, either side)
    PERCENT = "percent"  # 99%, 96.5%, 99％ (full-width)


class NumberError(ValueError):
    """A value an editor wrote that is not a number we understand.

    ``str(e)`` is a complete Chinese sentence naming the offending input and what to write
    instead, so callers can put it behind ``path:line:`` without adding anything.
    """

    def __init__(self, message: str, raw: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.raw = raw

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Quantity:
    """A parsed figure: the exact value for arithmetic plus the editor's wording for display."""

    value: Decimal  # 180余 -> 180; 3.4万 -> 34000; 99% -> Decimal("0.99")
    qualifier: Qualifier
    unit: str | None  # "次" from "65次"; "元" from "9337.42万元"; "%" for percentages
    written: str  # normalised text as the editor wrote it; used for display

    def __str__(self) -> str:
        # Templates print quantities directly; make that the display form.
        return format_quantity(self)


# --- vocabulary -----------------------------------------------------------------------------

_HINT = "请写成 65、180余、3.4万、99% 这样的形式"
_EXAMPLE_HINT = "例如 65、180余、3.4万、99%"

#: Decimal context for all arithmetic: wide enough that no realistic sum is ever rounded.
_CTX = Context(prec=80)
#: Upper bound of an accepted value (10^18, "一百亿亿"); protects the context above.
_MAX_VALUE = Decimal(10) ** 18
_MAX_DIGITS = 30

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERALS = "零〇一二两三四五六七八九十百千万亿"

_SCALES = {
    "万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(10) ** 3, "百": Decimal(10) ** 2,
}  # fmt: skip

_PREFIX_QUALIFIERS = {
    "将近": Qualifier.BELOW, "接近": Qualifier.BELOW, "近": Qualifier.BELOW,
    "大约": Qualifier.ABOUT, "大概": Qualifier.ABOUT, "约": Qualifier.ABOUT,
    "超过": Qualifier.AT_LEAST, "超": Qualifier.AT_LEAST, "逾": Qualifier.AT_LEAST,
}  # fmt: skip
_SUFFIX_QUALIFIERS = {
    "余": Qualifier.AT_LEAST, "多": Qualifier.AT_LEAST, "以上": Qualifier.AT_LEAST,
    "左右": Qualifier.ABOUT, "上下": Qualifier.ABOUT,
}  # fmt: skip
# Suffixes that stand after the unit ("180次以上"); 余/多 stand before it ("180余次").
_TRAILING_SUFFIXES = ("以上", "左右", "上下")

# Traditional script of the grammar words only; units are left to the script module.
_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "餘": "余", "約": "约", "過": "过"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# --- the grammar as regular expressions ---------------------------------------------------

_LETTER = r"A-Za-z\u3400-\u4dbf\u4e00-\u9fff"
_ALT = "|".join
_PREFIX_RE = _ALT(sorted(_PREFIX_QUALIFIERS, key=len, reverse=True))
_SCALE_RE = _ALT(sorted(_SCALES, key=len, reverse=True))
# A unit may not start with a numeral, a qualifier word or 之 (otherwise "3000左右" would read
# as the unit "左右"), and may not contain 余/多 or digit numerals (so "3次四次" is not a unit).
_UNIT_RE = (
    rf"(?![{_NUMERALS}余多以左上近约超逾之])[{_LETTER}]"
    rf"(?:(?![余多零〇一二两三四五六七八九])[{_LETTER}]){{0,3}}?"
)
_NUMBER_RE = (
    rf"(?:(?P<dig>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)|(?P<cn>[{_NUMERALS}]+))"
)

_TEXT = re.compile(
    rf"(?P<pre>{_PREFIX_RE})?"
    r"(?P<pctcn>百分之)?"
    rf"{_NUMBER_RE}"
    rf"(?:(?P<qa>余|多)(?=[万亿千百]))?"
    rf"(?P<scale>{_SCALE_RE})?"
    r"(?P<q1>余|多)?"
    rf"(?P<unit>%|{_UNIT_RE})?"
    rf"(?P<q2>{_ALT(_TRAILING_SUFFIXES)})?"
)
_UNIT_FIELD = re.compile(rf"(?P<scale>{_SCALE_RE})?(?P<unit>{_UNIT_RE})?")
# Everything up to where the unit would start; used to explain an over-long unit.
_HEAD = re.compile(
    rf"(?:{_PREFIX_RE})?(?:百分之)?{_NUMBER_RE}(?:(?:余|多)(?=[万亿千百]))?(?:{_SCALE_RE})?(?:余|多)?"
)

_VAGUE = re.compile(
    "很多|若干|大量|许多|不少|众多|无数|一些|多个|成千上万|数十|数百|数千|数万|几十|几百|几千|几万|上百|上千|上万"
)
_UPPER_BOUND = re.compile("以下|以内|不到|不足|不超过|低于|少于")
_RANGE = re.compile(rf"[0-9{_NUMERALS}]\s*(?:-|~|—|–|至|到)\s*[0-9{_NUMERALS}]")
_TWO_NUMBERS = re.compile(rf"[0-9][\s{_LETTER}/、;；]+[0-9]")


# --- public constants ------------------------------------------------------------------------

GRAMMAR_DOC = """\
数值的写法（可直接照抄 Word 报告中的写法，网页上按原样显示）：
  确数        65、3.5、3,000、十四、二十八、一百二十、两万
  万/亿/千    3.4万（=34000）、9337.42万元、1.2亿、3千
  不少于      180余、50多、180以上、超180、超过180、逾180、十余万
  接近（不到）近3000、将近3000、接近3000
  大约        约3000、大约3000、3000左右、3000上下
  百分比      99%、96.5%、９９％、百分之九十五（百分比不参与相加）
  单位        紧跟在数字或“余、多”之后，最多 4 个字：65次、180余次、50多名、3.4万件、180次以上；
              也可以写在 unit 栏：value: 50多 / unit: 名（两处都写时必须一致）
不接受：空值、只有单位、“很多/若干/大量”等非具体数字、“3-5”这类范围或两个数字、负数、
        “3..4”这类错误写法、“3000以下/不到3000”这类上限写法。"""

#: (written, shown) pairs: the spec's table plus the normalisations editors run into.
EXAMPLES: list[tuple[str, str]] = [
    ("65", "65"),
    ("65次", "65次"),
    ("180余", "180余"),
    ("180余次", "180余次"),
    ("180多", "180多"),
    ("近3000", "近3000"),
    ("3.4万", "3.4万"),
    ("3.4万件", "3.4万件"),
    ("9337.42万元", "9337.42万元"),
    ("1.2亿", "1.2亿"),
    ("99%", "99%"),
    ("96.5%", "96.5%"),
    ("十四", "十四"),
    ("二十八", "二十八"),
    ("超180", "超180"),
    ("约3000", "约3000"),
    ("3000左右", "3000左右"),
    ("180次以上", "180次以上"),
    ("3千", "3千"),
    ("3,000", "3,000"),
    ("３，０００", "3,000"),
    ("９９％", "99%"),
    ("180 余次", "180余次"),
    ("二十余万元", "二十余万元"),
]


# --- parsing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """What the grammar found in one piece of text (value already scaled, percent / 100)."""

    value: Decimal
    qualifier: Qualifier
    unit: str | None  # "%" for percentages
    scale: str | None


def parse_quantity(raw: object, unit: str | None = None) -> Quantity:
    """Parse a stat value as an editor wrote it (``str``, or the ``int``/``float`` YAML made of it).

    ``unit`` is the stat's separate ``unit:`` field. When the text carries a unit too, both must
    agree. A unit field that starts with a scale ("万元", "万") applies that scale to the
    number, so ``value: 9337.42`` + ``unit: 万元`` equals ``9337.42万元`` and both total together;
    ``unit: %`` makes the value a percentage. Raises :class:`NumberError` with a Chinese message.
    """
    text = _coerce(raw)
    shown_raw = raw.strip() if isinstance(raw, str) else text
    field = _unit_field(unit)
    parts = _parse_text(text, shown_raw)
    written = re.sub(r"\s+", "", text)
    if field is None:
        result_unit = parts.unit
    elif parts.unit is not None:
        f_scale, f_unit, f_full = field
        if parts.unit != f_unit or (f_scale is not None and f_scale != parts.scale):
            own = f"{parts.scale or ''}{parts.unit}" if f_scale else parts.unit
            raise NumberError(
                f"数值“{shown_raw}”自带单位“{own}”，与单位栏的“{f_full}”不一致：请删掉其中一个，或改成相同的单位",
                raw,
            )
        result_unit = parts.unit
    else:
        f_scale, f_unit, f_full = field
        result_unit = f_unit
        fold = "%" if f_unit == "%" else f_scale
        if fold is not None:
            if parts.scale is not None:
                raise NumberError(
                    f"数值“{shown_raw}”已含数量级“{parts.scale}”，单位栏又写了“{f_full}”：数量级只能写一处，"
                    f"例如 value: 3.4 / unit: 万件，或 value: 3.4万 / unit: 件",
                    raw,
                )
            written = _insert_unit(written, fold)
            try:
                parts = _parse_text(written, written)
            except NumberError:
                raise NumberError(
                    f"数值“{shown_raw}”和单位栏“{f_full}”合起来是“{written}”，无法识别：{_HINT}", raw
                ) from None
    return Quantity(parts.value, parts.qualifier, result_unit, written)


def _coerce(raw: object) -> str:
    """Turn what YAML gave us into normalised text; reject values that are not numbers at all."""
    if raw is None:
        raise NumberError(f"数值为空：请填写数字，{_EXAMPLE_HINT}", raw)
    if isinstance(raw, bool):  # before int: bool is an int subclass
        raise NumberError(
            f"数值“{raw}”是真假值而不是数字（YAML 会把 yes、no、true、false 读成真假值）：{_HINT}", raw
        )
    if isinstance(raw, int):
        if raw < 0:
            raise NumberError(f"数值“{_short(str(raw))}”是负数：工作成效的数字不能为负数", raw)
        check_size(raw)
        return str(raw)
    if isinstance(raw, float | Decimal):
        number = Decimal(str(raw)) if isinstance(raw, float) else raw
        if number.is_infinite():  # YAML reads 1.0e309 as infinity
            raise NumberError(f"数值“{raw}”超出了能表示的范围：请检查是否多写了数字或数量级", raw)
        if not number.is_finite():
            raise NumberError(f"数值“{raw}”不是有效数字：{_HINT}", raw)
        if number < 0:
            raise NumberError(f"数值“{raw}”是负数：工作成效的数字不能为负数", raw)
        return format(abs(number), "f")  # abs() turns -0 into 0; "f" never uses exponents
    if isinstance(raw, str):
        return _normalise(raw)
    raise NumberError(f"数值“{raw!r}”应该是一个数字或一段文字（例如 180余），而不是列表或表格：{_HINT}", raw)


def _normalise(text: str) -> str:
    """Undo what Word and Chinese input methods do to digits, keeping everything else as written."""
    text = text.translate(_INVISIBLE).translate(_TRADITIONAL).replace("\ufe6a", "%")
    text = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" else c for c in text)
    return text.strip()


def _unit_field(unit: object) -> tuple[str | None, str | None, str] | None:
    """Split a separate unit field into (scale, unit, as written); None when absent."""
    if unit is None:
        return None
    if not isinstance(unit, str):
        raise NumberError(f"单位“{unit}”应该是文字，例如 次、件、名、万元")
    text = re.sub(r"\s+", "", _normalise(unit))
    if not text:
        return None
    if text == "%":
        return None, "%", "%"
    m = _UNIT_FIELD.fullmatch(text)
    if m is None:
        raise NumberError(f"单位“{unit.strip()}”无法识别：单位是 1 到 4 个字，例如 次、件、名、人次、万元、%")
    return m["scale"], m["unit"], text


def _parse_text(text: str, shown_raw: str) -> _Parts:
    """Apply the grammar to normalised text; ``shown_raw`` is what error messages quote."""
    if re.search(r"[0-9]\s+[0-9]", text):
        raise NumberError(
            f"数值“{shown_raw}”中间有空格，像是两个数字：请只写一个数，{_EXAMPLE_HINT}", shown_raw
        )
    compact = re.sub(r"\s+", "", text)
    if not compact:
        raise NumberError(f"数值为空：请填写数字，{_EXAMPLE_HINT}", shown_raw)
    m = _TEXT.fullmatch(compact)
    if m is None:
        raise NumberError(_diagnose(compact, shown_raw), shown_raw)

    qualifiers = {}
    for word, table in ((m["pre"], _PREFIX_QUALIFIERS), (m["qa"], _SUFFIX_QUALIFIERS),
                        (m["q1"], _SUFFIX_QUALIFIERS), (m["q2"], _SUFFIX_QUALIFIERS)):  # fmt: skip
        if word:
            qualifiers.setdefault(table[word], word)
    if len(qualifiers) > 1:
        a, b = list(qualifiers.values())[:2]
        raise NumberError(
            f"数值“{shown_raw}”中“{a}”和“{b}”的意思互相矛盾：请只保留一个，例如 近3000、约3000 或 3000余",
            shown_raw,
        )

    has_yu = bool(m["qa"] or m["q1"])
    if m["dig"] is not None:
        digits = m["dig"].replace(",", "")
        if len(digits) > _MAX_DIGITS:
            raise NumberError(f"数值“{_short(shown_raw)}”有 {len(digits)} 位数字，位数太多：请检查是否多写了数字", shown_raw)
        number = Decimal(digits)
    else:
        number = Decimal(_cn_value(m["cn"], shown_raw, allow_bare_unit=has_yu))

    unit = m["unit"]
    percent = unit == "%" or m["pctcn"] is not None
    if percent:
        if m["scale"] or (m["pctcn"] and unit):
            raise NumberError(f"百分比“{shown_raw}”写法有误：百分比只写数字和 %，例如 99%、96.5%", shown_raw)
        value = number.scaleb(-2, _CTX)
        qualifier = Qualifier.PERCENT
        unit = "%"
    else:
        value = _CTX.multiply(number, _SCALES[m["scale"]]) if m["scale"] else number
        qualifier = next(iter(qualifiers), Qualifier.EXACT)
    if value >= _MAX_VALUE:
        raise NumberError(f"数值“{_short(shown_raw)}”太大：请检查是否多写了数字或数量级", shown_raw)
    return _Parts(_clean(value), qualifier, unit, m["scale"])


def _short(shown: str) -> str:
    """A value as quoted in a message: a 400-digit typo is not repeated in full."""
    return shown if len(shown) <= 60 else f"{shown[:40]}…"


def check_size(value: int) -> None:
    """Raise :class:`NumberError` for a whole number beyond the grammar's bound (a count typed
    with too many digits): other whole-number fields (党员人数) are bounded like figures."""
    if abs(value) >= _MAX_VALUE:
        digits = len(str(abs(value)))
        raise NumberError(f"数值“{_short(str(value))}”有 {digits} 位数字，太大：请检查是否多写了数字", value)


def _diagnose(text: str, shown_raw: str) -> str:
    """Explain why ``text`` is not a number, as specifically as we can tell."""
    quoted = f"“{_short(shown_raw)}”"
    if re.fullmatch(r"[-−–—]0+(?:\.0+)?", text):
        return f"数值{quoted}是带负号的零：零没有正负，请写成 0"
    if text[:1] in ("-", "−", "–", "—") or text.startswith("负"):
        return f"数值{quoted}是负数：工作成效的数字不能为负数"
    if _VAGUE.search(text):
        return f"数值{quoted}不是具体数字：请照报告填写确切的数，可以带“余、多、近、约”，例如 180余、近3000"
    if _RANGE.search(text):
        return f"数值{quoted}是一个范围：请只写一个数，例如 近3000、约3000、3000余"
    if _UPPER_BOUND.search(text):
        return f"数值{quoted}表示上限（以下、不到等），目前不支持：请写成 近3000（接近）或 约3000（大约）"
    if not re.search(rf"[0-9{_NUMERALS}]", text):
        return f"数值{quoted}里没有数字：请在单位前写上数字，{_EXAMPLE_HINT}"
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+", text):
        return f"数值{quoted}是科学计数法：请照报告直接写出数字，例如 34000 或 3.4万"
    if _TWO_NUMBERS.search(text):
        return f"数值{quoted}包含两个数字：一项成效只写一个数，{_EXAMPLE_HINT}"
    head = _HEAD.match(text)
    if head is not None:
        rest = text[head.end() :]
        for suffix in _TRAILING_SUFFIXES:
            rest = rest.removesuffix(suffix)
        if re.fullmatch(rf"[{_LETTER}]{{5,}}", rest):
            return f"数值{quoted}的单位“{rest}”太长：单位最多 4 个字，例如 次、件、名、人次、万元"
    return f"无法识别的数字{quoted}：{_HINT}"


def _cn_value(cn: str, shown_raw: str, *, allow_bare_unit: bool) -> int:
    """Value of a Chinese numeral; ``allow_bare_unit`` admits "百余", "万余" (an implied 一)."""
    if cn[0] in "百千万亿" and not allow_bare_unit:
        raise NumberError(
            f"数值“{shown_raw}”缺少数字：“{cn[0]}”是数量级，前面要写数字，例如 一{cn[0]}、3.4万", shown_raw
        )
    try:
        return _cn_number(cn, implicit_one=True)
    except ValueError:
        where = "" if cn == shown_raw else f"（在“{shown_raw}”中）"
        raise NumberError(
            f"无法识别的中文数字“{cn}”{where}：可以写 十四、一百二十，或直接写 14、120", shown_raw
        ) from None


def _cn_number(s: str, *, implicit_one: bool) -> int:
    """Chinese numeral -> int; raises plain ValueError for malformed numerals."""
    if not s:
        raise ValueError(s)
    if all(c in _CN_DIGITS for c in s) and (len(s) > 1 or s in "零〇"):  # positional: 二〇二四, 零
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    for char, factor in (("亿", 10**8), ("万", 10**4)):
        if char in s:
            high, low = s.split(char, 1)
            hv = _cn_number(high, implicit_one=implicit_one) if high else (1 if implicit_one else 0)
            if not 0 < hv < factor:  # 一万亿 is fine, 一亿亿 / 零万 are not
                raise ValueError(s)
            if not low:
                lv = 0
            elif low[0] in "零〇":  # 一万零五; 一万零十 = 10010 (零 + 十 implies 一十, as in 一千零十)
                rest = low.lstrip("零〇")
                lv = _cn_number(rest, implicit_one=rest[:1] == "十")
            elif len(low) == 1 and low in _CN_DIGITS:  # 一万二 = 12000
                lv = _CN_DIGITS[low] * factor // 10
            else:
                lv = _cn_number(low, implicit_one=False)
            if lv >= factor:
                raise ValueError(s)
            return hv * factor + lv
    return _cn_section(s, implicit_one=implicit_one)


def _cn_section(s: str, *, implicit_one: bool) -> int:
    """A numeral below 10000 (no 万/亿): 三千五百, 一百零五, 十四, 一百二 (= 120)."""
    value, digit, last_unit, zero = 0, None, 10**4, False
    for c in s:
        if c in "零〇":
            if digit is not None or value == 0:
                raise ValueError(s)
            zero = True
        elif c in _CN_DIGITS:
            if digit is not None:
                raise ValueError(s)
            digit = _CN_DIGITS[c]
        else:
            unit = _CN_SMALL_UNITS[c]
            if unit >= last_unit:
                raise ValueError(s)
            if digit is None:
                # "十四", "百余" at the start; "一千零十" after 零.
                if not ((value == 0 and implicit_one) or (zero and unit == 10)):
                    raise ValueError(s)
                digit = 1
            value += digit * unit
            last_unit, digit, zero = unit, None, False
    if digit is not None:
        # A bare trailing digit is the next place down: 三千五 = 3500, 一百二 = 120.
        value += digit if zero or value == 0 or last_unit == 10 else digit * last_unit // 10
    elif zero:
        raise ValueError(s)
    return value


def _clean(value: Decimal) -> Decimal:
    """Canonical Decimal: integers without a fraction ("34000", not "3.4E+4" or "34000.0")."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_CTX)
    return value.normalize(_CTX)


# --- display ---------------------------------------------------------------------------------


def _insert_unit(written: str, unit: str) -> str:
    """Put a unit where the grammar expects it: before a trailing 以上/左右/上下, else at the end."""
    for suffix in _TRAILING_SUFFIXES:
        if written.endswith(suffix):
            return written[: -len(suffix)] + unit + suffix
    return written + unit


def format_quantity(q: Quantity) -> str:
    """Display form: the editor's wording, with the unit added when it came from the unit field.

    ``parse_quantity("65", unit="次")`` shows "65次"; "180余次" stays "180余次"; "3000左右" with
    unit 人 shows "3000人左右", which reads naturally and parses back to the same quantity.
    """
    try:
        text_unit = _parse_text(q.written, q.written).unit
    except NumberError:  # a Quantity built by hand; do the obvious thing
        if q.qualifier is Qualifier.PERCENT and "%" not in q.written:
            return q.written + "%"
        return q.written + q.unit if q.unit and q.unit not in q.written else q.written
    if text_unit is not None or not q.unit:
        return q.written
    return _insert_unit(q.written, q.unit)


def _plain(value: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 34000, 3.4, 0."""
    return format(value.normalize(_CTX), "f")


def _scaled(value: Decimal) -> str:
    """34000 -> 3.4万, 120000000 -> 1.2亿, 12345 -> 12345: 万/亿 only when <= 2 decimals suffice."""
    for exponent, char in ((8, "亿"), (4, "万")):
        if value >= Decimal(10) ** exponent:
            scaled = value.scaleb(-exponent, _CTX).normalize(_CTX)
            if int(scaled.as_tuple().exponent) >= -2:
                return _plain(scaled) + char
    return _plain(value)


def render_number(value: Decimal, qualifier: Qualifier, unit: str | None) -> str:
    """Canonical display of a computed figure (a total), in the same grammar editors write.

    245 AT_LEAST 次 -> "245余次"; 34000 -> "3.4万"; 93374200 元 -> "9337.42万元"; 3065 BELOW ->
    "近3065"; 3065 ABOUT -> "约3065"; Decimal("0.965") PERCENT -> "96.5%". The result always
    parses back to the same value, qualifier and unit.
    """
    try:
        value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise NumberError(f"无法显示的数值“{value}”") from None
    if not value.is_finite() or value < 0:
        raise NumberError(f"无法显示的数值“{value}”：只能显示非负的有限数字")
    value = value.copy_abs()  # -0 -> 0; abs() would round to the default 28 digits
    qualifier = Qualifier(qualifier)
    if qualifier is Qualifier.PERCENT:
        return _plain(value.scaleb(2, _CTX)) + "%"
    prefix = {Qualifier.BELOW: "近", Qualifier.ABOUT: "约"}.get(qualifier, "")
    suffix = "余" if qualifier is Qualifier.AT_LEAST else ""
    return f"{prefix}{_scaled(value)}{suffix}{unit or ''}"


# --- arithmetic ------------------------------------------------------------------------------


def _combined_qualifier(qualifiers: set[Qualifier]) -> Qualifier:
    """Honest qualifier of a sum: one kind of vagueness survives, two different kinds blur to ABOUT."""
    vague = qualifiers - {Qualifier.EXACT}
    if not vague:
        return Qualifier.EXACT
    if len(vague) == 1:
        return next(iter(vague))
    return Qualifier.ABOUT


def total(qs: Iterable[Quantity]) -> Quantity | None:
    """Sum of quantities, None for none. Order never matters (value, qualifier and errors alike).

    exact+exact = exact; with AT_LEAST (and only exact) = AT_LEAST ("180余 + 65 = 245余");
    with BELOW (and only exact) = BELOW; AT_LEAST mixed with BELOW, or any ABOUT = ABOUT.
    Percentages and differing units raise :class:`NumberError`.
    """
    items = list(qs)
    if not items:
        return None
    # Error messages name the smallest offending display form, so they too are order-independent.
    percents = sorted(format_quantity(q) for q in items if q.qualifier is Qualifier.PERCENT)
    if percents:
        raise NumberError(
            f"百分比不能相加：“{percents[0]}”是百分比；在指标词表中请用 total: latest 或 total: max"
        )
    units = sorted({q.unit for q in items if q.unit is not None})
    if len(units) > 1:
        shown = "、".join(
            f"“{min(format_quantity(q) for q in items if q.unit == u)}”（单位“{u}”）" for u in units
        )
        raise NumberError(f"单位不同，不能相加：{shown}。同一项指标请统一单位")
    with localcontext(_CTX):  # wide precision: a long sum is never rounded
        value = _clean(sum((q.value for q in items), Decimal(0)))
    qualifier = _combined_qualifier({q.qualifier for q in items})
    unit = units[0] if units else None
    return Quantity(value, qualifier, unit, render_number(value, qualifier, unit))


def add(a: Quantity, b: Quantity) -> Quantity:
    """Sum of two quantities; same rules as :func:`total`."""
    result = total((a, b))
    assert result is not None
    return result


# --- which figures may be added up ---------------------------------------------------------------

#: units that count events, cases, people-times or money: figures in them may be added up
EVENT_UNITS = frozenset({"次", "场", "场次", "件", "起", "宗", "例", "笔", "期", "批", "批次", "堂", "课", "趟",
                         "人次", "元"})
#: words in a metric's name that make it a rate or an average: adding two of them is meaningless
_NEVER_SUMMED = re.compile(r"率|年均|平均|均值|比例|比重|占比|满意度|滿意度")


def never_summed(name: str, unit: str | None) -> str | None:
    """Why figures of this metric may not be added (a percentage, a rate, an average), or None.

    Chinese reports mix "出庭应诉率100%" and "年均结案7000余件" with counts; adding either is false."""
    if unit == "%":
        return "是百分比"
    m = _NEVER_SUMMED.search(name)
    if m is not None:
        return f"名称含“{m.group(0)}”，是比率或平均数"
    return None


def default_total(name: str, unit: str | None) -> str:
    """The total mode of a vocabulary entry that does not say: add only what counts events or money.

    Stock figures (名, 个: people in a team, branches in a court) and anything unknown are not
    added: a silent sum could publish a false figure, a missing one only a shorter table."""
    if never_summed(name, unit):
        return "latest"
    if unit in EVENT_UNITS:
        return "sum"
    return "none"
