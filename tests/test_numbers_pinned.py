"""Pinned behaviour of the number grammar: boundaries, refusals and the exact wording editors see.

Every figure on the site is an official statement, so a change that accepts one more malformed
numeral ("一万一万" as 20000, "①次" as 1) or loses the explanation of a refusal must fail a
test. These tables were written against mutation testing (``tools/mutation.sh numbers``); the
survivors judged equivalent are listed in ``tests/mutation-equivalent.md``. Bounds for huge,
negative-zero and very long values are deliberately left to ``test_numbers.py``.
"""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from brandsite.model.numbers import (
    NumberError,
    Qualifier,
    Quantity,
    format_quantity,
    parse_quantity,
)

E, AL, PC = Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.PERCENT
HINT = "请写成 65、180余、3.4万、99% 这样的形式"
EXAMPLE_HINT = "例如 65、180余、3.4万、99%"
CN_HINT = "可以写 十四、一百二十，或直接写 14、120"


def key(q: Quantity) -> tuple[Decimal, Qualifier, str | None]:
    return q.value, q.qualifier, q.unit


def refusal(raw: object, unit: str | None = None) -> NumberError:
    with pytest.raises(NumberError) as info:
        parse_quantity(raw, unit=unit)
    return info.value


# --- Chinese numerals inside a value (the numerals themselves: test_numerals.py) ---------------

def test_malformed_numeral_inside_longer_text_says_where() -> None:
    assert str(refusal("一万一万次")) == f"无法识别的中文数字“一万一万”（在“一万一万次”中）：{CN_HINT}"


def test_bare_scale_without_yu_is_refused() -> None:
    err = refusal("万")
    assert str(err) == "数值“万”缺少数字：“万”是数量级，前面要写数字，例如 一万、3.4万"
    assert err.raw == "万"


def test_a_bare_scale_takes_an_implied_one_with_yu_after_it_or_before_a_scale() -> None:
    assert key(parse_quantity("万余")) == (Decimal(10000), AL, None)  # 余 after the numeral
    assert key(parse_quantity("百余万")) == (Decimal(1000000), AL, None)  # 余 between numeral and scale


def test_a_malformed_numeral_alone_is_quoted_once_and_the_error_keeps_what_was_written() -> None:
    err = refusal("一万一万")
    assert str(err) == f"无法识别的中文数字“一万一万”：{CN_HINT}"
    assert err.raw == "一万一万"
    assert refusal("一万一万次").raw == "一万一万次"


def test_spaces_inside_a_value_are_dropped() -> None:
    q = parse_quantity("180 余次")
    assert key(q) == (Decimal(180), AL, "次")
    assert q.written == "180余次"


# --- characters that look like numbers but are not ------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("①次", f"数值“①次”里没有数字：请在单位前写上数字，{EXAMPLE_HINT}"),  # not 1
        ("5²", f"无法识别的数字“5²”：{HINT}"),  # not 52
        ("−5", "数值“−5”是负数：工作成效的数字不能为负数"),  # U+2212 minus
        ("–5", "数值“–5”是负数：工作成效的数字不能为负数"),  # en dash
        ("—5", "数值“—5”是负数：工作成效的数字不能为负数"),  # em dash
        ("3～5", "数值“3～5”是一个范围：请只写一个数，例如 近3000、约3000、3000余"),  # full-width tilde
        ("180件件件件件以上", "数值“180件件件件件以上”的单位“件件件件件”太长：单位最多 4 个字，例如 次、件、名、人次、万元"),
        ("近3000余左右", "数值“近3000余左右”中“近”和“余”的意思互相矛盾：请只保留一个，例如 近3000、约3000 或 3000余"),
    ],
)
def test_refusals_keep_their_explanation(raw: str, message: str) -> None:
    err = refusal(raw)
    assert str(err) == message
    assert err.raw == raw


# --- boundaries ---------------------------------------------------------------------------------

def test_zero_is_a_number_not_a_negative() -> None:
    for raw in (0, 0.0, Decimal(0), "0"):
        q = parse_quantity(raw)
        assert (q.value, q.qualifier) == (Decimal(0), E)
    assert str(parse_quantity(0)) == "0"


