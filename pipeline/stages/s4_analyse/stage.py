"""Analyse stage: measures the holes and the clouds and writes every number the site prints.

Reads the MNIST arrays, the checkpoints and the codes; writes ``metrics.json`` (named numbers
with units, plus config and seed), ``holes.npz``, ``samples.npz`` and ``paths.npz`` (layouts in
ARCHITECTURE.md). All measuring is done by the modules beside it, on arrays; this module only
loads, orchestrates and saves. Every random draw comes from a generator seeded by (seed, purpose),
so adding a measurement never changes the draws of another.
"""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any

import numpy as np
from torch import nn

from pipeline.core import batched
from . import holes, paths, samplers, scores, surgery
from .knn import kth_nn_radius, nn_distance
from .report import UNITS, tidy
from pipeline.core.io import load_json, load_npz, save_json, save_npz
from pipeline.core.models import load_checkpoint
from pipeline.core.context import StageContext

KEEP_IMAGES = 100          # decoded images kept per sample set (for grids)
NN_PERCENTILE = 95         # far_fraction threshold: this percentile of code-to-code NN distances
NN_REF_QUERIES = 10000     # codes whose nearest other code sets that threshold
SURGERY_MC = 2000          # codes drawn for the ELBO-surgery Monte Carlo (log q(z) uses all N;
                           # the standard error of I(n; z) is reported next to it)
SURGERY_MC_SIDE = 1000     # the same for the β-sweep and high-dimensional VAEs (time budget)
SET_SOURCES = {
    "ae_prior": "AE decoder on z ~ N(0, I)",
    "ae_box": "AE decoder on z uniform in the codes' bounding box",
    "ae_gauss": "AE decoder on z ~ Gaussian fitted to the AE codes",
    "ae_gmm": "AE decoder on z ~ Gaussian mixture fitted to the AE codes",
    "vae_prior": "VAE decoder on z ~ N(0, I)",
    "ae_recon": "AE reconstructions of the test images (decode of z)",
    "vae_recon": "VAE reconstructions of the test images (decode of μ)",
}
HIGH_MEASURE = ("Holes are not measured on the UMAP map (UMAP does not preserve density). "
                "Instead: far_fraction = share of latent points whose nearest training code is "
                "farther than the 95th percentile of code-to-nearest-other-code distances, in the "
                "d-dimensional latent space itself (VAE codes: one draw z ~ q(z|x) per training "
                "image). Points drawn like the codes score about 0.05; points in holes score higher.")


def rng_for(seed: int, purpose: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(purpose.encode())])


