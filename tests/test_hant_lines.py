"""``hant.convert_page`` converts each distinct line of a Traditional page once per process
(issue 14: the header, footer and cards repeat on every page). It must write what the plain
whole-page ``hant.convert`` writes, on built sites (forked render workers, each with its own
memo) and on text made to trip it: phrases cut by a line break, KEEP spans over several
lines or never closed, protected names, quotes, a memo that fills up and starts again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, tree_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from brandsite import pipeline
from brandsite.features import hant

K0, K1 = hant.KEEP_OPEN, hant.KEEP_CLOSE
#: phrase-dependent characters (头发/发展, 台湾/讲台, 里/裏), names, quotes, markers, ASCII, breaks
ALPHABET = "头发展台湾讲里面鄰裏守望講后皇法官妈妈的" + "“”‘’「」" + K0 + K1 + "<p>a1 -\n"
NAMES = ("鄰裏守望", "講台")


def _build(root: Path, out: Path, workers: int) -> dict[str, bytes]:
    result = pipeline.build(pipeline.Options(root, out=out, use_cache=False, workers=workers))
    assert result.ok, result.report.lines()
    return tree_bytes(out)


def _fast_and_plain(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int):
    monkeypatch.setattr(hant, "_line_memo", {})
    fast = _build(root, tmp_path / "fast", workers)
    monkeypatch.setattr(hant, "convert_page", hant.convert)
    plain = _build(root, tmp_path / "plain", workers)
    return fast, plain


def test_the_sample_site_is_written_as_by_whole_page_conversion(tmp_path, monkeypatch):
    fast, plain = _fast_and_plain(REPO, tmp_path, monkeypatch, workers=1)
    assert sum(name.startswith("zh-hant/") for name in fast) > 20 and fast == plain


def test_a_generated_corpus_rendered_by_forked_workers_is_written_as_by_whole_page_conversion(
    tmp_path, monkeypatch
):
    src = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "260", str(src)], check=True,
                   capture_output=True)
    shutil.rmtree(src / "site", ignore_errors=True)
    monkeypatch.setattr(hant, "_LINE_MEMO_SIZE", 300)  # the memo starts again several times
    fast, plain = _fast_and_plain(src, tmp_path, monkeypatch, workers=2)
    assert sum(name.startswith("zh-hant/") for name in fast) > 300 and fast == plain


@settings(max_examples=800, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET.replace("\n", ""), max_size=12), min_size=1, max_size=5),
       st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=6), min_size=1, max_size=5),
       st.sampled_from([hant.COMMON, "s2tw", "s2hk"]))
def test_pages_made_to_trip_it_convert_as_the_whole_page(lines: list[str], pages: list[list[int]], variant: str) -> None:
    # pages made of a few lines that repeat from page to page (some remembered, some not yet), with
    # one memo across the examples, as across the pages a worker renders, refilled every few pages
    saved = hant._LINE_MEMO_SIZE
    hant._LINE_MEMO_SIZE = 12
    try:
        for picks in pages:
            page = "\n".join(lines[i % len(lines)] for i in picks)
            assert hant.convert_page(page, variant, NAMES) == hant.convert(page, variant, NAMES), page
    finally:
        hant._LINE_MEMO_SIZE = saved


def test_repeated_lines_are_converted_once(monkeypatch):
    monkeypatch.setattr(hant, "_line_memo", {})
    seen: list[str] = []
    plain = hant.convert

    def counting(text: str, variant: str, names=()) -> str:
        seen.append(text)
        return plain(text, variant, names)

    monkeypatch.setattr(hant, "convert", counting)
    header = "<header>法院党建品牌</header>"
    for body in ("<p>讲台上的法官</p>", "<p>头发与发展</p>"):
        page = "\n".join([header, body, "<footer>“司法为民”</footer>", "<div>"])
        assert hant.convert_page(page, hant.COMMON, ()) == plain(page, hant.COMMON, ())
    assert len(seen) == 2 and sum(text.count("法院党建品牌") for text in seen) == 1
