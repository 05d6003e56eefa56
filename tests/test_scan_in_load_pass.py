"""The publishing checks' text scan rides on the load stage's worker pass (issue 14): when the
sources are loaded in workers, each worker scans the file it loaded, and the parent scans only
what the loaders never see (``data/*.yaml``). The findings, their order and the cache entries
are those of the plain path, where one process loads and then scans every file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import branch_text, make_small_site

from brandsite import pipeline
from brandsite.checks import publishcheck
from brandsite.checks.pii import id_check_digit
from brandsite.content import reading

ID17 = "11010519491231002"
BODIES = [
    "坚持不忘出心，深化诉原治理。\n",  # two wrong formulations
    f"当事人身份证号 {ID17 + id_check_digit(ID17)}。\n",  # personal information
    "堅持不忘出心，踐行司法為民。\n",  # a wrong formulation in Traditional script
    "第一段，没有问题。\n",
]


def _site(root: Path) -> Path:
    site = make_small_site(root)
    for n in range(8):
        site.branch(f"more-{n}", branch_text(f"善调乡村第{n + 1}号", "xuyi", body=BODIES[n % len(BODIES)]))
    return site.root


def test_the_scan_runs_in_the_loaders_pass_with_the_plain_paths_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_root = _site(tmp_path / "plain")
    pooled_root = tmp_path / "pooled"
    shutil.copytree(plain_root, pooled_root)
    parent = os.getpid()
    in_parent: list[str] = []
    real = publishcheck.scan_file

    def scan_file(data: bytes, rel: str, rules: Any) -> Any:
        if os.getpid() == parent:  # a forked worker appends to its own copy of the list
            in_parent.append(rel)
        return real(data, rel, rules)

    monkeypatch.setattr(publishcheck, "scan_file", scan_file)
    monkeypatch.setattr(publishcheck, "_MEMO", {})  # what earlier tests in this process scanned
    plain = pipeline.build(pipeline.Options(plain_root, workers=1))
    assert not plain.ok
    assert sum(r.startswith("content/") for r in in_parent) == 12  # the plain path: every file in the parent
    in_parent.clear()

    monkeypatch.setattr(publishcheck, "_MEMO", {})  # the process's memory of the plain build's scans
    monkeypatch.setattr(reading, "_MIN_PARALLEL", 1)
    pooled = pipeline.build(pipeline.Options(pooled_root, workers=2))
    assert in_parent and all(r.startswith("data/") for r in in_parent), in_parent
    assert pooled.report.lines() == plain.report.lines()
    assert sum("不忘出心" in ln for ln in pooled.report.lines()) == 4
    assert any("身份证" in ln for ln in pooled.report.lines())

    # the findings were cached under the scan's own keys: a warm run scans nothing again
    in_parent.clear()
    monkeypatch.setattr(publishcheck, "_MEMO", {})
    pooled_root.joinpath("site").mkdir(exist_ok=True)
    again = pipeline.build(pipeline.Options(pooled_root, workers=2))
    assert again.report.lines() == plain.report.lines()
    assert not any(r.startswith("content/") for r in in_parent)


def test_changed_rules_are_scanned_again_though_the_sources_load_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site's terms.yaml edited: every loader result still comes from the cache, so no worker
    pass runs, and the scan (keyed by the rules too) must then do the work itself."""
    root = _site(tmp_path / "s")
    monkeypatch.setattr(reading, "_MIN_PARALLEL", 1)
    first = pipeline.build(pipeline.Options(root, workers=2))
    assert not any("没有问题" in ln for ln in first.report.lines())
    (root / "data" / "terms.yaml").write_text("- wrong: 没有问题\n  right: 并无问题\n", encoding="utf-8")
    (root / "site").mkdir(exist_ok=True)
    second = pipeline.build(pipeline.Options(root, workers=2))
    assert sum("“没有问题”应为“并无问题”" in ln for ln in second.report.lines()) == 2
