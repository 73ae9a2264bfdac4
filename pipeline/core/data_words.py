"""How the pages name the data set and what its images show: "digit" only for MNIST.

The data stage records the data set's name, noun and class names (``dataset.json``); the few
words a first mention needs ("handwritten digit") are kept here rather than in that file, whose
bytes every trained model's key holds.
"""

from __future__ import annotations

from typing import Any

from .dataset_info import DatasetInfo

# What one image shows, in a few words, per data set (config data.dataset).
PHRASES = {"mnist": "handwritten digit", "fashion-mnist": "clothing item",
           "kmnist": "cursive Japanese character"}


def data_words(info: DatasetInfo) -> dict[str, Any]:
    """{"title", "noun", "nouns", "phrase", "label", "classes"}: "label" is what a
    class is called ("digit" where the classes are numerals, else "class"), "classes" the class
    names where they are words (none for MNIST, whose classes are its digits)."""
    numerals = all(name.isdigit() for name in info.class_names)
    phrase = PHRASES.get(info.name, info.item_noun)
    return {"title": info.title, "noun": info.item_noun, "nouns": f"{info.item_noun}s",
            "phrase": phrase, "label": info.item_noun if numerals else "class",
            "classes": [] if numerals else list(info.class_names)}
