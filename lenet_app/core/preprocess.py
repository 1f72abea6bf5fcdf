"""Turn any picture of one digit into what LeNet was trained on, the way MNIST was made.

MNIST digits are light ink on black, their longer side scaled to 20 px with
anti-aliasing and their centre of mass put at the centre of a 28x28 field. A drawing,
a PNG or a photo only gets predicted well after the same treatment, so every input
(GUI canvas, file, array) goes through this one pipeline. A picture without a digit
gives None: the network must never be asked to invent a class for a blank canvas.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from lenet_app.core.errors import LenetError
from lenet_app.core.i18n import _
from lenet_app.core.mnist import digit_tensor

ImageSource = str | os.PathLike[str] | bytes | bytearray | memoryview
ImageLike = Image.Image | np.ndarray

MAX_IMAGE_PIXELS = 50_000_000

SIZE = 28  # the network's input field
BOX = 20  # MNIST's size-normalisation box: the digit's longer side
CENTRE = 14.0  # where MNIST puts the centre of mass, in pixel-index coordinates

# Ink must differ from the background by this much (0..1) or the picture is blank:
# JPEG ringing and paper texture stay well below it, any real pen stroke is above.
MIN_CONTRAST = 0.1
# Ink fainter than this fraction of the strongest ink is noise (and edge fuzz).
NOISE_FRACTION = 0.05
# Ink whose extent is below this fraction of the picture's longer side is a speck.
MIN_EXTENT_FRACTION = 0.05

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as Pillow's "L"
_MAD_TO_SIGMA = 1.4826
_SAMPLE_BORDER_MAX = 4096
# A border whose median deviation from its median is below this (0..1) is flat paper.
_FLAT_BORDER = 0.01
# to_network_input first box-averages bigger pictures down to at most about this many
# pixels (a 280x280 canvas is left alone): a 20 px digit needs no more, and it keeps
# HiDPI canvases under a millisecond and camera photos cheap.
_WORK_PIXELS = 100_000

# Pillow modes we read: colour becomes Pillow's own luma ("L", ITU-R 601, same weights
# as _LUMA), alpha is kept, high bit depths are read as numbers.
SUPPORTED_MODES = frozenset(
    {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB", "HSV"}
    | {"I", "F", "I;16", "I;16L", "I;16B", "I;16N"}
)


class ImageError(LenetError, ValueError):
    """The picture cannot be used; the message names it and says why, ready to show a user."""


@dataclass(frozen=True)
class NetworkInput:
    """One preprocessed digit: `pixels` to show the user, `tensor` to feed LeNet."""

    pixels: np.ndarray  # (28, 28) uint8, light ink on black
    tensor: torch.Tensor  # (1, 1, 28, 28) float32, normalised like the training data


# ---------------------------------------------------------------------------- loading


def load_image(source: ImageSource) -> Image.Image:
    """Decode a file or bytes into one upright frame, refusing bombs before any pixel is decoded.

    Every way a user's file can be wrong ends as `ImageError`, so callers need a single
    handler and never show a Pillow traceback.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = _("image data")
        if not data:
            raise ImageError(_("image data is empty (0 bytes)"))
        fp: Path | io.BytesIO = io.BytesIO(data)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(path)
        if path.is_dir():
            raise ImageError(_("{name}: is a folder, not an image file").format(name=name))
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise ImageError(_("{name}: file not found").format(name=name)) from None
        except OSError as exc:
            raise ImageError(_("{name}: cannot read the file ({reason})").format(
                name=name, reason=exc.strerror or exc)) from None
        if size == 0:
            raise ImageError(_("{name}: file is empty (0 bytes)").format(name=name))
        fp = path
    else:
        raise TypeError(f"load_image expects a file path or bytes, got {type(source).__name__}")

    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; make that a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fp)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(_too_large(name)) from None
    except UnidentifiedImageError:
        raise ImageError(_("{name}: not an image, or in a format that cannot be read").format(name=name)) from None
    except PermissionError:
        raise ImageError(_("{name}: permission denied, cannot read the file").format(name=name)) from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure is the file's fault
        raise ImageError(_("{name}: cannot read the image ({reason})").format(name=name, reason=_reason(exc))) from None

    with image:
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ImageError(_too_large(name, width, height))
        if width == 0 or height == 0:
            raise ImageError(_("{name}: the picture has no pixels ({width}x{height})").format(
                name=name, width=width, height=height))
        try:
            image.seek(0)  # animated pictures: the first frame is the picture
            image.load()
        except Exception as exc:  # noqa: BLE001 - truncated or corrupt pixel data
            raise ImageError(_("{name}: damaged or truncated image ({reason})").format(
                name=name, reason=_reason(exc))) from None
        if image.mode not in SUPPORTED_MODES:
            raise ImageError(_("{name}: unsupported image mode {mode!r}").format(name=name, mode=image.mode))
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception:  # noqa: BLE001 - broken EXIF only loses the rotation, not the picture
            upright = None
        # A copy detaches the frame from the file, so the file is closed on return.
        return upright if upright is not None else image.copy()


