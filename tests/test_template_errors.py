"""A mistake in a site's own theme template is an editor-facing error, not a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "template",
    [
        '{% extends "base.html" %}\n{% block content %}\n{{ page.nosuch.attr }}\n{% endblock %}\n',  # runtime
        '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n',  # syntax
    ],
)
def test_broken_override_template_reports_file_and_line(tmp_path: Path, template: str) -> None:
    root = tmp_path / "src"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "data", root / "data")
    override = root / "themes" / "default" / "templates" / "page.html"
    override.parent.mkdir(parents=True)
    override.write_text(template, encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("old site", encoding="utf-8")
    (out / ".brandsite-output").write_text("", encoding="utf-8")  # a site an earlier build wrote
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "themes/default/templates/page.html:3: 主题模板出错" in r.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "old site"  # previous site untouched
