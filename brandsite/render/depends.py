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
        if isinstance(value, (*_PLAIN, enum.Enum)):
            return (), repr(value)
        got = self.memo.get(id(value))
        if got is not None and got[0] is value:
            return got[1], got[2]
        docs: dict[str, None] = {}
        parts: list[str] = [type(value).__qualname__]
        if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:  # type: ignore[union-attr]
            # a value object (a figure's part, a quantity, a date): its fields are plain, its text says all
            shape = repr(value)
            self.memo[id(value)] = (value, (), shape)
            return (), shape
        if isinstance(value, _DOCS):
            docs[value.digest] = None
            tags = getattr(value, "tags", ())
            parts += [value.digest, *(f"{t}={self.tag_slugs.get(t, '')}" for t in tags)]
        else:
            for child in self._children(value):
                child_docs, child_shape = self._reduce(child)
                docs.update(dict.fromkeys(child_docs))
                parts.append(child_shape)
        shape = hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=12).hexdigest()
        out = tuple(docs)
        self.memo[id(value)] = (value, out, shape)
        return out, shape

    @staticmethod
    def _children(value: Any) -> list[Any]:
        if isinstance(value, Mapping):
            return [x for k, v in value.items() for x in (k, v)]
        if isinstance(value, (list, tuple)):
            return list(value)
        if isinstance(value, (set, frozenset)):
            return sorted(value, key=repr)
        if dataclasses.is_dataclass(value):
            return [getattr(value, f.name) for f in dataclasses.fields(value)]
        if hasattr(value, "__dict__"):
            return [x for k, v in sorted(vars(value).items()) for x in (k, v)]
        # an object without visible state: its text is all a template can show of it
        return [str(value)]
