"""The CPU memory settings (core/allocator.py): applied by the CLI before torch is imported, and
honoured by this torch (its large buffers on 2 MB pages) and this C library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
THP_MODE = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def _python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter at the repository root; its stdout."""
    clean = {"PATH": "/usr/bin:/bin", **env}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=clean, check=True,
                          capture_output=True, text=True, timeout=120)
    return done.stdout.strip()


def test_the_cli_configures_the_allocator_before_torch_is_imported() -> None:
    out = _python(
        "import os, sys\n"
        "import pipeline.core.allocator as allocator\n"
        "configure = allocator.configure_allocator\n"
        "def checked():\n"
        "    print('torch imported first' if 'torch' in sys.modules else 'before torch')\n"
        "    return configure()\n"
        "allocator.configure_allocator = checked\n"
        "import pipeline.__main__  # the module `python -m pipeline` runs (main() is guarded)\n"
        "print(os.environ.get('THP_MEM_ALLOC_ENABLE'))\n")
    assert out.splitlines() == ["before torch", "1"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_takes_the_settings() -> None:
    assert _python("from pipeline.core.allocator import configure_allocator\n"
                   "print(configure_allocator())") == "True"


@pytest.mark.skipif(not THP_MODE.exists() or "[never]" in THP_MODE.read_text(),
                    reason="the kernel offers no transparent huge pages")
def test_torch_puts_large_buffers_on_huge_pages_when_asked() -> None:
    code = ("import re, torch\n"
            "t = torch.ones(64 * 2**20 // 4)  # 64 MB, touched\n"
            "smaps = open('/proc/self/smaps_rollup').read()\n"
            "print(int(re.search(r'AnonHugePages:\\s+(\\d+)', smaps).group(1)) // 1024)\n")
    huge_mb = {flag: int(_python(code, THP_MEM_ALLOC_ENABLE=flag)) for flag in ("0", "1")}
    assert huge_mb["1"] >= 32, huge_mb  # most of the 64 MB tensor on 2 MB pages
    assert huge_mb["1"] > huge_mb["0"], huge_mb
