"""Verdicts for the textbook claims, chosen by one stated rule on the run's numbers.

A claim is split into checks, each a comparison with a stated threshold. The rule:
**holds** when every check passes, **holds in part** when some pass, **not supported** when
none does. Where a number exists for several seeds or judges, a check passes only if it passes
for every one of them (``everywhere``), as the site's rule for comparing sentences demands.
The check builders below are pure functions of numbers, so every branch is unit-tested."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Mapping, Sequence

HOLDS, IN_PART, NOT_SUPPORTED = "holds", "holds in part", "not supported"
RULE = ("Each claim is split into checks, each a comparison with a stated threshold. A claim "
        "holds when every check passes, holds in part when some pass, and is not supported when "
        "none does. Where a number was measured for several seeds or judges, a check passes only "
        "if it passes for each of them.")

CLUSTER_CHANCE_FACTOR = 2.0     # codes must beat chance by this factor to "sort" digits
CLUSTER_PIXEL_SHARE = 0.9       # ... and reach this share of the raw-pixel accuracy to match them
OFF_MANIFOLD_MAJORITY = 0.5     # "nonsense"/"garbage": at least half the decodes off-manifold
ANOMALY_AUROC = 0.9             # a score "flags" an OOD set when its ROC AUC reaches this


@dataclass(frozen=True)
class Check:
    """One comparison: what was tested (in words, with its threshold) and whether it passed."""

    test: str
    passed: bool


def everywhere(values: Iterable[bool]) -> bool:
    """True only if the comparison passed for every seed/judge it was measured for (and at least
    one)."""
    values = list(values)
    return bool(values) and all(values)


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
    return {"checks": [asdict(c) for c in checks], "verdict": verdict(checks)}


# A number measured in several cases: "seed1/mlp" (a seed under a judge) or "seed1" (judge-free)
# -> its value. A plain float is one number that does not vary with the case (PCA, a threshold).
Cases = Mapping[str, float]


def each(test: Callable[..., bool], *numbers: Cases | float) -> bool:
    """``test`` passes in every case: it is called with each case's values of ``numbers`` (the
    dicts must name the same cases; floats are the same in every case)."""
    dicts = [n for n in numbers if isinstance(n, Mapping)]
    if not dicts:
        raise ValueError("a check over cases needs at least one number given per case")
    keys = set(dicts[0])
    if any(set(d) != keys for d in dicts[1:]):
        raise ValueError(f"numbers measured in different cases: {[sorted(d) for d in dicts]}")
    return everywhere(test(*(n[k] if isinstance(n, Mapping) else n for n in numbers))
                      for k in sorted(keys))


def where(cases: Cases) -> str:
    """The cases a check was made in, for its text: "in 3 seeds × 2 judges", "in 1 seed"."""
    seeds = {k.split("/")[0] for k in cases}
    judges = {k.split("/")[1] for k in cases if "/" in k}
    text = f"in {len(seeds)} seed{'s' if len(seeds) != 1 else ''}"
    return text + (f" × {len(judges)} judge{'s' if len(judges) != 1 else ''}" if judges else "")


# ------------------------------------------------------------------------- one builder per claim

def clusters(code_accuracy: Cases, chance: float, pixel_accuracy: float, model: str) -> list[Check]:
    """Claim 1: codes sort digits without labels (5-NN accuracy of the codes, per seed)."""
    return [
        Check(f"{model} codes' 5-NN accuracy is at least {CLUSTER_CHANCE_FACTOR:g}× chance, "
              f"{where(code_accuracy)}",
              each(lambda acc: acc >= CLUSTER_CHANCE_FACTOR * chance, code_accuracy)),
        Check(f"{model} codes reach {CLUSTER_PIXEL_SHARE:.0%} of the raw-pixel 5-NN accuracy, "
              f"{where(code_accuracy)}",
              each(lambda acc: acc >= CLUSTER_PIXEL_SHARE * pixel_accuracy, code_accuracy)),
    ]


def holes_decode_badly(off_in_holes: Cases, off_in_occupied: Cases, model: str) -> list[Check]:
    """Claim 2: decodes in empty regions are off-manifold (share of decodes off the manifold)."""
    return [
        Check(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {model}'s decodes in holes are "
              f"off-manifold, {where(off_in_holes)}",
              each(lambda share: share >= OFF_MANIFOLD_MAJORITY, off_in_holes)),
        Check(f"{model}'s decodes in holes are off-manifold more often than in occupied cells, "
              f"{where(off_in_holes)}",
              each(lambda holes, occupied: holes > occupied, off_in_holes, off_in_occupied)),
    ]


def prior_decodes_are_garbage(off_share: dict[str, Cases]) -> list[Check]:
    """Claim 3: N(0, I) decodes of plain AEs are mostly off-manifold; one check per model."""
    return [Check(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {m}'s N(0, I) decodes are "
                  f"off-manifold, {where(share)}",
                  each(lambda x: x >= OFF_MANIFOLD_MAJORITY, share)) for m, share in off_share.items()]


def vae_prior_is_complete(vae_off: Cases, ae_off: Cases, vae_step_ratio: Cases,
                          ae_step_ratio: Cases) -> list[Check]:
    """Claim 4: VAE prior samples decode on-manifold, and its paths are smoother than the AE's."""
    return [
        Check(f"fewer than {OFF_MANIFOLD_MAJORITY:.0%} of the VAE's N(0, I) decodes are "
              f"off-manifold, {where(vae_off)}",
              each(lambda x: x < OFF_MANIFOLD_MAJORITY, vae_off)),
        Check(f"the VAE's N(0, I) decodes are off-manifold less often than the AE's, {where(vae_off)}",
              each(lambda vae, ae: vae < ae, vae_off, ae_off)),
        Check("the VAE's interpolation paths have a smaller largest-step/mean-step ratio than the "
              f"AE's, {where(vae_step_ratio)}",
              each(lambda vae, ae: vae < ae, vae_step_ratio, ae_step_ratio)),
    ]


