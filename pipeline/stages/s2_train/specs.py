"""What the train stage trains: one frozen :class:`ModelSpec` per model, and the plan that lists them.

A spec holds everything that tells one model apart from another (its id, kind, shape, KL weight
and training length), so building and training need no hand-set keyword arguments; the image
shape and class count come from the data set (``DatasetInfo``) when a spec is built. A new kind of
model is one builder registered in ``BUILDERS`` plus the specs that use it; a new model of an
existing kind (another seed of the main pair, another judge) is one more spec in :func:`plan`.
Every random stream of a model is derived from the run's seed and the spec's ``id``
(``training.derive_seed``), so a spec with a new id gets its own weights, order and ε.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from torch import nn

from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.judges import JudgeCNN, JudgeMLP
from pipeline.core.models import (Autoencoder, DenoisingAutoencoder, SparseAutoencoder,
                                  VariationalAutoencoder)


def beta_id(beta: float) -> str:
    """Model id of the 2-D VAE trained with KL weight ``beta`` in the β sweep."""
    return f"vae2-beta{beta:g}"


@dataclass(frozen=True)
class ModelSpec:
    """One model to train (as Pythae's model configs are: a typed record, not a dict)."""

    id: str  # file stem under train/models/ and key in train/metrics.json
    kind: str  # a key of BUILDERS: "ae", "vae", "judge" or "judge_mlp"
    epochs: int
    lr: float  # peak learning rate of the one-cycle schedule
    latent_dim: int | None = None  # None for models without a latent space (the judge)
    beta: float | None = None  # KL weight; None for models without a KL term
    hidden: tuple[int, ...] = (512, 256)  # body widths (MLP) or feature size (conv: the last)
    body: str = "mlp"  # "mlp" or "conv"
    variant: str = ""  # AE only: "" (plain), "denoise" or "sparse" (the textbook-claims models)

    def build(self, data: DatasetInfo) -> nn.Module:
        """A freshly initialised model of this spec for images and classes of ``data`` (seed
        torch first: the weights come from the global generator)."""
        try:
            builder = BUILDERS[self.kind]
        except KeyError:
            raise ValueError(f"unknown model kind {self.kind!r}: use one of {sorted(BUILDERS)}") from None
        return builder(self, data)

    def metrics_row(self) -> dict[str, Any]:
        """The spec's fields that train/metrics.json repeats for each model (ARCHITECTURE.md)."""
        return {"kind": self.kind, "latent_dim": self.latent_dim, "beta": self.beta,
                "epochs": self.epochs}


# The textbook-claims variants of AE-2 (page "Textbook claims, tested"): what each changes.
DENOISE = {"noise": "gaussian", "noise_level": 0.5}  # N(0, 0.5²) per pixel, clipped to [0, 1]
SPARSE = {"l1_weight": 0.01}  # nats per unit of summed |activation| of the last hidden layer
# A conv AE-2 epoch costs about 6x an MLP AE-2 epoch on a 2-core CPU (BENCHMARKS.md), so the
# conv AE-2 trains for a sixth of the epochs: matched by training time, not by parameter count
# (it has more parameters).
CONV_EPOCH_SHARE = 1 / 6


def _autoencoder(spec: ModelSpec, data: DatasetInfo) -> nn.Module:
    shape = {"latent_dim": spec.latent_dim, "hidden": list(spec.hidden), "body": spec.body,
             "image_shape": data.image_shape}
    if spec.variant == "denoise":
        return DenoisingAutoencoder(**shape, **DENOISE)
    if spec.variant == "sparse":
        return SparseAutoencoder(**shape, **SPARSE)
    if spec.variant:
        raise ValueError(f"unknown AE variant {spec.variant!r}: use 'denoise' or 'sparse'")
    return Autoencoder(**shape)


def _vae(spec: ModelSpec, data: DatasetInfo) -> nn.Module:
    return VariationalAutoencoder(latent_dim=spec.latent_dim, hidden=list(spec.hidden),
                                  body=spec.body, beta=spec.beta, image_shape=data.image_shape)


def _judge(spec: ModelSpec, data: DatasetInfo) -> nn.Module:
    return JudgeCNN(image_shape=data.image_shape, n_classes=data.n_classes)


def _judge_mlp(spec: ModelSpec, data: DatasetInfo) -> nn.Module:
    return JudgeMLP(image_shape=data.image_shape, n_classes=data.n_classes)


BUILDERS: dict[str, Callable[[ModelSpec, DatasetInfo], nn.Module]] = {
    "ae": _autoencoder, "vae": _vae, "judge": _judge, "judge_mlp": _judge_mlp}
# The judges by name (metrics.json's robustness block) -> model id; the first is the main judge.
JUDGES = {"cnn": "judge", "mlp": "judge-mlp"}


def seed_pairs(seeds: list[int]) -> dict[str, list[str]]:
    """{"seed<s>": [AE id, VAE id]} of the main pair's seeds; the first is the main pair."""
    return {f"seed{s}": ["ae2", "vae2"] if i == 0 else [f"ae2-seed{s}", f"vae2-seed{s}"]
            for i, s in enumerate(dict.fromkeys(seeds))}


def plan(cfg: Any) -> tuple[list[ModelSpec], list[dict[str, Any]], dict[str, str] | None]:
    """(models to train, in order; the β sweep as [{beta, id}]; the high pair or None)."""
    t = cfg.train
    d, hd = t.latent_dim, t.high_latent_dim
    shape = {"hidden": tuple(t.hidden), "body": t.body}

    def ae(mid: str, dim: int, epochs: int) -> ModelSpec:
        return ModelSpec(mid, "ae", epochs, t.lr, latent_dim=dim, **shape)

    def vae(mid: str, dim: int, beta: float, epochs: int) -> ModelSpec:
        return ModelSpec(mid, "vae", epochs, t.lr, latent_dim=dim, beta=beta, **shape)

    # The main pair keeps the ids ae2/vae2 (ARCHITECTURE.md) whatever train.latent_dim is.
    specs = [ae("ae2", d, t.epochs), vae("vae2", d, t.beta, t.epochs),
             ModelSpec(JUDGES["cnn"], "judge", t.judge_epochs, t.judge_lr),
             ModelSpec(JUDGES["mlp"], "judge_mlp", t.judge_mlp_epochs, t.judge_lr)]
    for ae_id, vae_id in list(seed_pairs(t.seeds).values())[1:]:  # the same recipe again
        specs += [ae(ae_id, d, t.epochs), vae(vae_id, d, t.beta, t.epochs)]
    sweep = []
    for b in dict.fromkeys(float(b) for b in t.beta_sweep):  # unique, in the order given
        if b == t.beta and t.sweep_epochs == t.epochs:
            sweep.append({"beta": b, "id": "vae2"})  # the main VAE is this sweep point
            continue
        # Otherwise β = t.beta gets its own sweep model: every point of the sweep is trained
        # for the same number of epochs, so the curve compares β and nothing else.
        sweep.append({"beta": b, "id": beta_id(b)})
        specs.append(vae(beta_id(b), d, b, t.sweep_epochs))
    high = None
    if hd and hd == d:  # the "high" pair is the main pair: nothing more to train
        high = {"ae": "ae2", "vae": "vae2"}
    elif hd:
        high = {"ae": f"ae{hd}", "vae": f"vae{hd}"}
        specs += [ae(f"ae{hd}", hd, t.sweep_epochs), vae(f"vae{hd}", hd, t.beta, t.sweep_epochs)]
    if t.claims:  # the main AE's recipe; ids say what differs from ae2
        specs += [ModelSpec("ae2-denoise", "ae", t.epochs, t.lr, latent_dim=d, variant="denoise", **shape),
                  ModelSpec("ae2-sparse", "ae", t.epochs, t.lr, latent_dim=d, variant="sparse", **shape),
                  ModelSpec("ae2-conv", "ae", max(1, round(t.epochs * CONV_EPOCH_SHARE)), t.lr,
                            latent_dim=d, hidden=tuple(t.hidden), body="conv")]
    return specs, sweep, high
