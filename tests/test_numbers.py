"""Tests for the number grammar: the spec's table, every rejection, and the parsing properties.

The table rows come straight from docs (content-format.md, "Numbers"), so a change to what
editors may write shows up here first. Property tests check the promises other modules rely
on: written values mean what the grammar says and display forms parse back. Chinese numerals
are tested in ``test_numerals.py``, sums in ``test_totals.py``, the guide's statement of the
grammar in ``test_number_guide.py`` (one test file per module, for ``tools/mutation.sh``).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandsite.model.numbers import (
    NumberError,
    Qualifier,
    Quantity,
    format_quantity,
    parse_quantity,
)
from brandsite.model.totals import total

E, AL, BE, AB, PC = (Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.BELOW, Qualifier.ABOUT, Qualifier.PERCENT)


def key(q: Quantity) -> tuple[Decimal, Qualifier, str | None]:
    return q.value, q.qualifier, q.unit


# --- the spec's table, row by row -------------------------------------------------------------

SPEC_TABLE = [
    # written, separate unit, value, qualifier, unit, shown
    ("65", "次", "65", E, "次", "65次"),
    ("65次", None, "65", E, "次", "65次"),
    ("180余", "次", "180", AL, "次", "180余次"),
    ("180余次", None, "180", AL, "次", "180余次"),
    ("180多", "次", "180", AL, "次", "180多次"),  # kept as written: 多 is not rewritten to 余
    ("近3000", None, "3000", BE, None, "近3000"),
    ("3.4万", None, "34000", E, None, "3.4万"),
    ("3.4万件", None, "34000", E, "件", "3.4万件"),
    ("9337.42万元", None, "93374200", E, "元", "9337.42万元"),
    ("1.2亿", None, "120000000", E, None, "1.2亿"),
    ("99%", None, "0.99", PC, "%", "99%"),
    ("96.5%", None, "0.965", PC, "%", "96.5%"),
    ("十四", None, "14", E, None, "十四"),
    ("二十八", None, "28", E, None, "二十八"),
]


@pytest.mark.parametrize(("raw", "unit", "value", "qualifier", "q_unit", "shown"), SPEC_TABLE)
def test_spec_table(raw: str, unit: str | None, value: str, qualifier: Qualifier, q_unit: str | None,
                    shown: str) -> None:  # fmt: skip
    q = parse_quantity(raw, unit=unit)
    assert q.value == Decimal(value)
    assert q.qualifier is qualifier
    assert q.unit == q_unit
    assert format_quantity(q) == shown


# --- more accepted forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "qualifier", "unit"),
    [
        ("超180", "180", AL, None),
        ("超过180次", "180", AL, "次"),
        ("逾200", "200", AL, None),
        ("180以上", "180", AL, None),
        ("180次以上", "180", AL, "次"),
        ("50多名", "50", AL, "名"),
        ("将近3000", "3000", BE, None),
        ("接近3000人", "3000", BE, "人"),
        ("约3000", "3000", AB, None),
        ("大约3000", "3000", AB, None),
        ("3000左右", "3000", AB, None),
        ("3000人左右", "3000", AB, "人"),
        ("3000上下", "3000", AB, None),
        ("约3000左右", "3000", AB, None),  # redundant but consistent
        ("3千", "3000", E, None),
        ("3千余人", "3000", AL, "人"),
        ("5百万", "5000000", E, None),
        ("180余万元", "1800000", AL, "元"),
        ("1万余元", "10000", AL, "元"),
        ("3,000", "3000", E, None),
        ("12,345.5", "12345.5", E, None),
        ("65人次", "65", E, "人次"),
        ("3个百分点", "3", E, "个百分点"),
        ("65km", "65", E, "km"),
        ("0", "0", E, None),
        ("  65次 ", "65", E, "次"),
        ("6\u200b5", "65", E, None),  # zero-width space from Word
        ("3.4萬件", "34000", E, "件"),  # Traditional 萬
        ("180餘次", "180", AL, "次"),
        ("超99%", "0.99", PC, "%"),
        ("99%以上", "0.99", PC, "%"),
        ("100%", "1", PC, "%"),
    ],
)
def test_accepted_forms(raw: str, value: str, qualifier: Qualifier, unit: str | None) -> None:
    q = parse_quantity(raw)
    assert key(q) == (Decimal(value), qualifier, unit)


def test_full_width_digits_and_percent() -> None:
    q = parse_quantity("９９％")
    assert key(q) == (Decimal("0.99"), PC, "%")
    assert q.written == "99%"
    q = parse_quantity("３，０００件")
    assert key(q) == (Decimal(3000), E, "件")
    assert q.written == "3,000件"
    assert key(parse_quantity("１８０余次")) == (Decimal(180), AL, "次")
    assert key(parse_quantity("３．４万")) == (Decimal(34000), E, None)
    assert parse_quantity("９６.５﹪").value == Decimal("0.965")


def test_yaml_scalars() -> None:
    assert key(parse_quantity(65)) == (Decimal(65), E, None)
    assert parse_quantity(65).written == "65"
    assert parse_quantity(3.4).value == Decimal("3.4")  # via str(), not the binary float
    assert parse_quantity(0.1).value + parse_quantity(0.2).value == Decimal("0.3")
    assert parse_quantity(1e16).written == "10000000000000000"  # never "1e+16"
    assert parse_quantity(Decimal("3.4E+4")).written == "34000"
    assert parse_quantity(Decimal("-0")).value == 0
    assert format_quantity(parse_quantity(65, unit="次")) == "65次"


def test_values_are_canonical_decimals() -> None:
    assert str(parse_quantity("3.4万").value) == "34000"
    assert str(parse_quantity("3.40").value) == "3.4"
    assert str(parse_quantity("99%").value) == "0.99"


# --- the separate unit field ------------------------------------------------------------------


def test_unit_field_agreeing_with_text_is_fine() -> None:
    assert key(parse_quantity("65次", unit="次")) == (Decimal(65), E, "次")
    assert key(parse_quantity("9337.42万元", unit="元")) == (Decimal(93374200), E, "元")
    assert key(parse_quantity("3.4万元", unit="万元")) == (Decimal(34000), E, "元")
    assert key(parse_quantity("99%", unit="％")) == (Decimal("0.99"), PC, "%")
    assert key(parse_quantity("65", unit="")) == (Decimal(65), E, None)
    assert key(parse_quantity("65", unit=" 次 ")) == (Decimal(65), E, "次")


def test_unit_field_with_scale_scales_the_number() -> None:
    q = parse_quantity("9337.42", unit="万元")
    assert key(q) == (Decimal(93374200), E, "元")
    assert format_quantity(q) == "9337.42万元"
    assert total([q, parse_quantity("9337.42万元")]) is not None  # same unit: they add up
    q = parse_quantity("180余", unit="万元")
    assert key(q) == (Decimal(1800000), AL, "元")
    assert format_quantity(q) == "180余万元"
    q = parse_quantity("3.4", unit="万")
    assert key(q) == (Decimal(34000), E, None)
    assert format_quantity(q) == "3.4万"


def test_unit_field_percent_and_trailing_suffix() -> None:
    q = parse_quantity("99", unit="%")
    assert key(q) == (Decimal("0.99"), PC, "%")
    assert format_quantity(q) == "99%"
    q = parse_quantity("3000左右", unit="人")
    assert format_quantity(q) == "3000人左右"
    assert key(parse_quantity(format_quantity(q))) == key(q)


@pytest.mark.parametrize(
    ("raw", "unit", "mentions"),
    [
        ("65次", "件", ("65次", "次", "件")),
        ("180余次", "名", ("180余次", "次", "名")),
        ("34000元", "万元", ("34000元", "万元")),
        ("99%", "次", ("99%", "次")),
        ("65个", "次", ("65个", "个", "次")),
    ],
)
def test_unit_conflict(raw: str, unit: str, mentions: tuple[str, ...]) -> None:
    with pytest.raises(NumberError) as info:
        parse_quantity(raw, unit=unit)
    message = str(info.value)
    for word in mentions:
        assert word in message
    assert "不一致" in message


def test_scale_written_twice() -> None:
    with pytest.raises(NumberError, match="数量级") as info:
        parse_quantity("3.4万", unit="万件")
    assert "3.4万" in str(info.value)


def test_bad_unit_field() -> None:
    with pytest.raises(NumberError, match="次次次次次"):
        parse_quantity("65", unit="次次次次次")
    with pytest.raises(NumberError, match="单位"):
        parse_quantity("65", unit=3)  # type: ignore[arg-type]


# --- rejected forms ---------------------------------------------------------------------------

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("很多", "具体"),
        ("若干", "具体"),
        ("大量", "具体"),
        ("几十次", "具体"),
        ("3..4", "65、180余、3.4万、99%"),
        ("3.4.5", "65、180余、3.4万、99%"),
        ("-3", "负数"),
        ("－3", "负数"),
        ("负3", "负数"),
        ("次", "没有数字"),
        ("%", "没有数字"),
        ("余次", "没有数字"),
        ("nan", "没有数字"),
        ("万元", "数量级"),
        ("亿", "数量级"),
        ("3-5", "范围"),
        ("3~5次", "范围"),
        ("3至5次", "范围"),
        ("3次4次", "两个数字"),
        ("3 4", "两个数字"),
        ("3000以下", "上限"),
        ("不到3000", "上限"),
        ("近3000余", "矛盾"),
        ("约180余", "矛盾"),
        ("65次次次次次", "太长"),
        ("十十", "中文数字"),
        ("一百千", "中文数字"),
        ("3万%", "百分比"),
        ("百分之九十%", "百分比"),
        ("3,00", "65、180余"),
        ("180+", "65、180余"),
        ("3万5千", "65、180余"),
        ("1" * 31, "位数"),
        ("99999亿亿", "65、180余"),
    ],
)
def test_rejected_text(raw: str, hint: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_quantity(raw)
    message = str(info.value)
    assert raw.strip() in message
    assert hint in message
    assert HAN.search(message)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", None])
def test_rejected_empty(raw: object) -> None:
    with pytest.raises(NumberError, match="为空"):
        parse_quantity(raw)


@pytest.mark.parametrize(
    "raw", [True, False, float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("Infinity"),
            -3, -0.5, Decimal("-1"), 10**40, [65], {"value": 65}],
)  # fmt: skip
def test_rejected_scalars(raw: object) -> None:
    with pytest.raises(NumberError) as info:
        parse_quantity(raw)
    message = str(info.value)
    assert str(raw) in message or repr(raw) in message
    assert HAN.search(message)


# --- properties -------------------------------------------------------------------------------

UNITS = [None, "次", "件", "名", "元", "人次", "场", "个", "户", "项", "km"]
NON_PERCENT = [E, AL, BE, AB]


@st.composite
def decimals(draw: st.DrawFn, max_int: int = 10**15) -> Decimal:
    return Decimal(draw(st.integers(0, max_int))).scaleb(-draw(st.integers(0, 4)))


CN_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Independent int -> Chinese numeral (below 10^8) to feed the parser."""

    def section(m: int) -> str:
        out, gap = "", False
        for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d = m // div % 10
            if d == 0:
                gap = gap or bool(out)
            else:
                out += ("零" if gap else "") + CN_DIGITS[d] + unit
                gap = False
        return out

    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = (
        section(low) if not high else section(high) + "万" + ("零" if 0 < low < 1000 else "") + section(low)
    )
    return text[1:] if text.startswith("一十") else text


