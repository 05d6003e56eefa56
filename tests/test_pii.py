"""Tests of the personal-information scanner: what must be caught, and what must not be."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandsite.checks.pii import PiiRules, load_pii_rules, scan_text
from brandsite.core.diagnostics import Report

# --- helpers (independent of the implementation) -------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """Append the GB 11643 (ISO 7064 MOD 11-2) check character."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def bad_check(id_number: str) -> str:
    """The same number with a wrong check character."""
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def make_card(prefix: str, length: int) -> str:
    body = prefix.ljust(length - 1, "7")
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def scan(text: str, first_line: int = 1, rules: PiiRules | None = None) -> Report:
    report = Report()
    scan_text(text, "content/branches/a.md", first_line, report, rules or PiiRules())
    return report


def codes(report: Report) -> list[str]:
    return [d.code for d in report.items]


VALID_ID = make_id("11010519900307123")


def test_helpers_agree_with_a_published_example() -> None:
    # GB 11643-1999 appendix example
    assert make_id("11010519491231002") == "11010519491231002X"


# --- resident ID numbers --------------------------------------------------------------------


def test_valid_id_is_reported_masked() -> None:
    report = scan(f"联系人身份证号：{VALID_ID}，请核实")
    assert codes(report) == ["pii-id"]
    message = report.items[0].message
    assert f"110***{VALID_ID[-2:]}" in message
    assert VALID_ID not in message
    assert "<!-- pii: ok -->" in message


@pytest.mark.parametrize("variant", ["x", "X", "Ｘ"])
def test_id_with_x_check_character(variant: str) -> None:
    number = make_id("11010519491231002")
    assert number.endswith("X")
    assert codes(scan(number[:17] + variant)) == ["pii-id"]


def test_id_grouped_with_spaces_is_found() -> None:
    grouped = f"{VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}"
    assert codes(scan(f"身份证 {grouped}")) == ["pii-id"]


def test_full_width_digits_are_found() -> None:
    full_width = VALID_ID.translate({ord(str(i)): chr(0xFF10 + i) for i in range(10)})
    assert codes(scan(full_width)) == ["pii-id"]


def test_18_digit_number_with_bad_check_digit_is_not_flagged() -> None:
    assert scan(f"案件编号{bad_check(VALID_ID)}号").items == []


def test_18_digit_number_with_impossible_date_is_not_flagged() -> None:
    # correct check digit, but 2023-02-30 does not exist
    impossible = make_id("32083020230230001")
    assert scan(f"流水号 {impossible}").items == []
    # month 13
    assert scan(make_id("32083019901301001")).items == []
    # year 1850: no living person
    assert scan(make_id("32083018500101001")).items == []


def test_year_prefixed_serial_is_not_flagged() -> None:
    # File numbers like 2024 + court code + sequence: not an ID, not a card.
    for serial in ("202432083000012345", "2024320830000123456", "20243208300001234"):
        assert scan(f"（{serial}）").items == [], serial


def test_id_inside_longer_digit_run_is_not_flagged() -> None:
    assert scan(f"9{VALID_ID}").items == []
    assert scan(f"{VALID_ID}7").items == []
    assert scan(f"2024-{VALID_ID}").items == []


def test_id_that_also_passes_luhn_is_reported_once_as_id() -> None:
    number = next(
        n for n in (make_id(f"32083019900307{i:03d}") for i in range(1000)) if n[-1] != "X" and luhn_ok(n)
    )
    assert codes(scan(number)) == ["pii-id"]


# --- mobile numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "电话：13912345678。",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "手机19912345678联系",
    ],
)
def test_mobile_numbers_are_found(text: str) -> None:
    report = scan(text)
    assert codes(report) == ["pii-phone"]
    assert "***" in report.items[0].message


@pytest.mark.parametrize(
    "text",
    [
        "订单号 213800138000",  # 12 digits: part of a longer run
        "13800138000123",
        "12345678901",  # 12x is not a mobile prefix
        "10086",
        "0517-88888888",  # landline
        "12368诉讼服务热线",
    ],
)
def test_non_mobile_numbers_are_not_flagged(text: str) -> None:
    assert scan(text).items == []


def test_allowed_number_is_not_flagged() -> None:
    rules = PiiRules(frozenset({"138-0013-8000", "0517-88888888"}))
    assert scan("服务热线 13800138000，座机 0517-88888888", rules=rules).items == []
    assert scan("服务热线 138 0013 8000", rules=rules).items == []
    # another number on the same line is still reported
    assert codes(scan("13800138000 或 13900139000", rules=rules)) == ["pii-phone"]


# --- bank cards -----------------------------------------------------------------------------


@pytest.mark.parametrize("length", [16, 17, 18, 19])
def test_luhn_valid_card_is_found(length: int) -> None:
    card = make_card("622202", length)
    assert codes(scan(f"收款卡号：{card}")) == ["pii-bank"]


