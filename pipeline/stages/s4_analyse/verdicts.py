"""Verdicts for the textbook claims, chosen by one stated rule on the run's numbers.

A claim is split into checks; each check is made by the site's one rule for comparing
(``pipeline/core/robust.py``): either A against B, passing when A is better than B beyond the
"level" band (``robust.LEVEL_WITHIN``) in every case, or a number against a stated threshold,
passing when it is on the stated side in every case. A case is a seed of the main pair, under a
judge where one is involved (``robust.Case``). The claim **holds** when every check passes,
**holds in part** when some pass, **not supported** when none does. The check builders below
are pure functions of numbers, so every branch is unit-tested."""

from __future__ import annotations

from typing import Mapping, Sequence

from pipeline.core import robust
from pipeline.core.report import Check, ClaimVerdict, dump
from pipeline.core.robust import Case

HOLDS, IN_PART, NOT_SUPPORTED = "holds", "holds in part", "not supported"
RULE = ("Each claim is split into checks: one number against another (it passes when the first "
        f"is better by more than {robust.LEVEL_WITHIN:.0%} of the larger, the rule of every "
        "comparing sentence on this site), or a number against a stated threshold. A claim holds "
        "when every check passes, holds in part when some pass, and is not supported when none "
        "does. Where a number was measured for several seeds or judges, a check passes only if it "
        "passes for each of them.")

CLUSTER_CHANCE_FACTOR = 2.0     # codes must beat chance by this factor to "sort" digits
CLUSTER_PIXEL_SHARE = 0.9       # ... and reach this share of the raw-pixel accuracy to match them
OFF_MANIFOLD_MAJORITY = 0.5     # "nonsense"/"garbage": at least half the decodes off-manifold
ANOMALY_AUROC = 0.9             # a score "flags" an OOD set when its ROC AUC reaches this


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


def _per_case(*numbers: Cases | float) -> list[dict[str, float]]:
    """The numbers over the same cases: a float is every case's value; two floats are one case."""
    dicts = [n for n in numbers if isinstance(n, Mapping)]
    keys = set(dicts[0]) if dicts else {"main"}
    if any(set(d) != keys for d in dicts[1:]):
        raise ValueError(f"numbers measured in different cases: {[sorted(d) for d in dicts]}")
    return [dict(n) if isinstance(n, Mapping) else {k: float(n) for k in keys} for n in numbers]


def better(test: str, a: Cases | float, b: Cases | float, lower_is_better: bool) -> Check:
    """A is better than B in every case, by the one rule (not merely level)."""
    a_cases, b_cases = _per_case(a, b)
    comparison = robust.compare(a_cases, b_cases, lower_is_better)
    return Check(test=test, passed=comparison.verdict == "better", comparison=comparison)


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


# ------------------------------------------------------------------------- one builder per claim

def clusters(code_accuracy: Cases, chance: float, pixel_accuracy: float, model: str) -> list[Check]:
    """Claim 1: codes sort digits without labels (5-NN accuracy of the codes, per seed)."""
    return [
        on_side(f"{model} codes' 5-NN accuracy is at least {CLUSTER_CHANCE_FACTOR:g}× chance, "
                f"{where(code_accuracy)}", code_accuracy, CLUSTER_CHANCE_FACTOR * chance, True),
        on_side(f"{model} codes reach {CLUSTER_PIXEL_SHARE:.0%} of the raw-pixel 5-NN accuracy, "
                f"{where(code_accuracy)}", code_accuracy, CLUSTER_PIXEL_SHARE * pixel_accuracy, True),
    ]


def holes_decode_badly(off_in_holes: Cases, off_in_occupied: Cases, model: str) -> list[Check]:
    """Claim 2: decodes in empty regions are off-manifold (share of decodes off the manifold)."""
    return [
        on_side(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {model}'s decodes in holes are "
                f"off-manifold, {where(off_in_holes)}", off_in_holes, OFF_MANIFOLD_MAJORITY, True),
        better(f"{model}'s decodes in holes are off-manifold more often than in occupied cells, "
               f"{where(off_in_holes)}", off_in_holes, off_in_occupied, lower_is_better=False),
    ]


def prior_decodes_are_garbage(off_share: dict[str, Cases]) -> list[Check]:
    """Claim 3: N(0, I) decodes of plain AEs are mostly off-manifold; one check per model."""
    return [on_side(f"at least {OFF_MANIFOLD_MAJORITY:.0%} of {m}'s N(0, I) decodes are "
                    f"off-manifold, {where(share)}", share, OFF_MANIFOLD_MAJORITY, True)
            for m, share in off_share.items()]


