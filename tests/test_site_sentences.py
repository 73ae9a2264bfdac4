"""The result-driven sentences of site_src/macros.j2 pick their wording from the verdicts the
analyse stage stored (pipeline/core/robust.py), one branch per verdict, on synthetic reports."""

from __future__ import annotations

import re

import pytest

from pipeline.core import robust
from pipeline.core.report import Comparison
from pipeline.core.robust import Case
from pipeline.stages.s6_site import helpers
from pipeline.stages.s6_site.stage import template_env

from .report_examples import mnist_words


P = "\u00a0%"  # pct's non-breaking space before the sign


@pytest.fixture(scope="module")
def say():
    return template_env(mnist_words()).get_template("macros.j2").module


CASES = [Case(s, j) for s in ("seed0", "seed1") for j in ("cnn", "mlp")]


def fid_comparison(a: list[float] | float, b: list[float] | float) -> Comparison:
    """A stored FID comparison over the four cases (two seeds × two judges) by the one rule;
    a single number is the same in every case."""
    a = a if isinstance(a, list) else [a] * len(CASES)
    b = b if isinstance(b, list) else [b] * len(CASES)
    return robust.compare(dict(zip(CASES, a)), dict(zip(CASES, b)))


def metrics(**changes: float) -> dict:
    """Synthetic analyse metrics holding every number the sentences read; `changes` sets
    dotted paths, e.g. **{"holes.ae2.hole_fraction_hull": 0.1}."""
    m = {
        "main_pair": {"ae": "ae2", "vae": "vae2"},  # the typed report's property
        "holes": {"ae2": {"hole_fraction_hull": 0.423, "prior_mass_uncovered_fraction": 0.0123,
                          "window_side": 44.0},
                  "vae2": {"hole_fraction_hull": 0.051, "prior_mass_uncovered_fraction": 0.0456,
                           "window_side": 6.0}},
        "samples": {"ae_prior": {"fid": 400.0, "class_tv_from_uniform_fraction": 0.61},
                    "vae_prior": {"fid": 200.0, "confidence_mean_fraction": 0.812,
                                  "class_tv_from_uniform_fraction": 0.12, "recall_fraction": 0.05},
                    "ae_gmm": {"fid": 300.0, "components": 10},
                    "ae_box": {"fid": 350.0, "confidence_mean_fraction": 0.9, "in_holes_fraction": 0.377,
                               "outside_window_fraction": 0.251},
                    "ae_recon": {"recall_fraction": 0.02}, "vae_recon": {"recall_fraction": 0.03}},
        "reference": {"test_vs_train": {"fid": 1.234}},
        "paths": {"summary": {
            "ae_linear": {"steps_in_holes_fraction": 0.25, "confidence_mean_fraction": 0.7,
                          "confidence_min_fraction": 0.3, "step_max_over_mean": 4.5},
            "vae_linear": {"steps_in_holes_fraction": 0.0, "confidence_mean_fraction": 0.8,
                           "confidence_min_fraction": 0.4, "step_max_over_mean": 1.5}}},
    }
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = m
        for key in parents:
            node = node[key]
        assert leaf in node, path  # only numbers the sentences read
        node[leaf] = value
    return m


def with_evidence(m: dict, seeds: dict[str, dict[str, dict[str, float]]] | None = None) -> dict:
    """metrics.robustness.holes and .paths, made by analyse's own seed_verdicts.
    ``seeds`` gives per seed {ae|vae: {number: value}}; by default the main seed alone, read from
    m["holes"] and m["paths"]["summary"]."""
    from pipeline.stages.s4_analyse.sections import robustness
    pa = m["paths"]["summary"]
    main = {"ae": {**m["holes"]["ae2"], **pa["ae_linear"]}, "vae": {**m["holes"]["vae2"], **pa["vae_linear"]}}
    seeds = seeds or {"seed0": main}
    s = m["samples"]
    recall = {(c, name): s[name]["recall_fraction"] for c in CASES
              for name in ("ae_recon", "vae_recon", "vae_prior")}
    m["robustness"] = {"holes": robustness.seed_verdicts(seeds, robustness.HOLE_KEYS),
                     "paths": robustness.seed_verdicts(seeds, robustness.PATH_KEYS),
                     "comparisons": {"ae_prior_vs_vae_fid_vs_real": fid_comparison(
                         s["ae_prior"]["fid"], s["vae_prior"]["fid"])},
                     "checks": {"recall_2d_near_zero": robust.threshold_check(recall, robustness.RECALL_NEAR_ZERO)}}
    return m


def sentence(say, name: str, seeds: dict | None = None, **changes: float) -> str:
    m = with_evidence(metrics(**changes), seeds)
    return re.sub(r"[ \n]+", " ", str(getattr(say, name)(m))).strip()


SEED_KEYS = ("hole_fraction_hull", "prior_mass_uncovered_fraction", "steps_in_holes_fraction",
             "step_max_over_mean")


