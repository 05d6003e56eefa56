"""Tests for the number grammar as the editor guide states it (:mod:`brandsite.model.number_guide`):
every example parses to what the guide says it shows, and the statement names every form.

The guide itself (docs/编辑指南.md) is checked against both in ``test_docs.py``.
"""

from __future__ import annotations

import pytest

from brandsite.model.number_guide import EXAMPLES, GRAMMAR_DOC
from brandsite.model.numbers import format_quantity, parse_quantity


@pytest.mark.parametrize(("written", "shown"), EXAMPLES)
def test_examples_constant(written: str, shown: str) -> None:
    assert format_quantity(parse_quantity(written)) == shown


def test_grammar_doc_mentions_every_form() -> None:
    for word in ("余", "多", "近", "约", "超", "逾", "左右", "以上", "万", "亿", "%", "十四", "很多", "3..4"):
        assert word in GRAMMAR_DOC
