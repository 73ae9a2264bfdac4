"""Verdicts for the textbook claims, chosen by one stated rule on the run's numbers.

A claim is split into checks, each a comparison with a stated threshold. The rule:
**holds** when every check passes, **holds in part** when some pass, **not supported** when
none does. Where a number exists for several seeds or judges, a check passes only if it passes
for every one of them (``everywhere``), as the site's rule for comparing sentences demands.
The check builders below are pure functions of numbers, so every branch is unit-tested."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

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


# ------------------------------------------------------------------------- one builder per claim

def clusters(code_accuracy: float, chance: float, pixel_accuracy: float, model: str) -> list[Check]:
    """Claim 1: codes sort digits without labels (5-NN accuracy of the codes)."""
    return [
        Check(f"{model} codes' 5-NN accuracy is at least {CLUSTER_CHANCE_FACTOR:g}× chance",
              code_accuracy >= CLUSTER_CHANCE_FACTOR * chance),
        Check(f"{model} codes reach {CLUSTER_PIXEL_SHARE:.0%} of the raw-pixel 5-NN accuracy",
              code_accuracy >= CLUSTER_PIXEL_SHARE * pixel_accuracy),
    ]


def holes_decode_badly(off_in_holes: float, off_in_occupied: float, model: str) -> list[Check]:
    """Claim 2: decodes in empty regions are off-manifold (share of decodes off the manifold)."""
    return [
        Check(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {model}'s decodes in holes are off-manifold",
              off_in_holes >= OFF_MANIFOLD_MAJORITY),
        Check(f"{model}'s decodes in holes are off-manifold more often than in occupied cells",
              off_in_holes > off_in_occupied),
    ]


def prior_decodes_are_garbage(off_share: dict[str, float]) -> list[Check]:
    """Claim 3: N(0, I) decodes of plain AEs are mostly off-manifold; one check per model."""
    return [Check(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {m}'s N(0, I) decodes are off-manifold",
                  share >= OFF_MANIFOLD_MAJORITY) for m, share in off_share.items()]


def vae_prior_is_complete(vae_off: float, ae_off: float, vae_step_ratio: float,
                          ae_step_ratio: float) -> list[Check]:
    """Claim 4: VAE prior samples decode on-manifold, and its paths are smoother than the AE's."""
    return [
        Check(f"fewer than {OFF_MANIFOLD_MAJORITY:.0%} of the VAE's N(0, I) decodes are off-manifold",
              vae_off < OFF_MANIFOLD_MAJORITY),
        Check("the VAE's N(0, I) decodes are off-manifold less often than the AE's",
              vae_off < ae_off),
        Check("the VAE's interpolation paths have a smaller largest-step/mean-step ratio than the AE's",
              vae_step_ratio < ae_step_ratio),
    ]


def variants_stay_autoencoders(variant_off: dict[str, float], ae_off: float,
                               vae_off: float) -> list[Check]:
    """Claim 5: denoising/sparse AEs stay AEs: their N(0, I) decodes are off-manifold about as
    often as the plain AE's, i.e. nearer the AE's share than the VAE's."""
    return [Check(f"{m}'s N(0, I) off-manifold share is nearer the AE's than the VAE's",
                  abs(off - ae_off) < abs(off - vae_off)) for m, off in variant_off.items()]


def lower_is_better(pairs: dict[str, tuple[float, float]]) -> list[Check]:
    """Claims 6 and 7: for each named comparison (challenger, baseline), the challenger's error
    is lower. The name says what is compared, in which unit."""
    return [Check(name, challenger < baseline) for name, (challenger, baseline) in pairs.items()]


def denoiser_cleans(psnr: dict[str, dict[str, float]]) -> list[Check]:
    """Claim 8: per corruption, the denoising AE's output has a higher PSNR than both the noisy
    input and the plain AE's output. ``psnr[corruption]`` holds noisy, ae and denoising."""
    checks = []
    for corruption, p in psnr.items():
        checks.append(Check(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                            "noisy input", p["denoising"] > p["noisy"]))
        checks.append(Check(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                            "plain AE's", p["denoising"] > p["ae"]))
    return checks


def anomalies_flagged(auroc: dict[str, float]) -> list[Check]:
    """Claim 9: reconstruction error flags each OOD set (ROC AUC against the test digits)."""
    return [Check(f"{name}: ROC AUC at least {ANOMALY_AUROC:g}", value >= ANOMALY_AUROC)
            for name, value in auroc.items()]


def kl_pulls_to_prior(kl_agg_by_beta: dict[float, float], mi_nats: float,
                      log_n: float) -> list[Check]:
    """Claim 10: a larger KL weight brings the aggregate posterior nearer N(0, I), and at β = 1
    the codes overlap (mutual information I(n; z) well below log N: images share their clouds)."""
    betas = sorted(kl_agg_by_beta)
    kls = [kl_agg_by_beta[b] for b in betas]
    return [
        Check("the test KL per image falls as β rises across the sweep",
              len(kls) > 1 and all(a > b for a, b in zip(kls, kls[1:]))),
        Check("I(n; z) of the main VAE is below half of log N", mi_nats < 0.5 * log_n),
    ]
