"""Training loops and test metrics for the autoencoders and the judge, on tensors held in memory.

The whole dataset lives on the device as one float32 tensor ([N, 784], pixels scaled to [0, 1]);
a minibatch is an index slice of a seeded permutation, so there is no DataLoader and no
per-sample Python work. Every random choice comes from generators seeded from the run's seed and
the model's id: weights (``torch.manual_seed`` before the model is built), the shuffling order (a
CPU generator, so the order is the same on every device) and ε of the reparameterisation (a
generator on the device). Two runs with the same seed on the same machine give the same bytes.

Optimiser: Adam with a one-cycle learning-rate schedule (warm up to the peak ``lr``, then cosine
annealing), which converges in a few epochs. Adam is the fused kernel on CPU and CUDA: PyTorch's
default CPU Adam runs a dozen elementwise ops per tensor and took 40 % of an AE-2 step (measured
with torch.profiler on 2 cores); fused, it takes 6 %. Denormal floats are flushed to zero
(``devices.configure_cpu_math``), which keeps late epochs as fast as early ones. A loss that
becomes NaN or infinite stops training with :class:`~pipeline.core.errors.DivergenceError` naming the
model and the epoch, before anything is written.

Histories hold, per epoch, the mean train terms over the epoch's minibatches (nats per image)
and the test terms measured after the epoch on a fixed subset of the test images (the first
``EPOCH_TEST_SIZE``; cheap enough to do every epoch). The final test metrics in ``metrics.json``
use all test images.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from pipeline.core import interrupts
from pipeline.core.errors import DivergenceError
from pipeline.core.io import load_npz
from pipeline.core.models import (Autoencoder, JudgeCNN, VariationalAutoencoder, checkpoint_dict,
                                  gaussian_kl)

EPOCH_TEST_SIZE = 2000  # test images scored after every epoch for the history (all at the end)
EVAL_BATCH = 2000  # images per forward pass when scoring (bounds memory, not results)


# -------------------------------------------------------------------------------------------- data

@dataclass
class MnistTensors:
    """MNIST on a device: images float32 [N, 784] in [0, 1], labels int64 [N]."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def to_tensors(arrays: dict[str, Any], device: str = "cpu") -> MnistTensors:
    """uint8 arrays (as in data/mnist.npz) -> float tensors on ``device``. The uint8 images travel
    to the device and are scaled there (4x less to copy); x / 255 is exact-rounded everywhere."""

    def images(a: Any) -> torch.Tensor:
        t = torch.as_tensor(a).to(device)
        return t.reshape(t.shape[0], -1).to(torch.float32).div_(255.0)

    def labels(a: Any) -> torch.Tensor:
        return torch.as_tensor(a).to(device).long()

    return MnistTensors(images(arrays["train_x"]), labels(arrays["train_y"]),
                        images(arrays["test_x"]), labels(arrays["test_y"]))


def load_mnist(path: Path, device: str = "cpu") -> MnistTensors:
    """data/mnist.npz as tensors on ``device``."""
    return to_tensors(load_npz(Path(path)), device)


# ------------------------------------------------------------------------------------------- seeds

def derive_seed(seed: int, *names: str) -> int:
    """A 63-bit seed from the run's seed and names (model id, purpose): each model and each use
    gets its own stream, so one model's result does not depend on which others were trained."""
    text = ":".join([str(seed), *names]).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "little") >> 1


