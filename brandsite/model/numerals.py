"""Chinese numerals as work reports write them: 十四, 一百二十, 三千五百, 两万, 一万二 (= 12000), 二〇二四.

Why a module of its own: reading a numeral is a small grammar of its own (positional digits,
units below 万, sections of 万 and 亿, the implied 一 of 十四, the next-place-down of 三千五) that
knows nothing of figures, qualifiers or units; :mod:`brandsite.model.numbers` calls it for the
numeral inside a value and turns its plain ``ValueError`` into an editor's message.
"""

from __future__ import annotations

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


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
