"""The shared inputs of every measurement: the data, the judge and its reference features, the
models and codes (each loaded once), the hole maps, and the scoring of a set of latent points.

Every random draw comes from a generator seeded by (seed, purpose) (``rng_for``), so adding a
measurement never changes the draws of another.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import numpy as np
from torch import nn

from pipeline.core import batched
from pipeline.core.context import StageContext
from pipeline.core.grids import latent_window
from pipeline.core import artifacts, seeding
from . import decoder_relative, draws, holes, pca_judge, quality_map, scores
from .jobs import AnalyseJobs, UndeclaredRead
from .knn import kth_nn_radius, nn_distance, own_neighbours

KEEP_IMAGES = 100          # decoded images kept per sample set (for grids)
NN_PERCENTILE = 95         # far_fraction threshold: this percentile of code-to-code NN distances
NN_REF_QUERIES = 10000     # codes whose nearest other code sets that threshold
MAIN_JUDGE = "judge"       # the main judge's model id (the CNN; sweep.json's judges["cnn"])
EVERY_JOB_READS = frozenset({MAIN_JUDGE})  # what any cached job may read undeclared (jobs.py)
T = TypeVar("T")


@dataclass(frozen=True)
class JudgedSet:
    """A decoded set in one judge's terms: class probabilities [M, classes] (a classifier judge
    only; ``probs`` raises for the features-only PCA judge), features [M, F], each feature's
    distance to its k-th nearest other (``analyse.pr_k``), for precision/recall, and to its
    nearest other (a reconstruction set's realism scale, ``quality_map.manifold``)."""

    class_probs: np.ndarray | None
    feats: np.ndarray
    radii: np.ndarray
    nearest: np.ndarray

    @property
    def probs(self) -> np.ndarray:
        if self.class_probs is None:
            raise pca_judge.FeaturesOnlyJudge(pca_judge.no_classes_message())
        return self.class_probs

    def reference(self, k: int) -> decoder_relative.Reference:
        """This set as the reference other sets are scored against (its radii reused)."""
        return decoder_relative.Reference(self.feats, self.radii, k)


def rng_for(seed: int, purpose: str) -> np.random.Generator:
    """The analysis's stream for ``purpose`` (``seeding.rng``, the scheme of every stage)."""
    return seeding.rng(seed, purpose)


class Analysis:
    """Shared inputs of the measurements: data, judge, reference features, loaded models."""

    def __init__(self, ctx: StageContext):
        self.ctx = ctx
        self.cfg = ctx.cfg.analyse
        self.seed = ctx.cfg.seed
        self.device = ctx.device
        self.data = artifacts.mnist(ctx.inputs["data"])
        self.dataset = artifacts.dataset_info(ctx.inputs["data"])  # name, image shape, classes
        self.train_metrics = artifacts.train_metrics(ctx.inputs["train"])
        self.sweep = artifacts.sweep(ctx.inputs["train"])
        self.roles = artifacts.ModelRoles.from_sweep(self.sweep)  # main pair, seeds, judges, ...
        self._models: dict[str, nn.Module] = {}
        self._codes: dict[str, dict[str, np.ndarray]] = {}
        self._nn_threshold: dict[str, float] = {}
        self._once: dict[tuple, tuple[Any, frozenset[str]]] = {}  # key -> (value, models read)
        self._guards: list[tuple[str, frozenset[str]]] = []  # the running jobs: name, models allowed
        self._reads: list[set[str]] = []  # the models read by each ``once`` being computed
        self.jobs = AnalyseJobs(ctx, self.train_metrics["models"], EVERY_JOB_READS)
        self.judge = self.model(MAIN_JUDGE)
        # The reference: real test images, their judge features and k-NN radii (reused by every set).
        self.test_probs, self.test_feats = batched.judge(self.judge, self.data["test_x"], self.device)
        self.test_radii = kth_nn_radius(self.test_feats, self.cfg.pr_k)
        self.grids: dict[str, holes.HoleStats] = {}
        self.windows: dict[str, np.ndarray] = {}

    def job(self, name: str, models: tuple[str, ...], make: Callable[[], T]) -> T:
        """``make()`` as a cached job (``jobs.py``) that reads only ``models`` (and the main
        judge): the key holds their weights, codes and train metrics, and reading any other
        model inside it raises ``UndeclaredRead``."""
        allowed = frozenset(models) | self.jobs.always

        def guarded() -> T:
            self._guards.append((name, allowed))
            try:
                return make()
            finally:
                self._guards.pop()
        return self.jobs.run(name, allowed, guarded)

    def _touch(self, *mids: str) -> None:
        """Note that the running computation reads these models, and check them against the
        running jobs' declarations."""
        for reads in self._reads:
            reads.update(mids)
        for name, allowed in self._guards:
            undeclared = sorted(set(mids) - allowed)
            if undeclared:
                raise UndeclaredRead(f"analyse job {name!r} reads {undeclared}, which it does not "
                                     f"declare (it declares {sorted(allowed)})")

    def model(self, mid: str) -> nn.Module:
        self._touch(mid)
        if mid == pca_judge.JUDGE_ID:
            raise pca_judge.FeaturesOnlyJudge(
                f"'{mid}' is fitted in analyse, not a trained model: read its features with "
                f"Analysis.features; {pca_judge.no_classes_message()}")
        if mid not in self._models:
            self._models[mid] = artifacts.checkpoint(self.ctx.inputs["train"], mid, self.device)[0]
        return self._models[mid]

    def codes(self, mid: str) -> dict[str, np.ndarray]:
        self._touch(mid)
        if mid not in self._codes:
            self._codes[mid] = artifacts.codes(self.ctx.inputs["encode"], mid)
        return self._codes[mid]

    # ------------------------------------------------------------------------------ holes

    def hole_map(self, mid: str) -> holes.HoleStats:
        self._touch(mid)
        if mid not in self.grids:
            z = self.codes(mid)["train_z"]
            self.windows[mid] = latent_window(z)
            self.grids[mid] = holes.hole_stats(z, self.windows[mid], self.cfg.grid,
                                               self.cfg.hole_max_count)
        return self.grids[mid]

    def hole_summary(self, mid: str) -> dict[str, Any]:
        h = self.hole_map(mid)
        window = self.windows[mid]
        return {"window": window, "window_side": float(window[1] - window[0]),
                "hole_max_count": self.cfg.hole_max_count, **h.summary}

    def landing(self, mid: str, z: np.ndarray) -> dict[str, float]:
        """Where 2-D points land on the model's hole map: the share in a hole cell or outside
        the window (where no code lies), and the share outside the window alone."""
        density, inside = holes.lookup_inside(self.hole_map(mid).counts, self.windows[mid], z)
        return {"in_holes_fraction": float((density <= self.cfg.hole_max_count).mean()),
                "outside_window_fraction": float(1.0 - inside.mean())}

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
        self._touch(mid)
        if mid not in self._nn_threshold:
            z = self.ref_codes(mid)
            order = rng_for(self.seed, f"nn-ref-{mid}").permutation(len(z))
            z = z[order]  # queries are the first rows: a seeded subset, excluded from themselves
            d = nn_distance(z[:NN_REF_QUERIES], z, exclude_self=True)
            self._nn_threshold[mid] = float(np.percentile(d, NN_PERCENTILE))
        return self._nn_threshold[mid]

    # ------------------------------------------------------- decoded and judged sets, once

    def once(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()``, computed once per analysis for ``key``: the sections share draws, decodes
        and judge features (the main seed's sample sets are the robustness block's seed0 sets).
        A value made inside one job and reused in another counts as the second job's read of
        the models it was made from."""
        if key not in self._once:
            self._reads.append(set())
            try:
                value = make()
            finally:
                reads = frozenset(self._reads.pop())
            self._once[key] = (value, reads)
        value, reads = self._once[key]
        self._touch(*reads)
        return value

    def decoded(self, mid: str, key: str, z: np.ndarray) -> np.ndarray:
        """uint8 decodes by model ``mid`` of its latent set named ``key`` (the points ``z``).
        Decodes, judge passes and scores are shared by this name, across sections whose jobs
        key on different code: a name given to two different point sets is an error."""
        points = hashlib.sha256(np.ascontiguousarray(z).tobytes()).hexdigest()
        if self.once(("decoded-points", mid, key), lambda: points) != points:
            raise ValueError(f"two different latent sets of {mid} are both named {key!r}: give "
                             "each set its own name (its decodes and scores are shared by name)")
        return self.once(("decoded", mid, key), lambda: batched.decode(self.model(mid), z, self.device))

    @property
    def judges(self) -> dict[str, str]:
        """Every judge a verdict must hold under, name -> id: the trained classifiers
        (train/sweep.json: "cnn", "mlp") and the PCA of pixels ("pca", fitted here)."""
        return {**self.roles.judges, pca_judge.NAME: pca_judge.JUDGE_ID}

    def pca_judge(self) -> pca_judge.PixelPCA:
        """The PCA judge, fitted once on the training images."""
        return self.once(("pca_judge",), lambda: pca_judge.fit(self.data["train_x"], self.seed))

    def features(self, judge_id: str, images: np.ndarray) -> np.ndarray:
        """uint8 images -> float32 [M, F] features of judge ``judge_id`` (any judge)."""
        if judge_id == pca_judge.JUDGE_ID:
            return self.pca_judge().features(images)
        return batched.judge(self.model(judge_id), images, self.device)[1]

    def judged(self, judge_id: str, mid: str, key: str, images: np.ndarray) -> JudgedSet:
        """A decoded set (``decoded``'s ``mid``, ``key``) under the judge ``judge_id``."""
        def make() -> JudgedSet:
            if judge_id == pca_judge.JUDGE_ID:
                probs, feats = None, self.pca_judge().features(images)
            else:
                probs, feats = batched.judge(self.model(judge_id), images, self.device)
            return JudgedSet(probs, feats, *own_neighbours(feats, self.cfg.pr_k))
        return self.once(("judged", judge_id, mid, key), make)

    def vs_real(self, judge_id: str, mid: str, key: str, js: JudgedSet,
                real: decoder_relative.Reference) -> dict[str, float]:
        """FID, precision and recall of a judged set against the real test images."""
        return self.once(("vs_real", judge_id, mid, key),
                         lambda: decoder_relative.score_against(real, js.feats, js.radii))

    def real(self, judge_id: str) -> decoder_relative.Reference:
        """The real test images in a judge's features with their k-NN radii, the reference of
        every "vs real" score; for the main judge, the ones computed at start."""
        if judge_id == MAIN_JUDGE:
            return decoder_relative.Reference(self.test_feats, self.test_radii, self.cfg.pr_k)
        return self.once(("real", judge_id), lambda: decoder_relative.make_reference(
            self.features(judge_id, self.data["test_x"]), self.cfg.pr_k))

    # ----------------------------------------- shared draws and manifolds, each made once
    def gmm(self, ae: str) -> Any:
        """The Gaussian mixture fitted to AE ``ae``'s training codes."""
        return self.once(("gmm", ae), lambda: draws.fit_gmm(self, ae))

    def pair_draws(self, ae: str, vae: str) -> draws.Draws:
        """The five latent sets of a seed pair (the samples section's and the robustness block's)."""
        return self.once(("pair_draws", ae, vae), lambda: draws.pair_sets(self, ae, vae))

    def high_draws(self, ae: str, vae: str) -> draws.Draws:
        """The higher-dimensional pair's three latent sets."""
        return self.once(("high_draws", ae, vae), lambda: draws.high_sets(self, ae, vae))

    def recon_judged(self, mid: str, judge_id: str) -> JudgedSet:
        """Model ``mid``'s reconstructions of the test images under a judge."""
        return self.judged(judge_id, mid, draws.RECON,
                           self.decoded(mid, draws.RECON, self.codes(mid)["test_z"]))

    def manifold(self, mid: str, judge_id: str) -> quality_map.Manifold:
        """The manifold of model ``mid``'s reconstructions under a judge (a seed pair's VAE can
        also be a β-sweep point: built once)."""
        def make() -> quality_map.Manifold:
            recons = self.recon_judged(mid, judge_id)  # its radii pass gave the nearest distances
            return quality_map.manifold(recons.feats, self.cfg.quality_percentile, recons.nearest)
        return self.once(("manifold", mid, judge_id), make)

    def score_set(self, mid: str, key: str, z: np.ndarray, source: str
                  ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Decode ``z`` with model ``mid`` and score the images under the main judge against
        the real test images; (metrics, arrays for samples.npz)."""
        images = self.decoded(mid, key, z)
        js = self.judged(MAIN_JUDGE, mid, key, images)
        dist = nn_distance(z, self.ref_codes(mid))
        out = {"model": mid, "source": source, "n": len(images),
               **self.vs_real(MAIN_JUDGE, mid, key, js, self.real(MAIN_JUDGE)),
               **scores.judge_summary(js.probs),
               "far_fraction": float((dist > self.nn_threshold(mid)).mean())}
        if z.shape[1] == 2:
            out.update(self.landing(mid, z))
        classes = js.probs.argmax(1).astype(np.uint8)
        return out, {"z": z.astype(np.float32), "images": images[:KEEP_IMAGES], "classes": classes}
