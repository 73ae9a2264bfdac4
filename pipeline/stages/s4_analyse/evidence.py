"""Issue 13's evidence, gathered for every seed of the main pair under every judge: the
decoder-relative and real-relative scores of each sample set, the decoded-quality map of each
2-D model, the IWAE bound of each VAE, and the comparisons that hold in all of them.

Works on an ``Analysis`` (the shared inputs: data, models, codes, hole maps, seeded draws).
Latent draws depend on the seed pair only, decodes are made once, and each judge embeds them, so
the judges score the very same images.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched, robust, seeding
from . import decoder_relative, holes, iwae, quality_map, samplers

IWAE_K = 500        # importance samples per image (the issue asks for k >= 500)
IWAE_IMAGES = 1000  # the first 1,000 test images (the stated subset)
SAMPLE_SETS = ("ae_prior", "ae_box", "ae_gauss", "ae_gmm", "vae_prior")
# Comparisons a page may state, as (name, set A, set B, score, reference): A against B.
COMPARISONS = (
    ("gmm_vs_vae", "ae_gmm", "vae_prior"),
    ("ae_prior_vs_vae", "ae_prior", "vae_prior"),
    ("box_vs_ae_prior", "ae_box", "ae_prior"),
    ("gauss_vs_ae_prior", "ae_gauss", "ae_prior"),
)


def _rng(a: Any, purpose: str) -> np.random.Generator:
    return seeding.rng(a.seed, purpose)


def seed_ids(seeds: list[int]) -> dict[int, tuple[str, str]]:
    """Model ids of the main pair per seed: the first seed is the main pair (ae2, vae2)."""
    return {s: ("ae2", "vae2") if i == 0 else (f"ae2-seed{s}", f"vae2-seed{s}")
            for i, s in enumerate(seeds)}


def seed_key(seed: int) -> str:
    """The key of one seed in metrics.json ("seed0"): JSON object keys are strings."""
    return f"seed{seed}"


def latent_sets(a: Any, ae: str, vae: str) -> dict[str, tuple[str, np.ndarray]]:
    """The five sample sets of one seed pair (same draws as the main analysis for the main pair)."""
    m, seed = a.cfg.n_samples, a.seed
    ae_z = a.codes(ae)["train_z"]
    tag = "" if ae == "ae2" else f"-{ae}"
    gmm = samplers.fit_gmm(ae_z, a.cfg.gmm_components, seeding.seed31(seed, f"gmm-fit:{ae}"))
    return {
        "ae_prior": (ae, samplers.prior(m, ae_z.shape[1], _rng(a, f"ae_prior{tag}"))),
        "ae_box": (ae, samplers.box(ae_z, m, _rng(a, f"ae_box{tag}"))),
        "ae_gauss": (ae, samplers.gaussian(ae_z, m, _rng(a, f"ae_gauss{tag}"))),
        "ae_gmm": (ae, samplers.gmm_sample(gmm, m, _rng(a, f"ae_gmm{tag}"))),
        "vae_prior": (vae, samplers.prior(m, a.codes(vae)["train_z"].shape[1], _rng(a, f"vae_prior{tag}"))),
    }


def model_map(a: Any, mid: str, judge: Any, recon_feats: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
    """The decoded-quality map of one 2-D model under one judge, on its hole grid."""
    h = a.hole_map(mid)
    window = a.windows[mid]
    cells = batched.decode(a.model(mid), quality_map.cell_centres(window, h.counts.shape[0]), a.device)
    feats = batched.judge(judge, cells, a.device)[1]
    return quality_map.quality_map(feats, recon_feats, h.counts, a.cfg.hole_max_count,
                                   holes.prior_cell_mass(window, h.counts.shape[0]))


def one_seed(a: Any, ae: str, vae: str, judges: dict[str, Any], real: dict[str, Any]
             ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Scores and maps of one seed pair under every judge: {judge: {...}}, and the realism maps."""
    images = {name: batched.decode(a.model(mid), z, a.device)
              for name, (mid, z) in latent_sets(a, ae, vae).items()}
    recon_images = {mid: batched.decode(a.model(mid), a.codes(mid)["test_z"], a.device) for mid in (ae, vae)}
    out: dict[str, Any] = {}
    maps: dict[str, np.ndarray] = {}
    for jname, judge in judges.items():
        recon_feats = {mid: batched.judge(judge, im, a.device)[1] for mid, im in recon_images.items()}
        recon_refs = {mid: decoder_relative.make_reference(f, a.cfg.pr_k) for mid, f in recon_feats.items()}
        sets = {}
        for name, im in images.items():
            mid = ae if name.startswith("ae_") else vae
            sets[name] = decoder_relative.score_both(real[jname], recon_refs[mid],
                                                     batched.judge(judge, im, a.device)[1])
        for mid, kind in ((ae, "ae_recon"), (vae, "vae_recon")):
            sets[kind] = {"vs_recon": None,  # the reference itself
                          "vs_real": decoder_relative.score_against(real[jname], recon_feats[mid])}
        qmaps = {}
        for mid, kind in ((ae, "ae"), (vae, "vae")):
            qmaps[kind], maps[f"{mid}_{jname}_realism"] = model_map(a, mid, judge, recon_feats[mid])
        out[jname] = {"sets": sets, "quality_map": qmaps}
    return out, maps


