"""The inspect stage: checks on the rendered site (``inspect.py`` runs them; one check per module) and the
publishing checks on the sources (personal information, formulations, form leftovers)."""

from __future__ import annotations

from brandsite.checks.inspect import Facts, Inspection, Scanner, inspect_output

__all__ = ["Facts", "Inspection", "Scanner", "inspect_output"]
