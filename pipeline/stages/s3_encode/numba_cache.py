"""Where numba keeps the compiled kernels of UMAP and pynndescent: inside the project's virtual
environment (``.venv/numba-cache``), so they are compiled once per environment, and
``scripts/setup-env.sh`` pays that once at install time (``warmup.py``) instead of the first
build (measured: over a minute of the encode stage on 2 cores)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def venv_cache_dir() -> Path | None:
    """``<venv>/numba-cache`` when Python runs in a virtual environment, else None."""
    if sys.prefix == sys.base_prefix:
        return None  # a system Python: keep numba's own default (next to each package)
    return Path(sys.prefix) / "numba-cache"


def use_venv_cache() -> None:
    """Point numba's cache at the venv unless NUMBA_CACHE_DIR is set already. Call it before
    ``import umap``: numba reads the variable once, when it is first imported."""
    folder = venv_cache_dir()
    if folder is None or os.environ.get("NUMBA_CACHE_DIR"):
        return
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    numba = sys.modules.get("numba")
    if numba is not None:  # imported earlier in this process: tell its config as well
        numba.config.CACHE_DIR = str(folder)
