"""Safe decoding of an upload: pixel cap before decoding, no truncated files, EXIF orientation.

Pillow reads only the header in `Image.open`, so the size is known before any pixel is decoded;
a file claiming more than `max_pixels` is refused there (a decompression bomb costs nothing).
Pillow's own bomb guard is turned into an error too, and truncated or corrupt data fails the
full `load()` instead of being padded with grey. Everything stays in memory.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from image_checks.intake import IntakeError, check_upload

#: Largest image decoded: 50 MP covers every phone camera; a bomb claims far more.
DEFAULT_MAX_PIXELS = 50_000_000
#: Largest file decoded (the API refuses bigger uploads earlier, at its own limit).
DEFAULT_MAX_BYTES = 40 * 1024 * 1024

Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS  # Pillow's own guard: warns above, refuses at twice this

ImageFile.LOAD_TRUNCATED_IMAGES = False

#: The EXIF tag that says how the camera was held.
_ORIENTATION = 0x0112

_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif", "MPO": "image/jpeg"}


@dataclass
class Decoded:
    """An upload decoded: RGB pixels after EXIF orientation, plus the file as it came (for metadata)."""

    media_type: str
    rgb: np.ndarray  # H x W x 3 uint8, oriented
    original: Image.Image  # the opened file, not transposed: its EXIF/XMP/info is intact
    width: int
    height: int


def decode(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode an image or raise IntakeError (unsupported_media_type, payload_too_large, invalid_image)."""
    kind = check_upload(data, max_bytes)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
            fmt = _FORMATS.get(img.format or "")
            if fmt is None or fmt != kind:
                raise IntakeError("unsupported_media_type",
                                  f"the file's content ({kind}) does not decode as that type ({img.format})")
            width, height = img.size
            if width <= 0 or height <= 0:
                raise IntakeError("invalid_request", "the image has no pixels")
            if width * height > max_pixels:
                raise IntakeError("payload_too_large",
                                  f"the image is {width}×{height} pixels, more than {max_pixels // 1_000_000} MP")
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)  # GIF/WebP animation: the first frame is what shows in the preview
            img.load()
            rgb = np.asarray(_oriented_rgb(img))
        except IntakeError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise IntakeError("payload_too_large", "the image has too many pixels to decode safely") from None
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError, EOFError) as exc:
            raise IntakeError("invalid_request", f"the image is truncated or corrupt ({_short(exc)})") from None
    h, w = rgb.shape[:2]
    return Decoded(media_type=kind, rgb=np.ascontiguousarray(rgb), original=img, width=w, height=h)


def _oriented_rgb(img: Image.Image) -> Image.Image:
    """The decoded image turned upright and in RGB, copying its pixels only when something changes.

    `exif_transpose` and `convert` each return a copy even when there is nothing to do; on a
    12 MP photo each copy costs tens of milliseconds (measured with bench/check_images.py).
    """
    if img.getexif().get(_ORIENTATION, 1) in (2, 3, 4, 5, 6, 7, 8):
        img = ImageOps.exif_transpose(img)
    return img if img.mode == "RGB" else img.convert("RGB")


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]
