"""The page deriver's memo lives only while the job list is made (``render/pages.Pages.jobs``): kept,
it held every object of the model it reduced for the whole build, inherited by every render worker.
The pages' dependencies are those of a deriver that keeps its memo."""

from __future__ import annotations

from pathlib import Path

from conftest import make_small_site

from brandsite import pipeline
from brandsite.core.diagnostics import Report
from brandsite.derive import statistics
from brandsite.features.plugins import FEATURES
from brandsite.render import pages as render


def _pages(root: Path) -> render.Pages:
    site = pipeline.load(pipeline.Options(root=root, workers=1, use_cache=False), Report(root))
    branches, news = pipeline.published(site, False)
    return render.Pages(site, statistics.compute(site, branches), branches, news, FEATURES)


def test_the_memo_is_dropped_and_the_dependencies_are_those_of_a_kept_memo(tmp_path: Path) -> None:
    root = make_small_site(tmp_path / "src").root
    text = (root / "data/site.yaml").read_text(encoding="utf-8")
    (root / "data/site.yaml").write_text(text + "languages: [zh-Hans, zh-Hant]\n", encoding="utf-8")
    pages = _pages(root)
    jobs = pages.jobs()
    assert pages.deriver.memo == {}
    again = pages.jobs()  # the memo is made again when needed
    kept = _pages(root)

    class Kept(dict):  # type: ignore[type-arg]
        def clear(self) -> None:  # the plain path: the memo is never dropped
            pass

    kept.deriver.memo = Kept()
    plain = kept.jobs()
    assert len(kept.deriver.memo) > 20
    assert len(jobs) > 20 and any(j.path.startswith("zh-hant/") for j in jobs)
    assert [(j.path, j.deps) for j in jobs] == [(j.path, j.deps) for j in plain] == [(j.path, j.deps) for j in again]
