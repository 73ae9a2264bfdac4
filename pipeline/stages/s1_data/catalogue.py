"""The data sets the pipeline knows: each one's torchvision class, folder, words and credit.

All three are 28 x 28 grayscale images in ten classes, 60,000 for training and 10,000 for test,
published as the same four IDX files; torchvision reads each from ``root/<class name>/raw/``.
The shape, class count and class names written to ``dataset.json`` are read from the files and
from torchvision's ``.classes``, not from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


@dataclass(frozen=True)
class Entry:
    """What the catalogue says about one data set."""

    name: str  # the config's data.dataset value
    title: str  # how the pages name it
    torchvision_class: str  # the class in torchvision.datasets; also its folder under data.root
    item_noun: str  # what one image shows, singular
    credit: str  # citation and licence, for the pages' credits
    short_class_names: bool = False  # MNIST's "0 - zero" -> "0" (figures label digits by numeral)


CATALOGUE: dict[str, Entry] = {e.name: e for e in (
    Entry("mnist", "MNIST", "MNIST", "digit",
          "MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, The MNIST database of handwritten "
          "digits.", short_class_names=True),
    Entry("fashion-mnist", "Fashion-MNIST", "FashionMNIST", "item",
          "Fashion-MNIST: H. Xiao, K. Rasul and R. Vollgraf (2017), Zalando Research, "
          "MIT licence."),
    Entry("kmnist", "Kuzushiji-MNIST", "KMNIST", "character",
          "Kuzushiji-MNIST: T. Clanuwat et al. (2018), ROIS-DS Center for Open Data in the "
          "Humanities, CC BY-SA 4.0."),
)}


def torchvision_class(entry: Entry) -> type:
    """The torchvision.datasets class that reads this data set's IDX files."""
    import torchvision.datasets
    return getattr(torchvision.datasets, entry.torchvision_class)


def class_names(entry: Entry) -> tuple[str, ...]:
    """Label -> name, from torchvision's ``.classes`` of the data set."""
    names = torchvision_class(entry).classes
    return tuple(n.split(" - ")[0] if entry.short_class_names else n for n in names)