def _too_large(name: str, width: int | None = None, height: int | None = None) -> str:
    if width is None:
        text = _("{name}: too large, more than {limit:,} pixels; scale it down first")
    else:
        text = _("{name}: too large ({width}x{height}), more than {limit:,} pixels; scale it down first")
    return text.format(name=name, width=width, height=height, limit=MAX_IMAGE_PIXELS)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__


# ---------------------------------------------------------------------------- ink map


def to_grayscale_ink(image: ImageLike) -> np.ndarray | None:
    """Ink map in 0..1 (ink high, background exactly 0), or None when there is no digit.

    Polarity, transparency, value range and noise are all settled here, so the later
    steps only ever see MNIST-style light-on-dark ink.
    """
    found = _find_ink(image, max_pixels=None)
    if found is None:
        return None
    ink, threshold, contrast, _ = found
    ink[ink < threshold] = 0.0
    ink /= np.float32(contrast)  # division, not a reciprocal: the peak comes out exactly 1
    np.minimum(ink, 1.0, out=ink)
    return ink


_Found = tuple[np.ndarray, float, float, tuple[int, int, int, int]]


def _find_ink(image: ImageLike, max_pixels: int | None) -> _Found | None:
    """Unthresholded ink, its noise threshold, its contrast and the ink's bounding box.

    Thresholding is left to the caller so the hot path does it on the crop only.
    """
    gray, alpha, maybe_nan = _gray_alpha(image, max_pixels)
    height, width = gray.shape
    valid = None
    if maybe_nan and not np.isfinite(gray).all():
        valid = np.isfinite(gray)
        if not valid.any():
            return None

    background = _background(gray, alpha, valid)
    if background is None:
        return None
    paper = np.float32(background)
    if valid is not None:
        gray = np.where(valid, gray, paper)
    if alpha is not None:
        # Transparent means background, whatever the ink's polarity.
        gray = alpha * gray + (np.float32(1.0) - alpha) * paper

    # Paper photographed under uneven light is a slope, not one grey: when the border
    # varies, a plane fitted to it may explain that and leave only the real noise.
    spread = _median(np.abs(_border(gray) - paper))
    level: np.float32 | np.ndarray = paper
    if spread > _FLAT_BORDER and alpha is None:
        fitted = _fit_plane(gray)
        if fitted is not None and fitted[1] < 0.5 * spread:
            level, spread = fitted

    # Ink is whatever departs from the background on the side the picture leans to.
    dark_ink = float(gray.mean()) < float(np.mean(level))
    ink = level - gray if dark_ink else gray - level
    np.maximum(ink, 0.0, out=ink)
    contrast = float(ink.max())
    if not contrast >= MIN_CONTRAST:
        return None

    # Background noise, measured robustly on the border, lifts the threshold (5 sigma:
    # over a whole picture even 3-sigma outliers would scatter and inflate the ink's
    # box); when it reaches the ink itself there is no digit to find, only texture.
    threshold = max(NOISE_FRACTION * contrast, 5.0 * _MAD_TO_SIGMA * spread)
    if threshold >= 0.5 * contrast:
        return None

    mask = ink >= threshold
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    if max(bottom - top, right - left) < max(2.0, MIN_EXTENT_FRACTION * max(height, width)):
        return None  # a speck, not a digit
    return ink, threshold, contrast, (top, bottom, left, right)


