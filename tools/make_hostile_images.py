#!/usr/bin/env python3
"""Writes the hostile-image corpus in tests/data/hostile/ (deterministic: same bytes every run).

Every file is something a careless image pipeline could choke on: decompression bombs with huge
declared sizes, truncated and corrupted files, polyglots, SVG with script, a 1 MB EXIF block, an
EXIF IFD that loops, CMYK, 16-bit, and an animated GIF with 10,000 frames. tests/images/test_hostile_images.py
sends each through the API; bench/hostile_images.py measures time and memory per file.

    .venv/bin/python tools/make_hostile_images.py            # (re)write the corpus
    .venv/bin/python tools/make_hostile_images.py --check    # exit 1 if a file differs

No randomness and no timestamps are used, so the committed files can be checked against this
script.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "hostile"


# --- building blocks -------------------------------------------------------------------------

def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, bit_depth: int, colour_type: int, idat: bytes, extra: bytes = b"") -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def picture(size: tuple[int, int] = (256, 192), mode: str = "RGB") -> Image.Image:
    """A small deterministic picture with some structure (so JPEG has real scan data)."""
    img = Image.new("RGB", size, (230, 230, 220))
    draw = ImageDraw.Draw(img)
    for i in range(0, size[0], 16):
        draw.rectangle([i, 0, i + 7, size[1]], fill=(40 + i % 200, 90, 160))
    draw.ellipse([size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4], fill=(200, 150, 120))
    return img.convert(mode) if mode != "RGB" else img


def jpeg(img: Image.Image, **kwargs: object) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, **kwargs)
    return out.getvalue()


def png_of(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def patch_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the frame header (SOF0/SOF2) to declare another size; the scan data stays small."""
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            return data[:i + 5] + struct.pack(">HH", height, width) + data[i + 9:]
        i += 2 + length
    raise ValueError("no SOF marker")


def app1_exif(tiff: bytes) -> bytes:
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def insert_after_soi(data: bytes, segments: bytes) -> bytes:
    return data[:2] + segments + data[2:]


def tiff_with_comment(size: int) -> bytes:
    """A little-endian TIFF/EXIF block whose one tag (UserComment-like UNDEFINED) holds `size` bytes."""
    header = b"II*\x00" + struct.pack("<I", 8)
    entries = 1
    ifd = struct.pack("<H", entries)
    data_offset = 8 + 2 + 12 * entries + 4
    ifd += struct.pack("<HHII", 0x010E, 2, size, data_offset)  # ImageDescription, ASCII
    ifd += struct.pack("<I", 0)
    payload = (b"A" * (size - 1)) + b"\x00"
    return header + ifd + payload


def tiff_loop() -> bytes:
    """An IFD whose next-IFD offset points back at itself, and a sub-IFD pointer to itself too."""
    header = b"II*\x00" + struct.pack("<I", 8)
    ifd = struct.pack("<H", 2)
    ifd += struct.pack("<HHII", 0x8769, 4, 1, 8)  # ExifIFD pointer -> this same IFD
    ifd += struct.pack("<HHII", 0x8825, 4, 1, 8)  # GPS IFD pointer -> this same IFD
    ifd += struct.pack("<I", 8)  # next IFD -> itself
    return header + ifd


# --- the corpus ------------------------------------------------------------------------------

def bomb_png_real() -> bytes:
    """A complete, valid 30,000 x 30,000 1-bit PNG of zeros: 900 MP, 112 MB raw, ~110 KB on disk."""
    width = height = 30_000
    row = b"\x00" + bytes((width + 7) // 8)
    comp = zlib.compressobj(9)
    parts = [comp.compress(row) for _ in range(height)]
    parts.append(comp.flush())
    return png(width, height, 1, 0, b"".join(parts))


def bomb_png_declared() -> bytes:
    """IHDR says 65,535 x 65,535 RGBA (17 GB of pixels); the data is a few rows."""
    rows = zlib.compress((b"\x00" + bytes(65_535 * 4)) * 2, 9)
    return png(65_535, 65_535, 8, 6, rows)


def bomb_jpeg() -> bytes:
    """A 64 x 64 JPEG whose frame header claims 65,500 x 65,500 (4.3 GP)."""
    return patch_jpeg_size(jpeg(picture((64, 64))), 65_500, 65_500)


def bomb_gif_canvas() -> bytes:
    """A 1 x 1 GIF frame on a logical screen of 65,535 x 65,535."""
    out = io.BytesIO()
    Image.new("P", (1, 1)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 65_535, 65_535)
    return bytes(data)


def truncated_jpeg() -> bytes:
    data = jpeg(picture())
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = png_of(picture())
    return data[: len(data) // 2]


def corrupt_png_crc() -> bytes:
    data = bytearray(png_of(picture()))
    idat = data.index(b"IDAT")
    data[idat + 20] ^= 0xFF  # flip a byte inside the compressed data: the CRC no longer matches
    return bytes(data)


def corrupt_jpeg_scan() -> bytes:
    data = bytearray(jpeg(picture()))
    sos = data.index(b"\xff\xda")
    for i in range(sos + 40, min(len(data) - 2, sos + 400), 7):
        data[i] = 0xFF  # sprinkle marker bytes through the entropy-coded data
    return bytes(data)


def header_only_png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 640, 480, 8, 2, 0, 0, 0))


def zero_size_png() -> bytes:
    return png(0, 0, 8, 2, zlib.compress(b""))


