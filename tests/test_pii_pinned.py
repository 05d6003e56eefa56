"""Pinned behaviour of the personal-information scanner and of ``data/pii.yaml``.

A missed ID or phone number is published on an official website; a wrong line or code in a
diagnostic sends the editor to the wrong place. These tables were written against mutation
testing (``tools/mutation.sh pii``): boundaries of the ID date check, several findings on one
line in both orders, a bad allow entry in the middle, the exact line, code and wording of each
diagnostic, and table tests for the module-level patterns and word lists mutmut cannot change.
Survivors judged equivalent are listed in ``tests/mutation-equivalent.md``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import branch_text, make_site

from brandsite.checks.pii import PiiRules, id_check_digit, load_pii_rules, scan_text
from brandsite.core.diagnostics import Report

FIX = "请删除，或确需公开时在该行末尾加 <!-- pii: ok -->"
PHONE_TAIL = "（单位对外公开的电话可加入 data/pii.yaml 的 allow 列表）"
PATH = "content/branches/a.md"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """GB 11643 check character, computed independently of the module."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in reversed(number)]
    return sum(d if i % 2 == 0 else (2 * d if d < 5 else 2 * d - 9) for i, d in enumerate(digits)) % 10 == 0


def make_card(body: str) -> str:
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def find(text: str, rules: PiiRules | None = None, first_line: int = 1) -> list[tuple[int, str, str]]:
    report = Report()
    scan_text(text, PATH, first_line, report, rules or PiiRules())
    return [(d.line, d.code, d.message) for d in report.items]


def id_msg(number: str) -> str:
    return f"发现身份证号 {number[:3]}***{number[-2:]}，属于个人信息，不得公开：{FIX}"


def phone_msg(number: str) -> str:
    return f"发现手机号 {number[:3]}***{number[-2:]}，属于个人信息，不得公开：{FIX}{PHONE_TAIL}"


def card_msg(number: str) -> str:
    return f"发现疑似银行卡号 {number[:3]}***{number[-2:]}，属于个人信息，不得公开：{FIX}"


def name_msg(role: str, name: str, surname: str) -> str:
    return (
        f"“{role}{name}”疑似写出了当事人全名：按裁判文书公开规则，应保留姓氏、名字写作“某”，"
        f"如“{surname}某”；确需公开时在该行末尾加 <!-- pii: ok -->"
    )


PHONE = "13812345678"
CARD = make_card("622202123456789")  # 16 digits, UnionPay prefix
ID_X = next(make_id(f"32010219850615{n:03d}") for n in range(1000) if make_id(f"32010219850615{n:03d}").endswith("X"))


# --- ID numbers: the date check's boundaries --------------------------------------------------

@pytest.mark.parametrize("born", ["19900310", "19900320", "19900330", "19000101", "20991231", "20000229"])
def test_ids_born_on_boundary_dates_are_found(born: str) -> None:
    number = make_id(f"110105{born}123")
    assert find(f"身份证号{number}。", first_line=7) == [(7, "pii-id", id_msg(number))]


@pytest.mark.parametrize("born", ["19900230", "19901301", "19900001", "19900100", "19010229"])
def test_ids_with_impossible_dates_are_not_found(born: str) -> None:
    assert find(f"编号{make_id(f'110105{born}123')}。") == []


def test_lowercase_x_is_shown_as_capital_x() -> None:
    assert find(f"号码{ID_X.lower()}") == [(1, "pii-id", id_msg(ID_X))]


def test_check_digit_needs_exactly_17_digits() -> None:
    assert id_check_digit("11010519491231002") == "X"
    for wrong in ("1101051949123100", "110105194912310021"):
        with pytest.raises(ValueError):
            id_check_digit(wrong)


# --- several findings on one line, both orders ---------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{ID_X}+86{PHONE}", [("pii-id", id_msg(ID_X)), ("pii-phone", phone_msg(PHONE))]),  # touching spans
        (f"电话{PHONE}，卡号{CARD}", [("pii-phone", phone_msg(PHONE)), ("pii-bank", card_msg(CARD))]),
        (f"卡号{CARD}，电话{PHONE}", [("pii-phone", phone_msg(PHONE)), ("pii-bank", card_msg(CARD))]),
        (f"卡号{CARD}，另一张{make_card('955880123456789')}",
         [("pii-bank", card_msg(CARD)), ("pii-bank", card_msg(make_card("955880123456789")))]),
    ],
)
def test_every_finding_on_one_line_is_reported(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(code, msg) for _, code, msg in find(text)] == expected


def test_real_card_after_a_rejected_long_number_is_found() -> None:
    not_a_card = "2024" + "0" * 12  # 16 digits, year-prefixed file number
    bad_luhn = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    for first in (not_a_card, bad_luhn):
        assert find(f"文号{first}，卡号{CARD}") == [(1, "pii-bank", card_msg(CARD))]


