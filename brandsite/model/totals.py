"""Honest totals: adding figures up without claiming more than the sources said, and showing the sums.

Why a module of its own: every site-wide figure is an official statement. A sum keeps the
vagueness of its parts (``180余 + 65`` is ``245余``, never ``245``; 近 and 余 together blur to 约),
percentages and differing units are never added, and whether a metric may be added at all (a
rate, an average, a stock of people) is decided here, once, for the vocabulary and the statistics.
A computed figure is shown in the same grammar editors write (:func:`render_number`), so it
parses back to itself with :func:`brandsite.model.numbers.parse_quantity`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation, localcontext

from brandsite.model.numbers import _CTX, NumberError, Qualifier, Quantity, _clean, format_quantity

__all__ = [
    "EVENT_UNITS",
    "add",
    "default_total",
    "never_summed",
    "render_number",
    "total",
]


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
