"""Pinned behaviour of the formulation check and of ``data/terms.yaml``.

A wrong formulation that slips through fails a government website inspection; a rule file
mistake that silently disables later rules is worse than a crash. These tables were written
against mutation testing (``tools/mutation.sh terms``): several findings on one line in both
orders, a wrong form after a right one, longest rule first, a malformed entry in the middle,
and the exact line, entry number, code and wording of every diagnostic. Which rules ship is
left to ``test_terms.py``. Survivors judged equivalent: ``tests/mutation-equivalent.md``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import branch_text, make_site

from brandsite.checks.terms import TermRule, TermRules, load_terms, scan_text
from brandsite.core.diagnostics import Report

HINT = "每条写作“- wrong: 错误写法”“  right: 正确写法”"


def rules_of(*pairs: tuple[str | tuple[str, ...], str]) -> TermRules:
    return TermRules(tuple(TermRule(w if isinstance(w, tuple) else (w,), r) for w, r in pairs))


def found(text: str, rules: TermRules, first_line: int = 1) -> list[tuple[int, str, str]]:
    report = Report()
    scan_text(text, "content/branches/a.md", first_line, report, rules)
    return [(d.line, d.code, d.message) for d in report.items]


def load(tmp_path: Path, content: str | bytes) -> tuple[TermRules, list[tuple[int, str, str, str]]]:
    path = tmp_path / "terms.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    report = Report()
    rules = load_terms(path, report)
    return rules, [(d.line, d.severity.value, d.code, d.message) for d in report.items]


SHIJIUDA = rules_of(("党的十九大", "党的十九大精神"), ("扫黑险恶", "扫黑除恶"))


# --- matching ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学习党的十九大精神，党的十九大胜利召开", ["党的十九大"]),  # a wrong form after a right one
        ("党的十九大胜利召开，学习党的十九大精神", ["党的十九大"]),
        ("扫黑险恶，党的十九大", ["扫黑险恶", "党的十九大"]),
        ("党的十九大，扫黑险恶", ["党的十九大", "扫黑险恶"]),
        ("党的十九大精神党的十九大精神", []),
    ],
)
def test_findings_on_one_line_in_both_orders(text: str, expected: list[str]) -> None:
    right = {"党的十九大": "党的十九大精神", "扫黑险恶": "扫黑除恶"}
    assert found(text, SHIJIUDA, 4) == [(4, "term", f"表述错误：“{w}”应为“{right[w]}”") for w in expected]


def test_wrong_form_overlapping_a_correct_one_is_found() -> None:
    rules = rules_of(("甲乙", "甲乙丙"), ("乙丙丁", "乙丙戊"))
    assert rules.find("甲乙丙丁") == [(1, 4, rules.rules[1])]
    assert rules.find("甲乙丙") == []


def test_longest_wrong_form_wins() -> None:
    rules = rules_of(("全面依法至", "全面依法治"), ("全面依法至国", "全面依法治国"))
    assert found("坚持全面依法至国", rules) == [(1, "term", "表述错误：“全面依法至国”应为“全面依法治国”")]
    assert found("全面依法至理", rules) == [(1, "term", "表述错误：“全面依法至”应为“全面依法治”")]


def test_shorter_wrong_form_inside_a_longer_correct_one_mid_line() -> None:
    """A rule set whose right form contains another wrong form (reported by load_terms) still scans."""
    rules = rules_of(("党的十九大", "党的十九大精神"), ("党的十九", "党的十九届"))
    assert rules.find("学习党的十九大精神") == [(2, 6, rules.rules[1])]


@pytest.mark.parametrize("right", ["甲乙甲", "甲甲乙", "甲乙甲乙甲"])
def test_right_form_holding_its_wrong_form_several_times(right: str) -> None:
    """Every occurrence of the wrong form inside a correct text is recognised as correct."""
    rules = rules_of(("甲", right))
    assert rules.find(right) == []
    assert rules.find("乙" + right + "丙") == []
    assert rules.find("乙甲") == [(1, 2, rules.rules[0])]


def test_empty_or_self_correct_wrong_forms_are_ignored() -> None:
    rules = TermRules((TermRule(("", "甲"), "甲"),))
    assert rules.find("甲乙") == []
    assert found("甲乙", rules) == []


def test_crlf_and_blank_lines_keep_line_numbers() -> None:
    text = "第一行\r\n\r\n扫黑险恶\r\n"
    assert found(text, SHIJIUDA, 10) == [(12, "term", "表述错误：“扫黑险恶”应为“扫黑除恶”")]


def test_traditional_text_is_quoted_as_written() -> None:
    assert found("掃黑險惡", SHIJIUDA) == [(1, "term", "表述错误：“掃黑險惡”应为“扫黑除恶”")]


def test_note_is_shown_after_the_message() -> None:
    rule = TermRule(("两学一作",), "两学一做", "固定提法")
    assert rule.message("两学一作") == "表述错误：“两学一作”应为“两学一做”（固定提法）"


# --- data/terms.yaml ----------------------------------------------------------------------------------

def test_malformed_entry_in_the_middle_keeps_every_later_rule(tmp_path: Path) -> None:
    rules, diags = load(tmp_path, "- wrong: 扫黑险恶\n  right: 扫黑除恶\n- 坏条目\n- wrong: 两学一作\n  right: 两学一做\n")
    assert [(r.wrong, r.right, r.line) for r in rules.rules] == [(("扫黑险恶",), "扫黑除恶", 1), (("两学一作",), "两学一做", 4)]
    assert diags == [(3, "error", "term-config", f"第 2 条格式错误：{HINT}")]


def test_wrong_equal_to_right_keeps_later_rules(tmp_path: Path) -> None:
    rules, diags = load(
        tmp_path,
        "- wrong: 扫黑险恶\n  right: 扫黑除恶\n- wrong: [两学一做, 两学一座]\n  right: 两学一做\n- wrong: 两学一作\n  right: 两学一做\n",
    )
    assert [(r.wrong, r.line) for r in rules.rules] == [(("扫黑险恶",), 1), (("两学一座",), 3), (("两学一作",), 5)]
    assert diags == [(3, "error", "term-config", "第 2 条：错误写法“两学一做”与正确写法“两学一做”相同")]


def test_duplicates_and_conflicts_name_the_earlier_line(tmp_path: Path) -> None:
    rules, diags = load(
        tmp_path,
        "- wrong: 甲乙\n  right: 甲丙\n- wrong: [甲乙, 乙丁]\n  right: 甲丁\n- wrong: [甲乙, 乙戊]\n  right: 甲丙\n- wrong: 戊\n  right: 己\n",
    )
    assert [(r.wrong, r.right, r.line) for r in rules.rules] == [
        (("甲乙",), "甲丙", 1), (("乙丁",), "甲丁", 3), (("乙戊",), "甲丙", 5), (("戊",), "己", 7),
    ]
    assert diags == [
        (3, "error", "term-config", "第 2 条：错误写法“甲乙”在第 1 行已对应正确写法“甲丙”，同一错误写法不能对应两种正确写法"),
        (5, "warning", "term-config", "第 3 条：错误写法“甲乙”与第 1 行重复"),
    ]


def test_right_form_containing_a_wrong_form(tmp_path: Path) -> None:
    _, diags = load(tmp_path, "- wrong: 甲\n  right: 乙\n- wrong: 丙\n  right: 丁甲\n")
    assert diags == [
        (3, "error", "term-config",
         "正确写法“丁甲”中含有第 1 行规定的错误写法“甲”，按此规则正确的文字也会被判为错误，请修改其中一条"),
    ]


def test_every_entry_mistake_at_its_own_line(tmp_path: Path) -> None:
    rules, diags = load(
        tmp_path,
        '- wrong: [a, {x: 1, y: 2}]\n  right: [b]\n  note: 3\n  foo: 1\n- right: x\n- wrong: y\n- {wrong: "", right: z}\n'
        "- wrong: 两学一作\n  right: 两学一做\n  note: [固定提法]\n",
    )
    assert rules.rules == ()  # an entry with any mistake is left out whole
    assert diags == [
        (4, "warning", "term-config", "第 1 条：未知字段“foo”，已忽略（只支持 wrong、right、note）"),
        (1, "error", "term-config", "第 1 条：wrong 应为文字或文字列表，且不能为空，实际为“[a, {x: 1, y: 2}]”"),
        (2, "error", "term-config", "第 1 条：right 应为一个非空的文字，实际为“[b]”"),
        (3, "error", "term-config", "第 1 条：note 应为文字，实际为“3”"),
        (5, "error", "term-config", f"第 2 条缺少 wrong（错误写法）：{HINT}"),
        (6, "error", "term-config", f"第 3 条缺少 right（正确写法）：{HINT}"),
        (7, "error", "term-config", "第 4 条：wrong 应为文字或文字列表，且不能为空，实际为“”"),
        (10, "error", "term-config", "第 5 条：note 应为文字，实际为“[固定提法]”"),
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{wrong: [两学一作, ""], right: 两学一做}', "第 1 条：wrong 应为文字或文字列表，且不能为空，实际为“[两学一作, ]”"),
        ('{wrong: 两学一作, right: " "}', "第 1 条：right 应为一个非空的文字，实际为“ ”"),
        ("{wrong: 两学一作, right: 两学一做, note: 3}", "第 1 条：note 应为文字，实际为“3”"),
    ],
)
def test_an_entry_with_one_bad_field_is_left_out(tmp_path: Path, entry: str, message: str) -> None:
    rules, diags = load(tmp_path, f"- {entry}\n- wrong: 扫黑险恶\n  right: 扫黑除恶\n")
    assert [r.wrong for r in rules.rules] == [("扫黑险恶",)]
    assert diags == [(1, "error", "term-config", message)]


def test_unknown_field_that_is_a_number_is_reported_at_its_line(tmp_path: Path) -> None:
    """yamlio keeps every key as written (text), so a key "1" is found at its own line, not its entry's."""
    rules, diags = load(tmp_path, "- wrong: 两学一作\n  right: 两学一做\n  1: x\n")
    assert len(rules) == 1
    assert diags == [(3, "warning", "term-config", "第 1 条：未知字段“1”，已忽略（只支持 wrong、right、note）")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("wrong: x\n", (1, "term-config", f"格式错误：提法规则应为列表，{HINT}")),
        ("- [1\n", (2, "yaml", "方括号列表书写有误：应写成 [甲, 乙]，用英文逗号分隔并以 ] 结束")),
        ('"a\n', (2, "yaml", "引号没有闭合：请检查这一行的引号是否成对（使用英文引号）")),
    ],
)
def test_file_level_mistakes(tmp_path: Path, content: str, expected: tuple[int, str, str]) -> None:
    """YAML mistakes come from yamlio, with the fix data/*.yaml gets; the shape is this file's own check."""
    rules, diags = load(tmp_path, content)
    assert len(rules) == 0
    assert diags == [(expected[0], "error", expected[1], expected[2])]