def test_real_phone_after_an_allowed_one_is_found() -> None:
    rules = PiiRules(frozenset({"13900001111"}))
    assert find(f"热线13900001111，当事人{PHONE}", rules) == [(1, "pii-phone", phone_msg(PHONE))]


def test_allowed_phone_is_not_reported_in_any_written_form() -> None:
    rules = PiiRules(frozenset({"138 1234 5678"}))
    assert find(f"热线{PHONE}，或+86{PHONE}，或0086-138-1234-5678", rules) == []


def test_allow_entry_with_country_code_covers_only_that_form() -> None:
    rules = PiiRules(frozenset({"+86 13812345678"}))
    assert find(f"+86{PHONE}", rules) == []
    assert find(PHONE, rules) == [(1, "pii-phone", phone_msg(PHONE))]


@pytest.mark.parametrize(
    "number",
    [
        "5555555555554444",  # published Mastercard test number: a 5 doubled is 10, which counts as 1
        "4111111111111111",
        "6011000990139424",
        "3530111333300000",
    ],
)
def test_luhn_table(number: str) -> None:
    assert find(f"卡号{number}") == [(1, "pii-bank", card_msg(number))]
    wrong = number[:-1] + str((int(number[-1]) + 5) % 10)
    assert find(f"卡号{wrong}") == []


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("当事人陈述了事实，被告人张三认罪", [("被告人", "张三", "张")]),
        ("申请人向本院申请，被告人于海，男", [("被告人", "于海", "于")]),
        ("被告人张三因盗窃被判刑", [("被告人", "张三", "张")]),
        ("原告李四、被告王五到庭", [("原告", "李四", "李"), ("被告", "王五", "王")]),
        ("被告王五、原告李四到庭", [("被告", "王五", "王"), ("原告", "李四", "李")]),
        ("被告人欧阳小明认罪", [("被告人", "欧阳小明", "欧阳")]),
        ("當事人張三到庭", [("當事人", "張三", "張")]),
    ],
)
def test_names_found_exactly(text: str, found: list[tuple[str, str, str]]) -> None:
    assert find(text, first_line=3) == [(3, "pii-name", name_msg(*f)) for f in found]


def test_unrelated_html_comment_does_not_hide_the_line() -> None:
    number = make_id("11010519900307123")
    assert find(f"<!-- 注释 --> 身份证{number}") == [(1, "pii-id", id_msg(number))]
    assert find(f"身份证{number} <!-- pii: ok -->") == []


# --- tables for what mutation testing cannot reach -----------------------------------------------

@pytest.mark.parametrize(
    "role",
    ["原告", "被告", "被告人", "当事人", "申请人", "被申请人", "申请执行人", "被执行人", "犯罪嫌疑人",
     "上诉人", "被上诉人", "第三人", "罪犯"],
)
def test_every_role_word_is_recognised(role: str) -> None:
    assert find(f"{role}张三到庭") == [(1, "pii-name", name_msg(role, "张三", "张"))]


@pytest.mark.parametrize("surname", list("王李张刘陈杨黄赵吴郭罗郑梁宋唐韩冯曹彭邓胡朱孙徐"))
def test_common_surnames_are_recognised(surname: str) -> None:
    assert find(f"被告人{surname}建国到庭") == [(1, "pii-name", name_msg("被告人", f"{surname}建国", surname))]


@pytest.mark.parametrize("surname", ["欧阳", "司马", "诸葛", "上官", "皇甫", "公孙", "慕容", "司徒", "令狐"])
def test_double_surnames_are_recognised(surname: str) -> None:
    assert find(f"被告人{surname}明到庭") == [(1, "pii-name", name_msg("被告人", f"{surname}明", surname))]


@pytest.mark.parametrize(
    "text",
    ["原告方律师到庭", "被告方认为", "当事人何时到庭", "申请人向本院申请", "被告人于2019年", "当事人高度评价",
     "被告人张某到庭", "被告人欧阳某到庭", "被告人李某甲到庭", "当事人陈述意见", "原告江苏某公司", "被告东方电气公司"],
)
def test_word_lists_keep_ordinary_text_quiet(text: str) -> None:
    assert find(text) == []


@pytest.mark.parametrize(
    "text",
    ["110105 19900307 1234", "110105-19900307-1234", "１１０１０５１９９００３０７１２３４"],
)
def test_id_pattern_accepts_the_usual_groupings(text: str) -> None:
    number = make_id("11010519900307123")
    written = text[:-1] + number[-1] if text.isascii() else text[:-1] + chr(0xFF10 + int(number[-1]))
    assert [code for _, code, _ in find(f"证件{written}")] == ["pii-id"]


