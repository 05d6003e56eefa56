"""Findings reported to editors: one type for every error and warning.

Every stage (loading, validation, statistics, publishing checks) appends to one
:class:`Report` instead of raising, so that an editor sees *all* mistakes of a run at
once, each as ``path:line: message`` in Chinese, the way compilers and linters do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePath


def shown(path: PurePath | str) -> str:
    """A path as a message shows it: with ``/`` on every system (an editor on Windows copies the
    same text as the guide shows, and Python accepts it there too)."""
    return path.as_posix() if isinstance(path, PurePath) else str(path).replace("\\", "/")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. ``path`` is shown relative to the site root; ``line`` is 1-based, 0 = whole file."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.severity is Severity.ERROR else "警告："
        return f"{where}: {prefix}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "severity": self.severity.value,
            "code": self.code,
        }


@dataclass
class Report:
    """Collects diagnostics of one run; ``root`` makes paths relative for display."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)
    #: path as given → as shown (resolving is a system call per path component: ask once)
    _shown: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def rel(self, path: Path | str) -> str:
        key = str(path)
        shown = self._shown.get(key)
        if shown is None:
            shown = self._shown[key] = self._rel(Path(path))
        return shown

    def _rel(self, p: Path) -> str:
        if not p.is_absolute():  # already relative to the site's root (model paths are): never the working folder's
            return p.as_posix()
        if self.root is not None:
            # the usual case, a path built from the (resolved) root: no system call needed
            prefix = str(self.root) + "/"
            text = str(p)
            if text.startswith(prefix) and "/../" not in text and "/./" not in text:
                return text[len(prefix) :]
        if self.root is not None:
            try:
                return p.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def error(self, path: Path | str, line: int, message: str, code: str = "") -> None:
        self.items.append(Diagnostic(self.rel(path), line, message, Severity.ERROR, code))

    def warning(self, path: Path | str, line: int, message: str, code: str = "") -> None:
        self.items.append(Diagnostic(self.rel(path), line, message, Severity.WARNING, code))

    def extend(self, other: Report | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Report) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted({d for d in self.items if d.severity is Severity.ERROR})

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted({d for d in self.items if d.severity is Severity.WARNING})

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.items)

    def lines(self) -> list[str]:
        """Errors first, then warnings, each sorted by file and line, duplicates dropped."""
        return [d.format() for d in self.errors + self.warnings]
