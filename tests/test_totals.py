"""Tests for honest totals: sums keep the vagueness of their parts, percentages and differing
units are refused, and a shown sum parses back to itself.

Split from ``test_numbers.py`` with :mod:`brandsite.model.totals`, so that ``tools/mutation.sh totals``
runs these against that module. Whether a metric may be added at all (``never_summed``,
``default_total``) is pinned here word by word, and through the vocabulary in ``test_statistics.py``.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandsite.model.numbers import NumberError, Qualifier, Quantity, format_quantity, parse_quantity
from brandsite.model.totals import EVENT_UNITS, add, default_total, never_summed, render_number, total

E, AL, BE, AB, PC = (Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.BELOW, Qualifier.ABOUT, Qualifier.PERCENT)
UNITS = [None, "次", "件", "名", "元", "人次", "场", "个", "户", "项", "km"]
NON_PERCENT = [E, AL, BE, AB]


def key(q: Quantity) -> tuple[Decimal, Qualifier, str | None]:
    return q.value, q.qualifier, q.unit


@st.composite
def decimals(draw: st.DrawFn, max_int: int = 10**15) -> Decimal:
    return Decimal(draw(st.integers(0, max_int))).scaleb(-draw(st.integers(0, 4)))


def test_spec_total_example() -> None:
    assert format_quantity(add(parse_quantity("180余"), parse_quantity("65"))) == "245余"


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


# --- pinned: precision and the exact wording of refusals ---------------------------------------

@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal(12340), "12340"),  # 1.234万 would claim a form no report used
        (Decimal(12300), "1.23万"),
        (Decimal(123400000), "12340万"),  # not 1.234亿
        (0.1, "0.1"),  # a float is read by its shortest repr, never its binary expansion
        (2.675, "2.675"),
    ],
)
def test_render_number_precision(value: Decimal | float, shown: str) -> None:
    assert render_number(value, E, None) == shown


def test_render_number_refusals() -> None:
    with pytest.raises(NumberError) as info:
        render_number("abc", E, None)  # type: ignore[arg-type]
    assert str(info.value) == "无法显示的数值“abc”"
    with pytest.raises(NumberError) as info:
        render_number(Decimal(-1), E, None)
    assert str(info.value) == "无法显示的数值“-1”：只能显示非负的有限数字"


def test_total_names_each_unit_by_its_smallest_own_figure() -> None:
    items = [parse_quantity("5次"), parse_quantity("3件"), parse_quantity("2次"), parse_quantity("4件")]
    with pytest.raises(NumberError) as info:
        total(items)
    assert str(info.value) == "单位不同，不能相加：“3件”（单位“件”）、“2次”（单位“次”）。同一项指标请统一单位"


def test_total_is_never_rounded() -> None:
    """29 significant digits: more than Python's default decimal context keeps."""
    result = total([parse_quantity("999999999999999999"), parse_quantity("0.00000000001")])
    assert result is not None
    assert result.value == Decimal("999999999999999999.00000000001")
    assert str(result) == "999999999999999999.00000000001"


def test_total_is_not_shown_rounded_to_a_round_figure() -> None:
    """1.2亿 plus a tiny fraction must not be displayed as "1.2亿" (30 significant digits)."""
    result = total([parse_quantity("120000000"), parse_quantity("0.000000000000000000001")])
    assert result is not None
    assert str(result) == "120000000.000000000000000000001"


# --- which metrics may be added at all ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "why", "mode"),
    [
        ("出庭应诉率", "%", "是百分比", "latest"),  # the unit decides before the name
        ("案件数", "%", "是百分比", "latest"),
        ("调解成功率", None, "名称含“率”，是比率或平均数", "latest"),
        ("年均结案", "件", "名称含“年均”，是比率或平均数", "latest"),
        ("人均结案", "件", None, "sum"),  # 人均 is not in the list: only the words listed count
        ("平均审理天数", "天", "名称含“平均”，是比率或平均数", "latest"),
        ("结案均值", "件", "名称含“均值”，是比率或平均数", "latest"),
        ("调解比例", None, "名称含“比例”，是比率或平均数", "latest"),
        ("党员比重", None, "名称含“比重”，是比率或平均数", "latest"),
        ("线上立案占比", None, "名称含“占比”，是比率或平均数", "latest"),
        ("群众满意度", None, "名称含“满意度”，是比率或平均数", "latest"),
        ("群眾滿意度", None, "名称含“滿意度”，是比率或平均数", "latest"),  # as pasted in Traditional script
        ("普法宣传", "次", None, "sum"),
        ("志愿服务", "人次", None, "sum"),
        ("化解纠纷", "件", None, "sum"),
        ("司法救助", "元", None, "sum"),
        ("法治讲堂", "场次", None, "sum"),
        ("党员人数", "名", None, "none"),  # a stock of people: adding two years double-counts
        ("联系点", "个", None, "none"),
        ("普法宣传", None, None, "none"),  # unknown unit: not added silently
    ],
)
def test_which_metrics_may_be_added(name: str, unit: str | None, why: str | None, mode: str) -> None:
    assert never_summed(name, unit) == why
    assert default_total(name, unit) == mode


def test_every_event_unit_is_summed_by_default() -> None:
    assert {u for u in EVENT_UNITS if default_total("工作量", u) == "sum"} == EVENT_UNITS
    assert {"次", "场", "场次", "件", "起", "宗", "例", "笔", "期", "批", "批次", "堂", "课", "趟", "人次", "元"} == EVENT_UNITS
