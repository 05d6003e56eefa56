"""The validated site model: what every later stage (statistics, rendering) may rely on.

Objects here are plain data with no I/O, so they pickle cheaply into the render cache
and across worker processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .numbers import Quantity


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, year-month or full date: reports often only give "2019年6月"."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def zh(self) -> str:
        if self.month is None:
            return f"{self.year}年"
        if self.day is None:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年{self.month}月{self.day}日"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


@dataclass
class Stat:
    metric: str  # as written
    value: Quantity
    shown: str  # display form, e.g. "180余次"
    year: int | None
    note: str
    line: int
    key: str | None = None  # vocabulary entry it counts toward; None = free text


@dataclass
class Honor:
    title: str
    level: str  # canonical: 国家级 | 省级 | 市级 | 县级 | 院级
    year: int | None
    by: str
    line: int


@dataclass
class Milestone:
    date: PartialDate
    text: str
    line: int


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Photo:
    """One photo of a branch's gallery."""

    src: str  # relative to the branch file
    alt: str
    caption: str
    line: int


@dataclass
class Branch:
    path: str  # source path relative to the site root (for messages)
    slug: str
    slug_line: int
    brand: str
    branch: str
    unit_id: str
    unit_line: int
    slogan: str
    founded: PartialDate | None
    secretary: str
    members: int | None
    tags: list[str]
    cover: str
    cover_alt: str
    summary: str
    order: int | None
    draft: bool
    stats: list[Stat]
    honors: list[Honor]
    milestones: list[Milestone]
    html: str
    toc: list[Heading]
    text: str  # plain text of the story (search, summaries)
    lang: str  # "zh-CN" or "zh-Hant" (content written in Traditional script)
    digest: str = ""  # hash of the source bytes: what incremental rebuilds compare
    sort_key: tuple[object, ...] = ()
    tag_slugs: dict[str, str] = field(default_factory=dict)
    logo: str = ""  # the brand's designed logo (image path relative to the file), or "" for a generated emblem
    gallery: list[Photo] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"branches/{self.slug}/"


@dataclass
class Unit:
    id: str
    name: str
    level: str
    region: str
    order: int | None
    line: int
    sort_key: tuple[object, ...] = ()

    @property
    def url(self) -> str:
        return f"units/{self.id}/"


@dataclass
class Metric:
    name: str
    unit: str | None
    aliases: list[str]
    total: str  # sum | max | latest
    order: int | None
    headline: bool
    line: int


@dataclass
class News:
    path: str
    slug: str
    title: str
    date: dt.date
    branch: str
    branch_line: int
    tags: list[str]
    summary: str
    source: str
    draft: bool
    html: str
    text: str
    lang: str
    digest: str = ""

    @property
    def url(self) -> str:
        return f"news/{self.slug}/"


@dataclass
class Page:
    path: str
    slug: str
    title: str
    summary: str
    order: int | None
    draft: bool
    html: str
    text: str
    lang: str
    digest: str = ""

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass
class NavItem:
    title: str
    url: str


@dataclass
class Footer:
    owner: str = ""
    contact: str = ""
    site_code: str = ""
    icp: str = ""
    police: str = ""
    police_link: str = ""
    lines: list[str] = field(default_factory=list)
    #: written as plain lines (the spec's form): the fields above were read out of the lines
    #: for meta tags and checks, and the footer shows the lines only
    from_lines: bool = False


@dataclass
class SiteConfig:
    title: str = "一支部一品牌"
    subtitle: str = ""
    owner: str = ""
    description: str = ""
    url: str = ""
    base_path: str = "/"
    languages: list[str] = field(default_factory=lambda: ["zh-Hans"])
    theme: str = "default"
    footer: Footer = field(default_factory=Footer)
    nav: list[NavItem] = field(default_factory=list)
    publish: bool = False
    summary_length: int = 80
    hant_variant: str = "hktw"  # the zh-hant/ version's forms: hktw (HK/TW shared) | s2t | s2tw | s2hk
    image_max_mb: int = 20
    search: bool = True


@dataclass
class Site:
    """Everything one build knows, after validation."""

    config: SiteConfig
    units: dict[str, Unit] | None  # None: no data/units.yaml
    metrics: dict[str, Metric]
    branches: list[Branch]
    news: list[News]
    pages: list[Page]
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tag as shown -> slug
