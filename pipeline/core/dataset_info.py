"""What the data set is: image shape, classes and the words the pages use for one item.

The data stage writes one :class:`DatasetInfo` as ``data/dataset.json`` (loader:
``artifacts.dataset_info``); models, judges, tiles and analysis read the shape and classes from
it instead of assuming MNIST's. Images travel as uint8 arrays of :func:`array_shape` per image
([H, W] for one channel, [C, H, W] otherwise); models see them flat, C·H·W floats per image.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Sequence

# The shape and class count of a model built without a data set (unit tests, and checkpoints
# written before the data stage recorded shapes): MNIST's, the default data set.
Shape = tuple[int, int, int]  # (channels, height, width) of one image
DEFAULT_IMAGE_SHAPE = (1, 28, 28)
DEFAULT_CLASSES = 10


def pixels(image_shape: Sequence[int]) -> int:
    """Floats per flat image: channels x height x width."""
    return math.prod(image_shape)


def array_shape(image_shape: Sequence[int]) -> tuple[int, ...]:
    """The uint8 array shape of one image: (H, W) for one channel, (C, H, W) otherwise."""
    c, h, w = image_shape
    return (h, w) if c == 1 else (c, h, w)


@dataclass(frozen=True)
class DatasetInfo:
    """One data set as the data stage found it (``data/dataset.json``)."""

    name: str  # the config's data.dataset: "mnist", "fashion-mnist" or "kmnist"
    title: str  # how pages name it: "MNIST", "Fashion-MNIST", "Kuzushiji-MNIST"
    image_shape: tuple[int, int, int]  # (channels, height, width) of one image
    n_classes: int  # number of labels; labels are 0..n_classes-1
    class_names: tuple[str, ...]  # label -> name, from the data set (torchvision's .classes)
    item_noun: str  # what one image shows, singular: "digit", "item", "character"
    credit: str  # where the data set comes from, for the pages' credits

    @property
    def pixels(self) -> int:
        """Floats per flat image (what the models' first and last layers see)."""
        return pixels(self.image_shape)

    @property
    def array_shape(self) -> tuple[int, ...]:
        """The uint8 array shape of one image in data/mnist.npz and every later array."""
        return array_shape(self.image_shape)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["image_shape"], d["class_names"] = list(self.image_shape), list(self.class_names)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DatasetInfo:
        """The inverse of :meth:`to_json`; a missing or unknown key raises ValueError."""
        try:
            info = cls(**{**d, "image_shape": tuple(int(v) for v in d["image_shape"]),
                          "class_names": tuple(str(v) for v in d["class_names"])})
        except (KeyError, TypeError) as e:
            raise ValueError(f"dataset.json does not hold a DatasetInfo: {e}") from None
        if len(info.image_shape) != 3 or len(info.class_names) != info.n_classes:
            raise ValueError(f"dataset.json: image_shape {list(info.image_shape)} must be "
                             f"(channels, height, width) and class_names must hold n_classes = "
                             f"{info.n_classes} names")
        return info
