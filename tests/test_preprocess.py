"""Preprocessing: any picture of a digit becomes an MNIST-like 28x28 input, or None."""

from __future__ import annotations

import io
import statistics
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image, ImageDraw, ImageFile

from lenet_app.core.mnist import load_split, normalize
from lenet_app.core.preprocess import (
    MAX_IMAGE_PIXELS,
    ImageError,
    NetworkInput,
    load_image,
    to_grayscale_ink,
    to_network_input,
)

# ---------------------------------------------------------------------------- helpers


def draw_seven(size: int = 280, width: int = 18) -> np.ndarray:
    """A canvas like the GUI's: a white '7' on black, anti-aliasing left to the pipeline."""
    image = Image.new("L", (size, size), 0)
    s = size / 280
    points = [(70 * s, 60 * s), (200 * s, 60 * s), (120 * s, 230 * s)]
    ImageDraw.Draw(image).line(points, fill=255, width=max(1, round(width * s)), joint="curve")
    return np.asarray(image).copy()


def centre_of_mass(pixels: np.ndarray) -> tuple[float, float]:
    weights = pixels.astype(np.float64)
    total = weights.sum()
    rows, cols = np.indices(weights.shape)
    return float((rows * weights).sum() / total), float((cols * weights).sum() / total)


def ink_box(pixels: np.ndarray) -> tuple[int, int]:
    """Height and width of the nonzero pixels."""
    rows = np.flatnonzero(pixels.any(axis=1))
    cols = np.flatnonzero(pixels.any(axis=0))
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def mean_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).mean())


def reference() -> NetworkInput:
    result = to_network_input(draw_seven())
    assert result is not None
    return result


def png_bytes(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **params)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions but holds no pixel data: a decompression bomb's header."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# ---------------------------------------------------------------------------- output contract


def test_network_input_shapes_types_and_normalisation() -> None:
    result = reference()
    assert result.pixels.shape == (28, 28) and result.pixels.dtype == np.uint8
    assert result.tensor.shape == (1, 1, 28, 28) and result.tensor.dtype == torch.float32
    expected = normalize(torch.from_numpy(result.pixels).unsqueeze(0))
    assert torch.equal(result.tensor, expected)
    assert result.pixels.max() == 255  # MNIST strokes reach full ink
    assert result.pixels[0].max() == 0 and result.pixels[:, 0].max() == 0  # black margins


def test_grayscale_ink_is_unit_range_with_zero_background() -> None:
    canvas = draw_seven()
    ink = to_grayscale_ink(canvas)
    assert ink is not None
    assert ink.shape == canvas.shape and ink.dtype == np.float32
    assert ink.min() == 0.0 and ink.max() == 1.0
    assert (ink[canvas == 0] == 0).all()
    inverted = to_grayscale_ink(255 - canvas)
    assert inverted is not None and np.allclose(inverted, ink)


def test_callers_arrays_are_never_modified() -> None:
    for picture in (draw_seven(), draw_seven().astype(np.float32) / 255, np.stack([draw_seven()] * 4, -1)):
        before = picture.copy()
        to_grayscale_ink(picture)
        to_network_input(picture)
        assert np.array_equal(picture, before)


# ---------------------------------------------------------------------------- geometry


@pytest.mark.parametrize("centre", [(40, 60), (230, 220), (140, 40)])
def test_off_centre_shape_is_centred_by_mass(centre: tuple[int, int]) -> None:
    canvas = np.zeros((280, 280), np.uint8)
    cy, cx = centre
    # Lopsided blob (an 'L'), so centre of mass and box centre differ.
    canvas[cy - 20 : cy + 20, cx - 20 : cx - 10] = 255
    canvas[cy + 10 : cy + 20, cx - 20 : cx + 20] = 255
    result = to_network_input(canvas)
    assert result is not None
    com_y, com_x = centre_of_mass(result.pixels)
    assert abs(com_y - 14) <= 1 and abs(com_x - 14) <= 1


def test_tall_thin_stroke_keeps_its_aspect_ratio() -> None:
    canvas = np.zeros((280, 280), np.uint8)
    canvas[40:240, 130:146] = 255  # a '1': 200 x 16
    result = to_network_input(canvas)
    assert result is not None
    height, width = ink_box(result.pixels)
    assert height == 20
    assert width <= 3  # 16 * 20 / 200 = 1.6 px, plus anti-aliasing; never stretched to 20