def test_card_grouped_in_fours_is_found() -> None:
    card = make_card("6222", 19)
    grouped = " ".join(card[i : i + 4] for i in range(0, 19, 4))
    assert grouped.count(" ") == 4
    report = scan(f"卡号 {grouped} 户名某某")
    assert codes(report) == ["pii-bank"]
    assert f"622***{card[-2:]}" in report.items[0].message


def test_luhn_invalid_long_number_is_not_flagged() -> None:
    card = make_card("622202", 16)
    broken = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert scan(broken).items == []


@pytest.mark.parametrize(
    "text",
    [
        "化解纠纷3.4万件，执行到位9337.42万元",
        "开展法治讲堂180余次，覆盖群众12000余人",
        "（2024）苏0830执1234号",
        "统一社会信用代码 11320000MB1234567X",
        "2024年1月1日至2024年12月31日",
        "电话 0517-88888888 转 8001",
        "共 1 2 3 4 5 6 7 8 9 0 1 2 项",
    ],
)
def test_ordinary_numbers_are_not_flagged(text: str) -> None:
    assert scan(text).items == []


def test_long_luhn_number_inside_longer_run_is_not_flagged() -> None:
    card = make_card("622202", 16)
    assert scan(card + "0000").items == []


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "advice"),
    [
        ("被告人张三因盗窃罪被判处有期徒刑", "被告人张三", "张某"),
        ("原告李四华诉称", "原告李四华", "李某"),
        ("当事人王五送来锦旗", "当事人王五", "王某"),
        ("申请执行人赵六", "申请执行人赵六", "赵某"),
        ("犯罪嫌疑人欧阳修，男", "犯罪嫌疑人欧阳修", "欧阳某"),
        ("被告人：刘大伟", "被告人刘大伟", "刘某"),
        ("被告人于海，男，1980年生", "被告人于海", "于某"),
        ("被上诉人孙小明", "被上诉人孙小明", "孙某"),
        ("當事人陳大文", "當事人陳大文", "陳某"),
        ("申請執行人張三", "申請執行人張三", "張某"),
        ("被執行人黃小強", "被執行人黃小強", "黃某"),
    ],
)
def test_full_names_after_role_words_are_found(text: str, shown: str, advice: str) -> None:
    report = scan(text)
    assert codes(report) == ["pii-name"]
    message = report.items[0].message
    assert f"“{shown}”" in message
    assert f"如“{advice}”" in message
    assert "按裁判文书公开规则，应保留姓氏、名字写作“某”" in message


@pytest.mark.parametrize(
    "text",
    [
        "被告人张某",
        "当事人李某某",
        "原告李某甲与被告王某乙",
        "被告人欧阳某",
        "申请人向本院申请强制执行",
        "当事人高度评价法官的工作",
        "当事人陈述了事实",
        "原告方律师认为",
        "被告于同日到庭",
        "被执行人于规定期限内履行",
        "当事人马上签收",
        "被告人曾因盗窃被判刑",
        "当事人任何时候都可以咨询",
        "原告江苏某建设公司",
        "当事人双方握手言和",
        "第三人民法院",
        "张三同志荣获先进个人",  # a name without a case role: not a party
        "法官张三主持调解",
    ],
)
def test_ordinary_text_is_not_flagged_as_names(text: str) -> None:
    assert scan(text).items == []


# --- marker, line numbers -------------------------------------------------------------------


def test_ok_marker_skips_only_its_line() -> None:
    text = f"示例身份证号 {VALID_ID} <!-- pii: ok -->\n被告人张三 <!--pii:ok-->\n13800138000"
    report = scan(text, first_line=5)
    assert [(d.line, d.code) for d in report.items] == [(7, "pii-phone")]


def test_line_numbers_are_exact() -> None:
    text = "第一行\n第二行\n被告人张三\n\n" + f"身份证{VALID_ID}\n"
    report = scan(text, first_line=10)
    assert sorted((d.line, d.code) for d in report.items) == [(12, "pii-name"), (14, "pii-id")]
    assert report.items[0].path == "content/branches/a.md"


def test_line_numbers_with_crlf() -> None:
    report = scan("a\r\nb\r\n13800138000\r\n", first_line=10)
    assert [d.line for d in report.items] == [12]


def test_several_findings_on_one_line_are_all_reported() -> None:
    report = scan(f"被告人张三，手机13800138000，身份证{VALID_ID}")
    assert sorted(codes(report)) == ["pii-id", "pii-name", "pii-phone"]
    assert all(d.severity.value == "error" for d in report.items)


def test_front_matter_yaml_text_is_scanned_as_text() -> None:
    front_matter = "brand: 法官妈妈\nsecretary: 刘某\ncontact: 13800138000\n"
    report = scan(front_matter, first_line=2)
    assert [(d.line, d.code) for d in report.items] == [(4, "pii-phone")]


# --- data/pii.yaml --------------------------------------------------------------------------


def test_missing_rules_file_means_nothing_allowed(tmp_path: Path) -> None:
    report = Report()
    rules = load_pii_rules(tmp_path / "data" / "pii.yaml", report)
    assert rules.allow == frozenset()
    assert report.items == []


