"""Issue 10: never delete what is not ours, never expose what was refused, never leave processes behind.

Every data-loss case runs on throwaway folders below ``tmp_path`` with the real command line.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, branch_text, make_small_site, process_group, run_script, tree_bytes

from brandsite import pipeline
from brandsite.write import staging
from brandsite.write.claim import MARKER
from brandsite.write.lock import OutputLock
from brandsite.write.staging import recycled_path

PHONE = "19912345678"  # a mobile number: the publishing check refuses the build


def everything(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` except the render cache (it may hold what the sources hold)."""
    return {k: v for k, v in tree_bytes(folder).items() if "/.brandsite-cache/" not in f"/{k}"}


def staging_left(root: Path) -> list[str]:
    home = root / ".brandsite-cache" / "output"
    return sorted(p.name for p in home.iterdir() if p.name.startswith("staging-")) if home.is_dir() else []


# ------------------------------------------------------------------ 1. the output folder is ours or empty


def test_a_folder_with_foreign_files_is_refused_and_kept(tmp_path, small_site, cli):
    x = tmp_path / "X"
    (x / "Documents").mkdir(parents=True)
    (x / "Documents" / "a.docx").write_bytes(b"x")
    for _ in range(2):
        r = cli("--root", small_site.root, "--out", x)
        assert r.code == 2, r.text
        assert str(x) in r.err and "Documents" in r.err and "--out" in r.err and "Traceback" not in r.text
    assert tree_bytes(x) == {"Documents/a.docx": b"x"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_serve_refuses_a_foreign_folder_before_touching_it(tmp_path, small_site):
    x = tmp_path / "X"
    x.mkdir()
    (x / "notes.txt").write_text("我的笔记", encoding="utf-8")
    r = run_script("serve", "--root", small_site.root, "--out", x, "--port", "0")
    assert r.code == 2 and "notes.txt" in r.err and "Traceback" not in r.text
    assert tree_bytes(x) == {"notes.txt": "我的笔记".encode()}


@pytest.mark.parametrize("where", [".", "content", "content/branches", "data", "themes", "..", ".brandsite-cache"])
def test_the_project_and_its_source_folders_are_refused(small_site, cli, where):
    (small_site.root / "themes").mkdir(exist_ok=True)
    (small_site.root / "themes" / "my.css").write_text("a{}", encoding="utf-8")
    before = everything(small_site.root.parent)
    r = cli("--root", small_site.root, "--out", small_site.root / where)
    assert r.code == 2, r.text
    assert str((small_site.root / where).resolve()) in r.err and "--out" in r.err
    assert everything(small_site.root.parent) == before


def test_the_home_folder_is_refused(tmp_path, small_site, cli, monkeypatch):
    home = tmp_path / "home" / "editor"
    (home / "桌面").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for target in (home, home.parent):
        r = cli("--root", small_site.root, "--out", target)
        assert r.code == 2 and "主文件夹" in r.err, r.text
    assert (home / "桌面").is_dir()


def test_a_file_is_refused_and_kept(tmp_path, small_site, cli):
    f = tmp_path / "report.docx"
    f.write_bytes(b"PK")
    for _ in range(2):
        r = cli("--root", small_site.root, "--out", f)
        assert r.code == 2 and "是一个文件" in r.err and "Traceback" not in r.text
    assert f.read_bytes() == b"PK"


def test_new_empty_and_own_folders_are_accepted_and_marked(tmp_path, small_site, cli):
    new, empty = tmp_path / "new" / "site", tmp_path / "empty"
    empty.mkdir()
    for out in (new, empty, new):  # the third: a folder of ours, with its marker
        assert cli("--root", small_site.root, "--out", out).code == 0
        assert (out / MARKER).is_file() and (out / "index.html").is_file()
    assert (new / MARKER).read_bytes() == (empty / MARKER).read_bytes()


def test_a_site_built_before_the_marker_is_known_by_the_render_cache(small_site, cli):
    assert cli("--root", small_site.root).code == 0
    (small_site.site / MARKER).unlink()  # as an earlier brandsite left it
    r = cli("--root", small_site.root)
    assert r.code == 0, r.text
    # a folder whose index.html the cache never wrote is not taken for ours
    (small_site.site / MARKER).unlink()
    (small_site.site / "index.html").write_text("别人的首页", encoding="utf-8")
    r = cli("--root", small_site.root)
    assert r.code == 2 and str(small_site.site) in r.err and "不是 brandsite 生成的" in r.err
    assert (small_site.site / "index.html").read_text(encoding="utf-8") == "别人的首页"


def test_the_preview_marks_its_folder(small_site):
    from brandsite.serve.incremental import Incremental

    out = small_site.root / "preview"
    inc = Incremental(pipeline.Options(root=small_site.root, out=out, use_cache=False, workers=1))
    assert inc.rebuild().ok
    assert (out / MARKER).is_file()
    (out / "mine.txt").write_text("x", encoding="utf-8")
    assert inc.rebuild().ok and (out / MARKER).is_file()  # a file of the site, never removed


# ------------------------------------------------------------------ 2. nothing refused leaves a trace


def test_a_refused_build_leaves_its_pages_nowhere(tmp_path, small_site, cli):
    assert cli("--root", small_site.root).code == 0  # a warm build: staging recycles the old site
    assert cli("--root", small_site.root).code == 0
    small_site.branch("shantiao", branch_text("善调乡村", "xuyi", body=f"联系电话 {PHONE}。\n"))
    for _ in range(2):
        r = cli("--root", small_site.root)
        assert r.code == 1 and "pii" in r.text or PHONE[:3] in r.text, r.text
        found = [k for k, v in everything(tmp_path).items() if PHONE.encode() in v]
        assert found == ["src/content/branches/shantiao.md"]
        assert staging_left(small_site.root) == []
        assert [p.name for p in small_site.root.iterdir() if p.name.startswith(".brandsite-") and p.name != ".brandsite-cache"] == []


def test_staging_and_recycled_folders_are_in_the_cache_folder(tmp_path, small_site, cli):
    out = tmp_path / "www" / "branding"
    for _ in range(3):
        assert cli("--root", small_site.root, "--out", out).code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["branding"]
    assert recycled_path(small_site.root, out).is_dir()
    assert staging_left(small_site.root) == []


def test_folders_an_older_version_left_beside_the_output_are_removed(small_site, cli):
    assert cli("--root", small_site.root).code == 0
    old = small_site.root / ".brandsite-prev-site"
    (old / "branches").mkdir(parents=True)
    (old / "branches" / "index.html").write_text(PHONE, encoding="utf-8")
    assert cli("--root", small_site.root).code == 0
    assert not old.exists()


def test_only_the_output_folder_writable_still_builds(tmp_path, small_site, cli, monkeypatch):
    """A deployment where only the output folder may be written (its parent is read-only): the
    site is staged inside the output folder and swapped in entry by entry."""
    out = tmp_path / "www" / "site"
    clean = tmp_path / "clean"
    assert cli("--root", small_site.root, "--out", out).code == 0
    real = staging._writable
    monkeypatch.setattr(staging, "_writable", lambda folder: folder != out.parent and real(folder))
    if os.geteuid() != 0:  # root may write anywhere: the permission alone proves nothing there
        out.parent.chmod(0o555)
    try:
        small_site.branch("new", branch_text("新品牌", "xuyi"))
        assert cli("--root", small_site.root, "--out", out).code == 0
        (small_site.root / "content" / "branches" / "new.md").unlink()
        small_site.branch("shantiao", branch_text("善调乡村", "xuyi", body=f"联系电话 {PHONE}。\n"))
        assert cli("--root", small_site.root, "--out", out).code == 1
        assert not any(PHONE.encode() in v for v in tree_bytes(out).values())
        small_site.branch("shantiao", branch_text("善调乡村", "xuyi"))
        assert cli("--root", small_site.root, "--out", out).code == 0
    finally:
        out.parent.chmod(0o755)
    monkeypatch.undo()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    assert cli("--root", small_site.root, "--out", clean, "--no-cache").code == 0
    assert tree_bytes(out) == tree_bytes(clean)


# ------------------------------------------------------------------ 3. the swap


def test_directories_are_exchanged_in_one_step_where_the_system_can(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "f").write_text("A", encoding="utf-8")
    (b / "f").write_text("B", encoding="utf-8")
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    assert staging.exchange(a, b)
    assert (a / "f").read_text(encoding="utf-8") == "B" and (b / "f").read_text(encoding="utf-8") == "A"


@pytest.mark.parametrize("atomic", [True, False])
def test_the_site_is_there_at_every_step_of_the_swap(small_site, cli, monkeypatch, atomic):
    """With an exchange the output folder exists at every rename; without one (Windows) the window
    is the two renames of the fallback, and the result is the same."""
    assert cli("--root", small_site.root).code == 0
    assert cli("--root", small_site.root).code == 0
    seen: list[bool] = []
    real_replace, real_exchange = os.replace, staging.exchange
    monkeypatch.setattr(staging.os, "replace", lambda a, b: (seen.append(small_site.site.is_dir()), real_replace(a, b))[1])
    monkeypatch.setattr(staging, "exchange", lambda a, b: seen.append(small_site.site.is_dir()) or (atomic and real_exchange(a, b)))
    small_site.branch("new", branch_text("新品牌", "xuyi"))
    assert cli("--root", small_site.root).code == 0
    assert (small_site.site / "branches").is_dir() and seen
    if atomic and sys.platform.startswith("linux"):
        assert all(seen) and small_site.site.is_dir()
    else:
        assert seen.count(False) == 1  # the moment between the two renames


# ------------------------------------------------------------------ 4. one build at a time


def test_a_second_build_into_a_locked_folder_exits_2(small_site, cli):
    with OutputLock(small_site.root, small_site.site):
        r = cli("--root", small_site.root)
    assert r.code == 2 and "另一个生成或预览正在使用" in r.err and "Traceback" not in r.text
    assert not small_site.site.exists()
    assert cli("--root", small_site.root).code == 0


_HOLD = """
import sys, time
from pathlib import Path
from brandsite.write.lock import OutputLock
with OutputLock(Path(sys.argv[1]), Path(sys.argv[2])):
    print("held", flush=True)
    time.sleep(120)
"""


def test_the_lock_of_a_killed_build_is_taken_over(small_site, cli):
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(small_site.root), str(small_site.site)],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert cli("--root", small_site.root).code == 2
        proc.kill()
        proc.wait()
        r = cli("--root", small_site.root)
        assert r.code == 0, r.text
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _many_branches(root: Path, n: int) -> None:
    body = "支部立足审判职能，开展特色活动。" * 20 + "\n"
    for i in range(n):
        (root / "content" / "branches" / f"b{i:03d}.md").write_text(
            branch_text(f"测试品牌{i}号", "xuyi", f"slug: b{i:03d}", body=body), encoding="utf-8")


