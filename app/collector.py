"""The cyclic garbage collector held back while code builds many objects that are not garbage.

A processed message is a large graph of live objects (the typed message links parents and
children). Every so many fresh objects the collector runs; a full collection walks every
live object, the whole message included, and frees nothing while it is in use. So a large
message is processed with the collector paused (the exchange, from its schema check to its
recorded outcome): the full collection comes when the message is garbage and there is
something to free. Reference counting still frees
everything without cycles at once; only cycles wait for the pause to end.

Pauses nest and overlap across threads and concurrent requests: the collector is off while
any pause is open and on again when the last one ends (unless it was off before the first).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_open = 0
_resume = False  # whether the first open pause found the collector on


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block, which may span awaits (a request's processing): the
    pause is counted, not a flag a concurrent pause could turn back on too early."""
    _enter()
    try:
        yield
    finally:
        _leave()


def _enter() -> None:
    global _open, _resume
    with _lock:
        if _open == 0:
            _resume = gc.isenabled()
            gc.disable()
        _open += 1


def _leave() -> None:
    global _open
    with _lock:
        _open -= 1
        if _open == 0 and _resume:
            gc.enable()