def _background(gray: np.ndarray, alpha: np.ndarray | None, valid: np.ndarray | None) -> float | None:
    """The paper's grey level, which also fixes the ink's polarity."""
    usable = valid
    if alpha is not None:
        opaque = alpha >= 0.5
        usable = opaque if valid is None else (opaque & valid)
        count = int(np.count_nonzero(usable))
        if count == 0:
            return None
        if count < 0.5 * usable.size:
            # Mostly transparent: ink drawn on transparency, so what is opaque is the ink
            # and the background its opposite (white behind dark ink, black behind light).
            return 1.0 if _median(gray[usable]) < 0.5 else 0.0
        # Mostly opaque: paper with transparent margins or holes; fall through.
    # The border is paper: its median ignores strokes that touch the edge.
    border = _border(gray, usable)
    if border.size == 0:
        border = gray[usable] if usable is not None else gray.ravel()
    if border.size == 0:
        return None
    return _median(border)


def _border(values: np.ndarray, usable: np.ndarray | None = None) -> np.ndarray:
    """The outermost ring of pixels (only the `usable` ones), subsampled when huge."""
    ys, xs = _ring(*values.shape[:2])
    ring = values[ys, xs]
    return ring if usable is None else ring[usable[ys, xs]]


@lru_cache(maxsize=64)
def _ring(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the outermost ring, at most _SAMPLE_BORDER_MAX of them."""
    if height <= 2 or width <= 2:
        ys, xs = np.indices((height, width)).reshape(2, -1)
    else:
        top = np.zeros(width, np.intp)
        side = np.arange(1, height - 1)
        ys = np.concatenate((top, top + height - 1, side, side))
        xs = np.concatenate((np.arange(width), np.arange(width), side * 0, side * 0 + width - 1))
    step = ys.size // _SAMPLE_BORDER_MAX + 1
    return ys[::step].copy(), xs[::step].copy()


def _fit_plane(gray: np.ndarray) -> tuple[np.ndarray, float] | None:
    """A plane fitted to the border (ink touching it trimmed away), and its residual MAD.

    Sums and a 3x3 solve rather than lstsq, for the BLAS reason in _resample_axis0.
    """
    height, width = gray.shape
    if height < 8 or width < 8:
        return None
    ys, xs = _ring(height, width)
    y, x = ys / (height - 1), xs / (width - 1)
    values = gray[ys, xs].astype(np.float64)
    keep = np.ones(values.size, dtype=bool)
    for _round in range(2):  # fit, drop the outliers (ink on the border), fit again
        yk, xk, vk = y[keep], x[keep], values[keep]
        moments = np.array(
            [
                [keep.sum(), xk.sum(), yk.sum()],
                [xk.sum(), (xk * xk).sum(), (xk * yk).sum()],
                [yk.sum(), (xk * yk).sum(), (yk * yk).sum()],
            ]
        )
        rhs = np.array([vk.sum(), (xk * vk).sum(), (yk * vk).sum()])
        try:
            a, b, c = np.linalg.solve(moments, rhs)
        except np.linalg.LinAlgError:
            return None
        residual = values - (a + b * x + c * y)
        centre = float(np.median(residual))
        mad = float(np.median(np.abs(residual - centre)))
        keep = np.abs(residual - centre) <= 3.0 * _MAD_TO_SIGMA * mad + 1e-6
    rows = (np.arange(height, dtype=np.float32) / np.float32(height - 1))[:, None]
    cols = (np.arange(width, dtype=np.float32) / np.float32(width - 1))[None, :]
    plane = np.float32(a) + np.float32(b) * cols + np.float32(c) * rows
    return plane.astype(np.float32, copy=False), float(np.median(np.abs(residual)))


def _median(values: np.ndarray) -> float:
    """np.median without its overhead, which matters on the per-mouse-move path."""
    n = values.size
    k = n // 2
    if n % 2:
        return float(np.partition(values, k)[k])
    part = np.partition(values, (k - 1, k))
    return 0.5 * (float(part[k - 1]) + float(part[k]))


# ---------------------------------------------------------------------------- reading pixels


def _gray_alpha(image: ImageLike, max_pixels: int | None) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Grey levels in 0..1, opacity in 0..1 (None when opaque), and whether NaN may occur.

    NaN marks unknown pixels (from float input only). With `max_pixels`, bigger pictures
    are box-averaged down by an integer factor first.
    """
    if isinstance(image, Image.Image):
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ImageError(_too_large(_("the picture"), width, height))
        array = _pil_array(image, max_pixels)
    else:
        try:
            array = np.asarray(image)
        except Exception as exc:  # noqa: BLE001 - ragged lists and the like
            raise ImageError(_("cannot use this as a picture ({reason})").format(reason=_reason(exc))) from None
    array = _standard_shape(array)
    height, width = array.shape[:2]
    if height * width > MAX_IMAGE_PIXELS:
        raise ImageError(_too_large(_("the picture"), width, height))
    maybe_nan = array.dtype.kind == "f"
    values = _unit_range(array)
    if max_pixels is not None and height * width > max_pixels:
        values = _block_mean(values, _reduce_factor(height * width, max_pixels))
    if values.ndim == 2:
        return values, None, maybe_nan
    channels = values.shape[2]
    if channels <= 2:
        gray = values[..., 0]
    else:  # elementwise, not a matrix product: see _resample_axis0 on BLAS threads
        gray = values[..., 0] * _LUMA[0] + values[..., 1] * _LUMA[1] + values[..., 2] * _LUMA[2]
    gray = np.ascontiguousarray(gray)
    if channels in (2, 4):
        alpha = np.nan_to_num(values[..., channels - 1], nan=0.0, posinf=0.0, neginf=0.0)
        np.clip(alpha, 0.0, 1.0, out=alpha)
        if not (alpha >= 1.0).all():
            return gray, alpha, maybe_nan
    return gray, None, maybe_nan


def _pil_array(image: Image.Image, max_pixels: int | None) -> np.ndarray:
    """Pixels as (H, W) grey or (H, W, 2) grey+alpha, reduced by Pillow while still 8-bit."""
    mode = image.mode
    if mode not in SUPPORTED_MODES:
        raise ImageError(_("unsupported image mode {mode!r}").format(mode=mode))
    try:
        transparent = "transparency" in image.info
        if mode == "LAB":
            image = image.getchannel("L")  # Pillow cannot convert LAB; L is its lightness
        elif mode == "P":
            image = image.convert("RGBA" if transparent else "RGB")
        elif mode == "PA":
            image = image.convert("RGBA")
        if image.mode in ("RGBa", "La"):
            image = image.convert(image.mode.upper())
        if image.mode in ("RGBA", "LA") or (transparent and image.mode in ("RGB", "L", "1")):
            image = image.convert("LA")
        elif image.mode in ("1", "RGB", "RGBX", "CMYK", "YCbCr", "HSV"):
            image = image.convert("L")
        width, height = image.size
        if max_pixels is not None and width * height > max_pixels and image.mode in ("L", "LA", "I", "F"):
            image = image.reduce(_reduce_factor(width * height, max_pixels))
        return np.asarray(image)
    except ImageError:
        raise
    except Exception as exc:  # noqa: BLE001 - a lazily loaded image whose data is broken
        raise ImageError(_("cannot read the picture's pixels ({reason})").format(reason=_reason(exc))) from None


def _reduce_factor(pixels: int, max_pixels: int) -> int:
    return math.ceil(math.sqrt(pixels / max_pixels))


def _block_mean(values: np.ndarray, factor: int) -> np.ndarray:
    """Anti-aliased integer reduction: each output pixel is the mean of a block.

    Summed as factor**2 strided slices, which is many times faster than a reshaped
    mean over two axes; this runs on every mouse move for a HiDPI canvas.
    """
    fy, fx = min(factor, values.shape[0]), min(factor, values.shape[1])
    height, width = values.shape[0] // fy, values.shape[1] // fx
    total = np.zeros((height, width, *values.shape[2:]), dtype=np.float32)
    for dy in range(fy):
        for dx in range(fx):
            total += values[dy : height * fy : fy, dx : width * fx : fx]
    total *= np.float32(1.0 / (fy * fx))
    return total


def _standard_shape(array: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, C) with C in 1..4; leading singleton axes (batch, channel) dropped."""
    original = array.shape
    while array.ndim > 2 and array.shape[0] == 1 and not (array.ndim == 3 and array.shape[2] <= 4):
        array = array[0]
    if array.ndim == 3 and array.shape[2] > 4 and array.shape[0] <= 4:
        array = np.moveaxis(array, 0, -1)  # channels first, as torch keeps them
    if not (array.ndim == 2 or (array.ndim == 3 and 1 <= array.shape[2] <= 4)):
        raise ImageError(_("expected a 2-D grey picture or an (H, W, C) colour picture with 1 to 4 channels, "
                           "got an array of shape {shape}").format(shape=original))
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ImageError(_("the picture has no pixels (array of shape {shape})").format(shape=original))
    return array


def _unit_range(array: np.ndarray) -> np.ndarray:
    """float32 in 0..1 from any numeric dtype, judging the scale by the values.

    8-bit (0..255), 16-bit (0..65535) and unit floats (0..1) keep their meaning; other
    ranges are stretched min..max. Non-finite values become NaN (treated as background).
    """
    kind = array.dtype.kind
    if kind == "u" and array.dtype.itemsize == 1:
        return np.multiply(array, np.float32(1.0 / 255.0), dtype=np.float32)
    if kind == "b":
        return array.astype(np.float32)
    if kind not in "uif":
        raise ImageError(_("cannot use an array of {dtype} as a picture; expected numbers").format(dtype=array.dtype))
    if kind == "f":
        values = array.astype(np.float64 if array.dtype.itemsize > 4 else np.float32)
        finite = np.isfinite(values)
        if not finite.all():
            if not finite.any():
                return np.full(array.shape, np.nan, dtype=np.float32)
            values[~finite] = np.nan
            low, high = float(np.nanmin(values)), float(np.nanmax(values))
        else:
            low, high = float(values.min()), float(values.max())
        if low >= 0.0 and high <= 1.0:
            return values.astype(np.float32, copy=False)
    else:
        values = array
        low, high = float(array.min()), float(array.max())
    if low >= 0.0 and high <= 255.0:
        scaled = np.multiply(values, 1.0 / 255.0, dtype=np.float32)
    elif low >= 0.0 and high <= 65535.0:
        scaled = np.multiply(values, 1.0 / 65535.0, dtype=np.float32)
    elif high * 0.5 - low * 0.5 > 0.0:
        # Halved so that the span of extreme float64 values cannot overflow (and a span
        # that underflows to 0 counts as a constant picture).
        span = high * 0.5 - low * 0.5
        scaled = ((values.astype(np.float64) * 0.5 - low * 0.5) / span).astype(np.float32)
    else:
        scaled = np.where(np.isnan(values), np.float32(np.nan), np.float32(0.0)).astype(np.float32)
    return np.clip(scaled, 0.0, 1.0, out=scaled)


# ---------------------------------------------------------------------------- network input


def to_network_input(image: ImageLike | ImageSource) -> NetworkInput | None:
    """The 28x28 MNIST-style digit the network should see, or None when there is none.

    Takes what `to_grayscale_ink` takes, or a path or bytes (read with `load_image`).
    """
    if isinstance(image, (str, os.PathLike, bytes, bytearray, memoryview)):
        image = load_image(image)
    found = _find_ink(image, max_pixels=_WORK_PIXELS)
    if found is None:
        return None
    ink, threshold, _, (top, bottom, left, right) = found

    crop = ink[top:bottom, left:right]
    crop = crop * (crop >= threshold)
    patch = _fit_box(crop)
    peak = float(patch.max())
    if not peak > 0.0:
        return None
    # MNIST strokes always reach full ink; faint or thin ones would look like a ghost.
    patch /= np.float32(peak)

    # Whole-pixel shift that puts the centre of mass nearest to MNIST's (14, 14).
    height, width = patch.shape
    row_mass = patch.sum(axis=1)
    col_mass = patch.sum(axis=0)
    total = float(row_mass.sum())
    com_y = float((row_mass * np.arange(height)).sum()) / total
    com_x = float((col_mass * np.arange(width)).sum()) / total
    row = min(max(math.floor(CENTRE - com_y + 0.5), 0), SIZE - height)
    col = min(max(math.floor(CENTRE - com_x + 0.5), 0), SIZE - width)
    field = np.zeros((SIZE, SIZE), dtype=np.float32)
    field[row : row + height, col : col + width] = patch

    pixels = (field * np.float32(255.0) + np.float32(0.5)).astype(np.uint8)
    tensor = digit_tensor(pixels)
    return NetworkInput(pixels=pixels, tensor=tensor)


def _fit_box(crop: np.ndarray) -> np.ndarray:
    """Scale the longer side to 20 px, keeping the aspect ratio, anti-aliased like MNIST."""
    height, width = crop.shape
    scale = BOX / max(height, width)
    rows = _resample_axis0(crop, max(1, round(height * scale)))
    patch = np.ascontiguousarray(_resample_axis0(rows.T, max(1, round(width * scale))).T)
    return np.maximum(patch, 0.0, out=patch)  # rounding can leave -1e-8 where ink ends


def _resample_axis0(values: np.ndarray, m: int) -> np.ndarray:
    """Resample the first axis from n to m pixels.

    Shrinking averages the exact area each output pixel covers, which is what MNIST's
    grey levels are (ink coverage) and cannot alias however large the input: whole
    pixels are summed, the two cut pixels at each edge count by the fraction inside.
    Enlarging small inputs interpolates linearly. Deliberately no matrix product:
    OpenBLAS threads fight torch's for the CPU and can stall a sub-millisecond call for
    tens of milliseconds.
    """
    n = values.shape[0]
    if m == n:
        return values.astype(np.float32, copy=True)
    if m < n:
        step = n / m  # > 1, so the cut points below are strictly increasing
        edges = np.arange(m + 1) * step
        edges[-1] = n
        lower = edges.astype(np.intp)
        frac = (edges - lower).astype(np.float32)[:, None]
        whole = np.add.reduceat(values, lower[:-1], axis=0)  # values[lower[j] : lower[j + 1]]
        cut = frac * values[np.minimum(lower, n - 1)]  # frac[-1] is 0: nothing past the end
        return (whole - cut[:-1] + cut[1:]) * np.float32(1.0 / step)
    centre = np.clip((np.arange(m) + 0.5) * (n / m) - 0.5, 0.0, n - 1)
    lower = centre.astype(np.intp)
    upper = np.minimum(lower + 1, n - 1)
    frac = (centre - lower)[:, None].astype(np.float32)
    return values[lower] * (np.float32(1.0) - frac) + values[upper] * frac
