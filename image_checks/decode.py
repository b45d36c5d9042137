"""Safe decoding of an upload: pixel cap before decoding, no truncated files, EXIF orientation.

Pillow reads only the header in `Image.open`, so the size is known before any pixel is decoded;
a file claiming more than `max_pixels` is refused there (a decompression bomb costs nothing).
Pillow's own bomb guard is turned into an error too, and truncated or corrupt data fails the
full `load()` instead of being padded with grey. Everything stays in memory.

HEIC/HEIF (iPhones' default) is read by pillow-heif (libheif + libde265). Its `Image.open` also
reads only the header, but the size it reports is not all libheif decodes: a grid image (how
phones store photos) is decoded tile by tile at the tiles' own sizes. So for HEIF the cap also
counts every image item in the file (image_checks/heif_items.py) before any pixel is decoded.
libheif applies the file's `irot`/`imir` rotation while decoding and pillow-heif resets the EXIF
orientation tag to 1, so a HEIC is turned upright exactly once.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
import pillow_heif
from PIL import Image, ImageFile, UnidentifiedImageError

from image_checks.budget import reduction
from image_checks.heif_items import image_items
from image_checks.intake import ImageTooLarge, IntakeError, InvalidImage, UnsupportedImage, check_upload

# No embedded thumbnail may stand in for the image that is checked (pillow-heif's `draft` would
# decode one); depth maps and auxiliary images are never looked at, so they are not read.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

#: Largest image decoded: 50 MP covers every phone camera; a bomb claims far more.
DEFAULT_MAX_PIXELS = 50_000_000
#: Largest file decoded (the API refuses bigger uploads earlier, at its own limit).
DEFAULT_MAX_BYTES = 40 * 1024 * 1024

Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS  # Pillow's own guard: warns above, refuses at twice this

ImageFile.LOAD_TRUNCATED_IMAGES = False

#: The EXIF tag that says how the camera was held.
_ORIENTATION = 0x0112

#: Pillow's format name -> the sniffed types it may decode. libmagic says image/heic or image/heif
#: by the file's major brand; pillow-heif reads both as "HEIF".
_FORMATS = {"JPEG": {"image/jpeg"}, "MPO": {"image/jpeg"}, "PNG": {"image/png"}, "WEBP": {"image/webp"},
            "GIF": {"image/gif"}, "HEIF": {"image/heic", "image/heif"}}
#: Animations whose first frame is what a preview shows. A HEIF holding several images is not
#: one: pillow-heif opens it on its primary image, the one viewers show, which need not be the first.
_FIRST_FRAME_FORMATS = {"GIF", "WEBP"}
#: A HEIF may hold this many times the cap in coded pixels: grid tiles overhang the image edge
#: (a 48 MP iPhone photo is 50.3 MP of 512-px tiles), and an iPhone adds an HDR gain map, a
#: thumbnail and, in portrait mode, depth and matte images (estimated from Apple's published
#: layout, not measured: no real iPhone file was at hand).
HEIF_CODED_ALLOWANCE = 2


@dataclass
class Decoded:
    """An upload decoded: RGB pixels after EXIF orientation, plus the file as it came (for metadata)."""

    media_type: str
    rgb: np.ndarray  # H x W x 3 uint8, oriented
    original: Image.Image  # the opened file, not transposed: its EXIF/XMP/info is intact
    width: int  # of the upload, oriented
    height: int
    scale: float = 1.0  # rgb's pixels per upload pixel (< 1 when decoded reduced, see `decode`)


def decode(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS, max_bytes: int = DEFAULT_MAX_BYTES,
           media_type: str | None = None, reduce_to: int | None = None) -> Decoded:
    """Decode an image or raise an IntakeError (UnsupportedImage, ImageTooLarge, InvalidImage).

    `media_type` is the type `intake.accept` sniffed already; without it the upload is sniffed here.
    With `reduce_to`, an image of more pixels is decoded at 1/2, 1/4 or 1/8 of its size: a JPEG
    by the decoder itself (Pillow's `draft`, no full-size copy), others reduced right after.
    """
    kind = media_type or check_upload(data, max_bytes)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
            if kind not in _FORMATS.get(img.format or "", ()):
                raise UnsupportedImage(f"the file's content ({kind}) does not decode as that type ({img.format})")
            width, height = img.size
            if width <= 0 or height <= 0:
                raise InvalidImage("the image has no pixels")
            if width * height > max_pixels:
                raise ImageTooLarge(f"the image is {width}×{height} pixels, more than {max_pixels // 1_000_000} MP")
            if img.format == "HEIF":
                _check_heif_items(data, max_pixels)
            if img.format in _FIRST_FRAME_FORMATS and getattr(img, "n_frames", 1) > 1:
                img.seek(0)  # GIF/WebP animation: the first frame is what shows in the preview
            factor = reduction(width, height, reduce_to) if reduce_to else 1
            if factor > 1 and img.format in ("JPEG", "MPO"):
                img.draft("RGB", (-(-width // factor), -(-height // factor)))
            img.load()
            pixels = img
            if factor > 1 and pixels.size[0] * pixels.size[1] > reduce_to:
                pixels = pixels.reduce(reduction(*pixels.size, reduce_to))
            rgb = np.asarray(_oriented_rgb(pixels, img.getexif().get(_ORIENTATION, 1)))
        except IntakeError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageTooLarge("the image has too many pixels to decode safely") from None
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError, EOFError, RuntimeError) as exc:
            # RuntimeError: libheif's answer to a corrupt HEIC, or to one whose coded image is
            # larger than its header said
            raise InvalidImage(f"the image is truncated or corrupt ({_short(exc)})") from None
    h, w = rgb.shape[:2]
    turned = img.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8)
    full_w, full_h = (height, width) if turned else (width, height)
    return Decoded(media_type=kind, rgb=np.ascontiguousarray(rgb), original=img, width=full_w, height=full_h,
                   scale=w / full_w)


def _check_heif_items(data: bytes, max_pixels: int) -> None:
    """Refuse a HEIF whose images (tiles, thumbnails, auxiliary images) hold too many pixels.

    Each item, like the image itself, must be within the cap (a grid's or overlay's canvas is
    allocated whole), and all coded items together within `HEIF_CODED_ALLOWANCE` times it.
    """
    items = image_items(data)  # ValueError (malformed boxes) -> invalid_request
    largest = max(items, key=lambda item: item.pixels, default=None)
    if largest is not None and largest.pixels > max_pixels:
        raise ImageTooLarge(f"the HEIC holds a {largest.width}×{largest.height}-pixel "
                            f"image, more than {max_pixels // 1_000_000} MP")
    coded = sum(item.pixels for item in items if item.coded)
    if coded > HEIF_CODED_ALLOWANCE * max_pixels:
        raise ImageTooLarge(f"the HEIC's images add up to {coded // 1_000_000} MP "
                            f"(tiles, thumbnails and other images), more than "
                            f"{HEIF_CODED_ALLOWANCE * max_pixels // 1_000_000} MP")


#: How each EXIF orientation is undone (as ImageOps.exif_transpose does).
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


def _oriented_rgb(img: Image.Image, orientation: int = 1) -> Image.Image:
    """The decoded image turned upright (by the file's EXIF `orientation`) and in RGB, copying its
    pixels only when something changes.

    `exif_transpose` and `convert` each return a copy even when there is nothing to do; on a
    12 MP photo each copy costs tens of milliseconds (measured with bench/check_images.py).
    """
    if orientation in _TRANSPOSE:
        img = img.transpose(_TRANSPOSE[orientation])
    return img if img.mode == "RGB" else img.convert("RGB")


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]
