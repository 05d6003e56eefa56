"""The field-type machinery of the schema: what a field is, how each kind of value is converted,
and how a mapping is checked against a :class:`Schema`.

Why a module of its own: the schema of each file (:mod:`brandsite.content.schema`) is declarative
data; this is the one code that reads editors' values with it, so that every file reports a wrong
value the same way (``path:line:`` and a Chinese sentence naming the accepted forms) and the
editor guide's kind column (:data:`KIND_DOC`) names the same kinds the converters accept.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandsite.content.levels import AMBIGUOUS_LEVELS, HONOR_LEVELS, LEVEL_ORDER
from brandsite.content.yamlio import Key, Located
from brandsite.core.diagnostics import Report
from brandsite.model.site import PartialDate

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    required: bool = False
    doc: str = ""
    example: Any = None
    aliases: tuple[str, ...] = ()  # Chinese names editors may type as the key, to suggest ``key``
    item: Schema | None = None  # for records / mapping
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schema:
    name: str  # Chinese name of the thing, used in messages: "品牌文件"
    fields: tuple[Field, ...]
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})

    def suggest(self, key: str) -> str | None:
        """The known key an editor most likely meant (typo, Chinese name, wrong case)."""
        low = key.strip().lower()
        for f in self.fields:
            if low == f.key or key in f.aliases or key == f.label:
                return f.key
        close = difflib.get_close_matches(low, list(self.by_key), n=1, cutoff=0.6)
        return close[0] if close else None


# ---------------------------------------------------------------------------- converters

_DATE_RE = re.compile(
    r"^(\d{4})(?:\s*(?:-|/|\.|年)\s*(\d{1,2})(?:\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?|\s*月)?)?\s*年?$"
)
WHEN_FORMS = "2014、2019-06、2024-12-01 或 2024年12月1日"


def parse_when(value: Any) -> PartialDate | None:
    """Year, year-month or full date, in the ways Chinese editors write them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):  # (YAML reads 2024-12-01 as a date: the same bounds as text)
        return PartialDate(value.year, value.month, value.day) if 1900 <= value.year <= 2100 else None
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().translate(_FULLWIDTH_DIGITS)
    else:
        return None
    m = _DATE_RE.match(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return PartialDate(year, None, None)
    mo = int(month)
    if not 1 <= mo <= 12:
        return None
    if day is None:
        return PartialDate(year, mo, None)
    try:
        dt.date(year, mo, int(day))
    except ValueError:
        return None
    return PartialDate(year, mo, int(day))


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPLIT_RE = re.compile(r"[,，、;；]")


class _Invalid(Exception):
    """A value that does not fit its field; the message says what was expected."""


def _text(f: Field, value: Any, raw: str | None) -> str:
    if isinstance(value, (dict, list)):
        raise _Invalid(f"“{f.label}”应为一段文字，不是{'列表' if isinstance(value, list) else '一组属性'}")
    if value is None:
        return ""
    return (raw if raw is not None and not isinstance(value, str) else str(value)).strip()


def _int(f: Field, value: Any, raw: str | None) -> int:
    if isinstance(value, bool) or value is None:
        raise _Invalid(f"“{f.label}”应为整数，如 {f.example}")
    if isinstance(value, str):
        from brandsite.model.numbers import NumberError, Qualifier, parse_quantity

        text = re.sub(r"\s*(?:人|名|个)\s*$", "", value)
        try:
            q = parse_quantity(text)  # the number grammar: 十二, １２ and 12 alike
        except NumberError:
            q = None
        if q is None or q.qualifier is not Qualifier.EXACT or q.unit or q.value != q.value.to_integral_value():
            raise _Invalid(f"“{f.label}”应为整数，如 {f.example}，这里写的是“{value}”")
        value = int(q.value)
    if not isinstance(value, int):
        raise _Invalid(f"“{f.label}”应为整数，如 {f.example}，这里写的是“{raw}”")
    from brandsite.model.numbers import NumberError, check_size

    try:
        check_size(value)  # the number grammar's bound: a 400-digit count is a typo
    except NumberError as exc:
        raise _Invalid(f"“{f.label}”的{exc}") from None
    if f.minimum is not None and value < f.minimum:
        raise _Invalid(f"“{f.label}”不能小于 {f.minimum}")
    if f.maximum is not None and value > f.maximum:
        raise _Invalid(f"“{f.label}”不能大于 {f.maximum}")
    return value


def _year(f: Field, value: Any, raw: str | None) -> int:
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*年?\s*", value.translate(_FULLWIDTH_DIGITS))
        if m:
            value = int(m.group(1))
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise _Invalid(f"“{f.label}”应为四位年份，如 2024，这里写的是“{raw if raw is not None else value}”")
    return value


def _year_or_month(f: Field, value: Any, raw: str | None) -> PartialDate:
    """A stat's year, or its month when the source gives one ("2024-08"); never a day nobody reported."""
    got = parse_when(value)
    if got is None or got.day is not None:
        raise _Invalid(f"“{f.label}”应为四位年份，如 2024（来源写到月份时可写 2024-08），这里写的是“{raw if raw is not None else value}”")
    return got


def _when(f: Field, value: Any, raw: str | None) -> PartialDate:
    got = parse_when(value)
    if got is None:
        raise _Invalid(f"“{f.label}”的日期“{raw if raw is not None else value}”无法识别：请写成 {WHEN_FORMS}")
    return got


def _date(f: Field, value: Any, raw: str | None) -> dt.date:
    got = parse_when(value)
    if got is None or got.day is None:
        raise _Invalid(f"“{f.label}”应为完整日期，如 2024-12-01 或 2024年12月1日，这里写的是“{raw}”")
    return dt.date(got.year, got.month or 1, got.day)


_TRUE = {"true", "yes", "是", "对", "1"}
_FALSE = {"false", "no", "否", "不", "0"}


def _bool(f: Field, value: Any, raw: str | None) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid(f"“{f.label}”只能写 true 或 false（是/否），这里写的是“{raw}”")


def _texts(f: Field, value: Any, raw: str | None) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else _SPLIT_RE.split(str(value))
    out: list[str] = []
    for item in items:
        if isinstance(item, (dict, list)):
            raise _Invalid(f"“{f.label}”应为文字列表，如 {f.example}")
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    if f.choices:
        bad = [t for t in out if t not in f.choices]
        if bad:
            raise _Invalid(f"“{f.label}”只能取 {'、'.join(f.choices)}，这里写了“{bad[0]}”")
    return out


def _level(f: Field, value: Any, raw: str | None) -> str:
    """The highest level of one honor, as counted; it may be written as one level (区级) or as the
    levels it was awarded at, as reports do ("省、市、区", [省级, 市级]) - counted once.
    Pages show it as written (:func:`level_as_written`)."""
    parts = value if isinstance(value, list) else _SPLIT_RE.split(str(value or ""))
    texts = [str(p).strip() for p in parts if str(p).strip()] or [""]
    levels = []
    for text in texts:
        if text in HONOR_LEVELS:
            levels.append(HONOR_LEVELS[text])
        elif text in AMBIGUOUS_LEVELS:
            raise _Invalid(f"荣誉级别“{text}”有歧义：自治区一级请写“省级”（或“自治区级”），市辖区一级请写“区级”")
        else:
            raise _Invalid(
                f"荣誉级别“{text}”无法识别：请写 {'、'.join(LEVEL_ORDER)} 之一（也可写 全国、全省、全市、区级；"
                "同一荣誉获得多级时写成“省、市、区”）"
            )
    return min(levels, key=LEVEL_ORDER.index)


def _slug(f: Field, value: Any, raw: str | None) -> str:
    text = _text(f, value, raw)
    if not SLUG_RE.match(text):
        raise _Invalid(
            f"网址名“{text}”只能由小写英文字母、数字和连字符组成，如 faguan-mama（不写则自动用拼音生成）"
        )
    return text


def _choice(f: Field, value: Any, raw: str | None) -> str:
    text = _text(f, value, raw)
    if text not in f.choices:
        raise _Invalid(f"“{f.label}”只能取 {'、'.join(f.choices)}，这里写的是“{text}”")
    return text


def _scalar(f: Field, value: Any, raw: str | None) -> Any:
    if isinstance(value, (dict, list)) or value is None:
        raise _Invalid(f"“{f.label}”不能为空，应写成如 {f.example}")
    return value if isinstance(value, str) else (raw if raw is not None else str(value))


CONVERTERS: dict[str, Callable[[Field, Any, str | None], Any]] = {
    "text": _text,
    "int": _int,
    "year": _year,
    "yearmonth": _year_or_month,
    "when": _when,
    "date": _date,
    "bool": _bool,
    "texts": _texts,
    "level": _level,
    "slug": _slug,
    "choice": _choice,
    "quantity": _scalar,
}

KIND_DOC = {
    "text": "文字",
    "int": "整数",
    "year": "四位年份",
    "yearmonth": "年份或年月",
    "when": "年份、年月或日期",
    "date": "日期",
    "bool": "true / false",
    "texts": "文字列表",
    "level": "级别",
    "slug": "网址名",
    "choice": "选项",
    "quantity": "数字（见“数字的写法”）",
    "records": "列表（每项若干属性）",
    "mapping": "一组属性",
}


# ---------------------------------------------------------------------------- checking


def check(
    schema: Schema, doc: Located, path: Path | str, report: Report, prefix: Key = (), value: Any = None
) -> dict[str, Any] | None:
    """Validate a mapping against ``schema``; return converted values, or None if it is no mapping.

    Every problem is reported (not just the first); a field that fails conversion is
    left out of the result so later stages can keep going and report more.
    """
    data = doc.value if value is None and not prefix else value
    if not isinstance(data, dict):
        what = "空的" if data in (None, "", []) else f"“{str(data)[:20]}”"
        report.error(path, doc.line(prefix), f"{schema.name}应为“键: 值”形式的一组属性，这里是{what}", "schema-type")
        return None
    out: dict[str, Any] = {}
    for key, val in data.items():
        f = schema.by_key.get(key)
        if f is None:
            hint = schema.suggest(key)
            tip = f"，是不是想写“{hint}”？" if hint else f"。可用的属性：{'、'.join(schema.by_key)}"
            report.error(path, doc.line(prefix + (key,)), f"未知属性“{key}”{tip}", "schema-unknown")
            continue
        converted = convert(f, val, doc, prefix + (key,), path, report)
        if converted is not _MISSING:
            out[key] = converted
    for f in schema.fields:
        if f.key not in data and f.required:
            report.error(
                path,
                doc.line(prefix),
                f"缺少必填属性“{f.key}”（{f.label}），例如 {f.key}: {f.example}",
                "schema-required",
            )
    return out


_MISSING = object()


def convert(f: Field, val: Any, doc: Located, key: Key, path: Path | str, report: Report) -> Any:
    line = doc.line(key)
    if f.kind == "records":
        assert f.item is not None
        if val is None:
            return []
        if not isinstance(val, list):
            report.error(path, line, f"“{f.key}”（{f.label}）应为列表，每项以“- ”开头", "schema-type")
            return _MISSING
        rows = []
        for i, row in enumerate(val):
            got = check(f.item, doc, path, report, key + (i,), row if row is not None else "")
            if got is not None:
                got["_line"] = doc.line(key + (i,))
                rows.append(got)
        return rows
    if f.kind == "mapping":
        assert f.item is not None
        if isinstance(val, list) and "lines" in f.item.by_key:  # the spec's "footer lines" form
            return {"lines": _texts(f.item.by_key["lines"], val, None)}
        got = check(f.item, doc, path, report, key, val if val is not None else {})
        return got if got is not None else _MISSING
    try:
        got = CONVERTERS[f.kind](f, val, doc.raw.get(key))
    except _Invalid as exc:
        report.error(path, line, str(exc), "schema-value")
        return _MISSING
    if f.required and got in ("", [], None):
        report.error(path, line, f"必填属性“{f.key}”（{f.label}）不能为空，例如 {f.key}: {f.example}", "schema-required")
        return _MISSING
    return got
