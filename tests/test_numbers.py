"""Tests for the number grammar: the spec's table, every rejection, and the arithmetic properties.

The table rows come straight from docs (content-format.md, "Numbers"), so a change to what
editors may write shows up here first. Property tests check the promises other modules rely
on: rendered totals parse back, display forms parse back, and sums never overstate precision.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandsite.model.numbers import (
    EXAMPLES,
    GRAMMAR_DOC,
    NumberError,
    Qualifier,
    Quantity,
    add,
    format_quantity,
    parse_quantity,
    render_number,
    total,
)

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


def test_spec_total_example() -> None:
    assert format_quantity(add(parse_quantity("180余"), parse_quantity("65"))) == "245余"


@pytest.mark.parametrize(("written", "shown"), EXAMPLES)
def test_examples_constant(written: str, shown: str) -> None:
    assert format_quantity(parse_quantity(written)) == shown


def test_grammar_doc_mentions_every_form() -> None:
    for word in ("余", "多", "近", "约", "超", "逾", "左右", "以上", "万", "亿", "%", "十四", "很多", "3..4"):
        assert word in GRAMMAR_DOC


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


@pytest.mark.parametrize(
    ("raw", "value", "qualifier"),
    [
        ("十", 10, E),
        ("十四", 14, E),
        ("二十八", 28, E),
        ("一百二十", 120, E),
        ("一百零五", 105, E),
        ("一千零一十", 1010, E),
        ("三千五百", 3500, E),
        ("三千五", 3500, E),
        ("一百二", 120, E),
        ("两万", 20000, E),
        ("一万二", 12000, E),
        ("一万零五", 10005, E),
        ("十万", 100000, E),
        ("三亿五千万", 350000000, E),
        ("一万亿", 10**12, E),
        ("二〇二四", 2024, E),
        ("零", 0, E),
        ("十多", 10, AL),
        ("十余万", 100000, AL),
        ("一百多万", 1000000, AL),
        ("百余", 100, AL),
        ("千余人", 1000, AL),
        ("近一千", 1000, BE),
        ("约两千", 2000, AB),
    ],
)
def test_chinese_numerals(raw: str, value: int, qualifier: Qualifier) -> None:
    q = parse_quantity(raw)
    assert q.value == value
    assert q.qualifier is qualifier
    assert q.written == raw
    assert format_quantity(q) == raw


def test_chinese_numeral_with_unit() -> None:
    q = parse_quantity("十四", unit="个")
    assert key(q) == (Decimal(14), E, "个")
    assert format_quantity(q) == "十四个"
    assert key(parse_quantity("二十余万元")) == (Decimal(200000), AL, "元")
    assert key(parse_quantity("百分之九十五")) == (Decimal("0.95"), PC, "%")


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


# --- rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "shown"),
    [
        ("245", AL, "次", "245余次"),
        ("34000", E, None, "3.4万"),
        ("93374200", E, "元", "9337.42万元"),
        ("120000000", E, None, "1.2亿"),
        ("12345", E, None, "12345"),
        ("9999", E, None, "9999"),
        ("10000", E, None, "1万"),
        ("123456789", E, None, "123456789"),
        ("3065", BE, None, "近3065"),
        ("3065", AB, None, "约3065"),
        ("0.965", PC, "%", "96.5%"),
        ("1", PC, None, "100%"),
        ("65.0", E, "次", "65次"),
        ("3.50", E, None, "3.5"),
        ("1E+3", E, None, "1000"),
        ("0", E, None, "0"),
        ("0.00001", E, None, "0.00001"),
        ("1E+16", E, None, "100000000亿"),
    ],
)
def test_render_number(value: str, qualifier: Qualifier, unit: str | None, shown: str) -> None:
    assert render_number(Decimal(value), qualifier, unit) == shown


def test_render_rejects_negative_and_nan() -> None:
    with pytest.raises(NumberError):
        render_number(Decimal("-1"), E, None)
    with pytest.raises(NumberError):
        render_number(Decimal("NaN"), E, None)


# --- sums -----------------------------------------------------------------------------------------


def q(raw: str, unit: str | None = None) -> Quantity:
    return parse_quantity(raw, unit=unit)


def test_add_rules() -> None:
    assert key(add(q("65"), q("35"))) == (Decimal(100), E, None)
    r = add(q("180余次"), q("65", "次"))
    assert key(r) == (Decimal(245), AL, "次")
    assert r.written == "245余次"
    r = add(q("近3000"), q("65"))
    assert (key(r), r.written) == ((Decimal(3065), BE, None), "近3065")
    assert add(q("约3000"), q("65")).written == "约3065"
    assert add(q("180余"), q("近3000")).qualifier is AB
    assert add(q("180余"), q("约3000")).qualifier is AB
    assert add(q("近3000"), q("约3000")).qualifier is AB
    assert add(q("近3000"), q("近1000")).qualifier is BE
    assert add(q("3.4万件"), q("6000件")).written == "4万件"
    assert add(q("9337.42万元"), q("0.58万元")).written == "9338万元"
    assert add(q("65次"), q("5")).unit == "次"  # None takes the other's unit


def test_add_percent_and_unit_errors() -> None:
    with pytest.raises(NumberError, match="百分比不能相加") as info:
        add(q("99%"), q("65"))
    assert "99%" in str(info.value)
    with pytest.raises(NumberError, match="单位不同") as info:
        add(q("65次"), q("3件"))
    assert "65次" in str(info.value) and "3件" in str(info.value)


def test_total_basics() -> None:
    assert total([]) is None
    assert total(iter([])) is None
    single = total([q("十四", "个")])
    assert single is not None and key(single) == (Decimal(14), E, "个") and single.written == "14个"
    t = total(q(x) for x in ["180余次", "65次", "3.4万次"])
    assert t is not None and t.written == "34245余次"
    with pytest.raises(NumberError, match="百分比"):
        total([q("99%")])


# --- properties -------------------------------------------------------------------------------

UNITS = [None, "次", "件", "名", "元", "人次", "场", "个", "户", "项", "km"]
NON_PERCENT = [E, AL, BE, AB]


@st.composite
def decimals(draw: st.DrawFn, max_int: int = 10**15) -> Decimal:
    return Decimal(draw(st.integers(0, max_int))).scaleb(-draw(st.integers(0, 4)))


@st.composite
def quantities(draw: st.DrawFn, units: list[str | None] | None = None) -> Quantity:
    """Quantities as totals produce them (non-percent)."""
    value = draw(decimals())
    qualifier = draw(st.sampled_from(NON_PERCENT))
    unit = draw(st.sampled_from(units or UNITS))
    return Quantity(value, qualifier, unit, render_number(value, qualifier, unit))


@given(value=decimals(), qualifier=st.sampled_from(NON_PERCENT), unit=st.sampled_from(UNITS))
def test_render_round_trips(value: Decimal, qualifier: Qualifier, unit: str | None) -> None:
    text = render_number(value, qualifier, unit)
    assert "E" not in text and "e" not in text.replace("km", "")
    assert not re.search(r"\.[0-9]*0(?![0-9])", text)  # no trailing zeros such as "65.0"
    assert key(parse_quantity(text)) == (value, qualifier, unit)


@given(value=decimals(max_int=10**6))
def test_render_round_trips_percent(value: Decimal) -> None:
    value = value.scaleb(-2)
    text = render_number(value, PC, "%")
    assert text.endswith("%")
    assert key(parse_quantity(text)) == (value, PC, "%")


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


@given(st.lists(quantities(units=[None, "次"]), max_size=8))
def test_total_qualifier_and_value(qs: list[Quantity]) -> None:
    t = total(qs)
    if not qs:
        assert t is None
        return
    assert t is not None
    kinds = {x.qualifier for x in qs}
    assert (t.qualifier is E) == (kinds == {E})
    if AL in kinds and not kinds & {BE, AB}:
        assert t.qualifier is AL
    if BE in kinds and not kinds & {AL, AB}:
        assert t.qualifier is BE
    if AB in kinds or {AL, BE} <= kinds:
        assert t.qualifier is AB
    assert t.value == sum((x.value for x in qs), Decimal(0))
    assert t.unit == ("次" if any(x.unit == "次" for x in qs) else None)
    assert key(parse_quantity(t.written)) == key(t)


@given(st.lists(quantities(), max_size=5), st.data())
def test_total_with_a_percent_raises(qs: list[Quantity], data: st.DataObject) -> None:
    pct = parse_quantity(f"{data.draw(st.integers(0, 100))}%")
    qs.insert(data.draw(st.integers(0, len(qs))), pct)
    with pytest.raises(NumberError, match="百分比不能相加"):
        total(qs)
    if len(qs) == 2:
        with pytest.raises(NumberError, match="百分比不能相加"):
            add(qs[0], qs[1])


def outcome(qs: list[Quantity]) -> object:
    try:
        return total(qs)
    except NumberError as exc:
        return ("error", str(exc))


@given(st.lists(quantities(units=[None, "次", "件"]), min_size=1, max_size=6).flatmap(
    lambda qs: st.tuples(st.just(qs), st.permutations(qs))
))  # fmt: skip
def test_total_is_order_independent(pair: tuple[list[Quantity], list[Quantity]]) -> None:
    original, shuffled = pair
    assert outcome(original) == outcome(list(shuffled))
    if len(original) == 2 and not isinstance(outcome(original), tuple):
        assert add(original[0], original[1]) == add(original[1], original[0])


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
