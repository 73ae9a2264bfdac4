"""The render stage's outputs: the figure manifest matches the files, the deck has one page per
key figure, the GIFs exist, and saving is byte-deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.core.config import Config

# The figures DESIGN.md lists (β sweep and UMAP are present whenever the profile trains them).
REQUIRED = {"architecture", "reconstructions", "codes-matched", "codes-same-axes", "codes-ae",
            "holes", "gap-decodes", "prior-samples", "manifold", "clouds",
            "interpolation-strips", "sample-scores", "class-balance", "training-curves",
            "beta-sweep", "umap"}
FIELDS = {"id", "title", "caption", "alt", "key", "page", "files"}


def render_dir(cfg: Config) -> Path:
    return cfg.resolve(cfg.paths.artifacts) / "render"


@pytest.fixture(scope="module")
def manifest(smoke_build: Config) -> tuple[Path, list[dict]]:
    root = render_dir(smoke_build)
    return root, json.loads((root / "figures.json").read_text())


@pytest.mark.slow
def test_manifest_lists_every_figure_once(manifest: tuple[Path, list[dict]]) -> None:
    _, entries = manifest
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "duplicate figure ids"
    assert REQUIRED <= set(ids), f"missing figures: {sorted(REQUIRED - set(ids))}"
    for e in entries:
        assert FIELDS <= set(e), f"{e['id']}: missing fields {FIELDS - set(e)}"
        assert e["title"] and e["caption"] and e["alt"] and e["page"], e["id"]
        assert "n/a" not in e["caption"], f"{e['id']}: caption lacks a number: {e['caption']}"


@pytest.mark.slow
def test_manifest_files_exist_with_declared_size(manifest: tuple[Path, list[dict]]) -> None:
    from pipeline.stages.s5_render.figures.catalogue import catalogue
    root, entries = manifest
    phone = {spec.id: spec.phone for spec in catalogue()}
    assert any(phone.values())
    for e in entries:
        formats = {"png", "svg", "pdf"} | ({"slide_png", "slide_svg", "slide_pdf"} if e["key"] else set())
        assert formats <= set(e["files"]), f"{e['id']}: missing formats {formats - set(e['files'])}"
        for fmt, f in e["files"].items():
            path = root / f["path"]
            assert path.is_file() and path.stat().st_size > 0, f"{e['id']}: {f['path']} empty or missing"
            assert path.suffix == "." + fmt.removeprefix("slide_").removeprefix("phone_")
            if fmt.endswith("png"):
                with Image.open(path) as im:
                    assert im.size == (f["width"], f["height"]), f"{f['path']}: size differs"
        # a phone variant, narrower than the web PNG, for every figure that declares one
        assert ("phone_png" in e["files"]) == phone[e["id"]], e["id"]
        if phone[e["id"]]:
            assert e["files"]["phone_png"]["width"] < e["files"]["png"]["width"], e["id"]
        if e["key"]:
            w, h = e["files"]["slide_png"]["width"], e["files"]["slide_png"]["height"]
            assert abs(w / h - 16 / 9) < 0.01, f"{e['id']}: slide is not 16:9 ({w}×{h})"


@pytest.mark.slow
def test_deck_has_a_slide_per_key_figure(manifest: tuple[Path, list[dict]]) -> None:
    """A lecture: title and motivation, a slide per key figure among the others (reconstructions,
    training curves, β sweep ...), take-home points, an appendix and a closing slide. The PDF and
    the PowerPoint file hold the same slides (tests/test_deck.py checks their order and text)."""
    from pptx import Presentation
    from pypdf import PdfReader

    root, entries = manifest
    prs = Presentation(str(root / "deck.pptx"))
    reader = PdfReader(root / "deck.pdf")
    assert len(reader.pages) == len(prs.slides) > sum(e["key"] for e in entries) + 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01


@pytest.mark.slow
def test_pptx_deck_has_title_figure_and_closing_slides(manifest: tuple[Path, list[dict]]) -> None:
    from pipeline.stages.s5_render.deck_write import for_the_deck
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from pipeline.core import licence

    root, entries = manifest
    prs = Presentation(str(root / "deck.pptx"))
    assert prs.core_properties.keywords == licence.CONTENT_LICENCE
    assert prs.core_properties.subject == licence.SHORT_ATTRIBUTION
    slides = list(prs.slides)
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in slides]
    assert "Holes & Clouds" in texts[0] and licence.CONTENT_LICENCE in texts[0]
    assert "Profile: smoke" in texts[-1] and "seed" in texts[-1]
    assert licence.CONTENT_LICENCE_URL in texts[-1] and "Yann LeCun" in texts[-1]
    # A figure's slide holds its slide variant, a picture named after the file.
    by_figure = {sh.name.removesuffix("-slide"): s for s in slides for sh in s.shapes
                 if sh.shape_type == MSO_SHAPE_TYPE.PICTURE}
    for e in [e for e in entries if e["key"] or e["id"] in ("reconstructions", "training-curves", "beta-sweep")]:
        assert e["id"] in by_figure, f"{e['id']} has no slide"
        notes = by_figure[e["id"]].notes_slide.notes_text_frame.text
        assert notes.startswith("Take-home: ") and f"Caption: {for_the_deck(e['caption'])}" in notes, e["id"]


@pytest.mark.slow
def test_the_kit_names_each_figure_s_slide_number_and_title_as_the_deck_has_them(manifest) -> None:
    """A slide's title can be shorter than its figure's: the gallery prints the slide's number and
    title from kit.json, which must agree with the PowerPoint deck."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    root, _ = manifest
    slides = json.loads((root / "kit.json").read_text())["slides"]
    deck = {sh.name.removesuffix("-slide"): (k, s.shapes.title.text)
            for k, s in enumerate(Presentation(str(root / "deck.pptx")).slides, start=1)
            for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE}
    assert slides and {fid: (s["number"], s["title"]) for fid, s in slides.items()} == deck


