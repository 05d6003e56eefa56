"""Story bodies kept on disk during a build instead of in the main process's memory.

The HTML and plain text of every story are most of the model (about 11 MiB per 1,000
branches, against about 22 MiB for the whole model) but only a few steps read them: a page's
render, its search document, a picture check. A build spools them into one anonymous
temporary file (deleted by the system when it is closed or the process ends, on every
platform) and each object reads its own back when asked: ``branch.html`` and ``branch.text``
still work everywhere, templates included, since a spooled object answers for the two
attributes it no longer holds (``Spooled.__getattr__``). Forked workers read the same file
through the descriptor they inherit (``os.pread``: no shared file position); an object
pickled for a spawned worker carries its text again (``__getstate__``), so spawn needs no file.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["BODY_FIELDS", "Spool", "Spooled", "spool"]

#: the attributes of a branch, news item or page that are spooled
BODY_FIELDS = ("html", "text")
_PREAD = getattr(os, "pread", None)


class Spool:
    """One anonymous file of UTF-8 bodies, appended to and read at offsets.

    In ``folder`` when given (a build's cache folder, on the disk the project is on): the
    system's temporary folder may be a RAM disk (tmpfs), where the bodies would take memory again."""

    def __init__(self, folder: str | None = None) -> None:
        # open as long as an object reads from it; closed (and so deleted) with the last of them
        try:
            self._file = tempfile.TemporaryFile(prefix="brandsite-bodies-", dir=folder)  # noqa: SIM115
        except OSError:  # a read-only or full cache folder: the build still runs, as without a cache
            self._file = tempfile.TemporaryFile(prefix="brandsite-bodies-")  # noqa: SIM115
        self._end = 0
        self._lock = threading.Lock()  # where there is no pread (Windows): seek and read as one step

    def add(self, data: bytes) -> int:
        """Append ``data``; its offset."""
        with self._lock:
            at = self._end
            self._file.seek(at)
            self._file.write(data)
            self._end += len(data)
            return at

    def flush(self) -> None:
        with self._lock:
            self._file.flush()

    def read(self, offset: int, size: int) -> str:
        if _PREAD is not None:
            return _PREAD(self._file.fileno(), size, offset).decode("utf-8")
        with self._lock:
            self._file.seek(offset)
            return self._file.read(size).decode("utf-8")

    def __getstate__(self) -> Any:
        raise TypeError("a spool is read where it was made (or by forked workers); objects pickle their text instead")


class Spooled:
    """Mixin of the model classes whose bodies may be spooled (``Branch``, ``News``, ``Page``).

    An object that was never spooled behaves exactly as before: its fields are in its
    ``__dict__`` and ``__getattr__`` is never called."""

    def __getattr__(self, name: str) -> Any:
        if name in BODY_FIELDS:
            where = self.__dict__.get("_spooled")
            if where is not None:
                spool, offsets = where
                at, size = offsets[BODY_FIELDS.index(name)]
                return spool.read(at, size)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> Any:
        state = object.__getstate__(self)  # type: ignore[misc]
        if isinstance(state, dict) and "_spooled" in state:  # in the order __init__ gave: the plain path's pickle
            names = [f.name for f in dataclasses.fields(self)]  # type: ignore[arg-type]
            state = {**{n: getattr(self, n) for n in names}, **{k: v for k, v in state.items() if k != "_spooled"}}
        return state


def spool(docs: Iterable[Any], into: Spool | None = None) -> Spool:
    """Move each doc's html and text into a spool (one new file unless ``into``)."""
    into = Spool() if into is None else into
    for doc in docs:
        state = doc.__dict__
        if "_spooled" in state or not all(isinstance(state.get(n), str) for n in BODY_FIELDS):
            continue
        offsets = []
        for name in BODY_FIELDS:
            data = state[name].encode("utf-8")
            offsets.append((into.add(data), len(data)))
        state["_spooled"] = (into, tuple(offsets))
        for name in BODY_FIELDS:
            del state[name]
    into.flush()  # a forked worker reads the file, not this process's write buffer
    return into
