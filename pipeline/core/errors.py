"""Errors the user can act on. The CLI prints their message (which names the problem and the fix)
without a traceback and exits non-zero; anything else is a bug and keeps its traceback."""


class PipelineError(RuntimeError):
    """A failure the user can act on."""


class DataError(PipelineError):
    """A data file is missing, damaged or not the canonical one."""


class DivergenceError(PipelineError):
    """Training produced a NaN or infinite loss."""


class DeviceError(PipelineError):
    """The requested device is not available."""


class ConfigError(PipelineError):
    """A config problem the user must fix; the message names the key and what is allowed."""