@pytest.mark.slow
def test_vectors_keep_text_and_data_figures_have_a_csv(manifest: tuple[Path, list[dict]]) -> None:
    """SVG text stays <text> (editable), PDFs embed TrueType (no Type 3), and every figure that
    plots data series has its CSV beside it."""
    from pypdf import PdfReader

    root, entries = manifest
    for e in entries:
        svg = (root / e["files"]["svg"]["path"]).read_text()
        assert "<text" in svg, e["id"]
        reader = PdfReader(root / e["files"]["pdf"]["path"])
        fonts = {str(f.get_object()["/Subtype"]) for page in reader.pages
                 for f in (page["/Resources"].get_object().get("/Font") or {}).values()}
        assert fonts and "/Type3" not in fonts, f"{e['id']}: {fonts}"
    with_csv = {e["id"] for e in entries if "csv" in e["files"]}
    assert {"codes-matched", "sample-scores", "training-curves", "class-balance",
            "claims-ood-histograms"} <= with_csv
    for e in entries:
        if "csv" in e["files"]:
            head = (root / e["files"]["csv"]["path"]).read_text().splitlines()[:2]
            assert head[0] == "panel,panel_title,series,x,y" and len(head) == 2, e["id"]


@pytest.mark.slow
def test_download_all_zip_holds_figures_decks_gifs_and_the_licence(manifest: tuple[Path, list[dict]]) -> None:
    import zipfile

    root, entries = manifest
    kit = json.loads((root / "kit.json").read_text())
    with zipfile.ZipFile(root / kit["zip"]["path"]) as zf:
        names = set(zf.namelist())
        readme = zf.read("holes-and-clouds/README.md").decode()
    assert {"holes-and-clouds/deck.pptx", "holes-and-clouds/deck.pdf"} <= names
    for e in entries:  # every file but the phone variants, which only the pages need
        files = {f"holes-and-clouds/{f['path']}" for k, f in e["files"].items() if not k.startswith("phone_")}
        assert files <= names, e["id"]
        assert not any(n.endswith("-phone.png") for n in names)
        assert e["caption"] in readme
    assert any(n.endswith(".gif") for n in names) and "CC BY-SA 4.0" in readme
    assert kit["licence"]["attribution"] and len(names) == kit["zip"]["files"]


@pytest.mark.slow
def test_one_gif_per_interpolation_pair(manifest: tuple[Path, list[dict]]) -> None:
    root, _ = manifest
    index = json.loads((root / "gifs" / "index.json").read_text())
    pairs = json.loads((root.parent / "analyse" / "metrics.json").read_text())["paths"]["pairs"]
    assert len(pairs) > 0
    assert [g["id"] for g in index] == [p["id"] for p in pairs]  # one GIF per pair, in order
    assert sorted(p.name for p in (root / "gifs").glob("*.gif")) == sorted(f"{p['id']}.gif" for p in pairs)
    for g in index:
        with Image.open(root / g["path"]) as im:
            assert im.format == "GIF" and im.n_frames == g["frames"] > 1
            assert im.size == (g["width"], g["height"])


def test_saving_is_byte_deterministic(tmp_path: Path) -> None:
    """The same figure saved twice gives identical PNG, SVG and PDF bytes (no dates, fixed ids)."""
    import matplotlib.pyplot as plt

    from pipeline.stages.s5_render.figures import codes, style
    from pipeline.stages.s5_render.figures.save import save_figure

    style.apply()
    rng = np.random.default_rng(0)
    z = rng.standard_normal((500, 2)).astype(np.float32)
    labels = rng.integers(0, 10, 500).astype(np.uint8)
    digests = []
    for k in range(2):
        fig = codes.codes_figure(z * 10, z, labels)
        files = save_figure(fig, tmp_path / str(k), "codes", dpi=30)
        plt.close(fig)
        digests.append({fmt: (tmp_path / str(k) / f["path"]).read_bytes() for fmt, f in files.items()})
    for fmt in digests[0]:
        assert digests[0][fmt] == digests[1][fmt], f"{fmt} differs between two saves"


