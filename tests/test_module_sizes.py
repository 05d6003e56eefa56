"""Issue 13, point 6: each module under ~400 lines, with one concern its name says.

A module that grows past the limit has usually grown a second concern; this keeps the split
folders split. The folders listed are those already split (the others follow as they are split:
then this list becomes every folder of the package).
"""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "brandsite"
LIMIT = 400

#: folder → the modules of it that are checked (``*.py``: all of them)
SPLIT = {
    "authoring": "*.py",
    "write": "*.py",
    "serve": "*.py",
    "features": "image*.py",
}


def _modules() -> list[Path]:
    return sorted(p for folder, pattern in SPLIT.items() for p in (PACKAGE / folder).glob(pattern))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_split_modules_stay_under_the_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{path.relative_to(PACKAGE).as_posix()} has {lines} lines: split it by concern"


def test_every_split_module_says_why_it_exists() -> None:
    import ast

    found = _modules()
    assert len(found) >= 17  # the split modules are all there (a glob that finds nothing proves nothing)
    for path in found:
        if path.name == "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and len(doc) >= 60, f"{path.relative_to(PACKAGE).as_posix()}: a module docstring saying why it exists"
