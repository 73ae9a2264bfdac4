"""Robustness across seeds and judges (issue 13), for every seed of the main pair under every
judge: the decoder-relative and real-relative scores of each sample set, the decoded-quality map
of each 2-D model, the IWAE bound of each VAE, and the comparisons that hold in all of them.

Works on an ``Analysis`` (the shared inputs: data, models, codes, hole maps, seeded draws).
Latent draws depend on the seed pair only, decodes are made once, and each judge embeds them, so
the judges score the very same images.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import robust, sample_sets, seeding
from pipeline.core.robust import Case
from .. import decoder_relative, holes, iwae, page_verdicts, paths, quality_map
from ..section import Result, Section
from .. import draws
from . import interpolation

SAMPLE_SETS = sample_sets.PRIOR_SETS
# Comparisons a page may state, as (name, set A, set B): A's FID against B's, against each
# reference (``<name>_fid_<reference>``).
COMPARISONS = (
    ("gmm_vs_vae", "ae_gmm", "vae_prior"),
    ("gmm_vs_ae_prior", "ae_gmm", "ae_prior"),
    ("ae_prior_vs_vae", "ae_prior", "vae_prior"),
    ("box_vs_ae_prior", "ae_box", "ae_prior"),
    ("gauss_vs_ae_prior", "ae_gauss", "ae_prior"),
)


def model_map(a: Any, mid: str, judge_id: str, m: quality_map.Manifold) -> tuple[dict[str, Any], np.ndarray]:
    """The decoded-quality map of one 2-D model under one judge, on its hole grid."""
    h = a.hole_map(mid)
    window = a.windows[mid]
    cells = a.decoded(mid, "grid-cells", quality_map.cell_centres(window, h.counts.shape[0]))
    feats = a.features(judge_id, cells)  # the cells are decoded once, for every judge
    return quality_map.quality_map(feats, m, h.counts, a.cfg.hole_max_count,
                                   holes.prior_cell_mass(window, h.counts.shape[0]))


# The N(0, I) sets whose off-manifold share the claims page tests (claims 3 to 5).
PRIOR_SETS = sample_sets.PRIOR_OF_ROLE


def one_seed(a: Any, ae: str, vae: str, judges: dict[str, str], real: dict[str, Any]
             ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Scores and maps of one seed pair under every judge ({name: model id}): {judge: {...}},
    and the realism maps. Decodes and judge passes come from the Analysis, made once."""
    drawn = a.pair_draws(ae, vae).sets
    out: dict[str, Any] = {}
    maps: dict[str, np.ndarray] = {}
    for jname, jid in judges.items():
        recon = {mid: a.recon_judged(mid, jid) for mid in (ae, vae)}
        judged = {name: a.judged(jid, mid, name, a.decoded(mid, name, z)) for name, (mid, z) in drawn.items()}
        sets = {name: _scored(a, jid, drawn[name][0], name, js, recon, real[jname])
                for name, js in judged.items()}
        for mid, kind in zip((ae, vae), sample_sets.RECON_SETS):
            sets[kind] = {"vs_recon": None,  # the reference itself
                          "vs_real": a.vs_real(jid, mid, draws.RECON, recon[mid], real[jname])}
        manifolds = {kind: a.manifold(mid, jid) for kind, mid in (("ae", ae), ("vae", vae))}
        qmaps = {}
        for kind, mid in (("ae", ae), ("vae", vae)):
            qmaps[kind], maps[f"{mid}_{jname}_realism"] = model_map(a, mid, jid, manifolds[kind])
        prior_off = {kind: quality_map.off_manifold_share(manifolds[kind], judged[name].feats)
                     for kind, name in PRIOR_SETS.items()}
        out[jname] = {"sets": sets, "quality_map": qmaps, "prior_off_manifold_fraction": prior_off}
    return out, maps


