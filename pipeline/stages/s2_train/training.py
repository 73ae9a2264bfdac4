"""Training loops and test metrics for the autoencoders and the judge, on tensors held in memory.

The whole dataset lives on the device as one float32 tensor ([N, C·H·W], pixels scaled to [0, 1]);
a minibatch is an index slice of a seeded permutation, so there is no DataLoader and no
per-sample Python work. Every random choice comes from generators seeded from the run's seed and
the model's id: weights (``torch.manual_seed`` before the model is built), the shuffling order (a
CPU generator, so the order is the same on every device) and ε of the reparameterisation (a
generator on the device). Two runs with the same seed on the same machine give the same bytes.

Optimiser: Adam with a one-cycle learning-rate schedule (warm up to the peak ``lr``, then cosine
annealing), which converges in a few epochs. Adam is the fused kernel on CPU and CUDA: PyTorch's
default CPU Adam runs a dozen elementwise ops per tensor, a large share of a small model's step
(BENCHMARKS.md). Denormal floats are flushed to zero
(``devices.configure_cpu_math``), which keeps late epochs as fast as early ones. A loss that
becomes NaN or infinite stops training with :class:`~pipeline.core.errors.DivergenceError` naming the
model and the epoch, before anything is written.

Histories hold, per epoch, the mean train terms over the epoch's minibatches (nats per image)
and the test terms measured after the epoch on a fixed subset of the test images (the first
``EPOCH_TEST_SIZE``; cheap enough to do every epoch). The final test metrics in ``metrics.json``
use all test images.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import torch
from torch import nn
from tqdm import tqdm

from pipeline.core import artifacts, interrupts
from pipeline.core.dataset_info import DatasetInfo
from pipeline.core.devices import dtype_name, training_dtype
from pipeline.core.errors import DivergenceError
from pipeline.core.io import load_npz
from pipeline.core.seeding import seed_for
from pipeline.core.models import checkpoint_dict

from .evaluation import evaluate, model_kind
from .replay import replay_entry
from .specs import ModelSpec

EPOCH_TEST_SIZE = 2000  # test images scored after every epoch for the history (all at the end)


# -------------------------------------------------------------------------------------------- data

@dataclass
class DataTensors:
    """The data set on a device: images float32 [N, C·H·W] in [0, 1], labels int64 [N], and
    what the data set is (the models are built for its image shape and classes)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    info: DatasetInfo


def to_tensors(arrays: dict[str, Any], info: DatasetInfo, device: str = "cpu") -> DataTensors:
    """uint8 arrays (as in data/mnist.npz) -> float tensors on ``device``. The uint8 images travel
    to the device and are scaled there (4x less to copy); x / 255 is exact-rounded everywhere."""

    def images(a: Any) -> torch.Tensor:
        t = torch.as_tensor(a).to(device)
        return t.reshape(t.shape[0], -1).to(torch.float32).div_(255.0)

    def labels(a: Any) -> torch.Tensor:
        return torch.as_tensor(a).to(device).long()

    return DataTensors(images(arrays["train_x"]), labels(arrays["train_y"]),
                       images(arrays["test_x"]), labels(arrays["test_y"]), info)


def load_data(path: Path, device: str = "cpu") -> DataTensors:
    """The data stage's arrays (``path`` = data/mnist.npz) as tensors on ``device``, with the
    dataset.json beside them."""
    path = Path(path)
    return to_tensors(load_npz(path), artifacts.dataset_info(path.parent), device)


load_mnist = load_data  # the name s2_train/stage.py and pool.py import


# ------------------------------------------------------------------------------------------- seeds

def derive_seed(seed: int, *names: str) -> int:
    """``seeding.seed_for(seed, "<model id>:<purpose>")``: each model and each use gets its own
    stream, so one model's result does not depend on which others were trained."""
    return seed_for(seed, ":".join(names))


