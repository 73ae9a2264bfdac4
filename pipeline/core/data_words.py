"""How the pages name the data set and what its images show: "digit" only for MNIST.

The data stage records the data set's name, noun and class names (``dataset.json``); the few
words a first mention needs ("handwritten digit") are kept here rather than in that file, whose
bytes every trained model's key holds.
"""

from __future__ import annotations

import re
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


# A figure's title, caption and alt text are written for MNIST; for another data set its words
# replace "digit" (the phrase, the noun, and "digit" as the name of a class).
_RETELL = (
    (r"\bhandwritten digits\b", "{phrase}s"), (r"\bhandwritten digit\b", "{phrase}"),
    (r"\b(by|per|each|every|its|that|assigned to each|own|predicted) digit\b", "\\1 {label}"),
    (r"\bdigit (labels?)\b", "class \\1"),
    (r"\bdigit class(es)?\b", "class\\1"),
    (r"\b([Aa]) digit\b", "\\1{a_rest} {noun}"),
    (r"\bdigits\b", "{nouns}"), (r"\bdigit\b", "{noun}"),
    (r"\bDigits\b", "{Nouns}"), (r"\bDigit\b", "{Noun}"),
)


def retell(text: str, words: dict[str, Any]) -> str:
    """``text`` written for MNIST, in this data set's words ("digits" -> "clothing items" in
    a phrase, "coloured by digit" -> "coloured by class"); MNIST's text unchanged."""
    if words["noun"] == "digit":
        return text
    values = {**words, "Noun": words["noun"].capitalize(), "Nouns": words["nouns"].capitalize(),
              "a_rest": "n" if words["noun"][:1] in "aeiou" else ""}
    for pattern, repl in _RETELL:
        # a word of a name (an id, a file or an anchor: "claims-hardest-digits.png") stays
        text = re.sub(rf"(?<![\w/#.-]){pattern}(?!-\w|\.\w|/)", repl.format(**values), text)
    return text


_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.M | re.S)


def retell_page(markdown: str, words: dict[str, Any]) -> str:
    """A page written for MNIST in this data set's words, as ``retell``; fenced code blocks
    (the config file, with its own docs) stay as they are."""
    out, at = [], 0
    for block in _FENCE.finditer(markdown):
        out += [retell(markdown[at:block.start()], words), block.group(0)]
        at = block.end()
    return "".join(out) + retell(markdown[at:], words)