def _scored(a: Any, judge_id: str, mid: str, name: str, js: Any, recon: dict[str, Any],
            real: decoder_relative.Reference) -> dict[str, Any]:
    """A judged set's scores against its model's reconstructions and against the real images
    (``Analysis.vs_real``: the sample sections read the same numbers)."""
    own = recon[mid].reference(a.cfg.pr_k)
    return {"vs_recon": decoder_relative.score_against(own, js.feats, js.radii),
            "vs_real": a.vs_real(judge_id, mid, name, js, real)}


def comparisons(per_seed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each comparison's verdict over all seeds and judges (pipeline/core/robust.py)."""
    out: dict[str, Any] = {}
    for name, set_a, set_b in COMPARISONS:
        for ref in ("vs_recon", "vs_real"):
            vals = {k: {} for k in (set_a, set_b)}
            for seed, judged in per_seed.items():
                for jname, res in judged.items():
                    for s in (set_a, set_b):
                        vals[s][Case(seed, jname)] = res["sets"][s][ref]["fid"]
            out[f"{name}_fid_{ref}"] = robust.compare(vals[set_a], vals[set_b])
    for key in ("off_manifold_in_holes_fraction", "prior_mass_off_manifold_fraction"):
        vals = {k: {} for k in ("ae", "vae")}
        for seed, judged in per_seed.items():
            for jname, res in judged.items():
                for kind in ("ae", "vae"):
                    vals[kind][Case(seed, jname)] = res["quality_map"][kind][key]
        if all(v is not None for d in vals.values() for v in d.values()):
            out[f"ae_vs_vae_{key}"] = robust.compare(vals["ae"], vals["vae"])
    return out


# The 2-D sets whose recall against the real images the side-by-side page calls "close to zero"
# when it is below RECALL_NEAR_ZERO in every seed under every judge.
RECALL_SETS = ("ae_recon", "vae_recon", "vae_prior")
RECALL_NEAR_ZERO = 0.1


def checks(per_seed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Threshold checks over every seed × judge, for the pages to switch on."""
    recall = {(Case(seed, j), name): res["sets"][name]["vs_real"]["recall_fraction"]
              for seed, judged in per_seed.items() for j, res in judged.items() for name in RECALL_SETS}
    return {"recall_2d_near_zero": robust.threshold_check(recall, RECALL_NEAR_ZERO)}


# Judge-free numbers of each seed's hole maps that the pages compare between AE and VAE.
HOLE_KEYS = ("hole_fraction_hull", "prior_mass_uncovered_fraction")


def hole_evidence(a: Any, pairs: dict[str, list[str]]) -> dict[str, Any]:
    """The hole numbers of every seed pair, their spread over the seeds and the AE-against-VAE
    comparison of each over the seeds (no judge is involved: the seeds are all the cases).
    A "worse" verdict means the AE's number is higher in every seed."""
    per_seed = {key: {kind: {k: a.hole_map(mid).summary[k] for k in HOLE_KEYS}
                      for kind, mid in (("ae", ae), ("vae", vae))}
                for key, (ae, vae) in pairs.items()}
    return seed_verdicts(per_seed, HOLE_KEYS)


# Judge-free numbers of each seed pair's straight paths that the pages compare.
PATH_KEYS = ("steps_in_holes_fraction", "step_max_over_mean")


def path_evidence(a: Any, pairs: dict[str, list[str]]) -> dict[str, Any]:
    """The straight paths of every seed pair between the same test pairs: the share of steps in
    holes and the step ratio per seed, their spread, and the AE-against-VAE verdict of each over
    the seeds ("worse" = the AE's number is higher in every seed)."""
    tests = interpolation.path_pairs(a, interpolation.path_classes(a))
    per_seed = {}
    for key, (ae, vae) in pairs.items():
        per_seed[key] = {}
        for kind, mid in (("ae", ae), ("vae", vae)):
            _, _, density, step = interpolation.walk(a, mid, paths.linear, tests)
            numbers = interpolation.judge_free_summary(density, step, a.cfg.hole_max_count)
            per_seed[key][kind] = {k: numbers[k] for k in PATH_KEYS}
    return seed_verdicts(per_seed, PATH_KEYS)


def seed_verdicts(per_seed: dict[str, dict[str, dict[str, float]]], keys: tuple[str, ...]
                  ) -> dict[str, Any]:
    """{per_seed, spread (main and range), comparisons (AE against VAE over the seeds)} of
    judge-free numbers given per seed as {seed: {ae|vae: {number: value}}}."""
    main = next(iter(per_seed))
    return {
        "per_seed": per_seed,
        "spread": {kind: {k: robust.spread({s: per_seed[s][kind][k] for s in per_seed}, main)
                          for k in keys} for kind in ("ae", "vae")},
        "comparisons": {f"ae_vs_vae_{k}": robust.compare({s: per_seed[s]["ae"][k] for s in per_seed},
                                                         {s: per_seed[s]["vae"][k] for s in per_seed})
                        for k in keys},
    }


def spreads(per_seed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """{judge: {set: {reference: {score: main value and range over seeds}}}}: what the pages
    print as "246.7 (range 231–262 over 3 seeds)"."""
    main = next(iter(per_seed))
    first = per_seed[main]
    out: dict[str, Any] = {}
    for jname, res in first.items():
        out[jname] = {}
        for name, refs in res["sets"].items():
            out[jname][name] = {
                ref: {score: robust.spread({s: per_seed[s][jname]["sets"][name][ref][score]
                                            for s in per_seed}, main)
                      for score in scores}
                for ref, scores in refs.items() if scores is not None}
    return out


def quality_spreads(per_seed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """{judge: {ae|vae: {quality-map number: main value and range over seeds}}}."""
    main = next(iter(per_seed))
    keys = ("off_manifold_in_holes_fraction", "off_manifold_in_occupied_fraction",
            "off_manifold_in_window_fraction", "prior_mass_off_manifold_fraction")
    return {j: {kind: {k: robust.spread({s: per_seed[s][j]["quality_map"][kind][k] for s in per_seed}, main)
                       for k in keys}
                for kind in ("ae", "vae")}
            for j in per_seed[main]}


def sweep_map(a: Any, mid: str, judges: dict[str, str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One β-sweep VAE's quality maps under every judge: {judge: map}, {array name: realism}."""
    out: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    for jname, jid in judges.items():
        out[jname], arrays[f"{mid}_{jname}_realism"] = model_map(a, mid, jid, a.manifold(mid, jid))
    return out, arrays


def sweep_maps(a: Any, judges: dict[str, str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Quality maps of the β-sweep VAEs (the main seed only), under every judge: one cached
    job per VAE, so a β added to the sweep maps that VAE alone."""
    out: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    for item in a.sweep.get("beta_sweep", []):
        mid = item["id"]
        maps, realism = a.job(f"quality-map-{mid}", (mid, *judges.values()),
                              lambda: sweep_map(a, mid, judges))
        out[mid] = {"beta": item["beta"], **maps}
        arrays.update(realism)
    return out, arrays


def high_sets(a: Any, judges: dict[str, str], real: dict[str, Any]) -> dict[str, Any] | None:
    """The higher-dimensional pair's sample sets (the high_dim section's draws) scored against
    each model's reconstructions and against the real images, under every judge; and the share
    of each model's N(0, I) decodes off its reconstructions' manifold."""
    high = a.sweep.get("high")
    if not high or high["ae"] == a.roles.ae:
        return None
    ae, vae = high["ae"], high["vae"]
    sets = a.high_draws(ae, vae).sets
    scores: dict[str, Any] = {}
    prior_off: dict[str, Any] = {}
    for jname, jid in judges.items():
        recon = {mid: a.recon_judged(mid, jid) for mid in (ae, vae)}
        judged = {name: a.judged(jid, mid, name, a.decoded(mid, name, z)) for name, (mid, z) in sets.items()}
        scores[jname] = {name: _scored(a, jid, sets[name][0], name, js, recon, real[jname])
                         for name, js in judged.items()}
        prior_off[jname] = {kind: quality_map.off_manifold_share(a.manifold(mid, jid),
                                                                 judged[f"{mid}_prior"].feats)
                            for kind, mid in (("ae", ae), ("vae", vae))}
    return {"sets": scores, "prior_off_manifold_fraction": prior_off,
            "comparisons": page_verdicts.high_comparisons(scores, ae, vae, a.roles.main_seed)}


def real_references(a: Any, judges: dict[str, str]) -> dict[str, Any]:
    """The real test images under every judge, the reference of every "vs real" score."""
    return {j: a.real(jid) for j, jid in judges.items()}


def high_job(a: Any, judges: dict[str, str]) -> dict[str, Any] | None:
    """``high_sets`` as a cached job over the higher-dimensional pair and the judges."""
    high = a.roles.high
    if not high or high[0] == a.roles.ae:
        return None
    return a.job("robustness-high", (*high, *a.roles.judges.values()),
                 lambda: high_sets(a, judges, real_references(a, judges)))


def robustness(a: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """metrics["robustness"] and the realism maps (float32 [G, G] per model and judge). The seeds
    and judges are those the train stage trained (its sweep.json)."""
    # A train stage without seeds or a second judge (e.g. trained before them): the main pair
    # and the CNN judge alone (ModelRoles), so every comparison rests on one case and says so.
    pairs: dict[str, list[str]] = {s: list(p) for s, p in a.roles.seeds.items()}
    judges: dict[str, str] = a.judges  # the trained classifiers and the PCA of pixels
    trained_judges = tuple(a.roles.judges.values())
    per_seed, arrays, likelihood = {}, {}, {}
    n = min(a.cfg.iwae_images, len(a.data["test_x"]))
    for key, (ae, vae) in pairs.items():  # each seed pair and each VAE's bound: a cached job
        per_seed[key], maps = a.job(f"robustness-{ae}-{vae}", (ae, vae, *trained_judges),
                                    lambda: one_seed(a, ae, vae, judges, real_references(a, judges)))
        arrays.update(maps)
        likelihood[key] = a.job(f"iwae-{vae}", (vae,), lambda: iwae.iwae_bound(
            a.model(vae), a.data["test_x"][:n], a.cfg.iwae_k,
            seed=seeding.seed_for(a.seed, f"iwae:{vae}"), device=a.device))
    # The β-sweep maps are description, not evidence: no comparison or check reads them, so they
    # stay under the trained judges (the PCA judge would add about a tenth of its cost here).
    sweep, sweep_arrays = sweep_maps(a, a.roles.judges)
    return {"seeds": list(pairs), "judges": judges, "models": pairs,
            "references": decoder_relative.REFERENCES, "per_seed": per_seed,
            "beta_sweep_quality_map": sweep, "high_dim": high_job(a, judges),
            "iwae": likelihood, "holes": hole_evidence(a, pairs),
            "paths": a.job("robustness-paths", tuple(m for p in pairs.values() for m in p),
                           lambda: path_evidence(a, pairs)),
            "iwae_note": (f"IWAE bound on the first {n} test images, BCE on [0, 1] pixel "
                          "intensities: not the binarized-MNIST likelihood papers report, so not "
                          "comparable with it"),
            "spread": spreads(per_seed), "spread_quality": quality_spreads(per_seed), "comparisons": comparisons(per_seed),
            "checks": checks(per_seed),
            "pca_judge": a.job("pca-judge", (), lambda: a.pca_judge().summary())}, {**arrays, **sweep_arrays}


def _run(a: Any, needs: dict[str, Result]) -> Result:
    block, realism_maps = robustness(a)
    r = a.roles
    block["comparisons"]["vae_rec_vs_ae_bce"] = page_verdicts.recon_price(a.train_metrics["models"], r.seeds)
    block["checks"].update(page_verdicts.page_checks(needs["gaps"].block, needs["surgery"].block,
                                                     r.main_seed, r.ae, r.vae))
    return Result(block, {"holes": realism_maps})


SECTION = Section("robustness", _run, needs=("gaps", "surgery"))