def test_ten_to_the_eighteen_is_refused_one_below_is_accepted() -> None:
    assert parse_quantity("999999999999999999").value == Decimal(10**18 - 1)
    err = refusal("1000000万亿")  # exactly 10^18
    assert str(err) == "数值“1000000万亿”太大：请检查是否多写了数字或数量级"
    assert err.raw == "1000000万亿"


# --- the unit field -------------------------------------------------------------------------------

def test_unit_field_spaces_are_ignored() -> None:
    q = parse_quantity("65", unit=" 人 次")
    assert (q.unit, str(q)) == ("人次", "65人次")


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        ("3.4万件", "万次", "数值“3.4万件”自带单位“万件”，与单位栏的“万次”不一致：请删掉其中一个，或改成相同的单位"),
        ("65次", "件", "数值“65次”自带单位“次”，与单位栏的“件”不一致：请删掉其中一个，或改成相同的单位"),
        ("3.4万件", "次", "数值“3.4万件”自带单位“件”，与单位栏的“次”不一致：请删掉其中一个，或改成相同的单位"),
        ("65件", "万次", "数值“65件”自带单位“件”，与单位栏的“万次”不一致：请删掉其中一个，或改成相同的单位"),
        (
            "3万",
            "%",
            "数值“3万”已含数量级“万”，单位栏又写了“%”：数量级只能写一处，例如 value: 3.4 / unit: 万件，或 value: 3.4万 / unit: 件",
        ),
        ("一亿", "亿", f"数值“一亿”和单位栏“亿”合起来是“一亿亿”，无法识别：{HINT}"),
    ],
)
def test_unit_field_conflicts(raw: str, unit: str, message: str) -> None:
    err = refusal(raw, unit)
    assert str(err) == message
    assert err.raw == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, f"数值为空：请填写数字，{EXAMPLE_HINT}"),
        (True, f"数值“True”是真假值而不是数字（YAML 会把 yes、no、true、false 读成真假值）：{HINT}"),
        (-3, "数值“-3”是负数：工作成效的数字不能为负数"),
        (-2.5, "数值“-2.5”是负数：工作成效的数字不能为负数"),
        (float("nan"), f"数值“nan”不是有效数字：{HINT}"),
        ([1], f"数值“[1]”应该是一个数字或一段文字（例如 180余），而不是列表或表格：{HINT}"),
        ("  ", f"数值为空：请填写数字，{EXAMPLE_HINT}"),
        ("3 4", f"数值“3 4”中间有空格，像是两个数字：请只写一个数，{EXAMPLE_HINT}"),
        ("3..4", f"无法识别的数字“3..4”：{HINT}"),
        ("5万%", "百分比“5万%”写法有误：百分比只写数字和 %，例如 99%、96.5%"),
    ],
)
def test_error_keeps_the_raw_input(raw: object, message: str) -> None:
    """``NumberError.raw`` is what the editor gave, for callers that quote or inspect it."""
    err = refusal(raw)
    assert str(err) == message
    if isinstance(raw, float) and raw != raw:
        assert err.raw != err.raw
    else:
        assert err.raw == raw or (isinstance(raw, str) and err.raw == raw.strip())


def test_error_survives_the_trip_from_a_worker_process() -> None:
    """Files are loaded in forked workers; their errors come back pickled."""
    err = refusal("很多")
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) == "数值“很多”不是具体数字：请照报告填写确切的数，可以带“余、多、近、约”，例如 180余、近3000"
    assert back.args == (str(err),)


# --- display (totals: test_totals.py) ----------------------------------------------------------

def test_quantity_prints_its_display_form() -> None:
    assert str(parse_quantity("65", unit="次")) == "65次"
    assert f"{parse_quantity('3000左右', unit='人')}" == "3000人左右"


@pytest.mark.parametrize(
    ("q", "shown"),
    [
        (Quantity(Decimal("0.5"), PC, "%", "若干"), "若干%"),
        (Quantity(Decimal("0.5"), PC, "%", "若干%"), "若干%"),
        (Quantity(Decimal(3), E, "次", "若干"), "若干次"),
        (Quantity(Decimal(3), E, "次", "若干次"), "若干次"),
        (Quantity(Decimal(3), E, None, "若干"), "若干"),
    ],
)
def test_hand_built_quantities_display_sensibly(q: Quantity, shown: str) -> None:
    assert format_quantity(q) == shown
