"""``python build.py serve``: a real preview server on a free port, real files, real SSE.

Every test writes a small site into ``tmp_path``, starts :class:`brandsite.serve.server.Preview`
(or the command line in a subprocess) on port 0 and talks to it over plain sockets.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import process_group

from brandsite import pipeline
from brandsite.serve.handler import resolve
from brandsite.serve.live import inject
from brandsite.serve.server import Preview

REPO = Path(__file__).resolve().parent.parent
SHIPPED_DEFAULT = REPO / "themes" / "default"

SITE_YAML = """\
title: 预览测试站点
owner: 测试人民法院机关党委
nav:
  - {title: 首页, url: ""}
  - {title: 品牌, url: branches/}
  - {title: 成效统计, url: stats/}
"""
UNITS_YAML = """\
- id: xuyi
  name: 盱眙县人民法院
  level: 基层法院
- id: ordos
  name: 鄂尔多斯市中级人民法院
  level: 中级法院
"""
METRICS_YAML = """\
普法宣传:
  unit: 次
  aliases: [法治宣传]
"""


def branch_md(brand: str, slug: str, unit: str, slogan: str, tags: str = "[普法宣传]", body: str = "") -> str:
    return (
        f"---\nbrand: {brand}\nbranch: 第一党支部\nunit: {unit}\nslug: {slug}\nslogan: {slogan}\n"
        f"tags: {tags}\nstats:\n  - metric: 普法宣传\n    value: 65次\n    year: 2024\n---\n"
        + (body or f"{brand}的品牌故事。支部立足审判职能开展特色活动。\n\n## 做法\n\n- 走进校园\n- 走进社区\n")
    )


def write_site(root: Path) -> Path:
    files = {
        "data/site.yaml": SITE_YAML,
        "data/units.yaml": UNITS_YAML,
        "data/metrics.yaml": METRICS_YAML,
        "content/branches/faguan-mama.md": branch_md("法官妈妈", "faguan-mama", "ordos", "用母亲的温度守护成长"),
        "content/branches/shantiao.md": branch_md("善调乡村", "shantiao", "xuyi", "小事不出村", "[多元解纷]"),
        "content/branches/hongse.md": branch_md("红色天平", "hongse", "xuyi", "公正司法", "[普法宣传, 多元解纷]"),
        "content/pages/about.md": "---\ntitle: 关于本站\nslug: about\n---\n本站展示法院党支部品牌。\n",
    }
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    # the site's own copy of the theme: tests edit it, and others editing the shipped theme while
    # these tests run change nothing here
    shutil.copytree(SHIPPED_DEFAULT, root / "themes" / "default")
    return root


# ------------------------------------------------------------------ clients


class SSE:
    """A raw-socket Server-Sent Events client; events are parsed by a reader thread."""

    def __init__(self, port: int, path: str = "/__brandsite/events") -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        status = self.file.readline().decode()
        assert " 200 " in status, status
        self.headers: dict[str, str] = {}
        while True:
            line = self.file.readline().decode().strip()
            if not line:
                break
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.events: queue.Queue[tuple[str, dict]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        kind, data = "message", []
        try:
            for raw in self.file:
                line = raw.decode("utf-8").rstrip("\n")
                if not line:
                    if data:
                        self.events.put((kind, json.loads("\n".join(data))))
                    kind, data = "message", []
                elif line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError):
            pass

    def next(self, timeout: float = 5.0) -> tuple[str, dict]:
        return self.events.get(timeout=timeout)

    def wait_for(self, kind: str, timeout: float = 5.0) -> tuple[dict, list[str]]:
        """The first event of ``kind``; also returns the kinds seen before it."""
        seen: list[str] = []
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no '{kind}' event within {timeout}s (saw {seen})")
            try:
                k, d = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if k == kind:
                return d, seen
            seen.append(k)

    def drain(self, seconds: float) -> list[tuple[str, dict]]:
        out = []
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                out.append(self.events.get(timeout=left))
            except queue.Empty:
                break
        return out

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", "127.0.0.1")
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def wait_until(cond, timeout: float = 5.0, step: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return bool(cond())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# ------------------------------------------------------------------ fixtures


class Running:
    def __init__(self, root: Path, preview: Preview, log: io.StringIO) -> None:
        self.root = root
        self.preview = preview
        self.log = log
        self.out: Path = preview.opts.out  # type: ignore[assignment]
        self.port = preview.port

    def branch(self, stem: str) -> Path:
        return self.root / "content" / "branches" / f"{stem}.md"


class IsolatedPreview(Preview):
    """The real server, except that it does not watch the repository's shipped theme (the site
    has its own copy): edits others make to the repository must not send events to these tests."""

    def watched(self) -> list[Path]:
        return [d for d in super().watched() if d.resolve() != SHIPPED_DEFAULT.parent.resolve()]


def start(root: Path) -> Running:
    opts = pipeline.Options(root=root, out=root / "site", use_cache=False, workers=1)
    log = io.StringIO()
    preview = IsolatedPreview(opts, "127.0.0.1", 0, stream=log)
    assert root / "content" in preview.watched() and root / "themes" in preview.watched()
    assert preview.rebuild().ok, log.getvalue()
    preview.start()
    return Running(root, preview, log)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    running = start(write_site(tmp_path / "src"))
    yield running
    running.preview.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A server that no test edits (HTTP safety and MIME checks)."""
    base = tmp_path_factory.mktemp("serve-shared")
    running = start(write_site(base / "src"))
    yield running
    running.preview.stop()


