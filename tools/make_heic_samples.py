#!/usr/bin/env python3
"""Writes the small HEIC photos in tests/data/ that tests/images/test_image_heic.py checks.

The photos are one real face photo from ../shared/faces (a public figure, deepface's MIT test
set), scaled to 480×320 and encoded with pillow-heif's own encoder (libheif + x265):

- `photo.heic`          plain, no metadata;
- `photo-gps.heic`      EXIF GPS and an XMP location (what an iPhone with Location on records);
- `photo-rotated.heic`  pixels stored turned 90° as the sensor saw them, with an `irot` box and
                        EXIF orientation 6 (both, as an iPhone writes them) saying how to show it;
- `photo-grid.heic`     the photo as a 2×2 grid of 256-px tiles, the way phones store photos;
- `grid-bomb.heic`      7 KB whose header says 64×64 pixels but whose grid holds 64 tiles of
                        4096×4096 (1 Gpx) that libheif would decode whole.

pillow-heif's encoder writes single images only, so the two grids are put together box by box
from single-image files it wrote.

    .venv/bin/python tools/make_heic_samples.py

x265 output may change between encoder versions, so the tests check what the files hold (size,
boxes, metadata), not their bytes.
"""
from __future__ import annotations

import io
import struct
from pathlib import Path

import pillow_heif
from PIL import Image

pillow_heif.register_heif_opener()  # lets Pillow save "HEIF"

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "faces" / "deepface" / "person_03" / "img13.jpg"
OUT = ROOT / "tests" / "data"
SIZE = (480, 320)
QUALITY = 70

GPS_IFD, ORIENTATION = 0x8825, 0x0112
FTYP = b"\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heicmiaf"
#: A place in North Yorkshire, as an iPhone writes it (degrees, minutes, seconds).
GPS = {1: "N", 2: (54.0, 0.0, 27.5), 3: "W", 4: (1.0, 28.0, 0.0), 5: 0, 6: 61.0}
XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="54,0.458N" '
       'exif:GPSLongitude="1,28.0W"/></rdf:RDF></x:xmpmeta>')


def upright() -> Image.Image:
    """The source photo, scaled down so each HEIC stays a few tens of KB."""
    img = Image.open(SOURCE).convert("RGB")
    img.thumbnail(SIZE, Image.LANCZOS)
    plain = Image.new("RGB", img.size)
    plain.paste(img)  # pixels only: none of the source file's EXIF comes along
    return plain


def heic(img: Image.Image, quality: int = QUALITY, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, "HEIF", quality=quality, **params)
    return out.getvalue()


# --- a HEIF grid, built box by box (pillow-heif's encoder writes single images only) ----------

def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def full_box(kind: bytes, version: int, flags: int, payload: bytes) -> bytes:
    return box(kind, bytes([version]) + flags.to_bytes(3, "big") + payload)


def coded_tile(tile: Image.Image) -> tuple[bytes, bytes]:
    """(hvcC property box, HEVC data) of one tile, taken from pillow-heif's single-image file."""
    data = heic(tile)
    hvcc_at = data.index(b"hvcC") - 4
    hvcc = data[hvcc_at:hvcc_at + struct.unpack(">I", data[hvcc_at:hvcc_at + 4])[0]]
    iloc = data.index(b"iloc") + 4  # pillow-heif: iloc version 0, 4-byte offsets, lengths, base offsets
    if data[iloc + 4:iloc + 6] != b"\x44\x40" or data[iloc + 8:iloc + 10] != b"\x00\x01":
        raise RuntimeError("pillow-heif wrote an iloc box this script does not know")
    base, _count, offset, length = struct.unpack(">IHII", data[iloc + 12:iloc + 26])
    return hvcc, data[base + offset:base + offset + length]