def test_sweep_ids_with_a_dot_find_their_test_terms(tmp_path) -> None:
    # "vae2-beta0.5" once split as a dotted path: its figure title and caption said "n/a".
    from pipeline.stages.s5_render.figures.figdata import FigureData
    from pipeline.stages.s5_render.figures.inputs import RenderInputs

    terms = {"rec": 133.4, "kl": 7.55}
    (tmp_path / "metrics.json").write_text(json.dumps({"models": {"vae2-beta0.5": {"test": terms}}}))
    data = FigureData(RenderInputs({"train": tmp_path}), Config())
    with data.inp.trace.frame() as reads:
        assert data.model_test("vae2-beta0.5") == terms
        assert data.model_test("vae2-beta4") == {}
    assert reads == {"train:vae2-beta0.5", "train:vae2-beta4"}  # what the figure's job is keyed by


def test_class_balance_figure_draws_the_fractions_it_is_given() -> None:
    # It once took the fractions for per-image labels: every row read "100 % digit 0".
    from pipeline.stages.s5_render.figures import metrics_plots

    uniform, skewed = np.full(10, 0.1), np.array([0.0, 0.5] + [0.5 / 8] * 8)
    fig = metrics_plots.class_balance_figure({"real": uniform, "ae_prior": skewed})
    shown = fig.axes[0].images[0].get_array()
    np.testing.assert_allclose(shown, [uniform * 100, skewed * 100])
    with pytest.raises(ValueError, match="class fractions summing to 1 per set"):
        metrics_plots.class_balance_figure({"labels": np.array([3, 1, 4, 1, 5])})


def test_the_architecture_runs_across_a_page_and_down_a_phone():
    """The web diagram's rows are too long for a phone's column: there the two networks stand
    side by side and run downwards, and a layer's bar is as long as on the web, across."""
    import matplotlib.pyplot as plt
    from pipeline.stages.s5_render.figures.architecture import architecture_figure
    images = {k: np.zeros((28, 28), np.uint8) for k in ("input", "ae", "vae")}

    def boxes(layout: str) -> list:
        fig = architecture_figure("mlp", [512, 256], 2, images, layout)
        fig.canvas.draw()
        out = [(ax.get_window_extent(), ax.get_xlim(), ax.get_ylim()) for ax in fig.axes]
        plt.close(fig)
        return out

    (ae, ae_x, ae_y), (vae, _, _) = boxes("web")
    assert ae.y0 > vae.y1 and ae.width > 2 * ae.height  # AE above VAE, rows
    (ae, px, py), (vae, _, _) = boxes("phone")
    assert ae.x1 < vae.x0 and abs(ae.y0 - vae.y0) < 1 and ae.height > 2 * ae.width
    assert np.isclose(py[1] - py[0] + 0.6, ae_x[1] - ae_x[0])  # the same layers, turned


def test_a_bar_panel_sharing_its_category_axis_names_its_bars_from_the_labelled_panel(tmp_path: Path) -> None:
    # The sample-scores chart: several panels of horizontal bars share the y axis, and only the
    # first shows the sets' names; the CSV names every panel's bars (it said "series 1").
    import matplotlib.pyplot as plt

    from pipeline.stages.s5_render.figures.plotdata import write_csv
    fig, (a, b) = plt.subplots(1, 2, sharey=True)
    a.barh([0, 1], [3.0, 4.0], tick_label=["AE", "VAE"])
    b.barh([0, 1], [5.0, 6.0])
    assert write_csv(fig, tmp_path / "bars.csv")
    plt.close(fig)
    rows = (tmp_path / "bars.csv").read_text().splitlines()[1:]
    assert [r.split(",")[2] for r in rows] == ['"AE"', '"VAE"', '"AE"', '"VAE"'], rows


def test_codes_on_the_same_axes_magnify_the_vae_s_in_a_framed_inset() -> None:
    """On the shared window the VAE's codes are a patch; an inset draws them in their own
    window, with every side of its frame, and the shared panel keeps the shared window."""
    import matplotlib.pyplot as plt

    from pipeline.stages.s5_render.figures import codes
    rng = np.random.default_rng(0)
    z = rng.normal(size=(500, 2)).astype(np.float32)
    labels = rng.integers(0, 10, 500).astype(np.uint8)
    own = (-3.0, 3.0, -3.0, 3.0)
    fig = codes.codes_figure(z * 30, z, labels, ((-90.0, 90.0, -90.0, 90.0), own), same_axes=True)
    vae_panel = fig.axes[1]
    insets = vae_panel.child_axes
    assert vae_panel.get_xlim() == (-90.0, 90.0) and len(insets) == 1
    assert insets[0].get_xlim() == own[:2] and insets[0].get_ylim() == own[2:]
    assert all(spine.get_visible() for spine in insets[0].spines.values())
    assert [t.get_text() for t in insets[0].texts] == ["×30 zoom"]  # no ticks: the tag gives the scale
    plt.close(fig)
    fig = codes.codes_figure(z * 30, z, labels, ((-90.0, 90.0, -90.0, 90.0), own))
    assert not fig.axes[1].child_axes  # side by side, each at its own scale: nothing to magnify
    plt.close(fig)
