"""The fast Bernoulli NLL (core/bernoulli.py) is torch's BCE-with-logits: the same values up to
float32 rounding, the very same gradients, with and without bfloat16 autocast."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from pipeline.core.bernoulli import bernoulli_nll
from pipeline.core.models import bce_per_image


def _batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(64, 784, generator=gen) * 6 - 2
    logits[0, :4] = torch.tensor([-100.0, 100.0, 0.0, 30.0])  # saturated and exact-zero logits
    x = torch.rand(64, 784, generator=gen)
    x[:, :8] = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.5, 0.0, 1.0, 1.0])  # binary and grey targets
    return logits, x


def test_values_are_torchs_up_to_rounding() -> None:
    logits, x = _batch()
    ours = bernoulli_nll(logits, x)
    theirs = F.binary_cross_entropy_with_logits(logits, x, reduction="none")
    exact = F.binary_cross_entropy_with_logits(logits.double(), x.double(), reduction="none")
    assert torch.isfinite(ours).all()
    assert torch.allclose(ours.double(), exact, rtol=1e-6, atol=1e-6)
    assert torch.allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    per_image = bce_per_image(logits, x).double()
    assert torch.allclose(per_image, exact.sum(1), rtol=1e-6)
    assert ours[0, 1] == 0.0 and ours[0, 0] == 0.0  # l = +100 with x = 1, l = -100 with x = 0


def _grad(loss_fn, logits: torch.Tensor, x: torch.Tensor, weight: torch.Tensor,
          autocast: bool) -> torch.Tensor:
    w = weight.clone().requires_grad_()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        rec = loss_fn(logits @ w, x).sum(1).mean()
    rec.backward()
    return w.grad


def test_gradients_are_bit_identical_to_torchs() -> None:
    logits, x = _batch(1)
    weight = torch.eye(784) + 0.01 * torch.randn(784, 784, generator=torch.Generator().manual_seed(2))

    def torch_bce(l: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return F.binary_cross_entropy_with_logits(l, t, reduction="none")

    for autocast in (False, True):
        ours = _grad(bernoulli_nll, logits, x, weight, autocast)
        theirs = _grad(torch_bce, logits, x, weight, autocast)
        assert ours.dtype == theirs.dtype == torch.float32
        assert torch.equal(ours, theirs), f"autocast={autocast}"
