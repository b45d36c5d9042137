"""The sizes of the images inside a HEIF/HEIC file, read from its boxes without decoding any.

The size Pillow reports for a HEIC is its primary image's `ispe` box. That is not what libheif
decodes when the primary image is a grid: each tile is decoded at its own size. Measured here
(pillow-heif 1.8.1, libheif 1.23.6): a 7 KB file whose header says 64×64 pixels made libheif
decode 64 tiles of 4096×4096 (1 Gpx) in 6 s and 340 MB. So the pixel cap must count every image
item in the file, which this module lists from the `meta` box: item types (`iinf`/`infe`) and
their `ispe` properties (`iprp`: `ipco` + `ipma`). Only those boxes are read; malformed ones
raise ValueError.

libheif refuses a coded image whose pixels are larger than its `ispe` says (and an image item
with no `ispe`), so these sizes bound what it decodes.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Iterator

#: Items made from other items (grid of tiles, overlay, rotated/cropped copy): their pixels are a
#: canvas filled from the items they refer to, which are listed (and decoded) separately.
DERIVED_TYPES = frozenset({"grid", "iovl", "iden"})

_MAX_ITEMS = 10_000  # libheif's own default refuses more than 1000 items


@dataclass(frozen=True)
class ImageItem:
    item_id: int
    item_type: str
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def coded(self) -> bool:
        """Decoded from compressed data (a tile, a whole image, a thumbnail, a depth map…)."""
        return self.item_type not in DERIVED_TYPES


def image_items(data: bytes) -> list[ImageItem]:
    """Every item of the file that has a size (`ispe`); ValueError if the boxes are malformed."""
    try:
        return _image_items(data)
    except (struct.error, IndexError):
        raise ValueError("truncated box") from None


def _image_items(data: bytes) -> list[ImageItem]:
    meta = _find(data, 0, len(data), b"meta")
    if meta is None:
        raise ValueError("no 'meta' box")
    start, end = meta
    start += 4  # FullBox: version and flags
    types: dict[int, str] = {}
    properties: list[bytes] = []
    associations: dict[int, list[int]] = {}
    for kind, body_start, body_end in _boxes(data, start, end):
        if kind == b"iinf":
            types.update(_item_types(data, body_start, body_end))
        elif kind == b"iprp":
            for sub, sub_start, sub_end in _boxes(data, body_start, body_end):
                if sub == b"ipco":
                    properties = [data[s - 8:e] for _, s, e in _boxes(data, sub_start, sub_end)]
                elif sub == b"ipma":
                    for item_id, indices in _associations(data, sub_start, sub_end):
                        associations.setdefault(item_id, []).extend(indices)
    items = []
    for item_id, item_type in types.items():
        for index in associations.get(item_id, []):
            prop = properties[index - 1] if 0 < index <= len(properties) else b""
            if prop[4:8] == b"ispe" and len(prop) >= 20:
                width, height = struct.unpack(">II", prop[12:20])
                items.append(ImageItem(item_id, item_type, width, height))
                break
    return items


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, body start, body end) of each box in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise ValueError("truncated box header")
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError(f"box '{kind.decode('latin-1')}' overruns its parent")
        yield kind, pos + header, pos + size
        pos += size


def _find(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, body_start, body_end in _boxes(data, start, end):
        if found == kind:
            return body_start, body_end
    return None


def _item_types(data: bytes, start: int, end: int) -> dict[int, str]:
    if end - start < 6:
        raise ValueError("truncated 'iinf' box")
    version = data[start]
    first = start + 4 + (2 if version == 0 else 4)  # FullBox header, then entry_count
    types = {}
    for kind, body_start, body_end in _boxes(data, first, end):
        if kind != b"infe" or body_end - body_start < 4:
            continue
        infe_version = data[body_start]
        if infe_version < 2:
            continue  # versions 0 and 1 carry no item type: never an image
        pos = body_start + 4
        id_format = ">H" if infe_version == 2 else ">I"
        id_size = struct.calcsize(id_format)
        if pos + id_size + 6 > body_end:
            raise ValueError("truncated 'infe' box")
        item_id = struct.unpack(id_format, data[pos:pos + id_size])[0]
        item_type = data[pos + id_size + 2:pos + id_size + 6].decode("latin-1")
        types[item_id] = item_type
        if len(types) > _MAX_ITEMS:
            raise ValueError("too many items")
    return types


def _associations(data: bytes, start: int, end: int) -> Iterator[tuple[int, list[int]]]:
    """(item id, property indices) from an `ipma` box."""
    if end - start < 8:
        raise ValueError("truncated 'ipma' box")
    version, flags = data[start], int.from_bytes(data[start + 1:start + 4], "big")
    id_format = ">H" if version < 1 else ">I"
    index_format = ">H" if flags & 1 else ">B"
    index_mask = 0x7FFF if flags & 1 else 0x7F
    pos = start + 8
    if pos > end:
        raise ValueError("truncated 'ipma' box")
    count = struct.unpack(">I", data[start + 4:pos])[0]
    if count > _MAX_ITEMS:
        raise ValueError("too many items")
    for _ in range(count):
        item_id = struct.unpack_from(id_format, data, pos)[0]
        pos += struct.calcsize(id_format)
        n = data[pos]
        pos += 1
        indices = []
        for _ in range(n):
            indices.append(struct.unpack_from(index_format, data, pos)[0] & index_mask)
            pos += struct.calcsize(index_format)
        if pos > end:
            raise ValueError("truncated 'ipma' box")
        yield item_id, indices
