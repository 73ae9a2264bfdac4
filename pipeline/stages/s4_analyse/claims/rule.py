"""The claims' rule: how a check is made and how checks make a verdict.

A claim is split into checks; each check is made by the site's one rule for comparing
(``pipeline/core/robust.py``): either A against B, passing when A is better than B beyond the
"level" band (``robust.LEVEL_WITHIN``) in every case; A "no better" than B, passing when no case
finds A better (for a claim that a change does not help); or a number against a stated
threshold, passing when it is on the stated side in every case. A case is a seed of the main
pair, under a judge where one is involved (``robust.Case``). The claim **holds** when every check
passes, **holds in part** when some pass, **not supported** when none does. The claims' own
checks are in ``checks.py``."""

from __future__ import annotations

from typing import Mapping, Sequence

from pipeline.core import robust
from pipeline.core.report import Check, ClaimVerdict, dump
from pipeline.core.robust import Case

HOLDS, IN_PART, NOT_SUPPORTED = "holds", "holds in part", "not supported"
RULE = ("Each claim is split into checks: one number against another (it passes when the first "
        f"is better by more than {robust.LEVEL_WITHIN:.0%} of the larger, the rule of every "
        "comparing sentence on this site; where a claim says a change does not help, it passes "
        "when the first is nowhere better by that much), or a number against a stated threshold. "
        "A claim holds when every check passes, holds in part when some pass, and is not "
        "supported when none does. Where a number was measured for several seeds or judges, a "
        "check passes only if it passes for each of them.")


def verdict(checks: Sequence[Check]) -> str:
    """The rule: all checks pass -> holds; some -> holds in part; none -> not supported."""
    if not checks:
        raise ValueError("a verdict needs at least one check")
    passed = sum(c.passed for c in checks)
    if passed == len(checks):
        return HOLDS
    return IN_PART if passed else NOT_SUPPORTED


def judged(checks: Sequence[Check]) -> dict:
    """The JSON form stored in metrics.json: the checks and the verdict they give."""
    return dump(ClaimVerdict(checks=list(checks), verdict=verdict(checks)))  # type: ignore[arg-type]


# A number measured in several cases: "seed1/mlp" (a seed under a judge) or "seed1" (judge-free)
# -> its value. A plain float is one number that does not vary with the case (PCA, a threshold).
Cases = Mapping[str, float]


def per_case(*numbers: Cases | float) -> list[dict[str, float]]:
    """The numbers over the same cases: a float is every case's value; two floats are one case."""
    dicts = [n for n in numbers if isinstance(n, Mapping)]
    keys = set(dicts[0]) if dicts else {"main"}
    if any(set(d) != keys for d in dicts[1:]):
        raise ValueError(f"numbers measured in different cases: {[sorted(d) for d in dicts]}")
    return [dict(n) if isinstance(n, Mapping) else {k: float(n) for k in keys} for n in numbers]


def better(test: str, a: Cases | float, b: Cases | float, lower_is_better: bool) -> Check:
    """A is better than B in every case, by the one rule (not merely level)."""
    a_cases, b_cases = per_case(a, b)
    comparison = robust.compare(a_cases, b_cases, lower_is_better)
    return Check(test=test, passed=comparison.verdict == "better", comparison=comparison)


def no_better(test: str, a: Cases | float, b: Cases | float, lower_is_better: bool) -> Check:
    """A is level with or worse than B in every case (no case finds A better by the one rule)."""
    a_cases, b_cases = per_case(a, b)
    comparison = robust.compare(a_cases, b_cases, lower_is_better)
    return Check(test=test, passed=comparison.counts["better"] == 0, comparison=comparison)


def on_side(test: str, values: Cases, threshold: float, at_least: bool) -> Check:
    """The number is at least ``threshold`` (or below it) in every case."""
    result = robust.threshold_check(values, threshold, at_least)
    return Check(test=test, passed=result.holds, threshold=result)


def where(cases: Cases) -> str:
    """The cases a check was made in, for its text: "in 3 seeds × 2 judges", "in 1 seed"."""
    parsed = [Case.parse(k) for k in cases]
    seeds = {c.seed for c in parsed}
    judges = {c.judge for c in parsed if c.judge is not None}
    text = f"in {len(seeds)} seed{'s' if len(seeds) != 1 else ''}"
    return text + (f" × {len(judges)} judge{'s' if len(judges) != 1 else ''}" if judges else "")