def vae_prior_is_complete(vae_off: Cases, ae_off: Cases, vae_step_ratio: Cases,
                          ae_step_ratio: Cases) -> list[Check]:
    """Claim 4: VAE prior samples decode on-manifold, and its paths are smoother than the AE's."""
    return [
        on_side(f"fewer than {OFF_MANIFOLD_MAJORITY:.0%} of the VAE's N(0, I) decodes are "
                f"off-manifold, {where(vae_off)}", vae_off, OFF_MANIFOLD_MAJORITY, False),
        better(f"the VAE's N(0, I) decodes are off-manifold less often than the AE's, {where(vae_off)}",
               vae_off, ae_off, lower_is_better=True),
        better("the VAE's interpolation paths have a smaller largest-step/mean-step ratio than the "
               f"AE's, {where(vae_step_ratio)}", vae_step_ratio, ae_step_ratio, lower_is_better=True),
    ]


def variants_stay_autoencoders(variant_off: dict[str, Cases], ae_off: Cases,
                               vae_off: Cases) -> list[Check]:
    """Claim 5: denoising/sparse AEs stay AEs: their N(0, I) decodes are off-manifold about as
    often as the plain AE's, i.e. nearer the AE's share than the VAE's (under the same judge)."""
    checks = []
    for m, off in variant_off.items():
        x, ae, vae = _per_case(off, ae_off, vae_off)
        to_ae = {k: abs(x[k] - ae[k]) for k in x}
        to_vae = {k: abs(x[k] - vae[k]) for k in x}
        checks.append(better(f"{m}'s N(0, I) off-manifold share is nearer the AE's than the VAE's, "
                             f"{where(off)}", to_ae, to_vae, lower_is_better=True))
    return checks


def lower_is_better(pairs: dict[str, tuple[Cases | float, Cases | float]]) -> list[Check]:
    """Claims 6 and 7: for each named comparison (challenger, baseline), the challenger's error
    is lower in every case. The name says what is compared, in which unit."""
    out = []
    for name, (challenger, baseline) in pairs.items():
        cases = challenger if isinstance(challenger, Mapping) else baseline
        suffix = f", {where(cases)}" if isinstance(cases, Mapping) else ""
        out.append(better(name + suffix, challenger, baseline, lower_is_better=True))
    return out


def denoiser_cleans(psnr: dict[str, dict[str, Cases]]) -> list[Check]:
    """Claim 8: per corruption, the denoising AE's output has a higher PSNR than both the noisy
    input and the plain AE's output. ``psnr[corruption]`` holds noisy, ae and denoising."""
    checks = []
    for corruption, p in psnr.items():
        checks.append(better(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                             f"noisy input, {where(p['denoising'])}", p["denoising"], p["noisy"],
                             lower_is_better=False))
        checks.append(better(f"{corruption}: the denoising AE's output is cleaner (PSNR) than the "
                             f"plain AE's, {where(p['denoising'])}", p["denoising"], p["ae"],
                             lower_is_better=False))
    return checks


def anomalies_flagged(auroc: dict[str, Cases]) -> list[Check]:
    """Claim 9: reconstruction error flags each OOD set (ROC AUC against the test digits)."""
    return [on_side(f"{name}: ROC AUC at least {ANOMALY_AUROC:g}, {where(value)}", value,
                    ANOMALY_AUROC, True) for name, value in auroc.items()]


def kl_pulls_to_prior(kl_agg_by_beta: dict[float, float], mi_nats: Cases,
                      log_n: float) -> list[Check]:
    """Claim 10: a larger KL weight brings the aggregate posterior nearer N(0, I), and at β = 1
    the codes overlap (mutual information I(n; z) well below log N: images share their clouds).
    The sweep was trained once, so its trend is one case: each step down must be better than
    level (the one rule)."""
    betas = sorted(kl_agg_by_beta)
    kls = [kl_agg_by_beta[b] for b in betas]
    steps = [robust.case_verdict(b, a) == "better" for a, b in zip(kls, kls[1:])]
    return [
        Check(test="the test KL per image falls as β rises across the sweep, in 1 seed (the sweep's)",
              passed=bool(steps) and all(steps)),
        on_side(f"I(n; z) of the 2-D VAE is below half of log N, {where(mi_nats)}", mi_nats,
                0.5 * log_n, False),
    ]