@pytest.mark.parametrize("shape", [(30, 200), (200, 150), (120, 90), (9, 6)])
def test_longer_side_becomes_20_pixels(shape: tuple[int, int]) -> None:
    height, width = shape
    margin = 40 if height > 20 else 2  # the small one is a low-resolution picture, not a speck
    canvas = np.zeros((height + 2 * margin, width + 2 * margin), np.uint8)
    canvas[margin : margin + height, margin : margin + width] = 255
    result = to_network_input(canvas)
    assert result is not None
    box = ink_box(result.pixels)
    assert max(box) == 20
    expected_short = min(height, width) * 20 / max(height, width)
    assert abs(min(box) - expected_short) <= 1.5


def test_small_picture_is_enlarged() -> None:
    small = np.asarray(Image.fromarray(draw_seven()).resize((14, 14), Image.Resampling.BOX))
    result = to_network_input(small)
    assert result is not None
    assert max(ink_box(result.pixels)) == 20
    assert mean_abs_diff(result.pixels, reference().pixels) < 25


# ---------------------------------------------------------------------------- polarity and blanks


def test_dark_ink_on_light_paper_equals_light_on_dark() -> None:
    canvas = draw_seven()
    assert np.array_equal(to_network_input(255 - canvas).pixels, reference().pixels)


def test_photo_like_grey_paper_with_noise_matches_clean_canvas() -> None:
    rng = np.random.default_rng(0)
    canvas = draw_seven().astype(np.float64) / 255
    paper, pen = 200.0, 45.0  # grey paper, dark grey pen
    photo = paper + (pen - paper) * canvas + rng.normal(0, 4, canvas.shape)
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    result = to_network_input(photo)
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 3


def test_uneven_lighting_is_levelled() -> None:
    rng = np.random.default_rng(2)
    canvas = draw_seven().astype(np.float64) / 255
    paper = np.linspace(130, 240, 280)[None, :] * np.linspace(1.0, 0.85, 280)[:, None]
    photo = paper + (40 - paper) * canvas + rng.normal(0, 3, canvas.shape)
    result = to_network_input(np.clip(photo, 0, 255).astype(np.uint8))
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 4


@pytest.mark.parametrize(
    "picture",
    [
        np.zeros((280, 280), np.uint8),
        np.full((280, 280), 255, np.uint8),
        np.full((280, 280), 128, np.uint8),
        np.zeros((280, 280), np.float32),
        np.ones((50, 40, 3), np.float64),
        np.full((20, 20), np.nan),
        np.zeros((1, 1), np.uint8),
        np.full((1, 1), 255, np.uint8),
        np.zeros((28, 28, 4), np.uint8),  # fully transparent
    ],
    ids=["black", "white", "grey", "float-zero", "rgb-white", "nan", "1x1-black", "1x1-white", "transparent"],
)
def test_blank_pictures_are_no_digit(picture: np.ndarray) -> None:
    assert to_network_input(picture) is None
    assert to_grayscale_ink(picture) is None


def test_tiny_speck_and_faint_smudge_are_no_digit() -> None:
    canvas = np.zeros((280, 280), np.uint8)
    canvas[100:104, 200:204] = 255
    assert to_network_input(canvas) is None
    faint = draw_seven() // 20  # at most 12 of 255: below any real pen
    assert to_network_input(faint) is None


def test_one_pixel_pictures() -> None:
    assert to_network_input(np.array([[200]], np.uint8)) is None
    image = Image.new("L", (1, 1), 255)
    assert to_network_input(image) is None
    assert to_network_input(png_bytes(image)) is None


def test_uniform_noise_is_not_a_digit() -> None:
    noise = np.random.default_rng(1).integers(0, 256, (280, 280), dtype=np.uint8)
    assert to_network_input(noise) is None


def test_nan_is_background() -> None:
    canvas = draw_seven().astype(np.float64) / 255
    holes = canvas.copy()
    holes[:40, :] = np.nan
    holes[:, -30:] = np.inf
    result = to_network_input(holes)
    assert result is not None
    assert np.array_equal(result.pixels, reference().pixels)