@pytest.mark.parametrize(
    ("n", "text"), [(14, "十四"), (120, "一百二十"), (10005, "一万零五"), (3500, "三千五百")]
)
def test_to_chinese_helper(n: int, text: str) -> None:
    assert to_chinese(n) == text


FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")
PREFIXES = {"近": BE, "将近": BE, "约": AB, "大约": AB, "超": AL, "超过": AL, "逾": AL}
INNER = {"余": AL, "多": AL}  # before the unit
TRAILING = {"以上": AL, "左右": AB, "上下": AB}  # after the unit
SCALES = {"万": 10**4, "亿": 10**8, "千": 10**3}


@st.composite
def written_values(draw: st.DrawFn) -> tuple[str, str | None, Decimal, Qualifier, str | None]:
    """(text, unit field, value, qualifier, unit) built from the grammar, with the expected meaning."""
    if draw(st.booleans()):
        n = draw(st.integers(0, 10**8 - 1))
        number, value, scale = to_chinese(n), Decimal(n), ""
    else:
        value = draw(decimals(max_int=10**9))
        number = format(value, "f")
        if "." not in number and len(number) > 3 and draw(st.booleans()):
            number = f"{int(number):,}"
        scale = draw(st.sampled_from(["", "", *SCALES]))
        if scale:
            value *= SCALES[scale]
    percent = not scale and number[0].isdigit() and draw(st.booleans())
    if percent:
        value = value.scaleb(-2)
    qualifier = draw(st.sampled_from(NON_PERCENT))
    prefix = inner = trailing = ""
    if qualifier is not E:
        choices = [("p", w) for w, k in PREFIXES.items() if k is qualifier]
        choices += [("i", w) for w, k in INNER.items() if k is qualifier and not percent]
        choices += [("t", w) for w, k in TRAILING.items() if k is qualifier]
        where, word = draw(st.sampled_from(choices))
        prefix, inner, trailing = (word if where == c else "" for c in "pit")
    if percent:
        text_unit, field = "%", draw(st.sampled_from([None, "%", "％"]))
        unit = "%"
        qualifier = PC
    else:
        unit = draw(st.sampled_from(UNITS))
        in_text = unit is not None and draw(st.booleans())
        text_unit = unit if in_text else ""
        field = unit if not in_text or draw(st.booleans()) else None
    text = f"{prefix}{number}{scale}{inner}{text_unit or ''}{trailing}"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.booleans()):
        text = f" {text}\u3000"
    return text, field, value, qualifier, unit


