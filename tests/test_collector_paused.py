"""A build pauses CPython's cyclic collector in its own process (issue 14: at 10,000 branches the
collector's walks over the growing heap were half of the statistics' time and a third of
planning the pages), never in its workers, and restores it afterwards, even on an error."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from conftest import make_small_site

from brandsite import pipeline
from brandsite.core import workers
from brandsite.derive import statistics


def _collecting(_: int) -> bool:
    return gc.isenabled()


def test_the_build_pauses_the_collector_in_its_own_process_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_small_site(tmp_path / "s")
    seen: dict[str, Any] = {}
    real = statistics.compute

    def compute(*args: Any, **kwargs: Any) -> Any:
        seen["parent"] = gc.isenabled()
        with workers.pool(2) as pool:  # a pool started meanwhile, as the render stage starts one
            seen["workers"] = set(pool.map(_collecting, range(4)))
        return real(*args, **kwargs)

    monkeypatch.setattr(statistics, "compute", compute)
    assert gc.isenabled()
    result = pipeline.build(pipeline.Options(site.root, workers=1))
    assert result.ok, result.report.lines()
    assert seen == {"parent": False, "workers": {True}}
    assert gc.isenabled()


def test_the_collector_comes_back_after_a_failed_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_small_site(tmp_path / "s")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(statistics, "compute", broken)
    with pytest.raises(RuntimeError):
        pipeline.build(pipeline.Options(site.root, workers=1))
    assert gc.isenabled()
    gc.disable()
    try:  # and a build started while it was off leaves it off
        monkeypatch.undo()
        assert pipeline.build(pipeline.Options(site.root, workers=1)).ok
        assert not gc.isenabled()
    finally:
        gc.enable()