@pytest.mark.parametrize(
    "convert",
    [
        lambda a: a.astype(np.float32) / 255,
        lambda a: a.astype(np.float64),
        lambda a: a.astype(np.uint16) * 257,
        lambda a: a.astype(np.int32),
        lambda a: a > 127,
        lambda a: a[None],
        lambda a: a[None, None],
        lambda a: np.stack([a] * 3, axis=-1),
        lambda a: np.stack([a] * 3),
        lambda a: torch.from_numpy(a.copy()),
    ],
    ids=["float01", "float255", "uint16", "int32", "bool", "1xHxW", "1x1xHxW", "rgb", "chw", "tensor"],
)
def test_array_flavours_agree(convert) -> None:
    result = to_network_input(convert(draw_seven()))
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 2


def test_huge_canvas_is_reduced_first_and_still_right() -> None:
    big = np.asarray(Image.fromarray(draw_seven()).resize((2400, 2400), Image.Resampling.BILINEAR))
    started = time.perf_counter()
    result = to_network_input(big)
    assert time.perf_counter() - started < 2.0
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 3


# ---------------------------------------------------------------------------- transparency


def rgba_picture(ink_value: int, hidden_value: int) -> Image.Image:
    """The '7' drawn in `ink_value` on a transparent background whose hidden colour is `hidden_value`."""
    mask = draw_seven()
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., :3] = np.where(mask[..., None] > 0, ink_value, hidden_value)
    rgba[..., 3] = mask
    return Image.fromarray(rgba)


@pytest.mark.parametrize("ink_value", [0, 255], ids=["dark-ink", "light-ink"])
@pytest.mark.parametrize("hidden_value", [0, 255], ids=["hidden-black", "hidden-white"])
def test_rgba_ink_on_transparency(ink_value: int, hidden_value: int) -> None:
    picture = rgba_picture(ink_value, hidden_value)
    result = to_network_input(load_image(png_bytes(picture)))
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 1


def test_la_picture_with_transparent_margins_keeps_paper_as_background() -> None:
    paper = 255 - draw_seven()  # dark ink on white
    alpha = np.full(paper.shape, 255, np.uint8)
    alpha[:20], alpha[-20:], alpha[:, :20], alpha[:, -20:] = 0, 0, 0, 0  # hidden colour: black
    paper[alpha == 0] = 0
    picture = Image.fromarray(np.stack([paper, alpha], axis=-1), mode="LA")
    result = to_network_input(load_image(png_bytes(picture)))
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 1


def test_palette_png_with_transparent_colour() -> None:
    picture = Image.new("P", (280, 280), 0)
    picture.putpalette([0, 0, 0, 0, 0, 0] + [0] * (254 * 3))  # both entries black
    picture.paste(1, mask=Image.fromarray(draw_seven()).point(lambda v: 255 if v > 127 else 0))
    loaded = load_image(png_bytes(picture, transparency=0))
    assert loaded.mode == "P" and loaded.info.get("transparency") == 0
    result = to_network_input(loaded)
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 2


# ---------------------------------------------------------------------------- files


def test_sixteen_bit_greyscale_png(tmp_path: Path) -> None:
    canvas = draw_seven().astype(np.float64) / 255
    deep = (60000 - 55000 * canvas).astype(np.uint16)  # dark ink on light, 16 bits
    path = tmp_path / "deep.png"
    Image.fromarray(deep).save(path)
    loaded = load_image(path)
    assert loaded.mode.startswith("I")
    result = to_network_input(loaded)
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 1


def test_cmyk_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.fromarray(255 - draw_seven()).convert("RGB").convert("CMYK").save(path, quality=95)
    loaded = load_image(path)
    assert loaded.mode == "CMYK"
    result = to_network_input(loaded)
    assert result is not None
    assert mean_abs_diff(result.pixels, reference().pixels) < 3


def test_animated_gif_uses_first_frame(tmp_path: Path) -> None:
    tall = np.zeros((100, 100), np.uint8)
    tall[10:90, 45:55] = 255
    path = tmp_path / "anim.gif"
    frames = [Image.fromarray(tall), Image.fromarray(tall.T.copy())]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = to_network_input(load_image(path))
    assert result is not None
    height, width = ink_box(result.pixels)
    assert height == 20 and width < 5


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    wide = np.full((40, 100), 255, np.uint8)
    wide[15:25, 10:90] = 0  # a horizontal bar as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    path = tmp_path / "rotated.jpg"
    Image.fromarray(wide).save(path, exif=exif.tobytes(), quality=95)
    loaded = load_image(path)
    assert loaded.size == (40, 100)
    result = to_network_input(loaded)
    assert result is not None
    height, width = ink_box(result.pixels)
    assert height == 20 and width < 6


