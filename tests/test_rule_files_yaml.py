"""The site's rule files (data/terms.yaml, data/pii.yaml) are read through yamlio like every data/*.yaml.

An editor who types a full-width colon, indents with a tab, writes a key twice or saves the file
in GBK gets the same Chinese ``path:line: message`` with the fix as in data/site.yaml, from
``check`` and ``build``, never a traceback, and the rest of the file is still read where it can be.
"""

from __future__ import annotations

import pytest
from conftest import branch_text

MOBILE = "13912345678"

# (file, text, line, words the message must contain)
CASES = [
    ("terms.yaml", "- wrong: 扫黑险恶\n  right：扫黑除恶\n", 2, "全角冒号"),
    ("terms.yaml", "- wrong: 扫黑险恶\n\tright: 扫黑除恶\n", 2, "Tab"),
    ("terms.yaml", "- wrong: 扫黑险恶\n  right: 扫黑除恶\n  right: 扫黑出恶\n", 3, "重复出现（第一次在第 2 行）"),
    ("pii.yaml", "# 本院公开电话\nallow：\n  - \"12368\"\n", 2, "全角冒号"),
    ("pii.yaml", "allow:\n\t- \"12368\"\n", 2, "Tab"),
    ("pii.yaml", "allow:\n  - \"12368\"\nallow:\n  - \"0517-88888888\"\n", 3, "重复出现（第一次在第 1 行）"),
]


@pytest.mark.parametrize(("name", "text", "line", "words"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
@pytest.mark.parametrize("command", ["check", "build"])
def test_editor_mistakes_in_rule_files_come_back_as_chinese_path_line_messages(
    small_site, cli, command, name, text, line, words
):
    small_site.write(f"data/{name}", text)
    r = cli(command, "--root", small_site.root)
    assert r.code == 1
    assert "Traceback" not in r.out + r.err
    shown = [ln for ln in (r.out + r.err).splitlines() if f"data/{name}:{line}:" in ln]
    assert shown and words in shown[0], r.out + r.err


def test_a_repaired_full_width_colon_still_lets_the_rule_work(small_site, cli):
    """The pre-scan repairs the line in memory, so the rest of the file's rules run in the same check."""
    small_site.write("data/terms.yaml", "- wrong: 扫黑险恶\n  right：扫黑除恶\n")
    small_site.write("data/pii.yaml", f'allow：\n  - "{MOBILE}"\n')
    small_site.branch("story", branch_text("扫黑险恶", "xuyi", body=f"热线 {MOBILE}。\n"))
    r = cli("check", "--root", small_site.root)
    out = r.out + r.err
    assert "data/terms.yaml:2:" in out and "data/pii.yaml:1:" in out
    assert "应为“扫黑除恶”" in out  # the repaired rule still found the wrong form
    assert MOBILE[:3] + "****" not in out and "pii-phone" not in out  # the allowed number is not flagged


def test_a_gbk_rule_file_names_the_encoding_and_the_fix(small_site, cli):
    for name, text in (("terms.yaml", "- wrong: 扫黑险恶\n  right: 扫黑除恶\n"), ("pii.yaml", "allow: [\"12368\"]  # 热线\n")):
        small_site.write(f"data/{name}", text.encode("gbk"))
    r = cli("check", "--root", small_site.root)
    out = r.out + r.err
    assert r.code == 1 and "Traceback" not in out
    for name in ("terms.yaml", "pii.yaml"):
        (msg,) = [ln for ln in out.splitlines() if f"data/{name}:" in ln]
        assert "GBK" in msg and "UTF-8" in msg
