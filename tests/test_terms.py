"""Tests of the formulation check (严重表述错误) and of data/terms.yaml."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from brandsite.checks.terms import TermRule, TermRules, load_terms, scan_text
from brandsite.core.diagnostics import Report

STARTER = Path(__file__).resolve().parents[1] / "brandsite" / "checks" / "rules" / "terms.yaml"


def write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(content, encoding="utf-8")
    return path


def load(tmp_path: Path, content: str) -> tuple[TermRules, Report]:
    report = Report()
    return load_terms(write(tmp_path, content), report), report


def scan(text: str, rules: TermRules, first_line: int = 1) -> Report:
    report = Report()
    scan_text(text, "content/branches/a.md", first_line, report, rules)
    return report


@pytest.fixture(scope="module")
def starter() -> TermRules:
    report = Report()
    rules = load_terms(STARTER, report)
    assert report.items == [], report.lines()
    return rules


RULES = TermRules(
    (
        TermRule(("扫黑险恶",), "扫黑除恶", "固定提法"),
        TermRule(("两学一作",), "两学一做"),
        TermRule(("中国特色社会注意", "中国特色社会主意"), "中国特色社会主义"),
    )
)


# --- scanning -------------------------------------------------------------------------------


def test_wrong_form_is_reported_with_right_form_and_note() -> None:
    report = scan("深入开展扫黑险恶专项斗争", RULES)
    assert [(d.line, d.code, d.message) for d in report.items] == [
        (1, "term", "表述错误：“扫黑险恶”应为“扫黑除恶”（固定提法）")
    ]
    assert report.items[0].severity.value == "error"


def test_message_without_note() -> None:
    assert scan("两学一作", RULES).items[0].message == "表述错误：“两学一作”应为“两学一做”"


def test_traditional_variant_is_found_and_quoted_as_written() -> None:
    report = scan("深入開展掃黑險惡專項鬥爭，推進兩學一作", RULES)
    messages = sorted(d.message for d in report.items)
    assert messages == [
        "表述错误：“兩學一作”应为“两学一做”",
        "表述错误：“掃黑險惡”应为“扫黑除恶”（固定提法）",
    ]


def test_traditional_rule_matches_simplified_text() -> None:
    rules = TermRules((TermRule(("掃黑險惡",), "掃黑除惡"),))
    assert len(scan("扫黑险恶", rules).items) == 1
    assert scan("扫黑除恶 掃黑除惡", rules).items == []


def test_correct_forms_are_not_flagged() -> None:
    text = "常态化开展扫黑除恶斗争\n巩固“两学一做”成果\n坚持和发展中国特色社会主义\n掃黑除惡"
    assert scan(text, RULES).items == []


def test_line_numbers_are_exact() -> None:
    text = "第一行\n第二行\n这里写成了扫黑险恶\n\r\n兩學一作\n"
    report = scan(text, RULES, first_line=10)
    assert sorted(d.line for d in report.items) == [12, 14]


def test_every_occurrence_is_reported() -> None:
    report = scan("扫黑险恶、扫黑险恶，扫黑除恶", RULES)
    assert len(report.items) == 2


def test_longest_wrong_form_wins() -> None:
    rules = TermRules(
        (
            TermRule(("社会注意",), "社会主义"),
            TermRule(("中国特色社会注意",), "中国特色社会主义"),
        )
    )
    report = scan("坚持中国特色社会注意道路", rules)
    assert [d.message for d in report.items] == ["表述错误：“中国特色社会注意”应为“中国特色社会主义”"]


def test_wrong_form_inside_its_right_form_is_not_flagged() -> None:
    rules = TermRules((TermRule(("党的十九大",), "党的十九大精神"),))
    assert scan("学习贯彻党的十九大精神", rules).items == []
    report = scan("党的十九大胜利召开，学习党的十九大精神", rules)
    assert len(report.items) == 1
    # the wrong form may also sit in the middle of its right form
    rules = TermRules((TermRule(("法治",), "习近平法治思想"),))
    assert scan("学习习近平法治思想", rules).items == []


def test_shorter_wrong_form_still_found_after_a_skipped_right_form() -> None:
    rules = TermRules(
        (
            TermRule(("十九大精神",), "十九大精神实质"),
            TermRule(("十九大",), "二十大"),
        )
    )
    # at this spot the long wrong form is part of its right form, but 十九大 is still wrong
    assert [d.message for d in scan("十九大精神实质", rules).items] == ["表述错误：“十九大”应为“二十大”"]


def test_empty_rules_and_ascii_text() -> None:
    assert scan("扫黑险恶", TermRules()).items == []
    assert scan("plain ascii text\n", RULES).items == []


def test_scanning_is_fast() -> None:
    rules = TermRules(tuple(TermRule((f"错误写法{i}号",), f"正确写法{i}号") for i in range(500)))
    line = (
        "本院党支部坚持以习近平新时代中国特色社会主义思想为指导，深入推进全面从严治党，开展法治讲堂180余次。"
    )
    text = "\n".join([line] * 5000)
    started = time.perf_counter()
    assert scan(text, rules).items == []
    assert time.perf_counter() - started < 5


# --- the starter list -----------------------------------------------------------------------


def test_starter_list_loads_cleanly(starter: TermRules) -> None:
    assert len(starter.rules) >= 15


def test_starter_list_flags_each_wrong_form_and_no_right_form(starter: TermRules) -> None:
    for rule in starter.rules:
        assert scan(rule.right, starter).items == [], rule.right
        for wrong in rule.wrong:
            report = scan(f"我们要{wrong}。", starter)
            assert [d.code for d in report.items] == ["term"], wrong
            assert f"应为“{rule.right}”" in report.items[0].message


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("扫黑险恶", "扫黑除恶"),
        ("掃黑險惡", "扫黑除恶"),
        ("两学一作", "两学一做"),
        ("不忘出心、牢记使命", "不忘初心"),
        ("不忘初心、牢记使名", "牢记使命"),
        ("中国特色社会注意", "中国特色社会主义"),
        ("习近平新时代中国特社会主义思想", "习近平新时代中国特色社会主义思想"),
        ("人民法完", "人民法院"),
        ("党风廉正建设", "党风廉政建设"),
        ("一支部一品排", "一支部一品牌"),
        ("峰桥经验", "枫桥经验"),
        ("全面依法至国", "依法治国"),
        ("司法为明", "司法为民"),
        ("公平正意", "公平正义"),
    ],
)
def test_starter_list_examples(starter: TermRules, text: str, right: str) -> None:
    report = scan(text, starter)
    assert len(report.items) == 1
    assert f"应为“{right}”" in report.items[0].message


def test_starter_list_leaves_correct_court_text_alone(starter: TermRules) -> None:
    text = (
        "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
        "推进全面依法治国、全面从严治党和党风廉政建设，常态化开展扫黑除恶斗争，"
        "坚持和发展新时代“枫桥经验”，抓实诉源治理，落实“一支部一品牌”，司法为民、公正司法，"
        "努力让人民群众在每一个司法案件中感受到公平正义。不忘初心、牢记使命。人民法院。"
    )
    assert scan(text, starter).items == []


# --- loading --------------------------------------------------------------------------------


def test_missing_file_means_no_rules(tmp_path: Path) -> None:
    report = Report()
    rules = load_terms(tmp_path / "terms.yaml", report)
    assert rules.rules == ()
    assert report.items == []
    assert scan("扫黑险恶", rules).items == []


def test_empty_file_means_no_rules(tmp_path: Path) -> None:
    rules, report = load(tmp_path, "# 暂无规则\n")
    assert rules.rules == ()
    assert report.items == []


def test_valid_file_with_list_of_wrong_forms(tmp_path: Path) -> None:
    rules, report = load(
        tmp_path,
        "- wrong: 扫黑险恶\n  right: 扫黑除恶\n  note: 固定提法\n"
        "- wrong: [依法至国, 依法冶国]\n  right: 依法治国\n",
    )
    assert report.items == []
    assert rules.rules == (
        TermRule(("扫黑险恶",), "扫黑除恶", "固定提法", 1),
        TermRule(("依法至国", "依法冶国"), "依法治国", "", 4),
    )
    assert len(scan("依法冶国\n依法至国", rules).items) == 2


def test_malformed_yaml_is_reported(tmp_path: Path) -> None:
    rules, report = load(tmp_path, "- wrong: [扫黑险恶\n  right: 扫黑除恶\n")
    assert rules.rules == ()
    assert len(report.errors) == 1
    assert "方括号列表书写有误" in report.errors[0].message
    assert report.errors[0].line >= 1


def test_top_level_must_be_a_list(tmp_path: Path) -> None:
    rules, report = load(tmp_path, "wrong: 扫黑险恶\nright: 扫黑除恶\n")
    assert rules.rules == ()
    assert [e.line for e in report.errors] == [1]
    assert "列表" in report.errors[0].message


@pytest.mark.parametrize(
    ("bad_entry", "line", "needle"),
    [
        ("- wrong: 两学一作\n", 5, "缺少 right"),
        ("- right: 两学一做\n", 5, "缺少 wrong"),
        ("- 两学一作\n", 5, "格式错误"),
        ("- wrong: []\n  right: 两学一做\n", 5, "wrong 应为文字"),
        ("- right: 两学一做\n  wrong: [两学一作, 3]\n", 6, "wrong 应为文字"),  # at the field's own line
        ("- wrong: 两学一作\n  right: [两学一做]\n", 6, "实际为“[两学一做]”"),
        ("- wrong: 两学一作\n  right: 两学一做\n  note: [a]\n", 7, "note 应为文字"),
        ("- wrong: 两学一做\n  right: 两学一做\n", 5, "相同"),
        ("- wrong: 兩學一做\n  right: 两学一做\n", 5, "相同"),  # same after folding the script
    ],
)
def test_malformed_entry_is_reported_at_its_line(
    tmp_path: Path, bad_entry: str, line: int, needle: str
) -> None:
    content = "# 规则\n- wrong: 扫黑险恶\n  right: 扫黑除恶\n\n" + bad_entry
    rules, report = load(tmp_path, content)
    assert len(report.errors) == 1, report.lines()
    error = report.errors[0]
    assert error.line == line
    assert needle in error.message
    assert error.code == "term-config"
    # the good entry still works
    assert [r.right for r in rules.rules] == ["扫黑除恶"]


def test_right_form_containing_a_wrong_form_is_an_error(tmp_path: Path) -> None:
    # every correct 依法治国 would be flagged by the first entry
    content = "- wrong: 法治\n  right: 法制\n- wrong: 依法至国\n  right: 依法治国\n"
    _, report = load(tmp_path, content)
    assert [e.line for e in report.errors] == [3]
    assert "正确的文字也会被判为错误" in report.errors[0].message


def test_wrong_form_inside_own_right_form_is_accepted(tmp_path: Path) -> None:
    rules, report = load(tmp_path, "- wrong: 党的十九大\n  right: 党的十九大精神\n")
    assert report.items == []
    assert scan("党的十九大精神", rules).items == []


def test_same_wrong_form_with_two_right_forms_is_an_error(tmp_path: Path) -> None:
    content = "- wrong: 扫黑险恶\n  right: 扫黑除恶\n- wrong: 掃黑險惡\n  right: 扫黑除恶斗争\n"
    _, report = load(tmp_path, content)
    assert [e.line for e in report.errors] == [3]
    assert "第 1 行" in report.errors[0].message


def test_duplicate_entry_is_a_warning(tmp_path: Path) -> None:
    content = "- wrong: 扫黑险恶\n  right: 扫黑除恶\n- wrong: 扫黑险恶\n  right: 扫黑除恶\n"
    rules, report = load(tmp_path, content)
    assert report.errors == []
    assert [w.line for w in report.warnings] == [3]
    assert len(scan("扫黑险恶", rules).items) == 1


def test_unknown_field_is_a_warning(tmp_path: Path) -> None:
    rules, report = load(tmp_path, "- wrong: 扫黑险恶\n  right: 扫黑除恶\n  level: 严重\n")
    assert report.errors == []
    assert [w.line for w in report.warnings] == [3]
    assert len(rules.rules) == 1


def test_prefix_tree_finds_what_the_plain_alternation_finds():
    """The shipped rules' matcher (a prefix tree) against ``"|".join(longest first)``: the same
    hits on text made of wrong forms, their prefixes, their right forms and filler, in random order."""
    import random
    import re

    from brandsite.checks import terms

    rules, _ = terms.load_rule_sets(Path("/nonexistent/terms.yaml"), Report())
    words = rules._longest_first
    assert len(words) > 100
    plain = re.compile("|".join(map(re.escape, words)))
    rnd = random.Random(7)
    pieces = [*words, *(w[:-1] for w in words), *(w[1:] for w in words),
              *(rules._by_wrong[w][1] for w in words), "，", "的", "人民", "a"]
    for _ in range(30):
        text = "".join(rnd.choice(pieces) for _ in range(400))
        assert [(m.start(), m.group()) for m in rules._pattern.finditer(text)] == \
               [(m.start(), m.group()) for m in plain.finditer(text)]
        tree = rules.find(text)
        rules._pattern = plain
        assert rules.find(text) == tree
        rules._pattern = re.compile(terms.trie_pattern(words))
    assert terms.trie_pattern(["ab", "abcd", "ac", "b"]) == "(?:a(?:b(?:cd)?|c)|b)"  # longer first


# --- the shipped list plus data/terms.yaml (load_rule_sets) ---------------------------------------


def rule_sets(tmp_path: Path, content: str | None) -> tuple[TermRules, dict[str, int], Report]:
    from brandsite.checks.terms import load_rule_sets

    path = tmp_path / "data" / "terms.yaml"
    if content is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    report = Report()
    rules, counts = load_rule_sets(path, report)
    return rules, counts, report


def found(text: str, rules: TermRules) -> list[str]:
    return [d.message for d in scan(text, rules).items]


def test_without_a_site_file_the_shipped_list_applies(tmp_path: Path) -> None:
    shipped = load_terms(STARTER, Report())
    rules, counts, report = rule_sets(tmp_path, None)
    assert report.items == []
    assert counts == {"builtin": len(shipped.rules), "added": 0, "off": 0} and counts["builtin"] >= 300
    assert len(rules.rules) == len(shipped.rules)
    assert found("坚持以习近平法制思想为指导", rules) and found("不忘出心", rules)
    assert found("坚持习近平法治思想", rules) == []


def test_a_site_entry_is_added_to_the_shipped_list(tmp_path: Path) -> None:
    rules, counts, report = rule_sets(tmp_path, "- wrong: 枫桥经念\n  right: 枫桥经验\n")
    assert report.items == []
    assert counts["added"] == 1 and counts["off"] == 0
    assert len(rules.rules) == counts["builtin"] + 1
    assert found("坚持发展枫桥经念", rules) and found("习近平法制思想", rules)
    assert found("坚持发展枫桥经验", rules) == []


@pytest.mark.parametrize("named", ["习近平法治思想", "习近平法制思想", "習近平法治思想"])
def test_disable_drops_one_shipped_rule_by_its_right_or_wrong_form(tmp_path: Path, named: str) -> None:
    rules, counts, report = rule_sets(tmp_path, f"- disable: {named}\n  reason: 本院材料引用历史文献原文\n")
    assert report.items == []
    assert counts["off"] == 1 and len(rules.rules) == counts["builtin"] - 1
    assert found("习近平法制思想", rules) == []
    assert found("不忘出心", rules)  # every other shipped rule still applies


def test_disable_of_a_rule_not_shipped_is_an_error_at_its_line(tmp_path: Path) -> None:
    rules, counts, report = rule_sets(tmp_path, "- wrong: 枫桥经念\n  right: 枫桥经验\n- disable: 不存在的提法\n  reason: 测试\n")
    assert [(e.line, e.code) for e in report.errors] == [(3, "term-config")]
    assert "不存在的提法" in report.errors[0].message and "没有可关闭的规则" in report.errors[0].message
    assert counts["off"] == 0 and len(rules.rules) == counts["builtin"] + 1


def test_a_site_entry_the_list_already_has_is_a_warning_not_a_second_rule(tmp_path: Path) -> None:
    rules, counts, report = rule_sets(tmp_path, "- wrong: [习近平法制思想, 枫桥经念]\n  right: 习近平法治思想\n")
    assert [(w.line, "可以删除" in w.message, "习近平法制思想" in w.message) for w in report.warnings] == [(1, True, True)]
    assert report.errors == []
    assert counts["added"] == 1  # the new wrong form is kept, the shipped one is not added twice
    assert [d.line for d in scan("习近平法制思想", rules).items] == [1] and len(scan("习近平法制思想", rules).items) == 1


def test_a_site_entry_that_contradicts_the_list_is_an_error(tmp_path: Path) -> None:
    _rules, counts, report = rule_sets(tmp_path, "\n- wrong: 习近平法制思想\n  right: 习近平法制理论\n")
    assert [(e.line, e.code) for e in report.errors] == [(2, "term-config")]
    assert "对应“习近平法治思想”" in report.errors[0].message and "disable: 习近平法治思想" in report.errors[0].message
    assert counts["added"] == 0


def test_a_site_wrong_form_inside_a_correct_text_is_an_error(tmp_path: Path) -> None:
    _rules, _counts, report = rule_sets(tmp_path, "- wrong: 法治思\n  right: 法治思维\n")
    assert [e.line for e in report.errors] == [1]
    assert "是内置正确写法“习近平法治思想”的一部分" in report.errors[0].message


def test_a_site_right_form_containing_a_wrong_form_is_an_error(tmp_path: Path) -> None:
    _rules, _counts, report = rule_sets(tmp_path, "- wrong: 审判流城\n  right: 坚持习近平法制思想的审判流程\n")
    assert [e.line for e in report.errors] == [1]
    assert "正确写法“坚持习近平法制思想的审判流程”中含有错误写法“习近平法制思想”" in report.errors[0].message


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("- disable: 习近平法治思想\n", 1, "必须写明原因"),
        ("- wrong: 枫桥经念\n  right: 枫桥经验\n- disable: 习近平法治思想\n  reason: \"  \"\n", 3, "必须写明原因"),
        ("- disable:\n  reason: 测试\n", 1, "disable 后面写要关闭的内置规则的正确写法"),
        ("- disable: [习近平法治思想]\n  reason: 测试\n", 1, "disable 后面写要关闭的内置规则的正确写法"),
    ],
)
def test_disable_needs_a_rule_and_a_reason(tmp_path: Path, content: str, line: int, words: str) -> None:
    rules, counts, report = rule_sets(tmp_path, content)
    assert [(e.line, e.code) for e in report.errors] == [(line, "term-config")]
    assert words in report.errors[0].message
    assert counts["off"] == 0 and found("习近平法制思想", rules)  # nothing is switched off without a reason
