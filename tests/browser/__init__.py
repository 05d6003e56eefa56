"""Browser tests (a package, so this folder's conftest does not clash with tests/conftest.py)."""
