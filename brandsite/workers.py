"""Forked worker pools that stop at once on Ctrl-C.

``with ProcessPoolExecutor()`` waits for every queued task on exit, so an editor pressing
Ctrl-C during a large build would wait for the whole build. Here workers ignore SIGINT
(only the main process reacts, without a traceback from each worker) and, on any
exception, queued tasks are cancelled and the workers terminated.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A fork-based pool (workers inherit the parent's loaded state without pickling it)."""
    # Frozen objects are left alone by the collector: a collection in a worker would otherwise
    # write to every object the parent loaded and so copy the parent's whole heap into each worker.
    gc.freeze()
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_sigint)
    try:
        yield executor
    except BaseException:
        for proc in list((getattr(executor, "_processes", None) or {}).values()):
            proc.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        gc.unfreeze()
    executor.shutdown(wait=True)
