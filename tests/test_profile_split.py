"""bench/profile_split.py: the table issue 14's note uses to explain the speed targets not met.

A wrong row would put our own work under a library (or a wait under CPU) and make the
comparison with Pelican look better or worse than it is, so the rules are pinned here.
"""

from __future__ import annotations

import pytest
from conftest import bench_module


@pytest.fixture(scope="module")
def ps():
    return bench_module("profile_split")


ROOT = 'process 1:"python3 build.py build";<module> (build.py:5);main (brandsite/cli.py:10)'


@pytest.mark.parametrize(
    ("stack", "row"),
    [
        # a library's frame inside our stage counts for the library
        ("load_branch (brandsite/content/loading.py:70);convert (markdown/core.py:374)", "Python-Markdown"),
        # our stage's frame over a standard-library leaf counts for the stage
        ("TermRules.find (brandsite/checks/terms.py:127);search (re/__init__.py:176)",
         "publishing scans (formulation, personal data, leftovers)"),
        ("Scanner.facts (brandsite/checks/scan.py:90)", "link and page checks"),
        ("sanitize (brandsite/content/markup.py:140)", "nh3 (sanitising)"),
        ("render (brandsite/content/markup.py:80)", "loading and validating sources"),
        # a module body runs inside the import machinery: start-up, whatever it calls
        ("_find_and_load (<frozen importlib._bootstrap>:1176);<module> (markdown/core.py:1)", "start-up: imports"),
        ("StagedOutput.write (brandsite/write/staging.py:99);Path.mkdir (pathlib.py:1116)", "writing files"),
        ("Pelican.run (pelican/__init__.py:143)", "Pelican's own code"),
    ],
)
def test_a_sample_goes_to_the_row_of_its_innermost_known_frame(ps, stack, row):
    assert ps.row_of((ROOT + ";" + stack).split(";")) == row


@pytest.mark.parametrize(
    "leaf",
    ["Condition.wait (threading.py:327)", "_PollLikeSelector.select (selectors.py:415)", "Connection._recv (multiprocessing/connection.py:395)"],
)
def test_waiting_is_not_cpu(ps, leaf):
    assert ps.row_of((ROOT + ";" + leaf).split(";")) is None


def test_bookkeeping_threads_are_left_out(ps):
    stack = "Thread._bootstrap (threading.py:995);Thread.run (threading.py:975);dumps (pickle.py:1)"
    assert ps.row_of(stack.split(";")) is None


def test_rows_are_seconds_and_scale_to_the_measured_cpu(ps, tmp_path):
    raw = tmp_path / "p.raw"
    raw.write_text(
        f"{ROOT};convert (markdown/core.py:374) 300\n"
        f"{ROOT};TermRules.find (brandsite/checks/terms.py:127) 100\n"
        f"{ROOT};Condition.wait (threading.py:327) 999\n",
        encoding="utf-8",
    )
    rows = ps.split(raw, 100)
    assert rows["Python-Markdown"] == pytest.approx(3.0)
    assert sum(rows.values()) == pytest.approx(4.0)  # the waiting samples are not counted
    scaled = ps.split(raw, 100, cpu=2.0)
    assert scaled["Python-Markdown"] == pytest.approx(1.5)
    table = ps.table({"ours": rows, "pelican": scaled})
    assert "| Python-Markdown | 3.00 | 1.50 |" in table
    assert "| **total** | **4.00** | **2.00** |" in table