def make_generator(seed: int, device: str = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


# ------------------------------------------------------------------------------------------ models

def build_model(kind: str, *, latent_dim: int = 2, hidden: list[int] = (512, 256),
                body: str = "mlp", beta: float = 1.0, seed: int = 0) -> nn.Module:
    """A freshly initialised model; the initial weights depend only on ``seed``."""
    torch.manual_seed(seed)
    if kind == "ae":
        return Autoencoder(latent_dim=latent_dim, hidden=list(hidden), body=body)
    if kind == "vae":
        return VariationalAutoencoder(latent_dim=latent_dim, hidden=list(hidden), body=body, beta=beta)
    if kind == "judge":
        return JudgeCNN()
    raise ValueError(f"unknown model kind {kind!r}: use 'ae', 'vae' or 'judge'")


def model_kind(model: nn.Module) -> str:
    if isinstance(model, VariationalAutoencoder):
        return "vae"
    if isinstance(model, Autoencoder):
        return "ae"
    if isinstance(model, JudgeCNN):
        return "judge"
    raise TypeError(f"no training recipe for {type(model).__name__}")


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ------------------------------------------------------------------------------------- evaluation

def _batches(n: int, size: int = EVAL_BATCH):
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


@torch.no_grad()
def evaluate_ae(model: Autoencoder, x: torch.Tensor) -> dict[str, float]:
    """Summed BCE per image (nats) and per-pixel MSE of the reconstructions, over ``x``."""
    model.eval()
    bce = mse = 0.0
    for s in _batches(len(x)):
        logits = model(x[s])
        bce += F.binary_cross_entropy_with_logits(logits, x[s], reduction="sum").item()
        mse += F.mse_loss(torch.sigmoid(logits), x[s], reduction="sum").item()
    n = len(x)
    return {"loss": bce / n, "rec": bce / n, "bce": bce / n, "mse": mse / (n * x.shape[1])}


@torch.no_grad()
def evaluate_vae(model: VariationalAutoencoder, x: torch.Tensor,
                 generator: torch.Generator | None = None) -> dict[str, float]:
    """Over ``x``: the ELBO in nats (-(rec + KL), β = 1 whatever the training β, one ε sample per
    image), its reconstruction and KL terms, the training loss (rec + β·KL), and the BCE and
    per-pixel MSE of the decode of μ (the deterministic reconstruction)."""
    model.eval()
    rec = kl = bce = mse = 0.0
    for s in _batches(len(x)):
        mu, logvar = model.encode(x[s])
        z = model.reparameterize(mu, logvar, generator)
        rec += F.binary_cross_entropy_with_logits(model.decode_logits(z), x[s], reduction="sum").item()
        kl += gaussian_kl(mu, logvar).sum().item()
        logits_mu = model.decode_logits(mu)
        bce += F.binary_cross_entropy_with_logits(logits_mu, x[s], reduction="sum").item()
        mse += F.mse_loss(torch.sigmoid(logits_mu), x[s], reduction="sum").item()
    n = len(x)
    rec, kl = rec / n, kl / n
    return {"loss": rec + model.beta * kl, "rec": rec, "kl": kl, "elbo": -(rec + kl),
            "bce": bce / n, "mse": mse / (n * x.shape[1])}


@torch.no_grad()
def evaluate_judge(model: JudgeCNN, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Mean cross-entropy (nats) and accuracy (0..1) over ``x``."""
    model.eval()
    loss = 0.0
    correct = 0
    for s in _batches(len(x)):
        logits = model(x[s])
        loss += F.cross_entropy(logits, y[s], reduction="sum").item()
        correct += int((logits.argmax(1) == y[s]).sum().item())
    return {"loss": loss / len(x), "accuracy": correct / len(x)}


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eval_seed: int) -> dict[str, float]:
    """The test terms of any of the three kinds; the VAE's ε comes from a fresh generator seeded
    with ``eval_seed``, so the same model always gets the same score."""
    kind = model_kind(model)
    if kind == "ae":
        return evaluate_ae(model, x)
    if kind == "vae":
        return evaluate_vae(model, x, make_generator(eval_seed, x.device.type))
    return evaluate_judge(model, x, y)


# --------------------------------------------------------------------------------------- training

def _check_finite(name: str, epoch: int, epochs: int, terms: dict[str, float], lr: float,
                  where: str) -> None:
    bad = {k: v for k, v in terms.items() if not math.isfinite(v)}
    if bad:
        what = ", ".join(f"{k} = {v}" for k, v in bad.items())
        raise DivergenceError(
            f"Training of model '{name}' diverged at epoch {epoch}/{epochs}: the {where} became "
            f"NaN or infinite ({what}) with peak learning rate {lr:g}. No checkpoint was written. "
            "Lower the learning rate (train.lr, or train.judge_lr for the judge) and run again.")


def train_model(model: nn.Module, data: MnistTensors, *, name: str, epochs: int, batch_size: int,
                lr: float, seed: int, epoch_test_size: int = EPOCH_TEST_SIZE,
                progress: bool | None = None,
                on_epoch: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Train ``model`` (on ``data``'s device) in place with Adam + one-cycle; return its history.

    ``seed`` seeds the shuffling, ε and dropout (the weights were seeded when it was built).
    ``progress``: None = a tqdm bar only on a terminal, False = never. ``epoch_test_size`` = 0
    skips the per-epoch test (benchmarks only: the history's test terms are then empty).
    Raises DivergenceError when a loss becomes NaN or infinite.
    """
    kind = model_kind(model)
    device = data.train_x.device
    n = len(data.train_x)
    steps_per_epoch = math.ceil(n / batch_size)
    torch.manual_seed(derive_seed(seed, name, "dropout"))  # the judge's dropout masks
    shuffle_gen = make_generator(derive_seed(seed, name, "shuffle"))  # CPU: same order everywhere
    eps_gen = make_generator(derive_seed(seed, name, "eps"), device.type) if kind == "vae" else None
    eval_seed = derive_seed(seed, name, "eval")
    test_x = data.test_x[:epoch_test_size]
    test_y = data.test_y[:epoch_test_size]

    optimizer = torch.optim.Adam(model.parameters(), lr=lr, fused=device.type in ("cpu", "cuda"))
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr,
                                                   total_steps=epochs * steps_per_epoch)

    def step_terms(idx: torch.Tensor) -> dict[str, torch.Tensor]:
        if kind == "judge":
            return model.loss(data.train_x[idx], data.train_y[idx])
        return model.loss(data.train_x[idx], generator=eps_gen)

    history: list[dict[str, Any]] = []
    bar = tqdm(total=epochs * steps_per_epoch, desc=f"train {name}", unit="step", leave=False,
               disable=None if progress is None else not progress, dynamic_ncols=True)
    try:
        for epoch in range(1, epochs + 1):
            model.train()
            order = torch.randperm(n, generator=shuffle_gen).to(device)
            sums: dict[str, float] = {}
            for i in range(steps_per_epoch):
                idx = order[i * batch_size:(i + 1) * batch_size]
                with interrupts.deferred():  # a Ctrl-C stops between steps, never inside torch
                    terms = step_terms(idx)
                    loss = terms["loss"]
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    # one host transfer per step for all terms (one GPU sync, not one per term)
                    values = dict(zip(terms, torch.stack([v.detach() for v in terms.values()]).tolist()))
                    _check_finite(name, epoch, epochs, values, lr, "training loss")
                    optimizer.step()
                    schedule.step()
                for k, v in values.items():
                    sums[k] = sums.get(k, 0.0) + v * len(idx)
                bar.update()
                if i % 20 == 0 or i == steps_per_epoch - 1:
                    bar.set_postfix(epoch=f"{epoch}/{epochs}", loss=f"{sums['loss'] / min(n, (i + 1) * batch_size):.2f}")
            train_terms = {k: v / n for k, v in sums.items()}
            with interrupts.deferred():
                test_terms = evaluate(model, test_x, test_y, eval_seed) if len(test_x) else {}
            _check_finite(name, epoch, epochs, test_terms, lr, "test loss")
            entry = {"epoch": epoch, "train": train_terms, "test": test_terms}
            history.append(entry)
            if on_epoch:
                on_epoch(entry)
    finally:
        bar.close()
    model.eval()
    return history


def assert_finite_weights(model: nn.Module, name: str, epoch: int) -> None:
    for key, t in model.state_dict().items():
        if t.is_floating_point() and not torch.isfinite(t).all():
            raise DivergenceError(
                f"Training of model '{name}' diverged by epoch {epoch}: weights '{key}' hold NaN "
                "or infinite values. No checkpoint was written. Lower the learning rate "
                "(train.lr, or train.judge_lr for the judge) and run again.")


def save_checkpoint(path: Path, model: nn.Module, *, name: str, history: list[dict[str, Any]],
                    **extra: Any) -> None:
    """Write ``models.checkpoint_dict`` to ``path``, refusing weights with NaN/inf."""
    assert_finite_weights(model, name, len(history))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint_dict(model, history=history, **extra), path)


def train_and_save(model: nn.Module, data: MnistTensors, path: Path, *, name: str, epochs: int,
                   batch_size: int, lr: float, seed: int, config: dict[str, Any],
                   progress: bool | None = None) -> dict[str, float]:
    """Train, score on all test images, and write the self-describing checkpoint. Returns the
    test metrics. Nothing is written when training diverges."""
    history = train_model(model, data, name=name, epochs=epochs, batch_size=batch_size, lr=lr,
                          seed=seed, progress=progress)
    test = evaluate(model, data.test_x, data.test_y, derive_seed(seed, name, "eval"))
    _check_finite(name, epochs, epochs, test, lr, "final test loss")
    save_checkpoint(path, model, name=name, history=history, config=config, seed=seed,
                    id=name, test=test, history_test_size=min(EPOCH_TEST_SIZE, len(data.test_x)))
    return test
