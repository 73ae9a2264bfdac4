"""Interpolation paths between test-image pairs: frames, their classes, the density they cross, step sizes."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched
from .. import holes, paths
from ..analysis import MAIN_JUDGE, Analysis, rng_for
from ..section import Result, Section


def path_classes(a: Analysis) -> tuple[tuple[int, int, str], ...]:
    """(class, class, kind) of each path (``paths.class_pairs``, from the training images)."""
    return paths.class_pairs(a.dataset.name, a.data["train_x"], a.data["train_y"])


def path_pairs(a: Analysis, classes: tuple[tuple[int, int, str], ...]) -> np.ndarray:
    """The test-image pairs every path runs between (int [P, 2]; the same for every seed), among
    the images the main judge classifies as labelled both as they are and as the main AE and VAE
    redraw them: a path's first and last frames are those redrawings, and a 4 that both models
    redraw as a 9 made its "4 → 9" path start on a 9."""
    judged = a.test_probs.argmax(1)
    for mid in a.roles.main_pair.values():
        redrawn = a.recon_judged(mid, MAIN_JUDGE).probs.argmax(1)
        judged = np.where(redrawn == judged, judged, -1)  # -1: no class, never chosen
    return paths.choose_pairs(a.data["test_y"], judged, rng_for(a.seed, "pairs"), classes)


def walk(a: Analysis, mid: str, interp: Any, pairs: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(z [P, S, d], frames uint8 [P, S, H, W], density [P, S], pixel steps [P, S]) of the
    paths of model ``mid`` between the pairs' test codes."""
    s = a.cfg.n_steps
    test_z = a.codes(mid)["test_z"]
    z = np.stack([interp(test_z[i], test_z[j], s) for i, j in pairs])          # [P, S, d]
    frames = batched.decode(a.model(mid), z.reshape(-1, z.shape[-1]), a.device)
    frames = frames.reshape(len(pairs), s, *frames.shape[1:])
    h = a.hole_map(mid)
    density = holes.lookup(h.counts, a.windows[mid], z.reshape(-1, 2)).reshape(len(pairs), s)
    return z, frames, density, paths.pixel_steps(frames)


def judge_free_summary(density: np.ndarray, step: np.ndarray, hole_max_count: int) -> dict[str, float]:
    """The path numbers no judge is needed for: share of steps in holes, and the mean over the
    pairs of (largest pixel step / mean pixel step)."""
    return {"steps_in_holes_fraction": float((density <= hole_max_count).mean()),
            "step_mean": float(step[:, 1:].mean()), "step_max": float(step[:, 1:].max()),
            "step_max_over_mean": float(np.mean(step[:, 1:].max(1) / np.maximum(step[:, 1:].mean(1), 1e-12)))}


def interpolation(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    s = a.cfg.n_steps
    classes = path_classes(a)
    pairs = path_pairs(a, classes)
    ae, vae = a.roles.ae, a.roles.vae
    kinds = {"ae_linear": (ae, paths.linear), "vae_linear": (vae, paths.linear),
             "vae_slerp": (vae, paths.slerp)}
    pair_ids = [f"{d0}-{d1}" for d0, d1, _ in classes]
    arrays: dict[str, np.ndarray] = {"pairs": pairs}
    per_pair: dict[str, dict[str, Any]] = {pid: {} for pid in pair_ids}
    summary = {}
    for kind, (mid, interp) in kinds.items():
        z, frames, density, step = walk(a, mid, interp, pairs)
        probs = batched.judge(a.judge, frames.reshape(-1, *frames.shape[2:]),
                              a.device)[0].reshape(len(pairs), s, -1)
        cls, conf = probs.argmax(2).astype(np.uint8), probs.max(2).astype(np.float32)
        arrays.update({f"{kind}_z": z, f"{kind}_frames": frames,
                       f"{kind}_density": density.astype(np.float32), f"{kind}_class": cls,
                       f"{kind}_confidence": conf, f"{kind}_step": step})
        for p, pid in enumerate(pair_ids):
            one = judge_free_summary(density[p:p + 1], step[p:p + 1], a.cfg.hole_max_count)
            per_pair[pid][kind] = {
                "classes": cls[p], "confidence": conf[p], "density": density[p], "step": step[p, 1:],
                "confidence_min_fraction": float(conf[p].min()),
                **{k: one[k] for k in ("steps_in_holes_fraction", "step_max", "step_max_over_mean")}}
        summary[kind] = {
            "model": mid, "confidence_mean_fraction": float(conf.mean()),
            "confidence_min_fraction": float(conf.min()),
            **judge_free_summary(density, step, a.cfg.hole_max_count)}
    metrics = {"n_steps": s, "kinds": list(kinds),
               "pairs": [{"id": pid, "digits": [d0, d1], "kind": kind, "test_index": pairs[p]}
                         for p, (pid, (d0, d1, kind)) in enumerate(zip(pair_ids, classes))],
               "summary": summary, "per_pair": per_pair}
    return metrics, arrays


def _run(a: Analysis, _: dict) -> Result:
    block, arrays = interpolation(a)
    return Result(block, {"paths": arrays})


SECTION = Section("paths", _run, models=lambda r: (r.ae, r.vae))