def seed_holes(*pairs: tuple[float, float], key: str = "hole_fraction_hull") -> dict:
    """Per-seed (AE, VAE) values of one judge-free number; the others are the same (AE 0.3,
    VAE 0.1) in every seed."""
    return {f"seed{i}": {"ae": {k: (a if k == key else 0.3) for k in SEED_KEYS},
                         "vae": {k: (b if k == key else 0.1) for k in SEED_KEYS}}
            for i, (a, b) in enumerate(pairs)}


@pytest.mark.parametrize("ae, vae, expected", [
    (0.423, 0.051, "As the textbook says, the AE's space has more holes."),
    (0.051, 0.423, "Against the textbook story, the VAE's map has *more* empty cells than the AE's."),
    (0.2, 0.2, f"The two leave about the same share of their space empty (within 5{P} of each other)."),
])
def test_hole_sentence_follows_the_numbers_of_one_seed(say, ae, vae, expected):
    text = sentence(say, "hole_sentence", **{"holes.ae2.hole_fraction_hull": ae,
                                             "holes.vae2.hole_fraction_hull": vae})
    assert expected in text and "every seed" not in text
    assert f"**{100 * ae:.1f}{P}**" in text and f"**{100 * vae:.1f}{P}**" in text


@pytest.mark.parametrize("pairs, expected", [
    (((0.423, 0.051), (0.40, 0.06), (0.45, 0.05)), "the AE's space has more holes, in every seed."),
    (((0.05, 0.42), (0.06, 0.40)), "*more* empty cells than the AE's in every seed."),
    (((0.423, 0.051), (0.05, 0.40), (0.2, 0.2)),
     "is not settled: of 3 seeds, 1 gives the AE more empty cells, 1 the VAE and 1 neither."),
])
def test_hole_sentence_compares_only_what_holds_in_every_seed(say, pairs, expected):
    text = sentence(say, "hole_sentence", seeds=seed_holes(*pairs),
                    **{"holes.ae2.hole_fraction_hull": pairs[0][0], "holes.vae2.hole_fraction_hull": pairs[0][1]})
    assert expected in text
    lo, hi = min(p[0] for p in pairs), max(p[0] for p in pairs)
    assert f"over the {len(pairs)} seeds AE {100 * lo:.1f}{P}–{100 * hi:.1f}{P}" in text


# The prior sentence used to compare the main seed's two FIDs with a bare "<" and credit the VAE
# from one seed; it now says what the stored comparison over every seed and judge says.
@pytest.mark.parametrize("ae, vae, expected", [
    (400.0, 200.0, "The VAE's prior samples are closer to real digits in all 4 cases (every seed under every judge), as the theory predicts."),
    (200.0, 400.0, "Against the textbook story, the AE's prior samples are closer to real digits than the VAE's in all 4 cases"),
    (400.0, 390.0, f"The two are level: within 5{P} of each other in all 4 cases"),
])
def test_prior_sentence_follows_the_stored_verdict(say, ae, vae, expected):
    text = sentence(say, "prior_sentence", **{"samples.ae_prior.fid": ae, "samples.vae_prior.fid": vae})
    assert expected in text
    assert f"**{ae:.1f}**" in text and f"**{vae:.1f}**" in text and "score 1.23)" in text


def test_prior_sentence_is_unsettled_when_the_cases_disagree(say):
    m = with_evidence(metrics())
    m["robustness"]["comparisons"]["ae_prior_vs_vae_fid_vs_real"] = fid_comparison(
        [400.0, 400.0, 150.0, 400.0], 200.0)
    text = re.sub(r"[ \n]+", " ", str(say.prior_sentence(m)))
    assert "is not settled: of 4 cases (seeds × judges), 3 favour the VAE, 1 the AE and 0 neither" in text
    # Each judge's range alone: one range over all judges would mix their scales.
    assert "(FID over the seeds, AE against VAE: CNN 150.0–400.0 against 200.0–200.0; MLP 400.0–400.0 against 200.0–200.0)" in text
    assert "theory predicts" not in text


def test_confidence_sentence_gives_the_numbers_and_compares_nothing(say):
    """Confidences exist for the main seed only, so the sentence states them (and the FIDs)
    without a comparison either way, whichever is larger."""
    for box_conf in (0.9, 0.5):
        text = sentence(say, "confidence_sentence", **{"samples.ae_box.confidence_mean_fraction": box_conf})
        assert f"is {100 * box_conf:.1f}{P} on decodes of AE samples" in text and f"and 81.2{P} on VAE" in text
        assert "FID 350.0 and 200.0" in text and "main seed, CNN judge" in text
        assert not re.search(r"\b(more|less|better|worse) confident", text)


def test_prior_mass_sentence_follows_the_numbers(say):
    usual = sentence(say, "prior_mass_sentence", **{"holes.ae2.prior_mass_uncovered_fraction": 0.5})
    assert f"with probability 50.0{P}, against 4.6{P} for the VAE" in usual
    assert "do not overlap well" in usual and "contradicts" not in usual
    unusual = sentence(say, "prior_mass_sentence")
    assert "Here this run contradicts the usual picture" in unusual
    assert f"probability 1.23{P} (the VAE: 4.6{P}; main seed)" in unusual
    assert "a window 44 latent units wide" in unusual  # the stored window side
    assert f"61{P} from uniform" in unusual and f"against 12{P} for the VAE" in unusual
    tiny = sentence(say, "prior_mass_sentence", **{"holes.ae2.prior_mass_uncovered_fraction": 0.00001})
    assert f"probability less than 0.01{P} (the VAE" in tiny  # "only 0.00 %" read as a slip
    assert f"puts 37.7{P} of the points where it has no code: 25.1{P} beyond the window" in unusual
    level = sentence(say, "prior_mass_sentence", **{"holes.ae2.prior_mass_uncovered_fraction": 0.0456})
    assert f"within 5{P} of each other" in level and "contradicts" not in level


