"""Benchmark (not a test): does training models of one architecture together pay on this machine?
Issue 16's levers, measured as ratios inside one run (A and B interleaved, best of 3 rounds each),
because on a shared machine absolute times move from minute to minute.

    .venv/bin/python benchmarks/bench_ensemble.py [--threads 2] [--steps 8] [--k 2 3 6]
        [--batch 256] [--batches 256 512 1024]

1. Ensembles: K MLP AEs / VAE-2s (MNIST's pixels-512-256-2, the default body) trained one step each,
   one after another (A: K separate models, K fused Adams), against one step of the K models
   stacked (B): every weight gets a leading K axis, each layer is one ``torch.baddbmm`` over the
   K members' own minibatches, and one fused Adam updates the stack. Adam is elementwise, so the
   stack is K independent trainings in one set of kernels. ``--vmap`` adds a third variant:
   ``torch.func.stack_module_state`` + ``vmap(functional_call)`` over the project's own modules.
   Printed: seconds per K steps, the ratio A/B in wall and process CPU time, and the achieved
   matmul GFLOP/s of each against the float32 matmul peak measured in the same run.
2. Batch size: images per second of one AE-2 at each of ``--batches`` (the same model, the same
   loop), against the first.

Both ratios are reported in CPU time as well as wall time: with other processes on the machine,
CPU time is the less noisy of the two (it leaves out the time a process waited for a core).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.func import functional_call, stack_module_state, vmap  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from peak import matmul_peak  # noqa: E402  (benchmarks/peak.py, beside this script)
from pipeline.core.dataset_info import DEFAULT_IMAGE_SHAPE, pixels  # noqa: E402
from pipeline.core.devices import configure_cpu_math  # noqa: E402
from pipeline.core.models import (Autoencoder, VariationalAutoencoder, bce_per_image,  # noqa: E402
                                  gaussian_kl)

N = 60000  # rows of the random "training set" the batches are drawn from
HIDDEN = [512, 256]
PIXELS = pixels(DEFAULT_IMAGE_SHAPE)  # MNIST's flat image, the default data set's
Step = Callable[[], None]


def build_model(kind: str, seed: int = 0) -> torch.nn.Module:
    """The default MLP AE-2 or VAE-2 (pixels-512-256-2), initial weights from ``seed``."""
    torch.manual_seed(seed)
    cls = Autoencoder if kind == "ae" else VariationalAutoencoder
    return cls(latent_dim=2, hidden=HIDDEN, body="mlp")


def solo_steps(kind: str, k: int, batch: int, x_all: torch.Tensor) -> Step:
    """A: K separate models, each its own minibatch and fused Adam step, one after another."""
    models = [build_model(kind, seed=i) for i in range(k)]
    opts = [torch.optim.Adam(m.parameters(), lr=1e-3, fused=True) for m in models]
    gens = [torch.Generator().manual_seed(i) for i in range(k)]

    def step() -> None:
        for m, opt, g in zip(models, opts, gens):
            idx = torch.randint(0, N, (batch,), generator=g)
            loss = m.loss(x_all[idx], generator=g)["loss"]
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return step


def stacked_terms(kind: str, h: torch.Tensor, gens: list[torch.Generator]
                  ) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The latent layer of a stack: (z, KL per member or None). h: [K, B, 2 or 4]."""
    if kind == "ae":
        return h, None
    mu, logvar = h.chunk(2, dim=-1)
    eps = torch.stack([torch.randn(mu.shape[1:], generator=g) for g in gens])
    k, b = mu.shape[:2]
    kl = gaussian_kl(mu.flatten(0, 1), logvar.flatten(0, 1)).view(k, b).mean(1)
    return mu + eps * torch.exp(0.5 * logvar), kl


def bmm_steps(kind: str, k: int, batch: int, x_all: torch.Tensor) -> Step:
    """B: the K models as one stack of weights [K, in, out]; a layer is one baddbmm. The VAE's
    μ and log σ² heads are one 256→4 layer split in two (the same FLOPs as two 256→2 heads)."""
    latent = 2 if kind == "ae" else 4
    enc = [PIXELS, *HIDDEN, latent]
    dec = [2, *reversed(HIDDEN), PIXELS]
    shapes = list(zip(enc, enc[1:])) + list(zip(dec, dec[1:]))
    weights = [(torch.randn(k, a, b) * a ** -0.5).requires_grad_() for a, b in shapes]
    biases = [torch.zeros(k, 1, b, requires_grad=True) for _, b in shapes]
    opt = torch.optim.Adam(weights + biases, lr=1e-3, fused=True)
    gens = [torch.Generator().manual_seed(i) for i in range(k)]
    last_enc, last = len(enc) - 2, len(shapes) - 1  # linear outputs: the code and the logits

    def step() -> None:
        x = x_all[torch.stack([torch.randint(0, N, (batch,), generator=g) for g in gens])]
        h, kl = x, None
        for i, (w, b) in enumerate(zip(weights, biases)):
            h = torch.baddbmm(b, h, w)
            if i == last_enc:
                h, kl = stacked_terms(kind, h, gens)
            elif i != last:
                h = torch.relu(h)
        rec = F.binary_cross_entropy_with_logits(h, x, reduction="none").sum(2).mean(1)
        loss = (rec if kl is None else rec + kl).sum()  # Σ of member losses: their own gradients
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return step


