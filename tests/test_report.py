"""The typed analysis report: one writer, one loader, and a loader that names the field a
metrics.json lacks or should not have."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.core import artifacts, report
from pipeline.core.io import load_json, save_json
from pipeline.core.report import codec
from tests.report_examples import example


def test_a_report_survives_writing_and_loading(tmp_path):
    rep = example(report.AnalysisReport)
    report.write(tmp_path / "metrics.json", rep)
    back = report.read(tmp_path)
    assert back == rep
    assert back.holes["ae2"].hole_fraction_hull == 0.25
    # the main seed's quality maps under the CNN judge, without spelling the path out
    back.robustness.seeds, back.robustness.per_seed = ["seed0"], {"seed0": {"cnn": back.robustness.per_seed["ae2"]["ae2"]}}
    assert back.main_quality_maps is back.robustness.per_seed["seed0"]["cnn"].quality_map


def test_a_missing_field_is_named_with_its_path(tmp_path):
    data = report.to_json(example(report.AnalysisReport))
    del data["holes"]["ae2"]["hole_fraction_hull"]
    save_json(tmp_path / "metrics.json", data)
    with pytest.raises(artifacts.ArtifactError,
                       match=r"metrics\.json: holes\.ae2\.hole_fraction_hull is missing"):
        report.read(tmp_path)


def test_an_unexpected_or_mistyped_field_is_named(tmp_path):
    data = report.to_json(example(report.AnalysisReport))
    data["paths"]["pairs"][0]["colour"] = "red"
    with pytest.raises(report.ReportError, match=r"paths\.pairs\[0\]\.colour is unexpected"):
        report.from_json(data)
    data = report.to_json(example(report.AnalysisReport))
    data["robustness"]["comparisons"]["ae2"]["verdict"] = "much better"
    with pytest.raises(report.ReportError, match=r"robustness\.comparisons\.ae2\.verdict is 'much better'"):
        report.from_json(data)
    data = report.to_json(example(report.AnalysisReport))
    data["samples"]["ae2"]["fid"] = "low"
    with pytest.raises(report.ReportError, match=r"samples\.ae2\.fid is str, expected float"):
        report.from_json(data)


def test_optional_fields_are_absent_not_null_and_renamed_keys_keep_their_json_name(tmp_path):
    rep = example(report.AnalysisReport)
    rep.claims = None
    rep.samples["ae2"].components = None
    data = report.to_json(rep)
    assert "claims" not in data and "components" not in data["samples"]["ae2"]
    assert data["gaps"]["ae2"]["points"][0]["class"] == 3  # GapPoint.class_
    assert report.from_json(data) == rep


def test_writing_rounds_like_tidy_and_is_byte_stable(tmp_path):
    rep = example(report.AnalysisReport)
    rep.seed = 7
    rep.holes["ae2"].cell_size = 0.1234567891
    report.write(tmp_path / "a.json", rep)
    assert load_json(tmp_path / "a.json")["holes"]["ae2"]["cell_size"] == 0.123457
    report.write(tmp_path / "b.json", report.from_json(load_json(tmp_path / "a.json")))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_every_field_has_a_docstring():
    rows = report.describe(report.AnalysisReport)
    missing = [path for path, _, doc in rows if not doc]
    assert not missing, f"report fields without a docstring: {missing}"
    assert ("holes.<key>.hole_fraction_hull", "float") == rows[[r[0] for r in rows].index(
        "holes.<key>.hole_fraction_hull")][:2]


def test_field_docs_reads_attribute_docstrings():
    @dataclasses.dataclass
    class Block:
        width: float
        """Width (latent units)."""
        n: int

    assert codec.field_docs(Block) == {"width": "Width (latent units)."}