def comparisons(per_seed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each comparison's verdict over all seeds and judges (pipeline/core/robust.py)."""
    out: dict[str, Any] = {}
    for name, set_a, set_b in COMPARISONS:
        for ref in ("vs_recon", "vs_real"):
            vals = {k: {} for k in (set_a, set_b)}
            for seed, judged in per_seed.items():
                for jname, res in judged.items():
                    for s in (set_a, set_b):
                        vals[s][f"{seed}/{jname}"] = res["sets"][s][ref]["fid"]
            out[f"{name}_fid_{ref}"] = robust.compare(vals[set_a], vals[set_b])
    for key in ("off_manifold_in_holes_fraction", "prior_mass_off_manifold_fraction"):
        vals = {k: {} for k in ("ae", "vae")}
        for seed, judged in per_seed.items():
            for jname, res in judged.items():
                for kind in ("ae", "vae"):
                    vals[kind][f"{seed}/{jname}"] = res["quality_map"][kind][key]
        if all(v is not None for d in vals.values() for v in d.values()):
            out[f"ae_vs_vae_{key}"] = robust.compare(vals["ae"], vals["vae"])
    return out


def evidence(a: Any, seeds: list[int], judge_ids: dict[str, str]
             ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """metrics["evidence"] and the realism maps (float32 [G, G] per model and judge)."""
    judges = {j: a.model(mid) for j, mid in judge_ids.items()}
    real = {j: decoder_relative.make_reference(batched.judge(m, a.data["test_x"], a.device)[1], a.cfg.pr_k)
            for j, m in judges.items()}
    per_seed, arrays, likelihood = {}, {}, {}
    for seed, (ae, vae) in seed_ids(seeds).items():
        key = seed_key(seed)
        per_seed[key], maps = one_seed(a, ae, vae, judges, real)
        arrays.update(maps)
        n = min(IWAE_IMAGES, len(a.data["test_x"]))
        likelihood[key] = iwae.iwae_bound(a.model(vae), a.data["test_x"][:n], IWAE_K,
                                           seed=seeding.seed_for(a.seed, f"iwae:{vae}"),
                                           device=a.device)
    return {"seeds": [seed_key(s) for s in seeds], "judges": judge_ids,
            "models": {seed_key(s): list(p) for s, p in seed_ids(seeds).items()},
            "references": decoder_relative.REFERENCES, "per_seed": per_seed, "iwae": likelihood,
            "iwae_note": ("IWAE bound on the first test images, BCE on [0, 1] pixel intensities: "
                          "not the binarized-MNIST likelihood papers report, so not comparable with it"),
            "comparisons": comparisons(per_seed)}, arrays
