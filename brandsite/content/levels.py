"""Honor levels: the words editors write for a level (全国, 省级, 区级 ...) and the canonical order.

Why a module of its own: the same vocabulary converts an honor's ``level`` (:mod:`brandsite.content.fields`),
orders and counts honors (statistics, pages), guides the importer's suggestions and is listed in the
editor guide; one table keeps them from disagreeing about what "区级" is.
"""

from __future__ import annotations

from typing import Any

HONOR_LEVELS: dict[str, str] = {
    "国家级": "国家级",
    "全国": "国家级",
    "国家": "国家级",
    "中央": "国家级",
    "部级": "国家级",
    "省级": "省级",
    "全省": "省级",
    "省": "省级",
    "省部级": "省级",
    "市级": "市级",
    "全市": "市级",
    "市": "市级",
    "地市级": "市级",
    "县级": "县级",
    "全县": "县级",
    "县": "县级",
    "县区级": "县级",
    "区级": "县级",
    "区": "县级",
    "自治区级": "省级",
    "直辖市级": "省级",
    "省（自治区）级": "省级",
    "院级": "院级",
    "全院": "院级",
    "本院": "院级",
}
#: canonical honor levels, highest first; "省级以上" counts the first two
LEVEL_ORDER: tuple[str, ...] = ("国家级", "省级", "市级", "县级", "院级")


#: words that mean different levels in different places ("全区" is the whole autonomous region in
#: Inner Mongolia but one city district elsewhere): the editor must say which. 区级 and 区 are the
#: district (县级); an autonomous region's level is written 自治区级 or 省级.
AMBIGUOUS_LEVELS = {"全区"}


def level_as_written(value: Any) -> str:
    """An honor's level for display, as the editor wrote it ("区级", "省、市、区")."""
    if isinstance(value, list):
        return "、".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()
