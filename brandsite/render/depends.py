"""What a page depends on, derived from the data it is given (never declared by hand).

A page shows only its template's output for its context. So the context itself says what the
page depends on: every source document reachable from it (by its content digest) and, for
everything else in it (statistics, rows of a list page, a tag's name, figures), the values
themselves. Site-wide lookups a template makes for a document it shows are part of that
document's entry: the slugs of its tags (slugs of tags that read alike depend on every tag of
the site, see ``slugs.py``). Everything that is the same for every page (data/, theme, code,
library versions, the names kept in Traditional, emblems) is in the site-wide part of the
fingerprint (``fingerprint.py``, ``incremental.py``).

The result, ``Job.deps``, is the documents' digests in the order first met (the page's own
document first: the preview writes an edited source's own pages first, and images are found
by digest) followed by one digest of the whole context's structure.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from brandsite.model.site import Branch, News, Page

_DOCS = (Branch, News, Page)
_PLAIN = (str, int, float, bool, Decimal, date, type(None))


class Deriver:
    """Derives ``Job.deps`` for the pages of one site; composite objects shared by many pages
    (the statistics, the list of all branches) are reduced once."""

    def __init__(self, tag_slugs: Mapping[str, str]) -> None:
        self.tag_slugs = tag_slugs
        #: id → (object, its digests, its structure digest); the object is kept so its id stays unique
        self.memo: dict[int, tuple[Any, tuple[str, ...], str]] = {}

    def deps(self, context: Mapping[str, Any]) -> tuple[str, ...]:
        docs, shape = self._reduce(dict(context))
        return (*docs, shape)

    def _reduce(self, value: Any) -> tuple[tuple[str, ...], str]:
        kind = _KINDS.get(type(value))
        if kind is None:
            kind = _KINDS[type(value)] = _kind(type(value))
        if kind is _Kind.PLAIN:
            return (), repr(value)
        got = self.memo.get(id(value))
        if got is not None and got[0] is value:
            return got[1], got[2]
        if kind is _Kind.VALUE:
            # a value object (a figure's part, a quantity, a date): its fields are plain, its text says all
            shape = repr(value)
            self.memo[id(value)] = (value, (), shape)
            return (), shape
        docs: dict[str, None] = {}
        parts: list[str] = [type(value).__qualname__]
        if kind is _Kind.DOC:
            docs[value.digest] = None
            tags = getattr(value, "tags", ())
            parts += [value.digest, *(f"{t}={self.tag_slugs.get(t, '')}" for t in tags)]
        else:
            for child in _children(kind, value):
                child_docs, child_shape = self._reduce(child)
                if child_docs:
                    docs.update(dict.fromkeys(child_docs))
                parts.append(child_shape)
        shape = hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=12).hexdigest()
        out = tuple(docs)
        self.memo[id(value)] = (value, out, shape)
        return out, shape


class _Kind(enum.Enum):
    """How a value is reduced: decided once per type (``_kind``), since a context holds a
    million values at 10,000 branches and asking each one what it is took most of the time."""

    PLAIN = 1  # its repr says all
    VALUE = 2  # a frozen dataclass: its repr says all, kept by identity
    DOC = 3  # a source document: its digest
    MAPPING = 4
    SEQUENCE = 5
    SET = 6
    DATACLASS = 7
    OTHER = 8  # its __dict__, or without one its str() (asked of each value: rare, and per instance)


#: type → its kind; a dataclass type → also its field names (``_FIELDS``)
_KINDS: dict[type, _Kind] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _kind(cls: type) -> _Kind:
    if issubclass(cls, (*_PLAIN, enum.Enum)):
        return _Kind.PLAIN
    if dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return _Kind.VALUE
    if issubclass(cls, _DOCS):
        return _Kind.DOC
    if issubclass(cls, Mapping):
        return _Kind.MAPPING
    if issubclass(cls, (list, tuple)):
        return _Kind.SEQUENCE
    if issubclass(cls, (set, frozenset)):
        return _Kind.SET
    if dataclasses.is_dataclass(cls):
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
        return _Kind.DATACLASS
    return _Kind.OTHER


def _children(kind: _Kind, value: Any) -> list[Any] | tuple[Any, ...]:
    if kind is _Kind.MAPPING:
        return [x for k, v in value.items() for x in (k, v)]
    if kind is _Kind.SEQUENCE:
        return value
    if kind is _Kind.SET:
        return sorted(value, key=repr)
    if kind is _Kind.DATACLASS:
        return [getattr(value, name) for name in _FIELDS[type(value)]]
    if hasattr(value, "__dict__"):
        return [x for k, v in sorted(vars(value).items()) for x in (k, v)]
    # an object without visible state: its text is all a template can show of it
    return [str(value)]
