"""The publishing scans search each file's whole text once and check only the lines that can
hold a finding (issue 14, ``checks/linefilter.py``): the formulation matcher split by first
character, the personal-information patterns over the whole text, the leftover gate with a
literal first character in every branch. Their findings (rule, line, quote, order, message)
must be exactly those of the plain per-line scans, kept here: on text built to trip them, on
every file of the sample and of the 1,000-branch bench corpus, and on that corpus with wrong
forms and personal information written into it."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brandsite.checks import leftovers, linefilter, pii, publishcheck, terms
from brandsite.content.sources import decode
from brandsite.core import script
from brandsite.core.diagnostics import Diagnostic, Report

# --- the plain scans, as they were before the whole-text search ----------------------------


def plain_terms(text: str, path: str, first_line: int, report: Report, rules: terms.TermRules,
                folded: list[str] | None = None) -> None:
    """``terms.scan_text`` as first written: the one prefix-tree matcher called on every line."""
    if rules._pattern is None:
        return
    for offset, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        if not line:
            continue
        for start, end, rule in rules.find(terms.fold(line) if folded is None else folded[offset]):
            report.error(path, first_line + offset, rule.message(line[start:end]), "term")


def plain_pii(text: str, path: str, first_line: int, report: Report, rules: pii.PiiRules,
              folded: list[str] | None = None) -> None:
    """``pii.scan_text`` as first written: both detectors on every line."""
    widths = pii._width_fold(text).split("\n")
    for offset, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        if not line or ("<!--" in line and pii._OK_MARKER.search(line)):
            continue
        line_no = first_line + offset
        pii._scan_numbers(widths[offset].rstrip("\r"), path, line_no, report, rules)
        if "pii-name" not in rules.off:
            pii._scan_names(line, path, line_no, report, None if folded is None else folded[offset])


PLAIN_ANY = re.compile("|".join([*(re.escape(k) for k in (*leftovers._MARKS, leftovers.REVIEW,
                                                           *leftovers._OLD_PLACEHOLDERS, leftovers.SAMPLE_COURT)),
                                 "[0０]{4}"]))


def plain_scan_file(data: bytes, rel: str, rules: publishcheck.Rules) -> list[Diagnostic]:
    """``publishcheck.scan_file`` with the plain scans (the leftover gate is compared on its own)."""
    text = decode(data, Path(rel), Report())
    if text is None:
        return []
    report = Report()
    folded = script.fold_lines([raw.rstrip("\r") for raw in text.split("\n")])
    plain_pii(text, rel, 1, report, rules.pii, folded)
    plain_terms(text, rel, 1, report, rules.terms, folded)
    if rel.startswith("content/"):
        if not leftovers.is_draft(text):
            for lo in leftovers.find(text):
                report.error(rel, lo.line, f"要发布的文件里不能留表单内容：{lo.message}（草稿 draft: true 不受此限）",
                             publishcheck._LEFTOVER)
    else:
        for lo in leftovers.find(text):
            report.warning(rel, lo.line, lo.message, publishcheck._SAMPLE)
    return report.items


# --- rules and text pieces -----------------------------------------------------------------

BUILTIN, _ = terms.load_rule_sets(Path("/nonexistent/terms.yaml"), Report())
WRONG = sorted({w for r in BUILTIN.rules for w in r.wrong})
RIGHT = sorted({r.right for r in BUILTIN.rules})
#: rules written to trip a line filter: one-character and two-character wrong forms, a wrong
#: form inside its own right form, a wrong form across a line break, shared first characters
EDGE = terms.TermRules((
    terms.TermRule(("甲",), "乙"),
    terms.TermRule(("丙丁",), "丙戊"),
    terms.TermRule(("党的十九",), "党的十九大精神"),
    terms.TermRule(("扫黑险恶", "扫黑"), "扫黑除恶"),
    terms.TermRule(("换\n行",), "换行"),
    terms.TermRule(("依法至国", "依法冶国"), "依法治国"),
))


@contextmanager
def per_group(n: int) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(linefilter, "PER_GROUP", n)
        yield


def rebuilt(rules: terms.TermRules, n: int) -> terms.TermRules:
    """The same rules with groups of ``n`` first characters (1 = one pattern per first character)."""
    with per_group(n):
        return terms.TermRules(rules.rules)


RULE_SETS = [BUILTIN, rebuilt(BUILTIN, 1), rebuilt(BUILTIN, 1000), EDGE, rebuilt(EDGE, 1)]

TERM_PIECES = st.one_of(
    st.sampled_from(WRONG), st.sampled_from(RIGHT),
    st.sampled_from(WRONG).map(script.to_traditional), st.sampled_from(RIGHT).map(script.to_traditional),
    st.sampled_from(WRONG).map(lambda w: w[: max(1, len(w) // 2)]), st.sampled_from(WRONG).map(lambda w: w[len(w) // 2:]),
    st.sampled_from(["\n", "\r\n", "\r", " ", "a", "的", "甲", "乙", "丙", "丁", "换", "行", "党的十九大精神", "扫黑",
                     "『", "１", "〇", "𠀋"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(TERM_PIECES, max_size=40), st.sampled_from(range(len(RULE_SETS))))
@example(["依法至国", "\n", "依法冶国", "\n", "扫黑險惡"], 0)  # every line starts with one: none may be skipped
@example(["甲", "\n", "甲", "\r\n", "甲甲"], 3)
@example(["换", "\n", "行", "\n", "丙丁"], 4)  # a wrong form across a line break marks a line without a finding
def test_formulations_equal_the_plain_scan(pieces: list[str], which: int) -> None:
    assert_same_findings(terms.scan_text, plain_terms, "".join(pieces), RULE_SETS[which], first_line=3)


def assert_same_findings(fast_scan, plain_scan, text: str, rules, first_line: int) -> None:
    """The fast scan reports what the plain one does, with the folded lines given and without."""
    folded = script.fold_lines([raw.rstrip("\r") for raw in text.split("\n")])
    for given_folded in (folded, None):
        fast, plain = Report(), Report()
        fast_scan(text, "a.md", first_line, fast, rules, given_folded)
        plain_scan(text, "a.md", first_line, plain, rules, given_folded)
        assert fast.items == plain.items


def _id(first17: str) -> str:
    return first17 + pii.id_check_digit(first17)


def _luhn(prefix: str) -> str:
    digits = prefix.replace(" ", "")
    return prefix + next(d for d in "0123456789" if pii._luhn_ok(digits + d))


NUMBERS = [_id("11010519491231002"), _id("32083019900307001"), "13812345678", "138 1234 5678", "+86 139-1234-5678",
           "１３８１２３４５６７８", _luhn("622202123456789012"), _luhn("4111 1111 1111 111"), "2024123456789012",
           "0517-88888888", "12368", "٠١٢٣٤٥٦٧٨٩٠", "-", "1", "0"]
PII_PIECES = st.one_of(
    st.sampled_from(NUMBERS), st.sampled_from(pii.ROLES), st.sampled_from(pii.ROLES).map(script.to_traditional),
    st.sampled_from(["张三", "张某", "欧阳明", "欧阳某", "于海", "高度评价", "李", "某", "王五因", "陈", "：", ":", " ", "\t",
                     "\n", "\r\n", "<!-- pii: ok -->", "<!--", "，男", "本院", "張三", "a"]),
)
PII_RULES = [pii.PiiRules(), pii.PiiRules(frozenset({"13812345678", "0517-88888888"})),
             pii.PiiRules(off=frozenset({"pii-name"})), pii.PiiRules(off=frozenset({"pii-id", "pii-phone", "pii-bank"}))]


@settings(max_examples=400, deadline=None)
@given(st.lists(PII_PIECES, max_size=40), st.sampled_from(PII_RULES))
@example(["被告人", "\n", "被告人张三", "\n", "13812345678", "\n", "原告李四"], PII_RULES[0])  # a match across "\n"
def test_personal_information_equals_the_plain_scan(pieces: list[str], rules: pii.PiiRules) -> None:
    assert_same_findings(pii.scan_text, plain_pii, "".join(pieces), rules, first_line=2)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*leftovers._MARKS, leftovers.REVIEW, *leftovers._OLD_PLACEHOLDERS, leftovers.SAMPLE_COURT,
                                 "0", "０", "00", "０0", "-", "\n", "在", "一", "示例", "【", "a"]), max_size=30))
def test_leftover_gate_equals_the_plain_one(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast, plain = leftovers._ANY.search(text), PLAIN_ANY.search(text)
    assert (fast and fast.span()) == (plain and plain.span())


# --- real files ----------------------------------------------------------------------------


def _files(root: Path) -> list[tuple[str, bytes]]:
    paths = sorted(p for p in (root / "content").rglob("*.md")) + publishcheck.data_files(root)
    return [(p.relative_to(root).as_posix(), p.read_bytes()) for p in paths]


def _seasoned(data: bytes, rng: random.Random) -> bytes:
    """A file with wrong forms (some Traditional), numbers and full names written into random lines."""
    lines = data.decode("utf-8").split("\n")
    for _ in range(3):
        piece = rng.choice([*WRONG, *RIGHT, *NUMBERS, *(r + "张三" for r in pii.ROLES), "【待填写】", "0000-00000000"])
        if rng.random() < 0.3:
            piece = script.to_traditional(piece)
        i = rng.randrange(len(lines))
        at = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:at] + piece + lines[i][at:]
    return "\n".join(lines).encode("utf-8")


def _assert_equal_on(root: Path, rules: publishcheck.Rules, seasoned: bool) -> int:
    rng, found = random.Random(14), 0
    for rel, data in _files(root):
        data = _seasoned(data, rng) if seasoned else data
        fast = publishcheck.scan_file(data, rel, rules)
        assert fast == plain_scan_file(data, rel, rules), rel
        text = data.decode("utf-8")
        assert bool(leftovers._ANY.search(text)) == bool(PLAIN_ANY.search(text)), rel
        found += len(fast)
    return found


def test_sample_site_scans_equal_the_plain_scans() -> None:
    rules = publishcheck.load_rules(REPO, Report(REPO))
    _assert_equal_on(REPO, rules, seasoned=False)
    assert _assert_equal_on(REPO, rules, seasoned=True) > 20


def test_bench_corpus_scans_equal_the_plain_scans(tmp_path: Path) -> None:
    """The 1,000-branch corpus of ``bench/gen_branches.py``."""
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_branches.py"), "1000", str(root)], check=True,
                   capture_output=True)
    rules = publishcheck.load_rules(root, Report(root))
    _assert_equal_on(root, rules, seasoned=False)
    assert _assert_equal_on(root, rules, seasoned=True) > 1000


ANCHORS = Path.home() / ".cache" / "brandsite-bench" / "corpus-1000" / "ours"


@pytest.mark.skipif(not (ANCHORS / "content").is_dir(), reason="the shared anchors' corpus is made by ../shared/bench-anchors/run.sh")
def test_anchor_corpus_scans_equal_the_plain_scans() -> None:
    """The 1,000-branch corpus the anchors time (every feature on: about 5 % of it Traditional)."""
    rules = publishcheck.load_rules(ANCHORS, Report(ANCHORS))
    _assert_equal_on(ANCHORS, rules, seasoned=False)
    assert _assert_equal_on(ANCHORS, rules, seasoned=True) > 1000
