"""Licence and credit: the files exist and agree with pipeline/core/licence.py, the site footer
says the same, and every saved figure carries them in its metadata."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from pipeline.core import licence
from pipeline.core.config import REPO_ROOT


def test_licence_files_name_both_licences_and_credit_mnist() -> None:
    assert "MIT License" in (REPO_ROOT / "LICENSE").read_text()
    assert licence.AUTHORS in (REPO_ROOT / "LICENSE").read_text()
    content = (REPO_ROOT / "LICENSE-content.md").read_text()
    for text in (licence.CONTENT_LICENCE, licence.CONTENT_LICENCE_URL, "Yann LeCun",
                 "Corinna Cortes", "NIST", "CC BY-SA 3.0", "share-alike"):
        assert text in content, text
    # The credit line in the file is the one the code writes into every figure.
    assert " ".join(licence.ATTRIBUTION.split()) in " ".join(content.replace("> ", "").split())


def test_the_short_credit_fits_a_document_property() -> None:
    assert len(licence.SHORT_ATTRIBUTION) <= 255 and licence.CONTENT_LICENCE_URL in licence.SHORT_ATTRIBUTION


def test_pyproject_and_citation_declare_the_code_licence() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == licence.CODE_LICENCE
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] and cff["license"] == licence.CODE_LICENCE
    assert cff["authors"][0]["name"] == licence.AUTHORS
    mnist = cff["references"][0]
    assert {a["family-names"] for a in mnist["authors"]} == {"LeCun", "Cortes"}
    assert mnist["license"] == "CC-BY-SA-3.0"


def test_site_footer_says_what_licence_py_says() -> None:
    class Loader(yaml.SafeLoader):
        pass
    # mkdocs.yml uses !ENV and python tags: read them as plain nodes.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    footer = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(), Loader=Loader)["copyright"]
    text = " ".join(re.sub(r"<[^>]+>", "", footer).replace("&amp;", "&").split())
    assert licence.COPYRIGHT in text
    assert f"{licence.CONTENT_LICENCE}" in text and licence.CONTENT_LICENCE_URL in footer
    assert licence.MNIST_CREDIT in text
    assert "gallery.html#reuse-and-credit" in footer


def test_saved_figures_carry_licence_and_credit(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    from PIL import Image
    from pypdf import PdfReader

    from pipeline.stages.s5_render.figures import style
    from pipeline.stages.s5_render.figures.save import save_figure

    style.apply()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [-1, 1], label='a "line", 5%')  # quotes, a comma, a percent sign
    files = save_figure(fig, tmp_path, "x", 40, title="A test figure", data_csv=True)
    plt.close(fig)
    with Image.open(tmp_path / files["png"]["path"]) as im:
        assert im.text["License"].startswith(licence.CONTENT_LICENCE)
        assert im.text["Comment"] == licence.ATTRIBUTION
        assert im.text["Title"].startswith("A test figure")
    svg = (tmp_path / files["svg"]["path"]).read_text()
    assert "<dc:rights>" in svg and licence.CONTENT_LICENCE_URL in svg
    info = PdfReader(tmp_path / files["pdf"]["path"]).metadata
    assert info["/Author"] == licence.AUTHORS and licence.CONTENT_LICENCE in info["/Keywords"]
    # The plotted data beside the figure.
    import csv
    with open(tmp_path / files["csv"]["path"], newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["panel", "panel_title", "series", "x", "y"], ["1", "", 'a "line", 5%', "0", "-1"],
                    ["1", "", 'a "line", 5%', "1", "1"]]


def test_the_credit_line_names_the_site_s_address_where_it_is_published() -> None:
    assert licence.attribution() == licence.ATTRIBUTION and "http" not in licence.ATTRIBUTION.split(" by ")[0]
    line = licence.attribution("https://example.org/holes/")
    assert line.startswith(f'Figure from "{licence.PROJECT}" (https://example.org/holes/) by {licence.AUTHORS}')
    assert line.endswith(licence.ATTRIBUTION.split(" by ", 1)[1])
