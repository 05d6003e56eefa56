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
``0.1 + 0.2`` must not appear on an official website. Honest sums ("180余 + 65 = 245余") are
:mod:`brandsite.model.totals`; Chinese numerals :mod:`brandsite.model.numerals`; this grammar as
the editor guide states it :mod:`brandsite.model.number_guide`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal
from enum import Enum

from brandsite.model.numerals import _cn_number

__all__ = [
    "NumberError",
    "Quantity",
    "Qualifier",
    "check_size",
    "format_quantity",
    "parse_quantity",
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
