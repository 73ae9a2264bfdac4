"""The rule that decides which comparing sentence a page may make.

A comparison of two scores (say the FID of AE GMM samples against the VAE's) is measured in
several cases: each seed of the main pair under each judge. In one case, A is "better", "worse"
or "level" with B (level: within ``level_within`` of each other, relative to the larger). The
comparison *holds* only when every case gives the same verdict; otherwise it is "unsettled",
and the page says so and gives the numbers. One seed and one judge cannot carry "better".
Each comparison and check also keeps which judges alone agreed (``by_judge``), so a page can say
which verdicts held under which judges.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from pipeline.core.report.robustness import Comparison, JudgeRanges, Spread, ThresholdCheck

LEVEL_WITHIN = 0.05  # 5 %: FID of 10,000 samples moves by a few % between seeds
VERDICTS = ("better", "worse", "level", "unsettled")
T = TypeVar("T")
R = TypeVar("R")


def case_verdict(a: float, b: float, lower_is_better: bool = True,
                 level_within: float = LEVEL_WITHIN) -> str:
    """A's verdict against B in one case: level when |a − b| ≤ level_within · max(|a|, |b|)."""
    if abs(a - b) <= level_within * max(abs(a), abs(b)):
        return "level"
    a_lower = a < b
    return "better" if a_lower == lower_is_better else "worse"


def compare(a: Mapping[Hashable, float], b: Mapping[Hashable, float], lower_is_better: bool = True,
            level_within: float = LEVEL_WITHIN) -> Comparison:
    """The verdict that holds in every case, or "unsettled". ``a`` and ``b`` map the same cases
    (e.g. ``Case("seed0", "cnn")``) to values. Returns the verdict, the count of each per-case
    verdict, the range of A and B over the cases and under each judge alone (for the page's
    numbers) and the threshold."""
    if set(a) != set(b):
        raise ValueError(f"the two scores were measured in different cases: {sorted(map(str, a))} "
                         f"vs {sorted(map(str, b))}")
    if not a:
        raise ValueError("a comparison needs at least one case (seed x judge)")
    per_case = {c: case_verdict(a[c], b[c], lower_is_better, level_within) for c in a}
    return Comparison(verdict=_agreed(per_case.values()), cases=len(per_case),  # type: ignore[arg-type]
                      counts={v: sum(1 for x in per_case.values() if x == v) for v in VERDICTS[:3]},
                      a_range=[min(a.values()), max(a.values())],
                      b_range=[min(b.values()), max(b.values())], level_within=level_within,
                      by_judge=_by_judge(per_case, _agreed),
                      ranges_by_judge=_by_judge({c: (a[c], b[c]) for c in a}, _ranges))


def _ranges(pairs: list[tuple[float, float]]) -> JudgeRanges:
    """A's and B's [min, max] over ``pairs`` of (A, B) values."""
    a_values, b_values = [p[0] for p in pairs], [p[1] for p in pairs]
    return JudgeRanges(a_range=[min(a_values), max(a_values)], b_range=[min(b_values), max(b_values)])


def _agreed(verdicts: Iterable[str]) -> str:
    """The one verdict all of ``verdicts`` share, else "unsettled"."""
    kinds = set(verdicts)
    return kinds.pop() if len(kinds) == 1 else "unsettled"


def _judge_of(key: Hashable) -> str | None:
    """The judge a case key names: a ``Case``, its text ("seed1/mlp"), or a tuple holding a
    ``Case`` (a check over several numbers, e.g. (case, set name))."""
    if isinstance(key, tuple):
        return next((k.judge for k in key if isinstance(k, Case)), None)
    return key.judge if isinstance(key, Case) else Case.parse(str(key)).judge


def _by_judge(per_case: Mapping[Hashable, T], combine: Callable[[list[T]], R]) -> dict[str, R] | None:
    """{judge: ``combine`` of its cases' results} over the cases that name a judge, which
    judges alone agreed; None when no case names one (judge-free numbers)."""
    grouped: dict[str, list[T]] = {}
    for key, result in per_case.items():
        judge = _judge_of(key)
        if judge is not None:
            grouped.setdefault(judge, []).append(result)
    return {j: combine(results) for j, results in grouped.items()} or None


def threshold_check(values: Mapping[Hashable, float], threshold: float,
                    at_least: bool = False) -> ThresholdCheck:
    """Is the number on the stated side of ``threshold`` (at least it, or below it) in every
    case? One case on the wrong side fails it, as one dissenting case unsettles a comparison."""
    if not values:
        raise ValueError("a threshold check needs at least one case")
    per_case = {c: (v >= threshold) if at_least else (v < threshold) for c, v in values.items()}
    ok = list(per_case.values())
    return ThresholdCheck(holds=all(ok), threshold=threshold, at_least=at_least, cases=len(ok),
                          passed=sum(ok), range=[min(values.values()), max(values.values())],
                          by_judge=_by_judge(per_case, all))


def spread(per_seed: Mapping[Hashable, float], main: Hashable) -> Spread:
    """The main seed's value and the range over all seeds: what the pages print as
    "246.7 (range 231–262 over 3 seeds)"."""
    if main not in per_seed:
        raise ValueError(f"the main seed {main!r} has no value among {sorted(map(str, per_seed))}")
    values = [v for v in per_seed.values() if v is not None]  # None: not measurable in that seed
    return Spread(main=per_seed[main], min=min(values, default=None),
                  max=max(values, default=None), n_seeds=len(per_seed))


@dataclass(frozen=True, order=True)
class Case:
    """One case a number was measured in: a seed of the main pair, under a judge where one is
    involved. Its key in metrics.json is "seed1/mlp" (or "seed1" without a judge)."""

    seed: str
    judge: str | None = None

    def __str__(self) -> str:
        return self.seed if self.judge is None else f"{self.seed}/{self.judge}"

    @classmethod
    def parse(cls, key: str) -> "Case":
        """The case of a metrics.json key ("seed1/mlp" or "seed1")."""
        seed, _, judge = key.partition("/")
        return cls(seed, judge or None)

    @classmethod
    def every(cls, seeds: Iterable[str], judges: Iterable[str]) -> list["Case"]:
        """Every seed under every judge, seeds outermost."""
        judges = list(judges)
        return [cls(s, j) for s in seeds for j in judges]