class Analysis:
    """Shared inputs of the measurements: data, judge, reference features, loaded models."""

    def __init__(self, ctx: StageContext):
        self.ctx = ctx
        self.cfg = ctx.cfg.analyse
        self.seed = ctx.cfg.seed
        self.device = ctx.device
        self.data = load_npz(ctx.inputs["data"] / "mnist.npz")
        self.train_metrics = load_json(ctx.inputs["train"] / "metrics.json")
        self.sweep = load_json(ctx.inputs["train"] / "sweep.json")
        self._models: dict[str, nn.Module] = {}
        self._codes: dict[str, dict[str, np.ndarray]] = {}
        self._nn_threshold: dict[str, float] = {}
        self.judge = self.model("judge")
        # The reference: real test images, their judge features and k-NN radii (reused by every set).
        self.test_probs, self.test_feats = batched.judge(self.judge, self.data["test_x"], self.device)
        self.test_radii = kth_nn_radius(self.test_feats, self.cfg.pr_k)
        self.grids: dict[str, holes.HoleStats] = {}
        self.surgeries: dict[str, dict[str, Any]] = {}
        self.windows: dict[str, np.ndarray] = {}

    def model(self, mid: str) -> nn.Module:
        if mid not in self._models:
            path = self.ctx.inputs["train"] / "models" / f"{mid}.pt"
            self._models[mid] = load_checkpoint(path, self.device)[0]
        return self._models[mid]

    def codes(self, mid: str) -> dict[str, np.ndarray]:
        if mid not in self._codes:
            self._codes[mid] = load_npz(self.ctx.inputs["encode"] / f"{mid}.npz")
        return self._codes[mid]

    # ------------------------------------------------------------------------------ holes

    def hole_map(self, mid: str) -> holes.HoleStats:
        if mid not in self.grids:
            z = self.codes(mid)["train_z"]
            self.windows[mid] = holes.latent_window(z)
            self.grids[mid] = holes.hole_stats(z, self.windows[mid], self.cfg.grid,
                                               self.cfg.hole_max_count)
        return self.grids[mid]

    def hole_summary(self, mid: str) -> dict[str, Any]:
        h = self.hole_map(mid)
        return {"window": self.windows[mid], "hole_max_count": self.cfg.hole_max_count, **h.summary}

    def in_holes_fraction(self, mid: str, z: np.ndarray) -> float:
        """Share of 2-D points in a hole cell or outside the window (where no code lies)."""
        h = self.hole_map(mid)
        return float((holes.lookup(h.counts, self.windows[mid], z) <= self.cfg.hole_max_count).mean())

    # ---------------------------------------------------------------------------- scoring

    def ref_codes(self, mid: str) -> np.ndarray:
        """The training codes that latent points are compared with: AE z; for a VAE one seeded
        draw z ~ q(z|x) per image, not μ (in many dimensions the μ's of inactive units collapse
        to 0 while q(z) still spreads there, so prior draws would all look far from μ)."""
        c = self.codes(mid)
        if "train_logvar" not in c:
            return c["train_z"]
        eps = rng_for(self.seed, f"ref-codes-{mid}").standard_normal(c["train_z"].shape)
        return (c["train_z"] + np.exp(0.5 * c["train_logvar"].astype(np.float64)) * eps).astype(np.float32)

    def nn_threshold(self, mid: str) -> float:
        """95th percentile of the distance from a code to its nearest other code."""
        if mid not in self._nn_threshold:
            z = self.ref_codes(mid)
            order = rng_for(self.seed, f"nn-ref-{mid}").permutation(len(z))
            z = z[order]  # queries are the first rows: a seeded subset, excluded from themselves
            d = nn_distance(z[:NN_REF_QUERIES], z, exclude_self=True)
            self._nn_threshold[mid] = float(np.percentile(d, NN_PERCENTILE))
        return self._nn_threshold[mid]

    def score_images(self, images: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
        """Judge scores of a set of images against the real test images; also returns classes."""
        probs, feats = batched.judge(self.judge, images, self.device)
        precision, recall = scores.precision_recall(self.test_feats, feats, self.cfg.pr_k,
                                                    real_radii=self.test_radii)
        out = {"n": len(images), "fid": scores.fid(feats, self.test_feats),
               "precision_fraction": precision, "recall_fraction": recall,
               **scores.judge_summary(probs)}
        return out, probs.argmax(1).astype(np.uint8)

    def score_set(self, mid: str, z: np.ndarray, source: str
                  ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Decode ``z`` with model ``mid``, score the images; (metrics, arrays for samples.npz)."""
        images = batched.decode(self.model(mid), z, self.device)
        out, classes = self.score_images(images)
        dist = nn_distance(z, self.ref_codes(mid))
        out = {"model": mid, "source": source, **out,
               "far_fraction": float((dist > self.nn_threshold(mid)).mean())}
        if z.shape[1] == 2:
            out["in_holes_fraction"] = self.in_holes_fraction(mid, z)
        return out, {"z": z.astype(np.float32), "images": images[:KEEP_IMAGES], "classes": classes}


# ------------------------------------------------------------------------------------ sections

def reference(a: Analysis) -> dict[str, Any]:
    """Real test images scored against as many real training images: the floor of each score."""
    n = len(a.data["test_x"])
    idx = np.sort(rng_for(a.seed, "reference").permutation(len(a.data["train_x"]))[:n])
    probs, feats = batched.judge(a.judge, a.data["train_x"][idx], a.device)
    precision, recall = scores.precision_recall(feats, a.test_feats, a.cfg.pr_k)
    acc = float((a.test_probs.argmax(1) == a.data["test_y"]).mean())
    return {"test_vs_train": {
        "source": "real test images, scored against a seeded subset of as many training images",
        "n": n, "fid": scores.fid(a.test_feats, feats), "precision_fraction": precision,
        "recall_fraction": recall, "judge_test_accuracy_fraction": acc,
        **scores.judge_summary(a.test_probs)}}


def main_samples(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    m = a.cfg.n_samples
    ae_z, vae_mu = a.codes("ae2")["train_z"], a.codes("vae2")["train_z"]
    d = ae_z.shape[1]
    gmm = samplers.fit_gmm(ae_z, a.cfg.gmm_components, a.seed)
    sets = {
        "ae_prior": ("ae2", samplers.prior(m, d, rng_for(a.seed, "ae_prior"))),
        "ae_box": ("ae2", samplers.box(ae_z, m, rng_for(a.seed, "ae_box"))),
        "ae_gauss": ("ae2", samplers.gaussian(ae_z, m, rng_for(a.seed, "ae_gauss"))),
        "ae_gmm": ("ae2", samplers.gmm_sample(gmm, m, rng_for(a.seed, "ae_gmm"))),
        "vae_prior": ("vae2", samplers.prior(m, vae_mu.shape[1], rng_for(a.seed, "vae_prior"))),
        "ae_recon": ("ae2", a.codes("ae2")["test_z"]),
        "vae_recon": ("vae2", a.codes("vae2")["test_z"]),
    }
    metrics, arrays = {}, {}
    for name, (mid, z) in sets.items():
        metrics[name], arr = a.score_set(mid, z, SET_SOURCES[name])
        arrays.update({f"{name}_{k}": v for k, v in arr.items()})
    # How well each density fitted to the AE's training codes explains its test codes.
    test_z = a.codes("ae2")["test_z"].astype(np.float64)
    metrics["ae_gauss"]["fit_test_loglik_nats"] = samplers.gaussian_loglik(ae_z, test_z)
    metrics["ae_gmm"]["fit_test_loglik_nats"] = float(gmm.score(test_z))
    metrics["ae_gmm"]["components"] = a.cfg.gmm_components
    for name in ("ae_recon", "vae_recon"):
        mid = sets[name][0]
        metrics[name].update(batched.recon_errors(a.model(mid), a.data["test_x"], sets[name][1], a.device))
    return metrics, arrays


def gaps(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    metrics, arrays = {}, {}
    for mid in ("ae2", "vae2"):
        h = a.hole_map(mid)
        pts, clearance = holes.gap_points(h.holes, h.hull, a.windows[mid], a.cfg.n_gap_points)
        images = batched.decode(a.model(mid), pts, a.device)
        probs = batched.judge(a.judge, images, a.device)[0] if len(pts) else np.zeros((0, 10))
        metrics[mid] = {
            "points": [{"x": p[0], "y": p[1], "clearance": c, "class": int(q.argmax()),
                        "confidence_fraction": float(q.max())}
                       for p, c, q in zip(pts, clearance, probs)],
            "confidence_mean_fraction": float(probs.max(1).mean()) if len(pts) else None,
        }
        arrays.update({f"{mid}_counts": h.counts, f"{mid}_window": a.windows[mid],
                       f"{mid}_holes": h.holes, f"{mid}_hull": h.hull, f"{mid}_gaps": pts,
                       f"{mid}_gap_clearance": clearance, f"{mid}_gap_images": images})
    return metrics, arrays


def interpolation(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    s = a.cfg.n_steps
    pairs = paths.choose_pairs(a.data["test_y"], a.test_probs.argmax(1), rng_for(a.seed, "pairs"))
    kinds = {"ae_linear": ("ae2", paths.linear), "vae_linear": ("vae2", paths.linear),
             "vae_slerp": ("vae2", paths.slerp)}
    pair_ids = [f"{d0}-{d1}" for d0, d1, _ in paths.PAIR_DIGITS]
    arrays: dict[str, np.ndarray] = {"pairs": pairs}
    per_pair: dict[str, dict[str, Any]] = {pid: {} for pid in pair_ids}
    summary = {}
    for kind, (mid, interp) in kinds.items():
        test_z = a.codes(mid)["test_z"]
        z = np.stack([interp(test_z[i], test_z[j], s) for i, j in pairs])          # [P, S, d]
        frames = batched.decode(a.model(mid), z.reshape(-1, z.shape[-1]), a.device)
        probs = batched.judge(a.judge, frames, a.device)[0].reshape(len(pairs), s, 10)
        frames = frames.reshape(len(pairs), s, 28, 28)
        h = a.hole_map(mid)
        density = holes.lookup(h.counts, a.windows[mid], z.reshape(-1, 2)).reshape(len(pairs), s)
        step = paths.pixel_steps(frames)
        cls, conf = probs.argmax(2).astype(np.uint8), probs.max(2).astype(np.float32)
        arrays.update({f"{kind}_z": z, f"{kind}_frames": frames,
                       f"{kind}_density": density.astype(np.float32), f"{kind}_class": cls,
                       f"{kind}_confidence": conf, f"{kind}_step": step})
        in_hole = density <= a.cfg.hole_max_count
        for p, pid in enumerate(pair_ids):
            per_pair[pid][kind] = {
                "classes": cls[p], "confidence": conf[p], "density": density[p], "step": step[p, 1:],
                "confidence_min_fraction": float(conf[p].min()),
                "steps_in_holes_fraction": float(in_hole[p].mean()),
                "step_max": float(step[p, 1:].max()),
                "step_max_over_mean": float(step[p, 1:].max() / max(step[p, 1:].mean(), 1e-12))}
        summary[kind] = {
            "model": mid, "confidence_mean_fraction": float(conf.mean()),
            "confidence_min_fraction": float(conf.min()),
            "steps_in_holes_fraction": float(in_hole.mean()),
            "step_mean": float(step[:, 1:].mean()), "step_max": float(step[:, 1:].max()),
            "step_max_over_mean": float(np.mean(step[:, 1:].max(1) / np.maximum(step[:, 1:].mean(1), 1e-12)))}
    metrics = {"n_steps": s, "kinds": list(kinds),
               "pairs": [{"id": pid, "digits": [d0, d1], "kind": kind, "test_index": pairs[p]}
                         for p, (pid, (d0, d1, kind)) in enumerate(zip(pair_ids, paths.PAIR_DIGITS))],
               "summary": summary, "per_pair": per_pair}
    return metrics, arrays


def vae_test_terms(a: Analysis, mid: str) -> dict[str, Any]:
    """Test reconstruction (decode of μ) and closed-form KL per image, in nats."""
    c = a.codes(mid)
    kl = surgery.mean_gaussian_kl(c["test_z"], c["test_logvar"])
    rec = batched.recon_errors(a.model(mid), a.data["test_x"], c["test_z"], a.device)
    return {"test_kl_nats": kl, "test_bce_nats": rec["bce_nats"],
            "test_mse_per_pixel": rec["mse_per_pixel"]}


def surgery_of(a: Analysis, mid: str) -> dict[str, Any]:
    """ELBO surgery of a VAE's training codes (computed once per model)."""
    if mid not in a.surgeries:
        c = a.codes(mid)
        n_mc = SURGERY_MC if mid == "vae2" else SURGERY_MC_SIDE
        a.surgeries[mid] = surgery.elbo_surgery(c["train_z"], c["train_logvar"], a.seed, n_mc=n_mc)
    return dict(a.surgeries[mid])


def beta_sweep(a: Analysis, main_prior: dict[str, Any]
               ) -> tuple[list[dict[str, Any]], dict[str, np.ndarray], dict[str, np.ndarray]]:
    entries, sample_arrays, hole_arrays = [], {}, {}
    for item in a.sweep.get("beta_sweep", []):
        mid = item["id"]
        if mid == "vae2":
            prior = main_prior
        else:
            z = samplers.prior(a.cfg.n_samples, 2, rng_for(a.seed, f"{mid}_prior"))
            prior, arr = a.score_set(mid, z, "VAE decoder on z ~ N(0, I)")
            sample_arrays.update({f"{mid}_prior_{k}": v for k, v in arr.items()})
            h = a.hole_map(mid)
            hole_arrays.update({f"{mid}_counts": h.counts, f"{mid}_window": a.windows[mid],
                                f"{mid}_holes": h.holes})
        entries.append({"beta": item["beta"], "id": mid, **vae_test_terms(a, mid),
                        "holes": a.hole_summary(mid), "prior": prior,
                        "surgery": surgery_of(a, mid)})
    return entries, sample_arrays, hole_arrays


def high_dim(a: Analysis) -> tuple[dict[str, Any] | None, dict[str, np.ndarray]]:
    high = a.sweep.get("high")
    if not high:
        return None, {}
    ae, vae = high["ae"], high["vae"]
    ae_z = a.codes(ae)["train_z"]
    d, m = ae_z.shape[1], a.cfg.n_samples
    gmm = samplers.fit_gmm(ae_z, a.cfg.gmm_components, a.seed)
    sets = {f"{ae}_prior": (ae, samplers.prior(m, d, rng_for(a.seed, f"{ae}_prior")), "AE decoder on z ~ N(0, I)"),
            f"{ae}_gmm": (ae, samplers.gmm_sample(gmm, m, rng_for(a.seed, f"{ae}_gmm")),
                          "AE decoder on z ~ Gaussian mixture fitted to the AE codes"),
            f"{vae}_prior": (vae, samplers.prior(m, d, rng_for(a.seed, f"{vae}_prior")), "VAE decoder on z ~ N(0, I)")}
    metrics, arrays = {}, {}
    for name, (mid, z, source) in sets.items():
        metrics[name], arr = a.score_set(mid, z, source)
        arrays.update({f"{name}_{k}": v for k, v in arr.items()})
    metrics[f"{ae}_gmm"]["fit_test_loglik_nats"] = float(gmm.score(a.codes(ae)["test_z"].astype(np.float64)))
    return {"latent_dim": d, "ae": ae, "vae": vae, "measure": HIGH_MEASURE,
            "nn_threshold": {ae: a.nn_threshold(ae), vae: a.nn_threshold(vae)},
            "ae_test": batched.recon_errors(a.model(ae), a.data["test_x"], a.codes(ae)["test_z"], a.device),
            "vae_test": vae_test_terms(a, vae), "surgery": surgery_of(a, vae), "sets": metrics}, arrays


# ------------------------------------------------------------------------------------- the stage

def run(ctx: StageContext) -> str:
    a = Analysis(ctx)
    ref = reference(a)
    sample_metrics, sample_arrays = main_samples(a)
    gap_metrics, hole_arrays = gaps(a)
    path_metrics, path_arrays = interpolation(a)
    sweep_entries, sweep_samples, sweep_holes = beta_sweep(a, sample_metrics["vae_prior"])
    high_metrics, high_samples = high_dim(a)
    metrics = {
        "config": {"analyse": dataclasses.asdict(a.cfg)},
        "seed": a.seed,
        "units": UNITS,
        "train": a.train_metrics,
        "holes": {mid: {"window_rule": holes.WINDOW_RULE, **a.hole_summary(mid)} for mid in ("ae2", "vae2")},
        "gaps": gap_metrics,
        "samples": sample_metrics,
        "reference": ref,
        "surgery": {"vae2": surgery_of(a, "vae2")},
        "paths": path_metrics,
        "beta_sweep": sweep_entries,
        "high_dim": high_metrics,
    }
    metrics["surgery"]["vae2"].update(vae_test_terms(a, "vae2"))
    save_json(ctx.out / "metrics.json", tidy(metrics))
    save_npz(ctx.out / "holes.npz", **hole_arrays, **sweep_holes)
    save_npz(ctx.out / "samples.npz", **sample_arrays, **sweep_samples, **high_samples)
    save_npz(ctx.out / "paths.npz", **path_arrays)
    s = sample_metrics
    return (f"holes: AE {a.grids['ae2'].summary['hole_fraction_hull']:.0%} / VAE "
            f"{a.grids['vae2'].summary['hole_fraction_hull']:.0%} of hull; FID prior AE "
            f"{s['ae_prior']['fid']:.0f} / VAE {s['vae_prior']['fid']:.0f} (test floor "
            f"{ref['test_vs_train']['fid']:.1f})")
