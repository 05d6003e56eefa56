"""The link facts a shared ``Scanner`` takes from a page (its parsed tags and judged references
remembered across pages, as in a render worker) equal those of a fresh scanner that reads the
page alone, on every page of the sample site, of a generated corpus and of hand-made pages whose
references stress the memo keys (``../`` beyond the site, absolute paths, ``srcset``, a ``>``
inside a quoted value, an escaped ``href`` inside another attribute)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from brandsite import pipeline
from brandsite.checks import scan


def _pages(out: Path) -> tuple[dict[str, str], set[str]]:
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    return pages, files


def _built(root: Path, out: Path) -> tuple[object, dict[str, str], set[str]]:
    result = pipeline.build(pipeline.Options(root, out=out, use_cache=False, workers=1))
    assert result.ok, result.report.lines()
    assert result.site is not None
    return result.site.config, *_pages(out)


def _assert_memo_equals_fresh(cfg: object, pages: dict[str, str], files: set[str]) -> None:
    for targets in (False, True):
        shared = scan.Scanner(cfg, files, targets)
        for rel, text in pages.items():
            assert shared.facts(rel, text) == scan.Scanner(cfg, files, targets).facts(rel, text), rel
        assert len(shared.judged) < sum(len(list(scan._references(t))) for t in pages.values())


@pytest.mark.parametrize("kept", [None, 3])
def test_memo_equals_fresh_scan_on_the_sample_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int | None) -> None:
    if kept is not None:  # the tag memo emptied again and again on the way
        monkeypatch.setattr(scan, "_TAGS_KEPT", kept)
    cfg, pages, files = _built(REPO, tmp_path / "site")
    assert len(pages) > 50
    _assert_memo_equals_fresh(cfg, pages, files)


def test_memo_equals_fresh_scan_on_a_generated_corpus(tmp_path: Path) -> None:
    src = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "120", str(src)], check=True,
                   capture_output=True)
    cfg, pages, files = _built(src, tmp_path / "site")
    assert len(pages) > 250 and any(p.startswith("zh-hant/") for p in pages)
    _assert_memo_equals_fresh(cfg, pages, files)


@pytest.mark.parametrize("folder", ["", "a", "a/b", "a/b/c", "zh-hant/a/b"])
def test_memo_keys_on_tricky_references(tmp_path: Path, folder: str) -> None:
    cfg, _, files = _built(REPO, tmp_path / "site")
    files = files | {"a/x.png", "a/b/x.png", "x.png", "a/b/c/index.html", "a/index.html"}
    body = (
        '<html><head><title>t</title><meta name="description" content="&lt;a href=../x.png&gt;"></head><body>'
        '<a href="../x.png">1</a><a href="../../x.png">2</a><a HREF="../../../x.png">3</a>'
        '<a href="../../../../x.png">4</a><a href="/x.png">5</a><a href="x.png">6</a>'
        '<img srcset="../x.png 1x, ../../x.png 2x" src=../b/x.png><a title="a>b" href="../x.png">7</a>'
        '<a href=" ../x.png">8</a><a href="..//x.png">9</a><a href="./../x.png">10</a><a href="../">11</a>'
        '<a href="https://example.org/x">12</a><a href="mailto:a@b">13</a><a href="#top">14</a>'
        '<!-- <a href="../gone.png"> --><script>var a = \'<a href="../gone">\';</script></body></html>'
    )
    pages = {f"{folder}/{name}".lstrip("/"): body for name in ("index.html", "other.html")}
    shared = scan.Scanner(cfg, files, True)
    for other in ("", "a", "a/b", "a/b/c", "q/r"):  # other folders' pages first fill the memo
        shared.facts(f"{other}/index.html".lstrip("/"), body)
    for rel, text in pages.items():
        got = shared.facts(rel, text)
        assert got == scan.Scanner(cfg, files, True).facts(rel, text), rel
    assert scan.Scanner(cfg, files, True).facts("404.html", body) == shared.facts("404.html", body)
