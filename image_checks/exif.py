"""What an image's metadata gives away: location (EXIF GPS, XMP, PNG text) and authorship.

Also makes the stripped copy offered with `image-location`: the oriented pixels re-encoded with
no EXIF, XMP or text chunks at all, except the colour profile and the Artist/Copyright fields
(attribution is not private; it is what clause 2.5 asks staff to respect).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from PIL import Image, ImageOps

GPS_IFD = 0x8825
ARTIST, COPYRIGHT = 0x013B, 0x8298
#: GPS tags that place a photo (latitude, longitude, altitude, destination, area, address).
_GPS_PLACE_TAGS = {1, 2, 3, 4, 5, 6, 20, 21, 22, 23, 24, 27, 28}
#: XMP/IPTC properties that hold a place.
_XMP_PLACE = re.compile(
    r"(exif:GPSLatitude|exif:GPSLongitude|exifEX:GPS|photoshop:City|photoshop:State|"
    r"Iptc4xmpCore:Location|Iptc4xmpExt:LocationShown|Iptc4xmpExt:LocationCreated|"
    r"photoshop:Country|drone-dji:GpsLatitude|GPSLatitude|GPSLongitude)", re.IGNORECASE)
_XMP_CREATOR = re.compile(r"<dc:(creator|rights)>.*?<rdf:li[^>]*>(.*?)</rdf:li>", re.IGNORECASE | re.DOTALL)
_XMP_CREATOR_ATTR = re.compile(r'(?:dc:creator|dc:rights|photoshop:Credit)="([^"]+)"', re.IGNORECASE)


@dataclass
class Metadata:
    has_location: bool = False
    location_sources: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def _xmp_text(img: Image.Image) -> str:
    info = img.info
    raw = info.get("xmp") or info.get("XML:com.adobe.xmp") or b""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    return raw


def read_metadata(img: Image.Image) -> Metadata:
    """Location and authorship found in the file as uploaded (before any re-encoding)."""
    meta = Metadata()
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001  (a broken EXIF block is no reason to refuse the photo)
        exif = Image.Exif()
    try:
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001
        gps = {}
    if any(tag in gps for tag in _GPS_PLACE_TAGS):
        meta.has_location = True
        meta.location_sources.append("exif-gps")
    xmp = _xmp_text(img)
    if xmp and _XMP_PLACE.search(xmp):
        meta.has_location = True
        meta.location_sources.append("xmp")
    for key, value in img.info.items():  # PNG tEXt/iTXt chunks such as "GPS" or "Location"
        if isinstance(value, str) and key.lower() in {"gps", "location", "geo", "latitude", "longitude"}:
            meta.has_location = True
            meta.location_sources.append("text")
    for tag in (ARTIST, COPYRIGHT):
        value = exif.get(tag)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip("\x00 ").strip():
            meta.authors.append(value.strip("\x00 ").strip())
    if xmp:
        for _, value in _XMP_CREATOR.findall(xmp):
            if value.strip():
                meta.authors.append(value.strip())
        meta.authors.extend(v.strip() for v in _XMP_CREATOR_ATTR.findall(xmp) if v.strip())
    meta.authors = list(dict.fromkeys(meta.authors))
    return meta


def is_school_author(author: str, school_authors: tuple[str, ...]) -> bool:
    """An author/copyright string counts as the school's when it names one of the school's names."""
    low = author.lower()
    return any(name.lower() in low for name in school_authors if name.strip())


#: HEIC comes back as JPEG: the extension and the phone page must show and post the copy, and
#: most browsers (and many social networks) cannot show HEIC.
_SAVE_AS = {"image/jpeg": ("JPEG", "image/jpeg"), "image/png": ("PNG", "image/png"),
            "image/webp": ("WEBP", "image/webp"), "image/gif": ("PNG", "image/png"),
            "image/heic": ("JPEG", "image/jpeg"), "image/heif": ("JPEG", "image/jpeg")}


def stripped_copy(img: Image.Image, media_type: str) -> tuple[bytes, str]:
    """The image re-encoded without location or other metadata; (bytes, media type).

    Orientation is applied to the pixels (so the EXIF orientation tag is not needed); GIFs come
    back as PNG (first frame, as checked), HEIC/HEIF as JPEG (already upright: pillow-heif applies
    the `irot` box and sets the EXIF tag to 1, so `exif_transpose` leaves it alone).
    """
    fmt, out_type = _SAVE_AS.get(media_type, ("PNG", "image/png"))
    oriented = ImageOps.exif_transpose(img)
    keep = Image.Exif()
    try:
        exif = img.getexif()
        for tag in (ARTIST, COPYRIGHT):
            if exif.get(tag):
                keep[tag] = exif.get(tag)
    except Exception:  # noqa: BLE001
        pass
    mode = "RGB" if fmt == "JPEG" else ("RGBA" if "A" in oriented.getbands() or oriented.mode == "P" else "RGB")
    clean = Image.new(mode, oriented.size)
    clean.paste(oriented.convert(mode))  # a fresh image carries no info dict (no XMP, no text)
    params: dict[str, object] = {}
    if img.info.get("icc_profile"):
        params["icc_profile"] = img.info["icc_profile"]
    if len(keep):
        params["exif"] = keep.tobytes()
    if fmt == "JPEG":
        params.update(quality=92, optimize=True)
    elif fmt == "WEBP":
        params.update(quality=92)
    out = io.BytesIO()
    clean.save(out, fmt, **params)
    return out.getvalue(), out_type
