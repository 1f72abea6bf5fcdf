"""The explanation of one picture and its figure page, for every architecture."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from lenet_app.core import load_model
from lenet_app.core.errors import LenetError
from lenet_app.core.explain_figure import render_figure, save_figure
from lenet_app.core.explain_layout import CONTENT_WIDTH, kernel_mosaic, map_mosaic, unit_strip
from lenet_app.core.explanation import explain
from lenet_app.core.models import C3_TABLE, create_model, model_names


def _seven() -> Image.Image:
    image = Image.new("L", (200, 280), "white")  # dark ink on paper, taller than wide
    ImageDraw.Draw(image).line([(30, 40), (170, 40), (80, 250)], fill="black", width=20)
    return image


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def test_explain_reads_and_attributes(shipped):
    explanation = explain(shipped, _seven())
    assert explanation.digit == 7 and explanation.attribution.target == 7
    assert explanation.architecture == "lenet5"
    assert explanation.pixels.shape == (28, 28) and explanation.picture.shape == (280, 200, 3)
    big = explain(shipped, _seven().resize((1000, 1400)))
    assert big.picture.shape == (480, 343, 3) and big.digit == 7  # kept small for the page
    assert explanation.probabilities.sum() == pytest.approx(1, abs=1e-5)
    summary = explanation.to_dict()
    assert summary["digit"] == 7 and [layer["name"] for layer in summary["layers"]][0] == "C1"
    assert summary["attribution"]["method"] == "ig"
    other = explain(shipped, _seven(), method="occlusion", target=1)
    assert other.digit == 7 and other.attribution.target == 1 and other.attribution.method == "occlusion"


def test_explain_a_blank_picture_is_none(shipped):
    assert explain(shipped, Image.new("L", (64, 64), "white")) is None
    assert explain(shipped, np.zeros((28, 28), np.uint8)) is None


@pytest.mark.parametrize("name", model_names())
def test_a_page_for_every_architecture(name, tmp_path):
    torch.manual_seed(0)
    explanation = explain(create_model(name).eval(), np.asarray(_seven()))
    out = save_figure(explanation, tmp_path / "page.png", source="seven.png")
    with Image.open(out) as page:
        assert page.format == "PNG" and page.width == 1800 and page.height > 1500
        pixels = np.asarray(page.convert("L"))
    # Something is drawn all the way down the page, and the margins stay white.
    assert (pixels[-400:] < 200).any()
    assert (pixels[:, :20] > 250).all() and (pixels[:, -20:] > 250).all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.png"]


def test_pdf_and_svg(shipped, tmp_path):
    explanation = explain(shipped, _seven())
    assert render_figure(explanation, fmt="pdf").startswith(b"%PDF")
    svg = render_figure(explanation, "seven.png", fmt="svg")
    assert b"<svg" in svg[:1000] and b"reads this picture as 7" in svg
    with pytest.raises(LenetError):
        render_figure(explanation, fmt="jpg")
    with pytest.raises(LenetError, match=r"\.png"):
        save_figure(explanation, tmp_path / "page.gif")
    with pytest.raises(LenetError, match="does not exist"):
        save_figure(explanation, tmp_path / "missing" / "page.png")


def test_saving_replaces_the_file_whole(shipped, tmp_path):
    out = tmp_path / "page.png"
    out.write_bytes(b"old")
    save_figure(explanation := explain(shipped, _seven()), out)
    assert out.read_bytes().startswith(b"\x89PNG")
    assert render_figure(explanation)[:8] == out.read_bytes()[:8]


def test_percentages_never_round_up_to_certainty():
    from lenet_app.core.explain_layout import percent

    assert [percent(p) for p in (0.113, 0.9996, 0.99999, 1.0)] == ["11.3%", "99.96%", "> 99.99%", "100%"]


def test_layout_fits_the_page():
    wide = map_mosaic(np.zeros((32, 28, 28), np.float32))  # cnn-bn: two lines of 16
    assert wide.width <= CONTENT_WIDTH + 1e-9 and wide.values.shape[0] > 2 * 28
    assert np.isnan(wide.values).any()
    strip = unit_strip(np.arange(120, dtype=np.float32))
    assert strip.values.shape == (2, 60) and strip.width <= CONTENT_WIDTH
    model = create_model("lenet5-1998")
    from lenet_app.core.activations import conv_kernels

    tiles = kernel_mosaic(conv_kernels(model)["C3"])
    connections = sum(len(inputs) for inputs in C3_TABLE)
    assert tiles.unconnected.sum() == (16 * 6 - connections) * 25
    assert "grey: not connected" in tiles.how_to_read
    assert tiles.mosaic.width <= CONTENT_WIDTH