def test_two_builds_at_once_never_crash_each_other(tmp_path):
    s = make_small_site(tmp_path / "src")
    _many_branches(s.root, 60)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(s.root)], cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
                 for _ in range(2)]
        results = [(p.wait(120), p.stdout.read() + p.stderr.read()) for p in procs]  # type: ignore[union-attr]
        for code, text in results:
            assert code in (0, 2) and "Traceback" not in text, text
            assert code == 0 or "另一个生成或预览正在使用" in text
        assert 0 in [code for code, _ in results]
    clean = tmp_path / "clean"
    assert run_script("--root", s.root, "--out", clean, "--no-cache").code == 0
    assert tree_bytes(s.site) == tree_bytes(clean)


# ------------------------------------------------------------------ 5. no orphans


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_when_the_build_is_killed_at_random_points(tmp_path, sig):
    s = make_small_site(tmp_path / "src")
    _many_branches(s.root, 450)  # enough for worker pools (reading, publishing checks, rendering)
    rng = random.Random(int(sig))
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    assert run_script("--root", s.root, "--no-cache").code == 0
    before = tree_bytes(s.site)
    codes: list[int] = []
    for _ in range(3):
        # --no-cache: every page is rendered again, in worker pools; the sources are unchanged, so
        # whether the kill came before or after the swap, the site must hold exactly these bytes
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(s.root), "--no-cache"],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=env, start_new_session=True)
        # wait until a worker pool is up (the group has more than the build itself), then a random moment
        deadline = time.monotonic() + 60
        while len(process_group(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 1.5))
        os.kill(proc.pid, sig)
        codes.append(proc.wait(30))
        deadline = time.monotonic() + 20
        while process_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = process_group(proc.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert left == []
        assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
        assert tree_bytes(s.site) == before
    assert any(code != 0 for code in codes)  # (a build may finish before its kill, not all three)
    assert staging_left(s.root) == [] or sig == signal.SIGKILL  # SIGTERM cleans up like Ctrl-C



# ------------------------------------------------------------------ 7. inputs


def test_an_escaped_tag_in_a_summary_is_not_a_link(small_site, cli):
    """The summary lands in <meta name=description content="…&lt;a href=foo&gt;…">: text, not markup."""
    small_site.branch("daima", branch_text("代码示例", "xuyi", body="写法示例：`<a href=foo>` 是网页代码，不是链接。\n\n## 做法\n\n正文。\n"))
    r = cli("--root", small_site.root)
    assert r.code == 0, r.text
    page = next((small_site.site / "branches").glob("*/index.html"))
    assert page.is_file()
    assert "&lt;a href=foo&gt;" in "".join(p.read_text(encoding="utf-8") for p in (small_site.site / "branches").rglob("*.html"))


def test_a_real_broken_link_is_still_reported(small_site, cli):
    small_site.branch("huai", branch_text("坏链接", "xuyi", body="见[材料](nowhere.html)。\n"))
    r = cli("--root", small_site.root)
    assert r.code == 1 and "content/branches/huai.md" in r.err and "nowhere.html" in r.err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_source_linked_from_outside_the_project_is_an_error(tmp_path, small_site, cli):
    outside = tmp_path / "elsewhere" / "secret.md"
    outside.parent.mkdir()
    outside.write_text(branch_text("外部品牌", "xuyi"), encoding="utf-8")
    link = small_site.root / "content" / "branches" / "waibu.md"
    link.symlink_to(outside)
    r = cli("--root", small_site.root)
    assert r.code == 1
    assert "content/branches/waibu.md" in r.err and str(outside) in r.err and "项目以外" in r.err
    assert not small_site.site.exists()
    # a link to a file inside the project is an ordinary source
    link.unlink()
    inside = small_site.root / "drafts" / "neibu.md"
    inside.parent.mkdir()
    inside.write_text(branch_text("内部品牌", "xuyi"), encoding="utf-8")
    link.symlink_to(inside)
    r = cli("--root", small_site.root)
    assert r.code == 0, r.text
    assert "内部品牌" in (small_site.site / "index.html").read_text(encoding="utf-8")


def test_a_huge_member_count_and_a_far_date_are_errors_at_their_line(small_site, cli):
    small_site.branch("dada", branch_text("超大人数", "xuyi", "members: " + "1" * 400))
    small_site.write("content/news/far.md", "---\ntitle: 远方的消息\ndate: 9999-12-31\n---\n正文。\n")
    r = cli("--root", small_site.root)
    assert r.code == 1, r.text
    assert "content/branches/dada.md:5:" in r.err and "400 位数字" in r.err
    assert "content/news/far.md:3:" in r.err and "9999-12-31" in r.err
    assert "1" * 100 not in r.err


def test_an_output_below_a_file_is_refused_without_a_traceback(tmp_path, small_site, cli):
    f = tmp_path / "file.txt"
    f.write_text("原样", encoding="utf-8")
    r = cli("--root", small_site.root, "--out", f / "site")
    assert r.code == 2 and "路径中有一段是文件" in r.err and "Traceback" not in r.text
    assert f.read_text(encoding="utf-8") == "原样"


def test_leftover_cleaning_compares_names_exactly(tmp_path, small_site, cli):
    other = tmp_path / ".brandsite-prev-site"  # another output's folder: "s[ai]te" is no pattern
    other.mkdir()
    (other / "index.html").write_text("另一个", encoding="utf-8")
    mine = tmp_path / ".brandsite-prev-s[ai]te"
    mine.mkdir()
    assert cli("--root", small_site.root, "--out", tmp_path / "s[ai]te").code == 0
    assert other.is_dir() and not mine.exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_linked_or_unreadable_folder_in_content_is_named_not_skipped_silently(tmp_path, small_site, cli):
    """Folders the build does not enter (a link to a folder; one without read permission) are
    warnings naming them: an editor's files there would otherwise vanish from the site unnoticed."""
    shared = tmp_path / "shared-brands"
    shared.mkdir()
    shared.joinpath("gongxiang.md").write_text(branch_text("共享品牌", "xuyi"), encoding="utf-8")
    (small_site.root / "content" / "branches" / "gongxiang").symlink_to(shared, target_is_directory=True)
    r = cli("check", "--root", small_site.root)
    assert r.code == 0, r.text
    assert "content/branches/gongxiang: 警告：“gongxiang”是指向别处文件夹的链接" in r.out
    if os.name == "posix" and os.geteuid() != 0:  # root reads every folder
        locked = small_site.root / "content" / "news" / "locked"
        locked.mkdir(parents=True)
        locked.chmod(0)
        try:
            r = cli("check", "--root", small_site.root)
            assert "content/news/locked: 警告：文件夹“locked”没有读取权限" in r.out
        finally:
            locked.chmod(0o755)