def grid_heic(tiles: list[tuple[bytes, bytes]], columns: int, rows: int, tile_size: tuple[int, int],
              output_size: tuple[int, int]) -> bytes:
    """A HEIC whose primary image is a `grid` of the coded tiles, as phones store photos.

    `output_size` is what the header claims (the grid's `ispe`); libheif decodes every tile whole.
    """
    ids = list(range(2, 2 + len(tiles)))
    grid = bytes([0, 0, rows - 1, columns - 1]) + struct.pack(">HH", *output_size)
    entries = [full_box(b"infe", 2, 0, struct.pack(">HH", 1, 0) + b"grid\0")]
    entries += [full_box(b"infe", 2, 1, struct.pack(">HH", i, 0) + b"hvc1\0") for i in ids]  # hidden
    properties = [full_box(b"ispe", 0, 0, struct.pack(">II", *output_size)),
                  full_box(b"ispe", 0, 0, struct.pack(">II", *tile_size))]
    hvcc_index: dict[bytes, int] = {}
    for hvcc, _ in tiles:
        if hvcc not in hvcc_index:
            properties.append(hvcc)
            hvcc_index[hvcc] = len(properties)  # 1-based
    associations = struct.pack(">HB", 1, 1) + bytes([1])
    for i, (hvcc, _) in zip(ids, tiles):
        associations += struct.pack(">HB", i, 2) + bytes([0x80 | hvcc_index[hvcc], 2])
    unique = list(dict.fromkeys(data for _, data in tiles))

    def head(mdat_at: int) -> bytes:
        at = mdat_at + 8
        locations = struct.pack(">HHH", 1, 0, 1) + struct.pack(">II", at, len(grid))
        offsets, pos = {}, at + len(grid)
        for data in unique:
            offsets[data] = pos
            pos += len(data)
        for i, (_, data) in zip(ids, tiles):
            locations += struct.pack(">HHH", i, 0, 1) + struct.pack(">II", offsets[data], len(data))
        meta = full_box(b"meta", 0, 0, b"".join([
            full_box(b"hdlr", 0, 0, b"\0" * 4 + b"pict" + b"\0" * 13),
            full_box(b"pitm", 0, 0, struct.pack(">H", 1)),
            full_box(b"iloc", 0, 0, b"\x44\x00" + struct.pack(">H", 1 + len(ids)) + locations),
            full_box(b"iinf", 0, 0, struct.pack(">H", len(entries)) + b"".join(entries)),
            full_box(b"iref", 0, 0, box(b"dimg", struct.pack(">HH", 1, len(ids))
                                        + b"".join(struct.pack(">H", i) for i in ids))),
            box(b"iprp", box(b"ipco", b"".join(properties))
                + full_box(b"ipma", 0, 0, struct.pack(">I", 1 + len(ids)) + associations)),
        ]))
        return FTYP + meta

    start = len(head(0))
    return head(start) + box(b"mdat", grid + b"".join(unique))


def photo_grid(photo: Image.Image, tile: int = 256) -> bytes:
    columns, rows = -(-photo.width // tile), -(-photo.height // tile)
    canvas = Image.new("RGB", (columns * tile, rows * tile))
    canvas.paste(photo)
    tiles = [coded_tile(canvas.crop((c * tile, r * tile, (c + 1) * tile, (r + 1) * tile)))
             for r in range(rows) for c in range(columns)]
    return grid_heic(tiles, columns, rows, (tile, tile), photo.size)


def grid_bomb(tile: int = 4096, side: int = 8) -> bytes:
    one = coded_tile(Image.new("RGB", (tile, tile), (120, 130, 140)))
    return grid_heic([one] * (side * side), side, side, (tile, tile), (64, 64))


def build_all() -> dict[str, bytes]:
    photo = upright()
    gps = Image.Exif()
    gps.get_ifd(GPS_IFD).update(GPS)
    turned = Image.Exif()
    turned[ORIENTATION] = 6  # "rotate 90° clockwise to display"; pillow-heif writes it as `irot` too
    return {
        "photo.heic": heic(photo),
        "photo-gps.heic": heic(photo, exif=gps.tobytes(), xmp=XMP.encode()),
        "photo-rotated.heic": heic(photo.transpose(Image.Transpose.ROTATE_90), exif=turned.tobytes()),
        "photo-grid.heic": photo_grid(photo),
        "grid-bomb.heic": grid_bomb(),
    }


def main() -> None:
    for name, data in build_all().items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
