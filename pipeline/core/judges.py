"""The judges: two independent classifiers of the data set's classes that score decoded images.

A judge's ``features`` (its penultimate layer) are the space FID and precision/recall are
measured in. They take the data set's ``image_shape`` and ``n_classes``, kept in ``kwargs`` so a
checkpoint rebuilds its judge by itself (``models.load_checkpoint``). The third judge, a PCA of
the pixels, needs no training and lives in analyse (``s4_analyse/pca_judge.py``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .dataset_info import DEFAULT_CLASSES, DEFAULT_IMAGE_SHAPE, Shape, pixels


# --8<-- [start:judge]
class Judge(nn.Module):
    """A classifier of the data set's classes that scores decoded images. ``features`` (its
    penultimate layer) is the space FID and precision/recall are measured in; subclasses define
    ``trunk`` and ``head``."""

    trunk: nn.Module
    head: nn.Module

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.trunk(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.features(x)))

    def loss(self, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
        logits = self(x)
        return {"loss": F.cross_entropy(logits, y),
                "accuracy": (logits.argmax(1) == y).float().mean()}


class JudgeCNN(Judge):
    """A small CNN classifier, trained on the training images only.

    Two strided convolutions with batch norm (no pooling: cheap on a CPU) and one hidden layer;
    on MNIST, three epochs of Adam with a one-cycle schedule reach about 99.2 % test accuracy."""

    def __init__(self, channels: tuple[int, int] = (32, 64), features: int = 128,
                 image_shape: Shape = DEFAULT_IMAGE_SHAPE, n_classes: int = DEFAULT_CLASSES):
        super().__init__()
        self.kwargs = {"channels": list(channels), "features": features,
                       "image_shape": list(image_shape), "n_classes": n_classes}
        c1, c2 = channels
        side = [(s - 1) // 2 + 1 for s in image_shape[1:]]  # after the first stride-2 conv
        side = [(s - 1) // 2 + 1 for s in side]  # after the second
        self.trunk = nn.Sequential(
            nn.Unflatten(1, tuple(image_shape)),
            nn.Conv2d(image_shape[0], c1, 5, stride=2, padding=2, bias=False), nn.BatchNorm2d(c1), nn.ReLU(),
            nn.Conv2d(c1, c2, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(c2), nn.ReLU(),
            nn.Flatten(), nn.Linear(c2 * side[0] * side[1], features), nn.ReLU(),
        )
        self.dropout = nn.Dropout(0.25)
        self.head = nn.Linear(features, n_classes)


class JudgeMLP(Judge):
    """The second judge: a different architecture (fully connected on the raw pixels, no
    convolutions, so no built-in translation invariance) and a different feature space. A
    comparison between sample sets is only stated when every judge agrees on it."""

    def __init__(self, hidden: tuple[int, ...] = (1024, 256), dropout: float = 0.2,
                 image_shape: Shape = DEFAULT_IMAGE_SHAPE, n_classes: int = DEFAULT_CLASSES):
        super().__init__()
        self.kwargs = {"hidden": list(hidden), "dropout": dropout,
                       "image_shape": list(image_shape), "n_classes": n_classes}
        layers: list[nn.Module] = []
        width = pixels(image_shape)
        for h in hidden:
            layers += [nn.Linear(width, h), nn.BatchNorm1d(h), nn.ReLU()]
            width = h
        self.trunk = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(width, n_classes)
# --8<-- [end:judge]