def test_paths_and_bytes_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "seven.png"
    Image.fromarray(draw_seven()).save(path)
    for source in (path, str(path), path.read_bytes()):
        result = to_network_input(source)
        assert result is not None and np.array_equal(result.pixels, reference().pixels)
    assert load_image(path).size == (280, 280)


@pytest.mark.parametrize("width,height", [(10_000, 10_000), (8_000, 8_000), (MAX_IMAGE_PIXELS + 1, 1)])
def test_decompression_bomb_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, height: int
) -> None:
    loads: list[object] = []
    original = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        loads.append(self)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(width, height))
    assert path.stat().st_size < 1000
    for source in (path, path.read_bytes()):
        with pytest.raises(ImageError, match="too large"):
            load_image(source)
        with pytest.raises(ImageError, match="too large"):
            to_network_input(source)
    assert loads == []


def test_oversized_array_is_refused() -> None:
    huge = np.broadcast_to(np.uint8(0), (8_000, 8_000))  # no memory behind it
    with pytest.raises(ImageError, match="too large"):
        to_network_input(huge)


def test_bad_files_are_image_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture\n")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(png_bytes(Image.fromarray(draw_seven()))[:300])
    missing = tmp_path / "missing.png"
    for path, reason in [
        (empty, "empty"),
        (text, "not an image"),
        (truncated, "truncated"),
        (missing, "not found"),
        (tmp_path, "folder"),
    ]:
        with pytest.raises(ImageError, match=reason) as caught:
            load_image(path)
        assert path.name in str(caught.value)
    with pytest.raises(ImageError, match="empty"):
        load_image(b"")
    with pytest.raises(ImageError, match="not an image"):
        load_image(b"hello")


# ---------------------------------------------------------------------------- robustness


_dtypes = st.one_of(
    hnp.boolean_dtypes(),
    hnp.integer_dtypes(),
    hnp.unsigned_integer_dtypes(),
    hnp.floating_dtypes(),
    hnp.complex_number_dtypes(),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hnp.arrays(
        dtype=_dtypes,
        shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=40),
    )  # floats include NaN, infinities and extremes by default
)
def test_any_array_gives_input_none_or_image_error(array: np.ndarray) -> None:
    try:
        result = to_network_input(array)
    except ImageError as exc:
        assert str(exc)
        return
    if result is not None:
        assert result.pixels.shape == (28, 28) and result.pixels.dtype == np.uint8
        assert result.tensor.shape == (1, 1, 28, 28)
        assert torch.isfinite(result.tensor).all()


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.float32, np.float64]),
        shape=st.tuples(st.integers(1, 60), st.integers(1, 60)),
    )
)
def test_ink_map_is_none_or_unit_range(array: np.ndarray) -> None:
    ink = to_grayscale_ink(array)
    if ink is not None:
        assert ink.shape == array.shape and ink.dtype == np.float32
        assert float(ink.min()) == 0.0 and float(ink.max()) == 1.0


# ---------------------------------------------------------------------------- MNIST and speed


def test_real_mnist_digits_are_reproduced(mnist_dir: Path) -> None:
    images = load_split(mnist_dir, "test").images[:200]
    same, enlarged = [], []
    for image in images:
        direct = to_network_input(image)
        big = to_network_input(np.kron(image, np.ones((10, 10), np.uint8)))
        assert direct is not None and big is not None
        same.append(mean_abs_diff(direct.pixels, image))
        enlarged.append(mean_abs_diff(big.pixels, image))
    # Measured: 0.16 mean both ways; the worst is one digit whose centre of mass sits on
    # a rounding tie and moves one pixel sideways.
    assert statistics.mean(same) < 1.0 and statistics.mean(enlarged) < 1.0
    assert max(enlarged) < 25


def test_canvas_latency() -> None:
    canvas = draw_seven()
    to_network_input(canvas)
    times = []
    for _ in range(100):
        started = time.perf_counter()
        to_network_input(canvas)
        times.append(time.perf_counter() - started)
    # About 0.4 ms where it was written; the bound only catches gross regressions.
    assert statistics.median(times) < 0.005
