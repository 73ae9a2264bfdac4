"""What a stage function gets from the runner: the config, its inputs and a fresh output folder.

It lives apart from the runner so that a stage imports only this, not the machinery that runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config


@dataclass
class StageContext:
    """What a stage function gets: the config, its inputs, and a fresh folder to write into."""

    cfg: Config
    inputs: dict[str, Path]  # upstream stage name -> its (read-only) artifact folder
    out: Path
    manifest: dict[str, Any]  # the manifest as it stands (upstream timings, for the reproduce page)
    # This stage's jobcache.JobCache (the runner gives one). Typed Any, not imported: every stage
    # imports this module, and the cache's machinery belongs to the code key of only the stages
    # that use it (codekeys.py), so editing it reruns no other stage.
    cache: Any = None
    _device: str | None = field(default=None, repr=False)

    @property
    def device(self) -> str:
        """The torch device for `cfg.device`; imported lazily so no-op runs never load torch."""
        if self._device is None:
            from .devices import resolve_device
            self._device = resolve_device(self.cfg.device)
        return self._device
