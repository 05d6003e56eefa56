"""bench/anchor_table.py: issue 14's targets read off one run of the shared anchors.

The table is what the issue is judged by, so a wrong ratio (CPU against wall, a target read
against the wrong tool) must fail here rather than reach the note.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import bench_module


@pytest.fixture(scope="module")
def at():
    return bench_module("anchor_table")


def _tool(run: Path, n: int, tool: str, times: list[float], user: float, system: float, kib: int | None) -> None:
    result = {"command": tool, "times": times, "user": user, "system": system, "median": sorted(times)[len(times) // 2]}
    (run / f"{n}-{tool}.json").write_text(json.dumps({"results": [result]}), encoding="utf-8")
    if kib is not None:
        (run / f"{n}-{tool}.time").write_text(f"\tMaximum resident set size (kbytes): {kib}\n", encoding="utf-8")
    (run / f"{n}-{tool}.files").write_text("42\n", encoding="utf-8")


def test_ratios_and_targets_come_from_the_runs_raw_files(at, tmp_path):
    _tool(tmp_path, 1000, "hugo", [1.0, 0.9, 1.1], 1.2, 0.2, 250 * 1024)
    _tool(tmp_path, 1000, "pelican", [3.0, 3.2, 2.8], 2.5, 0.5, 57 * 1024)
    _tool(tmp_path, 1000, "ours-plain", [1.7, 1.9, 1.8], 3.0, 0.6, 190 * 1024)
    _tool(tmp_path, 10000, "ours", [30.0], 50.0, 5.0, 600 * 1024)
    _tool(tmp_path, 10000, "hugo", [10.0], 14.0, 1.0, None)
    rows = at.read_run(tmp_path)
    plain = rows[1000]["ours-plain"]
    assert (plain.wall, plain.cpu, plain.peak) == (1.8, pytest.approx(3.6), 190)
    table = at.table(rows)
    # wall 1.8 s: 1.80× Hugo's 1.0 median, 0.60× Pelican's 3.0; CPU 3.6 s: 1.20× Pelican's 3.0
    assert "| 1,000 | brandsite, like-for-like | 1.80 | 1.80 | 0.60 | 3.60 | 1.20 | 190 | 42 |" in table
    targets = at.targets(rows)
    assert "| like-for-like wall ≤ 0.6× Pelican | 1,000 | 0.60× | yes |" in targets
    assert "| like-for-like CPU ≤ 1.2× Pelican | 1,000 | 1.20× | yes |" in targets
    assert "| like-for-like wall ≤ 2.5× Hugo | 1,000 | 1.80× | yes |" in targets
    assert "| every feature wall ≤ 3× Hugo | 10,000 | 3.00× | yes |" in targets
    assert "| largest process ≤ 512 MiB | 10,000 | 600 MiB | no |" in targets
    # no Pelican at 10,000 in this run: its targets are left out, not judged against nothing
    assert "0.6× Pelican | 10,000" not in targets
