"""What the decks say, in lecture order: motivation → the autoencoder and its codes → the
generation problem (holes, where a sampler lands without a code) → the VAE and its clouds →
samples side by side (every sample grid and score after both mechanisms) → beyond 2-D →
take-home points; then an appendix (the textbook claims tested, robustness, then the glossary)
and a closing slide with provenance, licence and credit (assembled and written by ``deck_write``).

Every slide's notes open with its take-home message, then the figure's caption, then a
definition of each term used there for the first time (``deck_glossary.py``). A take-home line
that compares two things (better, worse, level) is only ever a stored verdict printed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pipeline.core.report import AnalysisReport

from .deck_glossary import GLOSSARY_PAGES, defined
from .figures.figdata import FigureData

DECK_TITLE = "Holes & Clouds"
# The question, not an answer: this run's answer (holes or the spread of the codes) is the
# stored verdicts' to give, on the take-home slide.
SUBTITLE = "Where can an autoencoder pick new codes? Its holes, a VAE's clouds, measured."
Text = Callable[[FigureData], str]


@dataclass(frozen=True)
class Part:
    """One slide of the lecture: a figure (by id) or text lines, its take-home and its terms."""
    figure: str = ""
    title: str = ""  # a text slide's title; a figure slide's when the figure's is too long
    takeaway: str | Text = ""
    terms: tuple[str, ...] = ()
    lines: Callable[[FigureData], list[str]] | None = None


def verdict(m: AnalysisReport, name: str, a: str, b: str, what: str) -> str:
    """A comparison exactly as the stored verdict (metrics ``robustness.comparisons``) states it."""
    c = m.robustness.comparisons[name]
    if c.verdict in ("better", "worse"):
        return f"{a} score {c.verdict} than {b} {what} in all {c.cases} cases (every seed and judge)."
    if c.verdict == "level":
        return f"{a} and {b} are level {what}: within {c.level_within:.0%} in all {c.cases} cases."
    return f"Whether {a} score better than {b} {what} is not settled: the seeds and judges disagree."


def claim(m: AnalysisReport, key: str, what: str) -> str:
    """A textbook claim with its stored verdict (metrics ``claims.verdicts``) and, unless it
    holds, the checks that failed: a lecturer asked why needs them, not the verdict alone."""
    if m.claims is None or m.claims.verdicts is None:
        return f"Claim tested: {what}."
    judged = getattr(m.claims.verdicts, key)
    # a check names what it requires ("letters: ROC AUC at least 0.9, in 3 seeds"), so the
    # line says these requirements were not met; a set's code name reads as words
    failed = [c.test.replace("_", " ") for c in judged.checks if not c.passed]
    why = f" Requirements not met: {'; '.join(failed)}." if failed else ""
    return f"Claim tested: {what}. Verdict of this run: {judged.verdict}.{why}"


def _motivation(d: FigureData) -> list[str]:
    height, width = d.recon["input"].shape[-2:]
    return [f"{len(d.labels):,} handwritten digits, {height} × {width} pixels each: "
            f"{height * width} numbers per image.",
            f"An autoencoder squeezes each image into {d.cfg.train.latent_dim} numbers, a code, "
            "and draws it back from there.",
            "If every code decodes to a digit, we could draw new digits by picking new codes.",
            "Question of this lecture: where do we pick them, and what does the decoder draw there?"]


def _where_codes_go(m: AnalysisReport) -> str:
    """The first take-home, as the stored judge-free verdict on where N(0, I) lands has it (the
    home page's sentence follows the same verdict): where N(0, I) lands among the AE's codes more
    often than among the VAE's in every seed, holes are not the AE's trouble; the spread of its
    codes is."""
    lands = m.robustness.holes.comparisons["ae_vs_vae_prior_mass_uncovered_fraction"]
    if lands.verdict == "better":
        return ("An AE's loss says nothing about where codes go: here they sprawl far wider "
                "than N(0, I), whose samples land only in their crowded centre; empty cells "
                "are not its trouble here.")
    return ("An autoencoder's loss says nothing about where codes go: they spread out with "
            "empty cells (holes) between them.")


def _summary(d: FigureData) -> list[str]:
    m = d.m
    lines = [_where_codes_go(m),
             "To generate you need a distribution to draw codes from; an AE gives none.",
             verdict(m, "ae_prior_vs_vae_fid_vs_recon", "AE samples from N(0, I)",
                     "the VAE's", "against their own reconstructions"),
             verdict(m, "gmm_vs_vae_fid_vs_recon", "AE samples from a fitted mixture (GMM)",
                     "the VAE's", "against their own reconstructions"),
             "A VAE's KL term builds the sampling distribution into training: its clouds are "
             "pulled toward N(0, I), which we then sample."]
    return [line for line in lines if line]


GLOSSARY_SLIDES = len(GLOSSARY_PAGES)


def _glossary(k: int) -> Callable[[FigureData], list[str]]:
    return lambda d: defined(GLOSSARY_PAGES[k])


def _glossary_takeaway(k: int) -> str:
    """Each glossary slide's own notes line: the terms it defines (one line for all of them
    read as the same slide five times)."""
    return "Defined here: " + "; ".join(GLOSSARY_PAGES[k]) + "."


def _sweep_apart(d: FigureData) -> str:
    """Why the sweep's β = 1 differs from the main VAE's numbers, when it is another model."""
    if any(e.id == d.m.main_pair["vae"] for e in d.m.beta_sweep):
        return ""
    return (" The sweep's VAEs are trained apart from the main VAE, so its β = 1 is another "
            "model than the one on the other slides.")


def _excess_takeaway(d: FigureData) -> str:
    """The excess holes' point, then this run's gap points where N(0, I) samples land: in a run
    where the AE has none there, its trouble with them is not empty space (the textbook's
    picture), and the lecturer should hear that before the class sees the samples."""
    k = {role: len(d.m.holes_excess[mid].gaps.points) for role, mid in d.m.main_pair.items()}
    line = (f" Inside N(0, I)'s dashed 3σ circle, where its samples land: {k['ae']} such gap "
            f"points for the AE, {k['vae']} for the VAE.")
    none = " So empty space is not the AE's trouble with N(0, I) samples."
    return ("Holes that matter are empty cells that a smooth density of the same spread would "
            "fill." + line + (none if k["ae"] == 0 else ""))


LECTURE: tuple[Part, ...] = (
    Part(title="Can random codes make new digits?", lines=_motivation,
         takeaway="An autoencoder compresses images into codes; this lecture asks what happens "
                  "when we decode codes that no image produced.",
         terms=("autoencoder (AE)", "code (latent vector)", "latent space")),
    # 1. The autoencoder and its codes
    Part("architecture", takeaway="Encoder, a two-number code, decoder: the AE and the VAE "
         "share this body and differ only at the bottleneck.",
         terms=("autoencoder (AE)", "VAE", "code (latent vector)", "N(0, I)", "q(z|x), μ, σ")),
    Part("reconstructions", takeaway="Two numbers per image are enough to redraw test digits "
         "the models never saw, blurred; look for the ones that come back as another digit.",
         terms=("reconstruction", "BCE (rec)", "nats")),
    Part("codes-ae", takeaway="Nothing in an AE's loss says where codes should go; look at "
         "where they went, and at how much of the plane they leave empty.",
         terms=("latent space", "N(0, I)", "window")),
    # 2. The generation problem: what random codes decode to, then where a sampler lands
    Part("hero-samples", title="Decode random codes: AE and VAE",
         takeaway="Before any mechanism, the payoff: codes drawn from N(0, I), decoded by each "
         "model in the order drawn, nothing picked. Ask the class which side draws clean digits; "
         "the rest of the lecture explains what they see.",
         terms=("sampler",)),
    Part("schematic-between-clusters", takeaway="A teaching picture, not data: an AE's loss "
         "only asks for good reconstructions, so nothing fills the space between its clusters, "
         "and a random code may land there. This is the textbook picture; the next slides "
         "measure it on this run, and the take-home slide says what held.",
         terms=("hole",)),
    Part("holes", takeaway="Holes are the places a sampler can land that no training image "
         "mapped to: the decoder never learned what to draw there. The VAE's map is here for "
         "contrast; how a VAE places its codes comes right after the generation problem.",
         terms=("hull", "gap point")),
    Part("excess-holes", title="Holes beyond the tails", takeaway=_excess_takeaway,
         terms=("excess hole",)),
    Part("quality-map", title="Where decodes leave the manifold (main seed)",
         takeaway="Colour each point of the plane by how unlike a real digit "
         "its decode is; then compare the dark regions with the edge of the codes.",
         terms=("judge", "CNN, MLP", "PCA", "off-manifold", "seed")),
    # 3. The VAE and its clouds: a distribution to sample from, trained in
    Part("schematic-point-cloud", takeaway="A teaching picture, not data: a VAE encodes an image "
         "as a small cloud, not a point, and trains its decoder on points drawn from the cloud.",
         terms=()),
    Part(title="The VAE's loss: reconstruction plus KL", lines=lambda d: [
        "The encoder gives each image x a cloud q(z|x) = N(μ, σ²), not a point.",
        "Reparameterize: z = μ + σ · ε with ε ~ N(0, I), so training can pass through the draw.",
        "Loss = reconstruction cost of decode(z) + β · KL(q(z|x) ‖ N(0, I)); β\u00a0=\u00a01 "
        "is the standard VAE, and the loss is then the negative ELBO.",
        "The KL term is zero only for a cloud equal to N(0, I): it pulls every cloud toward "
        "the distribution we will sample from."],
         takeaway="One extra term in the loss is the whole difference from an AE: the KL term "
         "ties the codes to N(0, I), so N(0, I) is a fair place to sample.",
         terms=("q(z|x), μ, σ", "KL term", "β", "ELBO")),
    Part("clouds", takeaway="A VAE encodes each image as a small cloud, and its KL term pulls "
         "every cloud toward N(0, I), the distribution we will sample from.",
         terms=("KL term", "mutual information I(n; z)")),
    Part("clouds-zoom",  # its figure title, which the clouds slide's caption names
         takeaway="Each cloud is tiny, but the clouds are packed so densely into N(0, I) that "
         "each one overlaps many of its neighbours: the space between codes is filled.",
         terms=()),
    Part("schematic-kl-pull", takeaway="A teaching picture, not data: reconstruction alone "
         "would let the clouds shrink and drift apart; the KL term pulls them toward N(0, I) and "
         "widens them until they overlap.",
         terms=()),
    Part("codes-matched", takeaway="Same images, same body, two losses: compare where each "
         "model puts its codes with the dashed circles of N(0, I).",
         terms=()),
    Part("training-curves", takeaway="The VAE's loss is reconstruction plus KL; the KL is the "
         "price paid for keeping the clouds near N(0, I).",
         terms=("ELBO",)),
    # 4. Samples side by side
    Part("schematic-prior-match", takeaway="A teaching picture, not data: where you draw codes "
         "decides what you get. An AE offers no distribution, so each sampler is a guess about "
         "where its codes are; a VAE's KL term makes N(0, I) the place to draw.",
         terms=()),
    Part("prior-samples", title="Four AE samplers and the VAE (main seed)",
         takeaway="To generate you must choose a distribution of codes; an AE "
         "offers none, so each of its samplers is a guess. Read the grids sampler by sampler; "
         "the VAE's grid samples N(0, I), the distribution its KL term trained it to fill.",
         terms=("FID",)),
    Part("sample-scores", title="Sample sets scored by the judge (main seed)",
         takeaway=lambda d: verdict(
             d.m, "ae_prior_vs_vae_fid_vs_recon", "AE samples from N(0, I)", "the VAE's",
             "against each model's own reconstructions") + " The chart shows the main seed under "
             "the CNN judge; the robustness slide of the appendix shows every case.",
         # the caption says why recall is near zero
         terms=("precision / recall", "k-NN")),
    Part("manifold", takeaway="Decode a regular grid of codes to see what each region of the "
         "plane draws; the Φ⁻¹ grid shows only the part N(0, I) samples from.",
         terms=("Φ⁻¹ grid",)),
    Part("interpolation-strips", takeaway=lambda d: "Walk a straight line between two codes "
         "and decode each step; the judge's label and confidence under each frame say what each "
         f"step looks like. The slide shows one pair; the caption's numbers cover all "
         f"{len(d.m.paths.pairs)} pairs the analysis walked.", terms=("interpolation",)),
    # 5. Beyond 2-D
    Part("beta-sweep", takeaway=lambda d: "β weighs the KL term against reconstruction: β = 0 "
         "is an autoencoder with noise, β = 1 the standard VAE." + _sweep_apart(d), terms=("β",)),
    Part("umap", title="Beyond 2-D: UMAP of the codes",
         takeaway="Codes beyond two dimensions cannot be drawn directly; UMAP keeps neighbours, "
                  "not empty space, so holes are measured in the codes.",
         terms=("UMAP", "AE-2, VAE-16")),
    # 6. Summary
    Part(title="Take-home points", lines=_summary,
         takeaway="The generation problem is about where you sample: an AE gives no "
                  "distribution to sample from; a VAE trains one in.",
         terms=("hole", "sampler", "KL term")),
    # Appendix
    Part(title="Appendix: the evidence, then the terms", lines=lambda d: [
        "Textbook claims, tested on this run: each with its verdict.",
        "Robustness: how far every score moves across seeds and judges.",
        "Glossary: every term of the lecture, to look up."],
         takeaway="The slides after this one back the lecture up; show them when asked."),
    Part("claims-variant-codes", takeaway=lambda d: claim(
        d.m, "variants", "a denoising or sparse AE is still a plain AE: random codes decode "
        "about as badly as from the plain one"),
         terms=("L1 penalty",)),
    Part("claims-pca-maps", takeaway=lambda d: claim(
        d.m, "pca", "a 2-D autoencoder beats PCA to two components")),
    Part("claims-ood-histograms", takeaway=lambda d: claim(
        d.m, "anomaly", "reconstruction error flags images unlike the training digits"),
         terms=("ROC AUC",)),
    Part("seed-spread", title="Robustness: seeds and judges",
         takeaway="A comparison is stated in this deck only when every seed under every judge "
         "agrees; this chart shows how far the scores move.", terms=("seed",)),
    # the glossary last, for looking things up after the evidence
    *(Part(title=f"Appendix: glossary ({k + 1}/{GLOSSARY_SLIDES})", lines=_glossary(k),
           takeaway=_glossary_takeaway(k)) for k in range(GLOSSARY_SLIDES)),
)

SLIDE_FIGURES = frozenset(p.figure for p in LECTURE if p.figure)  # figures with a slide variant
