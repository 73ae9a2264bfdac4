"""The project's licences and credits, written once: the figures' file metadata, the deck's
closing slide, the site's gallery and footer all read these strings.

The code is MIT-licensed (LICENSE). What the pipeline generates (figures, decks, page text) is
CC BY-SA 4.0 (LICENSE-content.md): the figures show MNIST's images and models trained on them,
and MNIST is distributed under CC BY-SA 3.0, whose share-alike term carries over to adaptations
(CC BY-SA 4.0 is a compatible later version).
"""

from __future__ import annotations

PROJECT = "Holes & Clouds"
AUTHORS = "the Holes & Clouds contributors"
COPYRIGHT = f"© {AUTHORS}"

CODE_LICENCE = "MIT"
CODE_LICENCE_FILE = "LICENSE"

CONTENT_LICENCE = "CC BY-SA 4.0"
CONTENT_LICENCE_NAME = "Creative Commons Attribution-ShareAlike 4.0 International"
CONTENT_LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
CONTENT_LICENCE_FILE = "LICENSE-content.md"

MNIST_CREDIT = ("MNIST by Yann LeCun and Corinna Cortes (derived from NIST's Special Databases 1 "
                "and 3), used under CC BY-SA 3.0")
MNIST_LICENCE_URL = "https://creativecommons.org/licenses/by-sa/3.0/"



def attribution(url: str = "") -> str:
    """The line to paste under a reused figure or slide (what CC BY-SA asks for: title, author,
    licence with its link, and the source the work adapts), with the site's address after the
    title where it is published (``site.url``; the figures' metadata is written without one)."""
    where = f" ({url})" if url else ""
    return (f"Figure from \"{PROJECT}\"{where} by {AUTHORS}, licensed {CONTENT_LICENCE} "
            f"({CONTENT_LICENCE_URL}); made from {MNIST_CREDIT}.")


ATTRIBUTION = attribution()

# The credit within 255 characters (a document property's limit, e.g. the deck's subject).
SHORT_ATTRIBUTION = (f"{COPYRIGHT}, {CONTENT_LICENCE} {CONTENT_LICENCE_URL}; made from MNIST "
                     "(Yann LeCun, Corinna Cortes; CC BY-SA 3.0)")

# One sentence for a footer or a slide: who holds what, under which licence.
NOTICE = (f"{COPYRIGHT}. Code: {CODE_LICENCE} licence. Figures, decks and page text: "
          f"{CONTENT_LICENCE}. {MNIST_CREDIT}.")


def file_metadata(title: str = "") -> dict[str, dict[str, str]]:
    """Licence and credit for a saved figure, per format (PNG text chunks, SVG Dublin Core,
    PDF info keys matplotlib knows, so no warning is raised)."""
    what = f"{title} ({PROJECT})" if title else PROJECT
    return {
        "png": {"Title": what, "Author": AUTHORS, "Copyright": COPYRIGHT,
                "License": f"{CONTENT_LICENCE} {CONTENT_LICENCE_URL}", "Source": MNIST_CREDIT,
                "Comment": ATTRIBUTION},
        "svg": {"Title": what, "Creator": AUTHORS, "Rights": f"{COPYRIGHT}; {CONTENT_LICENCE} "
                f"{CONTENT_LICENCE_URL}", "Source": MNIST_CREDIT, "Description": ATTRIBUTION},
        "pdf": {"Title": what, "Author": AUTHORS, "Subject": ATTRIBUTION,
                "Keywords": f"{CONTENT_LICENCE}; {CONTENT_LICENCE_URL}; {MNIST_CREDIT}"},
    }


def strings() -> dict[str, str]:
    """Every string above by name, for the site's templates (through render/kit.json)."""
    return {"project": PROJECT, "authors": AUTHORS, "copyright": COPYRIGHT,
            "code_licence": CODE_LICENCE, "content_licence": CONTENT_LICENCE,
            "content_licence_name": CONTENT_LICENCE_NAME, "content_licence_url": CONTENT_LICENCE_URL,
            "mnist_credit": MNIST_CREDIT, "mnist_licence_url": MNIST_LICENCE_URL,
            "attribution": ATTRIBUTION, "notice": NOTICE}