@pytest.mark.parametrize(
    "text",
    [f"案号{make_id('11010519900307123')}8", f"序号1{make_id('11010519900307123')}", f"编号{PHONE}-1", f"编号9-{PHONE}"],
)
def test_numbers_inside_longer_runs_are_left_alone(text: str) -> None:
    assert find(text) == []


# --- data/pii.yaml: exact line, code and wording ----------------------------------------------------

def load(tmp_path: Path, text: str | bytes) -> tuple[PiiRules, list[tuple[int, str, str, str]]]:
    path = tmp_path / "pii.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    report = Report()
    rules = load_pii_rules(path, report)
    return rules, [(d.line, d.severity.value, d.code, d.message) for d in report.items]


def test_a_bad_entry_in_the_middle_keeps_every_later_entry(tmp_path: Path) -> None:
    rules, found = load(tmp_path, 'allow:\n  - "12368"\n  - true\n  - "无"\n  - 1.5\n  - "0517-88888888"\n')
    assert rules.allow == {"12368", "051788888888"}
    assert found == [
        (3, "error", "pii-config", "allow 第 2 项应为号码（文字），实际为“True”"),
        (4, "error", "pii-config", "allow 第 3 项“无”不含数字，不是号码"),
        (5, "error", "pii-config", "allow 第 4 项应为号码（文字），实际为“1.5”"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("allow: [1, 2\n", [(2, "error", "yaml", "方括号列表书写有误：应写成 [甲, 乙]，用英文逗号分隔并以 ] 结束")]),
        ("- 1\n", [(1, "error", "pii-config", '格式错误：应为 allow: ["0517-88888888", "12368"] 这样的写法')]),
        ("allow: true\n", [(1, "error", "pii-config", 'allow 应为号码列表，如 allow: ["0517-88888888", "12368"]')]),
        ("\nallow: {a: 1}\n", [(2, "error", "pii-config", 'allow 应为号码列表，如 allow: ["0517-88888888", "12368"]')]),
        ("allow: 无\n", [(1, "error", "pii-config", "allow 第 1 项“无”不含数字，不是号码")]),
        ("allow: [12368]\nfoo: 1\n", [(2, "warning", "pii-config", "未知字段“foo”，已忽略（只支持 allow 和 disable）")]),
    ],
)
def test_config_diagnostics(tmp_path: Path, text: str, expected: list[tuple[int, str, str, str]]) -> None:
    assert load(tmp_path, text)[1] == expected


def test_unreadable_config_is_reported_for_the_whole_file(tmp_path: Path) -> None:
    rules, found = load(tmp_path, 'allow: ["\xb5\xe7"]\n'.encode("latin-1"))
    assert rules.allow == frozenset()
    assert [(line, sev, code) for line, sev, code, _ in found] == [(1, "error", "encoding")]
    assert found[0][3].startswith("文件不是 UTF-8 编码，看起来是 GBK/GB18030")


def test_config_with_a_control_character_is_reported_for_the_whole_file(tmp_path: Path) -> None:
    """PyYAML's reader errors carry only a position: yamlio turns it into the line and names the character."""
    rules, found = load(tmp_path, '# 白名单\nallow: ["1\x01"]\n')
    assert rules.allow == frozenset()
    assert found == [(2, "error", "yaml", "这一行含有不可见的控制字符（U+0001）：请删除它，或重新输入这一行")]


def test_config_with_a_number_as_key_is_a_warning(tmp_path: Path) -> None:
    rules, found = load(tmp_path, "allow: [12368]\n1: x\n")
    assert rules.allow == {"12368"}
    assert [(sev, code, msg) for _, sev, code, msg in found] == [
        ("warning", "pii-config", "未知字段“1”，已忽略（只支持 allow 和 disable）")
    ]


def test_config_with_bom_and_scalar_entry(tmp_path: Path) -> None:
    assert load(tmp_path, '\ufeffallow: "0517-8888 8888"\n') == (PiiRules(frozenset({"051788888888"})), [])


def test_check_reports_a_pii_config_mistake_and_still_applies_the_good_entries(tmp_path: Path, cli) -> None:
    site = make_site(tmp_path / "src")
    site.write("data/pii.yaml", 'allow:\n  - 无号码\n  - "13900001111"\n')
    site.branch("a", branch_text("法官妈妈", "xuyi", body="咨询热线13900001111。\n"))
    run = cli("check", "--root", site.root)
    assert run.code == 1
    assert "data/pii.yaml:2: allow 第 1 项“无号码”不含数字，不是号码" in run.text
    assert "content/branches/a.md" not in run.text  # the allowed number is no finding
