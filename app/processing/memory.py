"""Handing memory back to the operating system after a large message.

A 25 MB declaration's tree takes several times its size, allocated by libxml2 through the C
allocator in a worker thread. Once the typed message is bound the tree is freed, but glibc
keeps freed memory in its arenas, and Python's own objects are never placed there: without
``malloc_trim`` every worker would keep its largest message's peak for good, and the next
large message would add to it instead of reusing it. Elsewhere (musl, macOS) this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache

# Below this the freed memory is small enough to leave to the allocator.
LARGE_MESSAGE_BYTES = 1 << 20
# One trim at a time: a second one queued behind it finds little left to do.
_TRIMMER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="malloc-trim")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # no C library by that name, or not glibc
        return None
    return trim


def prepare() -> None:
    """Looks up ``malloc_trim`` at start-up: ``find_library`` runs ``ldconfig -p`` (about
    20 ms), which would otherwise fall on a worker's first large message."""
    _malloc_trim()


def release(size: int) -> Future[int] | None:
    """After a message of ``size`` bytes has let go of its tree: return free heap pages to the
    operating system when the message was large; the trim's future, None when there is none.
    The trim (some 10 ms for a large heap, the GIL released) runs in a thread of its own, so
    that the message's processing goes on meanwhile instead of waiting for it."""
    trim = _malloc_trim()
    if size < LARGE_MESSAGE_BYTES or trim is None:
        return None
    return _TRIMMER.submit(trim, 0)