def test_rules_file_is_loaded_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text('allow:\n  - "0517-88888888"\n  - "12368"\n  - 138 0013 8000\n', encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    assert report.items == []
    assert rules.allow == frozenset({"051788888888", "12368", "13800138000"})
    assert scan("请拨打 13800138000", rules=rules).items == []


def test_empty_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text("# 暂无\n", encoding="utf-8")
    report = Report()
    assert load_pii_rules(path, report).allow == frozenset()
    assert report.items == []


def test_malformed_yaml_is_reported_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text('allow:\n  - "0517-88888888\n  - 12368\n', encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    assert rules.allow == frozenset()
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.line >= 2
    assert "引号没有闭合" in error.message


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("allow: 这里应该是号码\n", 1),  # a single text is accepted, but has no digits
        ("allow:\n  a: 1\n", 2),
        ("- 0517-88888888\n", 1),
        ("allow:\n  - true\n", 2),
        ("allow:\n  - 12368\n  - 热线\n", 3),
    ],
)
def test_wrong_shapes_are_reported_at_their_line(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text(content, encoding="utf-8")
    report = Report()
    load_pii_rules(path, report)
    assert [e.line for e in report.errors] == [line]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in report.errors)


def test_unknown_key_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text('allow: ["12368"]\nallowed: ["13800138000"]\n', encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    assert rules.allow == frozenset({"12368"})
    assert report.errors == []
    assert [w.line for w in report.warnings] == [2]


# --- data/pii.yaml: disable ------------------------------------------------------------------

_ONE_OF_EACH = {
    "pii-phone": "电话 13800138000",
    "pii-id": "身份证 " + make_id("11010519491231002"),
    "pii-bank": "卡号 " + make_card("622202", 19),
    "pii-name": "被告人王小明到庭",
}


def _codes(text: str, rules: PiiRules) -> list[str]:
    report = Report()
    scan_text(text, "a.md", 1, report, rules)
    return [d.code for d in report.items]


@pytest.mark.parametrize(
    ("name", "code"), [("手机号", "pii-phone"), ("身份证号", "pii-id"), ("银行卡号", "pii-bank"), ("当事人姓名", "pii-name")]
)
def test_disable_with_a_reason_switches_off_exactly_that_check(tmp_path: Path, name: str, code: str) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text(f"disable:\n  - check: {name}\n    reason: 经审核可以公开\n", encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    assert report.items == []
    assert rules.off == frozenset({code})
    for other, text in _ONE_OF_EACH.items():
        assert _codes(text, rules) == ([] if other == code else [other]), (other, text)


def test_disable_as_one_mapping_and_together_with_allow(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text('allow: ["12368"]\ndisable:\n  check: 当事人姓名\n  reason: 历史案例均已公开\n', encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    assert report.items == []
    assert rules.off == frozenset({"pii-name"}) and rules.allow == frozenset({"12368"})


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("disable:\n  - check: 手机号\n", 2, "必须写明原因"),
        ("disable:\n  - check: 手机号\n    reason: \"  \"\n", 2, "必须写明原因"),
        ("disable:\n  - check: 手机号\n    reason: 公开电话\n  - check: 身份证号\n", 4, "“身份证号”"),
        ("disable:\n  - check: 电话号码\n    reason: 公开电话\n", 2, "身份证号、手机号、银行卡号、当事人姓名"),
        ("disable:\n  - 手机号\n", 2, "check: 和 reason:"),
        ("allow: []\ndisable:\n  check: 手机号\n", 3, "必须写明原因"),
    ],
)
def test_disable_without_a_reason_or_with_an_unknown_check_is_an_error_at_its_line(
    tmp_path: Path, content: str, line: int, words: str
) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text(content, encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    assert [(e.line, e.code) for e in report.errors] == [(line, "pii-config")]
    assert words in report.errors[0].message
    assert "pii-phone" not in rules.off or "公开电话" in content  # nothing is switched off without a reason
    assert _codes(_ONE_OF_EACH["pii-id"], rules) == ["pii-id"]


def test_an_empty_disable_switches_nothing_off(tmp_path: Path) -> None:
    path = tmp_path / "pii.yaml"
    path.write_text("disable:\n", encoding="utf-8")
    report = Report()
    assert load_pii_rules(path, report).off == frozenset()
    assert report.items == []


def test_a_broken_shipped_word_list_stops_with_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from brandsite.checks import pii

    broken = tmp_path / "pii.yaml"
    broken.write_text("roles:\n  - 原告\n  - 被告\nsingle_surnames： 王李\n", encoding="utf-8")
    monkeypatch.setattr(pii, "BUILTIN", broken)
    with pytest.raises(RuntimeError, match=r"pii\.yaml:4: "):
        pii._word_lists()
    good = tmp_path / "good.yaml"
    good.write_text("roles:\n  - 原告\nsingle_surnames: 王李\n", encoding="utf-8")
    monkeypatch.setattr(pii, "BUILTIN", good)
    assert pii._word_lists() == {"roles": ["原告"], "single_surnames": "王李"}
