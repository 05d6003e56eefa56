"""``render/depends.py`` decides how to reduce each value once per type (issue 14: a 10,000-branch
home page hands it half a million values, and asking each one what it is took most of the plain
path's time). Every page's dependencies must be exactly those of the plain path, kept here."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from brandsite import pipeline
from brandsite.core.diagnostics import Report
from brandsite.core.options import Options
from brandsite.derive import statistics
from brandsite.features.plugins import FEATURES
from brandsite.render import depends
from brandsite.render import pages as render


class PlainDeriver(depends.Deriver):
    """The reduction as first written: every value asked what it is."""

    def _reduce(self, value: Any) -> tuple[tuple[str, ...], str]:
        if isinstance(value, (*depends._PLAIN, enum.Enum)):
            return (), repr(value)
        got = self.memo.get(id(value))
        if got is not None and got[0] is value:
            return got[1], got[2]
        docs: dict[str, None] = {}
        parts: list[str] = [type(value).__qualname__]
        if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:  # type: ignore[union-attr]
            shape = repr(value)
            self.memo[id(value)] = (value, (), shape)
            return (), shape
        if isinstance(value, depends._DOCS):
            docs[value.digest] = None
            tags = getattr(value, "tags", ())
            parts += [value.digest, *(f"{t}={self.tag_slugs.get(t, '')}" for t in tags)]
        else:
            for child in self._plain_children(value):
                child_docs, child_shape = self._reduce(child)
                docs.update(dict.fromkeys(child_docs))
                parts.append(child_shape)
        shape = hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=12).hexdigest()
        out = tuple(docs)
        self.memo[id(value)] = (value, out, shape)
        return out, shape

    @staticmethod
    def _plain_children(value: Any) -> list[Any]:
        if isinstance(value, Mapping):
            return [x for k, v in value.items() for x in (k, v)]
        if isinstance(value, (list, tuple)):
            return list(value)
        if isinstance(value, (set, frozenset)):
            return sorted(value, key=repr)
        if dataclasses.is_dataclass(value):
            return [getattr(value, f.name) for f in dataclasses.fields(value)]
        if hasattr(value, "__dict__"):
            return [x for k, v in sorted(vars(value).items()) for x in (k, v)]
        return [str(value)]


def _deps_both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    report = Report(root)
    site = pipeline.load(Options(root, workers=1), report)
    assert report.ok, report.lines()
    branches, news = pipeline.published(site, False)
    stats = statistics.compute(site, branches)
    fast = [j.deps for j in render.Pages(site, stats, branches, news, FEATURES).jobs()]
    monkeypatch.setattr(render, "Deriver", PlainDeriver)
    plain = [j.deps for j in render.Pages(site, stats, branches, news, FEATURES).jobs()]
    return fast, plain


def test_every_pages_dependencies_equal_the_plain_paths_on_the_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, plain = _deps_both_ways(REPO, monkeypatch)
    assert len(fast) > 20 and fast == plain


def test_every_pages_dependencies_equal_the_plain_paths_on_a_generated_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "80", str(src)], check=True,
                   capture_output=True)
    fast, plain = _deps_both_ways(src, monkeypatch)
    assert len(fast) > 150 and fast == plain


@dataclasses.dataclass
class _Open:
    a: Any
    b: Any = None


@dataclasses.dataclass(frozen=True)
class _Value:
    n: int


class _Loose:
    def __init__(self) -> None:
        self.z, self.y = 1, [2]


class _Slotted:
    __slots__ = ("x",)

    def __str__(self) -> str:
        return "slotted"


class _Colour(enum.Enum):
    RED = 1


def test_every_kind_of_value_reduces_as_on_the_plain_path() -> None:
    values = [
        {"k": [1, (2.5, None)], 3: frozenset({"b", "a"})}, _Open(_Value(1), {"x": _Loose()}), _Slotted(),
        _Colour.RED, True, {"s": {3, 1, 2}}, [_Open([_Value(2)])], "文字", b"bytes",
    ]
    for value in values:
        context = {"v": value, "w": [value, value]}
        assert depends.Deriver({}).deps(context) == PlainDeriver({}).deps(context), value
