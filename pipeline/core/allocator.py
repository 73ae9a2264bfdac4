"""How the process allocates memory on the CPU: set once, before torch is imported.

Why: the analyse stage allocates and frees large buffers thousands of times (decoded sample
sets, the CNN judge's activations, distance blocks, IWAE's decoded blocks: 2 to 250 MB each).
glibc serves every allocation above its mmap threshold (which only grows up to 32 MB) with a
fresh mapping, and the kernel faults in and zeroes each of its 4 KB pages again. So glibc
keeps freed buffers up to 32 MB for reuse, and torch puts its buffers of 2 MB and more on 2 MB
pages (THP_MEM_ALLOC_ENABLE): far fewer page faults and less system time in the analyse stage,
with byte-identical outputs (BENCHMARKS.md, "Numbers behind code choices"). The training steps
(buffers of a few MB, reused by glibc already) did not change.
"""

from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # the most glibc accepts on 64-bit: allocations below it reuse
TRIM_THRESHOLD = 1024 * 1024 * 1024  # keep up to 1 GB of freed heap instead of returning it


def configure_allocator() -> bool:
    """Ask torch for 2 MB pages for its large CPU buffers and glibc to reuse freed memory up to
    its 32 MB ceiling. Returns whether glibc took the settings (False elsewhere: musl, macOS).

    torch reads ``THP_MEM_ALLOC_ENABLE`` at its first allocation, so this must run before
    ``import torch``; spawned worker processes inherit the variable. A value already in the
    environment wins (``THP_MEM_ALLOC_ENABLE=0`` turns it off). Results do not depend on it.
    """
    os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no C library symbols to look up, or not glibc
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
