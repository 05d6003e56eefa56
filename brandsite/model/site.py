"""The validated site model: what every later stage (statistics, rendering) may rely on.

Objects here are plain data with no I/O, so they pickle cheaply into the render cache
and across worker processes. (During a build, a branch's, news item's or page's ``html`` and
``text`` may wait in a spool file until read: ``bodies.py``.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from brandsite.model.bodies import Spooled

if TYPE_CHECKING:
    from brandsite.model.numbers import Quantity


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

    def isoformat(self) -> str:
        """A valid HTML ``<time datetime>`` value at the precision the source gave (2024, 2024-08)."""
        return self.iso

    @property
    def full(self) -> str:
        """A full date for formats that require one (Atom, the PubDate meta tag): a missing month or day counts as 01."""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}"


@dataclass
class Stat:
    metric: str  # as written
    value: Quantity
    shown: str  # display form, e.g. "180余次"
    year: int | None
    note: str
    line: int
    key: str | None = None  # vocabulary entry it counts toward; None = free text
    #: what the source says the figure covers besides (or instead of) a year: "2014年以来", "累计"
    period: str = ""
    #: whose figure it is when not the brand's own ("全市法院") or which campaign ("“执行信访百日攻坚”专项活动")
    scope: str = ""
    #: the date as precise as the source gives it (a month: 2024年8月); None when only a year or none
    when: PartialDate | None = None

    @property
    def period_label(self) -> str:
        """What the figure covers, as a reader sees it: never 累计 unless the source said so."""
        if self.when is not None and self.when.month is not None:
            head = self.when.zh
        else:
            head = f"{self.year}年" if self.year else ""
        if self.period:
            return f"{head}，{self.period}" if head else self.period
        return head or "年份未注明"


@dataclass
class Honor:
    title: str
    level: str  # canonical: 国家级 | 省级 | 市级 | 县级 | 院级 (the highest, for counting)
    year: int | None
    by: str
    line: int
    shown: str = ""  # as the editor wrote it: 区级, 省、市、区 (empty: the canonical level)
    #: whom it went to: "支部" (the brand's own, the default), "法院" or "个人"; only the first counts as the brand's
    to: str = "支部"

    @property
    def own(self) -> bool:
        return self.to == "支部"


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
class Branch(Spooled):
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
    #: ``branch`` describes the branch (the source gives no full name): the page says so
    branch_descriptive: bool = False
    logo: str = ""  # the brand's designed logo (image path relative to the file), or "" for a generated emblem
    gallery: list[Photo] = field(default_factory=list)
    #: when this page was published or last updated (the PubDate government site checks read); not a brand fact
    updated: PartialDate | None = None

    @property
    def url(self) -> str:
        return f"branches/{self.slug}/"


def has_honors(branches: list[Branch]) -> bool:
    """Whether the 荣誉榜 exists: the page, its nav entry and its links come with the first honor."""
    return any(b.honors for b in branches)


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
    total: str  # sum | max | latest | none
    order: int | None
    headline: bool
    line: int
    #: written units counted as ``unit`` (起 as 件); a card still shows what was written
    unit_aliases: list[str] = field(default_factory=list)
    #: campaign figures (a stat with a ``scope``) enter the site totals only when this is true
    campaigns: bool = False
    #: the home headline shows only the latest year's figure instead of a total over a span
    latest_only: bool = False


@dataclass
class News(Spooled):
    path: str
    slug: str
    title: str
    date: PartialDate
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
class Page(Spooled):
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
    #: levels of 先审后发 sign-off (data/site.yaml ``review``); empty = the site asks for none
    review: list[str] = field(default_factory=list)


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
    #: source files of branches that could not be read at all (YAML broken, no brand): what names
    #: them elsewhere cannot be checked, and must not be reported as naming nothing
    unreadable: tuple[str, ...] = ()
