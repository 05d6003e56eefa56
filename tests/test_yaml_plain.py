"""Two shortcuts in ``content/yamlio.py`` (issue 14): the editor-mistake pre-scan is skipped when the
text holds none of the characters a mistake needs, and a string scalar is taken as written instead
of going through ``construct_object``. Each must give what the plain path gives: the same values,
lines, raw texts and the same messages, on the sample, a generated corpus and generated YAML."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from brandsite.content import yamlio
from brandsite.content.sources import read_text, split_front_matter
from brandsite.core.diagnostics import Report


def _constructed(node: Node, value: object) -> None:
    """Every scalar is what PyYAML's own ``construct_object`` makes of it (the plain path), or its
    text where that fails on a date that does not exist."""
    if isinstance(node, ScalarNode):
        try:
            want = SafeConstructor().construct_object(node)
        except (ConstructorError, ValueError):
            want = node.value
        assert value == want and type(value) is type(want)
    elif isinstance(node, SequenceNode):
        for child, item in zip(node.value, value, strict=True):  # type: ignore[call-overload]
            _constructed(child, item)
    elif isinstance(node, MappingNode):
        for knode, vnode in node.value:
            _constructed(vnode, value[knode.value])  # type: ignore[index]


def _load(text: str) -> tuple[object, ...]:
    report = Report(Path("/site"))
    doc = yamlio.load(text, Path("/site/content/branches/a.md"), report, 2)
    got = None if doc is None else (doc.value, doc.lines, doc.raw, doc.first_line)
    if doc is not None and doc.node is not None:
        _constructed(doc.node, doc.value)
    return got, report.items


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[object, ...], tuple[object, ...]]:
    fast = _load(text)
    with monkeypatch.context() as m:
        m.setattr(yamlio, "_COLON_THEN_TEXT", re.compile(""))  # matches every text: the pre-scan always runs
        m.setattr(yamlio, "_STR_TAG", object())  # no tag equals it: every scalar goes through the constructor
        plain = _load(text)
    return fast, plain


def _fronts(root: Path) -> list[str]:
    out = []
    for path in sorted((root / "content").rglob("*.md")):
        report = Report(root)
        text, digest = read_text(path, report)  # type: ignore[misc]
        src = split_front_matter(path, text, digest, report)
        if src is not None:
            out.append(src.front)
    return out


def test_the_loader_is_libyamls() -> None:
    """The C loader is what parses every front matter (pure-Python PyYAML is several times slower)."""
    assert yaml.__with_libyaml__ and yamlio.Loader is yaml.CSafeLoader


def test_the_sample_and_a_generated_corpus_load_as_on_the_plain_path(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "40", str(tmp_path / "c")], check=True,
                   capture_output=True)
    fronts = _fronts(REPO) + _fronts(tmp_path / "c")
    assert len(fronts) > 50
    for front in fronts:
        fast, plain = _both(front, monkeypatch)
        assert fast == plain and fast[0] is not None


#: lines editors write, with and without the mistakes the pre-scan repairs, and every scalar type
_LINES = [
    "brand: 枫桥调解", "brand：枫桥调解", "brand:枫桥调解", "\tslogan: 为民", "  - 甲", "-\tb: 1", "# 注释：说明",
    "#\ttab", "url: https://example.org/a", "time: 12:30", "slogan: 主办单位：某某法院", "members: 12",
    "founded: 2014", "updated: 2024-12-01", "bad: 2024-02-30", "flag: yes", "none: ~", "f: 1.5", "n: !!int abc",
    "a: &x 2024-02-30", "b: *x", "c: &y 文字", "d: *y", "stats:", "  - metric: 调解", "    value: 180余",
    "    year: 2024", "x: '引号：内'", "k: [甲, 乙]", "m: {a: 1}", "key :value", "sl: a/b:c", "e: =",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=8))
def test_generated_front_matter_loads_as_on_the_plain_path(lines: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, plain = _both("\n".join(lines), monkeypatch)
    assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab_-: ：\t\n#/19甲'\"[]{}&*!", max_size=40))
def test_arbitrary_text_loads_as_on_the_plain_path(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, plain = _both(text, monkeypatch)
    assert fast == plain
