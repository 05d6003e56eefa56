"""Tests for Chinese numerals (十四, 一百二十, 一万二, 二〇二四): what is a number and what is not.

Split from ``test_numbers.py`` and ``test_numbers_pinned.py`` with :mod:`brandsite.model.numerals`,
so that ``tools/mutation.sh numerals`` runs these against that module. They go through
:func:`brandsite.model.numbers.parse_quantity`, as every numeral an editor writes does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_numbers_pinned import CN_HINT, key, refusal

from brandsite.model.numbers import Qualifier, format_quantity, parse_quantity

E, AL, BE, AB, PC = (Qualifier.EXACT, Qualifier.AT_LEAST, Qualifier.BELOW, Qualifier.ABOUT, Qualifier.PERCENT)


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


# --- Chinese numerals: what is a number and what is not ----------------------------------------

@pytest.mark.parametrize(
    ("raw", "value", "qualifier"),
    [
        ("二〇", 20, E),  # positional, two characters
        ("五零", 50, E),
        ("〇", 0, E),
        ("零", 0, E),
        ("一千零十", 1010, E),
        ("一万零十", 10010, E),  # 零 + 十 implies 一十 across 万 as well
        ("一万零十五", 10015, E),
        ("一亿零十万", 100100000, E),
        ("一万零五", 10005, E),
        ("一万二", 12000, E),
        ("一亿二", 120000000, E),
        ("三千五", 3500, E),
        ("二十五", 25, E),
        ("两千零五十", 2050, E),
        ("一亿零五百万", 105000000, E),
        ("一万亿", 10**12, E),
        ("万余", 10000, AL),  # a bare scale with 余 means 一万
        ("千余", 1000, AL),
        ("十万余", 100000, AL),
    ],
)
def test_chinese_numerals_accepted(raw: str, value: int, qualifier: Qualifier) -> None:
    q = parse_quantity(raw)
    assert (q.value, q.qualifier, q.unit) == (Decimal(value), qualifier, None)


@pytest.mark.parametrize(
    "cn",
    [
        "一万一万",  # not 20000
        "三十四十",
        "二十二十",
        "一百十",  # 一百一十
        "一千零百",
        "一万零百",
        "一万十",  # 一万零十
        "一万十五",
        "零十",
        "零万",
        "一亿亿",
        "一亿万",
        "一万万",
        "一〇〇〇〇万",  # the part before 万 must be below 10000
        "一万一〇〇〇〇",  # ... and so must the part after it
        "一百零",
        "一万零",
    ],
)
def test_malformed_chinese_numerals_refused(cn: str) -> None:
    err = refusal(cn)
    assert str(err) == f"无法识别的中文数字“{cn}”：{CN_HINT}"
    assert err.raw == cn
