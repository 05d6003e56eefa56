"""Before a pool forks, the building process gives the allocator's free pages back to the system
(issue 14: a forked worker's resident size starts at the parent's, so memory the parent freed but
still held, the page deriver's memo among it, counted again in every render worker)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from brandsite.core import workers

PROBE = textwrap.dedent("""
    import sys
    from brandsite.core import workers

    def rss():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024

    blocks = [bytes(4000) + bytes([i % 256]) for i in range(20000)]  # about 80 MiB through malloc
    kept = blocks[::16]  # every 16th stays: the freed memory lies between them, not at the heap's end
    del blocks
    before = rss()
    if sys.argv[1] == "release":
        workers.release_free_memory()
    print(before, rss())
""")


@pytest.mark.skipif(workers._malloc_trim() is None, reason="glibc's malloc_trim only")
def test_freed_memory_goes_back_to_the_system() -> None:
    def run(mode: str) -> tuple[int, int]:
        out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
        before, after = map(int, out.stdout.split())
        return before, after

    before, after = run("release")
    assert before - after >= 40, (before, after)
    before, after = run("keep")  # the probe itself frees nothing without it
    assert before - after < 10, (before, after)


def test_a_forking_pool_releases_before_it_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(workers, "release_free_memory", lambda: calls.append(1))
    with workers.pool(2) as pool:
        assert list(pool.map(abs, [-1, -2])) == [1, 2]
    assert calls == ([1] if workers.start_method() == "fork" else [])