def make_generator(seed: int, device: str = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


# ------------------------------------------------------------------------------------------ models

def build_model(spec: ModelSpec, seed: int, data: DatasetInfo) -> nn.Module:
    """A freshly initialised model of ``spec`` for ``data``'s images and classes; the initial
    weights depend only on ``seed`` (and the shapes)."""
    torch.manual_seed(seed)
    return spec.build(data)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


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


@dataclass
class _Run:
    """What one call of ``train_model`` holds across its epochs."""

    model: nn.Module
    data: DataTensors
    name: str
    epochs: int
    batch_size: int
    lr: float
    optimizer: torch.optim.Optimizer
    schedule: torch.optim.lr_scheduler.LRScheduler
    shuffle_gen: torch.Generator
    eps_gen: torch.Generator | None
    dtype: torch.dtype  # autocast dtype of the step's matrix products (float32 = no autocast)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.data.train_x) / self.batch_size)


def _start_run(model: nn.Module, data: DataTensors, name: str, epochs: int, batch_size: int,
               lr: float, seed: int, dtype: torch.dtype) -> _Run:
    """Seed the model's random streams and build its optimiser and schedule."""
    device = data.train_x.device
    torch.manual_seed(derive_seed(seed, name, "dropout"))  # the judge's dropout masks
    shuffle_gen = make_generator(derive_seed(seed, name, "shuffle"))  # CPU: same order everywhere
    eps_gen = (make_generator(derive_seed(seed, name, "eps"), device.type)
               if model_kind(model) == "vae" else None)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, fused=device.type in ("cpu", "cuda"))
    steps = math.ceil(len(data.train_x) / batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * steps)
    return _Run(model, data, name, epochs, batch_size, lr, optimizer, schedule, shuffle_gen, eps_gen,
                dtype)


def _step(run: _Run, idx: torch.Tensor, epoch: int) -> dict[str, float]:
    """One optimiser step on the minibatch ``idx``; returns its loss terms."""
    # index_select, not train_x[idx]: the same rows, gathered in less than half the time
    # (BENCHMARKS.md)
    x = torch.index_select(run.data.train_x, 0, idx)
    device_type = x.device.type
    with interrupts.deferred():  # a Ctrl-C stops between steps, never inside torch
        # autocast runs the matrix products in run.dtype and keeps losses and reductions float32
        # (torch's autocast op lists); the backward pass follows the forward's dtypes by itself
        with torch.autocast(device_type, dtype=run.dtype, enabled=run.dtype != torch.float32):
            if model_kind(run.model) == "judge":
                terms = run.model.loss(x, run.data.train_y[idx])
            else:
                terms = run.model.loss(x, generator=run.eps_gen)
        run.optimizer.zero_grad(set_to_none=True)
        terms["loss"].backward()
        # one host transfer per step for all terms (one GPU sync, not one per term)
        values = dict(zip(terms, torch.stack([v.detach() for v in terms.values()]).tolist()))
        _check_finite(run.name, epoch, run.epochs, values, run.lr, "training loss")
        run.optimizer.step()
        run.schedule.step()
    return values


def _train_epoch(run: _Run, epoch: int, bar: tqdm) -> dict[str, float]:
    """One pass over the shuffled training images; the mean train terms per image."""
    run.model.train()
    n = len(run.data.train_x)
    order = torch.randperm(n, generator=run.shuffle_gen).to(run.data.train_x.device)
    sums: dict[str, float] = {}
    for i in range(run.steps_per_epoch):
        idx = order[i * run.batch_size:(i + 1) * run.batch_size]
        values = _step(run, idx, epoch)
        for k, v in values.items():
            sums[k] = sums.get(k, 0.0) + v * len(idx)
        bar.update()
        if i % 20 == 0 or i == run.steps_per_epoch - 1:
            seen = min(n, (i + 1) * run.batch_size)
            bar.set_postfix(epoch=f"{epoch}/{run.epochs}", loss=f"{sums['loss'] / seen:.2f}")
    return {k: v / n for k, v in sums.items()}