def test_unreadable_file_is_reported_for_the_whole_file(tmp_path: Path) -> None:
    rules, diags = load(tmp_path, b"- wrong: \xb5\n")
    assert len(rules) == 0
    assert [(line, sev, code) for line, sev, code, _ in diags] == [(1, "error", "encoding")]
    assert diags[0][3].startswith("文件不是 UTF-8 编码")


def test_control_character_is_reported_for_the_whole_file(tmp_path: Path) -> None:
    """PyYAML's reader errors carry only a position: yamlio turns it into the line and names the character."""
    rules, diags = load(tmp_path, '# 说明\n- wrong: "1\x01"\n')
    assert len(rules) == 0
    assert diags == [(2, "error", "yaml", "这一行含有不可见的控制字符（U+0001）：请删除它，或重新输入这一行")]


def test_bom_file_loads(tmp_path: Path) -> None:
    rules, diags = load(tmp_path, "\ufeff- wrong: 扫黑险恶\n  right: 扫黑除恶\n")
    assert diags == [] and [r.line for r in rules.rules] == [1]


def test_check_reports_the_bad_entry_and_still_applies_later_rules(tmp_path: Path, cli) -> None:
    site = make_site(tmp_path / "src")
    site.write("data/terms.yaml", "- 坏条目\n- wrong: 两学一作\n  right: 两学一做\n")
    site.branch("a", branch_text("法官妈妈", "xuyi", body="支部开展两学一作学习。\n"))
    run = cli("check", "--root", site.root)
    assert run.code == 1
    assert f"data/terms.yaml:1: 第 1 条格式错误：{HINT}" in run.text
    assert "content/branches/a.md:6: 表述错误：“两学一作”应为“两学一做”" in run.text