def polyglot_jpeg_zip() -> bytes:
    """A valid JPEG followed by a ZIP archive (unzip reads the end, image readers the start)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("payload/evil.html", date_time=(2020, 1, 1, 0, 0, 0))
        zf.writestr(info, "<script>alert(document.cookie)</script>")
    return jpeg(picture()) + archive.getvalue()


def polyglot_png_html() -> bytes:
    """A valid PNG carrying HTML with script in a tEXt chunk and again after IEND."""
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    data = png_of(picture())
    iend = data.rindex(b"IEND") - 4
    text = png_chunk(b"tEXt", b"Comment\x00" + html)
    return data[:iend] + text + data[iend:] + html


def html_named_png() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"


def svg_with_script() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(1)">\n'
            b'  <script type="text/javascript">alert(document.domain)</script>\n'
            b'  <rect width="100" height="100" fill="red"/>\n</svg>\n')


def exif_1mb_png() -> bytes:
    """A small PNG with a 1 MB eXIf chunk (PNG, unlike JPEG's APP1, has no 64 KB limit)."""
    data = png_of(picture((64, 64)))
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + png_chunk(b"eXIf", tiff_with_comment(1024 * 1024)) + data[iend:]


def exif_many_app1_jpeg() -> bytes:
    """A JPEG with four full 64 KB APP1/EXIF segments (JPEG caps one segment at 64 KB)."""
    segment = app1_exif(tiff_with_comment(65_000))
    return insert_after_soi(jpeg(picture((64, 64))), segment * 4)


def exif_loop_jpeg() -> bytes:
    return insert_after_soi(jpeg(picture((64, 64))), app1_exif(tiff_loop()))


def cmyk_jpeg() -> bytes:
    return jpeg(picture(mode="CMYK"))


def gray16_png() -> bytes:
    img = Image.new("I;16", (64, 64))
    img.putdata([(x * 1000 + y) % 65536 for y in range(64) for x in range(64)])
    return png_of(img)


def rgb48_png() -> bytes:
    """16 bits per channel RGB, written by hand (Pillow cannot write it)."""
    width, height = 32, 32
    raw = b"".join(b"\x00" + b"".join(struct.pack(">HHH", x * 2000, y * 2000, 30000) for x in range(width))
                   for y in range(height))
    return png(width, height, 16, 2, zlib.compress(raw, 9))


def _lzw_uncompressed(pixels: bytes, min_code_size: int = 2) -> bytes:
    """GIF LZW data without compression: a clear code before every pixel keeps codes 3 bits wide."""
    clear, end, width = 1 << min_code_size, (1 << min_code_size) + 1, min_code_size + 1
    codes = [c for p in pixels for c in (clear, p)] + [end]
    bits = 0
    nbits = 0
    out = bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += width
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        out.append(bits & 0xFF)
    return bytes(out)


def animated_gif_10000() -> bytes:
    """10,000 frames of 4 x 4 pixels, alternating colours, written by hand (~33 bytes a frame)."""
    header = b"GIF89a" + struct.pack("<HHBBB", 4, 4, 0xF0, 0, 0)  # global table of 2 colours
    palette = bytes([255, 0, 0, 0, 0, 255])
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    frames = bytearray()
    for i in range(10_000):
        frames += b"\x21\xf9\x04\x04" + struct.pack("<H", 1) + b"\x00\x00"  # 10 ms, keep frame
        frames += b"\x2c" + struct.pack("<HHHHB", 0, 0, 4, 4, 0)
        data = _lzw_uncompressed(bytes([i % 2]) * 16)
        frames += b"\x02" + bytes([len(data)]) + data + b"\x00"
    return header + palette + loop + bytes(frames) + b"\x3b"


#: file name -> builder. The names say what each is; the tests key their expectations on them.
CORPUS: dict[str, Callable[[], bytes]] = {
    "bomb-real-30000x30000.png": bomb_png_real,
    "bomb-declared-65535x65535.png": bomb_png_declared,
    "bomb-declared-65500x65500.jpg": bomb_jpeg,
    "bomb-canvas-65535x65535.gif": bomb_gif_canvas,
    "truncated.jpg": truncated_jpeg,
    "truncated.png": truncated_png,
    "header-only.png": header_only_png,
    "zero-size.png": zero_size_png,
    "corrupt-crc.png": corrupt_png_crc,
    "corrupt-scan.jpg": corrupt_jpeg_scan,
    "polyglot-jpeg-zip.jpg": polyglot_jpeg_zip,
    "polyglot-png-html.png": polyglot_png_html,
    "html-named.png": html_named_png,
    "script.svg": svg_with_script,
    "exif-1mb.png": exif_1mb_png,
    "exif-4-app1.jpg": exif_many_app1_jpeg,
    "exif-loop.jpg": exif_loop_jpeg,
    "cmyk.jpg": cmyk_jpeg,
    "gray16.png": gray16_png,
    "rgb48.png": rgb48_png,
    "animated-10000-frames.gif": animated_gif_10000,
}


def build_all() -> dict[str, bytes]:
    return {name: build() for name, build in CORPUS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk; write nothing")
    args = parser.parse_args(argv)
    files = build_all()
    if args.check:
        bad = [n for n, d in files.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != d]
        for name in bad:
            print(f"differs: {name}")
        return 1 if bad else 0
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        total += len(data)
        print(f"{name:36} {len(data):>9,} bytes  sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    print(f"{len(files)} files, {total:,} bytes in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