def train_model(model: nn.Module, data: DataTensors, *, name: str, epochs: int, batch_size: int,
                lr: float, seed: int, dtype: torch.dtype = torch.float32,
                epoch_test_size: int = EPOCH_TEST_SIZE, progress: bool | None = None,
                on_epoch: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Train ``model`` (on ``data``'s device) in place with Adam + one-cycle; return its history.

    ``seed`` seeds the shuffling, ε and dropout (the weights were seeded when it was built).
    ``dtype``: the steps' autocast dtype (``devices.training_dtype``); the per-epoch test terms
    are float32 whatever it is.
    ``progress``: None = a tqdm bar only on a terminal, False = never. ``epoch_test_size`` = 0
    skips the per-epoch test (benchmarks only: the history's test terms are then empty).
    Raises DivergenceError when a loss becomes NaN or infinite.
    """
    run = _start_run(model, data, name, epochs, batch_size, lr, seed, dtype)
    eval_seed = derive_seed(seed, name, "eval")
    test_x, test_y = data.test_x[:epoch_test_size], data.test_y[:epoch_test_size]
    history: list[dict[str, Any]] = []
    bar = tqdm(total=epochs * run.steps_per_epoch, desc=f"train {name}", unit="step", leave=False,
               disable=None if progress is None else not progress, dynamic_ncols=True)
    try:
        for epoch in range(1, epochs + 1):
            train_terms = _train_epoch(run, epoch, bar)
            with interrupts.deferred():
                test_terms = evaluate(model, test_x, test_y, eval_seed) if len(test_x) else {}
            _check_finite(name, epoch, epochs, test_terms, lr, "test loss")
            entry = {"epoch": epoch, "train": train_terms, "test": test_terms}
            entry.update(replay_entry(model, name, data.test_x))
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


def train_and_save(model: nn.Module, data: DataTensors, path: Path, *, name: str, epochs: int,
                   batch_size: int, lr: float, seed: int, config: dict[str, Any],
                   dtype: torch.dtype = torch.float32, progress: bool | None = None,
                   on_epoch: Callable[[dict[str, Any]], None] | None = None) -> dict[str, float]:
    """Train, score on all test images, and write the self-describing checkpoint. Returns the
    test metrics. Nothing is written when training diverges."""
    history = train_model(model, data, name=name, epochs=epochs, batch_size=batch_size, lr=lr,
                          seed=seed, dtype=dtype, progress=progress, on_epoch=on_epoch)
    test = evaluate(model, data.test_x, data.test_y, derive_seed(seed, name, "eval"))
    _check_finite(name, epochs, epochs, test, lr, "final test loss")
    save_checkpoint(path, model, name=name, history=history, config=config, seed=seed,
                    id=name, test=test, precision=dtype_name(dtype),
                    history_test_size=min(EPOCH_TEST_SIZE, len(data.test_x)))
    return test


def train_job(cfg: Any, spec: ModelSpec, data: DataTensors, path: Path, device: str,
              progress: bool | None = None,
              on_epoch: Callable[[dict[str, Any]], None] | None = None) -> tuple[nn.Module, dict[str, float]]:
    """Build the model of ``spec``, train it by the run's recipe (``cfg.train``) and write its
    checkpoint to ``path``; returns the trained model and its test metrics. The train stage (in
    one process or in its worker pool) and benchmarks/bench_train.py make the same call."""
    model = build_model(spec, derive_seed(cfg.seed, spec.id, "init"), data.info).to(device)
    test = train_and_save(model, data, path, name=spec.id, epochs=spec.epochs,
                          batch_size=cfg.train.batch_size, lr=spec.lr, seed=cfg.seed,
                          config=dataclasses.asdict(cfg.train),
                          dtype=training_dtype(cfg.train.precision, device), progress=progress,
                          on_epoch=on_epoch)
    return model, test
