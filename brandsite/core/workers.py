"""Worker pools that stop at once on Ctrl-C, and never outlive their parent.

Workers are forked where the system can (they inherit the parent's loaded state without
pickling it) and spawned where it cannot (Windows) or when ``BRANDSITE_START_METHOD=spawn``
asks for it (CI runs the build, check and serve tests that way too). The state a task needs
besides its arguments travels in ``shared``: inherited on fork, pickled once per worker on
spawn; what cannot be pickled (a Jinja environment) goes in ``fork_only`` and the task makes
its own (see ``write.pages._render_slice``). Spawning a worker costs far more than forking one
(a fresh interpreter imports every library), so ``worth`` asks for more work before a pool.

``with ProcessPoolExecutor()`` waits for every queued task on exit, so an editor pressing
Ctrl-C during a large build would wait for the whole build. Here workers ignore SIGINT
(only the main process reacts, without a traceback from each worker) and, on any
exception, queued tasks are cancelled and the workers terminated.

A parent killed outright (kill -9, an out-of-memory kill, SIGTERM before the command line
handles it) cannot end its workers, and a worker blocked on the task queue would wait for ever,
holding its copy of the parent's memory. So every worker watches its parent from a thread and
exits the moment it is gone. The watch uses ``multiprocessing.parent_process()``'s sentinel, which
every start method provides (fork here; spawn on Windows), not a Linux-only parent-death signal.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import _ExecutorManagerThread
from contextlib import contextmanager
from typing import Any

_excepthook = threading.excepthook


def _quiet_manager(args: Any) -> None:
    """Python 3.11's pool manager thread raises InvalidStateError when workers terminated after a
    Ctrl-C still had tasks that ``map`` had cancelled (fixed in later Pythons): nothing is wrong,
    and an editor pressing Ctrl-C must not see a traceback."""
    if args.exc_type is InvalidStateError and isinstance(args.thread, _ExecutorManagerThread):
        return
    _excepthook(args)


threading.excepthook = _quiet_manager


#: in a worker: the state of the pool that started it (``pool(shared=…)``)
SHARED: dict[str, Any] = {}
#: how many times more work a spawned pool needs than a forked one before it pays
SPAWN_FACTOR = 5


def start_method() -> str:
    """"fork" where available, else "spawn"; ``BRANDSITE_START_METHOD`` forces one."""
    methods = multiprocessing.get_all_start_methods()
    forced = os.environ.get("BRANDSITE_START_METHOD", "")
    if forced in methods:
        return forced
    return "fork" if "fork" in methods else "spawn"


def worth(items: int, least: int) -> bool:
    """Whether ``items`` pieces of work are enough for a pool (``least`` of them, when forking)."""
    return items >= least * (1 if start_method() == "fork" else SPAWN_FACTOR)


def _start(shared: dict[str, Any] | None) -> None:
    if shared is not None:  # spawned: the parent's state arrives pickled
        SHARED.update(shared)
    gc.enable()  # forked from a build whose collector is paused (``collector_paused``): a worker collects
    _ignore_sigint()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector in the building process (not in its workers).

    The parent's stages allocate millions of long-lived objects (the loaded model, statistics,
    page contexts and what they depend on, search postings) and next to no cyclic garbage, but the
    collector walks the ever larger heap again each time enough objects were allocated: at 10,000
    branches that was half of the statistics' time and a third of planning the pages. Reference
    counting still frees everything else at once; cycles made meanwhile are collected afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the command line turns SIGTERM into KeyboardInterrupt; a worker is ended by it, silently
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent blocked it: terminate() must end us
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    watch_parent()


def _exit_with_parent(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent's end of the process pipe closes: it has died
    os._exit(1)


def watch_parent() -> None:
    """In a worker process: exit as soon as the process that started it is gone."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="watch-parent").start()


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (musl has none)
        return None


def release_free_memory() -> None:
    """Give the C allocator's free pages back to the system before a fork (glibc's
    ``malloc_trim``; elsewhere nothing). A forked worker's resident size starts at the parent's,
    and memory the parent has freed (the deriver's memo after planning the pages, tens of MiB
    at 10,000 branches) but the allocator still holds would count again in every worker."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextmanager
def pool(workers: int, shared: dict[str, Any] | None = None,
         fork_only: dict[str, Any] | None = None) -> Iterator[ProcessPoolExecutor]:
    """A pool whose workers find ``shared`` (and, when forked, ``fork_only``) in ``SHARED``."""
    method = start_method()
    fork = method == "fork"
    if fork:
        release_free_memory()
        SHARED.update(shared or {}, **(fork_only or {}))
        # Frozen objects are left alone by the collector: a collection in a worker would otherwise
        # write to every object the parent loaded and so copy the parent's whole heap into each worker.
        gc.freeze()
    blocking = hasattr(signal, "pthread_sigmask")  # (not on Windows)
    executor: ProcessPoolExecutor | None = None
    try:
        # Start every worker now (a pool starts them at the first task), with SIGINT and SIGTERM
        # blocked: a Ctrl-C landing between a fork and the child's initializer would otherwise
        # interrupt the child's start-up and print its traceback on the editor's terminal, and a
        # SIGTERM (which the command line turns into KeyboardInterrupt) landing inside fork's
        # handlers prints one from the parent. Either arrives when the mask is lifted, where the
        # workers are ended like on any other exception.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if blocking else None
        try:
            executor = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context(method), initializer=_start,
                initargs=(None if fork else dict(shared or {}),),
            )
            executor.submit(int).result()
        finally:
            if mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        yield executor
    except BaseException:
        if executor is not None:
            for proc in list((getattr(executor, "_processes", None) or {}).values()):
                proc.terminate()
            # Not cancel_futures=True: the executor's manager thread then marks the queued tasks of
            # the terminated workers as failed, and on Python 3.11 it raises (and prints a traceback
            # on an editor's terminal) when one of them was already cancelled.
            executor.shutdown(wait=False)
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        if fork:
            gc.unfreeze()
            SHARED.clear()