def vmap_steps(kind: str, k: int, batch: int, x_all: torch.Tensor) -> Step:
    """C: torch.func over the project's own modules (stack_module_state + vmap(functional_call))."""
    models = [build_model(kind, seed=i) for i in range(k)]
    params, _ = stack_module_state(models)
    base = build_model(kind).to("meta")
    opt = torch.optim.Adam(list(params.values()), lr=1e-3, fused=True)
    gens = [torch.Generator().manual_seed(i) for i in range(k)]

    def call(name: str, h: torch.Tensor) -> torch.Tensor:
        sub = {key[len(name) + 1:]: v for key, v in params.items() if key.startswith(name + ".")}
        return vmap(lambda p, a: functional_call(getattr(base, name), p, (a,)))(sub, h)

    def step() -> None:
        x = x_all[torch.stack([torch.randint(0, N, (batch,), generator=g) for g in gens])]
        h = call("body", x)
        code = call("fc_z", h) if kind == "ae" else torch.cat([call("fc_mu", h), call("fc_logvar", h)], -1)
        z, kl = stacked_terms(kind, code, gens)
        logits = call("decoder", z)
        rec = bce_per_image(logits.flatten(0, 1), x.flatten(0, 1)).view(k, batch).mean(1)
        loss = (rec if kl is None else rec + kl).sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return step


def step_flops(kind: str, batch: int, x_all: torch.Tensor) -> float:
    """Matmul FLOPs of one model's training step, as torch counts them."""
    model = build_model(kind)
    with FlopCounterMode(display=False) as counter:
        model.loss(x_all[:batch])["loss"].backward()
    return counter.get_total_flops()


def timed(step: Step, steps: int) -> tuple[float, float]:
    """(wall, process CPU) seconds per call of ``step``, after one warm-up call."""
    step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t0) / steps, (time.process_time() - c0) / steps


def race(steps_by_name: dict[str, Step], steps: int, rounds: int = 3) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) of ``rounds`` interleaved rounds: A B C A B C ..."""
    best = {name: (float("inf"), float("inf")) for name in steps_by_name}
    for _ in range(rounds):
        for name, step in steps_by_name.items():
            w, c = timed(step, steps)
            best[name] = (min(best[name][0], w), min(best[name][1], c))
    return best


def bench_ensembles(args: argparse.Namespace, x_all: torch.Tensor, peak0: float) -> None:
    for kind in ("ae", "vae"):
        flops = step_flops(kind, args.batch, x_all)
        for k in args.k:
            variants = {"sequential": solo_steps(kind, k, args.batch, x_all),
                        "bmm stack": bmm_steps(kind, k, args.batch, x_all)}
            if args.vmap:
                variants["vmap stack"] = vmap_steps(kind, k, args.batch, x_all)
            best = race(variants, args.steps)
            peak = max(peak0, matmul_peak())
            wa, ca = best["sequential"]
            parts = []
            for name, (w, c) in best.items():
                rate = k * flops / w / 1e9
                ratio = "" if name == "sequential" else f", {wa / w:.2f}x wall {ca / c:.2f}x CPU"
                parts.append(f"{name} {1e3 * w:7.1f} ms ({rate:5.1f} GFLOP/s = {100 * rate / peak:3.0f} %{ratio})")
            print(f"{kind.upper()}-2 K={k}: " + " | ".join(parts) + f"   [peak {peak:.0f} GFLOP/s]",
                  flush=True)


def repeated(step: Step, times: int) -> Step:
    def run() -> None:
        for _ in range(times):
            step()
    return run


def bench_batches(args: argparse.Namespace, x_all: torch.Tensor) -> None:
    """Each batch size trains on the same number of images per timed call."""
    images = args.steps * args.batches[0]
    steps = {b: repeated(solo_steps("ae", 1, b, x_all), max(1, images // b)) for b in args.batches}
    best = race(steps, 1)
    w0, c0 = best[args.batches[0]]
    for b, (w, c) in best.items():
        print(f"AE-2 batch {b:5d}: {images / w:8,.0f} images/s  ({w0 / w:.2f}x wall, {c0 / c:.2f}x CPU "
              f"of batch {args.batches[0]})", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    p.add_argument("--steps", type=int, default=8, help="timed steps per round")
    p.add_argument("--k", type=int, nargs="+", default=[2, 3, 6])
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--batches", type=int, nargs="*", default=[256, 512, 1024])
    p.add_argument("--vmap", action="store_true", help="also time the torch.func/vmap stack")
    args = p.parse_args()
    configure_cpu_math()  # before any parallel op, as the train stage does
    if args.threads:
        torch.set_num_threads(args.threads)
    x_all = torch.rand(N, PIXELS, generator=torch.Generator().manual_seed(0))
    peak0 = matmul_peak()
    print(f"cpu, {torch.get_num_threads()} threads, torch {torch.__version__}; batch {args.batch}; "
          f"best of 3 interleaved rounds of {args.steps} steps", flush=True)
    bench_ensembles(args, x_all, peak0)
    if args.batches:
        bench_batches(args, x_all)


if __name__ == "__main__":
    main()
