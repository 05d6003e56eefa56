"""Every fact of the sample content traces to a seed (docs/sample-sources.md); a figure without a row fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_facts import Fact, facts, norm, rows

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
DOC = REPO / "docs" / "sample-sources.md"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds/ is not on this machine")


def _missing(found: list[Fact], table: list) -> list[str]:
    have = {(r.path, r.kind, r.key) for r in table}
    return [f"{f.path} {f.kind} {f.key}" for f in found if (f.path, f.kind, f.key) not in have]


def test_every_sample_fact_has_a_source_row():
    missing = _missing(facts(REPO), rows(DOC.read_text(encoding="utf-8")))
    assert not missing, "docs/sample-sources.md 缺少出处：\n" + "\n".join(missing)


def test_every_row_quotes_its_seed_and_holds_the_figure():
    seeds = {p.name: norm(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    by_key = {(f.path, f.kind, f.key): f for f in facts(REPO)}
    bad = []
    for r in rows(DOC.read_text(encoding="utf-8")):
        text = seeds.get(r.seed)
        pieces = [norm(p) for p in r.quote.split("……")]
        if text is None or not all(p and p in text for p in pieces):
            bad.append(f"{r.path} {r.key}: 原文不在 {r.seed} 中")
            continue
        fact = by_key.get((r.path, r.kind, r.key))
        if fact is not None and r.kind != "荣誉" and not any(norm(n) in "".join(pieces) for n in fact.needles):
            bad.append(f"{r.path} {r.key}: 原文里没有 {fact.needles[0]}")
        if fact is not None and r.kind == "荣誉" and not any(norm(n)[:4] in "".join(pieces) for n in fact.needles):
            bad.append(f"{r.path} {r.key}: 原文里没有这项荣誉")
    assert not bad, "\n".join(bad)


def test_a_new_figure_without_a_row_fails(tmp_path):
    """The check reads the content as it is: a figure added to a story is a fact that needs its row."""
    import shutil

    for part in ("content", "data"):
        shutil.copytree(REPO / part, tmp_path / part)
    story = tmp_path / "content" / "branches" / "faguan-mama.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n宣讲团累计授课777场。\n", encoding="utf-8")
    missing = _missing(facts(tmp_path), rows(DOC.read_text(encoding="utf-8")))
    assert missing == ["content/branches/faguan-mama.md 正文数字 777场"]