def variants_stay_autoencoders(variant_off: dict[str, Cases], ae_off: Cases,
                               vae_off: Cases) -> list[Check]:
    """Claim 5: denoising/sparse AEs stay AEs: their N(0, I) decodes are off-manifold about as
    often as the plain AE's, i.e. nearer the AE's share than the VAE's (under the same judge)."""
    return [Check(f"{m}'s N(0, I) off-manifold share is nearer the AE's than the VAE's, {where(off)}",
                  each(lambda x, ae, vae: abs(x - ae) < abs(x - vae), off, ae_off, vae_off))
            for m, off in variant_off.items()]


def lower_is_better(pairs: dict[str, tuple[Cases | float, Cases | float]]) -> list[Check]:
    """Claims 6 and 7: for each named comparison (challenger, baseline), the challenger's error
    is lower in every case. The name says what is compared, in which unit."""
    out = []
    for name, (challenger, baseline) in pairs.items():
        cases = challenger if isinstance(challenger, Mapping) else baseline
        suffix = f", {where(cases)}" if isinstance(cases, Mapping) else ""
        out.append(Check(name + suffix, each(lambda c, b: c < b, *_as_cases(challenger, baseline))))
    return out


def _as_cases(*numbers: Cases | float) -> tuple[Cases | float, ...]:
    """Two plain floats become one case, so ``each`` can compare them."""
    if any(isinstance(n, Mapping) for n in numbers):
        return numbers
    return ({"one": numbers[0]}, *numbers[1:])


def denoiser_cleans(psnr: dict[str, dict[str, Cases]]) -> list[Check]:
    """Claim 8: per corruption, the denoising AE's output has a higher PSNR than both the noisy
    input and the plain AE's output. ``psnr[corruption]`` holds noisy, ae and denoising."""
    checks = []
    for corruption, p in psnr.items():
        checks.append(Check(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                            f"noisy input, {where(p['denoising'])}",
                            each(lambda d, n: d > n, p["denoising"], p["noisy"])))
        checks.append(Check(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                            f"plain AE's, {where(p['denoising'])}",
                            each(lambda d, a: d > a, p["denoising"], p["ae"])))
    return checks


def anomalies_flagged(auroc: dict[str, Cases]) -> list[Check]:
    """Claim 9: reconstruction error flags each OOD set (ROC AUC against the test digits)."""
    return [Check(f"{name}: ROC AUC at least {ANOMALY_AUROC:g}, {where(value)}",
                  each(lambda x: x >= ANOMALY_AUROC, value)) for name, value in auroc.items()]


def kl_pulls_to_prior(kl_agg_by_beta: dict[float, float], mi_nats: Cases,
                      log_n: float) -> list[Check]:
    """Claim 10: a larger KL weight brings the aggregate posterior nearer N(0, I), and at β = 1
    the codes overlap (mutual information I(n; z) well below log N: images share their clouds)."""
    betas = sorted(kl_agg_by_beta)
    kls = [kl_agg_by_beta[b] for b in betas]
    return [
        Check("the test KL per image falls as β rises across the sweep, in 1 seed (the sweep's)",
              len(kls) > 1 and all(a > b for a, b in zip(kls, kls[1:]))),
        Check(f"I(n; z) of the 2-D VAE is below half of log N, {where(mi_nats)}",
              each(lambda mi: mi < 0.5 * log_n, mi_nats)),
    ]
