"""How numbers read in prose, one place for the page templates (jinja filters) and the figure
captions: fixed decimals, narrow no-break spaces between thousands, a real minus sign, and "n/a"
for a number the run did not give."""

from __future__ import annotations

import math
from typing import Any


def num(x: Any, digits: int = 1) -> str:
    """A number for prose: fixed decimals, a separator between thousands, a real minus sign. The
    separator is a narrow no-break space: a thin space let a phone wrap "1 676 995" after its 1."""
    if x is None or isinstance(x, float) and not math.isfinite(x):
        return "n/a"
    text = f"{x:,.{digits}f}".replace(",", "\u202f")
    return text.replace("-", "\u2212")


def pct(x: Any, digits: int = 1) -> str:
    """A fraction in [0, 1] as a percentage."""
    return "n/a" if x is None else f"{num(100 * x, digits)}\u00a0%"


def times(a: Any, b: Any, digits: int = 1) -> str:
    """How many times ``a`` is ``b`` ("3.2×"), for sentences comparing two measurements."""
    if not a or not b:
        return "n/a"
    return f"{num(a / b, digits)}×"
