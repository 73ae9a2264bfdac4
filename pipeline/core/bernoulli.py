"""The Bernoulli negative log-likelihood of pixels from logits, per pixel: what
``F.binary_cross_entropy_with_logits(logits, x, reduction="none")`` computes, with the same
gradient, at a fraction of its cost on the CPU.

Why: torch's CPU kernel goes through ``log_sigmoid``, whose ``log1p`` is not vectorised: about
ten times the cost of the vectorised ``log``, and a quarter of an AE-2 training step on the CPU
(BENCHMARKS.md, "Numbers behind code choices"). Here softplus(l) − x·l is written as max(l, 0) − x·l + log(1 + e^−|l|) with the vectorised ``log``:
1 + e^−|l| drops terms under 6e-8 nats per pixel, below the rounding of the float32 sum over
an image's pixels (both formulas are within 3e-4 nats of a float64 reference on such a batch).

The backward pass is torch's own formula for this loss, (sigmoid(l) − x) · grad, so the
gradients, and with them the trained weights, are bit-identical to torch's loss; only the loss
values themselves differ in their last bits.
"""

from __future__ import annotations

from typing import Any

import torch


class BernoulliNLL(torch.autograd.Function):
    """-log p(x | logits) per pixel, for float32 ``logits`` and targets ``x`` in [0, 1]; no
    gradient flows to ``x``."""

    @staticmethod
    def forward(ctx: Any, logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(logits, x)
        softplus_rest = logits.abs().neg_().exp_().add_(1).log_()  # log(1 + e^−|l|)
        return logits.clamp_min(0).sub_(x * logits).add_(softplus_rest)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        logits, x = ctx.saved_tensors
        return (logits.sigmoid() - x).mul_(grad), None


def bernoulli_nll(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-pixel NLL in float32 (under autocast, bfloat16 logits are cast up first, as autocast
    does for torch's BCE-with-logits)."""
    return BernoulliNLL.apply(logits.float(), x.float())