def test_prior_mass_sentence_is_unsettled_when_the_seeds_disagree(say):
    seeds = seed_holes((0.5, 0.05), (0.01, 0.05), key="prior_mass_uncovered_fraction")
    text = sentence(say, "prior_mass_sentence", seeds=seeds)
    assert "Which is larger is not settled: of 2 seeds, 1 gives the AE the larger share and 1 the VAE" in text
    assert "contradicts" not in text and "do not overlap well" not in text


@pytest.mark.parametrize("ae_holes, expected", [
    (0.25, "The AE's paths cross more empty cells than the VAE's."),
    (0.0, f"The two cross empty cells about equally often (within 5{P})."),
])
def test_paths_sentence_on_holes_follows_the_numbers(say, ae_holes, expected):
    text = sentence(say, "paths_sentence", **{"paths.summary.ae_linear.steps_in_holes_fraction": ae_holes})
    assert expected in text and "every seed" not in text
    assert f"the AE's path spends {100 * ae_holes:.1f}{P} of its steps in holes and the VAE's 0.0{P}" in text
    assert f"averages 70.0{P} for the AE and 80.0{P} for the VAE (lowest 30.0{P} and 40.0{P}" in text


@pytest.mark.parametrize("ae_jump, expected", [
    (4.5, "The AE's frames change less evenly: it jumps from one digit to the next where the VAE morphs."),
    (1.2, "Against the textbook story, the VAE's frames change less evenly than the AE's."),
    (1.52, f"The frames change about as evenly for both models (within 5{P})."),
])
def test_paths_sentence_on_evenness_follows_the_numbers(say, ae_jump, expected):
    text = sentence(say, "paths_sentence", **{"paths.summary.ae_linear.step_max_over_mean": ae_jump})
    assert expected in text
    assert f"{ae_jump:.1f}× the mean step for the AE and 1.5× for the VAE" in text


@pytest.mark.parametrize("key, pairs, expected", [
    ("steps_in_holes_fraction", ((0.25, 0.0), (0.3, 0.05)), "The AE's paths cross more empty cells than the VAE's in every seed."),
    ("steps_in_holes_fraction", ((0.25, 0.0), (0.0, 0.2)),
     "Which model's paths cross more empty cells is not settled: of 2 seeds, 1 says the AE's and 1 the VAE's."),
    ("step_max_over_mean", ((4.5, 1.5), (3.0, 1.4), (2.0, 1.6)), "The AE's frames change less evenly in every seed"),
    ("step_max_over_mean", ((4.5, 1.5), (1.2, 1.6)),
     "Which model's frames change more evenly is not settled: of 2 seeds, 1 says the VAE's and 1 the AE's."),
])
def test_paths_sentence_compares_only_what_holds_in_every_seed(say, key, pairs, expected):
    text = sentence(say, "paths_sentence", seeds=seed_holes(*pairs, key=key))
    assert expected in text and f"over the {len(pairs)} seeds AE" in text


@pytest.mark.parametrize("best, shown", [(0.09, True), (0.1, False), (0.6, False)])
def test_recall_note_appears_only_when_every_recall_is_near_zero(say, best, shown):
    text = sentence(say, "recall_note", **{"samples.vae_recon.recall_fraction": best})
    assert ("Recall against the real test images is close to zero for every 2-D set" in text) == shown
    if not shown:
        assert text == ""


@pytest.mark.parametrize("value, digits, expected", [
    # thousands apart by a narrow no-break space: a number never wraps at a line's end
    (1234567.891, 1, "1\u202f234\u202f567.9"), (-0.5, 2, "\u22120.50"), (None, 1, "n/a"),
    (float("nan"), 1, "n/a"), (float("inf"), 1, "n/a"), (3, 0, "3"),
])
def test_num_formats_prose_numbers(value, digits, expected):
    assert helpers.num(value, digits) == expected


def test_pct_and_times():
    assert helpers.pct(0.1234) == "12.3" + P and helpers.pct(None) == "n/a"
    assert helpers.times(9.0, 3.0) == "3.0×"
    assert helpers.times(0, 3.0) == "n/a" and helpers.times(3.0, None) == "n/a"


@pytest.mark.parametrize("k, expected", [
    (0, "a cell with no training code"),  # not "at most 0 codes"
    (1, "a cell with at most one training code"),
    (3, "a cell with at most 3 training codes"),
])
def test_hole_rule_reads_naturally_for_every_threshold(say, k, expected):
    assert str(say.hole_rule(k)) == expected
