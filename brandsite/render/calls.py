"""Calls from templates into Python (``url()``, ``image()``, macros) without Jinja's generic checks.

Jinja compiles every call in a template (``{{ url(b.url) }}``, ``{{ emblem(b) }}``) into
``Context.call``, which asks the callable, and its ``__call__``, whether it wants the context, the
evaluation context or the environment passed first (``pass_context`` and friends). A branch page
makes about 70 such calls, a build of 1,000 branches 150,000: the asking cost about as much as the
functions themselves. For the two kinds of callable nearly all calls are (a plain Python function,
a template macro) the answer is known from the type, so it is taken straight away; everything else
goes through Jinja's own ``Context.call`` unchanged. ``tests/test_fast_calls.py`` renders whole sites
with both and compares them byte for byte.
"""

from __future__ import annotations

from types import FunctionType
from typing import Any

from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode


class FastContext(Context):
    """A Jinja context whose ``call`` skips the pass-argument checks where the type decides them."""

    @internalcode  # (hidden from template tracebacks, as Jinja's own call is)
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        kind = type(__obj)
        if kind is FunctionType:
            # a plain function asks for an argument only through this attribute (``pass_context``)
            if "jinja_pass_arg" in __obj.__dict__:
                return Context.call(__self, __obj, *args, **kwargs)
        elif kind is Macro:
            # ``Macro.__call__`` is marked ``pass_eval_context``: Jinja hands it the evaluation context
            args = (__self.eval_ctx, *args)
        else:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")