# ------------------------------------------------------------------ serving and injection


def test_builds_serves_and_injects_only_into_responses(shared: Running) -> None:
    port = shared.port
    assert shared.preview.url == f"http://127.0.0.1:{port}/"
    status, headers, body = get(port, "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    text = body.decode("utf-8")
    assert "法官妈妈" in text
    assert '<script src="__brandsite/reload.js"' in text
    assert text.index("__brandsite/reload.js") < text.lower().rindex("</body>")

    status, _, body = get(port, "/branches/faguan-mama/")
    assert status == 200
    assert '<script src="../../__brandsite/reload.js"' in body.decode("utf-8")
    status, _, body = get(port, "/branches/faguan-mama/index.html")
    assert '<script src="../../__brandsite/reload.js"' in body.decode("utf-8")

    # nothing on disk carries the preview script: the folder stays publishable
    files = [p for p in shared.out.rglob("*") if p.is_file()]
    assert len(files) > 10
    for p in files:
        assert b"__brandsite" not in p.read_bytes(), p

    status, headers, body = get(port, "/__brandsite/reload.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"EventSource" in body and b"visibilitychange" in body
    status, headers, body = get(port, "/__brandsite/state")
    assert status == 200 and json.loads(body)["errors"] == []


def test_head_request_has_no_body(shared: Running) -> None:
    status, headers, body = get(shared.port, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_sub_path_script_and_events(shared: Running) -> None:
    # served by a proxy under /djpp/: the relative script path resolves to /djpp/__brandsite/…
    status, _, body = get(shared.port, "/branches/shantiao/")
    assert '"../../__brandsite/reload.js"' in body.decode("utf-8")
    status, headers, body = get(shared.port, "/djpp/branches/__brandsite/reload.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    for path in ("/anything/__brandsite/events", "/djpp/branches/shantiao/__brandsite/events"):
        sse = SSE(shared.port, path)
        try:
            assert sse.headers["content-type"].startswith("text/event-stream")
            kind, data = sse.next()
            assert kind == "hello" and data["errors"] == []
        finally:
            sse.close()


def test_inject_paths() -> None:
    page = b"<html><body><p>x</p></body></html>"
    assert b'src="__brandsite/reload.js"' in inject(page, "/")
    assert b'src="__brandsite/reload.js"' in inject(page, "/index.html")
    assert b'src="../__brandsite/reload.js"' in inject(page, "/stats/")
    assert b'src="../../__brandsite/reload.js"' in inject(page, "/branches/x/")
    assert b'src="../../__brandsite/reload.js"' in inject(page, "/branches/x/index.html")
    assert b'src="../../__brandsite/reload.js"' in inject(page, "/branches/x/?from=wechat")
    # no </body>: appended
    assert inject(b"<p>x</p>", "/").startswith(b"<p>x</p><script")


# ------------------------------------------------------------------ live reload


def test_edit_reload_event_and_new_content(server: Running) -> None:
    sse = SSE(server.port)
    try:
        kind, hello = sse.next()
        assert kind == "hello" and hello["errors"] == [] and hello["instance"]
        status, _, body = get(server.port, "/branches/faguan-mama/")
        assert "用母亲的温度守护成长" in body.decode("utf-8")
        t0 = time.monotonic()
        edit(server.branch("faguan-mama"), "用母亲的温度守护成长", "新标语：让每个孩子被法治温柔以待")
        data, before = sse.wait_for("reload", timeout=5)
        assert time.monotonic() - t0 < 5
        assert before == []
        assert data["version"] > hello["version"]
        assert "branches/faguan-mama/index.html" in data["changed"]
        assert "branches/faguan-mama/index.html" in data["pages"]
        status, _, body = get(server.port, "/branches/faguan-mama/")
        text = body.decode("utf-8")
        assert status == 200 and "让每个孩子被法治温柔以待" in text and "用母亲的温度守护成长" not in text
        assert "让每个孩子被法治温柔以待" in (server.out / "branches/faguan-mama/index.html").read_text(encoding="utf-8")
        assert "已更新" in server.preview.stream.getvalue()  # type: ignore[attr-defined]
    finally:
        sse.close()


def test_save_during_the_first_build_is_not_lost(tmp_path: Path) -> None:
    """serve watches before its first build: a file saved while that build runs (after its sources
    were read) is rebuilt as soon as the server starts, not only at the next save."""
    root = write_site(tmp_path / "src")
    opts = pipeline.Options(root=root, out=root / "site", use_cache=False, workers=1)
    preview = IsolatedPreview(opts, "127.0.0.1", 0, stream=io.StringIO())
    page = preview.opts.out / "branches/faguan-mama/index.html"  # type: ignore[operator]
    original = preview.builder._load

    def load_then_save(report):  # the editor saves right after the first build read the sources
        site = original(report)
        if preview.builder.first:
            edit(root / "content/branches/faguan-mama.md", "用母亲的温度守护成长", "首次生成期间保存的新标语")
        return site

    preview.builder._load = load_then_save  # type: ignore[method-assign]
    try:
        preview.watch()
        first = preview.rebuild()
        assert first.ok and first.stopped  # the save stops the first build: the loop starts the next at once
        assert "有新的修改" in preview.stream.getvalue()  # type: ignore[attr-defined]
        preview.start()
        assert wait_until(lambda: page.is_file() and "首次生成期间保存的新标语" in page.read_text(encoding="utf-8"),
                          timeout=10)
        assert wait_until(lambda: "已更新" in preview.stream.getvalue(), timeout=10)  # type: ignore[attr-defined]
        assert (preview.opts.out / "search/idx/meta.js").is_file()  # type: ignore[operator]
    finally:
        preview.stop()


def test_serve_watches_before_its_first_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brandsite.serve import server as server_mod

    root = write_site(tmp_path / "src")
    order: list[str] = []
    monkeypatch.setattr(Preview, "watch", lambda self: order.append("watch"))
    monkeypatch.setattr(Preview, "safe_rebuild", lambda self: order.append("build"))
    monkeypatch.setattr(Preview, "start", lambda self: order.append("start"))

    def interrupt(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(server_mod.time, "sleep", interrupt)
    opts = pipeline.Options(root=root, out=root / "site", use_cache=False, workers=1)
    assert server_mod.serve(opts, "127.0.0.1", 0) == 0
    assert order == ["watch", "build", "start"]


def test_edited_page_reloads_first_then_the_lists(server: Running) -> None:
    """The page being edited is told first; pages that list it follow in a second event."""
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        edit(server.branch("hongse"), "brand: 红色天平", "brand: 红色天平先锋")
        first, _ = sse.wait_for("reload")
        assert first["pages"] and all(p.endswith("branches/hongse/index.html") for p in first["pages"]), first
        second, _ = sse.wait_for("reload")
        assert second["pages"] and "index.html" in second["pages"], second
        assert "branches/hongse/index.html" not in second["pages"]
        assert "红色天平先锋" in get(server.port, "/")[2].decode("utf-8")
        assert "已更新" in server.log.getvalue() and "所改页面" in server.log.getvalue()
    finally:
        sse.close()


def test_css_only_change_sends_css_event(server: Running) -> None:
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        css = server.root / "themes" / "default" / "static" / "style.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.brandsite-test-marker { color: #c00; }\n", encoding="utf-8")
        data, before = sse.wait_for("css", timeout=5)
        assert before == []
        assert data["changed"] == ["assets/style.css"]
        assert sse.drain(0.5) == []  # and no full reload after it
        status, headers, body = get(server.port, "/assets/style.css")
        assert status == 200 and headers["content-type"].startswith("text/css")
        assert b".brandsite-test-marker" in body
        assert b"__brandsite" not in body  # only HTML gets the script
    finally:
        sse.close()


def test_template_change_reloads(server: Running) -> None:
    templates = server.root / "themes" / "default" / "templates"
    base = (templates / "base.html").read_text(encoding="utf-8")
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        (templates / "base.html").write_text(base.replace("跳到正文", "跳到正文内容"), encoding="utf-8")
        data, _ = sse.wait_for("reload", timeout=5)
        assert "index.html" in data["changed"]
        assert "跳到正文内容" in get(server.port, "/stats/")[2].decode("utf-8")
    finally:
        sse.close()


# ------------------------------------------------------------------ errors in the page


def test_error_overlay_keeps_last_good_site_and_clears(server: Running) -> None:
    path = server.branch("shantiao")
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        edit(path, "brand: 善调乡村", "brand：善调乡村")  # a full-width colon, as pasted from Word
        data, before = sse.wait_for("errors", timeout=5)
        assert before == []
        assert any(e.startswith("content/branches/shantiao.md:2:") and "全角冒号" in e for e in data["errors"]), data
        # the terminal shows the same list
        assert wait_until(lambda: "content/branches/shantiao.md:2:" in server.log.getvalue())
        assert "内容有错误" in server.log.getvalue()
        # the last good site is still served
        status, _, body = get(server.port, "/branches/shantiao/")
        assert status == 200 and "善调乡村" in body.decode("utf-8")
        assert (server.out / "branches" / "shantiao" / "index.html").is_file()
        # a page opened now learns about the errors at once
        late = SSE(server.port, "/branches/shantiao/__brandsite/events")
        try:
            kind, hello = late.next()
            assert kind == "hello" and hello["errors"] == data["errors"]
        finally:
            late.close()
        state = json.loads(get(server.port, "/__brandsite/state")[2])
        assert state["errors"] == data["errors"]

        edit(path, "brand：善调乡村", "brand: 善调乡村")
        fixed, _ = sse.wait_for("reload", timeout=5)
        assert fixed["errors"] == []
    finally:
        sse.close()
    again = SSE(server.port)
    try:
        kind, hello = again.next()
        assert kind == "hello" and hello["errors"] == []
    finally:
        again.close()


def test_fixing_an_error_with_identical_output_still_reloads(server: Running) -> None:
    """Error then the exact old text back: nothing on disk changes, but the overlay must clear."""
    path = server.branch("hongse")
    good = path.read_text(encoding="utf-8")
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        path.write_text(good.replace("value: 65次", "value: 很多"), encoding="utf-8")
        data, _ = sse.wait_for("errors")
        assert any(e.startswith("content/branches/hongse.md:") for e in data["errors"])
        path.write_text(good, encoding="utf-8")
        sse.wait_for("reload")
    finally:
        sse.close()


def test_internal_error_does_not_stop_the_server(server: Running) -> None:
    real = server.preview.builder.rebuild
    calls = []

    def broken(**kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("模拟的内部错误")
        return real(**kwargs)  # type: ignore[arg-type]

    server.preview.builder.rebuild = broken  # type: ignore[method-assign]
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        edit(server.branch("faguan-mama"), "用母亲的温度守护成长", "内部错误之后的标语")
        data, _ = sse.wait_for("errors")
        assert "内部错误" in data["errors"][0]
        assert get(server.port, "/")[0] == 200  # still serving the last good site
        edit(server.branch("faguan-mama"), "内部错误之后的标语", "恢复之后的标语")
        sse.wait_for("reload")
        assert "恢复之后的标语" in get(server.port, "/branches/faguan-mama/")[2].decode("utf-8")
    finally:
        sse.close()


# ------------------------------------------------------------------ safety


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/branches/../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2F..%2F..%2Fetc%2Fpasswd",
        "/branches%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd",
        "/index.html%00.css",
        "/outside.txt",
        "/outside-dir/secret.txt",
        "/outside-dir/",
    ],
)
def test_traversal_is_404(shared: Running, path: str) -> None:
    outside = shared.out.parent / "secret.txt"
    if not outside.exists():
        outside.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    for name, target in (("outside.txt", outside), ("outside-dir", shared.out.parent)):
        link = shared.out / name
        if not link.is_symlink():
            link.symlink_to(target)
    status, _, body = get(shared.port, path)
    assert status == 404, path
    assert b"TOP-SECRET-CONTENT" not in body and b"root:" not in body


def test_symlink_inside_output_is_served(shared: Running) -> None:
    """A link that stays inside the output folder is fine (only escapes are refused)."""
    link = shared.out / "alias.css"
    if not link.is_symlink():
        link.symlink_to(shared.out / "assets" / "style.css")
    status, headers, _ = get(shared.port, "/alias.css")
    assert status == 200 and headers["content-type"].startswith("text/css")


def test_resolve_refuses_escapes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "secret").write_text("s", encoding="utf-8")
    (out / "link").symlink_to(tmp_path / "secret")
    assert resolve(out, "/a/") == out / "a" / "index.html"
    assert resolve(out, "/a/?q=1#x") == out / "a" / "index.html"
    for bad in ("/../secret", "/%2e%2e/secret", "/a/..%2f..%2fsecret", "/link", "/a\\..\\..\\secret", "/x\x00"):
        assert resolve(out, bad) is None, bad


def test_symlinked_index_pointing_outside_is_404(shared: Running) -> None:
    folder = shared.out / "leak"
    folder.mkdir(exist_ok=True)
    secret = shared.out.parent / "secret-page.html"
    secret.write_text("<body>TOP-SECRET-PAGE</body>", encoding="utf-8")
    if not (folder / "index.html").is_symlink():
        (folder / "index.html").symlink_to(secret)
    for path in ("/leak/", "/leak", "/leak/index.html"):
        status, _, body = get(shared.port, path)
        assert status == 404, path
        assert b"TOP-SECRET-PAGE" not in body


def test_head_on_event_stream_returns(shared: Running) -> None:
    status, headers, body = get(shared.port, "/__brandsite/events", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-type"].startswith("text/event-stream")


def test_directory_without_index_is_404_not_a_listing(shared: Running) -> None:
    folder = shared.out / "files-no-index"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("a", encoding="utf-8")
    for path in ("/files-no-index/", "/files-no-index", "/files-no-index/?x=1"):
        status, _, body = get(shared.port, path)
        assert status == 404, path
        assert b"a.txt" not in body
    assert get(shared.port, "/files-no-index/a.txt")[0] == 200


def test_folder_without_trailing_slash_redirects(shared: Running) -> None:
    """Relative links in branches/x/index.html only work when the URL ends in a slash."""
    conn = http.client.HTTPConnection("127.0.0.1", shared.port, timeout=10)
    try:
        conn.request("GET", "/branches/faguan-mama?from=wechat")
        resp = conn.getresponse()
        resp.read()
        assert resp.status in (301, 308)
        assert resp.getheader("Location") == "/branches/faguan-mama/?from=wechat"
    finally:
        conn.close()
    # never an open redirect to another host ("//evil.example/")
    (shared.out / "evil.example").mkdir(exist_ok=True)
    (shared.out / "evil.example" / "index.html").write_text("<body>x</body>", encoding="utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", shared.port, timeout=10)
    try:
        conn.request("GET", "//evil.example")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 301 and resp.getheader("Location") == "/evil.example/"
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("t.html", "text/html"),
        ("t.css", "text/css"),
        ("t.js", "text/javascript"),
        ("t.svg", "image/svg+xml"),
        ("t.json", "application/json"),
        ("t.csv", "text/csv"),
        ("t.xml", "application/xml"),
        ("t.webp", "image/webp"),
        ("t.wasm", "application/wasm"),
        ("T.WASM", "application/wasm"),
    ],
)
def test_mime_types(shared: Running, name: str, ctype: str) -> None:
    folder = shared.out / "mime"
    folder.mkdir(exist_ok=True)
    payload = b"<html><body>m</body></html>" if name.endswith("html") else b"\x00asm\x01\x00\x00\x00"
    (folder / name).write_bytes(payload)
    status, headers, body = get(shared.port, f"/mime/{name}")
    assert status == 200
    assert headers["content-type"].split(";")[0].strip() == ctype
    assert headers.get("x-content-type-options") == "nosniff"
    if name.endswith("html"):
        assert b'src="../__brandsite/reload.js"' in body
    else:
        assert body == payload


def test_generated_files_have_their_types(shared: Running) -> None:
    for path, ctype in (("/stats/stats.csv", "text/csv"), ("/stats/stats.json", "application/json"),
                        ("/sitemap.xml", "application/xml"), ("/assets/favicon.svg", "image/svg+xml"),
                        ("/robots.txt", "text/plain")):
        status, headers, body = get(shared.port, path)
        assert status == 200, path
        assert headers["content-type"].startswith(ctype), (path, headers["content-type"])
        assert b"__brandsite" not in body


def test_missing_page_is_the_404_page(shared: Running) -> None:
    status, headers, body = get(shared.port, "/branches/no-such-brand/")
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    text = body.decode("utf-8")
    assert "页面未找到" in text
    assert "__brandsite/reload.js" in text  # the overlay works on the 404 page too
    assert get(shared.port, "/nothing.css")[0] == 404


# ------------------------------------------------------------------ debounce


def test_burst_of_writes_is_one_rebuild(server: Running) -> None:
    sse = SSE(server.port)
    try:
        assert sse.next()[0] == "hello"
        version = server.preview.hub.version
        logged = server.log.getvalue().count("已更新")
        stems = ["faguan-mama", "shantiao", "hongse"]
        texts = {s: server.branch(s).read_text(encoding="utf-8") for s in stems}
        t0 = time.monotonic()
        for i in range(20):  # 20 saves in about 50 ms
            s = stems[i % 3]
            server.branch(s).write_text(texts[s].replace("的品牌故事", f"的品牌故事（第{i}次保存）"), encoding="utf-8")
            time.sleep(0.0025)
        assert time.monotonic() - t0 < 0.35  # generous: the machine may be loaded
        first, before = sse.wait_for("reload", timeout=5)
        assert before == []
        rest = sse.drain(1.5)
        kinds = ["reload"] + [k for k, _ in rest]
        assert "errors" not in kinds
        rebuilds = server.log.getvalue().count("已更新") - logged
        assert 1 <= rebuilds <= 2, server.log.getvalue()
        # each rebuild tells the edited pages first, then the other pages
        assert 1 <= kinds.count("reload") <= 2 * rebuilds, kinds
        assert server.preview.hub.version - version == kinds.count("reload")
        body = get(server.port, "/branches/hongse/")[2].decode("utf-8")
        assert "第17次保存" in body
        assert "第19次保存" in get(server.port, "/branches/shantiao/")[2].decode("utf-8")
    finally:
        sse.close()


def test_editor_temp_files_and_output_are_ignored(server: Running) -> None:
    p = server.preview
    assert not p.relevant(str(server.root / "content" / "branches" / ".#faguan-mama.md"))
    assert not p.relevant(str(server.root / "content" / "branches" / "faguan-mama.md~"))
    assert not p.relevant(str(server.out / "index.html"))
    assert p.relevant(str(server.branch("faguan-mama")))


# ------------------------------------------------------------------ the command line


def _interruptible() -> None:
    """In the child: Ctrl-C as in a terminal. A test run started in the background (``cmd &`` in a
    script) has SIGINT ignored, and an ignored signal stays ignored in every program it starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


#: process groups of the previews these tests started (each in its own session)
_GROUPS: list[int] = []


@pytest.fixture(autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """Every preview a test starts, and every worker it forked, has ended when the test ends."""
    yield
    left: list[int] = []
    while _GROUPS:
        pgid = _GROUPS.pop()
        wait_until(lambda: not process_group(pgid), timeout=10, step=0.1)  # noqa: B023 - called at once
        for pid in process_group(pgid):
            left.append(pid)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert left == [], "processes left running"


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
        preexec_fn=_interruptible, start_new_session=True,
    )
    _GROUPS.append(proc.pid)
    return proc


class Pump:
    """Collects a subprocess's output lines in a thread (reading never blocks a test)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)

    def until(self, needle: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return self.text()
            if not self.thread.is_alive():
                break
            time.sleep(0.05)
        self.proc.kill()
        raise AssertionError(f"no line with {needle!r}: {self.text()}")

    def rest(self) -> str:
        """Everything, once the process has ended."""
        self.thread.join(10)
        return self.text()


def _read_until(proc: subprocess.Popen[str], needle: str, timeout: float = 30) -> Pump:
    pump = Pump(proc)
    pump.until(needle, timeout)
    return pump


def test_watched_folders_and_stop_before_start(tmp_path: Path) -> None:
    root = write_site(tmp_path / "src")
    preview = Preview(pipeline.Options(root=root, out=root / "site", use_cache=False, workers=1), "127.0.0.1", 0,
                      stream=io.StringIO())
    try:
        dirs = {d.resolve() for d in preview.watched()}
        assert {(root / "content").resolve(), (root / "data").resolve(), (root / "themes").resolve(),
                SHIPPED_DEFAULT.parent.resolve()} <= dirs
    finally:
        done = threading.Event()
        threading.Thread(target=lambda: (preview.stop(), done.set()), daemon=True).start()
        assert done.wait(5), "stop() hangs when start() never ran"


def test_busy_port_exits_2_and_offers_another(tmp_path: Path) -> None:
    root = write_site(tmp_path / "src")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", str(port)],
            cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=60,
        )
    assert proc.returncode == 2, proc.stderr
    assert f"端口 {port} 已被占用" in proc.stderr
    assert "--port 0" in proc.stderr
    assert "可以改用 --port " in proc.stderr
    assert not (root / "site" / "index.html").exists()  # nothing was built


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    root = write_site(tmp_path / "src")
    proc = _spawn("--root", str(root), "--port", "0")
    try:
        pump = _read_until(proc, "预览地址")
        text = pump.text()
        url = text.split("预览地址：", 1)[1].split()[0]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert url.startswith("http://127.0.0.1:")
        assert "警告：正在监听" not in text  # loopback: no warning
        assert get(port, "/")[0] == 200
        sse = SSE(port)  # an open event stream must not keep the process alive
        assert sse.next()[0] == "hello"
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=5)
        sse.close()
        assert code == 0, pump.rest()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_non_loopback_host_warns(tmp_path: Path) -> None:
    root = write_site(tmp_path / "src")
    proc = _spawn("--root", str(root), "--port", "0", "--host", "0.0.0.0")
    try:
        text = _read_until(proc, "预览地址").text()
        assert "警告" in text and "0.0.0.0" in text and "局域网" in text
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_ctrl_c_during_the_first_build(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group (forked build workers too): a quiet, clean exit."""
    root = write_site(tmp_path / "src")
    body = "支部立足审判职能，开展特色活动。" * 60 + "\n"
    for i in range(400):
        (root / "content" / "branches" / f"b{i:03d}.md").write_text(
            branch_md(f"测试品牌{i}号", f"b{i:03d}", "xuyi", "标语", body=body), encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0", "--no-cache"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
        start_new_session=True, preexec_fn=_interruptible,
    )
    _GROUPS.append(proc.pid)
    try:
        pump = _read_until(proc, "正在生成网站")
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does
        code = proc.wait(timeout=30)
        rest = pump.rest()
        assert code == 0, rest
        assert "Traceback" not in rest, rest
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_second_save_stops_a_slow_rebuild(server: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save made while the rest of a rebuild runs (here: machine-readable files made slow) is
    written at once: the running rebuild stops at its next safe point and the next one starts."""
    from brandsite.serve import incremental

    slow = threading.Event()
    slow.set()
    in_slow_part = threading.Event()
    made = incremental.extra_files

    def slow_files(*args, **kwargs):  # one second a file, while ``slow`` is set (a dozen files here)
        for item in made(*args, **kwargs):
            if slow.is_set():
                in_slow_part.set()
                time.sleep(1.0)
            yield item

    monkeypatch.setattr(incremental, "extra_files", slow_files)
    first = server.out / "branches/faguan-mama/index.html"
    second = server.out / "branches/shantiao/index.html"
    try:
        edit(server.branch("faguan-mama"), "brand: 法官妈妈", "brand: 法官妈妈工作室")
        assert wait_until(lambda: "法官妈妈工作室" in first.read_text(encoding="utf-8"), timeout=5)
        assert in_slow_part.wait(5)
        t0 = time.monotonic()
        edit(server.branch("shantiao"), "brand: 善调乡村", "brand: 善调乡村工作室")
        assert wait_until(lambda: "善调乡村工作室" in second.read_text(encoding="utf-8"), timeout=8)
        assert time.monotonic() - t0 < 3.0  # the slow part alone would have taken about ten seconds
        assert wait_until(lambda: "有新的修改，先处理新的修改" in server.log.getvalue(), timeout=3)
    finally:
        slow.clear()
    # once the saves stop, the last rebuild ends the whole work: lists show both new names
    assert wait_until(lambda: "法官妈妈工作室" in get(server.port, "/")[2].decode("utf-8")
                      and "善调乡村工作室" in get(server.port, "/")[2].decode("utf-8"), timeout=10)
    assert wait_until(lambda: server.log.getvalue().rstrip().splitlines()[-1].startswith("已更新"), timeout=10)
    index = "".join(f.read_text(encoding="utf-8") for f in (server.out / "search/idx").rglob("*.js"))
    assert "法官妈妈工作室" in index and "善调乡村工作室" in index


# ------------------------------------------------------------------ following the tree (issue 10)


def test_content_deleted_and_recreated_is_watched_again(server: Running) -> None:
    """A `git checkout` or a fresh copy unzipped: content/ goes and comes back as a new folder."""
    content = server.root / "content"
    saved = server.root.parent / "content-copy"
    shutil.copytree(content, saved)
    shutil.rmtree(content)
    assert wait_until(lambda: any("缺少品牌文件夹" in e for e in server.preview.hub.errors), timeout=10)
    shutil.copytree(saved, content)
    assert wait_until(lambda: server.preview.hub.errors == [], timeout=10)
    page = server.out / "branches" / "shantiao" / "index.html"
    edit(server.branch("shantiao"), "brand: 善调乡村", "brand: 善调乡村新篇")  # a save into the new folder
    assert wait_until(lambda: "善调乡村新篇" in page.read_text(encoding="utf-8"), timeout=10), server.log.getvalue()


def test_content_renamed_away_and_back_is_followed(server: Running) -> None:
    content, away = server.root / "content", server.root / "content-old"
    content.rename(away)
    assert wait_until(lambda: any("缺少品牌文件夹" in e for e in server.preview.hub.errors), timeout=10)
    # edits in the renamed folder are not the site's: its old watch must not rebuild for them
    version = server.preview.hub.version
    edit(away / "branches" / "shantiao.md", "brand: 善调乡村", "brand: 别处的善调乡村")
    time.sleep(0.5)
    assert server.preview.hub.version == version
    edit(away / "branches" / "shantiao.md", "brand: 别处的善调乡村", "brand: 善调乡村")
    away.rename(content)
    assert wait_until(lambda: server.preview.hub.errors == [], timeout=10)
    page = server.out / "branches" / "shantiao" / "index.html"
    edit(server.branch("shantiao"), "brand: 善调乡村", "brand: 善调乡村回来了")
    assert wait_until(lambda: "善调乡村回来了" in page.read_text(encoding="utf-8"), timeout=10)


def test_a_themes_folder_that_appears_after_the_start_is_watched(server: Running) -> None:
    themes, away = server.root / "themes", server.root.parent / "themes-away"
    themes.rename(away)  # the site falls back to the shipped theme
    assert wait_until(lambda: server.preview.hub.version >= 2 or "已更新" in server.log.getvalue(), timeout=10)
    time.sleep(0.3)
    away.rename(themes)  # appears again: a new folder to the preview
    base = themes / "default" / "templates" / "base.html"
    assert wait_until(lambda: "themes" in [Path(k).name for k in server.preview.watches], timeout=10)
    edit(base, "</footer>", "<!-- 主题回来了 --></footer>")
    assert wait_until(lambda: "主题回来了" in (server.out / "index.html").read_text(encoding="utf-8"), timeout=10)


def test_listen_backlog_fits_a_burst_of_100_connections(shared: Running) -> None:
    assert shared.preview.httpd.request_queue_size >= 100
    results: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        status = get(shared.port, "/")[0]
        with lock:
            results.append(status)

    threads = [threading.Thread(target=one) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [200] * 100


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_kill_9_during_the_first_build_leaves_no_worker(tmp_path: Path) -> None:
    """Only the preview itself is killed (not its process group): its forked workers notice and end."""
    from brandsite.core import workers

    if workers.start_method() != "fork":  # spawned pools start from more work than 400 sources (workers.worth)
        pytest.skip("400 sources are read in one process when the pools spawn")
    root = write_site(tmp_path / "src")
    body = "支部立足审判职能，开展特色活动。" * 60 + "\n"
    for i in range(400):
        (root / "content" / "branches" / f"b{i:03d}.md").write_text(
            branch_md(f"测试品牌{i}号", f"b{i:03d}", "xuyi", "标语", body=body), encoding="utf-8")
    proc = _spawn("--root", str(root), "--port", "0", "--no-cache")
    try:
        _read_until(proc, "正在生成网站")
        assert wait_until(lambda: len(process_group(proc.pid)) > 1, timeout=30)  # workers are up
        proc.kill()
        proc.wait(10)
        assert wait_until(lambda: not process_group(proc.pid), timeout=20), process_group(proc.pid)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_build_into_the_folder_a_preview_serves_exits_2(tmp_path: Path) -> None:
    """One build at a time per output folder: a preview told to write site/ holds it until it stops."""
    root = write_site(tmp_path / "src")
    proc = _spawn("--root", str(root), "--out", str(root / "site"), "--port", "0")
    try:
        _read_until(proc, "预览地址")
        before = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")}
        r = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], cwd=REPO,
                           capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert r.returncode == 2, r.stderr
        assert "另一个生成或预览正在使用" in r.stderr and "Traceback" not in r.stderr
        assert {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")} == before
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], cwd=REPO,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr  # the preview's folder is ours: a build may use it afterwards