@settings(max_examples=300)
@given(written_values())
def test_parse_then_format_round_trips(case: tuple[str, str | None, Decimal, Qualifier, str | None]) -> None:
    text, field, value, qualifier, unit = case
    parsed = parse_quantity(text, unit=field)
    assert key(parsed) == (value, qualifier, unit)
    shown = format_quantity(parsed)
    assert key(parse_quantity(shown)) == key(parsed)
    assert format_quantity(parse_quantity(shown)) == shown  # display is a fixed point


# --- bounds (issue 10) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("1e309", "科学计数法"),
        ("1.5E3", "科学计数法"),
        ("-0", "带负号的零"),
        ("−0.00", "带负号的零"),
        ("1" * 400, "有 400 位数字"),
        (10**400, "有 401 位数字"),
        (float("inf"), "超出了能表示的范围"),
    ],
)
def test_values_out_of_bounds_get_a_message_that_says_why(raw, says):
    with pytest.raises(NumberError) as got:
        parse_quantity(raw)
    message = str(got.value)
    assert says in message
    assert "两个数字" not in message and "是负数" not in message
    assert len(message) < 120  # a 400-digit typo is not repeated in full


def test_a_plain_zero_and_a_large_exact_figure_are_still_fine():
    assert parse_quantity("0").value == 0
    assert parse_quantity(10**17).value == 10**17
    with pytest.raises(NumberError, match="是负数"):
        parse_quantity("-5")
