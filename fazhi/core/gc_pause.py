"""The cyclic garbage collector paused around work that makes a great many objects without cycles (an
import of 10⁵ rows, a draw over 10⁶ objects): the collector would scan them, and all else the process
holds, again and again for cycles they do not form."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
