"""`check` reuses what builds cached (fast pre-commit checks) but writes nothing, not even the cache."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, timeout=300)


def test_check_reads_the_cache_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "data", root / "data")
    fresh = _run("check", "--root", str(root))
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert sorted(p.name for p in root.iterdir()) == ["content", "data"]  # no site/, no cache
    assert _run("build", "--root", str(root)).returncode == 0
    db = root / ".brandsite-cache" / "render.sqlite"
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    again = _run("check", "--root", str(root))
    assert again.returncode == 0
    assert again.stdout == fresh.stdout  # same findings with the cache as without it
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
