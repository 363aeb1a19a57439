"""The cyclic garbage collector held back while code builds many objects that are not garbage.

A processed message is a large graph of live objects (the typed message links parents and
children). Every so many fresh objects the collector runs; a full collection walks every
live object, the whole message included, and frees nothing while it is in use. Code that
builds thousands of rows at once pauses it: afterwards only the young objects are looked at,
and the full collection comes when the message is garbage and there is something to free.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block (for synchronous work only: never across an await).
    It was off already: it stays off (another pause, e.g. the binding's, ends that one)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
