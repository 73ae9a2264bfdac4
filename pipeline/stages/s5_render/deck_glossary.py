"""The deck's terms and their plain definitions: each is defined in the notes of the first slide
that uses it, and all of them on the glossary slides of the appendix (in this order)."""

from __future__ import annotations

from .figures.deck import BODY_ROOM, body_height

GLOSSARY: dict[str, str] = {
    "autoencoder (AE)": "a network trained to copy its input through a narrow middle layer: an "
                        "encoder squeezes the image into a code, a decoder draws the image back.",
    "code (latent vector)": "the few numbers the encoder keeps of an image; here 2, so every "
                            "image is a point on a plane.",
    "latent space": "the space of all possible codes; the decoder can draw something at any "
                    "point of it, also where no training image landed.",
    "VAE": "variational autoencoder: an autoencoder whose encoder outputs a small cloud (a "
           "Gaussian) per image instead of a point, and whose loss pulls the clouds toward N(0, I).",
    "reconstruction": "the decoder's drawing of an image from that image's own code.",
    "nats": "the unit of these losses (natural-log information); per image, lower means closer.",
    "BCE (rec)": "binary cross-entropy, the reconstruction loss: how unlikely the image's pixels "
                 "are under the decoder's drawing, summed over the pixels, in nats ('rec' on the "
                 "β-sweep panels); lower is closer.",
    "N(0, I)": "the standard normal distribution in the latent space (the prior): codes drawn "
               "around the origin, 39% within the 1σ circle, 86% within 2σ, 99% within 3σ "
               "(in two dimensions; one coordinate alone is within 1σ 68% of the time).",
    "window": "the square part of the latent space each map shows: the box holding 99% of the "
              "codes, widened by 10%.",
    "hole": "a cell of the window's grid with no training code in it.",
    "hull": "the convex hull of the occupied cells: holes inside it lie between codes.",
    "gap point": "the centre of one of the largest empty discs inside the hull.",
    "excess hole": "an empty cell that equal-size samples from a Gaussian fitted to the codes "
                   "mostly fill: emptier than a smooth density would leave it.",
    "seed": "the number that fixes a run's random draws; each model pair is trained with "
            "several, and the main seed's pair is the one the figures show.",
    "judge": "features that score decodes: two classifiers trained on MNIST (a CNN, an MLP) "
             "and a PCA of the pixels fitted without labels.",
    "CNN, MLP": "the two classifier judges: a convolutional network (small filters slid over "
                "the image) and a multi-layer perceptron (fully connected layers on the raw "
                "pixels), both trained on MNIST's labels, apart from the models.",
    "PCA": "principal component analysis: the straight-line projection that keeps the most of "
           "the pixels' variance; the third judge, and a 2-D autoencoder's linear rival.",
    "off-manifold": "off the manifold, the region of images that look like real digits: a "
                    "decode farther from every reconstruction of a real test digit (in the "
                    "judge's features) than almost all reconstructions are from each other.",
    "sampler": "a rule for drawing codes to decode: N(0, I), the box of the codes, a Gaussian "
               "or a Gaussian mixture (GMM) fitted to the codes.",
    "FID": "Fréchet distance: how far two sets of images lie apart in the judge's features "
           "(0 = same mean and spread); lower means closer. Named after the Fréchet Inception "
           "Distance, which uses the Inception network's features: these are the judge's, so the "
           "values do not compare with published FIDs.",
    "precision / recall": "share of samples that fall among the real images' nearest "
                          "neighbours / share of real images that fall among the samples'.",
    "k-NN": "the k nearest neighbours of a point; precision and recall use k-NN balls in the "
            "judge's features, and 5-NN accuracy labels a code by its 5 nearest training codes.",
    "q(z|x), μ, σ": "the VAE's cloud for image x: a Gaussian with centre μ and spread σ per axis; "
                    "the VAE draws its code z = μ + σ·ε, ε from N(0, I); its encoder outputs μ and "
                    "log σ², the logarithm of the variance σ².",
    "KL term": "the part of the VAE's loss that measures how far each cloud is from N(0, I).",
    "mutual information I(n; z)": "how much a code tells about which training image it came "
                                  "from, in nats: at most log N for N images.",
    "ELBO": "evidence lower bound: the VAE's loss with its sign flipped, where the loss is the "
            "reconstruction term plus the KL term; in nats.",
    "β": "the weight of the KL term in the loss; β = 1 is the standard VAE, β = 0 an "
         "autoencoder with noise.",
    "Φ⁻¹ grid": "a grid laid through the inverse normal CDF, so each cell holds the same "
                "N(0, I) mass.",
    "interpolation": "decoding the codes on a straight line between two images' codes.",
    "UMAP": "a method that draws high-dimensional points on a plane keeping neighbours close; "
            "it does not keep densities or distances.",
    "L1 penalty": "a loss term adding up the codes' absolute values, which pushes most of them "
                  "toward zero (a sparse code).",
    "ROC AUC": "the chance that a score ranks a random unusual image above a random ordinary "
               "one: 1 is perfect, 0.5 is chance.",
    "AE-2, VAE-16": "a model's name: its kind and the length of its code (AE-2: an autoencoder "
                    "with 2-number codes; VAE-16: a VAE with 16).",
}


def defined(terms: list[str]) -> list[str]:
    """'term: definition' for each of ``terms``."""
    return [f"{t}: {GLOSSARY[t]}" for t in terms]


def definitions(terms: tuple[str, ...], seen: set[str]) -> list[str]:
    """'term: definition' for each of ``terms`` not in ``seen`` (which it then joins)."""
    unknown = [t for t in terms if t not in GLOSSARY]
    if unknown:
        raise KeyError(f"deck terms without a glossary entry: {unknown}")
    new = [t for t in terms if t not in seen]
    seen.update(new)
    return defined(new)


def _fits(page: list[str], per: int) -> bool:
    return len(page) <= per and body_height(defined(page)) <= BODY_ROOM


def glossary_pages(per: int = 5) -> list[list[str]]:
    """The glossary's terms in order, a slide at a time: at most ``per`` terms, and no more than
    a text slide's body holds (five long definitions ran off the PDF slide's bottom edge). Filled
    greedily, then evened out from the end: the last slide held one term alone."""
    pages: list[list[str]] = [[]]
    for term in GLOSSARY:
        if pages[-1] and not _fits(pages[-1] + [term], per):
            pages.append([])
        pages[-1].append(term)
    for k in range(len(pages) - 1, 0, -1):  # a later page takes its predecessor's last terms
        while (len(pages[k - 1]) - len(pages[k]) > 1
               and _fits([pages[k - 1][-1], *pages[k]], per)):
            pages[k].insert(0, pages[k - 1].pop())
    return pages


GLOSSARY_PAGES = glossary_pages()  # the appendix's glossary slides
